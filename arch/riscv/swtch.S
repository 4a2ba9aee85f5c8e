# void swtch(struct context *old, struct context *new, uint64 satp)
# Saves the callee-saved registers, loads the next thread's page table, and
# resumes it. satp changes here, between the last use of the old stack and the
# first use of the new one, because each process's kernel stack is mapped only
# in its own kernel table (except with PAGODA_KPT=global, where all threads
# share one table and nothing changes).

    .section .text
    .globl swtch
swtch:
    sd ra, 0(a0)
    sd sp, 8(a0)
    sd s0, 16(a0)
    sd s1, 24(a0)
    sd s2, 32(a0)
    sd s3, 40(a0)
    sd s4, 48(a0)
    sd s5, 56(a0)
    sd s6, 64(a0)
    sd s7, 72(a0)
    sd s8, 80(a0)
    sd s9, 88(a0)
    sd s10, 96(a0)
    sd s11, 104(a0)
    csrr t0, satp
    beq t0, a2, 1f          # the same table (PAGODA_KPT=global): keep the TLB
    csrw satp, a2
    sfence.vma zero, zero
1:  ld ra, 0(a1)
    ld sp, 8(a1)
    ld s0, 16(a1)
    ld s1, 24(a1)
    ld s2, 32(a1)
    ld s3, 40(a1)
    ld s4, 48(a1)
    ld s5, 56(a1)
    ld s6, 64(a1)
    ld s7, 72(a1)
    ld s8, 80(a1)
    ld s9, 88(a1)
    ld s10, 96(a1)
    ld s11, 104(a1)
    ret

# void kstack_restart(uint64 satp, uint64 sp, void (*fn)(void))
# The IPC fast path's switch: no registers to keep (the process that stops
# starts over in a fresh function when it runs again), so only the kernel
# table, when it is another one, and an empty stack for fn.
    .globl kstack_restart
kstack_restart:
    csrr t0, satp
    beq t0, a0, 1f
    csrw satp, a0
    sfence.vma zero, zero
1:  mv sp, a1
    li s0, 0                # frame pointer: the end of a backtrace
    jr a2
