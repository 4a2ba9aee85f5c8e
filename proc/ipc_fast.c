/* The IPC fast path (docs/ipc.md, "The fast path"): a short, separate path
 * for the two calls of a client/server round trip, tried first by
 * sys_ipc_call and sys_ipc_reply_recv. When it applies it never returns: it
 * moves the words from one process's saved registers to the other's,
 * switches to the other process's kernel table and an empty kernel stack,
 * and returns to user mode there. When it does not apply it returns at once,
 * having changed nothing, and the general path in ipc.c does the call.
 *
 * ipc_call(h, w1..w4) takes the fast path when ALL of these hold:
 *   - h names an endpoint whose owner lives and is not the caller;
 *   - the owner is blocked receiving on it (so nothing is queued for it);
 *   - the call shares no pages (SYS_ipc_call, not SYS_ipc_share);
 *   - the caller has not been killed, and this hart's time slice is not over.
 * ipc_reply_recv(h, pid, w1..w4) takes it when ALL of these hold:
 *   - h names an endpoint the caller owns, which receives no kernel events
 *     and has no notify bits and no callers queued (recv would not block);
 *   - pid is a process awaiting the caller's reply to a call on one of its
 *     endpoints (the same test as ipc.c's reply_target);
 *   - the caller has not been killed, and this hart's time slice is not over.
 *
 * The process that blocks here is "parked": its saved context starts
 * fast_resume on an empty kernel stack, so whatever wakes it later (the
 * fast path, a reply or kill on the general path, a server's death) needs
 * nothing from its old kernel stack. Everything happens under sched_lock,
 * which the next process releases on its own stack, as after swtch. */
#include "proc/proc.h"
#include "proc/ipc_internal.h"
#include "proc/trace.h"
#include "trap/trap.h" /* usertrapret: the woken process returns to user mode */

/* Where a parked process continues when the general path wakes it: its
 * call's result, as ipc.c's blocked calls return it, goes to a0. */
static void fast_resume(void)
{
    struct proc *p = myproc();
    p->tf->regs[REG_A0] = (uint64)p->ipc.result;
    spin_unlock(&sched_lock);
    TRACE(TR_SYSRET, p->pid, p->tf->regs[REG_A7], p->ipc.result, 0, 0);
    if (p->killed) proc_exit(-1);
    if (mycpu()->resched) yield();
    usertrapret();
}

/* sched_lock, taken from a system call: interrupts are on and this hart
 * holds no lock, so intr_push's bookkeeping is known without reading it. */
static inline void lock_from_syscall(struct cpu *c)
{
    intr_off();
    c->noff = 1;
    c->intena = 1;
    while (__atomic_exchange_n(&sched_lock.locked, 1, __ATOMIC_ACQUIRE)) {
    }
    sched_lock.owner = c;
}

/* Where the process the fast path switched to continues, its a0..a5 set:
 * release sched_lock, leave interrupts off (sret turns them on), and go. */
static void fast_finish(void)
{
    struct cpu *c = mycpu();
    sched_lock.owner = NULL;
    __atomic_store_n(&sched_lock.locked, 0, __ATOMIC_RELEASE);
    c->noff = 0;
    usertrapret();
}

/* p blocks (its state and queue are set): it will start over in fast_resume. */
static void park(struct proc *p)
{
    p->ctx.ra = (uint64)fast_resume;
    p->ctx.sp = p->tf->kernel_sp;
    p->ctx.s[0] = 0; /* the frame pointer: the end of a backtrace */
}

/* Give this hart to next, asleep in IPC until now, on an empty kernel stack. */
static _Noreturn void run_now(struct cpu *c, struct proc *next)
{
    next->state = RUNNING;
    c->proc = next;
    next->tf->kernel_tp = (uint64)c;
    KSTAT_INC(ctx_switch);
    if (next->kernel_satp != csr_read(satp)) KSTAT_INC(satp_write); /* as kstack_restart does */
    kstack_restart(next->kernel_satp, next->tf->kernel_sp, fast_finish);
}

