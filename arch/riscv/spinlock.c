/* Spinlocks with interrupts disabled while held, so an interrupt handler on
 * the same hart can never spin on a lock its own hart holds. */
#include "arch/riscv/cpu.h"
#include "drivers/console.h"

struct cpu cpus[NCPU];
int ncpu = 1;

void intr_push(void)
{
    int was_on = intr_enabled();
    intr_off();
    struct cpu *c = mycpu();
    if (c->noff++ == 0) c->intena = was_on;
}

void intr_pop(void)
{
    struct cpu *c = mycpu();
    if (intr_enabled()) panic("intr_pop: interrupts on");
    if (c->noff < 1) panic("intr_pop: unbalanced");
    if (--c->noff == 0 && c->intena) intr_on();
}

void spin_init(struct spinlock *lk, const char *name)
{
    lk->locked = 0;
    lk->name = name;
    lk->owner = NULL;
}

int spin_holding(struct spinlock *lk)
{
    return lk->locked && lk->owner == mycpu();
}

void spin_lock(struct spinlock *lk)
{
    intr_push();
    if (spin_holding(lk)) panic("spin_lock: %s held twice", lk->name);
    while (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE)) {
    }
    lk->owner = mycpu();
}

void spin_unlock(struct spinlock *lk)
{
    if (!spin_holding(lk)) panic("spin_unlock: %s not held", lk->name);
    lk->owner = NULL;
    __atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
    intr_pop();
}
