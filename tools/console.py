#!/usr/bin/env python3
"""Drive the Pagoda serial console under QEMU.

Modes:
  (default)       interactive: QEMU runs on this terminal (Ctrl-A X quits).
  -c COMMANDS     boot, type COMMANDS at the shell (each newline-separated
                  line on its own, waiting for the prompt), print what they
                  printed, then `halt $?` and exit with the guest's status.
                  Exit codes: the guest status, 124 timeout, 125 kernel
                  panic, 1 driver error (QEMU died, no kernel...), 2 usage.
  -c ... --summary
                  test mode (ctest): show the whole console live; exit 0 only
                  if "P passed, F failed" lines appeared with F == 0, P > 0,
                  and there was no panic and no timeout; else exit 1.

Guest protocol: the shell prompt is "$ " (no newline), typed characters are
echoed, "panic: ..." starts a kernel panic line, and power-off prints
"pagoda: power off (status N)" before QEMU exits by itself.

`--qemu-cmd 'SHELL COMMAND'` (hidden) replaces the QEMU command line; it is
for testing this driver against a fake guest.

As a module:
    from console import Console, qemu_argv
    with Console(qemu_argv(kernel="build/riscv/pagoda.elf"), limit=120) as con:
        con.wait_prompt()
        print(con.run_command("ls"))
        status = con.halt()
"""

import argparse
import codecs
import ctypes
import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KERNEL = ROOT / "build" / "riscv" / "pagoda.elf"
# PAGODA_DRIVE (set by ctest): the disk image of the build under test, so a
# variant build (build/matrix/..., tools/compare) boots its own programs;
# "none" = no disk at all.
_env_drive = os.environ.get("PAGODA_DRIVE", "")
DEFAULT_DRIVE = Path(_env_drive) if _env_drive not in ("", "none") else ROOT / "build" / "fs.img"
FIRMWARE = Path("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin")

# The prompt has no newline, and "$ " may also occur inside output, so it only
# counts at the very end of the output once the guest has gone quiet.
PROMPT = re.compile(r"\$ \Z")
PROMPT_SETTLE = 0.1
PANIC = re.compile(r"(?:\A|\n)panic:")
PANIC_GRACE = 1.0  # keep reading this long after a panic, for the backtrace
POWER_OFF = re.compile(r"^pagoda: power off \(status (-?\d+)\)", re.M)
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$", re.M)


class ConsoleError(Exception):
    pass


class Timeout(ConsoleError):
    pass


class Panic(ConsoleError):
    pass


class Exited(ConsoleError):
    """QEMU closed its output (exited) before the expected text appeared."""


def qemu_argv(kernel=DEFAULT_KERNEL, smp=4, mem="128M", drive=None,
              icount=False, gdb=False, append=None, snapshot=False):
    fw = str(FIRMWARE) if FIRMWARE.is_file() else "default"
    argv = ["qemu-system-riscv64", "-machine", "virt", "-cpu", "rv64",
            "-m", mem, "-smp", "1" if icount else str(smp), "-nographic",
            "-bios", fw, "-kernel", str(kernel),
            "-global", "virtio-mmio.force-legacy=false"]
    if drive:
        # QEMU option values escape "," by doubling it.
        # snapshot=on: writes go to a temporary overlay, the image is unchanged
        snap = ",snapshot=on" if snapshot else ""
        argv += ["-drive", f"file={str(drive).replace(',', ',,')},if=none,format=raw,id=hd0{snap}",
                 "-device", "virtio-blk-device,drive=hd0"]
    if icount:
        argv += ["-icount", "shift=0,sleep=off"]
    if gdb:
        argv += ["-s", "-S"]
    if append:
        argv += ["-append", append]
    return argv


