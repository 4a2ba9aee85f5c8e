#!/usr/bin/env python3
"""Host test of tools/lab on small made-up trees: the cut (stubs in, markers
out, other labs' solutions kept), and every refusal of `start` (unknown lab,
non-empty target, broken markers) and of `check`, each with its message.
Prints "ok NAME" / "FAIL NAME: why" and "N passed, M failed"."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hostcheck import check, load_tool, summary  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
lab = load_tool("lab")
NAMES = [x.name for x in lab.LABS]


def region(name, solution, stub):
    return (f"    /* LAB {name} BEGIN */\n    {solution}\n    /* LAB STUB\n    {stub}\n    */\n"
            f"    /* LAB END */\n")


def make_tree(top, body):
    """A tree with tools/lab, a handout per lab and one marked C file."""
    (top / "tools").mkdir(parents=True)
    shutil.copy2(ROOT / "tools" / "lab", top / "tools" / "lab")
    (top / "docs" / "labs").mkdir(parents=True)
    for n in NAMES:
        (top / "docs" / "labs" / f"{n}.md").write_text(f"# {n}\n")
    (top / "k.c").write_text("int f(void)\n{\n" + body + "    return 0;\n}\n")
    (top / "notes.txt").write_text("/* LAB nonsense in a text file is not a marker */\n")


def lab_cmd(top, *argv):
    r = subprocess.run([sys.executable, str(top / "tools" / "lab"), *argv], capture_output=True,
                       text=True, cwd=top)
    return r.returncode, r.stdout + r.stderr


def main():
    good = "".join(region(n, f"solution_{n.replace('-', '_')}();", f"stub_{n}();") for n in NAMES)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        top = tmp / "good"
        make_tree(top, good)
        rc, out = lab_cmd(top, "check")
        check("check_good_tree", rc == 0 and "all balanced" in out, out)

        target = NAMES[1]
        rc, out = lab_cmd(top, "start", target, str(tmp / "s"))
        text = (tmp / "s" / "k.c").read_text() if (tmp / "s" / "k.c").exists() else ""
        check("start_writes_tree", rc == 0 and (tmp / "s" / ".git").is_dir() and
              (tmp / "s" / "LAB.md").read_text() == f"# {target}\n", out)
        check("start_stubs_the_lab", f"stub_{target}();" in text and
              f"solution_{target}" not in text, text)
        others = [n for n in NAMES if n != target and n not in lab.stubbed_labs(target)]
        check("start_keeps_other_solutions",
              all(f"solution_{n.replace('-', '_')}();" in text and f"stub_{n}();" not in text
                  for n in others), text)
        check("start_removes_markers", "LAB" not in text, text)

        # Dependents are stubbed too (the table says which lab builds on which).
        saved = [x.depends for x in lab.LABS]
        lab.LABS[2].depends = (NAMES[1],)
        cut = lab.cut(good, "k.c", lab.stubbed_labs(NAMES[1]))
        for x, d in zip(lab.LABS, saved):
            x.depends = d
        check("start_stubs_dependents", f"stub_{NAMES[2]}();" in cut and
              f"stub_{NAMES[1]}();" in cut and f"stub_{NAMES[0]}();" not in cut, cut)

        rc, out = lab_cmd(top, "start", "no-such-lab", str(tmp / "t"))
        check("refuses_unknown_lab", rc != 0 and "no lab 'no-such-lab'" in out and
              not (tmp / "t").exists(), out)
        rc, out = lab_cmd(top, "start", target, str(tmp / "s"))
        check("refuses_nonempty_target", rc != 0 and "not an empty folder" in out, out)
        rc, out = lab_cmd(tmp / "s", "start", target, str(tmp / "u"))
        check("refuses_student_tree", rc != 0 and "no marked solution" in out, out)

        broken = {
            "unbalanced_begin": (good + f"    /* LAB {NAMES[0]} BEGIN */\n", "never closed"),
            "stray_end": ("    /* LAB END */\n" + good, "without a LAB"),
            "nested": (f"    /* LAB {NAMES[0]} BEGIN */\n" + good, "do not nest"),
            "unknown_name": (good + region("no-such-lab", "x();", "y();"), "unknown lab"),
            "open_stub": (good + f"    /* LAB {NAMES[0]} BEGIN */\n    /* LAB STUB\n", "never"),
            "misspelt": (good + f"    /* LAB {NAMES[0]} BEGIN*/\n", "not a marker"),
        }
        for what, (body, message) in broken.items():
            bad = tmp / f"bad_{what}"
            make_tree(bad, body)
            rc, out = lab_cmd(bad, "check")
            check(f"check_fails_{what}", rc != 0 and message in out, out)
            rc, out = lab_cmd(bad, "start", NAMES[0], str(tmp / f"out_{what}"))
            check(f"start_refuses_{what}", rc != 0 and "markers in this tree are broken" in out
                  and message in out and not (tmp / f"out_{what}").exists(), out)

        missing = tmp / "missing"
        last = NAMES[-1]
        without = good.replace(region(last, f"solution_{last.replace('-', '_')}();",
                                      f"stub_{last}();"), "")
        make_tree(missing, without)
        rc, out = lab_cmd(missing, "check")
        check("check_fails_lab_without_region", rc != 0 and "no marked region" in out, out)

    return summary()


if __name__ == "__main__":
    sys.exit(main())
