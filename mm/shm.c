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

/* Take npages of address space, with an unmapped guard page after them. */
static long reserve(struct vm *vm, uint64 npages)
{
    if (npages == 0 || npages > (SHM_TOP - vm->shm_next) / PGSIZE - 1) return -ENOMEM;
    uint64 va = vm->shm_next;
    vm->shm_next += (npages + 1) * PGSIZE;
    return va;
}

long vm_shm_alloc(struct vm *vm, uint64 npages)
{
    long va = reserve(vm, npages);
    if (va < 0) return va;
    if (vm_alloc(vm, va, va + npages * PGSIZE, PTE_R | PTE_W) < 0) return -ENOMEM;
    return va;
}

long vm_shm_share(struct vm *dst, struct vm *src, uint64 va, uint64 npages)
{
    if (!in_shm(va, npages)) return -EINVAL;
    for (uint64 i = 0; i < npages; i++) {
        pte_t *pte = pt_lookup(src->upt, va + i * PGSIZE, NULL);
        if (!pte || (*pte & PTE_DEV)) return -EFAULT;
    }
    long dva = reserve(dst, npages);
    if (dva < 0) return dva;
    for (uint64 i = 0; i < npages; i++) {
        uint64 pa = PTE2PA(*pt_lookup(src->upt, va + i * PGSIZE, NULL));
        kref_get(pa, 1);
        if (vm_map(dst, dva + i * PGSIZE, pa, 0, PTE_R | PTE_W | PTE_U) < 0) {
            kfree(P2V(pa));
            vm_dealloc(dst, dva, dva + i * PGSIZE);
            return -ENOMEM;
        }
    }
    return dva;
}

long vm_shm_free(struct vm *vm, uint64 va, uint64 npages)
{
    if (!in_shm(va, npages)) return -EINVAL;
    return vm_dealloc(vm, va, va + npages * PGSIZE);
}

long vm_map_device(struct vm *vm, uint64 pa, uint64 bytes)
{
    uint64 npages = PGROUNDUP(bytes) / PGSIZE;
    if (pa % PGSIZE || bytes == 0 || !device_mappable(pa, bytes)) return -EINVAL;
    long va = reserve(vm, npages);
    if (va < 0) return va;
    for (uint64 i = 0; i < npages; i++) {
        if (vm_map(vm, va + i * PGSIZE, pa + i * PGSIZE, 0, PTE_R | PTE_W | PTE_U | PTE_DEV) < 0) {
            vm_dealloc(vm, va, va + i * PGSIZE);
            return -ENOMEM;
        }
    }
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
