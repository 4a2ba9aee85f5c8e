/* The platform-level interrupt controller. Each hart has an S-mode context
 * (number 2*hartid+1 on QEMU virt); we enable device sources there. */
#include "drivers/plic.h"
#include "arch/riscv/cpu.h"
#include "arch/riscv/memlayout.h"

static volatile uint8 *plic = (volatile uint8 *)(VIRT_PLIC + KERNBASE);

#define PLIC_PRIORITY(irq)  (plic + 4 * (irq))
#define PLIC_ENABLE(ctx)    (plic + 0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (plic + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)     (plic + 0x200004 + 0x1000 * (ctx))
#define S_CONTEXT(hartid)   (2 * (hartid) + 1)

static uint32 enabled[4]; /* sources 0..127 enabled on every hart */
static struct spinlock plic_lock = {0, "plic", NULL};

void plic_init(uint64 base_pa)
{
    plic = P2V(base_pa);
}

static void plic_write_enables(uint32 hartid)
{
    for (int w = 0; w < 4; w++)
        *(volatile uint32 *)(PLIC_ENABLE(S_CONTEXT(hartid)) + 4 * w) = enabled[w];
}

void plic_init_hart(uint32 hartid)
{
    spin_lock(&plic_lock);
    plic_write_enables(hartid);
    spin_unlock(&plic_lock);
    *(volatile uint32 *)PLIC_THRESHOLD(S_CONTEXT(hartid)) = 0;
}

/* Route a source to every hart. */
void plic_enable(uint32 irq)
{
    spin_lock(&plic_lock);
    *(volatile uint32 *)PLIC_PRIORITY(irq) = 1;
    enabled[irq / 32] |= 1U << (irq % 32);
    for (int i = 0; i < ncpu; i++)
        if (cpus[i].started || &cpus[i] == mycpu()) plic_write_enables(cpus[i].hartid);
    spin_unlock(&plic_lock);
}

/* Mask or unmask a source with its priority (0 never interrupts). QEMU's
 * PLIC looks at pending sources again when a priority is written, so an
 * interrupt that came while masked is delivered on unmask. */
void plic_mask(uint32 irq, int masked)
{
    *(volatile uint32 *)PLIC_PRIORITY(irq) = masked ? 0 : 1;
}

uint32 plic_claim(void)
{
    return *(volatile uint32 *)PLIC_CLAIM(S_CONTEXT(mycpu()->hartid));
}

void plic_complete(uint32 irq)
{
    *(volatile uint32 *)PLIC_CLAIM(S_CONTEXT(mycpu()->hartid)) = irq;
}
