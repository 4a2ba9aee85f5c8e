# The trampoline page: mapped at TRAMPOLINE (0x3FFFFFF000) in every user table
# and in every kernel table (per process, or the one global table), so the
# code keeps running while it switches satp. TRAPFRAME is the page below; the
# TF_* offsets are those of struct trapframe, checked against it at build
# time (arch/riscv/trapframe.h). sscratch holds TRAPFRAME on every hart
# (trap_init_hart), so one csrrw frees a register to address it.
#
# Two shapes of entry (docs/traps.md). Interrupts, faults and the system
# calls in TF_FULL_SYSCALLS save every register and enter usertrap(); they
# leave through userret, which loads every register back. Any other system
# call is a real call of usersyscall(): s0-s11 need no saving, as the C
# calling convention keeps them, and the temporaries come back zeroed.

#include "arch/riscv/trapframe.h"

# satp = \reg, flushing the TLB only if the table has no ASID
# (mm/kpt_perproc.c); nothing with PAGODA_KPT=shared, where the user table
# is the kernel's table too.
.macro load_satp reg, tmp
#ifndef PAGODA_KPT_SHARED
    csrw satp, \reg
    slli \tmp, \reg, 4      # the ASID (bits 44..59) at the top
    srli \tmp, \tmp, 48
    bnez \tmp, 1f
    sfence.vma zero, zero
1:
#endif
.endm

# a0 = TRAPFRAME. What a short system call saves and restores: the
# registers C code changes that the user keeps (ra, sp, gp, tp), the
# arguments (a1..a5 come back as they went in: IPC returns words there) and
# the number a7.
.macro keep_regs op
    \op x1, TF_REG(1)(a0)
    \op x2, TF_REG(2)(a0)
    \op x3, TF_REG(3)(a0)
    \op x4, TF_REG(4)(a0)
    \op x11, TF_REG(11)(a0)
    \op x12, TF_REG(12)(a0)
    \op x13, TF_REG(13)(a0)
    \op x14, TF_REG(14)(a0)
    \op x15, TF_REG(15)(a0)
    \op x17, TF_REG(17)(a0)
.endm

# The temporaries t1..t6 and a6 (t0 goes first, alone): a short system
# call returns them zeroed (pagoda/abi.h), every other trap keeps them.
.macro temp_regs op
    \op x6, TF_REG(6)(a0)
    \op x7, TF_REG(7)(a0)
    \op x16, TF_REG(16)(a0)
    \op x28, TF_REG(28)(a0)
    \op x29, TF_REG(29)(a0)
    \op x30, TF_REG(30)(a0)
    \op x31, TF_REG(31)(a0)
.endm

# s0-s11
.macro sregs op
    \op x8, TF_REG(8)(a0)
    \op x9, TF_REG(9)(a0)
    \op x18, TF_REG(18)(a0)
    \op x19, TF_REG(19)(a0)
    \op x20, TF_REG(20)(a0)
    \op x21, TF_REG(21)(a0)
    \op x22, TF_REG(22)(a0)
    \op x23, TF_REG(23)(a0)
    \op x24, TF_REG(24)(a0)
    \op x25, TF_REG(25)(a0)
    \op x26, TF_REG(26)(a0)
    \op x27, TF_REG(27)(a0)
.endm

# The user's a0 into the frame, TRAPFRAME back into sscratch; t0 = sepc.
.macro save_a0_epc
    csrrw t0, sscratch, a0
    sd t0, TF_REG(10)(a0)
    csrr t0, sepc
.endm

    .section .text.trampoline, "ax"
    .balign 4096
    .globl trampoline, uservec, userret

trampoline:
uservec:                    # stvec while in user mode
    csrrw a0, sscratch, a0  # a0 = TRAPFRAME, sscratch = user a0
    sd t0, TF_REG(5)(a0)
    csrr t0, scause
    addi t0, t0, -8         # EXC_ECALL_U
    bnez t0, full           # an interrupt or a fault
    li t0, TF_FULL_SYSCALLS
    srl t0, t0, a7          # bit a7 % 64: a number past NSYSCALL may go either way
    andi t0, t0, 1
    bnez t0, full
    keep_regs sd            # a short system call
    save_a0_epc
    addi t0, t0, 4          # return past the ecall
    sd t0, TF_EPC(a0)
    ld sp, TF_KERNEL_SP(a0)
    ld tp, TF_KERNEL_TP(a0)
    ld t0, TF_KERNEL_SYSCALL(a0)
    ld t1, TF_KERNEL_SATP(a0)
    load_satp t1, t2
    jalr t0                 # a0 = usersyscall(): the user satp
    load_satp a0, t0
    csrr a0, sscratch
    ld t0, TF_EPC(a0)
    csrw sepc, t0
    keep_regs ld
    li t0, 0                # no kernel value stays in a temporary
    li t1, 0
    li t2, 0
    li a6, 0
    li t3, 0
    li t4, 0
    li t5, 0
    li t6, 0
    ld a0, TF_REG(10)(a0)
    sret

full:                       # every register into the frame
    keep_regs sd
    temp_regs sd
    sregs sd
    save_a0_epc
    sd t0, TF_EPC(a0)
    ld sp, TF_KERNEL_SP(a0)
    ld tp, TF_KERNEL_TP(a0)
    ld t0, TF_KERNEL_TRAP(a0)
    ld t1, TF_KERNEL_SATP(a0)
    load_satp t1, t2
    jr t0                   # usertrap()

userret:                    # userret(user satp): every register from the frame
    load_satp a0, t0
    csrr a0, sscratch
    ld t0, TF_EPC(a0)
    csrw sepc, t0
    sregs ld
    temp_regs ld
    keep_regs ld
    ld t0, TF_REG(5)(a0)
    ld a0, TF_REG(10)(a0)
    sret
