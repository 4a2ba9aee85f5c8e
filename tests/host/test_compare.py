#!/usr/bin/env python3
"""Test of tools/compare on a small subset: one option, two values, two figures.

    test_compare.py                 from the logs in tests/data/compare (no QEMU)
    test_compare.py --live WORKDIR  build both values of PAGODA_IPC_DIRECT in
                                    WORKDIR and run `bench getpid ipc_rtt` on each
                                    (ctest -C matrix -L matrix: minutes, not seconds)

Checks that the Markdown table has a row per figure with the columns the
issue asks for, that the SVG parses as XML and has its bars, legend and axis
labels, and that a missing variant writes nothing. Ends "N passed, M failed"."""

import argparse
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hostcheck import check, summary  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
COMPARE = ROOT / "tools" / "compare"
DATA = ROOT / "tests" / "data" / "compare"
SVG = "{http://www.w3.org/2000/svg}"
FIGURES = ["getpid", "ipc_rtt"]


def compare(*args):
    return subprocess.run([sys.executable, str(COMPARE), *args], capture_output=True, text=True)


def table_rows(md, heading):
    """The rows of the first table after `heading`, as lists of cells."""
    part = md.split(heading, 1)[1] if heading in md else ""
    rows = []
    for line in part.splitlines():
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif rows:
            break
    return rows


def check_results(out, exact):
    md_path, svg_path = out / "pagoda_ipc_direct.md", out / "pagoda_ipc_direct.svg"
    if not check("both files written", md_path.is_file() and svg_path.is_file()):
        return
    md = md_path.read_text()
    check("title names option and values", md.startswith("# `PAGODA_IPC_DIRECT`: ON, OFF"))
    check("the exact command at the top", "    tools/compare PAGODA_IPC_DIRECT=ON,OFF" in md)
    check("the commit at the top", re.search(r"at commit \w+", md) is not None)
    rows = table_rows(md, "## Instructions and real time per operation")
    want_head = ["figure", "ON instr", "OFF instr", "OFF/ON", "ON time", "OFF time",
                 "OFF/ON time"]
    check(f"table header {rows[0] if rows else None}", rows and rows[0] == want_head)
    body = {r[0].strip("`"): r for r in rows[2:]}
    check(f"one row per figure: {sorted(body)}", sorted(body) == sorted(FIGURES))
    for name, r in body.items():
        check(f"{name}: {len(r)} cells", len(r) == len(want_head))
        check(f"{name}: instruction counts", all(re.fullmatch(r"[\d,]+", c) for c in r[1:3]))
        check(f"{name}: instruction ratio {r[3]}", re.fullmatch(r"\d+\.\d\d×", r[3]) is not None)
        check(f"{name}: median time with its spread {r[4:6]}", all(re.fullmatch(r"[\d.]+ (ns|µs|ms) \([\d.]+ (ns|µs|ms)–[\d.]+ (ns|µs|ms)\)", c)
                  for c in r[4:6]))
        check(f"{name}: time ratio {r[6]}", re.fullmatch(r"\d+\.\d\d×", r[6]) is not None)
    counters = table_rows(md, "## Kernel counters per operation")
    check("a counter row per figure", len(counters) == 2 + len(FIGURES))
    getpid = next((r for r in counters if r[0] == "`getpid`"), [])
    check(f"getpid's counters name satp_write: {getpid}", len(getpid) == 3 and all("satp_write" in c for c in getpid[1:]))
    if exact:
        check("ipc_rtt instruction ratio 1180/976", body["ipc_rtt"][3] == "1.21×")
        check("ipc_rtt median of five runs", body["ipc_rtt"][4] == "2.1 µs (2.0 µs–2.2 µs)")
        check("ipc_rtt time ratio 2500/2080", body["ipc_rtt"][6] == "1.20×")
        check("getpid: 2 satp writes per op", "satp_write 2, sfence_local 2" in getpid[1])
    try:
        tree = ET.parse(svg_path)
    except ET.ParseError as e:
        check(f"SVG parses as XML: {e}", False)
        return
    check("SVG parses as XML", True)
    root = tree.getroot()
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    check(f"a bar per figure, value and panel: {len(bars)}", len(bars) == 2 * 2 * len(FIGURES))
    check("legend names both values", "ON" in texts and "OFF" in texts)
    check("figure names label the bars", all(f in texts for f in FIGURES))
    check("both panels titled", any("instructions per operation" in t for t in texts)
          and any("real time per operation" in t for t in texts))
    check("axes labelled with scale", any(re.search(r"(linear|log) scale", t) for t in texts))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--live", metavar="WORKDIR")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "results"
        if args.live:
            r = compare("PAGODA_IPC_DIRECT=ON,OFF", "--bench", "bench getpid ipc_rtt",
                        "--runs", "5", "--work", args.live, "--out", str(out))
            sys.stderr.write(r.stderr)
            check(f"tools/compare exit status {r.returncode}", r.returncode == 0)
            check_results(out, exact=False)
        else:
            r = compare("PAGODA_IPC_DIRECT=ON,OFF", "--from-logs", str(DATA), "--out", str(out))
            check(f"tools/compare exit status {r.returncode}: {r.stderr[-300:]}", r.returncode == 0)
            check_results(out, exact=True)
            # A variant with no logs: an error naming it, and nothing written.
            out2 = Path(tmp) / "none"
            r = compare("PAGODA_IPC_DIRECT=ON,OFF", "PAGODA_COW=ON,OFF", "--from-logs",
                        str(DATA), "--out", str(out2))
            check(f"missing variant: exit status {r.returncode}", r.returncode == 1)
            check("the error names the missing variant", "PAGODA_COW=OFF" in r.stderr)
            check("nothing written", not out2.exists() or not any(out2.iterdir()))
            r = compare("PAGODA_COW", "--from-logs", str(DATA), "--out", str(out2))
            check("a spec without values is a usage error", r.returncode == 2)
            r = compare("PAGODA_NOSUCH=A,B", "--from-logs", str(DATA), "--out", str(out2))
            check("an unknown option is refused", r.returncode == 2 and "no option" in r.stderr)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
