#!/usr/bin/env python3
"""Host-side test of vmprint's output format (docs/pagetables.md, "vmprint").

    python3 tests/vmprint_format.py [KERNEL] [--smp N] [--timeout SEC] [-v]

Boots the kernel (default build/riscv/pagoda.elf) under QEMU twice:

  1. normally: no page table may be printed before the first prompt; then
     `vmprint`, `vmprint -m` and `vmprint -k` at the shell;
  2. with the boot argument `vmprint-init`: the table printed before
     "init: starting sh".

Every table is checked line by line:
  - the first line is `page table 0x<16 hex>`, every other line
    `( ..){1,3}<index>: pte 0x<16 hex> pa 0x<16 hex>`;
  - depth goes down one level at a time, and only below a non-leaf entry;
    a depth-3 entry is a leaf; indexes strictly increase among siblings;
  - pa == (pte >> 10) << 12 (and the reserved PTE bits 63..54 are 0);
    superpage leaves are aligned; non-leaf entries have U, A, D clear;
  - the trampoline (255/511/511) is R|X|V without U and W, at the same
    physical page in every table; in user tables the trapframe
    (255/511/510) is R|W|V without U and X, and the USYSCALL page
    (255/511/509) is R|U|V ((pte & 0x1f) == 0x13; A may be set).
User tables (vmprint, vmprint -m, init's): only the user half (top-level
index < 256); every other leaf has U; no leaf is both W and X.
`vmprint -m`: exactly one depth-2 leaf (a megapage) in the user half, with a
2 MiB-aligned pa, R|W|U; `vmprint` and init's table: none.
`vmprint -k`: the kernel half is there (top-level 256 and 258), no line has
U; the process's kernel stack sits under top-level 511 with an unmapped
guard page below it; the user half, if mapped, mirrors the user table of
the same program (same pages, no U, no X, W as in the user table).
The kernel page-table design (the boot banner names it, docs/pagetables.md)
changes what the tables hold: with `shared` the user table is the kernel's
too (its kernel half is checked as `vmprint -k`'s, its user half as a user
table's, and `-k` must print a whole user table); with `global`, `-k` is the one
kernel table, with every process's kernel stack under 511, each run of stack
pages with an unmapped guard page below it, and no user pages.
Finally the checker itself must reject corrupted copies of a real table, so
a broken checker cannot pass everything.

Prints "ok NAME" / "FAIL NAME: detail", last line "N passed, M failed";
exits 1 on any failure. QEMU is killed after --timeout seconds in all
(default 120).
"""

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from console import Console, ConsoleError, DEFAULT_DRIVE, guest_test_args, qemu_argv  # noqa: E402

HEADER = re.compile(r"^page table 0x[0-9a-f]{16}$")
LINE = re.compile(r"^( \.\.){1,3}\d+: pte 0x[0-9a-f]{16} pa 0x[0-9a-f]{16}$")
FIELDS = re.compile(r"^((?: \.\.)+)(\d+): pte 0x([0-9a-f]+) pa 0x([0-9a-f]+)$")

PTE_V, PTE_R, PTE_W, PTE_X, PTE_U = 0x1, 0x2, 0x4, 0x8, 0x10
PTE_A, PTE_D = 0x40, 0x80
LEAF = PTE_R | PTE_W | PTE_X

USYSCALL = (255, 511, 509)
TRAPFRAME = (255, 511, 510)
TRAMPOLINE = (255, 511, 511)
DESIGN = "perproc"  # the kernel page-table design, from the boot banner
TOP_REGION = 255  # top-level index of USYSCALL, TRAPFRAME, TRAMPOLINE
LEVEL_SIZE = {1: 1 << 30, 2: 1 << 21, 3: 1 << 12}  # bytes mapped by a leaf at each depth


