# Registers across a trap, for ktest's syscall_regs, ipc_regs and
# fault_regs cases (docs/traps.md). Each function puts 0x100 + i in every
# register xi it does not need for the trap, traps, and stores every
# register as it came back in out[i], with out[0] = sp as it went in.
#
# long ecall_regs(long n, long a0, unsigned long out[32]): system call n
# (in a7) with argument a0; out[10] is the result, which it returns.
# void fault_regs(char *addr, unsigned long out[32]): stores a1 (0x10b) at
# addr, which the caller makes a page fault the kernel serves (a lazy heap
# page, a page shared copy-on-write); a0 stays addr. A fault is not a call:
# every register must come back as it was.

# Keep what the C caller needs back (ra, gp, tp, s0-s11) and out, from \out.
.macro regs_enter out
    addi sp, sp, -256
    sd ra, 0(sp)
    sd gp, 8(sp)
    sd tp, 16(sp)
    sd \out, 24(sp)
    .irp i, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    sd x\i, 8 * \i(sp)      # s0-s11
    .endr
    sd sp, 48(sp)
.endm

# 0x100 + i in every register but sp (x2), a0 (x10) and those named.
.macro regs_fill except
    .irp i, 1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    .if \i != \except
    li x\i, 0x100 + \i
    .endif
    .endr
.endm

# Every register as it came back into out, and the caller's back.
.macro regs_leave
    sd t0, 32(sp)           # t0 as it came back: t0 becomes the pointer
    ld t0, 24(sp)
    .irp i, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    sd x\i, 8 * \i(t0)
    .endr
    ld t1, 32(sp)
    sd t1, 40(t0)           # out[5] = t0
    ld t1, 48(sp)
    sd t1, 0(t0)            # out[0] = sp before the trap
    ld ra, 0(sp)
    ld gp, 8(sp)
    ld tp, 16(sp)
    .irp i, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    ld x\i, 8 * \i(sp)
    .endr
    addi sp, sp, 256
.endm

    .text
    .globl ecall_regs, fault_regs
ecall_regs:
    regs_enter a2
    mv a7, a0
    mv a0, a1
    regs_fill 17            # a7: the number
    ecall
    regs_leave
    ret

fault_regs:
    regs_enter a1
    regs_fill 0             # every one
    sd a1, 0(a0)            # the fault
    regs_leave
    ret
