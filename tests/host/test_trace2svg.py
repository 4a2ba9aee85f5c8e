#!/usr/bin/env python3
"""Host test of tools/trace2svg: parse a `trace dump`, name the processes,
keep the marked part, and render well-formed SVG with one lifeline per
process plus devices and kernel. Ends with "N passed, M failed"."""

import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from hostcheck import check, load_tool, summary  # noqa: E402

TOOL = pathlib.Path(__file__).resolve().parents[2] / "tools" / "trace2svg"
t2s = load_tool("trace2svg")


def word(name):
    return "%x" % int.from_bytes(name.encode().ljust(8, b"\0")[:8], "little")


# An IPC round trip on the fast path between a client (pid 6, a child of
# pid 5 that exits before the dump) and a server (pid 5), as the kernel
# records it, with a timer tick on another hart and boot noise around it.
SAMPLE = f"""OpenSBI noise
$ tracedemo ipc
ev 100 1000 0 5 name {word('srv')} 0 0 0
ev 101 1010 0 6 name {word('cli')} 0 0 0
ev 102 1100 0 6 mark 1 0 0 0
ev 103 1200 0 6 syscall 18 0 10 20
ev 104 1300 0 6 call 0 5 10 20
ev 104 1310 0 5 recv 0 6 10 20
ev 104 1320 0 6 switch 6 5 0 0
ev 104 9999 1 0 timer 5 0 0 0
ev 105 1400 0 5 sysret 1c 6 0 0
ev 105 1410 0 5 trapret 2400 0 0 0
ev 106 1500 0 5 syscall 1c 0 6 11
ev 106 1510 0 5 reply 6 11 20 0
ev 106 1520 0 5 switch 5 6 0 0
ev 107 1600 0 6 sysret 18 0 0 0
ev 107 1610 0 6 trapret 2368 0 0 0
ev 108 1700 0 6 mark 2 0 0 0
ev 109 1800 0 6 syscall 2 0 0 0
ev 109 1810 0 6 exit 0 0 0 0
proc 1 0 init
proc 5 3 srv
trace: 18 events
$ """


events, names = t2s.parse(SAMPLE.splitlines(True))
check("parse_events", len(events) == 18, str(len(events)))
check("parse_procs", names == {1: "init", 5: "srv"}, str(names))
check("time_order", [e.time for e in events] == sorted(e.time for e in events))
check("hart_order_kept", [e.kind for e in events[4:8]] == ["call", "recv", "switch", "timer"],
      str([e.kind for e in events[4:8]]))
marked = t2s.select(events, marks=True)
check("marks", marked[0].kind == "mark" and marked[-1].kind == "mark" and len(marked) == 14,
      str(len(marked)))
check("signed", t2s.signed(0xfffffffffffffff7) == -9)
check("name_word", t2s.name_word([int(word("ipcping"), 16), 0]) == "ipcping")

d = t2s.Diagram(marked, names, "ipc <round trip>", 0, events)
check("lifelines", d.columns == ["devices", "kernel", "pid6", "pid5"], str(d.columns))
check("named_by_name_event", d.label_of("pid6") == ("cli", "pid 6"), str(d.label_of("pid6")))
check("named_by_proc_line", d.label_of("pid5") == ("srv", "pid 5"), str(d.label_of("pid5")))
labels = [r[3] for r in d.rows]
check("syscall_named", "ipc_call(0, 0x10, 0x20)" in labels, str(labels))
check("call_arrow", any(r[3].startswith("call ep 0") and r[1:3] == ("pid6", "pid5")
                        for r in d.rows), str(d.rows))
check("reply_arrow", any(r[3].startswith("reply (0x11") and r[1:3] == ("pid5", "pid6")
                         for r in d.rows))
check("switch_arrows", [r[1:3] for r in d.rows if r[0].kind == "switch"] ==
      [("pid6", "pid5"), ("pid5", "pid6")])
check("timer_from_devices", any(r[0].kind == "timer" and r[1:3] == ("devices", "kernel")
                                for r in d.rows))
check("trapret_after_sysret_folded", not any(r[0].kind == "trapret" for r in d.rows))
svg = d.svg()
try:
    tree = ET.fromstring(svg)
    check("svg_well_formed", tree.tag.endswith("svg"))
    ns = "{http://www.w3.org/2000/svg}"
    lifelines = [g.get("data-name") for g in tree.iter(ns + "g") if g.get("class") == "lifeline"]
    check("svg_lifelines", lifelines == ["devices", "kernel", "pid6", "pid5"], str(lifelines))
    rows = [g for g in tree.iter(ns + "g") if g.get("class") == "event"]
    check("svg_rows", len(rows) == len(d.rows), f"{len(rows)} != {len(d.rows)}")
except ET.ParseError as e:
    check("svg_well_formed", False, str(e))
check("title_escaped", "ipc &lt;round trip&gt;" in svg)
check("instret_margin", "+0<" in svg and f"+{1700 - 1100}<" in svg)

# The committed pictures parse and show the processes they are about.
pictures = TOOL.parent.parent / "docs" / "pictures"
for dump in sorted(pictures.glob("trace-*.txt")):
    r = subprocess.run([sys.executable, str(TOOL), str(dump)], capture_output=True, text=True)
    ok = r.returncode == 0
    try:
        tree = ET.fromstring(r.stdout) if ok else None
    except ET.ParseError:
        tree = None
    lines = [g.get("data-name") for g in tree.iter("{http://www.w3.org/2000/svg}g")
             if g.get("class") == "lifeline"] if tree is not None else []
    check(f"picture_{dump.stem}", tree is not None and lines[:2] == ["devices", "kernel"] and
          any(n.startswith("pid") for n in lines), r.stderr or str(lines))
    # the committed picture is what the tool draws from the committed dump
    # (tools/tracefigures draws them with the title "tracedemo NAME")
    svg_file = dump.with_suffix(".svg")
    r = subprocess.run([sys.executable, str(TOOL), str(dump), "--title",
                        "tracedemo " + dump.stem[len("trace-"):]], capture_output=True, text=True)
    check(f"picture_{dump.stem}_current", svg_file.exists() and r.stdout == svg_file.read_text(),
          f"{svg_file.name} differs from tools/trace2svg {dump.name}: run tools/tracefigures")

r = subprocess.run([sys.executable, str(TOOL)], input="nothing here\n", text=True,
                   capture_output=True)
check("no_events_error", r.returncode != 0 and "no events" in r.stderr, r.stderr)

sys.exit(summary())
