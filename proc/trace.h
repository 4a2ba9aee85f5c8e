/* The kernel event trace (docs/tracing.md): a ring of events per hart, off
 * by default. A hook is TRACE(...): while tracing is off it costs one load
 * and one branch, and its arguments are not even computed. */
#ifndef PAGODA_PROC_TRACE_H
#define PAGODA_PROC_TRACE_H

#include "arch/riscv/cpu.h"
#include "pagoda/trace.h"

struct vm;
struct proc;

/* PAGODA_TRACE_HOOKS=0 compiles every hook away: the kernel that
 * tests/cost/trace_hooks.py measures against, to show what hooks cost. */
#ifndef PAGODA_TRACE_HOOKS
#define PAGODA_TRACE_HOOKS 1
#endif

/* Is tracing on? This hart's copy of the switch, one load from tp. */
static inline long trace_on(void)
{
    if (!PAGODA_TRACE_HOOKS) return 0;
    long on; /* lw sign-extends: no sext.w after it */
    asm volatile("lw %0, %1(tp)" : "=r"(on) : "i"(__builtin_offsetof(struct cpu, trace_on)));
    return on;
}

#define TRACE_SELF (-1) /* the pid of whatever runs on this hart */
#define TRACE(kind, pid, a0, a1, a2, a3)                                                           \
    do {                                                                                           \
        if (__builtin_expect(trace_on(), 0))                                                       \
            trace_record(kind, pid, (uint64)(a0), (uint64)(a1), (uint64)(a2), (uint64)(a3));       \
    } while (0)

__attribute__((cold)) void trace_record(int kind, int pid, uint64 a0, uint64 a1, uint64 a2,
                                        uint64 a3);
__attribute__((cold)) void trace_trapret(void); /* TR_TRAP_RET for this hart's process */
int trace_fault_what(struct vm *vm, uint64 va, int access); /* TRF_*, before vm_fault */
void trace_fork(struct proc *parent, struct proc *child);   /* passes the trace right on */
long trace_ctl(int how);
long trace_read(int hart, uint64 ubuf, long max, uint64 hz);

#endif
