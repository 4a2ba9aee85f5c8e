/* The kernel event trace (docs/tracing.md). Each hart appends to its own
 * ring of TRACE_RING events, overwriting the oldest, so recording needs no
 * shared lock; a small per-ring lock only keeps a reader on another hart
 * from seeing half an event. Times are stored raw (the time and instret
 * CSRs) and turned into microseconds as they are read out. */
#include "proc/proc.h"
#include "proc/trace.h"

static int tracing; /* the master switch; each hart has a copy in struct cpu */

static struct ring {
    struct spinlock lock;
    uint64 head, tail; /* events [tail, head) are kept, at index % TRACE_RING */
    struct trace_event ev[TRACE_RING];
} rings[NCPU];

void trace_record(int kind, int pid, uint64 a0, uint64 a1, uint64 a2, uint64 a3)
{
    intr_push(); /* an interrupt's events must not land in the middle of ours */
    struct cpu *c = mycpu();
    struct ring *r = &rings[cpu_index()];
    if (pid == TRACE_SELF) pid = c->proc ? c->proc->pid : 0;
    spin_lock(&r->lock);
    struct trace_event *e = &r->ev[r->head++ % TRACE_RING];
    if (r->head - r->tail > TRACE_RING) r->tail = r->head - TRACE_RING;
    e->time_us = csr_read(time);
    e->instret = csr_read(instret);
    e->kind = (unsigned short)kind;
    e->hart = (unsigned short)c->hartid;
    e->pid = pid;
    e->a[0] = a0, e->a[1] = a1, e->a[2] = a2, e->a[3] = a3;
    spin_unlock(&r->lock);
    intr_pop();
}

void trace_trapret(void)
{
    struct proc *p = myproc();
    trace_record(TR_TRAP_RET, p->pid, p->tf->epc, 0, 0, 0);
}

int trace_fault_what(struct vm *vm, uint64 va, int access)
{
    if (va >= USER_TOP) return TRF_BAD;
    int level;
    pte_t *pte = pt_lookup(vm->upt, va, &level);
    if (!pte)
        return access != FAULT_EXEC && va >= vm->heap_base && va < vm->brk ? TRF_LAZY : TRF_BAD;
    if (access == FAULT_WRITE && (*pte & PTE_COW))
        return kref_count(PTE2PA(*pte)) > 1 ? TRF_COW : TRF_OWN;
    return (*pte & PTE_U) && (*pte & (uint64)access) ? TRF_STALE : TRF_BAD;
}

/* Who is who, for a reader of the trace: the processes that exit before
 * the dump are named nowhere else (exec names the ones started later). */
static void name_everyone(void)
{
    struct procinfo info;
    for (int i = 0; proc_info(i, &info) == 0; i++) {
        uint64 name[2];
        memcpy(name, info.name, sizeof name);
        trace_record(TR_NAME, info.pid, name[0], name[1], 0, 0);
    }
}

/* Who may trace: the trace holds every process's IPC words and addresses,
 * so switching it and reading it need the trace right. init gives it to the
 * processes it forks (the console shell), not to the servers it spawns from
 * the boot image; every other process gets its parent's. Pagoda has no
 * users: whoever types at the console may trace, a server may not, and a
 * process may give the right up (TRACE_DROP) before it runs something it
 * does not trust. spawn has set child->ipc.privileged before this runs. */
void trace_fork(struct proc *parent, struct proc *child)
{
    child->may_trace = parent == initproc ? !child->ipc.privileged : parent->may_trace;
}

long trace_ctl(int how)
{
    int was = tracing;
    if (how == TRACE_QUERY) return was;
    if (how == TRACE_DROP) {
        myproc()->may_trace = 0;
        return was;
    }
    if (how != TRACE_ON && how != TRACE_OFF) return -EINVAL;
    if (!myproc()->may_trace) return -EPERM;
    if (how == TRACE_ON && !was) {
        for (int i = 0; i < NCPU; i++) {
            spin_lock(&rings[i].lock);
            rings[i].head = rings[i].tail = 0;
            spin_unlock(&rings[i].lock);
        }
    }
    tracing = how == TRACE_ON;
    for (int i = 0; i < NCPU; i++) /* other harts see it at their next hook or so */
        __atomic_store_n(&cpus[i].trace_on, tracing, __ATOMIC_RELAXED);
    if (how == TRACE_ON && !was) name_everyone();
    return was;
}

/* Copy out up to max of hart's oldest events, a few at a time: never copy
 * to user memory holding a lock (the copy may fault). hz: the time CSR's
 * rate, to turn its ticks into microseconds. */
long trace_read(int hart, uint64 ubuf, long max, uint64 hz)
{
    if (hart < 0 || hart >= ncpu) return -EINVAL;
    if (max < 0) return -EINVAL;
    if (!myproc()->may_trace) return -EPERM;
    struct ring *r = &rings[hart];
    struct trace_event chunk[8];
    long n = 0;
    while (n < max) {
        int k = 0;
        spin_lock(&r->lock);
        while (k < 8 && n + k < max && r->tail != r->head)
            chunk[k++] = r->ev[r->tail++ % TRACE_RING];
        spin_unlock(&r->lock);
        if (k == 0) break;
        for (int i = 0; i < k; i++) chunk[i].time_us = chunk[i].time_us * 1000000 / hz;
        if (copyout(ubuf + (uint64)n * sizeof(struct trace_event), chunk,
                    (uint64)k * sizeof(struct trace_event)) < 0)
            return -EFAULT; /* those k events are lost: the reader asked for it */
        n += k;
    }
    return n;
}
