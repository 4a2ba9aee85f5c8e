#!/usr/bin/env python3
"""init restarts a killed system server, with backoff (docs/security.md):
boots with `spawn=sectest`, so that init starts sectest privileged; it then
kills the disk server four times and checks that a new one answers each
time, later ones after a longer pause.

    python3 tests/server_restart.py [KERNEL] [--smp N] [--timeout S]
"""
import argparse
import pathlib
import re
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from console import Console, qemu_argv  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kernel", nargs="?", default=str(ROOT / "build/riscv/pagoda.elf"))
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    ok = False
    with tempfile.NamedTemporaryFile(suffix=".img") as img:
        img.truncate(4 << 20)
        img.flush()
        argv = qemu_argv(kernel=args.kernel, smp=args.smp, drive=img.name,
                         append="spawn=sectest nofs")
        try:
            with Console(argv, limit=args.timeout, live=sys.stdout) as con:
                con.expect(re.compile(r"(\d+) passed, (\d+) failed"), args.timeout)
                done = con.match
                ok = int(done.group(1)) > 0 and int(done.group(2)) == 0
        except Exception as e:  # timeout, panic, QEMU gone: a failure, said plainly
            print(f"\nserver_restart: {e}")
    print(f"\n{1 if ok else 0} passed, {0 if ok else 1} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
