#!/usr/bin/env python3
"""init restarts a killed system server, with backoff (docs/security.md):
boots with `spawn=sectest`, so that init starts sectest privileged; it then
kills the disk server four times and checks that a new one answers each
time, later ones after a longer pause.

    python3 tests/server_restart.py [KERNEL] [--smp N] [--timeout S]
"""
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from console import boot_to_summary, guest_test_args, qemu_argv  # noqa: E402


def main():
    ap = guest_test_args(120)
    args = ap.parse_args()
    with tempfile.NamedTemporaryFile(suffix=".img") as img:
        img.truncate(4 << 20)
        img.flush()
        argv = qemu_argv(kernel=args.kernel, smp=args.smp, drive=img.name,
                         append="spawn=sectest nofs")
        return boot_to_summary(argv, args.timeout, "server_restart")

if __name__ == "__main__":
    sys.exit(main())
