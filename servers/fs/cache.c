/* The block cache: bio.h for the core, in DMA pages shared with the disk
 * server so the device reads and writes the cache's own pages.
 *
 * The region we share with the disk server is page 0 (the request ring,
 * disk_proto.h) and then one page per cache buffer. The number of buffers
 * is fixed at start (cache_init) and never grows. Lookup is by a hash of the
 * block number; unpinned buffers sit on an LRU list (least recently
 * released first) and the first of them is reused for a block not cached.
 * The core never leaves a buffer dirty and unpinned (bio.h: every write is
 * an explicit bwrite, and the log pins what it has not yet installed), so
 * reuse never needs a write-back; a buffer is only ever reused unpinned.
 *
 * Waiting: a read that misses, a bwrite and a bflush put requests on the
 * ring and call worker_wait(), which kicks the disk server (one notify for
 * everything queued) and returns to the main loop; cache_reap(), called by
 * the main loop when the disk server notifies DISK_RING_DONE, records the
 * completions and the worker goes on. In no-wait mode (cache_nowait, for
 * reads the main loop runs beside a parked worker) nothing waits: a block
 * that is not cached and valid fails the call, which then goes to the
 * worker. */
#include "user.h"
#include "ipc.h"
#include "pagoda/disk_proto.h"
#include "bio.h"
#include "runtime.h"

enum { B_EMPTY, B_VALID, B_READING };

struct cbuf {
    struct buf b;
    int pins;
    int state;
    int page;                 /* page of the shared region */
    int ra;                   /* read ahead and not yet asked for */
    struct cbuf *hnext;       /* hash chain */
    struct cbuf *prev, *next; /* LRU list, when unpinned */
};

/* A ring request in flight. */
struct io {
    int used, done, status;
    int n;
    struct cbuf *first; /* a read: the buffer(s) it fills */
    int prefetch;       /* a read ahead: the request holds the buffer's pin */
};

#define READ_AHEAD 16 /* blocks read ahead of a sequential reader */

#define HASH_SIZE 4096

static struct cbuf *bufs;
static int nbufs;
static struct cbuf *hash[HASH_SIZE];
static struct cbuf lru = {.prev = &lru, .next = &lru};
static struct io ios[DISK_RING_SIZE];
static struct disk_ring *ring;
static char *region;
static int disk_h = -1;
static uint32_t capacity;
static int kick_pending;
static int nunpinned;                    /* buffers on the LRU list */
static uint32_t last_read = 0xffffffffu; /* block of the last bread */
static int nowait, missed;               /* cache_nowait */

static void lru_del(struct cbuf *b)
{
    nunpinned--;
    b->prev->next = b->next;
    b->next->prev = b->prev;
    b->prev = b->next = 0;
}

static void lru_add_tail(struct cbuf *b)
{
    nunpinned++;
    b->prev = lru.prev;
    b->next = &lru;
    lru.prev->next = b;
    lru.prev = b;
}

static struct cbuf **hslot(uint32_t blockno)
{
    return &hash[(blockno * 2654435761u) % HASH_SIZE];
}

static struct cbuf *lookup(uint32_t blockno)
{
    for (struct cbuf *b = *hslot(blockno); b; b = b->hnext)
        if (b->b.blockno == blockno) return b;
    return 0;
}

static void unhash(struct cbuf *b)
{
    for (struct cbuf **pp = hslot(b->b.blockno); *pp; pp = &(*pp)->hnext)
        if (*pp == b) {
            *pp = b->hnext;
            return;
        }
}

int cache_init(int n, const char *name)
{
    disk_h = ep_lookup(DISK_NAME);
    if (disk_h < 0) return disk_h;
    region = dma_alloc(n + 1);
    if (!region) return -ENOMEM;
    long w[4] = {0};
    long r = ipc_share(disk_h, region, n + 1, DISK_CONNECT, 0, w);
    if (r >= 0) r = w[0];
    if (r < 0) return (int)r;
    capacity = (uint32_t)w[1];
    ring = (struct disk_ring *)region;
    strcpy(ring->notify, name);
    long s[4] = {DISK_RING_SETUP, 0, 0, 0};
    r = ipc_call(disk_h, s);
    if (r >= 0) r = s[0];
    if (r < 0) return (int)r;
    bufs = malloc((uint)(n * (int)sizeof(struct cbuf)));
    if (!bufs) return -ENOMEM;
    nbufs = n;
    for (int i = 0; i < n; i++) {
        struct cbuf *b = &bufs[i];
        *b = (struct cbuf){.page = i + 1, .state = B_EMPTY};
        b->b.data = (uint8_t *)region + (long)(i + 1) * BSIZE;
        b->b.impl = b;
        b->b.blockno = 0xffffffffu;
        b->next = b->prev = 0;
        lru_add_tail(b);
    }
    return 0;
}

