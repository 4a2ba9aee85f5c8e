/* Traps: entry from user and kernel mode, system calls, timer, interrupts. */
#ifndef PAGODA_TRAP_H
#define PAGODA_TRAP_H

#include "arch/riscv/types.h"

/* Saved user state, one page per process, mapped at TRAPFRAME. The offsets
 * are used by arch/riscv/trampoline.S. */
struct trapframe {
    uint64 regs[32];    /* x0..x31 by register number; regs[0] unused */
    uint64 epc;         /* 256: user pc */
    uint64 kernel_satp; /* 264: this process's kernel table */
    uint64 kernel_sp;   /* 272: top of its kernel stack */
    uint64 kernel_trap; /* 280: usertrap() */
    uint64 kernel_tp;   /* 288: this hart's struct cpu */
};
#define REG_RA 1
#define REG_SP 2
#define REG_A0 10
#define REG_A1 11
#define REG_A7 17

void trap_init_hart(void);
void usertrap(void);
_Noreturn void usertrapret(void);
void kerneltrap(void);
void timer_init_hart(void);
void timer_interrupt(void);
extern uint64 timebase_hz;

long syscall_dispatch(struct trapframe *tf);

#endif
