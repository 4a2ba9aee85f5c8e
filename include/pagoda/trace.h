/* The kernel event trace as user space sees it (docs/tracing.md): what
 * trace_read copies out, one record per event, and what each kind's four
 * words mean. Shared by the kernel (proc/trace.c), the trace program and,
 * through the text of `trace dump`, tools/trace2svg. */
#ifndef PAGODA_TRACE_H
#define PAGODA_TRACE_H

/* trace_ctl(how): TRACE_OFF, TRACE_ON (empties the rings first),
 * TRACE_QUERY, or TRACE_DROP (give up the trace right, for good, for this
 * process and every child it starts later); returns whether tracing was on
 * before. ON, OFF and trace_read need the trace right (-EPERM without it):
 * the shell init forks holds it and fork passes it on; the servers init
 * spawns do not (docs/tracing.md, "Who may trace"). */
#define TRACE_OFF   0
#define TRACE_ON    1
#define TRACE_QUERY 2
#define TRACE_DROP  3

#define TRACE_RING 1024 /* events kept per hart: the oldest are overwritten */

struct trace_event {
    unsigned long time_us; /* since boot (the time CSR, in microseconds) */
    unsigned long instret; /* this hart's instret: instructions under -icount */
    unsigned short kind;   /* TR_* below */
    unsigned short hart;
    int pid;            /* the process it happened to or in; 0 = none (idle) */
    unsigned long a[4]; /* per kind, below */
};

/* Kinds, and their words a[0..3]. */
#define TR_TRAP       1  /* scause, sepc, stval: a trap from user mode other than ecall */
#define TR_TRAP_RET   2  /* sepc: back to user mode (usertrapret) */
#define TR_SYSCALL    3  /* number, a0, a1, a2: an ecall from user mode */
#define TR_SYSRET     4  /* number, result */
#define TR_SWITCH     5  /* from pid, to pid (0 = this hart's idle loop) */
#define TR_IPC_CALL   6  /* endpoint, server pid, w0, w1: pid calls */
#define TR_IPC_RECV   7  /* endpoint, from pid (0 = kernel), w0, w1: pid receives */
#define TR_IPC_REPLY  8  /* to pid, w0, w1: pid replies */
#define TR_IPC_NOTIFY 9  /* endpoint, owner pid, bits */
#define TR_FAULT      10 /* access (2 read, 4 write, 8 exec: PTE bits), address, TRF_*, result */
#define TR_IRQ        11 /* irq: a device interrupt (PLIC source) */
#define TR_TIMER      12 /* ticks: a timer interrupt */
#define TR_FORK       13 /* child pid: pid forked */
#define TR_EXEC       14 /* name as 16 bytes in a[0], a[1]: pid exec'd */
#define TR_EXIT       15 /* status */
#define TR_MARK       16 /* a0, a1: trace_mark from user space */
#define TR_NAME       17 /* name as 16 bytes in a[0], a[1]: pid was alive as tracing began */
#define TR_NKIND      18

/* What a page fault was, decided before it is handled. */
#define TRF_BAD   0 /* no mapping that allows it: the process is killed */
#define TRF_COW   1 /* a write to a copy-on-write page still shared: a copy */
#define TRF_OWN   2 /* a write to a copy-on-write page no longer shared: made writable */
#define TRF_LAZY  3 /* a first touch of a heap page: a zeroed page */
#define TRF_STALE 4 /* already allowed: a stale TLB entry */

#endif