void cache_close(void)
{
    long w[4] = {DISK_DISCONNECT, 0, 0, 0};
    ipc_call(disk_h, w); /* the disk server lets go of the cache's pages now */
}

int cache_size(void)
{
    return nbufs;
}

uint32_t bio_nblocks(void)
{
    return capacity;
}

int cache_disk_alive(void)
{
    return ipc_notify(disk_h, 0) != -EPIPE; /* zero bits: the disk server sees nothing */
}

void cache_kick(void)
{
    if (!kick_pending) return;
    kick_pending = 0;
    ipc_notify(disk_h, DISK_RING_KICK);
}

/* A free ring request; waits while all are in flight. */
static int io_alloc(void)
{
    for (;;) {
        for (int i = 0; i < DISK_RING_SIZE; i++)
            if (!ios[i].used) {
                ios[i] = (struct io){.used = 1};
                return i;
            }
        worker_wait();
    }
}

static void submit(int tag, int op, uint32_t block, int page, int n)
{
    unsigned int t = ring->sub_tail;
    ring->sub[t % DISK_RING_SIZE] = (struct disk_ring_req){.op = (unsigned)op,
                                                           .nblocks = (unsigned)n,
                                                           .page = (unsigned)page,
                                                           .tag = (unsigned)tag,
                                                           .block = block};
    __atomic_store_n(&ring->sub_tail, t + 1, __ATOMIC_RELEASE);
    kick_pending = 1;
}

void cache_reap(void)
{
    unsigned int tail = __atomic_load_n(&ring->done_tail, __ATOMIC_ACQUIRE);
    while (ring->done_head != tail) {
        struct disk_ring_done d = ring->done[ring->done_head % DISK_RING_SIZE];
        ring->done_head++;
        if (d.tag >= DISK_RING_SIZE || !ios[d.tag].used) continue;
        struct io *io = &ios[d.tag];
        io->done = 1, io->status = d.status;
        if (io->first) { /* a read: the buffers say it, and the request is free */
            for (int i = 0; i < io->n; i++) {
                struct cbuf *b = &io->first[i];
                b->state = d.status ? B_EMPTY : B_VALID;
                if (io->prefetch && --b->pins == 0) lru_add_tail(b);
            }
            io->used = 0;
        }
    }
}

/* A buffer for blockno, pinned, not hashed under anything else. */
static struct cbuf *claim(uint32_t blockno)
{
    struct cbuf *b = lru.next;
    if (b == &lru) {
        printf("fs: block cache exhausted (%d buffers all pinned)\n", nbufs);
        return 0;
    }
    lru_del(b);
    unhash(b);
    b->b.blockno = blockno;
    b->state = B_EMPTY;
    b->ra = 0;
    b->pins = 1;
    struct cbuf **h = hslot(blockno);
    b->hnext = *h;
    *h = b;
    return b;
}

static void pin(struct cbuf *b)
{
    if (b->pins++ == 0) lru_del(b);
}

/* Start reading blockno into a free buffer, if that costs no waiting and
 * leaves most of the cache alone. */
static void prefetch(uint32_t blockno)
{
    if (blockno >= capacity || nunpinned < nbufs / 2 || lookup(blockno)) return;
    int tag = -1;
    for (int i = 0; i < DISK_RING_SIZE && tag < 0; i++)
        if (!ios[i].used) tag = i;
    if (tag < 0) return;
    struct cbuf *b = claim(blockno);
    if (!b) return;
    ios[tag] = (struct io){.used = 1, .first = b, .n = 1, .prefetch = 1};
    b->state = B_READING;
    b->ra = 1;
    submit(tag, DISK_READ, blockno, b->page, 1);
}

void cache_nowait(int on)
{
    nowait = on;
    if (on) missed = 0;
}

int cache_missed(void)
{
    return missed;
}

/* No-wait mode: only a cached, valid block; nothing else changes. */
static int bread_nowait(uint32_t blockno, struct buf **out)
{
    struct cbuf *b = lookup(blockno);
    if (!b || b->state != B_VALID) {
        missed = 1;
        return -EAGAIN;
    }
    pin(b);
    if (b->ra) {
        b->ra = 0;
        prefetch(blockno + READ_AHEAD);
    }
    *out = &b->b;
    return 0;
}

