/* The trapframe: a process's user registers, saved and restored by the
 * trampoline (trampoline.S) on every trap from user mode. One page per
 * process, mapped at TRAPFRAME in its user table (without PTE_U).
 *
 * The assembler cannot read a C struct, so the offsets are spelled out here
 * as TF_* numbers, which trampoline.S includes; the _Static_asserts below
 * make the build fail if the struct and the numbers ever disagree. */
#ifndef PAGODA_TRAPFRAME_H
#define PAGODA_TRAPFRAME_H

#define TF_VA             0x3FFFFFE000 /* TRAPFRAME (pagoda/memlayout.h) */
#define TF_REG(n)         (8 * (n))    /* register xn */
#define TF_EPC            256
#define TF_KERNEL_SATP    264
#define TF_KERNEL_SP      272
#define TF_KERNEL_TRAP    280
#define TF_KERNEL_TP      288
#define TF_KERNEL_SYSCALL 296
#define TF_KERNEL_VEC     304
#define TF_KERNEL_FULL    312
#define TF_KERNEL_FAULT   320
/* Bit n: system call n saves s0-s11 too, and for n < 20 (fork, exec) every
 * register (docs/traps.md); trap.c checks it against pagoda/abi.h: fork,
 * exec, ipc_call/share/recv/reply_recv. */
#define TF_FULL_SYSCALLS 0x17000082
/* Of those, the numbers from here on take the IPC shape (trampoline.S:
 * ipc_syscall; proc/ipc_fast.c checks it against pagoda/abi.h). */
#define TF_IPC_FIRST 20

#ifndef __ASSEMBLER__
#include "arch/riscv/types.h"
#include "pagoda/memlayout.h"

struct trapframe {
    uint64 regs[32];       /* x0..x31 by register number; regs[0] unused */
    uint64 epc;            /* user pc */
    uint64 kernel_satp;    /* this process's kernel table */
    uint64 kernel_sp;      /* top of its kernel stack */
    uint64 kernel_trap;    /* usertrap() */
    uint64 kernel_tp;      /* this hart's struct cpu (the trampoline loads tp from it) */
    uint64 kernel_syscall; /* usersyscall() */
    uint64 kernel_vec;     /* kernelvec: stvec while in the kernel */
    uint64 kernel_full;    /* the same for TF_FULL_SYSCALLS: ipc_fast_syscall() */
    uint64 kernel_fault;   /* userfault(): exceptions */
};
#define REG_RA 1
#define REG_SP 2
#define REG_A0 10
#define REG_A1 11
#define REG_A7 17

_Static_assert(TF_VA == TRAPFRAME, "trampoline.S's TRAPFRAME address");
_Static_assert(__builtin_offsetof(struct trapframe, regs) == TF_REG(0), "trapframe regs");
_Static_assert(__builtin_offsetof(struct trapframe, regs[31]) == TF_REG(31), "trapframe regs");
_Static_assert(__builtin_offsetof(struct trapframe, epc) == TF_EPC, "trapframe epc");
_Static_assert(__builtin_offsetof(struct trapframe, kernel_satp) == TF_KERNEL_SATP,
               "trapframe satp");
_Static_assert(__builtin_offsetof(struct trapframe, kernel_sp) == TF_KERNEL_SP, "trapframe sp");
_Static_assert(__builtin_offsetof(struct trapframe, kernel_trap) == TF_KERNEL_TRAP,
               "trapframe trap");
_Static_assert(__builtin_offsetof(struct trapframe, kernel_tp) == TF_KERNEL_TP, "trapframe tp");
_Static_assert(__builtin_offsetof(struct trapframe, kernel_syscall) == TF_KERNEL_SYSCALL,
               "trapframe syscall");
_Static_assert(__builtin_offsetof(struct trapframe, kernel_vec) == TF_KERNEL_VEC, "trapframe vec");
_Static_assert(__builtin_offsetof(struct trapframe, kernel_full) == TF_KERNEL_FULL,
               "trapframe full");
_Static_assert(__builtin_offsetof(struct trapframe, kernel_fault) == TF_KERNEL_FAULT,
               "trapframe fault");
_Static_assert(sizeof(struct trapframe) <= PGSIZE, "a trapframe fits its page");
#endif

#endif
