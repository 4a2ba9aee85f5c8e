/* The requests that need the file-system core, run by the worker one at a
 * time (worker.c). Each checks what the client sent -- fd, flags, region
 * references, paths -- before calling the core; paths are copied out of the
 * client's region first, so the client cannot change them under the core. */
#include "user.h"
#include "fs.h"
#include "runtime.h"

int fs_mounted;
static int open_kind; /* FS_OPEN's reply w[1]: the kind of the file opened */

/* A region reference [off, off + n): 0 or -EFAULT/-EINVAL. */
static int rcheck(struct fsproc *p, long off, long n)
{
    if (n < 0) return -EINVAL;
    if (off < 0 || off > p->rsize || n > p->rsize - off) return -EFAULT;
    return 0;
}

/* Copy the path a span names into buf (FS_PATH_MAX bytes). */
static int getpath(struct fsproc *p, long span, char *buf)
{
    long off = fs_span_off(span), len = fs_span_len(span);
    if (len > FS_PATH_MAX) return -ENAMETOOLONG;
    if (len < 1) return -EINVAL;
    int r = rcheck(p, off, len);
    if (r) return r;
    memcpy(buf, p->region + off, (uint)len);
    if (buf[len - 1] != 0 || (long)strlen(buf) != len - 1) return -EINVAL;
    return 0;
}

static long do_open(struct fsproc *p, const long *w)
{
    char path[FS_PATH_MAX];
    long flags = w[2];
    if (flags & ~(long)(O_WRONLY | O_RDWR | O_CREATE | O_TRUNC | O_APPEND)) return -EINVAL;
    int acc = (int)(flags & 3);
    if (acc == 3) return -EINVAL;
    int r = getpath(p, w[1], path);
    if (r) return r;
    struct file *f = file_alloc();
    if (!f) return -ENFILE;
    int fd = fd_alloc(p, f);
    if (fd < 0) {
        f->refs = 0;
        return fd;
    }
    uint32_t ino = 0;
    struct stat st;
    if (flags & O_CREATE) {
        r = fs_create(p->cwd, path, T_FILE, 0, 0, &ino);
        if (r == -EEXIST) r = 0;
    } else {
        r = fs_lookup(p->cwd, path, &ino);
    }
    if (r == 0) r = fs_stat(ino, &st);
    if (r == 0 && st.type == T_DIR && acc != O_RDONLY) r = -EISDIR;
    int major = 0, minor = 0;
    if (r == 0 && st.type == T_DEVICE) {
        r = fs_device(ino, &major, &minor);
        if (r == 0 && major != CONSOLE_MAJOR) r = -EINVAL; /* only the console exists */
    }
    if (r == 0) r = fs_open_ref(ino, +1);
    if (r == 0 && (flags & O_TRUNC) && acc != O_RDONLY && st.type == T_FILE) {
        r = fs_truncate(ino, 0);
        if (r) job_release(ino);
    }
    if (r) {
        p->fd[fd] = 0;
        f->refs = 0;
        return r;
    }
    f->kind = st.type == T_DIR ? FS_KIND_DIR : st.type == T_DEVICE ? FS_KIND_CONSOLE : FS_KIND_FILE;
    f->ino = ino;
    f->readable = acc != O_WRONLY;
    f->writable = acc != O_RDONLY;
    f->append = (flags & O_APPEND) != 0;
    open_kind = f->kind;
    return fd;
}

static long do_rw(struct fsproc *p, const long *w, int write)
{
    struct file *f = fd_get(p, w[1]);
    if (!f) return -EBADF;
    int r = rcheck(p, w[2], w[3]);
    if (r) return r;
    if (write ? !f->writable : !f->readable) return -EBADF;
    char *buf = p->region + w[2];
    if (!write) {
        long n = fs_read(f->ino, f->off, buf, (uint64_t)w[3]);
        if (n > 0) f->off += (uint64_t)n;
        return n;
    }
    if (f->append) {
        struct stat st;
        r = fs_stat(f->ino, &st);
        if (r) return r;
        f->off = st.size;
    }
    long n = fs_write(f->ino, f->off, buf, (uint64_t)w[3]);
    if (n > 0) f->off += (uint64_t)n;
    return n;
}

static long do_lseek(struct fsproc *p, const long *w)
{
    struct file *f = fd_get(p, w[1]);
    if (!f) return -EBADF;
    if (f->kind != FS_KIND_FILE && f->kind != FS_KIND_DIR) return -ESPIPE;
    long base;
    if (w[3] == SEEK_SET) {
        base = 0;
    } else if (w[3] == SEEK_CUR) {
        base = (long)f->off;
    } else if (w[3] == SEEK_END) {
        struct stat st;
        int r = fs_stat(f->ino, &st);
        if (r) return r;
        base = (long)st.size;
    } else {
        return -EINVAL;
    }
    long off = base + w[2];
    if (off < 0 || (w[2] > 0 && off < base)) return -EINVAL;
    f->off = (uint64_t)off;
    return off;
}

