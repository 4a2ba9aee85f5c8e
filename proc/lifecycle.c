/* fork, exit, wait and kill. The parent/child links and process states are
 * protected by sched_lock. */
#include "proc/proc.h"
#include "proc/trace.h"
#include "trap/trap.h" /* usertrapret: a new process starts by returning from a trap */

int procs_freeing;

/* Every new process starts here, holding sched_lock (see sched()). */
void fork_return(void)
{
    spin_unlock(&sched_lock);
    usertrapret();
}

/* May p have another child (docs/security.md)? At most PROC_CHILD_MAX
 * children each, and the last PROC_RESERVE free slots only for init, the
 * boot-image servers and init's own children (the shell), so that the shell
 * can always run kill, whatever a fork bomb does. Caller holds sched_lock. */
static int may_fork(struct proc *p)
{
    int n = 0;
    for (struct list *l = p->children.next; l != &p->children && n < PROC_CHILD_MAX; l = l->next)
        n++;
    if (n >= PROC_CHILD_MAX && p != initproc) return 0;
    return proc_free_slots() >= PROC_RESERVE || p == initproc || p->ipc.privileged ||
           p->ipc.init_child;
}

/* Link a new child to its parent and let it run. */
int proc_start_child(struct proc *p, struct proc *c)
{
    int pid = c->pid;
    spin_lock(&sched_lock);
    if (!may_fork(p)) {
        spin_unlock(&sched_lock);
        proc_free(c);
        return -EAGAIN;
    }
    c->parent = p;
    c->ipc.init_child = p == initproc;
    c->ipc.inject = p->ipc.inject;
    trace_fork(p, c);
    if (ipc_fork_event(c) < 0) {
        spin_unlock(&sched_lock);
        proc_free(c);
        return -EAGAIN;
    }
    ipc_fork(c, p);
    c->usys->ppid = p->pid;
    list_add_tail(&p->children, &c->sibling);
    TRACE(TR_FORK, p->pid, c->pid, 0, 0, 0);
    make_runnable(c);
    spin_unlock(&sched_lock);
    return pid;
}

/* A copy-on-write fork promises memory it does not take: the first store to
 * each shared page copies it. A fork that left no page free would have the
 * parent killed for want of memory at its first store after fork (its stack
 * in wait(), say) while the child still holds the page, and the child at
 * its own. So fork also fails (-ENOMEM) when it would leave fewer than this
 * many pages free: enough for both to reach exec, exit or wait. */
#define FORK_RESERVE_PAGES 16

int proc_fork(void)
{
    struct proc *p = myproc();
    struct proc *c = proc_alloc();
    if (!c) return -EAGAIN;
    if (vm_copy(&c->vm, &p->vm) < 0 || kalloc_free_pages() < FORK_RESERVE_PAGES) {
        proc_free(c);
        return -ENOMEM;
    }
    *c->tf = *p->tf;
    trap_init_frame(c->tf, c->frames.kstack_top); /* its own stack, not p's */
    c->tf->regs[REG_A0] = 0;                      /* fork returns 0 in the child */
    strlcpy(c->name, p->name, sizeof(c->name));
    return proc_start_child(p, c);
}

_Noreturn void proc_exit(int status)
{
    struct proc *p = myproc();
    if (p == initproc) panic("init exited with status %d", status);
    TRACE(TR_EXIT, p->pid, status, 0, 0, 0);
    /* Return user memory now; the kernel table and stack go when reaped.
     * A driver's devices stop first, or their DMA would land in freed frames. */
    if (p->ipc.privileged) vm_stop_devices(&p->vm);
    spin_lock(&sched_lock);
    procs_freeing++; /* frames and tables in flux: kernel_selfcheck waits */
    spin_unlock(&sched_lock);
    vm_free_user(&p->vm);

    spin_lock(&sched_lock);
    procs_freeing--;
    while (!list_empty(&p->children)) {
        struct proc *c = list_entry(list_pop(&p->children), struct proc, sibling);
        c->parent = initproc;
        c->usys->ppid = initproc->pid;
        list_add_tail(&initproc->children, &c->sibling);
        if (c->state == ZOMBIE) waitq_wake_all(&initproc->child_exit);
    }
    ipc_exit(p);
    if (p->ipc.privileged) irq_release(p); /* no one else may bind one */
    p->xstatus = status;
    p->state = ZOMBIE;
    waitq_wake_all(&p->parent->child_exit);
    sched();
    panic("exit: zombie %d ran", p->pid);
}

int proc_wait(uint64 ustatus)
{
    struct proc *p = myproc();
    if (ustatus && !user_range_ok(ustatus, sizeof(int))) return -EFAULT;
    spin_lock(&sched_lock);
    for (;;) {
        if (list_empty(&p->children)) {
            spin_unlock(&sched_lock);
            return -ECHILD;
        }
        for (struct list *l = p->children.next; l != &p->children; l = l->next) {
            struct proc *c = list_entry(l, struct proc, sibling);
            if (c->state != ZOMBIE) continue;
            list_del(&c->sibling);
            spin_unlock(&sched_lock);
            int pid = c->pid;
            if (ustatus && copyout(ustatus, &c->xstatus, sizeof(int)) < 0) {
                spin_lock(&sched_lock); /* keep the zombie for a later wait */
                list_add_tail(&p->children, &c->sibling);
                spin_unlock(&sched_lock);
                return -EFAULT;
            }
            proc_free(c);
            return pid;
        }
        if (p->killed) {
            spin_unlock(&sched_lock);
            return -EINTR;
        }
        waitq_sleep(&p->child_exit);
    }
}

/* Anyone may kill an ordinary process (Pagoda has no users); init never
 * dies, and the boot-image servers only by another boot-image program. */
int proc_kill(int pid)
{
    spin_lock(&sched_lock);
    struct proc *p = proc_find(pid);
    if (!p || p == initproc || (p->ipc.privileged && !myproc()->ipc.privileged)) {
        spin_unlock(&sched_lock);
        return p ? -EPERM : -ESRCH;
    }
    p->killed = 1;
    if (p->state == SLEEPING) { /* cut its sleep short; it exits on the way out */
        list_del(&p->qlink);
        p->ipc.wait = IPC_IDLE;
        make_runnable(p);
    }
    spin_unlock(&sched_lock);
    return 0;
}
