/* The calls on one inode: lookup, stat, device numbers, read, write (in
 * transactions of at most write_chunk_blocks() blocks), truncate, readdir
 * and getpath. */
#include "core.h"
#include "fs.h"

int fs_lookup(uint32_t cwd, const char *path, uint32_t *ino)
{
    return path_walk(cwd, path, ino);
}

int iload(uint32_t ino, struct dinode *di)
{
    int r = iread(ino, di);
    if (r == -EINVAL) return -ENOENT;
    if (r == 0 && di->type == 0) return -ENOENT;
    return r;
}

int fs_stat(uint32_t ino, struct stat *st)
{
    struct dinode di;
    int r = iload(ino, &di);
    if (r < 0) return r;
    st->dev = 1;
    st->ino = ino;
    st->type = (short)di.type;
    st->nlink = (short)di.nlink;
    st->size = di.size;
    return 0;
}

int fs_device(uint32_t ino, int *major, int *minor)
{
    struct dinode di;
    int r = iload(ino, &di);
    if (r < 0) return r;
    if (di.type != T_DEVICE) return -EINVAL;
    *major = di.major;
    *minor = di.minor;
    return 0;
}

/* Change ino's link count by delta (inside a transaction). */
/* ------------------------------------------------------------- file data */

long fs_read(uint32_t ino, uint64_t off, void *dst, uint64_t n)
{
    struct dinode di;
    int r = iload(ino, &di);
    if (r < 0) return r;
    if (di.type == T_DEVICE) return -EINVAL;
    return readi(&di, off, dst, n);
}

long fs_write(uint32_t ino, uint64_t off, const void *src, uint64_t n)
{
    struct dinode di;
    int r = iload(ino, &di);
    if (r < 0) return r;
    if (di.type == T_DIR) return -EISDIR;
    if (di.type != T_FILE) return -EINVAL;
    if (off >= MAXFILE_BYTES) return n ? -EFBIG : 0;
    if (n > MAXFILE_BYTES - off) n = MAXFILE_BYTES - off;
    const uint8_t *p = src;
    uint64_t done = 0;
    uint64_t chunk = (uint64_t)write_chunk_blocks() * BSIZE;
    while (done < n) {
        /* a chunk ends on a block boundary so it touches at most
         * write_chunk_blocks() data blocks */
        uint64_t pos = off + done;
        uint64_t m = chunk - pos % BSIZE;
        if (m > n - done) m = n - done;
        r = log_begin(write_chunk_blocks() + 8);
        if (r < 0) break;
        r = iread(ino, &di);
        long w = r < 0 ? r : writei(&di, pos, p + done, m);
        if (r == 0) r = iwrite(ino, &di); /* size and new blocks, even after a short write */
        log_end();
        if (w <= 0) {
            /* nothing written: the disk is full (after a short chunk) or an error */
            if (w < 0) r = (int)w;
            break;
        }
        if (r < 0) break;
        done += (uint64_t)w;
    }
    return done ? (long)done : r;
}

int fs_truncate(uint32_t ino, uint64_t size)
{
    struct dinode di;
    int r = iload(ino, &di);
    if (r < 0) return r;
    if (di.type == T_DIR) return -EISDIR;
    if (di.type != T_FILE) return -EINVAL;
    if (size > MAXFILE_BYTES) return -EFBIG;
    if (size == di.size) return 0;
    r = log_begin(op_reserve());
    if (r < 0) return r;
    r = itrunc(&di, size);
    if (r == 0) r = iwrite(ino, &di);
    log_end();
    return r;
}

long fs_readdir(uint32_t ino, uint64_t off, struct dirent *d)
{
    struct dinode di;
    int r = iload(ino, &di);
    if (r < 0) return r;
    if (di.type != T_DIR) return -ENOTDIR;
    off = (off + sizeof(*d) - 1) / sizeof(*d) * sizeof(*d);
    while (off < di.size) {
        long got = readi(&di, off, d, sizeof(*d));
        if (got < 0) return got;
        off += sizeof(*d);
        if (got == (long)sizeof(*d) && d->inum != 0) return (long)off;
    }
    return 0;
}

int fs_getpath(uint32_t ino, char *buf, int len)
{
    char tmp[PATH_MAX_LEN + 1];
    int pos = PATH_MAX_LEN;
    tmp[pos] = 0;
    struct dinode di;
    int r = iload(ino, &di);
    if (r < 0) return r;
    if (di.type != T_DIR) return -ENOTDIR;
    for (int depth = 0; ino != FS_ROOT_INO; depth++) {
        uint32_t up;
        char name[DIRSIZ + 1];
        if (depth > PATH_MAX_LEN) return -EIO;
        r = dir_lookup(ino, "..", &up, 0);
        if (r == 0) r = dir_name_of(up, ino, name);
        if (r < 0) return r;
        int n = (int)strlen(name);
        if (pos - n - 1 < 0) return -ENAMETOOLONG;
        pos -= n;
        memcpy(tmp + pos, name, (unsigned)n);
        tmp[--pos] = '/';
        ino = up;
    }
    if (pos == PATH_MAX_LEN) tmp[--pos] = '/';
    int n = PATH_MAX_LEN - pos;
    if (n + 1 > len) return -ENAMETOOLONG;
    memcpy(buf, tmp + pos, (unsigned)n + 1);
    return n;
}
