/* The physical page allocator.
 *
 * Free 4 KiB frames sit on a doubly-linked list threaded through the frames
 * themselves. Every frame has a reference count (copy-on-write sharing: a
 * frame is free when its count drops to zero), and every 2 MiB-aligned block
 * counts its free frames, so a whole free block can be taken for a megapage
 * without searching. The counts also let tests check that nothing leaks.
 *
 * A block handed out whole (kalloc_mega) is one unit: its reference count
 * is its first frame's alone (the other 511 hold 1 each while it is out),
 * so sharing or dropping a megapage is one count, not 512. A block stops
 * being a unit, every frame then carrying the block's count, as soon as one
 * of its frames is shared or freed on its own (a megapage split into
 * 4 KiB pages, a page of it shared with a server).
 *
 * kalloc's fast path takes no lock: each hart keeps up to FRAME_CACHE free
 * frames (struct cpu's frames, arch/riscv/cpu.h), taken from the free list
 * in a batch under the lock. A cached frame is free (reference count 0,
 * counted by kalloc_free_pages and the self-check) but on no list and in no
 * block's free count, so no megapage can include it. Only the hart itself
 * takes from its cache, with interrupts off and the cache's busy flag held;
 * a hart that finds the list empty, or kalloc_mega no whole free block,
 * puts every cache's frames back on the list first (caches_drain). */
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
static uint8 *block_unit;         /* per block: counted as one unit (see above) */
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
    block_unit = (uint8 *)(block_free + nblocks);
    ram_start = PGROUNDUP(V2P(block_unit + nblocks));
    memset(refs, 0, (char *)(block_unit + nblocks) - (char *)refs);
    /* Push from the top down so the low frames are handed out first and the
     * high 2 MiB blocks stay whole for megapages as long as possible. */
    for (uint64 pa = ram_end; pa > ram_start;) {
        pa -= PGSIZE;
        list_push(P2V(pa));
        block_free[block_index(pa)]++;
        nfree++;
    }
}

#define cache_try_busy(c) (!__atomic_exchange_n(&(c)->busy, 1, __ATOMIC_ACQUIRE))
#define cache_idle(c)     __atomic_store_n(&(c)->busy, 0, __ATOMIC_RELEASE)

/* Every cache's frames back to the free list: a whole 2 MiB block, or the
 * last free frames, may be there. A busy cache is skipped: never wait, its
 * hart may be waiting for the lock. Caller holds kalloc_lock. */
static uint32 caches_drain(void)
{
    uint32 n = 0;
    for (int i = 0; i < NCPU; i++) {
        struct frame_cache *c = &cpus[i].frames;
        if (!c->n || !cache_try_busy(c)) continue;
        for (; c->n; n++, nfree++) {
            list_push(c->frame[--c->n]);
            block_free[block_index(V2P(c->frame[c->n]))]++;
        }
        cache_idle(c);
    }
    return n;
}

/* take_first's slow path: wait until the cache is not busy (a hart
 * draining it) unless held, fill it if empty, take a frame. A batch comes
 * from the list under the lock, when it is empty after the other caches
 * went back to it. */
static __attribute__((noinline)) void *cache_take_slow(struct frame_cache *mine, int held)
{
    while (!held && !cache_try_busy(mine)) continue;
    spin_lock(&kalloc_lock);
    if (free_list.next == &free_list) caches_drain(); /* ours is busy: not drained */
    /* the first frames of the list, unlinked as one run */
    struct free_page *p = free_list.next;
    uint32 n = mine->n;
    for (; n < FRAME_CACHE && p != &free_list; p = p->next) {
        block_free[block_index(V2P(p))]--;
        mine->frame[n++] = p;
    }
    nfree -= n - mine->n;
    mine->n = n;
    free_list.next = p;
    p->prev = &free_list;
    spin_unlock(&kalloc_lock);
    void *frame = mine->n ? mine->frame[--mine->n] : NULL;
    cache_idle(mine);
    return frame;
}

/* A free frame from this hart's cache (the fast path: no lock), taken;
 * inline in both callers (a page fault's path). Interrupts are off while
 * the hart holds its cache. */
