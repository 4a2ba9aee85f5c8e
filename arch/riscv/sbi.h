/* Supervisor Binary Interface calls to OpenSBI (all M-mode services). */
#ifndef PAGODA_SBI_H
#define PAGODA_SBI_H

#include "arch/riscv/types.h"

struct sbiret {
    long error;
    long value;
};

void sbi_set_timer(uint64 stime);
long sbi_hart_start(uint64 hartid, uint64 start_pa, uint64 opaque);
void sbi_send_ipi(uint64 hart_mask, uint64 hart_mask_base);
/* sfence.vma of [start, start+size) on every hart (TLB shootdown) */
void sbi_remote_sfence_vma(uint64 start, uint64 size);
_Noreturn void sbi_shutdown(void);

#endif
