#!/usr/bin/env python3
"""tools/lab grade keeps going after a broken case (docs/labs/README.md).

    python3 tests/labs/grade_isolation.py KERNEL

Grades a made-up lab on the real kernel: a case that outlives its time
limit (all of ktest in 1.5 s) must score zero, and the cases after it must
still run, on a fresh boot, and score; the exit status must say "not full
marks". Prints "ok NAME" / "FAIL NAME: why" and "N passed, M failed".
"""

import contextlib
import importlib.machinery
import importlib.util
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
loader = importlib.machinery.SourceFileLoader("lab", str(ROOT / "tools" / "lab"))
spec = importlib.util.spec_from_loader("lab", loader)
lab = importlib.util.module_from_spec(spec)
loader.exec_module(lab)


def main():
    kernel = sys.argv[1]
    made_up = lab.Lab("isolation", "test", [
        lab.Case("ktest", 5, timeout=1.5),
        lab.Case("pgtbltest ugetpid", 5),
        lab.Case("sysinfotest sysinfo_basic", 7),
    ])
    lab.LABS.append(made_up)
    lab.BY_NAME[made_up.name] = made_up
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = lab.main(["grade", made_up.name, "--kernel", kernel])
    text = out.getvalue()
    sys.stdout.write(text)
    checks = [
        ("hang_scores_zero", "[1/3] ktest: FAIL 0/5" in text),
        ("next_case_runs", "[2/3] pgtbltest ugetpid: ok 5/5" in text),
        ("last_case_runs", "[3/3] sysinfotest sysinfo_basic: ok 7/7" in text),
        ("total", "Score: 12/17" in text),
        ("exit_status", rc == 1),
    ]
    failed = 0
    for name, ok in checks:
        print(f"ok {name}" if ok else f"FAIL {name}")
        failed += not ok
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
