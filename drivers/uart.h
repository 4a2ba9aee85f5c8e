/* The 16550 UART that is the kernel's console (address and interrupt from
 * the device tree). */
#ifndef PAGODA_UART_H
#define PAGODA_UART_H

#include "arch/riscv/types.h"

extern uint32 uart_irq; /* its PLIC source; no user-space driver may bind it */

void uart_init(uint64 base_pa);
void uart_putc(int c); /* waits for room; safe with interrupts off */
int uart_getc(void);   /* -1 when nothing is waiting */

#endif