class Entry:
    def __init__(self, lineno, depth, index, pte, pa, path):
        self.lineno, self.depth, self.index = lineno, depth, index
        self.pte, self.pa, self.path = pte, pa, path

    @property
    def leaf(self):
        return bool(self.pte & LEAF)

    @property
    def va(self):
        va = 0
        for level, i in zip((30, 21, 12), self.path):
            va |= i << level
        return va

    def __repr__(self):
        return f"{'/'.join(map(str, self.path))} pte {self.pte:#018x}"


class Table:
    """A parsed vmprint table. `errors` maps a check name to its problems."""

    def __init__(self, lines):
        self.lines = lines
        self.entries = []
        self.errors = {"format": [], "tree": [], "pa": []}
        self._parse()

    def _parse(self):
        fmt, tree, pa = self.errors["format"], self.errors["tree"], self.errors["pa"]
        if not self.lines:
            fmt.append("no output")
            return
        if not HEADER.match(self.lines[0]):
            fmt.append(f"line 1 is not a header: {self.lines[0]!r}")
        path = []  # indexes of the current line's ancestors and itself
        prev = None
        for n, line in enumerate(self.lines[1:], start=2):
            if not LINE.match(line):
                fmt.append(f"line {n}: {line!r}")
                continue
            m = FIELDS.match(line)
            depth = len(m.group(1)) // 3
            index, pte, pa_field = int(m.group(2)), int(m.group(3), 16), int(m.group(4), 16)
            if index > 511:
                tree.append(f"line {n}: index {index} > 511")
            if prev is None and depth != 1:
                tree.append(f"line {n}: first entry at depth {depth}")
            if prev is not None and depth > prev.depth:
                if depth > prev.depth + 1:
                    tree.append(f"line {n}: depth jumps from {prev.depth} to {depth}")
                elif prev.leaf:
                    tree.append(f"line {n}: entry below the leaf on line {prev.lineno}")
            if depth <= len(path):
                if index <= path[depth - 1]:
                    tree.append(f"line {n}: index {index} after sibling {path[depth - 1]}")
                path = path[:depth - 1]
            path = (path + [0] * depth)[:depth - 1] + [index]
            e = Entry(n, depth, index, pte, pa_field, tuple(path))
            if not pte & PTE_V:
                tree.append(f"line {n}: V bit clear in {e}")
            if depth == 3 and not e.leaf:
                tree.append(f"line {n}: depth-3 entry is not a leaf: {e}")
            if not e.leaf and pte & (PTE_U | PTE_A | PTE_D):
                tree.append(f"line {n}: non-leaf entry with U/A/D set: {e}")
            if e.leaf and pte & PTE_W and not pte & PTE_R:
                tree.append(f"line {n}: W without R (reserved): {e}")
            want = ((pte >> 10) & ((1 << 44) - 1)) << 12
            if pa_field != want:
                pa.append(f"line {n}: pa {pa_field:#x}, pte says {want:#x}")
            if pte >> 54:
                pa.append(f"line {n}: reserved bits 63..54 set in {e}")
            if e.leaf and pa_field % LEVEL_SIZE[depth]:
                pa.append(f"line {n}: depth-{depth} leaf with unaligned pa {pa_field:#x}")
            self.entries.append(e)
            prev = e

    def find(self, path):
        for e in self.entries:
            if e.path == tuple(path):
                return e
        return None

    def leaves(self):
        return [e for e in self.entries if e.leaf]


