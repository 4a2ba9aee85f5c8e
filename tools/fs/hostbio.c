/* bio.h over an image in host memory, with a bounded cache that evicts
 * unpinned buffers (so a core bug that changes a buffer without logging it
 * loses the change, as it would in the server), pin accounting that aborts
 * on misuse, and a simulated power cut for the crash tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "servers/fs/bio.h"
#include "pagoda/abi.h"

struct hbuf {
    struct buf b;
    int pins;
    _Alignas(64) uint8_t data[BSIZE]; /* the core casts it to structures */
};

/* A block written since the last flush, with its contents before that. */
struct pending {
    uint32_t blockno;
    uint8_t before[BSIZE];
};

static uint8_t *img;
static uint32_t nblk;
static struct hbuf **slot; /* cached buffer of each block, or NULL */
static uint32_t ncached, cache_max, hand;
static long writes, reads, crash_at = -1, fail_reads_at = -1;
static uint32_t crash_seed;
static int crashed;
static struct pending **pend;
static uint32_t npend;
static uint8_t *unflushed; /* block has an entry in pend */

static void die(const char *why)
{
    fprintf(stderr, "hostbio: %s\n", why);
    abort();
}

void hostbio_attach(uint8_t *image, uint32_t nblocks, uint32_t cache_blocks)
{
    img = image;
    nblk = nblocks;
    slot = calloc(nblocks, sizeof(*slot));
    pend = calloc(nblocks, sizeof(*pend));
    unflushed = calloc(nblocks, 1);
    if (!slot || !pend || !unflushed) die("out of memory");
    ncached = npend = hand = 0;
    cache_max = cache_blocks ? cache_blocks : 4096;
    writes = reads = 0;
    crash_at = fail_reads_at = -1;
    crashed = 0;
}

int hostbio_detach(void)
{
    int pinned = 0;
    for (uint32_t i = 0; i < nblk; i++) {
        if (slot[i] && slot[i]->pins) pinned++;
        free(slot[i]);
    }
    for (uint32_t i = 0; i < npend; i++) free(pend[i]);
    free(slot);
    free(pend);
    free(unflushed);
    unflushed = NULL;
    slot = NULL;
    pend = NULL;
    img = NULL;
    nblk = 0;
    return pinned;
}

int hostbio_pinned(void)
{
    int n = 0;
    for (uint32_t i = 0; i < nblk; i++)
        if (slot[i] && slot[i]->pins) n++;
    return n;
}

void hostbio_crash_after(long k, uint32_t seed)
{
    crash_at = writes + k;
    crash_seed = seed;
}

int hostbio_crashed(void)
{
    return crashed;
}

long hostbio_writes(void)
{
    return writes;
}

long hostbio_reads(void)
{
    return reads;
}

void hostbio_fail_reads(long k)
{
    fail_reads_at = k < 0 ? -1 : reads + k;
}

/* The power goes: each unflushed block keeps its new contents or not. */
static void power_cut(void)
{
    crashed = 1;
    for (uint32_t i = 0; i < npend; i++) {
        uint32_t h = (pend[i]->blockno + 1) * 2654435761u ^ crash_seed * 40503u;
        h ^= h >> 13;
        if (h & 1) memcpy(img + (size_t)pend[i]->blockno * BSIZE, pend[i]->before, BSIZE);
        unflushed[pend[i]->blockno] = 0;
        free(pend[i]);
    }
    npend = 0;
}

uint32_t bio_nblocks(void)
{
    return nblk;
}

static void evict_some(void)
{
    for (uint32_t tries = 0; ncached >= cache_max && tries < nblk; tries++) {
        hand = (hand + 1) % nblk;
        if (slot[hand] && slot[hand]->pins == 0) {
            free(slot[hand]);
            slot[hand] = NULL;
            ncached--;
        }
    }
}

static int get(uint32_t blockno, int read, struct buf **out)
{
    if (!img) die("not attached");
    if (blockno >= nblk) return -EIO;
    struct hbuf *h = slot[blockno];
    if (!h) {
        if (read) {
            if (fail_reads_at >= 0 && reads >= fail_reads_at) return -EIO;
            reads++;
        }
        evict_some();
        h = calloc(1, sizeof(*h));
        if (!h) die("out of memory");
        h->b.blockno = blockno;
        h->b.data = h->data;
        h->b.impl = h;
        if (read) memcpy(h->data, img + (size_t)blockno * BSIZE, BSIZE);
        slot[blockno] = h;
        ncached++;
    }
    h->pins++;
    *out = &h->b;
    return 0;
}

int bread(uint32_t blockno, struct buf **out)
{
    return get(blockno, 1, out);
}

int bget_new(uint32_t blockno, struct buf **out)
{
    return get(blockno, 0, out);
}

void bpin(struct buf *b)
{
    struct hbuf *h = b->impl;
    if (h->pins <= 0) die("bpin of an unpinned buffer");
    h->pins++;
}

void brelse(struct buf *b)
{
    struct hbuf *h = b->impl;
    if (h->pins <= 0) die("brelse of an unpinned buffer");
    h->pins--;
}

int bwrite(struct buf *const *bufs, int n)
{
    for (int i = 0; i < n; i++) {
        struct hbuf *h = bufs[i]->impl;
        if (h->pins <= 0) die("bwrite of an unpinned buffer");
        if (crashed) continue;
        uint32_t bno = bufs[i]->blockno;
        if (!unflushed[bno]) {
            /* remember the durable contents once per block until the flush */
            struct pending *p = malloc(sizeof(*p));
            if (!p) die("out of memory");
            p->blockno = bno;
            memcpy(p->before, img + (size_t)bno * BSIZE, BSIZE);
            pend[npend++] = p;
            unflushed[bno] = 1;
        }
        memcpy(img + (size_t)bno * BSIZE, bufs[i]->data, BSIZE);
        writes++;
        if (crash_at >= 0 && writes >= crash_at) power_cut();
    }
    return 0;
}

int bflush(void)
{
    if (crashed) return 0;
    for (uint32_t i = 0; i < npend; i++) {
        unflushed[pend[i]->blockno] = 0;
        free(pend[i]);
    }
    npend = 0;
    return 0;
}
