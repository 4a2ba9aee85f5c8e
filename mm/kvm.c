/* The global kernel page table. Its kernel-half top-level entries are built
 * once at boot and then shared by reference by every per-process kernel
 * table, so no kernel mapping may be added after boot. */
#include "mm/mm.h"
#include "arch/riscv/cpu.h" /* panic */

pagetable_t kernel_pagetable;
uint64 kernel_satp;                    /* ASID 0 */
uint64 kpt_asid_user, kpt_asid_kernel; /* mm/kpt_perproc.c sets them */

extern char _text_start[], _text_end[], _rodata_end[], _end[];

static void kmap(uint64 va, uint64 pa, uint64 size, uint64 perm)
{
    /* 2 MiB leaves where both ends allow it: fewer tables, fewer TLB misses */
    while (size > 0) {
        int mega = (va % MEGAPAGE) == 0 && (pa % MEGAPAGE) == 0 && size >= MEGAPAGE;
        uint64 step = mega ? MEGAPAGE : PGSIZE;
        if (pt_map(kernel_pagetable, va, pa, mega ? 1 : 0, perm | PTE_A | PTE_D | PTE_G) < 0)
            panic("kvm: cannot map %p", (void *)va);
        va += step, pa += step, size -= step;
    }
}

void kvm_init(uint64 ram_end_pa)
{
    kernel_pagetable = kalloc();
    /* Devices: the whole first 2 GiB of the physical map, as two 1 GiB leaves. */
    for (uint64 gb = 0; gb < 2; gb++)
        kernel_pagetable[PT_INDEX(2, KERNBASE) + gb] =
            PA2PTE(gb << 30) | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G | PTE_V;
    /* The kernel image, with the permissions each part needs. */
    uint64 text = (uint64)_text_start, rodata = (uint64)_text_end;
    uint64 data = PGROUNDUP((uint64)_rodata_end), end = PGROUNDUP((uint64)_end);
    kmap(text, V2P(text), rodata - text, PTE_R | PTE_X);
    kmap(rodata, V2P(rodata), data - rodata, PTE_R);
    kmap(data, V2P(data), end - data, PTE_R | PTE_W);
    /* The rest of RAM, for page frames and page tables. */
    kmap(end, V2P(end), (uint64)P2V(ram_end_pa) - end, PTE_R | PTE_W);
    kernel_satp = MAKE_SATP(V2P(kernel_pagetable));
    kpt_init(); /* what the kernel page-table design adds (mm/kpt_*.c) */
}

void kvm_init_hart(void)
{
    sfence_vma();
    csr_write(satp, kernel_satp);
    KSTAT_INC(satp_write);
    sfence_vma();
}
