/* The core's operations (fs.h): each call that changes the disk is one
 * transaction between log_begin and log_end. Every step that can fail
 * (no block, no inode, I/O) comes before the change that would make a
 * half-done state visible, or is undone inside the same transaction, so a
 * failed call leaves the tree as it was. */
#include "core.h"
#include "fs.h"

/* ------------------------------------------------------------ open references */

/* Open counts by inode number: open addressing with linear probing, at
 * most half full, so an open or close costs a probe or two. */
#define OPEN_SLOTS (2 * FS_MAX_OPEN) /* a power of two */
static struct {
    uint32_t ino; /* 0: empty */
    uint32_t count;
} opens[OPEN_SLOTS];
static int nopen;

static uint32_t open_slot(uint32_t ino)
{
    uint32_t h = (ino * 2654435761u) & (OPEN_SLOTS - 1);
    while (opens[h].ino && opens[h].ino != ino) h = (h + 1) & (OPEN_SLOTS - 1);
    return h;
}

/* Remove slot h, moving later entries of its probe run back into the gap. */
static void open_remove(uint32_t h)
{
    opens[h].ino = 0;
    nopen--;
    for (uint32_t j = (h + 1) & (OPEN_SLOTS - 1); opens[j].ino; j = (j + 1) & (OPEN_SLOTS - 1)) {
        uint32_t home = (opens[j].ino * 2654435761u) & (OPEN_SLOTS - 1);
        /* can the entry at j move to the gap at h? (is h between home and j, cyclically) */
        if (((j - home) & (OPEN_SLOTS - 1)) >= ((j - h) & (OPEN_SLOTS - 1))) {
            opens[h] = opens[j];
            opens[j].ino = 0;
            h = j;
        }
    }
}

int open_count(uint32_t ino)
{
    uint32_t h = open_slot(ino);
    return opens[h].ino ? (int)opens[h].count : 0;
}

/* Free ino if nothing names it and nothing holds it open. Inside a transaction. */
static int maybe_free(uint32_t ino)
{
    struct dinode di;
    int r = iread(ino, &di);
    if (r < 0) return r;
    if (di.type == 0 || di.nlink > 0 || open_count(ino) > 0) return 0;
    return ifree(ino);
}

int fs_open_ref(uint32_t ino, int delta)
{
    if (ino == 0) return -EINVAL;
    uint32_t h = open_slot(ino);
    if (delta > 0) {
        if (!opens[h].ino) {
            if (nopen >= FS_MAX_OPEN) return -ENFILE;
            opens[h].ino = ino;
            opens[h].count = 0;
            nopen++;
        }
        opens[h].count += (uint32_t)delta;
        return 0;
    }
    if (delta == 0) return 0;
    if (!opens[h].ino || opens[h].count < (uint32_t)-delta) return -EINVAL;
    opens[h].count -= (uint32_t)-delta;
    if (opens[h].count > 0) return 0;
    open_remove(h);
    int r = log_begin(op_reserve());
    if (r < 0) return r;
    r = maybe_free(ino);
    log_end();
    return r;
}

/* ------------------------------------------------------------------- mount */

int orphans_free(void)
{
    for (uint32_t ino = 1; ino < fs_sb.ninodes; ino++) {
        struct dinode di;
        int r = iread(ino, &di);
        if (r == -EIO) continue; /* damaged: leave it to fsck, mount anyway */
        if (r < 0) return r;
        if (di.type == 0 || di.nlink > 0) continue;
        r = log_begin(op_reserve());
        if (r < 0) return r;
        r = ifree(ino);
        log_end();
        if (r < 0) return r;
    }
    return log_commit();
}

int fs_mount(void)
{
    int r = super_read(&fs_sb);
    if (r < 0) return r;
    log_init(&fs_sb);
    r = log_recover();
    if (r < 0) return r;
    memset(opens, 0, sizeof(opens));
    nopen = 0;
    return orphans_free();
}

uint32_t fs_log_capacity(void)
{
    return log_capacity();
}

int fs_sync(void)
{
    int r = log_commit();
    return r < 0 ? r : bflush();
}

int fs_commit_due(void)
{
    return log_commit();
}

/* ------------------------------------------------------------------ lookup */

int fs_lookup(uint32_t cwd, const char *path, uint32_t *ino)
{
    return path_walk(cwd, path, ino);
}

static int load(uint32_t ino, struct dinode *di)
{
    int r = iread(ino, di);
    if (r == -EINVAL) return -ENOENT;
    if (r == 0 && di->type == 0) return -ENOENT;
    return r;
}

int fs_stat(uint32_t ino, struct stat *st)
{
    struct dinode di;
    int r = load(ino, &di);
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
    int r = load(ino, &di);
    if (r < 0) return r;
    if (di.type != T_DEVICE) return -EINVAL;
    *major = di.major;
    *minor = di.minor;
    return 0;
}

