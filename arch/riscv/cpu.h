/* Per-hart state, spinlocks and the context switch. tp holds this hart's
 * index into cpus[] whenever the kernel runs. */
#ifndef PAGODA_CPU_H
#define PAGODA_CPU_H

#include "arch/riscv/riscv.h"

#define NCPU 8

/* Callee-saved registers: what swtch keeps of a kernel thread. */
struct context {
    uint64 ra, sp;
    uint64 s[12];
};

struct proc;
struct cpu {
    struct proc *proc;      /* running process, or NULL in the idle loop */
    struct context idle;    /* the idle loop, suspended while a process runs */
    int noff;               /* depth of intr_push */
    int intena;             /* were interrupts on before the first intr_push? */
    uint32 hartid;
    int started;
};
extern struct cpu cpus[NCPU];
extern int ncpu;

static inline struct cpu *mycpu(void)
{
    return &cpus[r_tp()];
}

/* Nestable interrupt disable: the outermost pop restores the old state. */
void intr_push(void);
void intr_pop(void);

struct spinlock {
    volatile uint32 locked;
    const char *name;
    struct cpu *owner;
};
void spin_init(struct spinlock *lk, const char *name);
void spin_lock(struct spinlock *lk);
void spin_unlock(struct spinlock *lk);
int spin_holding(struct spinlock *lk);

/* Save callee-saved registers in *old, load satp, resume *new. */
void swtch(struct context *old, struct context *new, uint64 satp);

#endif