def table_from(text, start_at_header=True):
    """The vmprint table in `text`: from its header line to the last line of
    the table (lines after it that are not entries end it when
    start_at_header is set; otherwise all of text must be the table)."""
    lines = [ln for ln in text.split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    if not start_at_header:
        return lines
    for i, ln in enumerate(lines):
        if HEADER.match(ln):
            out = [ln]
            for more in lines[i + 1:]:
                if not LINE.match(more):
                    break
                out.append(more)
            return out
    return []


def flags(pte):
    names = [(PTE_V, "V"), (PTE_R, "R"), (PTE_W, "W"), (PTE_X, "X"), (PTE_U, "U")]
    return "|".join(n for bit, n in names if pte & bit) or "0"


def check_special(t, user):
    """Trampoline, trapframe, USYSCALL. Returns a list of problems."""
    out = []
    tr = t.find(TRAMPOLINE)
    if tr is None:
        out.append("no trampoline at 255/511/511")
    elif (tr.pte & 0x1f) != (PTE_V | PTE_R | PTE_X):
        out.append(f"trampoline {flags(tr.pte)}, want R|X|V without U, W")
    if user:
        tf = t.find(TRAPFRAME)
        if tf is None:
            out.append("no trapframe at 255/511/510")
        elif (tf.pte & 0x1f) != (PTE_V | PTE_R | PTE_W):
            out.append(f"trapframe {flags(tf.pte)}, want R|W|V without U, X")
        us = t.find(USYSCALL)
        if us is None:
            out.append("no USYSCALL page at 255/511/509")
        elif (us.pte & 0x1f) != (PTE_V | PTE_R | PTE_U):
            out.append(f"USYSCALL page {flags(us.pte)} ((pte & 0x1f) = {us.pte & 0x1f:#x}), "
                       "want R|U|V (0x13)")
    return out


def check_user(t):
    out = []
    for e in t.entries:
        if e.depth == 1 and e.index >= 256 and DESIGN != "shared":
            out.append(f"kernel-half entry in a user table: {e}")
    for e in t.leaves():
        if e.path in (TRAMPOLINE, TRAPFRAME) or e.path[0] >= 256:
            continue
        if not e.pte & PTE_U:
            out.append(f"user leaf without U: {e}")
        if e.pte & PTE_W and e.pte & PTE_X:
            out.append(f"leaf both writable and executable: {e}")
    return out


def megapages(t):
    return [e for e in t.leaves() if e.depth == 2 and e.path[0] < 256]


def check_megapage(t, want):
    mp = megapages(t)
    if len(mp) != want:
        return [f"{len(mp)} depth-2 leaves in the user half, want {want}: {mp}"]
    out = []
    for e in mp:
        if e.pa % (1 << 21):
            out.append(f"megapage pa {e.pa:#x} not 2 MiB-aligned")
        if (e.pte & 0x1f) != (PTE_V | PTE_R | PTE_W | PTE_U):
            out.append(f"megapage {flags(e.pte)}, want R|W|U|V")
    return out


def check_kernel(t):
    out = []
    tops = {e.index for e in t.entries if e.depth == 1}
    for i in (256, 258):
        if i not in tops:
            out.append(f"no top-level entry {i} (kernel half)")
    for e in t.entries:
        if e.pte & PTE_U and (DESIGN != "shared" or e.path[0] >= 256):
            out.append(f"U bit set: {e}")
    return out


def check_kstack(t):
    """The per-process kernel stack under top-level 511, guard page below."""
    pages = sorted(e.path for e in t.leaves() if e.path[0] == 511 and e.depth == 3)
    if not pages:
        return ["no kernel stack pages under top-level 511"]
    out = []
    first = pages[0]
    if first[2] == 0:
        out.append(f"lowest page {first} has no room for a guard page below it")
    runs = [1]  # lengths of runs of contiguous pages; a gap below each
    for a, b in zip(pages, pages[1:]):
        if a[:2] != b[:2] or b[2] != a[2] + 1:
            runs.append(1)
            if DESIGN != "global":  # global: a stack per process
                out.append(f"kernel stack pages not contiguous: {a} then {b}")
        else:
            runs[-1] += 1
    if len(set(runs)) != 1:  # two stacks with no guard page between them
        out.append(f"kernel stacks of different sizes (pages per run: {runs})")
    for e in t.leaves():
        if e.path[0] == 511 and e.depth == 3 and (e.pte & 0x1f) != (PTE_V | PTE_R | PTE_W):
            out.append(f"kernel stack page {e} is {flags(e.pte)}, want R|W|V")
    return out


def user_leaves(t):
    """User-half leaves below the top region: {va: pte}."""
    return {e.va: e.pte for e in t.leaves() if e.path[0] < TOP_REGION}


def check_mirror(kt, ut):
    if DESIGN == "shared":  # one table: -k is (that program's) user table itself
        return check_special(kt, True) + check_user(kt), "shared: -k is a user table"
    kl, ul = user_leaves(kt), user_leaves(ut)
    if not kl:
        return [], "user half not mapped in the kernel table (no mirror to check)"
    out = []
    if set(kl) != set(ul):
        only_k = sorted(set(kl) - set(ul))[:4]
        only_u = sorted(set(ul) - set(kl))[:4]
        out.append(f"pages differ: only in -k {[hex(v) for v in only_k]}, "
                   f"only in the user table {[hex(v) for v in only_u]}")
    for va in sorted(set(kl) & set(ul)):
        k, u = kl[va], ul[va]
        if k & (PTE_U | PTE_X) or not k & PTE_R or (k & PTE_W) != (u & PTE_W):
            out.append(f"va {va:#x}: kernel view {flags(k)}, user {flags(u)}")
            break
    return out, None


class Results:
    def __init__(self):
        self.passed = self.failed = 0

    def report(self, name, problems, note=None):
        if problems:
            self.failed += 1
            more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
            print(f"FAIL {name}: " + "; ".join(problems[:3]) + more, flush=True)
        else:
            self.passed += 1
            print(f"ok {name}" + (f"  # {note}" if note else ""), flush=True)


def check_table(res, label, t, user, megas=None):
    for what in ("format", "tree", "pa"):
        res.report(f"{label}_{what}", t.errors[what])
    res.report(f"{label}_special", check_special(t, user))
    if user:
        res.report(f"{label}_user_half", check_user(t))
    if megas is not None:
        res.report(f"{label}_megapage", check_megapage(t, megas))


def all_problems(lines, user):
    t = Table(lines)
    p = [x for v in t.errors.values() for x in v] + check_special(t, user)
    if user:
        p += check_user(t)
    return p


def corruptions(lines):
    """Broken copies of a good user table, each of which must be rejected."""
    entries = [i for i, ln in enumerate(lines) if LINE.match(ln)]
    out = []

    def edit(name, fn):
        c = list(lines)
        if fn(c) is not False:
            out.append((name, c))

    def swap_siblings(c):
        for i in entries:
            if i + 1 < len(c) and LINE.match(c[i + 1]) and \
                    c[i].split(":")[0].count("..") == c[i + 1].split(":")[0].count("..") == 3:
                c[i], c[i + 1] = c[i + 1], c[i]
                return
        return False

    def set_pte_bits(path, bit, clear=False):
        def fn(c):
            t = Table(c)
            e = t.find(path)
            if e is None:
                return False
            pte = e.pte & ~bit if clear else e.pte | bit
            c[e.lineno - 1] = re.sub(r"pte 0x[0-9a-f]{16}", f"pte 0x{pte:016x}",
                                     c[e.lineno - 1])
        return fn

    def bad_pa(c):
        i = entries[-1]
        pa = int(c[i][-16:], 16) ^ 0x1000
        c[i] = c[i][:-16] + f"{pa:016x}"

    def depth_jump(c):
        i = entries[0]
        c[i] = " .. .." + c[i]

    def bad_header(c):
        c[0] = c[0].replace("page table 0x", "page table ")

    edit("sibling order", swap_siblings)
    edit("U on the trampoline", set_pte_bits(TRAMPOLINE, PTE_U))
    edit("W on the USYSCALL page", set_pte_bits(USYSCALL, PTE_W))
    edit("U off a user page", set_pte_bits((0, 0, 1), PTE_U, clear=True))
    edit("pa field", bad_pa)
    edit("depth jump", depth_jump)
    edit("header", bad_header)
    return out


def main(argv=None):
    ap = guest_test_args(120, __doc__.split("\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="show the console")
    args = ap.parse_args(argv)
    if not Path(args.kernel).is_file():
        print(f"FAIL setup: no kernel at {args.kernel}")
        print("0 passed, 1 failed")
        return 1

    deadline = time.monotonic() + args.timeout
    live = sys.stderr if args.verbose else None
    res = Results()
    outputs = {}

    def boot(label, append, commands):
        """Boot, run commands; return (text before the first prompt, {cmd: output})."""
        left = deadline - time.monotonic()
        if left <= 0.2:
            res.report(f"{label}_boot", ["no time left"])
            return None, {}
        drive = DEFAULT_DRIVE if DEFAULT_DRIVE.is_file() else None  # programs are on the disk
        con = Console(qemu_argv(kernel=args.kernel, smp=args.smp, append=append, drive=drive,
                                snapshot=True),
                      limit=left, live=live)
        got = {}
        try:
            with con:
                before = con.wait_prompt()
                for cmd in commands:
                    got[cmd] = con.run_command(cmd)
                con.halt("0")
            res.report(f"{label}_boot", [])
            return before, got
        except ConsoleError as e:
            tail = con.transcript[-600:]
            res.report(f"{label}_boot", [f"{type(e).__name__}: {e}"])
            sys.stdout.write("---- console tail ----\n" + tail + "\n----------------------\n")
            return None, got

    # Boot 1: the shell commands.
    cmds = ["vmprint", "vmprint -m", "vmprint -k"]
    before, got = boot("plain", None, cmds)
    global DESIGN
    m = re.search(r"kernel page tables: (\w+)", before or "")
    DESIGN = m.group(1) if m else DESIGN
    if before is not None:
        res.report("no_table_without_vmprint_init",
                   ["a page table was printed at boot"] if "page table 0x" in before else [])
    for cmd in cmds:
        label = cmd.replace(" -", "_")
        if cmd not in got:
            res.report(f"{label}_run", ["did not run"])
            continue
        lines = table_from(got[cmd], start_at_header=False)
        t = Table(lines)
        outputs[cmd] = t
        user = cmd != "vmprint -k"
        megas = {"vmprint": 0, "vmprint -m": 1}.get(cmd)
        check_table(res, label, t, user, megas)
        if cmd == "vmprint -k":
            res.report(f"{label}_kernel_half", check_kernel(t))
            res.report(f"{label}_kstack", check_kstack(t))
            if "vmprint" in outputs:
                problems, note = check_mirror(t, outputs["vmprint"])
                res.report(f"{label}_mirror", problems, note)

    # Trampoline: one physical page, mapped in every table.
    tramp = {cmd: t.find(TRAMPOLINE) for cmd, t in outputs.items()}
    pas = {e.pa for e in tramp.values() if e}
    if outputs:
        res.report("trampoline_shared", [] if len(pas) == 1 and all(tramp.values()) else
                   [f"trampoline pa per table: { {c: hex(e.pa) if e else None for c, e in tramp.items()} }"])

    # Boot 2: init's table, printed by the kernel before init runs.
    before, _ = boot("vmprint_init", "vmprint-init", [])
    if before is not None:
        problems = []
        at = before.find("init: starting sh")
        if at < 0:
            problems.append("no 'init: starting sh' line")
        lines = table_from(before[:at] if at >= 0 else before)
        if not lines:
            problems.append("no page table before 'init: starting sh'")
        res.report("vmprint_init_printed", problems)
        if lines:
            t = Table(lines)
            check_table(res, "vmprint_init", t, True, 0)

    # The checker must reject broken tables.
    good = outputs.get("vmprint")
    if good is not None and not all_problems(good.lines, True):
        missed = [name for name, c in corruptions(good.lines) if not all_problems(c, True)]
        n = len(corruptions(good.lines))
        res.report("checker_rejects_corruption",
                   [f"not caught: {', '.join(missed)}"] if missed else
                   ([] if n >= 6 else [f"only {n} corruptions could be made"]))

    print(f"{res.passed} passed, {res.failed} failed", flush=True)
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