/* Change ino's link count by delta (inside a transaction). */
static int adjust_nlink(uint32_t ino, int delta)
{
    struct dinode di;
    int r = iread(ino, &di);
    if (r < 0) return r;
    di.nlink = (uint16_t)(di.nlink + delta);
    return iwrite(ino, &di);
}

/* A directory removed while still open (someone's cwd) takes no new
 * entries: they would be lost with it. */
static int removed_dir(uint32_t dir)
{
    struct dinode di;
    int r = iread(dir, &di);
    if (r < 0) return r;
    return di.nlink == 0 ? -ENOENT : 0;
}

/* ------------------------------------------------------------------ create */

/* Make a new directory inode's "." and ".." records. */
static int init_dir(uint32_t ino, uint32_t parent)
{
    int r = dir_add(ino, ".", ino);
    if (r == 0) r = dir_add(ino, "..", parent);
    return r;
}

int fs_create(uint32_t cwd, const char *path, int type, int major, int minor, uint32_t *ino)
{
    if (type != T_FILE && type != T_DIR && type != T_DEVICE) return -EINVAL;
    uint32_t parent;
    char name[DIRSIZ + 1];
    int r = path_parent(cwd, path, &parent, name);
    if (r < 0) return r;
    if (name[0] == 0 || is_dot_or_dotdot(name)) {
        if (name[0] == 0)
            *ino = parent;
        else
            r = dir_lookup(parent, name, ino, 0);
        return r < 0 ? r : -EEXIST;
    }
    r = dir_lookup(parent, name, ino, 0);
    if (r == 0) return -EEXIST;
    if (r != -ENOENT) return r;
    r = removed_dir(parent);
    if (r < 0) return r;

    r = log_begin(op_reserve());
    if (r < 0) return r;
    uint32_t n;
    r = ialloc(type, &n);
    if (r < 0) goto out;
    struct dinode di;
    r = iread(n, &di);
    if (r < 0) goto out;
    di.nlink = type == T_DIR ? 2 : 1;
    di.major = (uint16_t)major;
    di.minor = (uint16_t)minor;
    r = iwrite(n, &di);
    if (r == 0 && type == T_DIR) r = init_dir(n, parent);
    if (r == 0) r = dir_add(parent, name, n);
    if (r == 0 && type == T_DIR) r = adjust_nlink(parent, +1);
    if (r < 0) {
        ifree(n); /* nothing names it yet */
        goto out;
    }
    *ino = n;
out:
    log_end();
    return r;
}

/* -------------------------------------------------------------- link, unlink */

int fs_link(uint32_t cwd, const char *oldpath, const char *newpath)
{
    uint32_t ino, parent, other;
    char name[DIRSIZ + 1];
    int r = path_walk(cwd, oldpath, &ino);
    if (r < 0) return r;
    struct dinode di;
    r = load(ino, &di);
    if (r < 0) return r;
    if (di.type == T_DIR) return -EISDIR;
    if (di.nlink == UINT16_MAX) return -EINVAL;
    r = path_parent(cwd, newpath, &parent, name);
    if (r < 0) return r;
    if (name[0] == 0 || is_dot_or_dotdot(name)) return -EEXIST;
    r = dir_lookup(parent, name, &other, 0);
    if (r == 0) return -EEXIST;
    if (r != -ENOENT) return r;
    r = removed_dir(parent);
    if (r < 0) return r;
    r = log_begin(op_reserve());
    if (r < 0) return r;
    r = dir_add(parent, name, ino);
    if (r == 0) r = adjust_nlink(ino, +1);
    log_end();
    return r;
}

/* Find the entry of path: its directory, offset, inode. */
static int locate(uint32_t cwd, const char *path, uint32_t *parent, uint64_t *off, uint32_t *ino,
                  char *name)
{
    int r = path_parent(cwd, path, parent, name);
    if (r < 0) return r;
    if (name[0] == 0) return -EBUSY; /* "/" */
    if (is_dot_or_dotdot(name)) return -EINVAL;
    return dir_lookup(*parent, name, ino, off);
}

int fs_unlink(uint32_t cwd, const char *path)
{
    uint32_t parent, ino;
    uint64_t off;
    char name[DIRSIZ + 1];
    int r = locate(cwd, path, &parent, &off, &ino, name);
    if (r == -EBUSY || r == -EINVAL) return -EISDIR; /* "/", ".", ".." are directories */
    if (r < 0) return r;
    struct dinode di;
    r = load(ino, &di);
    if (r < 0) return r;
    if (di.type == T_DIR) return -EISDIR;
    r = log_begin(op_reserve());
    if (r < 0) return r;
    r = dir_set(parent, off, 0);
    if (r == 0) r = adjust_nlink(ino, -1);
    if (r == 0) r = maybe_free(ino);
    log_end();
    return r;
}

