/* Pages shared between address spaces, and device registers, in the region
 * [SHM_BASE, SHM_TOP) of the user half. A shared frame is simply mapped in
 * several tables, each mapping holding a reference (kalloc.c), so it is freed
 * when the last mapping goes, whoever unmaps last. fork does not copy this
 * region: a child builds its own connections. */
#include "mm/mm.h"
#include "pagoda/abi.h"
#include "drivers/devices.h"

static int in_shm(uint64 va, uint64 npages)
{
    return va % PGSIZE == 0 && va >= SHM_BASE && va < SHM_TOP && npages > 0 &&
           npages <= (SHM_TOP - va) / PGSIZE;
}

/* Finding room: the first gap between mappings that holds the pages and an
 * unmapped guard page after them. Freed addresses are found again, so the
 * region (and the page tables under it) never grows past what is mapped.
 * The search starts at vm->shm_hint: below it no gap can hold even one page
 * and its guard, so a server that only adds mappings pays O(1) per share. */
struct gap {
    uint64 need;   /* bytes: the pages and the guard */
    uint64 cursor; /* first address after the last mapping and its guard */
    uint64 found;  /* where the pages go */
    uint64 first;  /* the first gap that could hold a single page */
};

static void gap_at(struct gap *g, uint64 end)
{
    if (g->found || end < g->cursor) return;
    if (!g->first && end - g->cursor >= 2 * PGSIZE) g->first = g->cursor;
    if (end - g->cursor >= g->need) g->found = g->cursor;
}

static void gap_leaf(void *arg, uint64 va, pte_t *pte, int level)
{
    struct gap *g = arg;
    (void)pte;
    gap_at(g, va);
    uint64 next = va + PT_LEVEL_SIZE(level) + PGSIZE;
    if (next > g->cursor) g->cursor = next;
}

/* An address for npages in [SHM_BASE, SHM_TOP), within the region's limit. */
static long reserve(struct vm *vm, uint64 npages)
{
    if (npages == 0 || npages > VM_SHM_MAX || vm->shm_pages + npages > VM_SHM_MAX) return -ENOMEM;
    uint64 from = vm->shm_hint > SHM_BASE ? vm->shm_hint : SHM_BASE;
    struct gap g = {(npages + 1) * PGSIZE, from, 0, 0};
    pt_for_each_leaf(vm->upt, from, SHM_TOP, gap_leaf, &g);
    gap_at(&g, SHM_TOP);
    if (!g.found) return -ENOMEM;
    vm->shm_hint = g.first == g.found ? g.found + g.need : g.first;
    return (long)g.found;
}

/* A reservation that failed half-way: unmap what was mapped, room for reuse. */
static long unreserve(struct vm *vm, uint64 va, uint64 mapped)
{
    vm_dealloc(vm, va, va + mapped * PGSIZE);
    if (va < vm->shm_hint) vm->shm_hint = va;
    return -ENOMEM;
}

/* Allocating, sharing and freeing go a level-0 table at a time (vm_run.c):
 * exec's read moves hundreds of pages through here per program. */
long vm_shm_alloc(struct vm *vm, uint64 npages)
{
    long va = reserve(vm, npages);
    if (va < 0) return va;
    for (uint64 i = 0, got; i < npages; i += got)
        if (!(got = vm_map_run(vm, va + i * PGSIZE, NULL, npages - i, PTE_R | PTE_W | PTE_U)))
            return unreserve(vm, va, i);
    vm->shm_pages += npages;
    return va;
}

long vm_shm_share(struct vm *dst, struct vm *src, uint64 va, uint64 npages)
{
    if (!in_shm(va, npages)) return -EINVAL;
    long dva = reserve(dst, npages);
    if (dva < 0) return dva;
    /* A run of src's pages in one of its level-0 tables; a page that cannot
     * be shared (not mapped, a device's) undoes the runs before it. */
    for (uint64 i = 0, got; i < npages; i += got) {
        uint64 a = va + i * PGSIZE, k = 0;
        uint64 n = npages - i < VM_RUN_MAX(a) ? npages - i : VM_RUN_MAX(a);
        pte_t *pte = pt_walk(src->upt, a, 0, 0);
        while (pte && k < n && (pte[k] & (PTE_V | PTE_DEV)) == PTE_V) k++;
        if (!k) {
            unreserve(dst, dva, i);
            return -EFAULT;
        }
        if (!(got = vm_map_run(dst, dva + i * PGSIZE, pte, k, PTE_R | PTE_W | PTE_U)))
            return unreserve(dst, dva, i);
    }
    dst->shm_pages += npages;
    return dva;
}

long vm_shm_free(struct vm *vm, uint64 va, uint64 npages)
{
    if (!in_shm(va, npages)) return -EINVAL;
    if (va < vm->shm_hint) vm->shm_hint = va;
    for (uint64 i = 0, n; i < npages; i += n) {
        uint64 a = va + i * PGSIZE;
        n = npages - i < VM_RUN_MAX(a) ? npages - i : VM_RUN_MAX(a);
        vm->shm_pages -= vm_unmap_run(vm, a, n);
    }
    sfence_vma();
    return 0;
}

long vm_map_device(struct vm *vm, uint64 pa, uint64 bytes)
{
    uint64 npages = PGROUNDUP(bytes) / PGSIZE;
    if (pa % PGSIZE || bytes == 0 || !device_mappable(pa, bytes)) return -EINVAL;
    long va = reserve(vm, npages);
    if (va < 0) return va;
    for (uint64 i = 0; i < npages; i++) {
        if (vm_map(vm, va + i * PGSIZE, pa + i * PGSIZE, 0, PTE_R | PTE_W | PTE_U | PTE_DEV) < 0)
            return unreserve(vm, va, i);
    }
    vm->shm_pages += npages;
    return va;
}

static void stop_leaf(void *arg, uint64 va, pte_t *pte, int level)
{
    (void)arg, (void)va, (void)level;
    if (*pte & PTE_DEV) device_stop(PTE2PA(*pte));
}

void vm_stop_devices(struct vm *vm)
{
    pt_for_each_leaf(vm->upt, SHM_BASE, SHM_TOP, stop_leaf, NULL);
}

long vm_va2pa(struct vm *vm, uint64 va)
{
    int level;
    pte_t *pte = va < USER_TOP ? pt_lookup(vm->upt, va, &level) : NULL;
    if (!pte || !(*pte & PTE_U)) return -EFAULT;
    return PTE2PA(*pte) + (va & (PT_LEVEL_SIZE(level) - 1));
}
