/* Talking to the fs server: finding it, the shared region (one per process:
 * a child after fork and a program after exec connect again, since shared
 * pages do not survive either), requests with paths, and a per-process cache
 * of what each fd is, so that console fds go straight to the kernel's
 * console without a round trip through the server. */
#include "user.h"
#include "ipc.h"
#include "fsclient.h"
#include "syscall.h"

static int handle = -1;
static char *region;
static long rsize;
static unsigned region_gen; /* ulib_fork_gen when we connected: a forked child differs */
static signed char kinds[FS_NFD];

static void forget(void)
{
    handle = -1;
    region = 0, rsize = 0;
    memset(kinds, 0, sizeof kinds);
}

static int server(void)
{
    if (handle < 0) handle = ep_lookup(FS_NAME);
    return handle;
}

long fsc_call(long op, long a, long b, long c, long *out)
{
    int h = server();
    if (h < 0) return h;
    long w[4] = {op, a, b, c};
    long r = ipc_call(h, w);
    if (r == -EPIPE || r == -EBADF) { /* the server died: a new one knows nothing of us */
        ep_close(h);
        forget();
        return -EPIPE;
    }
    if (r < 0) return r;
    if (out) out[0] = w[1], out[1] = w[2], out[2] = w[3];
    return w[0];
}

long fsc_share_call(long op, long a, void *va, long npages)
{
    int h = server();
    if (h < 0) return h;
    long w[4] = {0};
    long r = ipc_share(h, va, npages, op, a, w);
    if (r == -EPIPE || r == -EBADF) {
        ep_close(h);
        forget();
        return -EPIPE;
    }
    return r < 0 ? r : w[0];
}

int fsc_connect(void)
{
    if (region && region_gen == ulib_fork_gen) return 0;
    region = 0; /* inherited through fork: the parent's */
    int h = server();
    if (h < 0) return h;
    char *va = shm_alloc(FS_REGION_PAGES);
    if (!va) return -ENOMEM;
    long w[4] = {0};
    long r = ipc_share(h, va, FS_REGION_PAGES, FS_CONNECT, 0, w);
    if (r >= 0) r = w[0];
    if (r < 0) {
        shm_free(va, FS_REGION_PAGES);
        if (r == -EPIPE) forget();
        return (int)r;
    }
    region = va, rsize = w[1], region_gen = ulib_fork_gen;
    return 0;
}

char *fsc_region(void)
{
    return region;
}

long fsc_region_size(void)
{
    return rsize;
}

static long put_path(const char *path, long at)
{
    /* the kernel checks the caller's string: a wild pointer is -EFAULT */
    long len = sys_uprobe(path, FS_PATH_MAX, UPROBE_STR);
    if (len < 0) return len == -E2BIG ? -ENAMETOOLONG : len;
    uint n = (uint)len + 1;
    memcpy(region + at, path, n);
    return fs_span((unsigned)at, n);
}

/* A call naming paths means the same to a new server: if the server we knew
 * died since our last call, connect to its successor and send it once more. */
long fsc_path_call(long op, const char *path, long b, long c, long *out)
{
    long r = -EPIPE;
    for (int tries = 0; r == -EPIPE && tries < 3; tries++) {
        r = fsc_connect();
        if (r == -EPIPE) continue;
        if (r < 0) return r;
        long span = put_path(path, 0);
        if (span < 0) return span;
        r = fsc_call(op, span, b, c, out);
    }
    return r;
}

long fsc_path2_call(long op, const char *p1, const char *p2)
{
    long r = -EPIPE;
    for (int tries = 0; r == -EPIPE && tries < 3; tries++) {
        r = fsc_connect();
        if (r == -EPIPE) continue;
        if (r < 0) return r;
        long s1 = put_path(p1, 0);
        if (s1 < 0) return s1;
        long s2 = put_path(p2, FS_PATH_MAX);
        if (s2 < 0) return s2;
        r = fsc_call(op, s1, s2, 0, 0);
    }
    return r;
}

int fsc_kind(int fd)
{
    if (fd < 0 || fd >= FS_NFD) return -EBADF;
    if (kinds[fd]) return kinds[fd];
    long r = fsc_call(FS_FDINFO, fd, 0, 0, 0);
    if (r == -EBADF) return (int)r;
    if (r < 0) { /* no server (or we are the server): the console */
        if (fd > 2) return -EBADF;
        r = FS_KIND_CONSOLE;
    }
    kinds[fd] = (signed char)r;
    return (int)r;
}

void fsc_set_kind(int fd, int kind)
{
    if (fd >= 0 && fd < FS_NFD) kinds[fd] = (signed char)kind;
}