def _die_with_parent():
    # Runs in the child before exec: if this driver is SIGKILLed (e.g. by a
    # test harness), the kernel kills QEMU too instead of leaving it running.
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Console:
    """A QEMU process whose serial console is read and typed into.

    `limit` is an overall time limit in seconds counted from start(); every
    wait also honours its own `timeout`. Output is kept with "\\r" removed;
    `live` and `log` (text streams) get a copy of it as it arrives.
    """

    def __init__(self, argv, limit=None, live=None, log=None):
        self.argv = list(argv)
        self.limit = limit
        self.live = live
        self.log = log
        self.check_panic = True  # turn off to expect() a panic on purpose
        self.buf = ""  # output not yet consumed by expect()
        self.before = ""  # after expect(): text before the match
        self.match = None  # after expect(): the re.Match
        self.panicked = False
        self.eof = False
        self.proc = None
        self._chunks = []  # the whole transcript, joined on demand
        self._tail = ""
        self._queue = queue.Queue()
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._deadline = None

    def __enter__(self):
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def transcript(self):
        """Everything the guest printed so far."""
        return "".join(self._chunks)

    def start(self):
        # A session of its own: Ctrl-C on our terminal reaches only us, and
        # close() can kill QEMU with everything it started.
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent)
        if self.limit:
            self._deadline = time.monotonic() + self.limit
        threading.Thread(target=self._reader, daemon=True).start()
        return self

    def _reader(self):
        fd = self.proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            self._queue.put(data)  # b"" marks the end
            if not data:
                return

    def _pump(self, timeout):
        """Wait up to `timeout` s (None: forever) for output; True if any came."""
        if self.eof:
            return False
        try:
            data = [self._queue.get(timeout=None if timeout is None else max(timeout, 0))]
        except queue.Empty:
            return False
        while data[-1]:  # take whatever else is queued, in one go
            try:
                data.append(self._queue.get_nowait())
            except queue.Empty:
                break
        if not data[-1]:
            self.eof = True
        text = self._decoder.decode(b"".join(data), final=self.eof).replace("\r", "")
        if not text:
            return False
        self._chunks.append(text)
        self.buf += text
        for stream in (self.live, self.log):
            if stream:
                stream.write(text)
                stream.flush()
        # _tail is the start of the unfinished last line, so "panic:" split
        # across reads is still seen at the start of its line.
        scan = self._tail + text
        if PANIC.search(scan):
            self.panicked = True
        self._tail = scan[scan.rfind("\n") + 1:][:len("panic:")]
        return True

    def _end(self, timeout):
        """Absolute deadline for a wait of `timeout` s, within the overall limit."""
        ends = [t for t in (self._deadline,
                            None if timeout is None else time.monotonic() + timeout)
                if t is not None]
        return min(ends) if ends else None

    def _raise_if_panicked(self):
        if not (self.panicked and self.check_panic):
            return
        grace = time.monotonic() + PANIC_GRACE
        while not self.eof and time.monotonic() < grace:
            self._pump(grace - time.monotonic())
        raise Panic("kernel panic")

    def _expect(self, rx, end, settle=0.0, what=None):
        while True:
            self._raise_if_panicked()
            m = rx.search(self.buf)
            if m and settle and self._pump(settle):
                continue  # more output: the match may no longer hold
            if m:
                self._raise_if_panicked()
                self.before, self.match = self.buf[:m.start()], m
                text, self.buf = self.buf[:m.end()], self.buf[m.end():]
                return text
            if self.eof:
                raise Exited(f"QEMU exited (status {self.exit_status()}) "
                             f"while waiting for {what or repr(rx.pattern)}")
            left = None if end is None else end - time.monotonic()
            if left is not None and left <= 0:
                raise Timeout(f"timeout waiting for {what or repr(rx.pattern)}")
            self._pump(left)

    def expect(self, pattern, timeout=None, settle=0.0):
        """Wait for `pattern` (a str is literal, an re.Pattern a regex) in the
        output not yet consumed; consume and return the text up to and
        including the match (self.before / self.match are set as well).
        With `settle`, the match must still hold after `settle` s of quiet."""
        rx = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern))
        return self._expect(rx, self._end(timeout), settle)

    def send(self, text):
        # Small writes: QEMU only takes from the pipe what the UART can hold.
        data = text.encode()
        try:
            for i in range(0, len(data), 16):
                self.proc.stdin.write(data[i:i + 16])
                self.proc.stdin.flush()
        except (BrokenPipeError, ValueError) as e:
            raise Exited(f"QEMU exited (status {self.exit_status()}) while typing") from e

    def wait_prompt(self, timeout=None):
        """Wait for the shell prompt; return what was printed before it."""
        self._expect(PROMPT, self._end(timeout), PROMPT_SETTLE, "the shell prompt")
        return self.before

    def run_command(self, line, timeout=None):
        """Type `line` at the prompt (which must have been consumed); return
        its output: everything between the echo of the line and the next prompt."""
        end = self._end(timeout)
        self.send(line + "\n")
        self._expect(re.compile("\n"), end, what="the echo of the command")
        self._expect(PROMPT, end, PROMPT_SETTLE, "the shell prompt")
        return self.before

    def halt(self, status="$?", timeout=None):
        """At the prompt: power off via `halt`; return the status QEMU reported."""
        end = self._end(timeout)
        self.send(f"halt {status}\n")
        self._expect(POWER_OFF, end, what="the power-off line")
        code = int(self.match.group(1))
        left = 10 if end is None else end - time.monotonic()
        self.wait_exit(min(10, max(left, 0)))
        return code

    def wait_exit(self, timeout=None):
        """Read output until QEMU exits; return its exit code (None if still running)."""
        end = self._end(timeout)
        while not self.eof and (end is None or time.monotonic() < end):
            self._pump(None if end is None else end - time.monotonic())
        return self.exit_status(None if end is None else max(end - time.monotonic(), 0))

    def exit_status(self, wait=1.0):
        try:
            return self.proc.wait(wait)
        except subprocess.TimeoutExpired:
            return None

    def close(self):
        """Kill QEMU (its whole process group) if it still runs."""
        p = self.proc
        if p is None:
            return
        if p.poll() is None:
            for sig, wait in ((signal.SIGTERM, 2), (signal.SIGKILL, 5)):
                try:
                    os.killpg(p.pid, sig)
                    p.wait(wait)
                    break
                except ProcessLookupError:
                    break
                except subprocess.TimeoutExpired:
                    pass
        for f in (p.stdin, p.stdout):
            try:
                f.close()
            except OSError:
                pass