static inline __attribute__((always_inline)) void *take_first(void)
{
    if (injected_failure()) return NULL;
    uint64 sstatus;
    asm volatile("csrrci %0, sstatus, %1" : "=r"(sstatus) : "K"(SSTATUS_SIE));
    struct frame_cache *c = &mycpu()->frames;
    int held = cache_try_busy(c);
    void *p;
    if (__builtin_expect(held && c->n, 1)) {
        p = c->frame[--c->n];
        cache_idle(c);
    } else {
        p = cache_take_slow(c, held);
    }
    if (p) refs[frame_index(V2P(p))] = 1;
    if (sstatus & SSTATUS_SIE) intr_on();
    return p;
}

void *kalloc_dirty(void)
{
    return take_first();
}

void *kalloc(void)
{
    void *p = take_first();
    return p ? memset(p, 0, PGSIZE) : NULL; /* a tail call */
}

void *kalloc_mega_dirty(void)
{
    uint64 nblocks = (ram_end - ram_base) / MEGAPAGE; /* whole blocks only */
    void *mega = NULL;
    if (injected_failure()) return NULL;
    spin_lock(&kalloc_lock);
    for (uint64 b = nblocks; b-- > 0;) {
        uint64 pa = ram_base + b * MEGAPAGE;
        if (pa < ram_start || block_free[b] != FRAMES_PER_BLOCK) {
            if (b == 0 && caches_drain()) b = nblocks; /* cached frames are free: look again */
            continue;
        }
        for (uint64 i = 0; i < FRAMES_PER_BLOCK; i++) {
            list_remove(P2V(pa + i * PGSIZE));
            refs[frame_index(pa) + i] = 1;
        }
        block_free[b] = 0;
        nfree -= FRAMES_PER_BLOCK;
        block_unit[b] = 1;
        mega = P2V(pa);
        break;
    }
    spin_unlock(&kalloc_lock);
    return mega;
}

void *kalloc_mega(void)
{
    void *mega = kalloc_mega_dirty();
    if (mega) memset(mega, 0, MEGAPAGE);
    return mega;
}

static void check_frame(uint64 pa)
{
    if (pa % PGSIZE || pa < ram_start || pa >= ram_end) panic("kalloc: bad frame %p", (void *)pa);
}

/* The block of pa stops being a unit: each frame gets the block's count.
 * Caller holds kalloc_lock. */
static void unit_split(uint64 pa)
{
    uint64 b = block_index(pa);
    if (!block_unit[b]) return;
    uint32 *ref = &refs[frame_index(ram_base + b * MEGAPAGE)];
    for (uint64 i = 1; i < FRAMES_PER_BLOCK; i++) ref[i] = ref[0];
    block_unit[b] = 0;
}

void kref_split(uint64 pa)
{
    check_frame(pa);
    spin_lock(&kalloc_lock);
    unit_split(pa);
    spin_unlock(&kalloc_lock);
}

/* Is pa the head of a unit block? Caller holds kalloc_lock, or reads a
 * block that cannot change under it (mapped by the caller's process). */
static int is_unit(uint64 pa)
{
    return pa % MEGAPAGE == 0 && block_unit[block_index(pa)];
}

int kalloc_is_unit(uint64 pa)
{
    return pa >= ram_start && pa < ram_end && is_unit(pa);
}

void kfree_mega(uint64 pa)
{
    check_frame(pa);
    spin_lock(&kalloc_lock);
    if (is_unit(pa)) {
        uint32 *ref = &refs[frame_index(pa)];
        if (*ref == 0) panic("kfree_mega: block %p is already free", (void *)pa);
        if (--*ref == 0) {
            for (uint64 i = 0; i < FRAMES_PER_BLOCK; i++) {
                ref[i] = 0;
                list_push(P2V(pa + i * PGSIZE));
            }
            block_free[block_index(pa)] = FRAMES_PER_BLOCK;
            block_unit[block_index(pa)] = 0;
            nfree += FRAMES_PER_BLOCK;
        }
        spin_unlock(&kalloc_lock);
        return;
    }
    spin_unlock(&kalloc_lock);
    for (uint64 i = 0; i < FRAMES_PER_BLOCK; i++) kfree(P2V(pa + i * PGSIZE));
}

