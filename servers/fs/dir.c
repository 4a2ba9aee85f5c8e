/* Directories: files of 64-byte struct dirent records, grown one zeroed
 * block at a time, never shrunk (an emptied slot has inum 0 and is reused).
 * Lookup is a linear scan, BSIZE / 64 = 64 records per block read. */
#include "core.h"

int name_equal(const char *name, const char dname[DIRSIZ])
{
    int i = 0;
    for (; i < DIRSIZ && name[i]; i++)
        if (name[i] != dname[i]) return 0;
    return i == DIRSIZ || dname[i] == 0;
}

/* Call fn on each record of dir; stop when it returns non-zero (that
 * value is returned) or at the end (0). */
typedef int (*dirent_fn)(struct dirent *de, uint64_t off, void *arg, struct buf *b);
static int dir_scan(uint32_t dir, dirent_fn fn, void *arg)
{
    struct dinode di;
    int r = iread(dir, &di);
    if (r < 0) return r;
    if (di.type != T_DIR) return -ENOTDIR;
    for (uint64_t bn = 0; bn * BSIZE < di.size; bn++) {
        uint32_t bno;
        r = bmap(&di, bn, 0, &bno, 0);
        if (r < 0) return r;
        if (bno == 0) continue;
        struct buf *b;
        r = bread(bno, &b);
        if (r < 0) return r;
        struct dirent *de = (struct dirent *)b->data;
        for (int i = 0; i < DIRENTS_PER_BLOCK; i++) {
            r = fn(&de[i], bn * BSIZE + (uint64_t)i * sizeof(*de), arg, b);
            if (r) break;
        }
        brelse(b);
        if (r) return r;
    }
    return 0;
}

struct find {
    const char *name;
    uint32_t ino;
    uint64_t off;
};

static int match_name(struct dirent *de, uint64_t off, void *arg, struct buf *b)
{
    (void)b;
    struct find *f = arg;
    if (de->inum == 0 || !name_equal(f->name, de->name)) return 0;
    f->ino = de->inum;
    f->off = off;
    return 1;
}

int dir_lookup(uint32_t dir, const char *name, uint32_t *ino, uint64_t *off)
{
    struct find f = {name, 0, 0};
    int r = dir_scan(dir, match_name, &f);
    if (r < 0) return r;
    if (r == 0) return -ENOENT;
    *ino = f.ino;
    if (off) *off = f.off;
    return 0;
}

static int match_ino(struct dirent *de, uint64_t off, void *arg, struct buf *b)
{
    (void)b;
    struct find *f = arg;
    if (de->inum != f->ino || off < 2 * sizeof(*de)) return 0;
    f->off = off;
    memcpy((char *)f->name, de->name, DIRSIZ);
    return 1;
}

int dir_name_of(uint32_t dir, uint32_t ino, char *name)
{
    struct find f = {name, ino, 0};
    int r = dir_scan(dir, match_ino, &f);
    if (r < 0) return r;
    if (r == 0) return -ENOENT;
    name[DIRSIZ] = 0;
    return 0;
}

static void fill(struct dirent *de, const char *name, uint32_t ino)
{
    memset(de, 0, sizeof(*de));
    de->inum = ino;
    for (int i = 0; i < DIRSIZ && name[i]; i++) de->name[i] = name[i];
}

struct slot {
    const char *name;
    uint32_t ino;
};

static int take_free(struct dirent *de, uint64_t off, void *arg, struct buf *b)
{
    (void)off;
    struct slot *s = arg;
    if (de->inum != 0) return 0;
    fill(de, s->name, s->ino);
    log_write(b);
    return 1;
}

int dir_add(uint32_t dir, const char *name, uint32_t ino)
{
    struct slot s = {name, ino};
    int r = dir_scan(dir, take_free, &s);
    if (r < 0) return r;
    if (r == 1) return 0;
    /* No free slot: append a zeroed block. */
    struct dinode di;
    r = iread(dir, &di);
    if (r < 0) return r;
    uint32_t bno;
    int fresh;
    r = bmap(&di, di.size / BSIZE, 1, &bno, &fresh);
    if (r == 0) {
        struct buf *b;
        r = bget_new(bno, &b);
        if (r == 0) {
            memset(b->data, 0, BSIZE);
            fill((struct dirent *)b->data, name, ino);
            log_write(b);
            brelse(b);
            di.size += BSIZE;
        }
    }
    int w = iwrite(dir, &di); /* bmap may have attached indirect blocks */
    return r < 0 ? r : w;
}

int dir_set(uint32_t dir, uint64_t off, uint32_t ino)
{
    struct dinode di;
    int r = iread(dir, &di);
    if (r < 0) return r;
    if (off % sizeof(struct dirent) || off >= di.size) return -EIO;
    uint32_t bno;
    r = bmap(&di, off / BSIZE, 0, &bno, 0);
    if (r < 0) return r;
    if (bno == 0) return -EIO;
    struct buf *b;
    r = bread(bno, &b);
    if (r < 0) return r;
    struct dirent *de = (struct dirent *)(b->data + off % BSIZE);
    if (ino == 0)
        memset(de, 0, sizeof(*de));
    else
        de->inum = ino;
    log_write(b);
    brelse(b);
    return 0;
}

static int any_entry(struct dirent *de, uint64_t off, void *arg, struct buf *b)
{
    (void)arg;
    (void)b;
    return de->inum != 0 && off >= 2 * sizeof(*de);
}

int dir_isempty(uint32_t dir)
{
    int r = dir_scan(dir, any_entry, 0);
    return r < 0 ? r : !r;
}
