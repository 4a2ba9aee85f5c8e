# void swtch(struct context *old, struct context *new, uint64 satp)
# Saves the callee-saved registers, loads the next thread's page table, and
# resumes it. satp changes here, between the last use of the old stack and the
# first use of the new one, because each process's kernel stack is mapped only
# in its own kernel table (except with PAGODA_KPT=global, where all threads
# share one table and nothing changes).

# struct context: ra, sp, s0..s11, 8 bytes each (arch/riscv/cpu.h)
.macro context op, base
    \op ra, 0(\base)
    \op sp, 8(\base)
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    \op s\n, 16 + 8 * \n(\base)
    .endr
.endm

    .section .text
    .globl swtch
swtch:
    context sd, a0
    csrr t0, satp
    beq t0, a2, 1f          # the same table (PAGODA_KPT=global): keep the TLB
    csrw satp, a2
    sfence.vma zero, zero
1:  context ld, a1
    ret
