/* The PLIC: routes device interrupts to S-mode on every hart. A source is
 * masked by setting its priority to 0, so masking needs no per-hart work. */
#ifndef PAGODA_PLIC_H
#define PAGODA_PLIC_H

#include "arch/riscv/types.h"

void plic_init(uint64 base_pa);
void plic_init_hart(uint32 hartid);
void plic_enable(uint32 irq);
void plic_mask(uint32 irq, int masked);
uint32 plic_claim(void); /* 0: nothing pending */
void plic_complete(uint32 irq);

#endif
