#!/usr/bin/env python3
"""Disk server suite with a drive, and persistence across a reboot.

usage: disk_persist.py KERNEL [--smp N]

Makes a blank 32 MiB scratch image, boots Pagoda with it and runs
`disktest` (the in-QEMU suite, which needs a drive), then `disktest
write-seed S` (writes a seeded pattern, flushes, powers off), boots again on
the same image and runs `disktest check-seed S`, which must find the pattern
(and `disktest check-seed S+1`, which must not).
Prints "ok NAME" / "FAIL NAME: why" per step, then "N passed, M failed";
exits 0 only if nothing failed. QEMU is killed on a kernel panic, when a boot
takes more than 60 s to reach the prompt, a boot with its commands more than
150 s, or the whole run more than 300 s.
"""

import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
from hostcheck import counts, fail, ok, summary  # noqa: E402
from console import Console, ConsoleError, qemu_argv  # noqa: E402

LIMIT = 300  # seconds for everything
SEED = 1234
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$", re.M)

def guest_summary(text):
    m = SUMMARY.findall(text)
    return (int(m[-1][0]), int(m[-1][1])) if m else None


BOOT_LIMIT = 60  # seconds from QEMU's start to the first prompt
STEP_LIMIT = 150  # seconds for one boot and its commands


class StepError(Exception):
    pass


def boot(kernel, image, smp, deadline):
    left = min(deadline - time.monotonic(), STEP_LIMIT)
    if left <= 5:
        raise StepError("out of time")
    con = Console(qemu_argv(kernel=kernel, smp=smp, drive=image), limit=left)
    con.start()
    try:
        con.wait_prompt(timeout=BOOT_LIMIT)
    except ConsoleError as e:
        con.close()
        raise StepError(f"{type(e).__name__}: {e}; console output:\n{con.transcript[-3000:]}")
    return con


def guarded(con, fn):
    """Run fn(); on a console error, report it with the end of the output."""
    try:
        return fn()
    except ConsoleError as e:
        raise StepError(f"{type(e).__name__}: {e}; console output:\n{con.transcript[-3000:]}")
    finally:
        con.close()


def run_suite(kernel, image, smp, deadline):
    name = f"disktest with a drive (smp {smp})"
    con = boot(kernel, image, smp, deadline)

    def steps():
        out = con.run_command("disktest")
        con.halt()
        return out
    out = guarded(con, steps)
    s = guest_summary(out)
    if s and s[1] == 0 and s[0] > 1 and "FAIL" not in out:
        ok(f"{name}: {s[0]} passed")
    else:
        fail(name, "guest output:\n" + out)


def write_seed(kernel, image, smp, deadline):
    name = "write-seed then power off"
    con = boot(kernel, image, smp, deadline)

    def steps():
        con.send(f"disktest write-seed {SEED}\n")
        con.expect(re.compile(r"^pagoda: power off \(status (-?\d+)\)", re.M))
        out, status = con.before, int(con.match.group(1))
        con.wait_exit(10)
        return out, status
    out, status = guarded(con, steps)
    s = guest_summary(out)
    if status == 0 and s and s == (1, 0):
        ok(name)
    else:
        fail(name, f"status {status}, guest output:\n{out}")


def check_seed(kernel, image, smp, deadline):
    name = "check-seed after a reboot"
    con = boot(kernel, image, smp, deadline)

    def steps():
        wrong = con.run_command(f"disktest check-seed {SEED + 1}")
        out = con.run_command(f"disktest check-seed {SEED}")
        con.halt()
        return wrong, out
    wrong, out = guarded(con, steps)
    s = guest_summary(out)
    if s and s == (1, 0):
        ok(name)
    else:
        fail(name, "guest output:\n" + out)
    # the check must notice a pattern that is not there
    s = guest_summary(wrong)
    if s and s[0] == 0 and s[1] >= 1:
        ok("check-seed with another seed fails")
    else:
        fail("check-seed with another seed fails", "guest output:\n" + wrong)


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    kernel = args[0]
    smp = int(args[args.index("--smp") + 1]) if "--smp" in args else 4
    if not Path(kernel).is_file():
        fail("kernel", f"no kernel at {kernel}")
        return summary()
    deadline = time.monotonic() + LIMIT
    with tempfile.TemporaryDirectory(prefix="pagoda-disk-") as tmp:
        image = os.path.join(tmp, "disk.img")
        with open(image, "wb") as f:
            f.truncate(32 << 20)
        steps = [(run_suite, "disktest with a drive"), (write_seed, "write-seed then power off"),
                 (check_seed, "check-seed after a reboot")]
        for step, name in steps:
            try:
                step(kernel, image, smp, deadline)
            except StepError as e:
                fail(name, str(e))
                if time.monotonic() >= deadline:
                    break
    status = summary()
    return 0 if status == 0 and counts["passed"] == len(steps) + 1 else 1


if __name__ == "__main__":
    sys.exit(main())
