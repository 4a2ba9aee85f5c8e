/* File descriptors until the file-system server exists: fd 0 reads the
 * console, fds 1 and 2 write it, and everything else fails with ENOSYS.
 * These calls move to the fs server (IPC stubs) in a later issue; programs
 * keep the same API. */
#include "user.h"
#include "syscall.h"
#include "sysret.h"
#include "fd.h"

/* Enough for any line the console driver will hand over. */
#define CONS_LINE_MAX 512

/* sys_cons_read returns one whole line per call. Keep it here so that callers
 * reading a byte at a time (gets) still see every byte of it, in order. */
static char cons_line[CONS_LINE_MAX];
static int cons_len;
static int cons_pos;

int isatty(int fd)
{
    return fd >= 0 && fd <= 2;
}

int fd_write(int fd, const void *buf, int n)
{
    if (n < 0) return fail(EINVAL);
    if (fd != 1 && fd != 2) return fail(ENOSYS);
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

int write(int fd, const void *buf, int n)
{
    printf_flush(); /* earlier printf output must come out first */
    return fd_write(fd, buf, n);
}

int read(int fd, void *buf, int n)
{
    if (n < 0) return fail(EINVAL);
    if (fd != 0) return fail(ENOSYS);
    if (n == 0) return 0;
    /* We copy into buf here, in user space: have the kernel check it first. */
    long ok = sys_uprobe(buf, (unsigned long)n, UPROBE_WRITE);
    if (ok < 0) return sysret(ok);
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

int close(int fd)
{
    if (fd >= 0 && fd <= 2) return 0;
    return fail(ENOSYS);
}

int open(const char *path, int flags)
{
    (void)path;
    (void)flags;
    return fail(ENOSYS);
}

int pipe(int *fds)
{
    (void)fds;
    return fail(ENOSYS);
}

int mknod(const char *path, short major, short minor)
{
    (void)path;
    (void)major;
    (void)minor;
    return fail(ENOSYS);
}

int unlink(const char *path)
{
    (void)path;
    return fail(ENOSYS);
}

int fstat(int fd, struct stat *st)
{
    (void)fd;
    (void)st;
    return fail(ENOSYS);
}

int link(const char *old, const char *new)
{
    (void)old;
    (void)new;
    return fail(ENOSYS);
}

int mkdir(const char *path)
{
    (void)path;
    return fail(ENOSYS);
}

int chdir(const char *path)
{
    (void)path;
    return fail(ENOSYS);
}

int dup(int fd)
{
    (void)fd;
    return fail(ENOSYS);
}
