/* Kernel page-table design "perproc": a kernel table per process.
 *
 * Each process gets its own kernel table:
 *   - root entries 256..510 point at the global kernel table's own level-1
 *     tables (shared by reference: a new table costs a few pages, not a copy);
 *   - root entry 511 holds this process's kernel stack, guard page below;
 *   - the user half mirrors the user table's leaves without PTE_U, so the
 *     kernel reads and writes user memory by plain loads and stores.
 * The leaves' frames belong to the kernel or to the user table; detaching
 * frees only this table's own pages. */
#include "mm/mm.h"

extern char trampoline[];

const char kpt_design[] = "perproc";

int kpt_attach(struct vm *vm, const struct kframes *f)
{
    pagetable_t kpt = kalloc();
    if (!kpt) return -1;
    KSTAT_INC(pt_alloc);
    vm->kpt = kpt;
    for (int i = PT_ENTRIES / 2; i < PT_ENTRIES - 1; i++) kpt[i] = kernel_pagetable[i];
    for (int i = 0; i < KSTACK_PAGES; i++)
        if (pt_map(kpt, KSTACK_BASE + i * PGSIZE, f->kstack[i], 0, PTE_R | PTE_W | PTE_A | PTE_D) <
            0)
            return -1;
    /* The trap path switches satp while running here, so it needs the same VA. */
    return pt_map(kpt, TRAMPOLINE, V2P(trampoline), 0, PTE_R | PTE_X | PTE_A);
}

void kpt_detach(struct vm *vm)
{
    if (!vm->kpt) return;
    pt_free_tables(vm->kpt, 0, PT_ENTRIES / 2);
    pt_free_tables(vm->kpt, PT_ENTRIES - 1, PT_ENTRIES);
    kfree(vm->kpt);
    KSTAT_INC(pt_free);
    vm->kpt = NULL;
}

int kpt_mirror(struct vm *vm, uint64 va, pte_t upte, int level)
{
    /* Only the user half is mirrored: above it are the kernel's own entries.
     * (An aligned page that starts below USER_TOP ends inside the user half.) */
    if (va >= USER_TOP) return -1;
    if (!vm->kpt) return 0;
    if (!(upte & PTE_V)) {
        pt_unmap(vm->kpt, va);
        return 0;
    }
    pte_t *pte = pt_walk(vm->kpt, va, level, 1);
    if (!pte) return -1;
    if (level == 1 && (*pte & PTE_V) && !(*pte & PTE_LEAF))
        pt_free_page(P2V(PTE2PA(*pte))); /* an emptied table gives way to a megapage */
    *pte = (upte & ~(PTE_U | PTE_X)) | PTE_A | PTE_D;
    return 0;
}

int kpt_split(struct vm *vm, uint64 va, pagetable_t table)
{
    return pt_split(vm->kpt, va, table);
}
