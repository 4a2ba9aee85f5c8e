/* Sv39 page tables: walk, map, unmap, free. Pure table logic with no kernel
 * state, so the host unit tests compile it unchanged (tests/host/test_pt.c). */
#ifndef PAGODA_PT_H
#define PAGODA_PT_H

#include "arch/riscv/types.h"

#define PTE_V                (1UL << 0)
#define PTE_R                (1UL << 1)
#define PTE_W                (1UL << 2)
#define PTE_X                (1UL << 3)
#define PTE_U                (1UL << 4)
#define PTE_G                (1UL << 5)
#define PTE_A                (1UL << 6)
#define PTE_D                (1UL << 7)
#define PTE_COW              (1UL << 8) /* software bit: shared copy-on-write page */
#define PTE_DEV              (1UL << 9) /* software bit: device registers, not a RAM frame */
#define PTE_LEAF             (PTE_R | PTE_W | PTE_X)
#define PTE_FLAGS(pte)       ((pte)&0x3FFUL)
#define PTE2PA(pte)          (((pte) >> 10) << 12)
#define PA2PTE(pa)           ((((uint64)(pa)) >> 12) << 10)
#define PT_INDEX(level, va)  ((((uint64)(va)) >> (12 + 9 * (level))) & 0x1FF)
#define PT_LEVEL_SIZE(level) (1UL << (12 + 9 * (level)))
#define PT_ENTRIES           512

/* Provided by the environment: the kernel's page allocator, or the test's. */
void *pt_alloc_page(void); /* a zeroed page (its kernel VA), or NULL */
void pt_free_page(void *page);
#ifdef PT_TEST_ENV /* the host tests' own address conversions */
void *pt_pa2va(uint64 pa);
uint64 pt_va2pa(void *va);
#else /* the kernel's direct map, inline: a walk is on every page fault */
#include "arch/riscv/memlayout.h"
#define pt_pa2va(pa) P2V(pa)
#define pt_va2pa(va) V2P(va)
#endif

/* The PTE that maps va at `level` (0 = 4 KiB, 1 = 2 MiB), creating the tables
 * above it when alloc is set. NULL if a table is missing (or cannot be
 * allocated) or a larger leaf is in the way. */
pte_t *pt_walk(pagetable_t pt, uint64 va, int level, int alloc);
/* The leaf PTE that maps va at any level, or NULL; *level tells its size. */
pte_t *pt_lookup(pagetable_t pt, uint64 va, int *level);
/* Where a walk for va ends: the leaf that maps it, or else the invalid
 * entry it stopped at, at *level (0: the 4 KiB slot for va). Inline: a page
 * fault walks twice (the user table, the kernel's view of it). */
static inline pte_t *pt_slot(pagetable_t pt, uint64 va, int *level)
{
    int l = 2;
    pte_t *pte = &pt[PT_INDEX(2, va)];
    for (; l > 0 && (*pte & PTE_V) && !(*pte & PTE_LEAF); l--) /* a table: down a level */
        pte = (pte_t *)pt_pa2va(PTE2PA(*pte)) + PT_INDEX(l - 1, va);
    *level = l;
    return pte;
}
/* Map one page of PT_LEVEL_SIZE(level). -1 if out of memory or already
 * mapped; a 2 MiB leaf may take the place of an empty level-0 table. */
int pt_map(pagetable_t pt, uint64 va, uint64 pa, int level, uint64 perm);
#define pt_table_empty(t) (pt_next_valid(t, 0) == PT_ENTRIES) /* no valid entry */
/* Turn the 2 MiB leaf that maps va into `table` (a zeroed page the caller
 * allocated) of 512 4 KiB leaves with the same flags and frames. -1 if there
 * is no such leaf; the caller still owns table then. */
int pt_split(pagetable_t pt, uint64 va, pagetable_t table); /* table: a zeroed page */
/* Clear the leaf that maps va (any level); returns the old PTE or 0. */
pte_t pt_unmap(pagetable_t pt, uint64 va);
/* Call fn for each valid leaf that overlaps [start, end), in address order;
 * pt_for_each stops at level `min`: fn also gets the entries there that point to tables. */
typedef void (*pt_leaf_fn)(void *arg, uint64 va, pte_t *pte, int level);
/* Free the table pages (not the leaves' frames) under root entries [from, to) and
 * clear them; fn (or NULL) first gets each level-1 entry of the lower half. */
void pt_free_tables(pagetable_t pt, int from, int to, pt_leaf_fn fn, void *arg);
void pt_for_each(pagetable_t pt, uint64 start, uint64 end, int min, pt_leaf_fn fn, void *arg);
#define pt_for_each_leaf(pt, start, end, fn, arg) pt_for_each(pt, start, end, 0, fn, arg)

/* The first valid entry of table t at or after i, or PT_ENTRIES: a valid
 * next entry costs one test here, a gap a call to pt_skip_empty. */
int pt_skip_empty(const pte_t *t, int i);
static inline int pt_next_valid(const pte_t *t, int i)
{
    return i < PT_ENTRIES && (t[i] & PTE_V) ? i : pt_skip_empty(t, i);
}

#endif
