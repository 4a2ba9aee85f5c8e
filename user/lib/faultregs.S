# void fault_regs(char *addr, unsigned long out[32])
# For ktest's fault_regs case (docs/traps.md): puts 0x100 + i in every
# register xi but sp and a0 (addr), stores a1 (0x10b) at addr, which the
# caller makes a page fault the kernel serves (a lazy heap page, a page
# shared copy-on-write), and stores every register as it came back in
# out[i], with out[0] = sp as it went in. A fault is not a call: every
# register must come back as it was.

    .text
    .globl fault_regs
fault_regs:
    addi sp, sp, -256
    sd ra, 0(sp)
    sd gp, 8(sp)
    sd tp, 16(sp)
    sd a1, 24(sp)           # out
    .irp i, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    sd x\i, 8 * \i(sp)      # s0-s11
    .endr
    sd sp, 48(sp)
    .irp i, 1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    li x\i, 0x100 + \i
    .endr
    sd a1, 0(a0)            # the fault
    sd t0, 32(sp)           # t0 as it came back: t0 becomes the pointer
    ld t0, 24(sp)
    .irp i, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    sd x\i, 8 * \i(t0)
    .endr
    ld t1, 32(sp)
    sd t1, 40(t0)           # out[5] = t0
    ld t1, 48(sp)
    sd t1, 0(t0)            # out[0] = sp before the fault
    ld ra, 0(sp)
    ld gp, 8(sp)
    ld tp, 16(sp)
    .irp i, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    ld x\i, 8 * \i(sp)
    .endr
    addi sp, sp, 256
    ret
