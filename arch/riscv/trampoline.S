# The trampoline page: mapped at TRAMPOLINE (0x3FFFFFF000) in every user table
# and in every kernel table (per process, or the one global table), so the
# code keeps running while it switches satp. TRAPFRAME is the page below, at
# TF_* offsets (arch/riscv/trapframe.h); sscratch holds its address.
# A system call is a real call of usersyscall() (docs/traps.md): s0-s11 stay
# in their registers, kept by the C calling convention, and the temporaries
# come back zeroed; interrupts, fork and exec save every register, for
# userret to load back. The IPC calls (ipc_syscall) save s0-s11 too, for a
# process the IPC fast path parks, but no temporaries: they return through
# ipcret, which zeroes them. Exceptions (userfault) keep s0-s11 in their
# registers, like a system call, and load every other register back.

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

# a0 = TRAPFRAME. What every system call saves and restores: ra, sp, gp,
# tp, the arguments a1..a5 (IPC returns words there) and the number a7.
.macro keep_regs op
    .irp r, 1, 2, 3, 4, 11, 12, 13, 14, 15, 17
    \op x\r, TF_REG(\r)(a0)
    .endr
.endm

# The temporaries t1..t6 and a6 (t0 goes first, alone): a short system
# call returns them zeroed (pagoda/abi.h), every other trap keeps them.
.macro temp_regs op
    .irp r, 6, 7, 16, 28, 29, 30, 31
    \op x\r, TF_REG(\r)(a0)
    .endr
.endm

# s0-s11
.macro sregs op
    .irp r, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    \op x\r, TF_REG(\r)(a0)
    .endr
.endm

# The kernel's trap vector and table, with t0 kept (where to go).
.macro enter_kernel
    ld t1, TF_KERNEL_VEC(a0)
    csrw stvec, t1
    ld t1, TF_KERNEL_SATP(a0)
    load_satp t1, t2
.endm

# The user's table in \satp, and this page's uservec for the next trap
# (interrupts are off until sret).
.macro leave_kernel satp
    load_satp \satp, t0
    lla t0, uservec
    csrw stvec, t0
.endm

    .section .text.trampoline, "ax"
    .balign 4096
    .globl trampoline, uservec, userret, ipcswitch

trampoline:
uservec:                    # stvec while in user mode
    csrrw a0, sscratch, a0  # a0 = TRAPFRAME, sscratch = user a0
    keep_regs sd
    sd t0, TF_REG(5)(a0)
    csrrw t0, sscratch, a0  # the user's a0, and TRAPFRAME back in sscratch
    sd t0, TF_REG(10)(a0)
    csrr t0, sepc
    ld sp, TF_KERNEL_SP(a0)
    ld tp, TF_KERNEL_TP(a0)
    csrr ra, scause
    addi ra, ra, -8         # EXC_ECALL_U
    bnez ra, trap           # an interrupt or a fault
    addi t0, t0, 4          # a system call returns past the ecall
    sd t0, TF_EPC(a0)
    ld t0, TF_KERNEL_SYSCALL(a0)
    li ra, TF_FULL_SYSCALLS
    srl ra, ra, a7          # bit a7 % 64: a number past NSYSCALL may go either way
    andi ra, ra, 1
    bnez ra, full_syscall
    enter_kernel
    jalr t0                 # a0 = usersyscall(): the user satp
    leave_kernel a0
    csrr a0, sscratch
    ld t0, TF_EPC(a0)
    csrw sepc, t0
    keep_regs ld
    .irp r, t0, t1, t2, a6, t3, t4, t5, t6
    li \r, 0                # no kernel value stays in a temporary
    .endr
    ld a0, TF_REG(10)(a0)
    sret

full_syscall:               # s0-s11; the temporaries for fork and exec only
    sregs sd
    ld t0, TF_KERNEL_FULL(a0)
    sltiu ra, a7, TF_IPC_FIRST # below the IPC numbers: fork, exec
    beqz ra, ipc_syscall
    temp_regs sd
    enter_kernel
    lla ra, userret
    jr t0                   # ipc_fast_syscall() or usersyscall()

ipc_syscall:                # an IPC call: its temporaries come back zeroed
    ld a6, TF_REG(10)(a0)   # the user's a0 for ipc_fast_syscall (a1..a5, a7 are there)
    enter_kernel
    lla ra, ipcret
    jr t0                   # ipc_fast_syscall() or usersyscall()

trap:                       # an interrupt or an exception: t1-t6 and a6 too
    sd t0, TF_EPC(a0)
    temp_regs sd
    csrr t1, scause
    bltz t1, interrupt
    # An exception (a page fault, mostly) is a C call of userfault(), like a
    # short system call: s0-s11 stay in their registers, kept by C. But a
    # fault is not a call: every other register comes back from the frame.
    ld t0, TF_KERNEL_FAULT(a0)
    enter_kernel
    jalr t0                 # a0 = userfault(): the user satp
    leave_kernel a0
    csrr a0, sscratch
    ld t0, TF_EPC(a0)
    csrw sepc, t0
    temp_regs ld
    keep_regs ld
    ld t0, TF_REG(5)(a0)
    ld a0, TF_REG(10)(a0)
    sret

interrupt:                  # the whole frame, and back through userret
    sregs sd
    ld t0, TF_KERNEL_TRAP(a0)
    enter_kernel
    jr t0                   # usertrap()

# ipcswitch(kernel satp, user satp, &sched_lock.locked): the IPC fast
# path's hand-over (proc/ipc_fast.c). The next process's kernel table first,
# then the lock goes: the process that stopped may be woken on another hart
# the moment it is free, and exit, freeing its stack and kernel table, so
# nothing here uses a stack. Then back to user mode as from an IPC call.
ipcswitch:
    csrr t0, satp
    beq t0, a0, 1f
    csrw satp, a0
    sfence.vma zero, zero
1:  fence rw, w
    sw zero, 0(a2)
    mv a0, a1

ipcret:                     # ipcret(user satp): the IPC calls' return, temporaries zeroed
    leave_kernel a0
    csrr a0, sscratch
    ld t0, TF_EPC(a0)
    csrw sepc, t0
    sregs ld
    keep_regs ld
    .irp r, t0, t1, t2, a6, t3, t4, t5, t6
    li \r, 0                # the frame holds none of them (ipc_syscall)
    .endr
    ld a0, TF_REG(10)(a0)
    sret

userret:                    # userret(user satp): every register from the frame
    leave_kernel a0
    csrr a0, sscratch
    ld t0, TF_EPC(a0)
    csrw sepc, t0
    sregs ld
    temp_regs ld
    keep_regs ld
    ld t0, TF_REG(5)(a0)
    ld a0, TF_REG(10)(a0)
    sret
