/* The superblock: reading block 0 and checking that its regions fit
 * together and on the device, so no later computation trusts a bad size. */
#include "core.h"

struct superblock fs_sb;

int super_check(const struct superblock *sb, uint32_t dev_blocks)
{
    if (sb->magic != FS_MAGIC || sb->version != FS_VERSION || sb->block_size != BSIZE)
        return -EINVAL;
    if (sb->nblocks == 0 || sb->nblocks > dev_blocks) return -EINVAL;
    if (sb->root_ino != FS_ROOT_INO || sb->ninodes < 2) return -EINVAL;
    /* The regions follow each other in this order, without gaps. */
    uint64_t log_end = (uint64_t)sb->log_start + sb->log_blocks;
    uint64_t inode_end = (uint64_t)sb->inode_start + sb->inode_blocks;
    uint64_t bitmap_end = (uint64_t)sb->bitmap_start + sb->bitmap_blocks;
    if (sb->log_start != 1 || sb->log_blocks < 2 || sb->log_blocks - 1 > LOG_MAX) return -EINVAL;
    if (sb->inode_start != log_end) return -EINVAL;
    if ((uint64_t)sb->inode_blocks * INODES_PER_BLOCK < sb->ninodes) return -EINVAL;
    if (sb->bitmap_start != inode_end) return -EINVAL;
    if ((uint64_t)sb->bitmap_blocks * BITS_PER_BLOCK < sb->nblocks) return -EINVAL;
    if (sb->data_start != bitmap_end || sb->data_start >= sb->nblocks) return -EINVAL;
    return 0;
}

int super_read(struct superblock *sb)
{
    struct buf *b;
    int r = bread(0, &b);
    if (r < 0) return r;
    memcpy(sb, b->data, sizeof(*sb));
    brelse(b);
    return super_check(sb, bio_nblocks());
}
