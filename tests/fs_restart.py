#!/usr/bin/env python3
"""The fs server killed and restarted (docs/fs.md, docs/security.md): boots
the disk image with `spawn=unixtest`, so that init starts unixtest from the
boot image with the right to kill a system server. Its last case, fs_restart,
kills the fs server while a reader waits on a pipe: the reader must get
EPIPE, init must start a new fs server, and a file synced before the kill
must still be there. The image is used with snapshot=on (left unchanged).

    python3 tests/fs_restart.py [KERNEL] [--smp N] [--timeout S]
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from console import boot_to_summary, guest_test_args, qemu_argv  # noqa: E402


def main():
    ap = guest_test_args(180)
    args = ap.parse_args()
    image = pathlib.Path(args.kernel).resolve().parent.parent / "fs.img"
    argv = qemu_argv(kernel=args.kernel, smp=args.smp, drive=str(image), snapshot=True,
                     append="spawn=unixtest")
    return boot_to_summary(argv, args.timeout, "fs_restart", must_see="ok fs_restart")

if __name__ == "__main__":
    sys.exit(main())
