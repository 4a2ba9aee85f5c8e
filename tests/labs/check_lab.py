#!/usr/bin/env python3
"""One lab, end to end (docs/labs/README.md): its starter and its solution.

    python3 tests/labs/check_lab.py NAME --kernel KERNEL --work DIR [--smp N]

  1. `tools/lab start NAME DIR/NAME` writes the starter tree;
  2. no marker is left in its sources, and what the cut touched is formatted;
  3. the starter builds (warnings are errors in every build) and boots to
     the shell;
  4. `tools/lab grade` in the starter scores less than full marks: the stubs
     really fail the grader;
  5. `tools/lab grade NAME --kernel KERNEL` (the full tree) scores full marks.

Prints "ok NAME" / "FAIL NAME: why" per step and "N passed, M failed" last;
exits 1 on any failure.
"""

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
MARKER = re.compile(r"/\*\s*LAB\b")
SCORE = re.compile(r"^Score: (\d+)/(\d+)$", re.M)

passed = failed = 0


def report(name, problem=None, output=""):
    global passed, failed
    if problem:
        failed += 1
        print(f"FAIL {name}: {problem}")
        if output:
            print("---- output ----\n" + output[-3000:] + "\n----------------")
    else:
        passed += 1
        print(f"ok {name}")
    sys.stdout.flush()


def run(argv, timeout, cwd=None):
    try:
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=timeout, cwd=cwd)
        return r.returncode, r.stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        return None, out + f"\n(timed out after {timeout} s)"


def score(out):
    m = SCORE.search(out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--kernel", required=True, help="the full tree's kernel")
    ap.add_argument("--work", required=True, help="folder for the starter tree")
    ap.add_argument("--smp", type=int, default=2)
    args = ap.parse_args()
    name = args.name
    starter = Path(args.work).resolve() / name
    shutil.rmtree(starter, ignore_errors=True)

    rc, out = run([sys.executable, str(ROOT / "tools/lab"), "start", name, str(starter)], 120)
    report(f"{name}_start", None if rc == 0 else f"tools/lab start: exit {rc}", out)
    if rc != 0:
        return finish()

    left, cut = [], []
    for path in starter.rglob("*"):
        if path.suffix in (".c", ".h", ".S") and ".git" not in path.parts:
            text = path.read_text(errors="replace")
            if MARKER.search(text):
                left.append(str(path.relative_to(starter)))
            if MARKER.search((ROOT / path.relative_to(starter)).read_text(errors="replace")):
                cut.append(str(path))
    report(f"{name}_no_markers_left", f"markers left in {', '.join(left)}" if left else None)
    fmt = shutil.which("clang-format")
    if fmt and cut:
        rc, out = run([fmt, "--dry-run", "-Werror", *cut], 60)
        report(f"{name}_starter_formatted", None if rc == 0 else "clang-format differs", out)

    build = starter / "build"
    rc, out = run([sys.executable, str(starter / "tools/lab"), "grade", "--smp", str(args.smp),
                   "--build-dir", str(build)], 1500, cwd=starter)
    # the grader's kernel: build/, or a folder of its own when the lab grades
    # other settings than the starter's (kpt: perproc; the starter runs global)
    m = re.search(r"^lab: grading \S+ on (\S+) ", out, re.M)
    kernel = Path(m.group(1)) if m else build / "riscv" / "pagoda.elf"
    report(f"{name}_starter_builds", None if kernel.is_file() else "no kernel built", out)
    own = build / "riscv" / "pagoda.elf"
    if kernel.is_file() and kernel != own:  # the starter as a student runs it
        brc, bout = run(["bash", "-c", f'cmake -S "{starter}" -B "{build}" -G Ninja && '
                         f'cmake --build "{build}" --target riscv'], 1500)
        report(f"{name}_starter_default_builds", None if brc == 0 else f"exit {brc}", bout)
    if kernel.is_file():
        got = score(out)
        for line in out.splitlines():  # the starter's grade, for the log
            if line.startswith("[") or line.startswith("Score:"):
                print(f"  # starter: {line}")
        report(f"{name}_starter_fails_grade",
               "no Score line" if got is None else
               (f"starter scored full marks {got[0]}/{got[1]}" if got[0] >= got[1] or rc == 0
                else None), out)
        brc, bout = run([sys.executable, str(ROOT / "tools/console.py"), "--kernel", str(own),
                         "--smp", str(args.smp), "--timeout", "60", "-c", "echo starter-boots"],
                        90)
        report(f"{name}_starter_boots",
               None if brc == 0 and "starter-boots" in bout.splitlines() else f"console.py exit {brc}", bout)

    rc, out = run([sys.executable, str(ROOT / "tools/lab"), "grade", name, "--smp",
                   str(args.smp), "--kernel", args.kernel], 900)
    got = score(out)
    report(f"{name}_solution_full_marks",
           None if rc == 0 and got and got[0] == got[1] else f"exit {rc}, score {got}", out)
    if passed and not failed:
        shutil.rmtree(starter, ignore_errors=True)
    return finish()


def finish():
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
