/* Kernel output: kprintf and the whole-line console_puts, both safe from
 * any hart at any time, even with interrupts off. panic() is declared in
 * arch/riscv/cpu.h, because the spinlocks there call it. */
#ifndef PAGODA_KPRINTF_H
#define PAGODA_KPRINTF_H

#include "arch/riscv/types.h"

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_puts(const char *s, uint64 n); /* whole, not interleaved with other harts */
extern volatile int panicked;               /* set by panic: other harts stop printing */

#endif
