/* vmprint: the valid entries of a page table, depth first, one line each:
 * " .." per level, the index, the raw PTE and the physical address it holds.
 *
 *   page table 0x0000000087f6b000
 *    ..0: pte 0x0000000021fd9c01 pa 0x0000000087f67000
 *    .. ..0: pte 0x0000000021fd9801 pa 0x0000000087f66000
 */
#include "mm/mm.h"
#include "drivers/kprintf.h"

static void print_level(pagetable_t pt, int depth)
{
    /* LAB vmprint BEGIN */
    for (int i = 0; i < PT_ENTRIES; i++) {
        pte_t pte = pt[i];
        if (!(pte & PTE_V)) continue;
        for (int d = 0; d <= depth; d++) kprintf(" ..");
        kprintf("%d: pte %p pa %p\n", i, (void *)pte, (void *)PTE2PA(pte));
        if (!(pte & PTE_LEAF) && depth < 2) print_level(P2V(PTE2PA(pte)), depth + 1);
    }
    /* LAB STUB
    (void)pt;
    (void)depth;
    */
    /* LAB END */
}

void vmprint(pagetable_t pt)
{
    kprintf("page table %p\n", (void *)V2P(pt));
    print_level(pt, 0);
}
