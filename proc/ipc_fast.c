/* The IPC fast path (docs/ipc.md, "The fast path"): a short, separate path
 * for the two calls of a client/server round trip. ipc_fast_syscall, the
 * entry of the full-frame system calls, tries it first, interrupts still
 * off. When it applies it never returns: it moves the words from one
 * process's saved registers to the other's, and the trampoline's ipcswitch
 * loads the other's kernel table and returns to user mode there. When it
 * does not apply it has changed nothing, and usersyscall does the call.
 * Neither applies while tracing is on or this hart's time slice is over.
 *
 * ipc_call(h, w1..w4) takes the fast path when ALL of these hold:
 *   - h names an endpoint whose owner lives and is not the caller;
 *   - the owner is blocked receiving on it (so nothing is queued for it);
 *   - the call shares no pages (SYS_ipc_call, not SYS_ipc_share);
 *   - the caller has not been killed.
 * ipc_reply_recv(h, pid, w1..w4) takes it when ALL of these hold:
 *   - h names an endpoint the caller owns, which receives no kernel events
 *     and has no notify bits and no callers queued (recv would not block);
 *   - pid is a process awaiting the caller's reply to a call on h (on the
 *     endpoint's awaiting queue; a caller of another endpoint of the
 *     caller's goes the general way);
 *   - the caller has not been killed.
 *
 * The process that blocks here is "parked": its saved context starts
 * fast_resume on an empty kernel stack, so whatever wakes it later (the
 * fast path, a reply or kill on the general path, a server's death) needs
 * nothing from its old kernel stack. Everything happens under sched_lock,
 * which is released only in the next process's kernel table (ipcswitch),
 * as after swtch: the parked process may be woken on another hart the
 * moment it is free, and exit. */
#include "proc/proc.h"
#include "proc/ipc_internal.h"
#include "proc/trace.h"
#include "trap/trap.h" /* usertrapret, ipc_switch: back to user mode */

/* Where a parked process continues when the general path wakes it: its
 * call's result, as ipc.c's blocked calls return it, goes to a0. Its frame
 * holds no temporaries (the IPC calls save none): they go back as zeros. */
static void fast_resume(void)
{
    struct proc *p = myproc();
    static const uint8 temps[] = {5, 6, 7, 16, 28, 29, 30, 31}; /* t0-t2, a6, t3-t6 */
    for (int i = 0; i < (int)sizeof temps; i++) p->tf->regs[temps[i]] = 0;
    p->tf->regs[REG_A0] = (uint64)p->ipc.result;
    spin_unlock(&sched_lock);
    TRACE(TR_SYSRET, p->pid, p->tf->regs[REG_A7], p->ipc.result, 0, 0);
    if (p->killed) proc_exit(-1);
    if (mycpu()->resched) yield();
    usertrapret();
}

/* sched_lock, taken before a system call's dispatch: interrupts are off
 * and this hart holds no lock, so intr_push's bookkeeping is known. */
static inline void lock_from_syscall(struct cpu *c)
{
    c->noff = 1;
    c->intena = 0;
    while (__atomic_exchange_n(&sched_lock.locked, 1, __ATOMIC_ACQUIRE)) {
    }
    sched_lock.owner = c;
}

/* The fast path does not apply after all: nothing was changed. Out of line,
 * so the fast path itself makes no call and needs no stack frame. */
static __attribute__((noinline)) uint64 unlock_and_dispatch(void)
{
    spin_unlock(&sched_lock);
    return usersyscall();
}

/* p blocks (its state and queue are set): it will start over in fast_resume. */
static inline void park(struct proc *p)
{
    p->ctx.ra = (uint64)fast_resume;
    p->ctx.sp = p->tf->kernel_sp;
    p->ctx.s[0] = 0; /* the frame pointer: the end of a backtrace */
}

/* satp writes per switch, for kstat: uservec's, ipcswitch's (the two
 * processes' kernel tables differ, but for the one global table) and
 * ipcret's (none in the trampoline with PAGODA_KPT=shared). */
#if defined(PAGODA_KPT_GLOBAL)
#define SWITCH_SATP_WRITES 2
#elif defined(PAGODA_KPT_SHARED)
#define SWITCH_SATP_WRITES 1
#else
#define SWITCH_SATP_WRITES 3
#endif

/* This hart's counter i += n: interrupts are off, so no other add on this
 * hart comes between the load and the store (KSTAT_ADD needs an atomic). */
static inline void count(struct cpu *c, int i, uint64 n)
{
    __atomic_store_n(&c->kstat[i], c->kstat[i] + n, __ATOMIC_RELAXED);
}

/* Give this hart to next, asleep in IPC until now: ipcswitch loads its
 * kernel table, releases sched_lock there and returns to user mode. */
