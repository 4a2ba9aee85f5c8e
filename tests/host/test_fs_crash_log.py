#!/usr/bin/env python3
"""Host test of how tests/fs_crash.py reads what the guest's writer printed
before QEMU was killed (writer_report): only whole lines are reports, a
line cut by the kill never is, and the files the writer may have touched
after its last whole report are neither checked nor demanded. The cut lines
are the ones real kills produced. Ends with "N passed, M failed"."""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
import fs_crash  # noqa: E402
from hostcheck import check, summary  # noqa: E402

def expect(name, got, want):
    check(name, got == want, f"got {got!r}, want {want!r}")


def size(n):  # user/bin/fscrash.c: size_of
    return (n * 7919) % 60000 + 1


def lines(start, end, unlink=True):
    """What `fscrash write START` prints for files start..end-1."""
    out = ""
    for n in range(start, end):
        out += f"synced f{n} {size(n)}\n"
        if unlink and n % 3 == 0 and n - 5 >= start:
            out += f"unlinked f{n - 5}\n"
    return out


PROLOGUE = "have f1 5 ok\ncheck done\n$ fscrash write 160\n"

# A whole run: every line counts.
r = fs_crash.writer_report(PROLOGUE + lines(160, 170), 160)
expect("whole lines: synced", r.synced, {n: size(n) for n in range(160, 170)})
expect("whole lines: unlinked", r.unlinked, {160, 163})
expect("whole lines: next start", r.next_start, 171)
# the writer may be at f170 (not a multiple of 3): nothing more may be gone
expect("whole lines: maybe gone", r.maybe_gone, {160, 163})

# The line being printed when QEMU died, cut in its size: f168 has 10393
# bytes, the cut line says 1039. It is no report (the file is whole and was
# counted short before), and f168 may be synced and may have unlinked f163.
cut = PROLOGUE + lines(160, 168) + "synced f168 1039"
r = fs_crash.writer_report(cut, 160)
expect("cut size: not a report", 168 in r.synced, False)
expect("cut size: the rest", r.synced, {n: size(n) for n in range(160, 168)})
expect("cut size: f163 may be gone", 163 in r.maybe_gone, True)
expect("cut size: f163 not reported unlinked", r.unlinked, {160})
expect("cut size: next start past the cut file", r.next_start >= 169, True)

# Cut in the number, and cut in an unlink report.
r = fs_crash.writer_report(PROLOGUE + lines(160, 165) + "synced f16", 160)
expect("cut number", r.synced, {n: size(n) for n in range(160, 165)})
r = fs_crash.writer_report(PROLOGUE + lines(160, 166, unlink=False) + "unlinked f16", 160)
expect("cut unlink report: nothing unlinked", r.unlinked, set())
expect("cut unlink report: f160 may be gone", r.maybe_gone, {160})

# A whole line whose newline was still in the UART: not counted either.
r = fs_crash.writer_report(PROLOGUE + lines(160, 163) + f"synced f163 {size(163)}", 160)
expect("no newline", sorted(r.synced), [160, 161, 162])

# Numbers from before START (the check's output, an older run) never count,
# and nothing older than START may be gone.
r = fs_crash.writer_report("synced f3 7920\n" + PROLOGUE + lines(160, 161), 160)
expect("older numbers", r.synced, {160: size(160)})
expect("older numbers: nothing gone", r.maybe_gone, set())

# Nothing at all after the command.
r = fs_crash.writer_report(PROLOGUE, 160)
expect("empty run", (r.synced, r.unlinked, r.maybe_gone, r.next_start), ({}, set(), set(), 162))

sys.exit(summary())
