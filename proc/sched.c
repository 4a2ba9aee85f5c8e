/* The scheduler: one run queue, wait queues, and direct switches.
 *
 * sched_lock protects every process's state, the run queue and all wait
 * queues. A process gives up its hart by calling sched() with sched_lock held;
 * sched() switches straight to the next runnable process, or to this hart's
 * idle loop when there is none. The lock is released by whoever runs next. */
#include "proc/proc.h"
#include "proc/trace.h"
#include "arch/riscv/sbi.h"

struct spinlock sched_lock = {0, "sched", NULL};
static struct list runq = LIST_INIT(runq);
static struct list timerq = LIST_INIT(timerq); /* sleep(): sorted by wake_tick */
volatile uint64 ticks;

void waitq_init(struct waitq *wq)
{
    list_init(&wq->sleepers);
}

/* Wake one idle hart, if any, so new work does not wait for a timer tick. */
static void kick_idle_hart(void)
{
    struct cpu *me = mycpu();
    for (int i = 0; i < ncpu; i++) {
        struct cpu *c = &cpus[i];
        if (c != me && c->started && !c->proc) {
            sbi_send_ipi(1, c->hartid);
            return;
        }
    }
}

void make_runnable(struct proc *p)
{
    p->state = RUNNABLE;
    list_add_tail(&runq, &p->qlink);
    if (ncpu > 1) kick_idle_hart();
}

static void switch_to(struct context *from, struct proc *next)
{
    struct cpu *c = mycpu();
    TRACE(TR_SWITCH, TRACE_SELF, c->proc ? c->proc->pid : 0, next->pid, 0, 0);
    next->state = RUNNING;
    c->proc = next;
    KSTAT_INC(ctx_switch);
    if (next->kernel_satp != csr_read(satp)) KSTAT_INC(satp_write); /* as swtch does */
    next->tf->kernel_tp = (uint64)c; /* the trampoline's tp: this hart */
    swtch(from, &next->ctx, next->kernel_satp);
}

void sched_to(struct proc *next)
{
    struct cpu *c = mycpu();
    struct proc *p = c->proc;
    if (c->noff != 1 || p->state == RUNNING) panic("sched: locks or state");
    int intena = c->intena; /* belongs to this thread, not to the hart */
    if (!next) {
        TRACE(TR_SWITCH, p->pid, p->pid, 0, 0, 0);
        c->proc = NULL;
        KSTAT_INC(ctx_switch);
        if (kernel_satp != csr_read(satp)) KSTAT_INC(satp_write); /* as swtch does */
        swtch(&p->ctx, &c->idle, kernel_satp);
    } else if (next != p) {
        switch_to(&p->ctx, next);
    } else {
        p->state = RUNNING;
    }
    mycpu()->intena = intena;
}

/* The next process from the run queue starts a new time slice; a direct
 * switch (sched_to from IPC) goes on with the caller's. */
void sched(void)
{
    mycpu()->resched = 0;
    struct list *l = list_pop(&runq);
    sched_to(l ? list_entry(l, struct proc, qlink) : NULL);
}

_Noreturn void scheduler(void)
{
    struct cpu *c = mycpu();
    for (;;) {
        intr_on(); /* let device interrupts and IPIs in */
        spin_lock(&sched_lock);
        struct list *l = list_pop(&runq);
        if (l) {
            c->resched = 0; /* a new time slice */
            switch_to(&c->idle, list_entry(l, struct proc, qlink));
            spin_unlock(&sched_lock);
            continue;
        }
        spin_unlock(&sched_lock);
        /* Sleep with interrupts off: an IPI that arrives after the check stays
         * pending and ends the wfi at once, instead of being taken just before
         * it and leaving this hart asleep until the next tick. */
        intr_off();
        if (__atomic_load_n(&runq.next, __ATOMIC_RELAXED) == &runq) asm volatile("wfi");
    }
}

void yield(void)
{
    spin_lock(&sched_lock);
    struct proc *p = mycpu()->proc;
    make_runnable(p);
    sched();
    spin_unlock(&sched_lock);
}

void waitq_sleep(struct waitq *wq)
{
    struct proc *p = mycpu()->proc;
    p->state = SLEEPING;
    list_add_tail(&wq->sleepers, &p->qlink);
    sched();
}

void waitq_wake_all(struct waitq *wq)
{
    struct list *l;
    while ((l = list_pop(&wq->sleepers)) != NULL) {
        struct proc *p = list_entry(l, struct proc, qlink);
        make_runnable(p);
    }
}

void sleep_on(struct waitq *wq, struct spinlock *lk)
{
    spin_lock(&sched_lock);
    spin_unlock(lk);
    waitq_sleep(wq);
    spin_unlock(&sched_lock);
    spin_lock(lk);
}

void wake_all(struct waitq *wq)
{
    spin_lock(&sched_lock);
    waitq_wake_all(wq);
    spin_unlock(&sched_lock);
}

int sleep_ticks(uint64 n)
{
    struct proc *p = myproc();
    spin_lock(&sched_lock);
    p->wake_tick = ticks + n;
    while (ticks < p->wake_tick && !p->killed) {
        /* keep timerq sorted so the tick handler only looks at its head */
        struct list *pos = timerq.next;
        while (pos != &timerq && list_entry(pos, struct proc, qlink)->wake_tick <= p->wake_tick)
            pos = pos->next;
        list_add_tail(pos, &p->qlink);
        p->state = SLEEPING;
        sched();
    }
    int killed = p->killed;
    spin_unlock(&sched_lock);
    return killed ? -EINTR : 0;
}

void timer_tick_wakeups(uint64 now)
{
    spin_lock(&sched_lock);
    while (!list_empty(&timerq)) {
        struct proc *p = list_entry(timerq.next, struct proc, qlink);
        if (p->wake_tick > now) break;
        list_del(&p->qlink);
        make_runnable(p);
    }
    spin_unlock(&sched_lock);
}
