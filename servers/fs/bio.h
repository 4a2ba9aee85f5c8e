/* The block layer the file-system core calls: the only way the core touches
 * the disk. Two implementations exist: the fs server's block cache (pages
 * shared with the disk server; calls may yield to other requests while the
 * disk works) and tools/hostbio.c (a file image in host memory, for mkfs,
 * fsck and the host tests).
 *
 * Contract:
 *  - Blocks are BSIZE (4096) bytes, numbered from 0 on the device.
 *  - A buffer returned by bread/bget_new is pinned: it stays resident, its
 *    data pointer stays valid and no other buffer exists for that block
 *    until every pin is dropped with brelse. bpin adds one more pin.
 *  - The cache never writes a block on its own: every write is an explicit
 *    bwrite by the core (the log decides when). So an unpinned buffer is
 *    always clean and may be evicted at any time without a write-back.
 *  - The core keeps one extra pin (bpin) on every buffer that is part of
 *    the uncommitted log, and drops it after the block is installed at its
 *    home location. The cache must therefore be larger than the log
 *    (fs_log_capacity() blocks) plus the few buffers one call holds at once
 *    (FS_MAX_HELD in fs.h).
 *  - bwrite returns when the device has completed every write; bflush
 *    returns when every completed write is durable (DISK_FLUSH). */
#ifndef FS_BIO_H
#define FS_BIO_H

#include <stdint.h>

#define BSIZE 4096

struct buf {
    uint32_t blockno; /* device block number */
    uint8_t *data;    /* BSIZE bytes, 8-byte aligned (the core casts it) */
    void *impl;       /* the implementation's own bookkeeping */
};

/* Pin the block, reading it from the device unless cached: 0 or -EIO. */
int bread(uint32_t blockno, struct buf **out);
/* Pin the block without reading it: the caller overwrites all BSIZE bytes.
 * If the block is cached, that buffer is returned (contents undefined). */
int bget_new(uint32_t blockno, struct buf **out);
/* One more pin on a buffer already pinned by the caller. */
void bpin(struct buf *b);
/* Drop one pin. */
void brelse(struct buf *b);
/* Write these n buffers to their blocks (adjacent ones batched); return when
 * the device has completed all of them: 0 or -EIO. Buffers stay pinned. */
int bwrite(struct buf *const *bufs, int n);
/* Barrier: every completed write is durable on return. 0 or -EIO. */
int bflush(void);
/* Capacity of the device in blocks (mount checks the superblock against it). */
uint32_t bio_nblocks(void);

#endif
