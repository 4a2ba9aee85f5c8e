/* Per-process kernel page tables.
 *
 * Each process gets its own kernel table:
 *   - root entries 256..510 point at the global kernel table's own level-1
 *     tables (shared by reference: a new table costs a few pages, not a copy);
 *   - root entry 511 holds this process's kernel stack, guard page below;
 *   - the user half mirrors the user table's leaves without PTE_U, so the
 *     kernel reads and writes user memory by plain loads and stores.
 * The leaves' frames belong to the kernel or to the user table; destroying a
 * kernel table frees only its own table pages. */
#include "mm/mm.h"

extern char trampoline[];

pagetable_t kpt_create(const uint64 kstack_pa[KSTACK_PAGES])
{
    pagetable_t kpt = kalloc();
    if (!kpt) return NULL;
    for (int i = PT_ENTRIES / 2; i < PT_ENTRIES - 1; i++) kpt[i] = kernel_pagetable[i];
    for (int i = 0; i < KSTACK_PAGES; i++)
        if (pt_map(kpt, KSTACK_BASE + i * PGSIZE, kstack_pa[i], 0, PTE_R | PTE_W | PTE_A | PTE_D) <
            0)
            goto fail;
    /* The trap path switches satp while running here, so it needs the same VA. */
    if (pt_map(kpt, TRAMPOLINE, V2P(trampoline), 0, PTE_R | PTE_X | PTE_A) < 0) goto fail;
    return kpt;
fail:
    kpt_destroy(kpt);
    return NULL;
}

int kpt_mirror(pagetable_t kpt, uint64 va, pte_t upte, int level)
{
    if (!(upte & PTE_V)) {
        pt_unmap(kpt, va);
        return 0;
    }
    pte_t *pte = pt_walk(kpt, va, level, 1);
    if (!pte) return -1;
    if (level == 1 && (*pte & PTE_V) && !(*pte & PTE_LEAF))
        kfree(P2V(PTE2PA(*pte))); /* an emptied table gives way to a megapage */
    *pte = (upte & ~(PTE_U | PTE_X)) | PTE_A | PTE_D;
    return 0;
}

void kpt_destroy(pagetable_t kpt)
{
    pt_free_tables(kpt, 0, PT_ENTRIES / 2);
    pt_free_tables(kpt, PT_ENTRIES - 1, PT_ENTRIES);
    kfree(kpt);
}
