/* The free-block bitmap: bit b of the bitmap area is 1 when block b is in
 * use. mkfs marks the metadata blocks (superblock, log, inode table, bitmap)
 * and the bits past nblocks as used, so allocation only ever finds data
 * blocks. A rotating hint makes consecutive allocations adjacent. */
#include "core.h"

static uint32_t hint; /* data block to look at first */

int bitmap_get(uint32_t bno, int *used)
{
    struct buf *b;
    if (bno >= fs_sb.nblocks) return -EIO;
    int r = bread(fs_sb.bitmap_start + bno / BITS_PER_BLOCK, &b);
    if (r < 0) return r;
    uint32_t bit = bno % BITS_PER_BLOCK;
    *used = (b->data[bit / 8] >> (bit % 8)) & 1;
    brelse(b);
    return 0;
}

/* Look for a clear bit in bitmap block bb, at block numbers >= from. */
static int take_in(uint32_t bb, uint32_t from, uint32_t *bno)
{
    struct buf *b;
    int r = bread(fs_sb.bitmap_start + bb, &b);
    if (r < 0) return r;
    uint32_t base = bb * BITS_PER_BLOCK;
    uint32_t first = from > base ? from - base : 0;
    for (uint32_t byte = first / 8; byte < BSIZE; byte++) {
        if (b->data[byte] == 0xff) continue;
        for (uint32_t bit = 0; bit < 8; bit++) {
            uint32_t n = base + byte * 8 + bit;
            if (n < from || (b->data[byte] >> bit) & 1) continue;
            if (n >= fs_sb.nblocks) break;
            b->data[byte] |= (uint8_t)(1u << bit);
            log_write(b);
            brelse(b);
            *bno = n;
            return 1;
        }
    }
    brelse(b);
    return 0;
}

int balloc(uint32_t *bno)
{
    if (hint < fs_sb.data_start || hint >= fs_sb.nblocks) hint = fs_sb.data_start;
    /* from the hint to the end, then from the start of the data area */
    uint32_t starts[2] = {hint, fs_sb.data_start};
    uint32_t ends[2] = {fs_sb.nblocks, hint};
    for (int pass = 0; pass < 2; pass++) {
        uint32_t from = starts[pass];
        if (from >= ends[pass]) continue;
        for (uint32_t bb = from / BITS_PER_BLOCK; bb <= (ends[pass] - 1) / BITS_PER_BLOCK; bb++) {
            int r = take_in(bb, from, bno);
            if (r < 0) return r;
            if (r == 1 && *bno >= fs_sb.data_start) {
                hint = *bno + 1;
                return 0;
            }
            if (r == 1) return -EIO; /* a metadata block was marked free */
        }
    }
    return -ENOSPC;
}

int bfree(uint32_t bno)
{
    if (bno < fs_sb.data_start || bno >= fs_sb.nblocks) return -EIO;
    struct buf *b;
    int r = bread(fs_sb.bitmap_start + bno / BITS_PER_BLOCK, &b);
    if (r < 0) return r;
    uint32_t bit = bno % BITS_PER_BLOCK;
    uint8_t mask = (uint8_t)(1u << (bit % 8));
    if (!(b->data[bit / 8] & mask)) {
        brelse(b);
        return -EIO; /* freeing a free block: the disk is corrupt */
    }
    b->data[bit / 8] &= (uint8_t)~mask;
    log_write(b);
    brelse(b);
    return 0;
}

int bzero_new(uint32_t bno)
{
    struct buf *b;
    int r = bget_new(bno, &b);
    if (r < 0) return r;
    memset(b->data, 0, BSIZE);
    log_write(b);
    brelse(b);
    return 0;
}
