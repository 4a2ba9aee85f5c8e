# long ecall_regs(long n, long a0, unsigned long out[32])
# For ktest's syscall_regs case (docs/traps.md): puts 0x100 + i in every
# register xi but sp, a0 (the argument) and a7 (the number n), makes system
# call n, and stores every register as it came back in out[i] (out[10] is
# the result), with out[0] = sp as it went in. Returns the result.

    .text
    .globl ecall_regs
ecall_regs:
    addi sp, sp, -256
    sd ra, 0(sp)
    sd gp, 8(sp)
    sd tp, 16(sp)
    sd a2, 24(sp)           # out
    .irp i, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    sd x\i, 8 * \i(sp)      # s0-s11
    .endr
    sd sp, 48(sp)
    mv a7, a0
    mv a0, a1
    .irp i, 1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    li x\i, 0x100 + \i
    .endr
    ecall
    sd t0, 32(sp)           # t0 as it came back: t0 becomes the pointer
    ld t0, 24(sp)
    .irp i, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    sd x\i, 8 * \i(t0)
    .endr
    ld t1, 32(sp)
    sd t1, 40(t0)           # out[5] = t0
    ld t1, 48(sp)
    sd t1, 0(t0)            # out[0] = sp before the call
    ld ra, 0(sp)
    ld gp, 8(sp)
    ld tp, 16(sp)
    .irp i, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    ld x\i, 8 * \i(sp)
    .endr
    addi sp, sp, 256
    ret
