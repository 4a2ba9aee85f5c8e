#!/usr/bin/env python3
"""Crash test of the file system: power cuts at random moments.

usage: fs_crash.py KERNEL [--smp N] [--seed S] [--crashes K]

Copies build/fs.img, then K times (default 20): boots Pagoda on the copy
(writes kept: no snapshot), checks with `fscrash check` that every file the
previous run reported as synced ("synced fN SIZE") is there and whole and
that no file holds wrong data, starts `fscrash write START` (files written
and fsync'd one after another) and kills QEMU (SIGKILL) at a random moment;
then runs the host's `fsck` on the image, which must find it clean (after
replaying a committed log, as a mount would). A last boot checks the last
run. The seed is printed; `--seed S` replays a run.

Prints "ok NAME" / "FAIL NAME: why" per step, then "N passed, M failed";
exits 0 only if nothing failed.
"""

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from console import Console, ConsoleError, qemu_argv  # noqa: E402

LIMIT = 540  # seconds for everything
BOOT_LIMIT = 60
SYNCED = re.compile(r"^synced f(\d+) (\d+)$", re.M)
UNLINKED = re.compile(r"^unlinked f(\d+)$", re.M)
HAVE = re.compile(r"^have f(\d+) (-?\d+) (ok|bad)$", re.M)

passed = failed = 0


def ok(name):
    global passed
    passed += 1
    print(f"ok {name}", flush=True)


def fail(name, why):
    global failed
    failed += 1
    print(f"FAIL {name}: {why}", flush=True)


def kill_qemu(con):
    """SIGKILL QEMU, then take all it printed before it died."""
    p = con.proc
    if p and p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait(10)
    end = time.monotonic() + 10
    while not con.eof and time.monotonic() < end:
        con._pump(1)
    con.close()


def check(con, synced, maybe_gone, round_no):
    """Run fscrash check; every synced file must be there with its size,
    except one whose unlink may have happened without being reported."""
    name = f"round {round_no}: synced files intact"
    out = con.run_command("fscrash check", timeout=120)
    if "check done" not in out:
        fail(name, "no 'check done':\n" + out[-2000:])
        return
    have = {int(m.group(1)): (int(m.group(2)), m.group(3)) for m in HAVE.finditer(out)}
    bad = [f"f{n}" for n, (_, v) in have.items() if v != "ok"]
    for n in [n for n in synced if n not in have and n in maybe_gone]:
        del synced[n]
    missing = [f"f{n}" for n, size in synced.items()
               if n not in have or have[n][0] != size]
    if bad or missing:
        fail(name, f"wrong data in {bad[:10]}, missing or short {missing[:10]} "
                   f"(of {len(synced)} synced); the check said:\n{out[-1500:]}")
    else:
        ok(f"{name} ({len(synced)} files)")


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    kernel = Path(args[0])
    smp = int(args[args.index("--smp") + 1]) if "--smp" in args else 4
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else random.randrange(1 << 30)
    crashes = int(args[args.index("--crashes") + 1]) if "--crashes" in args else 20
    print(f"seed {seed} (replay: fs_crash.py {kernel} --smp {smp} --seed {seed})", flush=True)
    rng = random.Random(seed)
    build = kernel.resolve().parent.parent
    image, fsck = build / "fs.img", build / "fsck"
    if not kernel.is_file() or not image.is_file() or not fsck.is_file():
        fail("set-up", f"need {kernel}, {image} and {fsck} (build first)")
        print(f"{passed} passed, {failed} failed")
        return 1
    deadline = time.monotonic() + LIMIT
    synced = {}  # file number -> size, as reported synced (and not unlinked)
    maybe_gone = set()  # files the writer may have begun to unlink
    start = 0
    with tempfile.TemporaryDirectory(prefix="pagoda-crash-") as tmp:
        disk = os.path.join(tmp, "crash.img")
        shutil.copyfile(image, disk)
        for r in range(crashes + 1):
            if time.monotonic() > deadline - 30:
                fail("time", f"out of time after {r} rounds")
                break
            con = Console(qemu_argv(kernel=kernel, smp=smp, drive=disk),
                          limit=deadline - time.monotonic())
            con.start()
            try:
                con.wait_prompt(timeout=BOOT_LIMIT)
                check(con, synced, maybe_gone, r)
                if r == crashes:
                    con.halt()
                    break
                con.send(f"fscrash write {start}\n")
                con.expect(SYNCED, timeout=60)
                time.sleep(rng.uniform(0.0, 2.5))
            except ConsoleError as e:
                fail(f"round {r}", f"{type(e).__name__}: {e}; output:\n{con.transcript[-2000:]}")
                kill_qemu(con)
                break
            kill_qemu(con)
            out = con.transcript
            if "-v" in args:
                print(out[-1500:])
            for m in SYNCED.finditer(out):
                n = int(m.group(1))
                if n >= start:
                    synced[n] = int(m.group(2))
                    if n % 3 == 0:
                        maybe_gone.add(n - 5)
            for m in UNLINKED.finditer(out):
                synced.pop(int(m.group(1)), None)
            # a file being rewritten when the power went may hold anything
            # of its new size; the next run starts after the last number seen
            nums = [int(m.group(1)) for m in SYNCED.finditer(out)]
            start = max(nums + [start]) + 2
            res = subprocess.run([str(fsck), disk], capture_output=True, text=True)
            if res.returncode == 0:
                ok(f"crash {r + 1}: fsck clean")
            else:
                fail(f"crash {r + 1}: fsck", (res.stdout + res.stderr)[-2000:])
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
