/*
 * Host unit test for mm/pt.c (Sv39 page-table logic).
 *
 * The four environment hooks run on a fake physical memory: every table page
 * is a 4096-byte aligned host allocation whose "physical address" is its host
 * pointer value (pa2va/va2pa are the identity). The allocator counts pages in
 * and out, remembers which pages it handed out (so freeing anything else,
 * e.g. a leaf's frame, or freeing twice is caught), and can be told to fail
 * after N more allocations. Leaf frames are made-up physical addresses that
 * are never dereferenced.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* arch/riscv/types.h defines NULL itself; clang rejects the respelled redefinition. */
#undef NULL
#include "mm/pt.h"

#define PG        4096UL
#define MEGA      (2UL * 1024 * 1024)
#define GIGA      (1024UL * 1024 * 1024)
#define MAX_PAGES 4096

/* ---------------------------------------------------------------- fake memory */

static void *live_pages[MAX_PAGES];
static int nlive;            /* pages currently allocated */
static long nallocs;         /* total successful allocations */
static long nfrees;          /* total frees */
static long bad_frees;       /* frees of pages not handed out (frames, double frees) */
static long fail_after = -1; /* >= 0: allocations left before pt_alloc_page fails */

void *pt_alloc_page(void)
{
    if (fail_after == 0) return NULL;
    if (fail_after > 0) fail_after--;
    if (nlive == MAX_PAGES) return NULL;
    void *p = aligned_alloc(PG, PG);
    if (!p) return NULL;
    memset(p, 0, PG);
    live_pages[nlive++] = p;
    nallocs++;
    return p;
}

void pt_free_page(void *page)
{
    for (int i = 0; i < nlive; i++) {
        if (live_pages[i] == page) {
            live_pages[i] = live_pages[--nlive];
            nfrees++;
            free(page);
            return;
        }
    }
    bad_frees++;
}

void *pt_pa2va(uint64 pa)
{
    return (void *)pa;
}

uint64 pt_va2pa(void *va)
{
    return (uint64)va;
}

/* A fresh empty root; resets the fail switch. */
static pagetable_t new_root(void)
{
    fail_after = -1;
    pagetable_t root = pt_alloc_page();
    if (!root) {
        fprintf(stderr, "cannot allocate a root table\n");
        exit(2);
    }
    return root;
}

/* Free every table under root and root itself. */
static void destroy_root(pagetable_t root)
{
    fail_after = -1;
    pt_free_tables(root, 0, PT_ENTRIES, NULL, NULL);
    pt_free_page(root);
}

/* ---------------------------------------------------------------- reporting */

static int passed, failed;

/* One case: its first failed check prints FAIL and the rest are skipped. */
static const char *cur_name;
static int cur_failed;

static void begin(const char *name)
{
    cur_name = name;
    cur_failed = 0;
}

__attribute__((format(printf, 2, 3))) static int expect(int ok, const char *fmt, ...)
{
    if (ok || cur_failed) return ok;
    cur_failed = 1;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL %s: ", cur_name);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    return 0;
}

static void end(void)
{
    if (cur_failed) {
        failed++;
    } else {
        printf("ok %s\n", cur_name);
        passed++;
    }
}

/* ---------------------------------------------------------------- leaf recorder */

#define MAX_VISITS 256
struct visit {
    uint64 va;
    pte_t pte;
    int level;
};
struct visits {
    int n;
    struct visit v[MAX_VISITS];
};

static void record(void *arg, uint64 va, pte_t *pte, int level)
{
    struct visits *vs = arg;
    if (vs->n < MAX_VISITS) vs->v[vs->n] = (struct visit){va, *pte, level};
    vs->n++;
}

static struct visits walk_leaves(pagetable_t root, uint64 start, uint64 end_)
{
    struct visits vs;
    memset(&vs, 0, sizeof vs);
    pt_for_each_leaf(root, start, end_, record, &vs);
    return vs;
}