static long do_stat(struct fsproc *p, struct file *f, uint32_t ino, long off)
{
    int r = rcheck(p, off, sizeof(struct stat));
    if (r) return r;
    struct stat st = {0};
    if (f && (f->kind == FS_KIND_PIPE_R || f->kind == FS_KIND_PIPE_W)) {
        st.dev = 0, st.nlink = 1; /* a pipe: type 0 */
    } else if (f && f->kind == FS_KIND_CONSOLE && !f->ino) {
        st.dev = 1, st.type = T_DEVICE, st.nlink = 1; /* the default console */
    } else {
        r = fs_stat(ino, &st);
        if (r) return r;
    }
    memcpy(p->region + off, &st, sizeof st);
    return 0;
}

/* The request w of p: compute the answer and queue the reply. */
void fileop(struct fsproc *p, const long *w)
{
    char a[FS_PATH_MAX], b[FS_PATH_MAX];
    long r = 0;
    uint32_t ino = 0;
    struct stat st;
    if (fs_mounted <= 0 && w[0] != FS_FSTAT) {
        reply(p->pid, -EIO, 0, 0, 0);
        return;
    }
    switch (w[0]) {
    case FS_OPEN:
        open_kind = 0;
        r = do_open(p, w);
        reply(p->pid, r, open_kind, 0, 0);
        return;
    case FS_READ:
        r = do_rw(p, w, 0);
        break;
    case FS_READ_PAGES: { /* into p->pages, which the worker unmaps next */
        struct file *f = fd_get(p, w[1]);
        if (!f || !f->readable)
            r = -EBADF;
        else if (f->kind != FS_KIND_FILE)
            r = -EINVAL;
        else if ((r = fs_read(f->ino, f->off, p->pages, (uint64_t)p->npages * 4096)) > 0)
            f->off += (uint64_t)r;
        break;
    }
    case FS_WRITE:
        r = do_rw(p, w, 1);
        break;
    case FS_LSEEK:
        r = do_lseek(p, w);
        break;
    case FS_FSTAT: {
        struct file *f = fd_get(p, w[1]);
        r = f ? do_stat(p, f, f->ino, w[2]) : -EBADF;
        break;
    }
    case FS_STAT:
        if (!(r = getpath(p, w[1], a)) && !(r = fs_lookup(p->cwd, a, &ino)))
            r = do_stat(p, 0, ino, w[2]);
        break;
    case FS_LINK:
        if (!(r = getpath(p, w[1], a)) && !(r = getpath(p, w[2], b))) r = fs_link(p->cwd, a, b);
        break;
    case FS_RENAME:
        if (!(r = getpath(p, w[1], a)) && !(r = getpath(p, w[2], b))) r = fs_rename(p->cwd, a, b);
        break;
    case FS_UNLINK:
        if (!(r = getpath(p, w[1], a))) r = fs_unlink(p->cwd, a);
        break;
    case FS_RMDIR:
        if (!(r = getpath(p, w[1], a))) r = fs_rmdir(p->cwd, a);
        break;
    case FS_MKDIR:
        if (!(r = getpath(p, w[1], a))) r = fs_create(p->cwd, a, T_DIR, 0, 0, &ino);
        break;
    case FS_MKNOD:
        if (w[2] < 0 || w[2] > 0x7fff || w[3] < 0 || w[3] > 0x7fff)
            r = -EINVAL;
        else if (!(r = getpath(p, w[1], a)))
            r = fs_create(p->cwd, a, T_DEVICE, (int)w[2], (int)w[3], &ino);
        break;
    case FS_CHDIR:
        if (!(r = getpath(p, w[1], a)) && !(r = fs_lookup(p->cwd, a, &ino)) &&
            !(r = fs_stat(ino, &st))) {
            if (st.type != T_DIR)
                r = -ENOTDIR;
            else
                p->cwd = ino;
        }
        break;
    case FS_GETCWD:
        if (w[2] < 1)
            r = -EINVAL;
        else if (!(r = rcheck(p, w[1], w[2])))
            r = fs_getpath(p->cwd, p->region + w[1],
                           (int)(w[2] > FS_PATH_MAX ? FS_PATH_MAX : w[2]));
        break;
    case FS_TRUNCATE:
        if (w[2] < 0)
            r = -EINVAL;
        else if (!(r = getpath(p, w[1], a)) && !(r = fs_lookup(p->cwd, a, &ino)))
            r = fs_truncate(ino, (uint64_t)w[2]);
        break;
    case FS_FTRUNCATE: {
        struct file *f = fd_get(p, w[1]);
        if (!f || !f->writable)
            r = -EBADF;
        else if (f->kind != FS_KIND_FILE)
            r = -EINVAL;
        else if (w[2] < 0)
            r = -EINVAL;
        else
            r = fs_truncate(f->ino, (uint64_t)w[2]);
        break;
    }
    case FS_FSYNC:
        if (!fd_get(p, w[1])) {
            r = -EBADF;
            break;
        }
        r = fs_sync();
        break;
    case FS_SYNC:
        r = fs_sync();
        break;
    default:
        r = -EINVAL;
    }
    reply(p->pid, r, 0, 0, 0);
}
