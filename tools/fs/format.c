/* Formatting: lays out the regions of fs_format.h for a given size, writes
 * the superblock, an empty log, a zeroed inode table, the bitmap with the
 * metadata blocks marked used, and "/" with its "." and "..". */
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "servers/fs/core.h"

static int write_block(uint32_t bno, const void *data)
{
    struct buf *b;
    int r = bget_new(bno, &b);
    if (r < 0) return r;
    memcpy(b->data, data, BSIZE);
    r = bwrite(&b, 1);
    brelse(b);
    return r;
}

int fs_format(uint32_t fs_blocks, uint32_t ninodes, uint32_t log_blocks)
{
    if (fs_blocks > bio_nblocks() || fs_blocks < 16) return -EINVAL;
    struct superblock sb = {0};
    sb.magic = FS_MAGIC;
    sb.version = FS_VERSION;
    sb.block_size = BSIZE;
    sb.nblocks = fs_blocks;
    sb.root_ino = FS_ROOT_INO;
    sb.bitmap_blocks = (fs_blocks + BITS_PER_BLOCK - 1) / BITS_PER_BLOCK;
    if (ninodes == 0) ninodes = fs_blocks / 8 > 64 ? fs_blocks / 8 : 64;
    /* fill the last inode-table block */
    sb.inode_blocks = (ninodes + INODES_PER_BLOCK - 1) / INODES_PER_BLOCK;
    sb.ninodes = sb.inode_blocks * INODES_PER_BLOCK;
    if (log_blocks == 0) {
        /* the log must hold one call that frees a whole file (every bitmap
         * block) and a useful write chunk; bigger groups commit less often */
        uint32_t want = fs_blocks / 8 < LOG_MAX ? fs_blocks / 8 : LOG_MAX;
        if (want < sb.bitmap_blocks + 40) want = sb.bitmap_blocks + 40;
        log_blocks = want + 1;
    }
    if (log_blocks < 12 || log_blocks - 1 > LOG_MAX || log_blocks - 1 < sb.bitmap_blocks + 24)
        return -EINVAL;
    sb.log_start = 1;
    sb.log_blocks = log_blocks;
    sb.inode_start = sb.log_start + sb.log_blocks;
    sb.bitmap_start = sb.inode_start + sb.inode_blocks;
    sb.data_start = sb.bitmap_start + sb.bitmap_blocks;
    if (sb.data_start + 1 >= fs_blocks) return -ENOSPC;

    uint8_t *blk = calloc(1, BSIZE);
    if (!blk) return -ENOMEM;
    int r = 0;
    memcpy(blk, &sb, sizeof(sb));
    r = write_block(0, blk);
    /* the log: an empty header (its data area needs no contents) */
    memset(blk, 0, BSIZE);
    struct log_header *lh = (struct log_header *)blk;
    lh->magic = LOG_MAGIC;
    if (r == 0) r = write_block(sb.log_start, blk);
    /* inode table, with "/" in inode 1 */
    uint32_t root_block = sb.data_start;
    for (uint32_t i = 0; i < sb.inode_blocks && r == 0; i++) {
        memset(blk, 0, BSIZE);
        if (i == FS_ROOT_INO / INODES_PER_BLOCK) {
            struct dinode *root =
                (struct dinode *)(blk + FS_ROOT_INO % INODES_PER_BLOCK * INODE_SIZE);
            root->type = T_DIR;
            root->nlink = 2; /* its "." and ".." */
            root->size = BSIZE;
            root->direct[0] = root_block;
        }
        r = write_block(sb.inode_start + i, blk);
    }
    /* bitmap: metadata, the root's block and everything past the end used */
    for (uint32_t i = 0; i < sb.bitmap_blocks && r == 0; i++) {
        memset(blk, 0, BSIZE);
        for (uint32_t bit = 0; bit < BITS_PER_BLOCK; bit++) {
            uint64_t bno = (uint64_t)i * BITS_PER_BLOCK + bit;
            if (bno <= root_block || bno >= fs_blocks) blk[bit / 8] |= (uint8_t)(1u << (bit % 8));
        }
        r = write_block(sb.bitmap_start + i, blk);
    }
    /* "/" : "." and ".." both name it */
    memset(blk, 0, BSIZE);
    struct dirent *de = (struct dirent *)blk;
    de[0].inum = FS_ROOT_INO;
    de[0].name[0] = '.';
    de[1].inum = FS_ROOT_INO;
    de[1].name[0] = de[1].name[1] = '.';
    if (r == 0) r = write_block(root_block, blk);
    free(blk);
    if (r == 0) r = bflush();
    if (r == 0) r = fs_mount();
    return r;
}
