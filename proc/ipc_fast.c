/* The IPC fast path (docs/ipc.md, "The fast path"): a short, separate path
 * for the two calls of a client/server round trip. ipc_fast_syscall, the
 * entry of the full-frame system calls, tries it first, interrupts still
 * off. When it applies it never returns: it moves the words from one
 * process's saved registers to the other's, switches to the other's kernel
 * table and an empty kernel stack, and returns to user mode there. When it
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
 *   - pid is a process awaiting the caller's reply to a call on one of its
 *     endpoints (the same test as ipc.c's reply_target);
 *   - the caller has not been killed.
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

/* Where the process the fast path switched to continues, its a0..a5 set.
 * Interrupts have been off since the ecall: sstatus is as sret wants it. */
static void fast_finish(void)
{
    struct cpu *c = mycpu();
    struct proc *p = c->proc;
    sched_lock.owner = NULL;
    __atomic_store_n(&sched_lock.locked, 0, __ATOMIC_RELEASE);
    c->noff = 0;
    user_ret(p->user_satp); /* tf->kernel_satp is current: p entered the kernel with it */
    __builtin_unreachable();
}

/* p blocks (its state and queue are set): it will start over in fast_resume. */
static void park(struct proc *p)
{
    p->ctx.ra = (uint64)fast_resume;
    p->ctx.sp = p->tf->kernel_sp;
    p->ctx.s[0] = 0; /* the frame pointer: the end of a backtrace */
}

/* Give this hart to next, asleep in IPC until now, on an empty kernel stack. */
static inline __attribute__((always_inline)) _Noreturn void run_now(struct cpu *c,
                                                                    struct proc *next)
{
    next->state = RUNNING;
    c->proc = next;
    next->tf->kernel_tp = (uint64)c;
    KSTAT_INC(ctx_switch);
#ifndef PAGODA_KPT_SHARED /* uservec's, kstack_restart's if another table, userret's */
    KSTAT_ADD(satp_write, 2 + (next->kernel_satp != csr_read(satp)));
#endif
    kstack_restart(next->kernel_satp, next->tf->kernel_sp, fast_finish);
}

static __attribute__((noinline)) uint64 fast_call(struct proc *p, struct cpu *c, uint64 h)
{
    if (h >= NHANDLE) return usersyscall();
    lock_from_syscall(c);
    struct endpoint *ep = p->ipc.handles[h];
    struct proc *srv = ep ? ep->owner : NULL;
    if (!srv || srv == p || list_empty(&ep->receiver) || p->killed) {
        spin_unlock(&sched_lock);
        return usersyscall();
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
    park(p);
    run_now(c, srv);
}

static __attribute__((noinline)) uint64 fast_reply_recv(struct proc *p, struct cpu *c, uint64 h,
                                                        uint64 pid)
{
    if (h >= NHANDLE || pid > 0x7fffffff) return usersyscall();
    lock_from_syscall(c);
    struct endpoint *ep = p->ipc.handles[h];
    struct proc *cl = proc_find((int)pid);
    if (!ep || ep->owner != p || ep->sub || ep->notify_bits || !list_empty(&ep->senders) || !cl ||
        cl->state != SLEEPING || cl->ipc.wait != IPC_AWAITING_REPLY || cl->ipc.ep->owner != p ||
        p->killed) {
        spin_unlock(&sched_lock);
        return usersyscall();
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
    park(p);
    run_now(c, cl);
}

/* The entry of the calls in TF_FULL_SYSCALLS (trap_init_frame), interrupts off. */
uint64 ipc_fast_syscall(void)
{
    struct cpu *c = mycpu();
    struct proc *p = c->proc;
    const uint64 *a = p->tf->regs;
    if (!c->resched && !trace_on()) {
        if (a[REG_A7] == SYS_ipc_call) return fast_call(p, c, a[REG_A0]);
        if (a[REG_A7] == SYS_ipc_reply_recv) return fast_reply_recv(p, c, a[REG_A0], a[REG_A1]);
    }
    return usersyscall();
}
