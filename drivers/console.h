/* The line-buffered terminal that user programs read and write (system
 * calls cons_read/cons_write) until the fs server owns the console. */
#ifndef PAGODA_CONSOLE_H
#define PAGODA_CONSOLE_H

#include "arch/riscv/types.h"

void console_init(void);
void console_intr(void); /* UART receive interrupt */
long console_write_user(uint64 uva, long n);
long console_read_user(uint64 uva, long n);
long console_set_mode(long mode); /* CONS_COOKED/CONS_RAW -> old mode */

#endif
