/* The kernel event trace (docs/tracing.md): a ring of events per hart, off
 * by default. A hook is TRACE(...): while tracing is off it costs one load
 * and one branch, and its arguments are not even computed. */
#ifndef PAGODA_PROC_TRACE_H
#define PAGODA_PROC_TRACE_H

#include "arch/riscv/types.h"
#include "pagoda/trace.h"

struct vm;

extern volatile int trace_on;

#define TRACE_SELF (-1) /* the pid of whatever runs on this hart */
#define TRACE(kind, pid, a0, a1, a2, a3)                                                           \
    do {                                                                                           \
        if (__builtin_expect(trace_on, 0))                                                         \
            trace_record(kind, pid, (uint64)(a0), (uint64)(a1), (uint64)(a2), (uint64)(a3));       \
    } while (0)

void trace_record(int kind, int pid, uint64 a0, uint64 a1, uint64 a2, uint64 a3);
int trace_fault_what(struct vm *vm, uint64 va, int access); /* TRF_*, before vm_fault */
long trace_ctl(int how);
long trace_read(int hart, uint64 ubuf, long max);

#endif