int fs_rmdir(uint32_t cwd, const char *path)
{
    uint32_t parent, ino;
    uint64_t off;
    char name[DIRSIZ + 1];
    int r = locate(cwd, path, &parent, &off, &ino, name);
    if (r < 0) return r;
    struct dinode di;
    r = load(ino, &di);
    if (r < 0) return r;
    if (di.type != T_DIR) return -ENOTDIR;
    if (ino == FS_ROOT_INO) return -EBUSY;
    r = dir_isempty(ino);
    if (r < 0) return r;
    if (!r) return -ENOTEMPTY;
    r = log_begin(op_reserve());
    if (r < 0) return r;
    r = dir_set(parent, off, 0);
    if (r == 0) r = adjust_nlink(parent, -1); /* the child's ".." */
    if (r == 0) {
        r = iread(ino, &di);
        di.nlink = 0; /* its entry in parent and its own "." */
        if (r == 0) r = iwrite(ino, &di);
    }
    if (r == 0) r = maybe_free(ino);
    log_end();
    return r;
}

/* ------------------------------------------------------------------ rename */

/* Is dir anc an ancestor of (or equal to) dir d? Walks ".." up to "/". */
static int is_ancestor(uint32_t anc, uint32_t d)
{
    for (int depth = 0; depth < 65536; depth++) {
        if (d == anc) return 1;
        if (d == FS_ROOT_INO) return 0;
        uint32_t up;
        int r = dir_lookup(d, "..", &up, 0);
        if (r < 0) return r;
        d = up;
    }
    return -EIO; /* a loop: the disk is corrupt */
}

int fs_rename(uint32_t cwd, const char *from, const char *to)
{
    uint32_t fp, fino, tp, tino;
    uint64_t foff, toff;
    char fname[DIRSIZ + 1], tname[DIRSIZ + 1];
    int r = locate(cwd, from, &fp, &foff, &fino, fname);
    if (r == -EBUSY) return -EINVAL;
    if (r < 0) return r;
    r = path_parent(cwd, to, &tp, tname);
    if (r < 0) return r;
    if (tname[0] == 0 || is_dot_or_dotdot(tname)) return -EINVAL;
    struct dinode fdi, tdi;
    r = load(fino, &fdi);
    if (r < 0) return r;
    int isdir = fdi.type == T_DIR;
    if (isdir) {
        r = is_ancestor(fino, tp);
        if (r < 0) return r;
        if (r) return -EINVAL;
    }
    r = dir_lookup(tp, tname, &tino, &toff);
    int exists = r == 0;
    if (r < 0 && r != -ENOENT) return r;
    if (!exists) {
        r = removed_dir(tp);
        if (r < 0) return r;
    }
    if (exists) {
        if (tino == fino) return 0;
        r = load(tino, &tdi);
        if (r < 0) return r;
        if (isdir && tdi.type != T_DIR) return -ENOTDIR;
        if (!isdir && tdi.type == T_DIR) return -EISDIR;
        if (isdir) {
            r = dir_isempty(tino);
            if (r < 0) return r;
            if (!r) return -ENOTEMPTY;
        }
    }
    r = log_begin(op_reserve());
    if (r < 0) return r;
    if (exists) {
        r = dir_set(tp, toff, fino);
        if (r == 0 && isdir) {
            r = adjust_nlink(tp, -1); /* the old target's ".." */
            tdi.nlink = 0;
            if (r == 0) r = iwrite(tino, &tdi);
        } else if (r == 0) {
            r = adjust_nlink(tino, -1);
        }
        if (r == 0) r = maybe_free(tino);
    } else {
        r = dir_add(tp, tname, fino);
    }
    if (r == 0) r = dir_set(fp, foff, 0);
    if (r == 0 && isdir && fp != tp) {
        uint64_t dotdot;
        uint32_t old;
        r = dir_lookup(fino, "..", &old, &dotdot);
        if (r == 0) r = dir_set(fino, dotdot, tp);
        if (r == 0) r = adjust_nlink(fp, -1);
        if (r == 0) r = adjust_nlink(tp, +1);
    }
    log_end();
    return r;
}

/* ------------------------------------------------------------- file data */

long fs_read(uint32_t ino, uint64_t off, void *dst, uint64_t n)
{
    struct dinode di;
    int r = load(ino, &di);
    if (r < 0) return r;
    if (di.type == T_DEVICE) return -EINVAL;
    return readi(&di, off, dst, n);
}

long fs_write(uint32_t ino, uint64_t off, const void *src, uint64_t n)
{
    struct dinode di;
    int r = load(ino, &di);
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
    int r = load(ino, &di);
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
    int r = load(ino, &di);
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
    int r = load(ino, &di);
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
