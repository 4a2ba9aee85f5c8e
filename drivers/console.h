/* The kernel console: a 16550 UART, kprintf/panic, and the line-buffered
 * terminal that user programs read and write until the fs server owns it. */
#ifndef PAGODA_CONSOLE_H
#define PAGODA_CONSOLE_H

#include "arch/riscv/cpu.h"

void uart_init(uint64 base_pa);
void uart_putc(int c); /* waits for room; safe with interrupts off */
int uart_getc(void);   /* -1 when nothing is waiting */

void console_init(void);
void console_intr(void); /* UART receive interrupt */
long console_write_user(uint64 uva, long n);
long console_read_user(uint64 uva, long n);
long console_set_mode(long mode); /* CONS_COOKED/CONS_RAW -> old mode */

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_puts(const char *s, uint64 n); /* whole, not interleaved with other harts */
extern volatile int panicked;

/* PLIC: route device interrupts to S-mode on every hart. */
void plic_init(uint64 base_pa);
void plic_init_hart(uint32 hartid);
/* Devices for user-space drivers (devices.c) */
struct fdt_info;
void devices_init(const struct fdt_info *dt);
int device_mappable(uint64 pa, uint64 bytes);
void device_stop(uint64 pa); /* reset it: no more DMA */

void plic_enable(uint32 irq);
void plic_mask(uint32 irq, int masked);
uint32 plic_claim(void);
void plic_complete(uint32 irq);

#endif
