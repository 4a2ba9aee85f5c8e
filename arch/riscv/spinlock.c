/* The per-hart table. Spinlocks themselves are inline in cpu.h: interrupts
 * stay off while one is held, so an interrupt handler on the same hart can
 * never spin on a lock its own hart holds. */
#include "arch/riscv/cpu.h"

struct cpu cpus[NCPU];
int ncpu = 1;
