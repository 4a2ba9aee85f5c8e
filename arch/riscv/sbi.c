/* SBI calls: ecall with the extension id in a7 and the function id in a6. */
#include "arch/riscv/sbi.h"

#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI  0x735049
#define SBI_EXT_HSM  0x48534D
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_RFNC 0x52464E43

static struct sbiret sbi_call4(uint64 ext, uint64 fid, uint64 a0, uint64 a1, uint64 a2, uint64 a3)
{
    register uint64 r_a0 asm("a0") = a0;
    register uint64 r_a1 asm("a1") = a1;
    register uint64 r_a2 asm("a2") = a2;
    register uint64 r_a3 asm("a3") = a3;
    register uint64 r_a6 asm("a6") = fid;
    register uint64 r_a7 asm("a7") = ext;
    asm volatile("ecall"
                 : "+r"(r_a0), "+r"(r_a1)
                 : "r"(r_a2), "r"(r_a3), "r"(r_a6), "r"(r_a7)
                 : "memory");
    return (struct sbiret){(long)r_a0, (long)r_a1};
}

static struct sbiret sbi_call(uint64 ext, uint64 fid, uint64 a0, uint64 a1, uint64 a2)
{
    return sbi_call4(ext, fid, a0, a1, a2, 0);
}

void sbi_set_timer(uint64 stime)
{
    sbi_call(SBI_EXT_TIME, 0, stime, 0, 0);
}

long sbi_hart_start(uint64 hartid, uint64 start_pa, uint64 opaque)
{
    return sbi_call(SBI_EXT_HSM, 0, hartid, start_pa, opaque).error;
}

void sbi_send_ipi(uint64 hart_mask, uint64 hart_mask_base)
{
    sbi_call(SBI_EXT_IPI, 0, hart_mask, hart_mask_base, 0);
}

void sbi_remote_sfence_vma(uint64 start, uint64 size)
{
    /* hart_mask_base -1: every hart, this one included */
    sbi_call4(SBI_EXT_RFNC, 1, 0, -1UL, start, size);
}

_Noreturn void sbi_shutdown(void)
{
    sbi_call(SBI_EXT_SRST, 0, 0 /* shutdown */, 0 /* no reason */, 0);
    for (;;) asm volatile("wfi");
}
