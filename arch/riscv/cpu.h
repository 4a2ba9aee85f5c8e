/* Per-hart state, spinlocks and the context switch. tp holds this hart's
 * struct cpu whenever the kernel runs. */
#ifndef PAGODA_CPU_H
#define PAGODA_CPU_H

#include "arch/riscv/riscv.h"
#include "pagoda/kstat.h"

#define NCPU 8

/* Callee-saved registers: what swtch keeps of a kernel thread. */
struct context {
    uint64 ra, sp;
    uint64 s[12];
};

/* Free frames a hart keeps for kalloc, taken without the allocator's lock
 * (mm/kalloc.c); busy while the hart, or a hart out of frames, is at it. */
#define FRAME_CACHE 16
struct frame_cache {
    uint32 busy, n;
    void *frame[FRAME_CACHE];
};

struct proc;
struct cpu {
    struct proc *proc;   /* running process, or NULL in the idle loop */
    struct context idle; /* the idle loop, suspended while a process runs */
    int noff;            /* depth of intr_push */
    int intena;          /* were interrupts on before the first intr_push? */
    uint32 hartid;
    int started;
    uint64 *pt_tables;     /* page-table pages made here count here (mm/kalloc.c) */
    int trace_on;          /* a copy per hart: a trace hook is one load from tp (proc/trace.h) */
    uint64 kstat[KSTAT_N]; /* event counters (pagoda/kstat.h), summed by the kstat call */
    int resched;           /* a tick ended this hart's time slice: yield on the way to user */
    struct frame_cache frames; /* mm/kalloc.c */
};
extern struct cpu cpus[NCPU];
extern int ncpu;
extern volatile uint8 hart_index[NCPU]; /* entry.S: hartid -> cpus[] index, hartids < NCPU */

static inline struct cpu *mycpu(void)
{
    return (struct cpu *)r_tp();
}

static inline int cpu_index(void)
{
    return (int)(mycpu() - cpus);
}

/* Count an event on this hart (pagoda/kstat.h): one atomic add, no lock, so
 * an interrupt on the same hart cannot lose an update. */
#define KSTAT_ADD(name, n) __atomic_fetch_add(&mycpu()->kstat[KSTAT_##name], (n), __ATOMIC_RELAXED)
#define KSTAT_INC(name)    KSTAT_ADD(name, 1)

/* Flush this hart's TLB, counted (sfence_local). The flushes that go with
 * a satp write in the trampoline and swtch are counted as satp_write only. */
static inline void sfence_vma(void)
{
    asm volatile("sfence.vma zero, zero" ::: "memory");
    KSTAT_INC(sfence_local);
}
/* Only the entries for the page (of any size) that holds va, in every ASID. */
static inline void sfence_vma_page(uint64 va)
{
    asm volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
    KSTAT_INC(sfence_local);
}

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Nestable interrupt disable: the outermost pop restores the old state.
 * Inline, with the spinlocks: they are on every system call's path. */
static inline void intr_push(void)
{
    int was_on = intr_enabled();
    intr_off();
    struct cpu *c = mycpu();
    if (c->noff++ == 0) c->intena = was_on;
}

static inline void intr_pop(void)
{
    struct cpu *c = mycpu();
    if (intr_enabled() || c->noff < 1) panic("intr_pop: unbalanced");
    if (--c->noff == 0 && c->intena) intr_on();
}

struct spinlock {
    volatile uint32 locked;
    const char *name;
    struct cpu *owner;
};

static inline int spin_holding(struct spinlock *lk)
{
    return lk->locked && lk->owner == mycpu();
}

static inline void spin_lock(struct spinlock *lk)
{
    intr_push();
    if (lk->owner == mycpu()) panic("spin_lock: %s held twice", lk->name);
    while (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE)) {
    }
    lk->owner = mycpu();
}

static inline void spin_unlock(struct spinlock *lk)
{
    if (lk->owner != mycpu()) panic("spin_unlock: %s not held", lk->name);
    lk->owner = NULL;
    __atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
    intr_pop();
}

/* Save callee-saved registers in *old, load satp, resume *new. */
void swtch(struct context *old, struct context *new, uint64 satp);
#endif
