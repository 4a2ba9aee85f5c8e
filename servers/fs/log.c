/* The write-ahead log. Each fs_* call is a transaction (log_begin ..
 * log_end) whose changed blocks stay pinned in the cache; transactions
 * accumulate into one group until the log is nearly full, fs_sync, or the
 * runtime's periodic fs_commit_due. A commit writes, in this order, with a
 * flush (DISK_FLUSH) after each step:
 *   1. copies of the group's blocks into the log's data area,
 *   2. the header naming their home blocks (the commit point),
 *   3. the blocks at their home locations,
 *   4. the header again with n = 0 (so the log area can be reused).
 * Recovery replays a header with n > 0 (idempotent) and clears it. */
#include "core.h"

#define COPY_BATCH 32   /* log copies pinned at once during a commit */
#define INDEX_SIZE 2048 /* power of two, > 2 * LOG_MAX: at most half full */

static struct {
    uint32_t start; /* header block */
    uint32_t cap;   /* data blocks */
    uint32_t used;  /* blocks in the group */
    uint32_t limit; /* the open transaction may fill the group up to here */
    uint64_t seq;   /* commits so far */
    int broken;     /* an I/O error or overflow: refuse further changes */
    struct buf *bufs[LOG_MAX];
    /* which blocks are in the group: index + 1 into bufs, by block number,
     * open addressing (log_write is called for every changed block) */
    uint16_t index[INDEX_SIZE];
} lg;

_Static_assert(INDEX_SIZE >= 2 * LOG_MAX, "the index stays at most half full");

/* The index slot of blockno: where it is, or the empty slot it would take. */
static uint32_t index_slot(uint32_t blockno)
{
    uint32_t h = (blockno * 2654435761u) & (INDEX_SIZE - 1);
    while (lg.index[h] && lg.bufs[lg.index[h] - 1]->blockno != blockno)
        h = (h + 1) & (INDEX_SIZE - 1);
    return h;
}

void log_init(const struct superblock *sb)
{
    lg.start = sb->log_start;
    lg.cap = sb->log_blocks - 1;
    lg.used = 0;
    lg.limit = 0;
    lg.broken = 0;
    memset(lg.index, 0, sizeof(lg.index));
}

uint32_t log_capacity(void)
{
    return lg.cap;
}

uint32_t log_pending(void)
{
    return lg.used;
}

uint32_t op_reserve(void)
{
    /* a few inodes and directory blocks, plus every bitmap block for a call
     * that frees a whole file */
    uint32_t r = 24 + fs_sb.bitmap_blocks;
    return r < lg.cap ? r : lg.cap;
}

uint32_t write_chunk_blocks(void)
{
    /* the data blocks, plus a few bitmap and indirect blocks and the inode:
     * writei stops early (log_room) when allocations were scattered */
    uint32_t d = lg.cap - 8;
    return d < FS_WRITE_CHUNK / BSIZE ? d : FS_WRITE_CHUNK / BSIZE;
}

int log_room(uint32_t n)
{
    return lg.used + n <= lg.limit;
}

static int write_header(uint32_t n)
{
    struct buf *h;
    int r = bget_new(lg.start, &h);
    if (r < 0) return r;
    struct log_header *lh = (struct log_header *)h->data;
    memset(h->data, 0, BSIZE);
    lh->magic = LOG_MAGIC;
    lh->n = n;
    lh->seq = lg.seq;
    for (uint32_t i = 0; i < n; i++) lh->home[i] = lg.bufs[i]->blockno;
    r = bwrite(&h, 1);
    brelse(h);
    return r;
}

/* Step 1: copy the group into the log area, COPY_BATCH blocks per write. */
static int write_copies(void)
{
    struct buf *copies[COPY_BATCH];
    for (uint32_t i = 0; i < lg.used; i += COPY_BATCH) {
        uint32_t n = lg.used - i < COPY_BATCH ? lg.used - i : COPY_BATCH;
        uint32_t got = 0;
        int r = 0;
        for (; got < n; got++) {
            r = bget_new(lg.start + 1 + i + got, &copies[got]);
            if (r < 0) break;
            memcpy(copies[got]->data, lg.bufs[i + got]->data, BSIZE);
        }
        if (r == 0) r = bwrite(copies, (int)n);
        for (uint32_t k = 0; k < got; k++) brelse(copies[k]);
        if (r < 0) return r;
    }
    return 0;
}

int log_commit(void)
{
    if (lg.broken) return -EIO;
    if (lg.used == 0) return 0;
    lg.seq++;
    int r = write_copies();
    if (r == 0) r = bflush();
    if (r == 0) r = write_header(lg.used); /* commit point */
    if (r == 0) r = bflush();
    if (r == 0) r = bwrite(lg.bufs, (int)lg.used); /* install */
    if (r == 0) r = bflush();
    if (r == 0) r = write_header(0);
    if (r == 0) r = bflush();
    if (r < 0) {
        /* The cache still holds the changes; the disk holds the last good
         * state or a committed group that the next mount replays. */
        lg.broken = 1;
        return r;
    }
    for (uint32_t i = 0; i < lg.used; i++) brelse(lg.bufs[i]);
    lg.used = 0;
    memset(lg.index, 0, sizeof(lg.index));
    return 0;
}

int log_begin(uint32_t reserve)
{
    if (lg.broken) return -EIO;
    if (reserve > lg.cap) reserve = lg.cap;
    if (lg.used + reserve > lg.cap) {
        int r = log_commit();
        if (r < 0) return r;
    }
    lg.limit = lg.used + reserve;
    return 0;
}

void log_write(struct buf *b)
{
    uint32_t h = index_slot(b->blockno);
    if (lg.index[h]) return; /* already in the group (the same pinned buffer) */
    if (lg.used == lg.cap) {
        /* A transaction bigger than its reserve: a bug. Keep the disk as
         * it is (nothing of this group is written) and refuse changes. */
        lg.broken = 1;
        return;
    }
    bpin(b);
    lg.bufs[lg.used++] = b;
    lg.index[h] = (uint16_t)lg.used;
}

void log_end(void)
{
    lg.limit = 0;
}

int log_recover(void)
{
    struct buf *h;
    int r = bread(lg.start, &h);
    if (r < 0) return r;
    struct log_header *lh = (struct log_header *)h->data;
    uint32_t n = lh->n;
    lg.seq = lh->seq;
    if (lh->magic != LOG_MAGIC || n > lg.cap) {
        brelse(h);
        return -EINVAL;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t home = lh->home[i];
        if (home < fs_sb.inode_start || home >= fs_sb.nblocks) {
            brelse(h);
            return -EINVAL;
        }
    }
    for (uint32_t i = 0; i < n && r == 0; i++) {
        struct buf *from, *to;
        r = bread(lg.start + 1 + i, &from);
        if (r < 0) break;
        r = bget_new(lh->home[i], &to);
        if (r == 0) {
            memcpy(to->data, from->data, BSIZE);
            r = bwrite(&to, 1);
            brelse(to);
        }
        brelse(from);
    }
    brelse(h);
    if (r == 0 && n > 0) {
        r = bflush();
        if (r == 0) r = write_header(0);
        if (r == 0) r = bflush();
    }
    return r;
}
