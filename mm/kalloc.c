/* The physical page allocator.
 *
 * Free 4 KiB frames sit on a doubly-linked list threaded through the frames
 * themselves. Every frame has a reference count (copy-on-write sharing: a
 * frame is free when its count drops to zero), and every 2 MiB-aligned block
 * counts its free frames, so a whole free block can be taken for a megapage
 * without searching. The counts also let tests check that nothing leaks. */
#include "mm/mm.h"
#include "drivers/kprintf.h"
#include "arch/riscv/cpu.h"

struct free_page {
    struct free_page *next, *prev;
};

#define FRAMES_PER_BLOCK (MEGAPAGE / PGSIZE)

static struct spinlock kalloc_lock = {0, "kalloc", NULL};
static struct free_page free_list = {&free_list, &free_list};
static uint64 nfree;
static uint64 ram_start, ram_end; /* frames handed out: [ram_start, ram_end) */
static uint32 *refs;              /* per frame; never near KREF_MAX (kref_get) */
static uint16 *block_free;        /* per 2 MiB block from ram_base */
static uint64 ram_base;           /* 2 MiB-aligned start for block numbers */

/* Fault injection (docs/security.md): every fail_every-th allocation that
 * fail_here() agrees to fails, as if memory had run out. */
static uint64 fail_every, fail_count;
static int (*fail_here)(void);

static int injected_failure(void)
{
    return fail_every && fail_here() &&
           __atomic_add_fetch(&fail_count, 1, __ATOMIC_RELAXED) % fail_every == 0;
}

void kalloc_fail_set(uint64 every, int (*here)(void))
{
    fail_here = here;
    fail_every = every;
}

static uint64 frame_index(uint64 pa)
{
    return (pa - ram_start) / PGSIZE;
}

static uint64 block_index(uint64 pa)
{
    return (pa - ram_base) / MEGAPAGE;
}

static void list_push(struct free_page *p)
{
    p->next = free_list.next;
    p->prev = &free_list;
    free_list.next->prev = p;
    free_list.next = p;
}

static void list_remove(struct free_page *p)
{
    p->prev->next = p->next;
    p->next->prev = p->prev;
}

void kalloc_init(uint64 start_pa, uint64 end_pa)
{
    ram_base = start_pa & ~(MEGAPAGE - 1);
    ram_end = PGROUNDDOWN(end_pa);
    /* The bookkeeping arrays take the first frames after the kernel. */
    uint64 nframes = (ram_end - start_pa) / PGSIZE;
    uint64 nblocks = (ram_end - ram_base + MEGAPAGE - 1) / MEGAPAGE;
    refs = P2V(PGROUNDUP(start_pa));
    block_free = (uint16 *)(refs + nframes);
    ram_start = PGROUNDUP(V2P(block_free + nblocks));
    memset(refs, 0, (char *)(block_free + nblocks) - (char *)refs);
    /* Push from the top down so the low frames are handed out first and the
     * high 2 MiB blocks stay whole for megapages as long as possible. */
    for (uint64 pa = ram_end; pa > ram_start;) {
        pa -= PGSIZE;
        list_push(P2V(pa));
        block_free[block_index(pa)]++;
        nfree++;
    }
}

static void take(struct free_page *p)
{
    uint64 pa = V2P(p);
    list_remove(p);
    refs[frame_index(pa)] = 1;
    block_free[block_index(pa)]--;
    nfree--;
}

void *kalloc(void)
{
    if (injected_failure()) return NULL;
    spin_lock(&kalloc_lock);
    struct free_page *p = free_list.next;
    if (p == &free_list)
        p = NULL;
    else
        take(p);
    spin_unlock(&kalloc_lock);
    if (p) memset(p, 0, PGSIZE);
    return p;
}

void *kalloc_mega(void)
{
    uint64 nblocks = (ram_end - ram_base) / MEGAPAGE; /* whole blocks only */
    void *mega = NULL;
    if (injected_failure()) return NULL;
    spin_lock(&kalloc_lock);
    for (uint64 b = nblocks; b-- > 0;) {
        uint64 pa = ram_base + b * MEGAPAGE;
        if (pa < ram_start || block_free[b] != FRAMES_PER_BLOCK) continue;
        for (uint64 i = 0; i < FRAMES_PER_BLOCK; i++) take(P2V(pa + i * PGSIZE));
        mega = P2V(pa);
        break;
    }
    spin_unlock(&kalloc_lock);
    if (mega) memset(mega, 0, MEGAPAGE);
    return mega;
}