/* Compare visits against an expected (va, level) list; reports the first mismatch. */
static int expect_visits(const struct visits *vs, const uint64 *vas, const int *levels, int n,
                         const char *what)
{
    if (!expect(vs->n == n, "%s: %d leaves visited, expected %d", what, vs->n, n)) {
        for (int i = 0; i < vs->n && i < MAX_VISITS; i++)
            printf("  visited va=%#lx level=%d\n", vs->v[i].va, vs->v[i].level);
        return 0;
    }
    for (int i = 0; i < n; i++) {
        if (!expect(vs->v[i].va == vas[i] && vs->v[i].level == levels[i],
                    "%s: visit %d is va=%#lx level=%d, expected va=%#lx level=%d", what, i,
                    vs->v[i].va, vs->v[i].level, vas[i], levels[i]))
            return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------- cases */

static void test_index(void)
{
    begin("pt_index");
    struct {
        uint64 va;
        int i2, i1, i0;
    } t[] = {
        {0x0UL, 0, 0, 0},
        {0x1000UL, 0, 0, 1},
        {0x1FF000UL, 0, 0, 511},
        {0x200000UL, 0, 1, 0},
        {0x40000000UL, 1, 0, 0},
        {0x3FFFFFF000UL, 255, 511, 511},
        {0xFFFFFFC000000000UL, 256, 0, 0},
        {0xFFFFFFC080200000UL, 258, 1, 0},
        {0xFFFFFFFFC0001000UL, 511, 0, 1},
        {0xFFFFFFFFFFFFF000UL, 511, 511, 511},
    };
    for (size_t k = 0; k < ARRAY_SIZE(t); k++) {
        int i2 = (int)PT_INDEX(2, t[k].va), i1 = (int)PT_INDEX(1, t[k].va),
            i0 = (int)PT_INDEX(0, t[k].va);
        if (!expect(i2 == t[k].i2 && i1 == t[k].i1 && i0 == t[k].i0,
                    "va %#lx -> %d/%d/%d, expected %d/%d/%d", t[k].va, i2, i1, i0, t[k].i2, t[k].i1,
                    t[k].i0))
            break;
    }
    expect(PT_LEVEL_SIZE(0) == PG && PT_LEVEL_SIZE(1) == MEGA && PT_LEVEL_SIZE(2) == GIGA,
           "PT_LEVEL_SIZE wrong");
    expect(PTE2PA(PA2PTE(0x80201000UL) | PTE_R | PTE_V) == 0x80201000UL, "PA2PTE/PTE2PA");
    end();
}

static void test_map_one(void)
{
    begin("map_one_4k");
    pagetable_t root = new_root();
    int live0 = nlive;
    uint64 va = 0x12345000UL, pa = 0x80001000UL;
    int r = pt_map(root, va, pa, 0, PTE_R | PTE_W);
    expect(r == 0, "pt_map returned %d", r);
    expect(nlive == live0 + 2, "expected 2 table pages allocated, got %d", nlive - live0);
    int level = -1;
    pte_t *pte = pt_lookup(root, va, &level);
    if (expect(pte != NULL, "pt_lookup found nothing")) {
        expect(level == 0, "level %d, expected 0", level);
        expect(PTE2PA(*pte) == pa, "pa %#lx, expected %#lx", PTE2PA(*pte), pa);
        expect(PTE_FLAGS(*pte) == (PTE_R | PTE_W | PTE_V), "flags %#lx", PTE_FLAGS(*pte));
        expect(pt_walk(root, va, 0, 0) == pte, "pt_walk gives a different PTE than pt_lookup");
    }
    /* an offset inside the page maps to the same PTE; the neighbours are empty */
    expect(pt_lookup(root, va + 0xABC, NULL) == pte, "lookup of va+0xabc differs");
    expect(pt_lookup(root, va + PG, NULL) == NULL, "next page is mapped");
    expect(pt_lookup(root, va - PG, NULL) == NULL, "previous page is mapped");
    destroy_root(root);
    end();
}

static void test_map_twice(void)
{
    begin("map_same_va_twice_fails");
    pagetable_t root = new_root();
    uint64 va = 0x5000UL;
    expect(pt_map(root, va, 0x80005000UL, 0, PTE_R) == 0, "first pt_map failed");
    int live1 = nlive;
    expect(pt_map(root, va, 0x80009000UL, 0, PTE_R | PTE_W) == -1, "second pt_map succeeded");
    pte_t *pte = pt_lookup(root, va, NULL);
    expect(pte && PTE2PA(*pte) == 0x80005000UL && PTE_FLAGS(*pte) == (PTE_R | PTE_V),
           "original mapping was changed");
    expect(nlive == live1, "second pt_map allocated %d pages", nlive - live1);
    /* a 2 MiB map over a range with a level-0 table in it also fails */
    expect(pt_map(root, 0, 0x80200000UL, 1, PTE_R) == -1, "megapage over a table succeeded");
    destroy_root(root);
    end();
}

/* Map [va, va+size) to [pa, ...) with 4 KiB pages; on failure unmap what was
 * mapped (the kernel has no use for this any more: the tests still do). */
static int pt_map_range(pagetable_t pt, uint64 va, uint64 pa, uint64 size, uint64 perm)
{
    for (uint64 off = 0; off < size; off += PG) {
        if (pt_map(pt, va + off, pa + off, 0, perm) < 0) {
            while (off > 0) {
                off -= PG;
                pt_unmap(pt, va + off);
            }
            return -1;
        }
    }
    return 0;
}

static void test_map_range(void)
{
    begin("map_range_100");
    pagetable_t root = new_root();
    int live0 = nlive;
    /* crosses the 2 MiB boundary at 0x200000, so it needs two level-0 tables */
    uint64 va = 0x1F0000UL, pa = 0x90000000UL, n = 100;
    int r = pt_map_range(root, va, pa, n * PG, PTE_R | PTE_W | PTE_U);
    expect(r == 0, "pt_map_range returned %d", r);
    expect(nlive == live0 + 3, "expected 3 table pages, got %d", nlive - live0);
    for (uint64 i = 0; i < n; i++) {
        int level = -1;
        pte_t *pte = pt_lookup(root, va + i * PG, &level);
        if (!expect(pte != NULL, "page %lu (va %#lx) not mapped", i, va + i * PG)) break;
        if (!expect(level == 0 && PTE2PA(*pte) == pa + i * PG &&
                        PTE_FLAGS(*pte) == (PTE_R | PTE_W | PTE_U | PTE_V),
                    "page %lu: level %d pa %#lx flags %#lx", i, level, PTE2PA(*pte),
                    PTE_FLAGS(*pte)))
            break;
    }
    expect(pt_lookup(root, va - PG, NULL) == NULL, "page before the range is mapped");
    expect(pt_lookup(root, va + n * PG, NULL) == NULL, "page after the range is mapped");
    struct visits vs = walk_leaves(root, 0, ~0UL);
    expect(vs.n == (int)n, "for_each_leaf saw %d leaves", vs.n);
    destroy_root(root);
    end();
}

static void test_unmap(void)
{
    begin("unmap");
    pagetable_t root = new_root();
    uint64 va = 0x7000UL, pa = 0x80007000UL;
    pt_map(root, va, pa, 0, PTE_R | PTE_X);
    pte_t old = pt_unmap(root, va);
    expect(old == (PA2PTE(pa) | PTE_R | PTE_X | PTE_V), "pt_unmap returned %#lx", old);
    expect(pt_lookup(root, va, NULL) == NULL, "still mapped after pt_unmap");
    expect(pt_unmap(root, va) == 0, "second pt_unmap did not return 0");
    expect(pt_unmap(root, 0x40000000UL) == 0, "pt_unmap of a never-mapped region not 0");
    /* the slot can be reused */
    expect(pt_map(root, va, pa + PG, 0, PTE_R) == 0, "remap after unmap failed");
    /* unmap of a va inside a megapage removes the megapage */
    pt_map(root, 0x600000UL, 0x80600000UL, 1, PTE_R);
    old = pt_unmap(root, 0x600000UL + 0x12345);
    expect(PTE2PA(old) == 0x80600000UL, "unmap inside megapage returned %#lx", old);
    expect(pt_lookup(root, 0x600000UL, NULL) == NULL, "megapage still mapped");
    destroy_root(root);
    end();
}

static void test_megapage(void)
{
    begin("megapage_lookup");
    pagetable_t root = new_root();
    int live0 = nlive;
    uint64 va = 0x40200000UL, pa = 0x80200000UL;
    expect(pt_map(root, va, pa, 1, PTE_R | PTE_W) == 0, "level-1 pt_map failed");
    expect(nlive == live0 + 1, "expected 1 table page, got %d", nlive - live0);
    uint64 probes[] = {va, va + PG, va + 0x123456, va + MEGA - 1};
    pte_t *first = NULL;
    for (size_t k = 0; k < ARRAY_SIZE(probes); k++) {
        int level = -1;
        pte_t *pte = pt_lookup(root, probes[k], &level);
        if (!expect(pte != NULL && level == 1, "lookup %#lx: pte %p level %d", probes[k],
                    (void *)pte, level))
            break;
        if (!first) first = pte;
        expect(pte == first && PTE2PA(*pte) == pa, "lookup %#lx gives another PTE", probes[k]);
    }
    expect(pt_lookup(root, va - 1, NULL) == NULL, "va-1 mapped");
    expect(pt_lookup(root, va + MEGA, NULL) == NULL, "va+2MiB mapped");
    expect(pt_walk(root, va, 1, 0) == first, "pt_walk level 1 differs");
    destroy_root(root);
    end();
}

static void test_4k_in_megapage(void)
{
    begin("4k_inside_megapage_fails");
    pagetable_t root = new_root();
    uint64 va = 0x40200000UL;
    pt_map(root, va, 0x80200000UL, 1, PTE_R | PTE_W);
    int live1 = nlive;
    pte_t before = *pt_lookup(root, va, NULL);
    expect(pt_map(root, va + 0x3000, 0x90000000UL, 0, PTE_R) == -1,
           "4 KiB map inside a megapage succeeded");
    expect(pt_walk(root, va + 0x3000, 0, 1) == NULL, "pt_walk(alloc) through a megapage");
    expect(pt_walk(root, va + 0x3000, 0, 0) == NULL, "pt_walk through a megapage");
    expect(nlive == live1, "allocated %d pages", nlive - live1);
    int level = -1;
    pte_t *pte = pt_lookup(root, va + 0x3000, &level);
    expect(pte && *pte == before && level == 1, "megapage changed");
    expect(pt_map_range(root, va - 2 * PG, 0x90000000UL, 4 * PG, PTE_R) == -1,
           "map_range into a megapage succeeded");
    expect(pt_lookup(root, va - 2 * PG, NULL) == NULL && pt_lookup(root, va - PG, NULL) == NULL,
           "map_range left pages before the megapage");
    destroy_root(root);
    end();
}

static void test_walk_empty(void)
{
    begin("walk_empty_no_alloc");
    pagetable_t root = new_root();
    long a0 = nallocs;
    uint64 vas[] = {0, 0x1000UL, 0x40200000UL, 0xFFFFFFC080200000UL, 0xFFFFFFFFFFFFF000UL};
    for (size_t k = 0; k < ARRAY_SIZE(vas); k++) {
        expect(pt_walk(root, vas[k], 0, 0) == NULL, "level 0 walk of %#lx not NULL", vas[k]);
        expect(pt_walk(root, vas[k], 1, 0) == NULL, "level 1 walk of %#lx not NULL", vas[k]);
        expect(pt_lookup(root, vas[k], NULL) == NULL, "lookup of %#lx not NULL", vas[k]);
    }
    expect(nallocs == a0, "allocated %ld pages", nallocs - a0);
    for (int i = 0; i < PT_ENTRIES; i++)
        if (!expect(root[i] == 0, "root[%d] = %#lx", i, root[i])) break;
    destroy_root(root);
    end();
}

static void test_for_each(void)
{
    begin("for_each_leaf");
    pagetable_t root = new_root();
    /* lower half: two 4K leaves, a megapage, a 4K leaf in the next level-0
     * table, leaves in root entry 1 and 255; kernel half: entry 258 */
    const uint64 a = 0x1000UL, b = 0x5000UL, m = 0x200000UL, c = 0x400000UL, d = 0x40000000UL,
                 e = 0x3FFFFFF000UL, k = 0xFFFFFFC080200000UL, k2 = 0xFFFFFFC080201000UL;
    expect(pt_map(root, a, 0x80001000UL, 0, PTE_R) == 0, "map a");
    expect(pt_map(root, b, 0x80005000UL, 0, PTE_R) == 0, "map b");
    expect(pt_map(root, m, 0x80200000UL, 1, PTE_R | PTE_W) == 0, "map m");
    expect(pt_map(root, c, 0x80400000UL, 0, PTE_R) == 0, "map c");
    expect(pt_map(root, d, 0x90000000UL, 0, PTE_R) == 0, "map d");
    expect(pt_map(root, e, 0x90001000UL, 0, PTE_R) == 0, "map e");
    expect(pt_map(root, k, 0x80200000UL, 0, PTE_R | PTE_X) == 0, "map k");
    expect(pt_map(root, k2, 0x80201000UL, 0, PTE_R | PTE_X) == 0, "map k2");

    struct visits vs = walk_leaves(root, 0, ~0UL);
    {
        uint64 v[] = {a, b, m, c, d, e, k, k2};
        int l[] = {0, 0, 1, 0, 0, 0, 0, 0};
        expect_visits(&vs, v, l, 8, "full range");
        /* the pte pointer handed to fn is the live one */
        for (int i = 0; i < vs.n && i < MAX_VISITS; i++)
            if (!expect(vs.v[i].pte == *pt_lookup(root, vs.v[i].va, NULL),
                        "visit %d: pte differs from lookup", i))
                break;
    }
    vs = walk_leaves(root, 0, 0x4000000000UL);
    {
        uint64 v[] = {a, b, m, c, d, e};
        int l[] = {0, 0, 1, 0, 0, 0};
        expect_visits(&vs, v, l, 6, "user half [0, 2^38)");
    }
    vs = walk_leaves(root, 0xFFFFFFC000000000UL, ~0UL);
    {
        uint64 v[] = {k, k2};
        int l[] = {0, 0};
        expect_visits(&vs, v, l, 2, "kernel half");
    }
    /* ranges that cut the mapped region on page boundaries */
    vs = walk_leaves(root, 0x2000UL, c);
    {
        uint64 v[] = {b, m};
        int l[] = {0, 1};
        expect_visits(&vs, v, l, 2, "[0x2000, 0x400000)");
    }
    vs = walk_leaves(root, b, b + 1);
    {
        uint64 v[] = {b};
        int l[] = {0};
        expect_visits(&vs, v, l, 1, "[b, b+1)");
    }
    vs = walk_leaves(root, a + PG, b);
    expect_visits(&vs, NULL, NULL, 0, "[0x2000, 0x5000) is empty");
    vs = walk_leaves(root, c, d + PG);
    {
        uint64 v[] = {c, d};
        int l[] = {0, 0};
        expect_visits(&vs, v, l, 2, "[c, d+4K) across root entries 0 and 1");
    }
    vs = walk_leaves(root, m + MEGA, c);
    expect_visits(&vs, NULL, NULL, 0, "[0x400000, 0x400000) is empty");
    vs = walk_leaves(root, c, c);
    expect_visits(&vs, NULL, NULL, 0, "empty range");
    vs = walk_leaves(root, k2, ~0UL);
    {
        uint64 v[] = {k2};
        int l[] = {0};
        expect_visits(&vs, v, l, 1, "[k2, top)");
    }
    /* a range whose end cuts the megapage: the megapage starts inside it */
    vs = walk_leaves(root, b, m + 0x1000);
    {
        uint64 v[] = {b, m};
        int l[] = {0, 1};
        expect_visits(&vs, v, l, 2, "[b, m+4K)");
    }
    /* a range whose start cuts the megapage: pt.c visits every leaf that
     * overlaps [start, end), reporting the leaf's own base va (< start) */
    vs = walk_leaves(root, m + 0x1000, c + PG);
    {
        uint64 v[] = {m, c};
        int l[] = {1, 0};
        expect_visits(&vs, v, l, 2, "[m+4K, c+4K) (overlapping megapage)");
    }
    destroy_root(root);
    end();
}

static void test_free_tables(void)
{
    begin("free_tables");
    pagetable_t root = new_root();
    int live0 = nlive;
    long f0 = nfrees;
    pt_map(root, 0x1000UL, 0x80001000UL, 0, PTE_R);             /* +2: L1, L0 in entry 0 */
    pt_map(root, 0x400000UL, 0x80400000UL, 0, PTE_R);           /* +1: L0 */
    pt_map(root, 0x600000UL, 0x80600000UL, 1, PTE_R);           /* megapage, no table */
    pt_map(root, 0x40000000UL, 0x90000000UL, 0, PTE_R);         /* +2 in entry 1 */
    pt_map(root, 0xFFFFFFC080200000UL, 0x80200000UL, 0, PTE_R); /* +2 in entry 258 */
    pt_map(root, 0xFFFFFFFFC0001000UL, 0x80300000UL, 0, PTE_R); /* +2 in entry 511 */
    root[3] = PA2PTE(0xC0000000UL) | PTE_R | PTE_V;             /* a 1 GiB leaf: no table */
    expect(nlive == live0 + 9, "expected 9 table pages, got %d", nlive - live0);

    /* free only the user half: entries 258 and 511 survive */
    pt_free_tables(root, 0, PT_ENTRIES / 2, NULL, NULL);
    expect(nlive == live0 + 4, "after freeing [0,256): %d table pages left, expected 4",
           nlive - live0);
    for (int i = 0; i < PT_ENTRIES / 2; i++)
        if (!expect(root[i] == 0, "root[%d] = %#lx not cleared", i, root[i])) break;
    expect(pt_lookup(root, 0xFFFFFFC080200000UL, NULL) != NULL, "entry 258 lost");
    expect(pt_lookup(root, 0xFFFFFFFFC0001000UL, NULL) != NULL, "entry 511 lost");

    pt_free_tables(root, PT_ENTRIES - 1, PT_ENTRIES, NULL, NULL);
    expect(nlive == live0 + 2, "after freeing [511,512): %d left, expected 2", nlive - live0);
    expect(root[511] == 0 && root[258] != 0, "wrong entries cleared");
    pt_free_tables(root, 0, PT_ENTRIES, NULL, NULL);
    expect(nlive == live0, "after freeing all: %d table pages left", nlive - live0);
    expect(nfrees - f0 == 9, "%ld frees, expected 9", nfrees - f0);
    for (int i = 0; i < PT_ENTRIES; i++)
        if (!expect(root[i] == 0, "root[%d] = %#lx not cleared", i, root[i])) break;
    expect(bad_frees == 0, "%ld frees of pages that are not tables (leaf frames?)", bad_frees);
    destroy_root(root);
    end();
}

static void test_oom_map(void)
{
    begin("oom_map_walk");
    pagetable_t root = new_root();
    fail_after = 0;
    expect(pt_walk(root, 0x1000UL, 0, 1) == NULL, "pt_walk succeeded with no memory");
    expect(pt_map(root, 0x1000UL, 0x80001000UL, 0, PTE_R) == -1, "pt_map succeeded");
    expect(root[0] == 0, "root[0] set to %#lx after failed allocation", root[0]);
    fail_after = 1; /* the level-1 table succeeds, the level-0 one fails */
    expect(pt_map(root, 0x1000UL, 0x80001000UL, 0, PTE_R) == -1, "pt_map succeeded");
    expect(pt_lookup(root, 0x1000UL, NULL) == NULL, "mapping present");
    fail_after = -1;
    expect(pt_map(root, 0x1000UL, 0x80001000UL, 0, PTE_R) == 0, "pt_map after OOM failed");
    int live0 = nlive;
    destroy_root(root);
    expect(nlive == live0 - 3, "destroy freed %d pages, expected 3", live0 - nlive);
    end();
}

static void test_oom_map_range(void)
{
    begin("oom_map_range_rollback");
    pagetable_t root = new_root();
    int live0 = nlive;
    uint64 va = 0x1F0000UL, n = 100;
    /* the first level-1 and level-0 tables succeed; the level-0 table for
     * 0x200000 (page 16) fails */
    fail_after = 2;
    int r = pt_map_range(root, va, 0x90000000UL, n * PG, PTE_R | PTE_W);
    fail_after = -1;
    expect(r == -1, "pt_map_range returned %d", r);
    for (uint64 i = 0; i < n; i++)
        if (!expect(pt_lookup(root, va + i * PG, NULL) == NULL, "page %lu still mapped", i)) break;
    struct visits vs = walk_leaves(root, 0, ~0UL);
    expect(vs.n == 0, "%d leaves remain", vs.n);
    /* the tables built on the way stay in the tree and are reclaimed */
    pt_free_tables(root, 0, PT_ENTRIES, NULL, NULL);
    expect(nlive == live0, "%d table pages leaked", nlive - live0);

    /* failure on an existing mapping in the middle: only what it mapped goes */
    pt_map(root, va + 50 * PG, 0x70000000UL, 0, PTE_R);
    r = pt_map_range(root, va, 0x90000000UL, n * PG, PTE_R | PTE_W);
    expect(r == -1, "pt_map_range over a mapped page returned %d", r);
    vs = walk_leaves(root, 0, ~0UL);
    expect(vs.n == 1 && vs.v[0].va == va + 50 * PG && PTE2PA(vs.v[0].pte) == 0x70000000UL,
           "%d leaves remain; the pre-existing one must stay", vs.n);
    destroy_root(root);
    expect(nlive == live0 - 1, "pages leaked");
    end();
}

static void test_top_entry(void)
{
    begin("top_entry_511");
    pagetable_t root = new_root();
    const uint64 va = 0xFFFFFFFFC0001000UL, last = 0xFFFFFFFFFFFFF000UL,
                 mega = 0xFFFFFFFFFFC00000UL;
    expect(pt_map(root, va, 0x80001000UL, 0, PTE_R | PTE_W) == 0, "map %#lx failed", va);
    int level = -1;
    pte_t *pte = pt_lookup(root, va, &level);
    expect(pte && level == 0 && PTE2PA(*pte) == 0x80001000UL, "lookup %#lx", va);
    expect(root[511] & PTE_V, "root[511] not used");

    struct visits vs = walk_leaves(root, 0xFFFFFFC000000000UL, ~0UL);
    {
        uint64 v[] = {va};
        int l[] = {0};
        expect_visits(&vs, v, l, 1, "kernel half");
    }
    /* the very last page and a megapage just below it */
    expect(pt_map(root, last, 0x80002000UL, 0, PTE_R) == 0, "map last page failed");
    expect(pt_map(root, mega, 0x80400000UL, 1, PTE_R) == 0, "map top megapage failed");
    vs = walk_leaves(root, 0xFFFFFFC000000000UL, ~0UL);
    {
        uint64 v[] = {va, mega, last};
        int l[] = {0, 1, 0};
        expect_visits(&vs, v, l, 3, "kernel half with top pages");
    }
    vs = walk_leaves(root, 0, ~0UL);
    expect(vs.n == 3, "full range saw %d leaves", vs.n);
    vs = walk_leaves(root, last, ~0UL);
    {
        uint64 v[] = {last};
        int l[] = {0};
        expect_visits(&vs, v, l, 1, "[last, ~0)");
    }
    vs = walk_leaves(root, 0, 0x4000000000UL);
    expect(vs.n == 0, "user half saw %d kernel leaves", vs.n);
    destroy_root(root);
    end();
}

int main(void)
{
    test_index();
    test_map_one();
    test_map_twice();
    test_map_range();
    test_unmap();
    test_megapage();
    test_4k_in_megapage();
    test_walk_empty();
    test_for_each();
    test_free_tables();
    test_oom_map();
    test_oom_map_range();
    test_top_entry();

    begin("no_leaks");
    expect(nlive == 0, "%d pages still allocated", nlive);
    expect(bad_frees == 0, "%ld bad frees", bad_frees);
    expect(nallocs == nfrees, "%ld allocs, %ld frees", nallocs, nfrees);
    end();

    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
