/* Inodes and the blocks of a file. An inode lives in the inode table; a
 * file's block bn is direct[bn] for the first NDIRECT blocks, then an entry
 * of the indirect block, then an entry of an indirect block named by the
 * double-indirect block. Block number 0 is a hole (reads as zeros). Bytes
 * of an allocated block past the file's size are always zero, so growing a
 * file never exposes old data. */
#include "core.h"

static uint32_t ihint = 1; /* inode to look at first */

static int inode_block(uint32_t ino, struct buf **b)
{
    if (ino == 0 || ino >= fs_sb.ninodes) return -EINVAL;
    return bread(fs_sb.inode_start + ino / INODES_PER_BLOCK, b);
}

int iread(uint32_t ino, struct dinode *di)
{
    struct buf *b;
    int r = inode_block(ino, &b);
    if (r < 0) return r;
    memcpy(di, b->data + (ino % INODES_PER_BLOCK) * INODE_SIZE, INODE_SIZE);
    brelse(b);
    /* a damaged inode is an I/O error, not a reason to loop or overrun */
    if (di->type > T_DEVICE || di->size > MAXFILE_BYTES) return -EIO;
    return 0;
}

/* A block number from the disk: 0 (a hole) or inside the data area. */
static int bad_block(uint32_t bno)
{
    return bno != 0 && (bno < fs_sb.data_start || bno >= fs_sb.nblocks);
}

int iwrite(uint32_t ino, const struct dinode *di)
{
    struct buf *b;
    int r = inode_block(ino, &b);
    if (r < 0) return r;
    memcpy(b->data + (ino % INODES_PER_BLOCK) * INODE_SIZE, di, INODE_SIZE);
    log_write(b);
    brelse(b);
    return 0;
}

int ialloc(int type, uint32_t *ino)
{
    for (uint32_t k = 0; k < fs_sb.ninodes; k++) {
        uint32_t n = (ihint + k) % fs_sb.ninodes;
        if (n == 0) continue;
        struct buf *b;
        int r = inode_block(n, &b);
        if (r < 0) return r;
        struct dinode *di = (struct dinode *)(b->data + (n % INODES_PER_BLOCK) * INODE_SIZE);
        if (di->type == 0) {
            memset(di, 0, INODE_SIZE);
            di->type = (uint16_t)type;
            log_write(b);
            brelse(b);
            *ino = n;
            ihint = n + 1;
            return 0;
        }
        brelse(b);
    }
    return -ENOSPC;
}

/* Entry i of indirect block ind; allocate (zeroed) when missing and asked. */
static int ind_entry(uint32_t ind, uint32_t i, int alloc, uint32_t *out, int *fresh)
{
    struct buf *b;
    int r = bread(ind, &b);
    if (r < 0) return r;
    uint32_t *e = (uint32_t *)b->data;
    if (e[i] == 0 && alloc) {
        uint32_t nb;
        r = balloc(&nb);
        if (r == 0) {
            e[i] = nb;
            log_write(b);
            *fresh = 1;
        }
    }
    *out = e[i];
    brelse(b);
    return r == 0 && bad_block(*out) ? -EIO : r;
}

/* Make sure *slot names a zeroed block (for indirect blocks). */
static int ensure_block(uint32_t *slot, int alloc)
{
    if (bad_block(*slot)) return -EIO;
    if (*slot || !alloc) return 0;
    uint32_t nb;
    int r = balloc(&nb);
    if (r < 0) return r;
    r = bzero_new(nb);
    if (r < 0) return r;
    *slot = nb;
    return 0;
}

int bmap(struct dinode *di, uint64_t bn, int alloc, uint32_t *out, int *fresh)
{
    int dummy = 0;
    if (!fresh) fresh = &dummy;
    *fresh = 0;
    *out = 0;
    if (bn < NDIRECT) {
        if (di->direct[bn] == 0 && alloc) {
            uint32_t nb;
            int r = balloc(&nb);
            if (r < 0) return r;
            di->direct[bn] = nb;
            *fresh = 1;
        }
        *out = di->direct[bn];
        return bad_block(*out) ? -EIO : 0;
    }
    bn -= NDIRECT;
    if (bn < NINDIRECT) {
        int r = ensure_block(&di->indirect, alloc);
        if (r < 0 || di->indirect == 0) return r;
        return ind_entry(di->indirect, (uint32_t)bn, alloc, out, fresh);
    }
    bn -= NINDIRECT;
    /* LAB bigfile BEGIN */
    if (bn >= (uint64_t)NINDIRECT * NINDIRECT) return -EFBIG;
    int r = ensure_block(&di->dindirect, alloc);
    if (r < 0 || di->dindirect == 0) return r;
    uint32_t ind;
    int ind_fresh = 0;
    r = ind_entry(di->dindirect, (uint32_t)(bn / NINDIRECT), alloc, &ind, &ind_fresh);
    if (r < 0 || ind == 0) return r;
    if (ind_fresh) {
        r = bzero_new(ind);
        if (r < 0) return r;
    }
    return ind_entry(ind, (uint32_t)(bn % NINDIRECT), alloc, out, fresh);
    /* LAB STUB
    return -EFBIG; // past the single-indirect block: the double-indirect one
    */
    /* LAB END */
}

/* Free entries [from, NINDIRECT) of indirect block ind (depth 1: data
 * blocks; depth 2: indirect blocks, freed from their entry 0 on). */
