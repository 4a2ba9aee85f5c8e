/* Mapping and unmapping a run of 4 KiB pages a level-0 table at a time: one
 * walk of the user table, one lock for the reference counts and one walk of
 * the kernel's view per 2 MiB, instead of one of each per page. The shared
 * region's calls (shm.c) and exec's taking of the caller's frames
 * (proc/exec.c) use them; fork and exit do the same in vm.c. */
#include "mm/mm.h"

/* The level-0 table that maps va (created when alloc is set; NULL if it
 * cannot be), and *n cut at its end and at the end of the user half. */
static pte_t *run_table(struct vm *vm, uint64 va, uint64 *n, int alloc)
{
    uint64 i = PT_INDEX(0, va), left = PT_ENTRIES - i;
    if (va % PGSIZE || va >= USER_TOP) return NULL;
    if (*n > left) *n = left;
    if (*n > (USER_TOP - va) / PGSIZE) *n = (USER_TOP - va) / PGSIZE;
    if (alloc && vm->tables >= VM_TABLES_MAX) return NULL;
    pte_t *slot = pt_walk(vm->upt, va, 0, alloc);
    return slot ? slot - i : NULL;
}

/* vm_map_run; the tables it makes (user and kernel view) count for vm. */
static uint64 map_run(struct vm *vm, uint64 va, const pte_t *src, uint64 n, uint64 perm)
{
    pte_t *t = run_table(vm, va, &n, 1);
    uint64 i = PT_INDEX(0, va), k = 0;
    if (!t) return 0;
    for (; k < n && !(t[i + k] & PTE_V); k++) {
        void *page = src ? NULL : kalloc();
        if (!src && !page) break;
        t[i + k] = PA2PTE(src ? PTE2PA(src[k]) : V2P(page)) | perm | PTE_V;
    }
    /* A failure undoes the run: the references (a new frame's last one) and entries. */
    int taken = k && (!src || kref_table(t, i, i + k, 1) == 0);
    if (k && (!taken || kpt_mirror_table(vm, va - i * PGSIZE, t, i, i + k) < 0)) {
        if (taken) kref_table(t, i, i + k, -1);
        for (uint64 j = i; j < i + k; j++) t[j] = 0;
        return 0;
    }
    vm->bytes += k * PGSIZE;
    return k;
}

uint64 vm_map_run(struct vm *vm, uint64 va, const pte_t *src, uint64 n, uint64 perm)
{
    kalloc_count_tables(&vm->tables);
    uint64 k = map_run(vm, va, src, n, perm);
    kalloc_count_tables(NULL);
    return k;
}

uint64 vm_unmap_run(struct vm *vm, uint64 va, uint64 n)
{
    pte_t *t = run_table(vm, va, &n, 0); /* n is already inside the table */
    uint64 i = PT_INDEX(0, va), k = 0;
    for (uint64 j = i; t && j < i + n; j++) k += t[j] & PTE_V;
    if (!k) return 0;
    kref_table(t, i, i + n, -1); /* devices' entries are left out */
    for (uint64 j = i; j < i + n; j++) t[j] = 0;
    kpt_mirror_table(vm, va - i * PGSIZE, t, i, i + n); /* its table exists: cannot fail */
    vm->bytes -= k * PGSIZE;
    return k;
}