int bread(uint32_t blockno, struct buf **out)
{
    if (blockno >= capacity) return -EIO;
    if (nowait) return bread_nowait(blockno, out);
    struct cbuf *b = lookup(blockno);
    int sequential = blockno == last_read + 1;
    last_read = blockno;
    if (b) {
        pin(b);
        if (b->ra) { /* a block read ahead is used: keep the window ahead */
            b->ra = 0;
            prefetch(blockno + READ_AHEAD);
        }
    } else if (!(b = claim(blockno))) {
        return -EIO;
    } else if (sequential) {
        b->state = B_READING; /* ours goes first, the read-ahead after it */
        int tag = io_alloc();
        ios[tag].first = b, ios[tag].n = 1;
        submit(tag, DISK_READ, blockno, b->page, 1);
        for (uint32_t k = 1; k <= READ_AHEAD; k++) prefetch(blockno + k);
    }
    for (int tries = 0; b->state != B_VALID; tries++) {
        if (b->state == B_EMPTY) {
            if (tries >= 2) {
                brelse(&b->b);
                return -EIO;
            }
            int tag = io_alloc();
            if (b->state == B_EMPTY) { /* nobody started it while we waited */
                ios[tag].first = b, ios[tag].n = 1;
                b->state = B_READING;
                submit(tag, DISK_READ, blockno, b->page, 1);
            } else {
                ios[tag].used = 0;
            }
        }
        while (b->state == B_READING) worker_wait();
    }
    *out = &b->b;
    return 0;
}

int bget_new(uint32_t blockno, struct buf **out)
{
    if (blockno >= capacity) return -EIO;
    if (nowait) { /* a read-only call never gets here */
        missed = 1;
        return -EAGAIN;
    }
    struct cbuf *b = lookup(blockno);
    if (b) {
        pin(b);
        while (b->state == B_READING) worker_wait();
    } else if (!(b = claim(blockno))) {
        return -EIO;
    }
    b->state = B_VALID;
    *out = &b->b;
    return 0;
}

void bpin(struct buf *buf)
{
    pin(buf->impl);
}

void brelse(struct buf *buf)
{
    struct cbuf *b = buf->impl;
    if (b->pins <= 0) return;
    if (--b->pins == 0) lru_add_tail(b);
}

/* Collect the finished ones among the requests in tags[0..*n). */
static int collect(int *tags, int *n)
{
    int err = 0;
    for (int i = 0; i < *n;) {
        struct io *io = &ios[tags[i]];
        if (!io->done) {
            i++;
            continue;
        }
        if (io->status && !err) err = io->status;
        io->used = 0;
        tags[i] = tags[--*n];
    }
    return err;
}

int bwrite(struct buf *const *list, int n)
{
    if (nowait) {
        missed = 1;
        return -EAGAIN;
    }
    int tags[DISK_RING_SIZE], ntags = 0, err = 0;
    for (int i = 0; i < n;) {
        /* a run of blocks adjacent on the disk and in the region: one request */
        struct cbuf *b = list[i]->impl;
        int k = 1;
        while (i + k < n && k < DISK_MAX_NBLOCKS) {
            struct cbuf *c = list[i + k]->impl;
            if (c->b.blockno != b->b.blockno + (uint32_t)k || c->page != b->page + k) break;
            k++;
        }
        if (b->b.blockno >= capacity || (uint32_t)k > capacity - b->b.blockno) {
            err = -EIO;
            i += k;
            continue;
        }
        int tag;
        for (;;) {
            int r = collect(tags, &ntags);
            if (r && !err) err = r;
            int free = 0;
            for (int t = 0; t < DISK_RING_SIZE && !free; t++) free = !ios[t].used;
            if (free) break;
            worker_wait();
        }
        tag = io_alloc();
        ios[tag].n = k;
        submit(tag, DISK_WRITE, b->b.blockno, b->page, k);
        tags[ntags++] = tag;
        i += k;
    }
    while (ntags) {
        int r = collect(tags, &ntags);
        if (r && !err) err = r;
        if (ntags) worker_wait();
    }
    return err ? -EIO : 0;
}

int bflush(void)
{
    if (nowait) {
        missed = 1;
        return -EAGAIN;
    }
    int tag = io_alloc();
    submit(tag, DISK_FLUSH, 0, 0, 1);
    while (!ios[tag].done) worker_wait();
    int err = ios[tag].status;
    ios[tag].used = 0;
    return err ? -EIO : 0;
}
