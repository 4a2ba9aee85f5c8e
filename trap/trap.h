/* Traps: entry from user and kernel mode, system calls, timer, interrupts. */
#ifndef PAGODA_TRAP_H
#define PAGODA_TRAP_H

#include "arch/riscv/trapframe.h"

void trap_init_hart(void);
_Noreturn void usertrap(void);
_Noreturn void usertrapret(void);
uint64 usersyscall(void); /* the short system-call entry: returns the user satp */
uint64 userfault(void);   /* the exception entry: the same */
void trap_init_frame(struct trapframe *tf, uint64 kstack_top); /* the fields that never change */
extern void (*user_ret)(uint64 satp);                          /* userret at TRAMPOLINE */
/* ipcswitch at TRAMPOLINE: the IPC fast path's way back to user mode. It
 * never returns; typed as returning, so the fast path tail-calls it. */
extern uint64 (*ipc_switch)(uint64 kernel_satp, uint64 user_satp, volatile uint32 *lock);
void kerneltrap(void);
void timer_init_hart(void);
void timer_interrupt(void);
extern uint64 timebase_hz;

#endif