/* The events the general path would record, in its order: one branch on
 * the hot path instead of one per event. */
static __attribute__((noinline, cold)) void trace_fast(struct proc *from, struct proc *to,
                                                       struct endpoint *ep, int call)
{
    struct ipc_msg *m = to->ipc.msg;
    if (call) {
        TRACE(TR_IPC_CALL, from->pid, ep - endpoints, to->pid, m->w[0], m->w[1]);
        TRACE(TR_IPC_RECV, to->pid, ep - endpoints, from->pid, m->w[0], m->w[1]);
    } else {
        TRACE(TR_IPC_REPLY, from->pid, to->pid, m->w[0], m->w[1], 0);
    }
    TRACE(TR_SWITCH, from->pid, from->pid, to->pid, 0, 0);
    TRACE(TR_SYSRET, to->pid, to->tf->regs[REG_A7], to->tf->regs[REG_A0], 0, 0);
}

void ipc_fast_call(struct proc *p, int h)
{
    if (h < 0 || h >= NHANDLE) return;
    struct cpu *c = mycpu();
    lock_from_syscall(c);
    struct endpoint *ep = p->ipc.handles[h];
    struct proc *srv = ep ? ep->owner : NULL;
    if (!srv || srv == p || list_empty(&ep->receiver) || p->killed || c->resched) {
        spin_unlock(&sched_lock);
        return;
    }
    KSTAT_INC(ipc_fast);
    /* the server: receives the words and the caller's pid */
    struct ipc_msg *cm = p->ipc.msg, *sm = srv->ipc.msg;
    sm->w[0] = cm->w[0], sm->w[1] = cm->w[1], sm->w[2] = cm->w[2], sm->w[3] = cm->w[3];
    sm->shared = 0;
    srv->tf->regs[REG_A0] = (uint64)p->pid;
    srv->ipc.result = p->pid; /* as deliver_call leaves it */
    list_del(&srv->qlink);
    srv->ipc.wait = IPC_IDLE;
    /* the caller: awaits the reply */
    p->ipc.share_va = p->ipc.share_npages = 0;
    p->ipc.ep = ep;
    p->ipc.result = -EINTR; /* unless replied to first */
    p->ipc.wait = IPC_AWAITING_REPLY;
    p->state = SLEEPING;
    list_add_tail(&ep->awaiting, &p->qlink);
    if (__builtin_expect(trace_on(), 0)) trace_fast(p, srv, ep, 1);
    park(p);
    run_now(c, srv);
}

void ipc_fast_reply_recv(struct proc *p, int h, int pid)
{
    if (h < 0 || h >= NHANDLE) return;
    struct cpu *c = mycpu();
    lock_from_syscall(c);
    struct endpoint *ep = p->ipc.handles[h];
    struct proc *cl = proc_find(pid);
    if (!ep || ep->owner != p || ep->sub || ep->notify_bits || !list_empty(&ep->senders) || !cl ||
        cl->state != SLEEPING || cl->ipc.wait != IPC_AWAITING_REPLY || cl->ipc.ep->owner != p ||
        p->killed || c->resched) {
        spin_unlock(&sched_lock);
        return;
    }
    /* the caller: its reply words (our a2..a5), result 0 */
    const uint64 *reply = &p->tf->regs[REG_A1 + 1];
    struct ipc_msg *cm = cl->ipc.msg;
    cm->w[0] = reply[0], cm->w[1] = reply[1], cm->w[2] = reply[2], cm->w[3] = reply[3];
    list_del(&cl->qlink);
    cl->ipc.wait = IPC_IDLE;
    cl->ipc.result = 0;
    cl->tf->regs[REG_A0] = 0;
    /* the server: receives next */
    p->ipc.result = -EINTR; /* unless a message arrives first */
    p->ipc.wait = IPC_RECEIVING;
    p->state = SLEEPING;
    list_add_tail(&ep->receiver, &p->qlink);
    if (__builtin_expect(trace_on(), 0)) trace_fast(p, cl, ep, 0);
    park(p);
    run_now(c, cl);
}
