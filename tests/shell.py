#!/usr/bin/env python3
"""The shell and the programs in /bin, driven through the serial console:
each case types lines at sh's prompt and compares what they print, exactly,
with what a Unix shell would print. Covers quoting, ';', '$?', errors,
sh -c, scripts, pipelines (also long ones), '<', '>', '>>', cd and relative
paths, background jobs with wait, the history keys, help, and the coreutils'
messages. The disk image (build/fs.img) is used with snapshot=on, so
nothing persists.

    python3 tests/shell.py [KERNEL] [--smp N] [--timeout S] [--only NAME...]
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from console import Console, DEFAULT_DRIVE, guest_test_args, qemu_argv  # noqa: E402

UP, DOWN = "\x1b[A", "\x1b[B"


class Typed(str):
    """Keys sent all at once, without waiting for the echo or a prompt
    in between: the result is everything up to the next prompt."""
NOENT = "ENOENT (no such file or directory)"

# (name, [(line typed, expected output)]). An expected str must equal the
# output exactly; an re.Pattern must match all of it.
CASES = [
    ("quoting", [
        ("echo 'a  b' \"c  d\" e\\ f 'x\"y' \"p'q\"", "a  b c  d e f x\"y p'q\n"),
        ("echo '$?' \"[$?]\" x$?y", "$? [0] x0y\n"),
        ("echo a#b # a comment", "a#b\n"),
    ]),
    ("status", [
        ("false; echo $?; true; echo $?", "1\n0\n"),
        ("sh -c 'exit 7'; echo $?", "7\n"),
    ]),
    ("errors", [
        ("nosuch; echo $?", "sh: nosuch: not found\n127\n"),
        ("/bin/nosuch", "sh: /bin/nosuch: not found\n"),
        ("echo a | | b; echo $?", "sh: syntax error near '|'\n"),
        ("echo $?", "2\n"),
        ("echo \"abc", "sh: syntax error: unterminated quote\n"),
        ("echo a >", "sh: syntax error near 'end of line'\n"),
        ("cat < nosuch; echo $?", f"sh: nosuch: {NOENT}\n1\n"),
        ("cd nosuch", f"sh: cd: nosuch: {NOENT}\n"),
        ("./README", "sh: ./README: ENOEXEC (not an executable)\n"),
    ]),
    ("sh_c", [
        ("sh -c 'echo in; exit 3'; echo $?", "in\n3\n"),
        ("sh -c 'echo a | cat'", "a\n"),
        ("sh -x", "usage: sh [-c line | script]\n"),
    ]),
    ("redirection", [
        ("echo hello > out; echo more >> out; cat < out", "hello\nmore\n"),
        ("wc < out", "2 2 11\n"),
        ("echo new > out; cat out", "new\n"),
        ("> empty; wc empty", "0 0 0 empty\n"),
        ("cat < out > copy; cat copy", "new\n"),
        ("rm out copy empty; cat out", f"cat: out: {NOENT}\n"),
    ]),
    ("pipelines", [
        ("echo one > f; echo two >> f; echo three >> f", ""),
        ("cat f | grep t | wc", "2 2 10\n"),
        ("cat f | cat | cat | cat | cat | cat | cat | cat | grep o", "one\ntwo\n"),
        ("grep e < f | wc > n; cat n", "2 2 10\n"),
        ("echo x | nosuch | wc", "sh: nosuch: not found\n0 0 0\n"),
        ("cat f | false; echo $?", "1\n"),
        ("rm f n", ""),
    ]),
    ("cd", [
        ("mkdir d; cd d; echo in d > f; ls", ".\n..\nf\n"),
        ("cat ../d/f; cd ..; cat d/f", "in d\nin d\n"),
        ("cd d; mkdir e; cd e; cd ../..; ls d", ".\n..\nf\ne\n"),
        ("rmdir d/e; rm d/f; rmdir d; ls d", f"ls: d: {NOENT}\n"),
    ]),
    ("background", [
        ("sh -c 'sleep 30; echo late > bg' &", re.compile(r"\[\d+\]\n")),
        ("cat bg", f"cat: bg: {NOENT}\n"),
        ("wait; cat bg; rm bg", "late\n"),
        ("sleep 10 & sleep 10 & wait; echo both", re.compile(r"\[\d+\]\n\[\d+\]\nboth\n")),
    ]),
    ("script", [
        ("echo 'echo a; false' > s; echo 'echo $?' >> s; echo 'exit 4' >> s", ""),
        ("sh s; echo $?", "a\n1\n4\n"),
        ("sh < s; echo $?", "a\n1\n4\n"),
        ("sh nosuch", f"sh: nosuch: {NOENT}\n"),
        ("echo 'echo piped; echo $?' | sh", "piped\n0\n"),
        ("rm s", ""),
    ]),
    ("history", [
        ("echo first", "first\n"),
        ("echo second", "second\n"),
        (UP + UP, "first\n"),
        (UP + UP + DOWN, "first\n"),
        (UP + UP + UP + UP + DOWN + DOWN + DOWN + DOWN, ""),
        ("echo abc\x7f\x7fxy", "axy\n"),
        ("echo gone\x15echo kept", "kept\n"),
    ]),
    ("typeahead", [
        (Typed("cat\ntyped ahead\n\x04"), "cat\ntyped ahead\ntyped ahead\n"),
    ]),
    ("help", [
        ("help | grep built-ins", "built-ins: cd [dir], exit [status], wait, help, history\n"),
        ("help | grep -c; echo $?", "usage: grep pattern [file...]\n2\n"),
        ("help | grep '^  .*sh'", re.compile(r"(  .*\n)+")),
    ]),
    ("coreutils", [
        ("echo abc > a; cp a b; mv b c; ln c d; cat d", "abc\n"),
        ("ls -l a", re.compile(r"- +1 +\d+ +4 a\n")),
        ("ls -l d", re.compile(r"- +2 +\d+ +4 d\n")),
        ("ls -l /console", re.compile(r"c +1 +\d+ +0 /console\n")),
        ("rm a c d; ls c", f"ls: c: {NOENT}\n"),
        ("touch t; wc t; rm t", "0 0 0 t\n"),
        ("mkdir m; mv m n; rmdir n; rmdir n", f"rmdir: n: {NOENT}\n"),
        ("mkdir e; echo hi > f; cp f e; echo ho > h; mv h e; cat e/f e/h; ls h",
         f"hi\nho\nls: h: {NOENT}\n"),
        ("rm f e/f e/h; rmdir e; ls e", f"ls: e: {NOENT}\n"),
        ("mkdir q; touch q/x; rmdir q", "rmdir: q: ENOTEMPTY (directory not empty)\n"),
        ("rm q/x; rmdir q; rm", "usage: rm path...\n"),
        ("grep '^e.h*o$' /bin/nosuch", f"grep: /bin/nosuch: {NOENT}\n"),
        ("echo eo > g; echo ehhho >> g; echo eho. >> g; grep '^e.h*o$' g; rm g", "ehhho\n"),
        ("kill x", "usage: kill pid...\n"),
        ("kill 9999", "kill: 9999: ESRCH (no such process)\n"),
        ("sync; echo $?", "0\n"),
        ("stressfs -p 4 -k 16", "stressfs: 4 writers of 16 KiB, 0 failed\n"),
        ("ls /bin | grep '^sh$'", "sh\n"),
        ("mkdir r; mkdir r/x; touch r/x/y; find r y; find r", "r/x/y\nr\nr/x\nr/x/y\n"),
        ("find r/ x; rm r/x/y; rmdir r/x r; find / sh", "r/x\n/bin/sh\n"),
    ]),
]


def readme_case():
    """`cat README | grep x | wc`, the expected counts taken from the file
    the image's /README is made from (CMakeLists.txt: README.md)."""
    lines = (ROOT / "README.md").read_bytes().split(b"\n")
    hits = [ln for ln in lines if b"x" in ln]
    text = b"".join(ln + b"\n" for ln in hits)
    want = f"{len(hits)} {len(text.split())} {len(text)}\n"
    return ("readme", [("cd /; cat README | grep x | wc", want),
                       ("grep x < README | wc", want)])