static int free_entries(uint32_t ind, uint64_t from, int depth)
{
    struct buf *b;
    int r = bread(ind, &b);
    if (r < 0) return r;
    uint32_t *e = (uint32_t *)b->data;
    int changed = 0;
    uint64_t per = depth == 2 ? NINDIRECT : 1; /* file blocks per entry */
    for (uint32_t i = (uint32_t)(from / per); i < NINDIRECT && r == 0; i++) {
        if (e[i] == 0) continue;
        uint64_t first = (uint64_t)i * per;
        if (depth == 2) {
            uint64_t sub = from > first ? from - first : 0;
            r = free_entries(e[i], sub, 1);
            if (r < 0 || sub > 0) continue; /* partly kept */
        }
        r = bfree(e[i]);
        e[i] = 0;
        changed = 1;
    }
    if (changed) log_write(b);
    brelse(b);
    return r;
}

int itrunc(struct dinode *di, uint64_t size)
{
    if (size > MAXFILE_BYTES) return -EFBIG;
    uint64_t keep = (size + BSIZE - 1) / BSIZE; /* blocks that stay */
    int r = 0;
    for (uint64_t i = keep; i < NDIRECT && r == 0; i++) {
        if (di->direct[i]) r = bfree(di->direct[i]);
        di->direct[i] = 0;
    }
    if (r == 0 && di->indirect) {
        uint64_t from = keep > NDIRECT ? keep - NDIRECT : 0;
        if (from < NINDIRECT) r = free_entries(di->indirect, from, 1);
        if (r == 0 && from == 0) {
            r = bfree(di->indirect);
            di->indirect = 0;
        }
    }
    if (r == 0 && di->dindirect) {
        uint64_t base = NDIRECT + NINDIRECT;
        uint64_t from = keep > base ? keep - base : 0;
        r = free_entries(di->dindirect, from, 2);
        if (r == 0 && from == 0) {
            r = bfree(di->dindirect);
            di->dindirect = 0;
        }
    }
    if (r < 0) return r;
    /* Zero the tail of a kept partial last block (the invariant above). */
    if (size < di->size && size % BSIZE) {
        uint32_t bno;
        r = bmap(di, size / BSIZE, 0, &bno, 0);
        if (r < 0) return r;
        if (bno) {
            struct buf *b;
            r = bread(bno, &b);
            if (r < 0) return r;
            memset(b->data + size % BSIZE, 0, BSIZE - size % BSIZE);
            log_write(b);
            brelse(b);
        }
    }
    di->size = size;
    return 0;
}

int ifree(uint32_t ino)
{
    struct dinode di;
    int r = iread(ino, &di);
    if (r < 0) return r;
    if (di.type != T_DEVICE) r = itrunc(&di, 0);
    if (r < 0) return r;
    memset(&di, 0, sizeof(di));
    if (ino < ihint) ihint = ino;
    return iwrite(ino, &di);
}

long readi(const struct dinode *di, uint64_t off, void *dst, uint64_t n)
{
    if (off >= di->size) return 0;
    if (n > di->size - off) n = di->size - off;
    uint8_t *p = dst;
    uint64_t done = 0;
    long r = 0;
    struct dinode *d = (struct dinode *)di; /* bmap without alloc does not change it */
    /* The indirect block, read once for all the blocks it names (a large
     * read, exec's above all, is mostly those) rather than once per block. */
    struct buf *ind = 0;
    while (done < n) {
        uint64_t pos = off + done, bn = pos / BSIZE;
        uint64_t in = pos % BSIZE;
        uint64_t m = BSIZE - in < n - done ? BSIZE - in : n - done;
        uint32_t bno;
        if (bn - NDIRECT < NINDIRECT && d->indirect && !bad_block(d->indirect)) {
            if (!ind && (r = bread(d->indirect, &ind)) < 0) break;
            bno = ((const uint32_t *)ind->data)[bn - NDIRECT];
            if (bad_block(bno)) {
                r = -EIO;
                break;
            }
        } else if ((r = bmap(d, bn, 0, &bno, 0)) < 0) {
            break;
        }
        if (bno == 0) {
            memset(p + done, 0, m);
        } else {
            struct buf *b;
            if ((r = bread(bno, &b)) < 0) break;
            memcpy(p + done, b->data + in, m);
            brelse(b);
        }
        done += m;
    }
    if (ind) brelse(ind);
    return done ? (long)done : r;
}

long writei(struct dinode *di, uint64_t off, const void *src, uint64_t n)
{
    const uint8_t *p = src;
    uint64_t done = 0;
    int r = 0;
    while (done < n) {
        /* worst case for one block: it, its bitmap block, three indirect
         * blocks and the inode */
        if (!log_room(6)) break;
        uint64_t pos = off + done;
        uint64_t in = pos % BSIZE;
        uint64_t m = BSIZE - in < n - done ? BSIZE - in : n - done;
        uint32_t bno;
        int fresh;
        r = bmap(di, pos / BSIZE, 1, &bno, &fresh);
        if (r < 0) break;
        struct buf *b;
        r = fresh || m == BSIZE ? bget_new(bno, &b) : bread(bno, &b);
        if (r < 0) break;
        if (fresh && m < BSIZE) memset(b->data, 0, BSIZE);
        memcpy(b->data + in, p + done, m);
        log_write(b);
        brelse(b);
        done += m;
        if (pos + m > di->size) di->size = pos + m;
    }
    return done ? (long)done : r;
}