int kref_shared(uint64 pa, uint64 nframes)
{
    check_frame(pa);
    uint32 *ref = &refs[frame_index(pa)];
    if (nframes == FRAMES_PER_BLOCK && is_unit(pa))
        return __atomic_load_n(ref, __ATOMIC_RELAXED) > 1;
    for (uint64 i = 0; i < nframes; i++)
        if (__atomic_load_n(&ref[i], __ATOMIC_RELAXED) > 1) return 1;
    return 0;
}

void kfree(void *page)
{
    uint64 pa = V2P(page);
    check_frame(pa);
    spin_lock(&kalloc_lock);
    unit_split(pa); /* a frame of a unit freed alone */
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
    if (nframes == FRAMES_PER_BLOCK && is_unit(pa))
        nframes = 1; /* the block's count is its first frame's */
    else
        unit_split(pa); /* part of a unit shared alone */
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

/* The arrays are read into locals so that the loop keeps them in registers. */
int kref_table(const pte_t *t, int lo, int hi, int delta)
{
    uint32 *ref = refs;
    const uint8 *unit = block_unit;
    uint64 nframes = kalloc_nframes(), first = ram_start / PGSIZE, base = ram_base / PGSIZE;
    spin_lock(&kalloc_lock);
    for (int i = pt_next_valid(t, lo); i < hi; i = pt_next_valid(t, i + 1)) {
        uint64 f = (t[i] >> 10) - first, pa = PTE2PA(t[i]);
        if (t[i] & PTE_DEV) continue;
        if (f >= nframes || !ref[f]) panic("kref_table: bad or free frame %p", (void *)pa);
        if (unit[((t[i] >> 10) - base) / FRAMES_PER_BLOCK]) unit_split(pa); /* a frame alone */
        uint32 n = ref[f] += delta;
        if (n - 1 < KREF_MAX - 1) continue; /* still held, and far from wrapping */
        if (n == 0) {
            list_push(P2V(pa));
            block_free[block_index(pa)]++;
            nfree++;
            continue;
        }
        ref[f]--; /* undo: the counts may not wrap */
        spin_unlock(&kalloc_lock);
        kref_table(t, lo, i, -1);
        return -1;
    }
    spin_unlock(&kalloc_lock);
    return 0;
}

/* For a frame of a unit block, the block's count. */
int kref_count(uint64 pa)
{
    check_frame(pa);
    uint64 b = block_index(pa);
    if (block_unit[b]) pa = ram_base + b * MEGAPAGE;
    return __atomic_load_n(&refs[frame_index(pa)], __ATOMIC_RELAXED);
}

uint64 kalloc_free_pages(void)
{
    uint64 n = nfree;
    for (int i = 0; i < NCPU; i++) n += __atomic_load_n(&cpus[i].frames.n, __ATOMIC_RELAXED);
    return n;
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
long kalloc_check(uint32 *const *maps)
{
    long bad = 0;
    spin_lock(&kalloc_lock);
    uint64 listed = 0, blocks = 0;
    for (struct free_page *p = free_list.next; p != &free_list && listed <= nfree; p = p->next) {
        listed++;
        uint64 pa = V2P(p);
        if (pa < ram_start || pa >= ram_end || refs[frame_index(pa)] != 0) bad++;
    }
    for (int i = 0; i < NCPU; i++) /* a cached frame is free (exact when its hart is idle) */
        for (uint32 j = 0; j < cpus[i].frames.n && j < FRAME_CACHE; j++) {
            uint64 pa = V2P(cpus[i].frames.frame[j]);
            bad += pa < ram_start || pa >= ram_end || refs[frame_index(pa)] != 0;
        }
    for (uint64 b = 0; b <= block_index(ram_end - 1); b++) blocks += block_free[b];
    if (listed != nfree || blocks != nfree) {
        kprintf("selfcheck: %lu free pages listed, %lu in blocks, count says %lu\n", listed, blocks,
                nfree);
        bad++;
    }
    for (uint64 i = 0; i < kalloc_nframes(); i++) {
        uint32 n = maps[i / COUNTS_PER_PAGE][i % COUNTS_PER_PAGE];
        if (!n || refs[i] == n) continue;
        if (bad++ < 5)
            kprintf("selfcheck: frame %p: %u references, %u user mappings\n",
                    (void *)(ram_start + i * PGSIZE), refs[i], n);
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
