/* The calls that change names: create, link, unlink, rmdir, rename. Each
 * is one transaction; every step that can fail (no block, no inode, I/O)
 * comes before the change that would make a half-done state visible, or
 * is undone inside the same transaction, so a failed call leaves the tree
 * as it was. */
#include "core.h"
#include "fs.h"

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
    r = iload(ino, &di);
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
    r = iload(ino, &di);
    if (r < 0) return r;
    if (di.type == T_DIR) return -EISDIR;
    r = log_begin(op_reserve());
    if (r < 0) return r;
    r = dir_set(parent, off, 0);
    if (r == 0) r = adjust_nlink(ino, -1);
    if (r == 0) r = free_if_unused(ino);
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
    r = iload(ino, &di);
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
    if (r == 0) r = free_if_unused(ino);
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
    r = iload(fino, &fdi);
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
        r = iload(tino, &tdi);
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
        if (r == 0) r = free_if_unused(tino);
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
