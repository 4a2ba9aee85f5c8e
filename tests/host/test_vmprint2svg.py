#!/usr/bin/env python3
"""Host test of tools/vmprint2svg: parse vmprint output into a tree, fold
long runs, and render well-formed SVG. Ends with "N passed, M failed"."""

import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from hostcheck import check, load_tool, summary  # noqa: E402

TOOL = pathlib.Path(__file__).resolve().parents[2] / "tools" / "vmprint2svg"
v2s = load_tool("vmprint2svg")

SAMPLE = """boot noise
$ vmprint -m
page table 0x0000000080322000
 ..0: pte 0x00000000200cac01 pa 0x000000008032b000
 .. ..0: pte 0x00000000200cb001 pa 0x000000008032c000
 .. .. ..1: pte 0x00000000200ca85b pa 0x000000008032a000
 .. .. ..2: pte 0x00000000200cbc5b pa 0x000000008032f000
 .. ..1: pte 0x0000000021f800d7 pa 0x0000000087e00000
 ..256: pte 0x00000000000000e7 pa 0x0000000000000000
 ..511: pte 0x00000000200ccc01 pa 0x0000000080333000
 .. ..511: pte 0x00000000200cd001 pa 0x0000000080334000
""" + "".join(f" .. .. ..{i}: pte 0x00000000200cc817 pa 0x{0x80400000 + i * 4096:016x}\n"
              for i in range(40)) + "$ "


root = v2s.parse(SAMPLE.splitlines(True))
check("header", root is not None and root.pa == 0x80322000, "root table not found")
check("root_entries", [e[0] for e in root.entries] == [0, 256, 511], str(root.entries))
l1 = root.entries[0][3]
check("pointer_child", l1 is not None and l1.level == 1 and l1.pa == 0x8032b000)
check("megapage_leaf", l1.entries[1][3] is None and l1.entries[1][2] == 0x87e00000)
check("gigapage_leaf", root.entries[1][3] is None)
l0 = l1.entries[0][3]
check("leaf_va", l0.va_base == 0 and [e[0] for e in l0.entries] == [1, 2])
top = root.entries[2][3].entries[0][3]
check("kernel_half_va", v2s.sign_extend(top.va_base) == -(1 << 21), hex(top.va_base))
check("unfolded_run", len(top.entries) == 40)
for t in v2s.tables(root):
    t.fold(16)
check("folded_run", [e[0] for e in top.entries] == [0, 1, 2, "gap", 37, 38, 39],
      str([e[0] for e in top.entries]))
check("gap_count", top.entries[3][1] == 34)
svg = v2s.render(root, "test <title>")
try:
    tree = ET.fromstring(svg)
    check("svg_well_formed", tree.tag.endswith("svg"))
except ET.ParseError as e:
    check("svg_well_formed", False, str(e))
check("title_escaped", "test &lt;title&gt;" in svg)
check("megapage_marked", "2 MiB" in svg and "1 GiB" in svg)
check("five_tables", svg.count("table at pa") == 5, str(svg.count("table at pa")))

r = subprocess.run([sys.executable, str(TOOL)], input="no table here\n", text=True,
                   capture_output=True)
check("no_table_error", r.returncode != 0 and "no 'page table" in r.stderr, r.stderr)
r = subprocess.run([sys.executable, str(TOOL)], input="page table 0x1000\n .. .. ..3: pte 0x1 pa 0x0\n",
                   text=True, capture_output=True)
check("bad_depth_error", r.returncode != 0 and "deeper" in r.stderr, r.stderr)

sys.exit(summary())
