#!/usr/bin/env python3
"""What the kernel's trace hooks cost while tracing is off (docs/tracing.md).

    python3 tests/cost/trace_hooks.py CROSS_BUILD_DIR [-v]

Builds pagoda-notrace.elf in CROSS_BUILD_DIR (default build/riscv): the same
kernel with every TRACE() hook compiled away (PAGODA_TRACE_HOOKS=0). Boots it
and the normal pagoda.elf under -icount (instruction counting, one hart: the
figures are exact and the same on every run) and runs `bench getpid ipc_rtt`
on each. The difference per operation is what the hooks cost when off; it
must stay within a few instructions: one load and one branch per hook on the
path (getpid passes 2 hooks, an IPC round trip on the fast path 6).

Prints "ok NAME" / "FAIL NAME: detail", last line "N passed, M failed";
exits 1 on any failure.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from console import DEFAULT_DRIVE, Console, qemu_argv  # noqa: E402

# Instructions per operation the hooks may add while tracing is off.
LIMITS = {"getpid": 6, "ipc_rtt": 12}
BENCH = re.compile(r"BENCH (\S+) \d+ per_op=(\d+)")


def figures(kernel, verbose):
    argv = qemu_argv(kernel=str(kernel), smp=1, icount=True, drive=DEFAULT_DRIVE,
                     snapshot=True)
    with Console(argv, limit=180, live=sys.stdout if verbose else None) as con:
        con.wait_prompt()
        out = con.run_command("bench " + " ".join(LIMITS))
        con.halt()
    return {name: int(n) for name, n in BENCH.findall(out)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cross", nargs="?", default=str(ROOT / "build" / "riscv"))
    ap.add_argument("-v", "--verbose", action="store_true", help="show the consoles")
    args = ap.parse_args()
    cross = Path(args.cross)
    subprocess.run(["cmake", "--build", str(cross), "--target", "pagoda-notrace.elf"],
                   check=True, stdout=subprocess.DEVNULL)
    hooked = figures(cross / "pagoda.elf", args.verbose)
    bare = figures(cross / "pagoda-notrace.elf", args.verbose)
    passed = failed = 0
    for name, limit in LIMITS.items():
        if name not in hooked or name not in bare:
            print(f"FAIL {name}: no figure (with hooks {hooked}, without {bare})")
            failed += 1
            continue
        cost = hooked[name] - bare[name]
        print(f"  # {name}: {hooked[name]} with hooks, {bare[name]} without: {cost} per op")
        if 0 <= cost <= limit:
            print(f"ok {name}")
            passed += 1
        else:
            print(f"FAIL {name}: the hooks cost {cost} instructions per op (at most {limit})")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
