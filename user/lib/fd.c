/* File descriptors, served by the fs server (include/pagoda/fs_proto.h).
 * The fd table lives in the server; this side only moves data through the
 * shared region and keeps, per process, what each fd is (fsclient.c). Console
 * fds are read and written with the kernel's console calls directly: the
 * server's table still says which fds are the console, so dup, redirection
 * and fork behave as in Unix. Reads and writes larger than the region are
 * split into several requests. */
#include "user.h"
#include "syscall.h"
#include "sysret.h"
#include "fd.h"
#include "fsclient.h"

/* Enough for any line the console driver will hand over. */
#define CONS_LINE_MAX 512

/* sys_cons_read returns one whole line per call. Keep it here so that callers
 * reading a byte at a time (gets) still see every byte of it, in order. */
static char cons_line[CONS_LINE_MAX];
static int cons_len;
static int cons_pos;

int isatty(int fd)
{
    return fsc_kind(fd) == FS_KIND_CONSOLE;
}

static int cons_write(const void *buf, int n)
{
    const char *p = buf;
    int done = 0;
    while (done < n) { /* the console may take less than asked */
        long r = sys_cons_write(p + done, (unsigned long)(n - done));
        if (r < 0) return done > 0 ? done : sysret(r);
        if (r == 0) break;
        done += (int)r;
    }
    return done;
}

static int cons_read(void *buf, int n)
{
    if (cons_pos == cons_len) {
        printf_flush(); /* show a pending prompt before waiting for input */
        long r = sys_cons_read(cons_line, sizeof cons_line);
        if (r <= 0) return r == 0 ? 0 : sysret(r); /* 0: end of input */
        cons_len = r > CONS_LINE_MAX ? CONS_LINE_MAX : (int)r;
        cons_pos = 0;
    }
    int k = cons_len - cons_pos;
    if (k > n) k = n;
    memcpy(buf, cons_line + cons_pos, (uint)k);
    cons_pos += k;
    return k;
}

int fd_write(int fd, const void *buf, int n)
{
    if (n < 0) return fail(EINVAL);
    int kind = fsc_kind(fd);
    if (kind < 0) return sysret(kind);
    if (kind == FS_KIND_CONSOLE) return cons_write(buf, n);
    long r = fsc_connect();
    if (r < 0) return sysret(r);
    char *region = fsc_region();
    long chunk = fsc_region_size();
    int done = 0;
    do {
        long k = n - done < chunk ? n - done : chunk;
        memcpy(region, (const char *)buf + done, (uint)k);
        r = fsc_call(FS_WRITE, fd, 0, k, 0);
        if (r < 0) return done > 0 ? done : sysret(r);
        done += (int)r;
        if (r < k) break;
    } while (done < n);
    return done;
}

int write(int fd, const void *buf, int n)
{
    printf_flush(); /* earlier printf output must come out first */
    return fd_write(fd, buf, n);
}

int read(int fd, void *buf, int n)
{
    if (n < 0) return fail(EINVAL);
    int kind = fsc_kind(fd);
    if (kind < 0) return sysret(kind);
    if (n == 0) return 0;
    if (kind == FS_KIND_CONSOLE) return cons_read(buf, n);
    long r = fsc_connect();
    if (r < 0) return sysret(r);
    char *region = fsc_region();
    long chunk = fsc_region_size();
    int done = 0;
    do {
        long k = n - done < chunk ? n - done : chunk;
        r = fsc_call(FS_READ, fd, 0, k, 0);
        if (r < 0) return done > 0 ? done : sysret(r);
        memcpy((char *)buf + done, region, (uint)r);
        done += (int)r;
        /* a pipe returns what it has: do not wait for more */
        if (r < k || kind == FS_KIND_PIPE_R) break;
    } while (done < n);
    return done;
}

int close(int fd)
{
    long r = fsc_call(FS_CLOSE, fd, 0, 0, 0);
    if (r == -ENOENT && fd >= 0 && fd <= 2) r = 0; /* no server: the console stays */
    if (r == 0) fsc_set_kind(fd, 0);
    return sysret(r);
}

int open(const char *path, int flags)
{
    long out[3];
    long r = fsc_path_call(FS_OPEN, path, flags, 0, out);
    if (r >= 0) fsc_set_kind((int)r, (int)out[0]);
    return sysret(r);
}

int dup(int fd)
{
    long r = fsc_call(FS_DUP, fd, 0, 0, 0);
    if (r >= 0) fsc_set_kind((int)r, fsc_kind(fd));
    return sysret(r);
}

int pipe(int *fds)
{
    if (!fds) return fail(EFAULT);
    long out[3];
    long r = fsc_call(FS_PIPE, 0, 0, 0, out);
    if (r < 0) return sysret(r);
    fds[0] = (int)out[0], fds[1] = (int)out[1];
    fsc_set_kind(fds[0], FS_KIND_PIPE_R);
    fsc_set_kind(fds[1], FS_KIND_PIPE_W);
    return 0;
}

int fstat(int fd, struct stat *st)
{
    if (!st) return fail(EFAULT);
    long r = fsc_connect();
    if (r == 0) r = fsc_call(FS_FSTAT, fd, 0, 0, 0);
    if (r == 0) memcpy(st, fsc_region(), sizeof *st);
    return sysret(r);
}

int mknod(const char *path, short major, short minor)
{
    return sysret(fsc_path_call(FS_MKNOD, path, major, minor, 0));
}

int unlink(const char *path)
{
    return sysret(fsc_path_call(FS_UNLINK, path, 0, 0, 0));
}

int link(const char *old, const char *new)
{
    return sysret(fsc_path2_call(FS_LINK, old, new));
}

int rename(const char *from, const char *to)
{
    return sysret(fsc_path2_call(FS_RENAME, from, to));
}

int mkdir(const char *path)
{
    return sysret(fsc_path_call(FS_MKDIR, path, 0, 0, 0));
}

int rmdir(const char *path)
{
    return sysret(fsc_path_call(FS_RMDIR, path, 0, 0, 0));
}

int chdir(const char *path)
{
    return sysret(fsc_path_call(FS_CHDIR, path, 0, 0, 0));
}

int lseek(int fd, int off, int whence)
{
    return sysret(fsc_call(FS_LSEEK, fd, off, whence, 0));
}

int fsync(int fd)
{
    return sysret(fsc_call(FS_FSYNC, fd, 0, 0, 0));
}

int sync(void)
{
    return sysret(fsc_call(FS_SYNC, 0, 0, 0, 0));
}

int ftruncate(int fd, int size)
{
    return sysret(fsc_call(FS_FTRUNCATE, fd, size, 0, 0));
}

char *getcwd(char *buf, int n)
{
    if (!buf || n <= 0) {
        errno = EINVAL;
        return 0;
    }
    long r = fsc_connect();
    if (r == 0) r = fsc_call(FS_GETCWD, 0, n < fsc_region_size() ? n : fsc_region_size(), 0, 0);
    if (r < 0) {
        errno = (int)-r;
        return 0;
    }
    memcpy(buf, fsc_region(), (uint)r + 1);
    return buf;
}
