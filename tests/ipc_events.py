#!/usr/bin/env python3
"""Fork/exit events for a subscribed server: boots with `spawn=evtest`, so
that init starts user/bin/evtest with device rights, and checks its verdict.

    python3 tests/ipc_events.py [KERNEL] [--smp N] [--timeout S]
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from console import Console, guest_test_args, qemu_argv  # noqa: E402


def main():
    ap = guest_test_args(120)
    args = ap.parse_args()
    argv = qemu_argv(kernel=args.kernel, smp=args.smp, drive=None, append="spawn=evtest")
    ok = False
    try:
        with Console(argv, limit=args.timeout, live=sys.stdout) as con:
            con.expect(re.compile(r"(\d+) passed, (\d+) failed"), args.timeout)
            done = con.match
            ok = int(done.group(1)) > 0 and int(done.group(2)) == 0
            # evtest may finish before or after the shell's first prompt, so
            # there is no prompt to wait for: leaving the block stops QEMU.
    except Exception as e:  # timeout, panic, QEMU gone: a failure, said plainly
        print(f"\nipc_events: {e}")
    print(f"{1 if ok else 0} passed, {0 if ok else 1} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
