/* Printing the kernel event trace (docs/tracing.md). trace_dump() reads
 * every hart's ring (emptying it) and prints, for tools/trace2svg:
 *
 *     proc PID PPID NAME                          each process alive now
 *     ev TIME_US INSTRET HART PID KIND A0 A1 A2 A3  one per event, words in hex
 *     trace: N events
 *
 * each hart's events oldest first (trace2svg merges them by time). Returns
 * 0, or 1 when a ring cannot be read. */
#ifndef PAGODA_USER_TRACEDUMP_H
#define PAGODA_USER_TRACEDUMP_H

int trace_dump(void);

#endif