def boot_to_summary(argv, timeout, name, must_see=None):
    """For scripts that boot a machine whose program runs by itself (e.g. one
    that init spawns): wait for its "P passed, F failed" line, pass only if
    P > 0 and F == 0 (and must_see, if given, came before it), print this
    script's own summary line and return its exit status."""
    ok = False
    try:
        with Console(argv, limit=timeout, live=sys.stdout) as con:
            con.expect(re.compile(r"(\d+) passed, (\d+) failed"), timeout)
            ok = int(con.match.group(1)) > 0 and int(con.match.group(2)) == 0
            if ok and must_see and must_see not in con.before:
                print(f"\n{name}: no '{must_see}' before the summary")
                ok = False
    except Exception as e:  # timeout, panic, QEMU gone: a failure, said plainly
        print(f"\n{name}: {e}")
    print(f"\n{1 if ok else 0} passed, {0 if ok else 1} failed")
    return 0 if ok else 1


def guest_test_args(timeout, description=None):
    """The arguments every tests/*.py that boots the kernel takes: the
    kernel (default: the build's), --smp (default 1) and --timeout; a script
    adds its own before parse_args()."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("kernel", nargs="?", default=str(DEFAULT_KERNEL))
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=timeout, help="seconds for everything")
    return ap


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="console.py",
        description="Boot Pagoda under QEMU and drive its serial console.",
        epilog="Without -c QEMU runs interactively: Ctrl-A X quits it. "
               "Exit status with -c: the guest's (halt $?), 124 timeout, "
               "125 kernel panic, 1 driver error; with --summary: 0 or 1.")
    ap.add_argument("--kernel", default=str(DEFAULT_KERNEL),
                    help="kernel ELF (default: build/riscv/pagoda.elf)")
    ap.add_argument("--smp", type=int, default=4, metavar="N", help="harts (default 4)")
    ap.add_argument("--mem", default="128M", help="guest memory (default 128M)")
    ap.add_argument("--icount", action="store_true",
                    help="one hart, deterministic: -smp 1 -icount shift=0,sleep=off")
    ap.add_argument("--gdb", action="store_true",
                    help="stop at the first instruction and wait for a debugger on :1234")
    ap.add_argument("--timeout", type=float, metavar="SEC",
                    help="kill QEMU after SEC s (default 300 with -c, none "
                         "interactively or with --gdb; 0 = none)")
    ap.add_argument("--drive", metavar="IMG",
                    help="disk image for virtio-blk (default build/fs.img if it "
                         "exists; '' = none)")
    ap.add_argument("--persist", action="store_true",
                    help="let the guest write the disk image (default: snapshot=on, "
                         "writes are discarded, so tests never change build/fs.img)")
    ap.add_argument("-c", dest="commands", metavar="COMMANDS",
                    help="shell command line(s) to run, then power off")
    ap.add_argument("--summary", action="store_true",
                    help="test mode (needs -c): show all output, pass only on "
                         "'N passed, 0 failed' without panic or timeout")
    ap.add_argument("--log", metavar="FILE", help="copy of all console output (needs -c)")
    ap.add_argument("--print-cmd", action="store_true",
                    help="print the QEMU command line and exit")
    ap.add_argument("--append", metavar="ARGS",
                    help="kernel boot arguments, e.g. 'vmprint-init' (docs/pagetables.md)")
    ap.add_argument("--qemu-cmd", metavar="CMD", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.smp < 1:
        ap.error("--smp must be at least 1")
    if args.timeout is not None and args.timeout < 0:
        ap.error("--timeout must not be negative")
    if args.commands is None and (args.summary or args.log):
        ap.error("--summary and --log need -c")
    if args.timeout is None:
        args.timeout = 0 if args.commands is None or args.gdb else 300
    if args.drive is None and os.environ.get("PAGODA_DRIVE") == "none":
        args.drive = ""  # set by ctest for suites that must run without a disk
    if args.drive is None and DEFAULT_DRIVE.is_file():
        args.drive = str(DEFAULT_DRIVE)
    return args


def say(msg, stream=sys.stderr):
    stream.write(f"console: {msg}\n")
    stream.flush()


def interactive(argv, args):
    say("Ctrl-A X quits QEMU, Ctrl-A H lists the other keys")
    if not args.timeout:
        os.execvp(argv[0], argv)
    # QEMU must stay in our session to own the terminal.
    p = subprocess.Popen(argv)
    try:
        return p.wait(args.timeout)
    except subprocess.TimeoutExpired:
        say(f"timeout after {args.timeout:g} s")
        return 124
    finally:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def run_commands(argv, args):
    lines = [line for line in args.commands.split("\n") if line.strip()]
    log = open(args.log, "w", encoding="utf-8") if args.log else None
    con = Console(argv, limit=args.timeout or None,
                  live=sys.stdout if args.summary else None, log=log)
    status = why = None
    code = 1
    try:
        con.start()
        con.wait_prompt()
        for line in lines:
            out = con.run_command(line)
            if not args.summary:
                sys.stdout.write(out)
                sys.stdout.flush()
        status = con.halt()
        if con.exit_status(0) is None:
            say("QEMU did not exit after power-off; killed it")
    except Timeout:
        why, code = f"timeout after {args.timeout:g} s", 124
    except Panic:
        why, code = "kernel panic", 125
    except Exited as e:
        m = POWER_OFF.search(con.transcript)  # a command may power off by itself
        if m:
            status = int(m.group(1))
        else:
            why = str(e)
    finally:
        con.close()
        if log:
            log.close()

    transcript = con.transcript
    if args.summary:
        if why is None and con.panicked:
            why = "kernel panic"
        if why is None:
            counts = [(int(p), int(f)) for p, f in SUMMARY.findall(transcript)]
            passed = sum(p for p, _ in counts)
            failed = sum(f for _, f in counts)
            if not counts:
                why = "no summary line"
            elif failed:
                why = f"{failed} failed"
            elif not passed:
                why = "nothing passed"
        if transcript and not transcript.endswith("\n"):
            sys.stdout.write("\n")
        if why:
            say(why, sys.stdout)
            return 1
        say(f"ok, {passed} passed", sys.stdout)
        return 0

    if why:
        # Nothing but the commands' output went to stdout; show it all.
        sys.stderr.write(transcript)
        if transcript and not transcript.endswith("\n"):
            sys.stderr.write("\n")
        say(why)
        return code
    return status if 0 <= status <= 255 else 1


def main(argv=None):
    args = parse_args(argv)
    if args.qemu_cmd:
        qemu = ["sh", "-c", args.qemu_cmd]
    else:
        qemu = qemu_argv(args.kernel, args.smp, args.mem, args.drive,
                         args.icount, args.gdb, args.append, not args.persist)
    if args.print_cmd:
        print(args.qemu_cmd or shlex.join(qemu))
        return 0
    if not args.qemu_cmd and not Path(args.kernel).is_file():
        say(f"no kernel at {args.kernel} (build first: cmake --build build)")
        return 1
    if args.gdb:
        say("QEMU waits for a debugger on localhost:1234. In another terminal, type:\n"
            "  tools/gdb\n"
            "(gdb-multiarch with the kernel's symbols, connected; docs/debugging.md)")
    if args.commands is None:
        return interactive(qemu, args)
    # Turn termination into an exception so QEMU is killed on the way out.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))
    try:
        return run_commands(qemu, args)
    except KeyboardInterrupt:
        say("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