CASES.append(readme_case())


def show(text):
    return repr(text) if isinstance(text, str) else f"/{text.pattern}/"


def main():
    ap = guest_test_args(300)
    ap.add_argument("--drive", default=str(DEFAULT_DRIVE))
    ap.add_argument("--only", nargs="*", help="run only these cases")
    args = ap.parse_args()
    drive = args.drive if pathlib.Path(args.drive).is_file() else None
    argv = qemu_argv(kernel=args.kernel, smp=args.smp, drive=drive, snapshot=True)
    passed = failed = 0
    try:
        with Console(argv, limit=args.timeout, live=None) as con:
            con.wait_prompt()
            for name, steps in CASES:
                if args.only and name not in args.only:
                    continue
                why = None
                for line, want in steps:
                    if isinstance(line, Typed):
                        con.send(line)
                        got = con.wait_prompt(timeout=60)
                    else:
                        got = con.run_command(line, timeout=60)
                    ok = got == want if isinstance(want, str) else want.fullmatch(got)
                    if not ok and why is None:
                        why = f"{line!r}: expected {show(want)}, got {got!r}"
                if why is None:
                    print(f"ok {name}")
                    passed += 1
                else:
                    print(f"FAIL {name}: {why}")
                    failed += 1
            con.halt("0")
    except Exception as e:  # timeout, panic, QEMU gone: say so and fail
        print(f"FAIL shell: {e}")
        failed += 1
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
