/* Sv39 page-table mechanics: a three-level radix tree of 512-entry tables.
 * A PTE with any of R/W/X set is a leaf; at level 1 a leaf maps 2 MiB. */
#include "mm/pt.h"

static int pte_is_leaf(pte_t pte)
{
    return (pte & PTE_V) && (pte & PTE_LEAF);
}

/* Tables are mostly empty and every unused PTE is 0: whole aligned groups
 * of sixteen go with one test (tables are page-aligned). */
#define OR8(p) ((p)[0] | (p)[1] | (p)[2] | (p)[3] | (p)[4] | (p)[5] | (p)[6] | (p)[7])
int pt_skip_empty(const pte_t *t, int i)
{
    const pte_t *p = t + i, *end = t + PT_ENTRIES;
    for (; p < end && (uint64)p % 128; p++)
        if (*p & PTE_V) return (int)(p - t);
    while (p < end && !(OR8(p) | OR8(p + 8))) p += 16;
    while (p < end && !(*p & PTE_V)) p++;
    return (int)(p - t);
}

pte_t *pt_walk(pagetable_t pt, uint64 va, int level, int alloc)
{
    for (int l = 2; l > level; l--) {
        pte_t *pte = &pt[PT_INDEX(l, va)];
        if (*pte & PTE_V) {
            if (pte_is_leaf(*pte)) return NULL;
            pt = pt_pa2va(PTE2PA(*pte));
            continue;
        }
        if (!alloc) return NULL;
        pagetable_t next = pt_alloc_page();
        if (!next) return NULL;
        *pte = PA2PTE(pt_va2pa(next)) | PTE_V;
        pt = next;
    }
    return &pt[PT_INDEX(level, va)];
}

pte_t *pt_lookup(pagetable_t pt, uint64 va, int *level)
{
    int l;
    pte_t *pte = pt_slot(pt, va, &l);
    if (!pte_is_leaf(*pte)) return NULL;
    if (level) *level = l;
    return pte;
}

int pt_map(pagetable_t pt, uint64 va, uint64 pa, int level, uint64 perm)
{
    pte_t *pte = pt_walk(pt, va, level, 1);
    if (!pte) return -1;
    if (*pte & PTE_V) {
        /* A large leaf may replace a table that no longer maps anything. */
        if (level == 0 || pte_is_leaf(*pte)) return -1;
        pagetable_t child = pt_pa2va(PTE2PA(*pte));
        if (level > 1 || !pt_table_empty(child)) return -1;
        pt_free_page(child);
    }
    *pte = PA2PTE(pa) | perm | PTE_V;
    return 0;
}

int pt_split(pagetable_t pt, uint64 va, pagetable_t t)
{
    pte_t *pte = pt_walk(pt, va, 1, 0);
    if (!pte || !pte_is_leaf(*pte)) return -1;
    uint64 pa = PTE2PA(*pte), flags = PTE_FLAGS(*pte);
    for (int i = 0; i < PT_ENTRIES; i++) t[i] = PA2PTE(pa + (uint64)i * 4096) | flags;
    *pte = PA2PTE(pt_va2pa(t)) | PTE_V;
    return 0;
}

pte_t pt_unmap(pagetable_t pt, uint64 va)
{
    pte_t *pte = pt_lookup(pt, va, NULL);
    if (!pte) return 0;
    pte_t old = *pte;
    *pte = 0;
    return old;
}

/* Free the tables below a non-leaf entry at `level` for va (its child is
 * level-1), handing each level-1 entry to fn (if any) first. */
static void free_subtree(pte_t pte, int level, uint64 va, pt_leaf_fn fn, void *arg)
{
    pagetable_t child = pt_pa2va(PTE2PA(pte));
    for (int i = level > 1 ? pt_next_valid(child, 0) : PT_ENTRIES; i < PT_ENTRIES;
         i = pt_next_valid(child, i + 1)) {
        pte_t e = child[i]; /* fn may clear a leaf */
        uint64 cva = va + (uint64)i * PT_LEVEL_SIZE(level - 1);
        if (fn && level == 2) fn(arg, cva, &child[i], 1);
        if (!pte_is_leaf(e)) free_subtree(e, level - 1, cva, fn, arg);
    }
    pt_free_page(child);
}

void pt_free_tables(pagetable_t pt, int from, int to, pt_leaf_fn fn, void *arg)
{
    for (int i = pt_next_valid(pt, from); i < to; i = pt_next_valid(pt, i + 1)) {
        if (!pte_is_leaf(pt[i])) free_subtree(pt[i], 2, (uint64)i * PT_LEVEL_SIZE(2), fn, arg);
        pt[i] = 0;
    }
}

static uint64 sign_extend(uint64 va)
{
    return (va & (1UL << 38)) ? (va | ~((1UL << 39) - 1)) : va;
}

static void for_each(pagetable_t pt, int level, uint64 base, uint64 start, uint64 end, int min,
                     pt_leaf_fn fn, void *arg)
{
    uint64 span = PT_LEVEL_SIZE(level), to = end - base; /* none past `end` is looked at */
    int last = to < PT_ENTRIES * span ? (int)((to + span - 1) / span) : PT_ENTRIES;
    for (int i = pt_next_valid(pt, 0); i < last; i = pt_next_valid(pt, i + 1)) {
        pte_t *pte = &pt[i];
        uint64 va = sign_extend(base + (uint64)i * span);
        if (va + (span - 1) < start || va >= end) continue;
        if (pte_is_leaf(*pte) || level == min)
            fn(arg, va, pte, level);
        else if (level > 0)
            for_each(pt_pa2va(PTE2PA(*pte)), level - 1, va, start, end, min, fn, arg);
    }
}

void pt_for_each(pagetable_t pt, uint64 start, uint64 end, int min, pt_leaf_fn fn, void *arg)
{
    for_each(pt, 2, 0, start, end, min, fn, arg);
}
