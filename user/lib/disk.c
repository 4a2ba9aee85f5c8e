/* Client side of the disk server protocol (disk.h, include/pagoda/disk_proto.h). */
#include "user.h"
#include "ipc.h"
#include "disk.h"
#include "syscall.h"

static int handle = -1; /* endpoint of the disk server */
static char *region;    /* our shared pages */
static long npages;
static unsigned owner_gen; /* ulib_fork_gen when we connected: a forked child differs */

/* Forget a connection inherited through fork: it belongs to the parent. */
static int connected(void)
{
    if (region && owner_gen != ulib_fork_gen) region = 0, npages = 0;
    return region != 0;
}

static int server(void)
{
    if (handle < 0) handle = ep_lookup(DISK_NAME);
    return handle;
}

int disk_open(long n)
{
    if (n <= 0) return -EINVAL;
    if (connected()) return -EBUSY;
    int h = server();
    if (h < 0) return h;
    char *va = shm_alloc(n);
    if (!va) return -ENOMEM;
    long w[4] = {0};
    long r = ipc_share(h, va, n, DISK_CONNECT, 0, w);
    if (r >= 0) r = disk_reply_unpack(w).status;
    if (r < 0) {
        shm_free(va, n);
        return (int)r;
    }
    region = va, npages = n, owner_gen = ulib_fork_gen;
    return 0;
}

/* One request; the reply's status (or an IPC error), the reply in *out. */
static long call(struct disk_req req, struct disk_reply *out)
{
    int h = server();
    if (h < 0) return h;
    long w[4];
    disk_req_pack(w, req);
    long r = ipc_call(h, w);
    if (r < 0) return r;
    struct disk_reply rep = disk_reply_unpack(w);
    if (out) *out = rep;
    return rep.status;
}

int disk_close(void)
{
    if (!connected()) return -ENOENT;
    long r = call((struct disk_req){.op = DISK_DISCONNECT}, 0);
    shm_free(region, npages);
    region = 0, npages = 0;
    return (int)r;
}

long disk_blocks(void)
{
    struct disk_reply rep;
    long r = call((struct disk_req){.op = DISK_INFO}, &rep);
    return r < 0 ? r : rep.blocks;
}

int disk_readn(long block, long page, long n)
{
    return (int)call((struct disk_req){.op = DISK_READ, .block = block, .page = page, .nblocks = n},
                     0);
}

int disk_writen(long block, long page, long n)
{
    return (int)call(
        (struct disk_req){.op = DISK_WRITE, .block = block, .page = page, .nblocks = n}, 0);
}

int disk_read(long block, long page)
{
    return disk_readn(block, page, 1);
}

int disk_write(long block, long page)
{
    return disk_writen(block, page, 1);
}

int disk_flush(void)
{
    return (int)call((struct disk_req){.op = DISK_FLUSH}, 0);
}

void *disk_buffer(long page)
{
    if (!connected() || page < 0 || page >= npages) return 0;
    return region + page * DISK_BLOCK_SIZE;
}

long disk_npages(void)
{
    return connected() ? npages : 0;
}
