# The trampoline page: mapped at TRAMPOLINE (0x3FFFFFF000) in every user table
# and every per-process kernel table, so the code keeps running while it
# switches satp. TRAPFRAME (0x3FFFFFE000) is the page below; the offsets are
# those of struct trapframe in trap/trap.h.

    .section .text.trampoline, "ax"
    .balign 4096
    .globl trampoline, uservec, userret

trampoline:
uservec:                    # stvec while in user mode
    csrw sscratch, a0
    li a0, 0x3FFFFFE000     # TRAPFRAME
    sd x1, 8(a0)
    sd x2, 16(a0)
    sd x3, 24(a0)
    sd x4, 32(a0)
    sd x5, 40(a0)
    sd x6, 48(a0)
    sd x7, 56(a0)
    sd x8, 64(a0)
    sd x9, 72(a0)
    sd x11, 88(a0)
    sd x12, 96(a0)
    sd x13, 104(a0)
    sd x14, 112(a0)
    sd x15, 120(a0)
    sd x16, 128(a0)
    sd x17, 136(a0)
    sd x18, 144(a0)
    sd x19, 152(a0)
    sd x20, 160(a0)
    sd x21, 168(a0)
    sd x22, 176(a0)
    sd x23, 184(a0)
    sd x24, 192(a0)
    sd x25, 200(a0)
    sd x26, 208(a0)
    sd x27, 216(a0)
    sd x28, 224(a0)
    sd x29, 232(a0)
    sd x30, 240(a0)
    sd x31, 248(a0)
    csrr t0, sscratch
    sd t0, 80(a0)           # user a0
    csrr t0, sepc
    sd t0, 256(a0)
    ld sp, 272(a0)
    ld tp, 288(a0)
    ld t0, 280(a0)
    ld t1, 264(a0)
    csrw satp, t1           # this process's kernel table
    sfence.vma zero, zero
    jr t0                   # usertrap()

userret:                    # userret(user satp)
    csrw satp, a0
    sfence.vma zero, zero
    li a0, 0x3FFFFFE000
    ld t0, 256(a0)
    csrw sepc, t0
    ld x1, 8(a0)
    ld x2, 16(a0)
    ld x3, 24(a0)
    ld x4, 32(a0)
    ld x5, 40(a0)
    ld x6, 48(a0)
    ld x7, 56(a0)
    ld x8, 64(a0)
    ld x9, 72(a0)
    ld x11, 88(a0)
    ld x12, 96(a0)
    ld x13, 104(a0)
    ld x14, 112(a0)
    ld x15, 120(a0)
    ld x16, 128(a0)
    ld x17, 136(a0)
    ld x18, 144(a0)
    ld x19, 152(a0)
    ld x20, 160(a0)
    ld x21, 168(a0)
    ld x22, 176(a0)
    ld x23, 184(a0)
    ld x24, 192(a0)
    ld x25, 200(a0)
    ld x26, 208(a0)
    ld x27, 216(a0)
    ld x28, 224(a0)
    ld x29, 232(a0)
    ld x30, 240(a0)
    ld x31, 248(a0)
    ld a0, 80(a0)
    sret
