/* The disk server's side of the asynchronous request ring. A ring client
 * (the fs server) writes requests into a page of its region and notifies us
 * with DISK_RING_KICK; each becomes a slot here, its blocks go to the device
 * as room allows (interleaved with disk.c's ordinary clients), and when the
 * last block of a request finishes its {tag, status} goes into the
 * completion queue and the client is notified once per batch. */
#include "user.h"
#include "ipc.h"
#include "pagoda/disk_proto.h"
#include "ring.h"

struct ring {
    int pid; /* 0: free */
    struct disk_ring *r;
    char *region;
    long npages;
    int notify_h; /* handle to the client's endpoint */
    int pending;  /* completions not yet notified */
    int inflight; /* slots in use */
};

struct slot {
    int used;
    int ring;
    unsigned int tag;
    int op;
    unsigned long block;
    long page;
    int n, next, done;
    long err;
};

static struct ring rings[DISK_MAX_RINGS];
static struct slot slots[DISK_MAX_RINGS * DISK_RING_SIZE];
static unsigned long dev_blocks;
static int dev_readonly, dev_flush;
static int rr; /* next slot pump looks at first */

static struct ring *find(int pid)
{
    for (int i = 0; i < DISK_MAX_RINGS; i++)
        if (rings[i].pid == pid) return &rings[i];
    return 0;
}

static int alive(int pid)
{
    struct procinfo info;
    for (int i = 0; procinfo(i, &info) == 0; i++)
        if (info.pid == pid) return info.state != PS_ZOMBIE;
    return 0;
}

long ring_setup(int pid, char *region, long npages, long page, const struct vblk *dev)
{
    if (page < 0 || page >= npages) return -EINVAL;
    struct ring *g = find(pid);
    if (g) {
        if (g->inflight) return -EBUSY;
        ep_close(g->notify_h);
    } else {
        g = find(0);
        for (int i = 0; !g && i < DISK_MAX_RINGS; i++) /* a ring of a client that died */
            if (!rings[i].inflight && !alive(rings[i].pid)) {
                ring_drop(rings[i].pid);
                g = &rings[i];
            }
        if (!g) return -EBUSY;
    }
    struct disk_ring *r = (struct disk_ring *)(region + page * DISK_BLOCK_SIZE);
    char name[DISK_NOTIFY_LEN];
    memcpy(name, r->notify, DISK_NOTIFY_LEN);
    name[DISK_NOTIFY_LEN - 1] = 0;
    int h = ep_lookup(name);
    if (h < 0) return -ENOENT;
    *g = (struct ring){.pid = pid, .r = r, .region = region, .npages = npages, .notify_h = h};
    r->sub_head = r->sub_tail = r->done_head = r->done_tail = 0;
    dev_blocks = dev->blocks, dev_readonly = dev->readonly, dev_flush = dev->has_flush;
    return 0;
}

int ring_busy(int pid)
{
    struct ring *g = find(pid);
    return g && g->inflight;
}

void ring_drop(int pid)
{
    struct ring *g = find(pid);
    if (!g) return;
    ep_close(g->notify_h);
    *g = (struct ring){0};
}

static void complete(struct ring *g, unsigned int tag, long err)
{
    struct disk_ring *r = g->r;
    unsigned int t = r->done_tail;
    r->done[t % DISK_RING_SIZE] = (struct disk_ring_done){.tag = tag, .status = (int)err};
    __atomic_store_n(&r->done_tail, t + 1, __ATOMIC_RELEASE);
    g->pending++;
}

static void finish(struct slot *s)
{
    struct ring *g = &rings[s->ring];
    if (g->pid) complete(g, s->tag, s->err);
    g->inflight--;
    s->used = 0;
}

/* Check one submission and give it a slot (or complete it with an error). */
static void take(int gi, struct disk_ring_req *q)
{
    struct ring *g = &rings[gi];
    long n = q->nblocks ? q->nblocks : 1, err = 0;
    if (q->op == DISK_FLUSH)
        n = 1;
    else if (q->op != DISK_READ && q->op != DISK_WRITE)
        err = -EINVAL;
    else if (n > DISK_MAX_NBLOCKS || q->block >= dev_blocks ||
             (unsigned long)n > dev_blocks - q->block)
        err = -EINVAL;
    else if (q->page >= g->npages || n > g->npages - (long)q->page)
        err = -EINVAL;
    else if (q->op == DISK_WRITE && dev_readonly)
        err = -EPERM;
    if (err || (q->op == DISK_FLUSH && !dev_flush)) {
        complete(g, q->tag, err);
        return;
    }
    for (int i = 0; i < (int)(sizeof slots / sizeof slots[0]); i++) {
        struct slot *s = &slots[i];
        if (s->used) continue;
        *s = (struct slot){.used = 1,
                           .ring = gi,
                           .tag = q->tag,
                           .op = (int)q->op,
                           .block = q->block,
                           .page = q->page,
                           .n = (int)n};
        g->inflight++;
        return;
    }
    complete(g, q->tag, -EBUSY); /* cannot happen: a client has at most DISK_RING_SIZE */
}

void ring_pull(void)
{
    for (int gi = 0; gi < DISK_MAX_RINGS; gi++) {
        struct ring *g = &rings[gi];
        if (!g->pid) continue;
        struct disk_ring *r = g->r;
        unsigned int tail = __atomic_load_n(&r->sub_tail, __ATOMIC_ACQUIRE);
        while (r->sub_head != tail) {
            struct disk_ring_req q = r->sub[r->sub_head % DISK_RING_SIZE];
            r->sub_head++;
            take(gi, &q);
        }
    }
}

void ring_block_done(int o, long err)
{
    struct slot *s = &slots[-1 - o];
    s->done++;
    if (err && !s->err) s->err = err;
    if (s->done == s->n) finish(s);
}

int ring_pump(struct vblk *dev, int *owner)
{
    const int nslots = (int)(sizeof slots / sizeof slots[0]);
    int submitted = 0;
    for (int k = 0; k < nslots && vblk_room(dev) > 0; k++) {
        int si = (rr + k) % nslots;
        struct slot *s = &slots[si];
        while (s->used && s->next < s->n && vblk_room(dev) > 0) {
            int id;
            if (s->op == DISK_FLUSH) {
                id = vblk_submit(dev, VBLK_T_FLUSH, 0, 0);
            } else {
                struct ring *g = &rings[s->ring];
                long pa = va2pa(g->region + (s->page + s->next) * DISK_BLOCK_SIZE);
                int type = s->op == DISK_READ ? VBLK_T_IN : VBLK_T_OUT;
                id = pa < 0
                         ? -EFAULT
                         : vblk_submit(dev, type, s->block + (unsigned long)s->next, (uint64_t)pa);
            }
            if (id == -EAGAIN) return submitted;
            s->next++;
            if (id < 0) {
                ring_block_done(-1 - si, -EIO);
                break;
            }
            owner[id] = -1 - si;
            submitted++;
        }
    }
    rr = (rr + 1) % nslots;
    return submitted;
}

void ring_notify(void)
{
    for (int gi = 0; gi < DISK_MAX_RINGS; gi++) {
        struct ring *g = &rings[gi];
        if (!g->pid || !g->pending) continue;
        g->pending = 0;
        ipc_notify(g->notify_h, DISK_RING_DONE);
    }
}