static inline uint64 run_now(struct cpu *c, struct proc *next)
{
    next->state = RUNNING;
    c->proc = next;
    next->tf->kernel_tp = (uint64)c;
    count(c, KSTAT_ctx_switch, 1);
    count(c, KSTAT_satp_write, SWITCH_SATP_WRITES);
    sched_lock.owner = NULL;
    c->noff = 0;
    return ipc_switch(next->kernel_satp, next->user_satp, &sched_lock.locked);
}

/* w: the caller's a1..a4, its message words */
static inline uint64 fast_call(struct proc *p, struct cpu *c, uint64 h, const uint64 w[4])
{
    if (h >= NHANDLE) return usersyscall();
    lock_from_syscall(c);
    struct endpoint *ep = p->ipc.handles[h];
    struct proc *srv = ep ? ep->owner : NULL;
    if (!srv || srv == p || list_empty(&ep->receiver) || p->killed) return unlock_and_dispatch();
    count(c, KSTAT_ipc_fast, 1);
    /* the server: receives the words and the caller's pid (its a0) */
    struct ipc_msg *sm = srv->ipc.msg;
    sm->w[0] = w[0], sm->w[1] = w[1], sm->w[2] = w[2], sm->w[3] = w[3];
    sm->shared = 0;
    srv->tf->regs[REG_A0] = (uint64)p->pid;
    list_del(&srv->qlink);
    srv->ipc.wait = IPC_IDLE;
    /* the caller: awaits the reply */
    p->ipc.ep = ep;
    p->ipc.result = -EINTR; /* unless replied to first */
    p->ipc.wait = IPC_AWAITING_REPLY;
    p->state = SLEEPING;
    list_add_tail(&ep->awaiting, &p->qlink);
    park(p);
    return run_now(c, srv);
}

/* reply: the caller's a2..a5, the words for pid */
static inline uint64 fast_reply_recv(struct proc *p, struct cpu *c, uint64 h, uint64 pid,
                                     const uint64 reply[4])
{
    if (h >= NHANDLE) return usersyscall();
    lock_from_syscall(c);
    struct endpoint *ep = p->ipc.handles[h];
    if (!ep || ep->owner != p || ep->sub || ep->notify_bits || !list_empty(&ep->senders) ||
        p->killed)
        return unlock_and_dispatch();
    /* every process on ep->awaiting sleeps awaiting p's reply (ipc.c) */
    struct list *l = ep->awaiting.next;
    while (l != &ep->awaiting && (uint64)list_entry(l, struct proc, qlink)->pid != pid) l = l->next;
    if (l == &ep->awaiting) return unlock_and_dispatch();
    struct proc *cl = list_entry(l, struct proc, qlink);
    /* the caller: its reply words, result 0 */
    struct ipc_msg *cm = cl->ipc.msg;
    cm->w[0] = reply[0], cm->w[1] = reply[1], cm->w[2] = reply[2], cm->w[3] = reply[3];
    list_del(&cl->qlink);
    cl->ipc.wait = IPC_IDLE;
    cl->tf->regs[REG_A0] = 0;
    /* the server: receives next */
    p->ipc.result = -EINTR; /* unless a message arrives first */
    p->ipc.wait = IPC_RECEIVING;
    p->state = SLEEPING;
    list_add_tail(&ep->receiver, &p->qlink);
    park(p);
    return run_now(c, cl);
}

_Static_assert(SYS_fork < TF_IPC_FIRST && SYS_exec < TF_IPC_FIRST && SYS_ipc_call >= TF_IPC_FIRST &&
                   SYS_ipc_share >= TF_IPC_FIRST && SYS_ipc_recv >= TF_IPC_FIRST &&
                   SYS_ipc_reply_recv >= TF_IPC_FIRST,
               "trapframe.h's TF_IPC_FIRST: fork and exec save every register, IPC calls not");

/* The entry of the calls in TF_FULL_SYSCALLS (trap_init_frame), interrupts
 * off. The trampoline leaves the user's a1..a5 and a7 in their registers
 * and, for the IPC calls, its a0 in a6 (trampoline.S: ipc_syscall). */
uint64 ipc_fast_syscall(uint64 unused, uint64 a1, uint64 a2, uint64 a3, uint64 a4, uint64 a5,
                        uint64 a0, uint64 nr)
{
    (void)unused;
    struct cpu *c = mycpu();
    if (!c->resched && !trace_on()) {
        if (nr == SYS_ipc_call) return fast_call(c->proc, c, a0, (uint64[4]){a1, a2, a3, a4});
        if (nr == SYS_ipc_reply_recv)
            return fast_reply_recv(c->proc, c, a0, a1, (uint64[4]){a2, a3, a4, a5});
    }
    return usersyscall();
}
