#!/usr/bin/env python3
"""Host test of the shape comparison in tools/docfigures --check: a
transcript splits into each command's output, a page table's shape keeps
levels and flags but not addresses or run lengths, a trace's shape keeps
the rows but not pids, numbers or when an interrupt lands. Ends with
"N passed, M failed"."""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from hostcheck import check, load_tool, summary  # noqa: E402

df = load_tool("docfigures")


# --- transcripts
outs = df.outputs("boot noise\n$ echo a\na\n$ vmprint\nx\ny\n$ echo a\nb\n$ halt $?\n")
check("outputs_split", outs.get("echo a") == ["a\n", "b\n"] and outs.get("vmprint") == ["x\ny\n"],
      str(outs))


# --- page tables
def table(pa_shift, nleaves, leaf_flags=0x0D7):
    lines = [f"page table 0x{0x80300000 + pa_shift:016x}",
             f" ..0: pte 0x0000000020000001 pa 0x{0x80301000 + pa_shift:016x}",
             f" .. ..0: pte 0x0000000020000401 pa 0x{0x80302000 + pa_shift:016x}"]
    lines += [f" .. .. ..{i + 1}: pte 0x{0x20000000 + leaf_flags:016x} "
              f"pa 0x{0x80400000 + pa_shift + i * 4096:016x}" for i in range(nleaves)]
    return "\n".join(lines) + "\n"


base = df.vmprint_shape(table(0, 5))
check("vmprint_addresses_ignored", base == df.vmprint_shape(table(0x10000, 5)))
check("vmprint_run_length_ignored", base == df.vmprint_shape(table(0, 9)))
check("vmprint_flags_count", base != df.vmprint_shape(table(0, 5, 0x0C7)), str(base))
check("vmprint_levels", base[0].startswith("L2 ") and base[-1].startswith("L0 "), str(base))
check("vmprint_no_table", df.vmprint_shape("nothing\n") == ["no page table"])


# --- traces
def word(name):
    return "%x" % int.from_bytes(name.encode().ljust(8, b"\0")[:8], "little")


HEAD = f"""ev 1 100 0 7 name {word('demo')} 0 0 0
ev 1 101 0 2 name {word('disk')} 0 0 0
ev 2 200 0 7 mark 1 0 0 0
ev 2 210 0 7 syscall 18 3 4 1
ev 2 220 0 7 call 0 2 4 1
ev 2 230 0 2 recv 0 7 4 1
ev 2 240 0 7 switch 7 2 0 0
ev 2 250 0 2 sysret 1c 7 0 0
"""
TAIL = """ev 5 600 0 2 syscall 1a 0 0 0
ev 5 610 0 2 recv 0 0 1 100
ev 5 620 0 2 sysret 1a 0 0 0
ev 6 700 0 2 syscall 1c 0 7 0
ev 6 710 0 2 reply 7 0 0 0
ev 6 720 0 2 switch 2 7 0 0
ev 6 730 0 7 sysret 18 0 0 0
ev 7 800 0 7 mark 2 0 0 0
"""
# the interrupt lands while the driver runs ...
RUNNING = HEAD + """ev 3 300 0 2 trap 8000000000000009 2e32 0 0
ev 3 310 0 2 irq 8 0 0 0
ev 3 320 0 2 notify 0 2 100 0
ev 3 330 0 2 trapret 2e32 0 0 0
""" + TAIL
# ... or after it went to sleep, in the idle loop
IDLE = HEAD + """ev 5 600 0 2 syscall 1a 0 0 0
ev 5 605 0 0 switch 2 0 0 0
ev 5 606 0 0 irq 8 0 0 0
ev 5 607 0 0 notify 0 2 100 0
ev 5 610 0 2 recv 0 0 1 100
ev 5 611 0 0 switch 0 2 0 0
ev 5 620 0 2 sysret 1a 0 0 0
""" + TAIL.split("\n", 3)[3]
# a timer tick in the middle changes nothing either
TICK = HEAD + """ev 3 300 0 2 trap 8000000000000005 2e00 0 0
ev 3 310 0 0 timer 9 0 0 0
ev 3 330 0 2 trapret 2e00 0 0 0
ev 3 340 0 2 trap 8000000000000009 2e32 0 0
ev 3 350 0 2 irq 8 0 0 0
ev 3 360 0 2 notify 0 2 100 0
ev 3 370 0 2 trapret 2e32 0 0 0
""" + TAIL
a, b, c = df.trace_shape(RUNNING), df.trace_shape(IDLE), df.trace_shape(TICK)
check("trace_interrupt_timing_ignored", a == b, df.first_difference(a, b))
check("trace_timer_ignored", a == c, df.first_difference(a, c))
check("trace_numbers_ignored", a == df.trace_shape(RUNNING.replace(" 7 ", " 9 ")))
check("trace_rows_kept", any(r.startswith("reply disk#1 -> demo#0") for r in a), str(a))
no_reply = RUNNING.replace("ev 6 710 0 2 reply 7 0 0 0\n", "")
check("trace_missing_row_found", df.trace_shape(no_reply) != a)
other_call = RUNNING.replace("syscall 1c 0 7 0", "syscall 1b 7 0 0")  # ipc_reply, not reply_recv
check("trace_other_call_found", df.trace_shape(other_call) != a)
check("first_difference", "row 1" in df.first_difference(["a", "b"], ["a", "c"]))

sys.exit(summary())
