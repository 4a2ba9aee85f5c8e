/* CSR access and the few RISC-V privileged-ISA constants the kernel uses. */
#ifndef PAGODA_RISCV_H
#define PAGODA_RISCV_H

#include "arch/riscv/types.h"

#define csr_read(csr)                                                                              \
    ({                                                                                             \
        uint64 v_;                                                                                 \
        asm volatile("csrr %0, " #csr : "=r"(v_));                                                 \
        v_;                                                                                        \
    })
#define csr_write(csr, v) asm volatile("csrw " #csr ", %0" ::"r"((uint64)(v)))
#define csr_set(csr, v)   asm volatile("csrs " #csr ", %0" ::"r"((uint64)(v)))
#define csr_clear(csr, v) asm volatile("csrc " #csr ", %0" ::"r"((uint64)(v)))

/* sstatus */
#define SSTATUS_SIE  (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP  (1UL << 8)
#define SSTATUS_SUM  (1UL << 18)

/* sie / sip */
#define SIE_SSIE (1UL << 1)
#define SIE_STIE (1UL << 5)
#define SIE_SEIE (1UL << 9)

/* scause */
#define SCAUSE_INTR          (1UL << 63)
#define IRQ_S_SOFT           1
#define IRQ_S_TIMER          5
#define IRQ_S_EXT            9
#define EXC_INST_MISALIGNED  0
#define EXC_INST_ACCESS      1
#define EXC_ILLEGAL_INST     2
#define EXC_BREAKPOINT       3
#define EXC_LOAD_MISALIGNED  4
#define EXC_LOAD_ACCESS      5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS     7
#define EXC_ECALL_U          8
#define EXC_INST_PAGE_FAULT  12
#define EXC_LOAD_PAGE_FAULT  13
#define EXC_STORE_PAGE_FAULT 15

/* satp: Sv39 mode with the root table's physical page number */
#define SATP_SV39     (8UL << 60)
#define MAKE_SATP(pa) (SATP_SV39 | ((uint64)(pa) >> 12))
#define SATP_ASID(a)  ((uint64)(a) << 44) /* address-space id: 16 bits at most */

static inline void intr_on(void)
{
    asm volatile("csrsi sstatus, %0" ::"K"(SSTATUS_SIE)); /* one instruction, no li */
}
static inline void intr_off(void)
{
    asm volatile("csrci sstatus, %0" ::"K"(SSTATUS_SIE));
}
static inline int intr_enabled(void)
{
    return (csr_read(sstatus) & SSTATUS_SIE) != 0;
}
static inline uint64 r_tp(void)
{
    uint64 v;
    asm volatile("mv %0, tp" : "=r"(v));
    return v;
}

#endif
