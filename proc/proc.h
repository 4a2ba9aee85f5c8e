/* Processes, the scheduler, wait queues, and the boot image. */
#ifndef PAGODA_PROC_H
#define PAGODA_PROC_H

#include "arch/riscv/cpu.h"
#include "arch/riscv/trapframe.h"
#include "mm/mm.h"
#include "proc/list.h"
#include "proc/ipc.h"
#include "pagoda/abi.h"

#define NPROC          64
#define PROC_CHILD_MAX 40 /* children of one process (init excepted) */
#define PROC_RESERVE   4  /* free slots only init, servers and the shell may take */

enum procstate { UNUSED, EMBRYO, RUNNABLE, RUNNING, SLEEPING, ZOMBIE };

/* A queue of sleeping processes, protected by sched_lock. */
struct waitq {
    struct list sleepers;
};

struct proc {
    /* protected by sched_lock */
    enum procstate state;
    struct list qlink; /* on the run queue or on one wait queue */
    int killed;
    int xstatus;
    struct proc *parent;
    struct list children; /* my children, through their sibling links */
    struct list sibling;
    struct waitq child_exit; /* wait() sleeps here */
    uint64 wake_tick;        /* for sleep() */

    /* private to the process (or its creator, before it runs) */
    int pid;
    int last_pid; /* the slot's previous pid: the next is NPROC higher */
    struct context ctx;
    struct trapframe *tf;  /* kernel VA of the page mapped at TRAPFRAME */
    struct kframes frames; /* kernel stack, trapframe, USYSCALL page */
    struct usyscall *usys; /* kernel VA of the USYSCALL page */
    struct vm vm;
    uint64 kernel_satp; /* cached vm_kernel_satp(&vm) */
    uint64 user_satp;   /* cached vm_user_satp(&vm): every return to user loads it */
    char name[PROC_NAME_LEN];
    struct ipc_state ipc;
    int may_trace; /* the trace right (proc/trace.c: trace_fork) */
};

extern struct spinlock sched_lock;
extern struct proc *initproc;

/* A process moves to another hart only inside sched(), and the kernel never
 * preempts itself, so this needs no interrupt guard. */
static inline struct proc *myproc(void)
{
    return mycpu()->proc;
}

/* proc.c */
void proc_init(void);
struct proc *proc_alloc(void); /* EMBRYO with kernel stack, trapframe, tables */
void proc_free(struct proc *p);
struct proc *proc_find(int pid); /* caller holds sched_lock */
int proc_free_slots(void);       /* caller holds sched_lock */
struct proc *proc_slot(int i);   /* 0 <= i < NPROC, for the self-check */

/* selfcheck.c */
long kernel_selfcheck(void); /* 0, or the number of broken invariants */
extern int procs_freeing;    /* exits returning user memory now (sched_lock) */
void fault_inject_init(const char *bootargs);
long fault_inject_enable(struct proc *p, int on); /* p and its future children */
void proc_set_name(struct proc *p, const char *name);
int proc_info(int index, struct procinfo *out);
int proc_info_pid(int pid, struct procinfo *out); /* -ESRCH: none (or an embryo) */

/* sched.c */
void sched_init(void);
_Noreturn void scheduler(void);     /* each hart's idle loop */
void sched(void);                   /* give up the hart; caller holds sched_lock */
void sched_to(struct proc *next);   /* same, but run next (not queued) now, or idle if NULL */
void make_runnable(struct proc *p); /* caller holds sched_lock */
void yield(void);
void waitq_init(struct waitq *wq);
void waitq_sleep(struct waitq *wq);                   /* caller holds sched_lock */
void waitq_wake_all(struct waitq *wq);                /* caller holds sched_lock */
void sleep_on(struct waitq *wq, struct spinlock *lk); /* release lk while asleep */
void wake_all(struct waitq *wq);
int sleep_ticks(uint64 n); /* -EINTR if killed */
void timer_tick_wakeups(uint64 now);
extern volatile uint64 ticks;

/* lifecycle.c */
int proc_fork(void);
int proc_start_child(struct proc *parent, struct proc *c); /* -> pid */
_Noreturn void proc_exit(int status);
int proc_wait(uint64 ustatus);
int proc_kill(int pid);
void fork_return(void);

/* exec.c */
int exec_image(struct proc *p, uint64 uimage, uint64 len, uint64 uargv);
int exec_boot_module(struct proc *p, const char *name, char *args[], int argc);
int exec_spawn(uint64 uname, uint64 uargv);

/* bootmod.c: the programs linked into the kernel image */
struct bootmod {
    const char *name;
    const uint8 *data;
    uint64 size;
};
#define BOOTMOD_NAME_MAX 32
const struct bootmod *bootmod_find(const char *name);
const struct bootmod *bootmod_at(int index);

#endif