static void check_frame(uint64 pa)
{
    if (pa % PGSIZE || pa < ram_start || pa >= ram_end) panic("kalloc: bad frame %p", (void *)pa);
}

void kfree(void *page)
{
    uint64 pa = V2P(page);
    check_frame(pa);
    spin_lock(&kalloc_lock);
    uint32 *ref = &refs[frame_index(pa)];
    if (*ref == 0) panic("kfree: frame %p is already free", (void *)pa);
    if (--*ref == 0) {
        list_push(page);
        block_free[block_index(pa)]++;
        nfree++;
    }
    spin_unlock(&kalloc_lock);
}

int kref_get(uint64 pa, uint64 nframes)
{
    check_frame(pa);
    if (nframes > 1) check_frame(pa + (nframes - 1) * PGSIZE);
    uint32 *ref = &refs[frame_index(pa)];
    spin_lock(&kalloc_lock);
    /* Refuse before any count could wrap: a user may ask for many mappings.
     * One compare per frame: a count in [1, KREF_MAX) may grow. */
    uint64 i = 0;
    while (i < nframes && ref[i] - 1 < KREF_MAX - 1) ref[i++]++;
    if (i < nframes) {
        if (ref[i] == 0) panic("kref_get: free frame %p", (void *)(pa + i * PGSIZE));
        while (i-- > 0) ref[i]--;
        spin_unlock(&kalloc_lock);
        return -1;
    }
    spin_unlock(&kalloc_lock);
    return 0;
}

int kref_count(uint64 pa)
{
    check_frame(pa);
    return __atomic_load_n(&refs[frame_index(pa)], __ATOMIC_RELAXED);
}

uint64 kalloc_free_pages(void)
{
    return nfree;
}

long kalloc_frame(uint64 pa)
{
    return pa >= ram_start && pa < ram_end ? (long)frame_index(pa) : -1;
}

uint64 kalloc_nframes(void)
{
    return (ram_end - ram_start) / PGSIZE;
}

/* The allocator's half of the self-check (proc/selfcheck.c): the free list,
 * its count and the block counts agree, and every frame that user tables
 * map (maps[i] times) holds exactly that many references. */
long kalloc_check(const uint32 *maps)
{
    long bad = 0;
    spin_lock(&kalloc_lock);
    uint64 listed = 0, blocks = 0;
    for (struct free_page *p = free_list.next; p != &free_list && listed <= nfree; p = p->next) {
        listed++;
        uint64 pa = V2P(p);
        if (pa < ram_start || pa >= ram_end || refs[frame_index(pa)] != 0) bad++;
    }
    for (uint64 b = 0; b <= block_index(ram_end - 1); b++) blocks += block_free[b];
    if (listed != nfree || blocks != nfree) {
        kprintf("selfcheck: %lu free pages listed, %lu in blocks, count says %lu\n", listed, blocks,
                nfree);
        bad++;
    }
    for (uint64 i = 0; i < kalloc_nframes(); i++) {
        if (!maps[i] || refs[i] == maps[i]) continue;
        if (bad++ < 5)
            kprintf("selfcheck: frame %p: %u references, %u user mappings\n",
                    (void *)(ram_start + i * PGSIZE), refs[i], maps[i]);
    }
    spin_unlock(&kalloc_lock);
    return bad;
}

/* The page-table code's allocator hooks (mm/pt.h). Table pages made or
 * freed while a hart has a counter set are counted there (vm.c: the
 * address space's page-table pages, for its limit and for ps). */
void *pt_alloc_page(void)
{
    void *page = kalloc();
    uint64 *c = mycpu()->pt_tables;
    if (page && c) (*c)++;
    if (page) KSTAT_INC(pt_alloc);
    return page;
}
void pt_free_page(void *page)
{
    uint64 *c = mycpu()->pt_tables;
    if (c) (*c)--;
    KSTAT_INC(pt_free);
    kfree(page);
}
void *pt_pa2va(uint64 pa)
{
    return P2V(pa);
}
uint64 pt_va2pa(void *va)
{
    return V2P(va);
}
