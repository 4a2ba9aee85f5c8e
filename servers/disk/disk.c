/* disk: the virtio-blk server (protocol in disk_proto.h).
 *
 * Started by init with device rights. It probes the eight virtio-mmio slots
 * of QEMU virt for a block device; without one it says so and exits 0.
 * Otherwise it registers the endpoint "disk", has the device's interrupt
 * delivered to that endpoint as a notify, and serves requests forever.
 *
 * Each client's call stays unanswered while the device works on it (a
 * deferred reply): the server submits the blocks, goes back to ipc_recv,
 * and answers when the interrupt reports the last block done. Meanwhile it
 * takes calls from other clients, so requests of several clients are in
 * flight at once; a multi-block call has all its blocks in flight together.
 * Calls that need more descriptors than are free wait in the server (their
 * client is blocked anyway) and go out as earlier requests complete. */
#include "user.h"
#include "ipc.h"
#include "drivers/virtio_blk.h"
#include "pagoda/disk_proto.h"
#include "ring.h"

#define VIRTIO_MMIO_BASE  0x10001000UL /* QEMU virt: slot i at base + i * 0x1000 */
#define VIRTIO_MMIO_SLOTS 8
#define VIRTIO_IRQ_BASE   1 /* slot i interrupts on PLIC source 1 + i */

struct client {
    int pid;      /* 0: a free entry */
    char *region; /* its shared pages, as mapped here */
    long npages;
    /* The call being served; a client has at most one, as it waits for the reply. */
    int busy;
    int op;     /* DISK_READ, DISK_WRITE, DISK_FLUSH */
    long block; /* first block */
    long page;  /* first page of the region */
    int n;      /* blocks in the call (1 for a flush) */
    int next;   /* blocks submitted so far */
    int done;   /* blocks finished so far */
    long err;   /* first error, or 0 */
};

static struct client clients[DISK_MAX_CLIENTS];
static struct vblk dev;
static int irq;
static int owner[VBLK_QUEUE_MAX]; /* request id -> client index, or ring slot (< 0) */
static int rr;                    /* where pump() starts, for fairness */

/* Replies ready to go out, sent before the next receive. At most one per
 * client plus one for the message just received. */
static struct {
    int pid;
    long w[4];
} replies[DISK_MAX_CLIENTS + 2];
static int nreplies;

static void reply(int pid, long w0, long w1, long w2, long w3)
{
    if (nreplies == (int)(sizeof replies / sizeof replies[0])) return; /* cannot happen */
    replies[nreplies].pid = pid;
    replies[nreplies].w[0] = w0, replies[nreplies].w[1] = w1;
    replies[nreplies].w[2] = w2, replies[nreplies].w[3] = w3;
    nreplies++;
}

static struct client *find_client(long pid)
{
    for (int i = 0; i < DISK_MAX_CLIENTS; i++)
        if (clients[i].pid == pid) return &clients[i];
    return 0;
}

static void drop_client(struct client *c)
{
    ring_drop(c->pid);
    shm_free(c->region, c->npages);
    *c = (struct client){0};
}

/* Forget clients whose process is gone (exited without DISK_DISCONNECT).
 * One with a request still in flight stays until that finishes: the device
 * may still be writing into its pages. */
static void collect_dead_clients(void)
{
    static int live[64];
    int nlive = 0;
    struct procinfo info;
    for (int i = 0; nlive < 64 && procinfo(i, &info) == 0; i++)
        if (info.state != PS_ZOMBIE) live[nlive++] = info.pid;
    for (int i = 0; i < DISK_MAX_CLIENTS; i++) {
        struct client *c = &clients[i];
        if (!c->pid || c->busy || ring_busy(c->pid)) continue;
        int alive = 0;
        for (int k = 0; k < nlive && !alive; k++) alive = live[k] == c->pid;
        if (!alive) drop_client(c);
    }
}

static void connect(struct ipc_msg *m)
{
    long npages = m->w[2];
    collect_dead_clients(); /* e.g. a killed fs server's region: give it back */
    struct client *c = find_client(m->pid);
    if (c && ring_busy(c->pid)) {
        shm_free(m->shared, npages);
        reply((int)m->pid, -EBUSY, 0, 0, 0);
        return;
    }
    if (c) { /* connecting again: the new region replaces the old one */
        ring_drop(c->pid);
        shm_free(c->region, c->npages);
    } else {
        c = find_client(0);
        if (!c) {
            collect_dead_clients();
            c = find_client(0);
        }
        if (!c) {
            shm_free(m->shared, npages);
            reply((int)m->pid, -EBUSY, 0, 0, 0);
            return;
        }
    }
    *c = (struct client){.pid = (int)m->pid, .region = m->shared, .npages = npages};
    reply(c->pid, 0, (long)dev.blocks, 0, 0);
}

/* Check a read or write and start serving it. */
static void start_io(struct client *c, int op, long block, long page, long n)
{
    if (n == 0) n = 1;
    long err = 0;
    if (n < 0 || n > DISK_MAX_NBLOCKS)
        err = -EINVAL;
    else if (block < 0 || (unsigned long)block >= dev.blocks || n > (long)dev.blocks - block)
        err = -EINVAL;
    else if (page < 0 || page >= c->npages || n > c->npages - page)
        err = -EINVAL;
    else if (op == DISK_WRITE && dev.readonly)
        err = -EPERM;
    if (err) {
        reply(c->pid, err, 0, 0, 0);
        return;
    }
    c->busy = 1, c->op = op, c->block = block, c->page = page;
    c->n = (int)n, c->next = 0, c->done = 0, c->err = 0;
}

static void handle_call(struct ipc_msg *m)
{
    int pid = (int)m->pid;
    long op = m->w[0];
    if (m->shared) { /* pages came with the call: only DISK_CONNECT takes them */
        if (op == DISK_CONNECT)
            connect(m);
        else {
            shm_free(m->shared, m->w[2]);
            reply(pid, -EINVAL, 0, 0, 0);
        }
        return;
    }
    struct client *c = find_client(pid);
    if (op == DISK_INFO) {
        long flags =
            (dev.readonly ? DISK_INFO_READONLY : 0) | (dev.has_flush ? DISK_INFO_CACHE : 0);
        reply(pid, 0, (long)dev.blocks, flags, DISK_MAX_NBLOCKS);
        return;
    }
    if (op == DISK_CONNECT) { /* without pages */
        reply(pid, -EINVAL, 0, 0, 0);
        return;
    }
    if (op == DISK_RING_SETUP) {
        reply(pid, c ? ring_setup(pid, c->region, c->npages, m->w[1], &dev) : -ENOENT, 0, 0, 0);
        return;
    }
    if (op != DISK_READ && op != DISK_WRITE && op != DISK_FLUSH && op != DISK_DISCONNECT) {
        reply(pid, -EINVAL, 0, 0, 0);
        return;
    }
    if (!c) {
        reply(pid, -ENOENT, 0, 0, 0);
        return;
    }
    if (c->busy) { /* cannot happen: the client waits for its previous reply */
        reply(pid, -EBUSY, 0, 0, 0);
        return;
    }
    switch (op) {
    case DISK_DISCONNECT:
        if (ring_busy(pid)) {
            reply(pid, -EBUSY, 0, 0, 0);
            break;
        }
        drop_client(c);
        reply(pid, 0, 0, 0, 0);
        break;
    case DISK_FLUSH:
        if (!dev.has_flush) { /* a write-through device: nothing to do */
            reply(pid, 0, 0, 0, 0);
            break;
        }
        c->busy = 1, c->op = DISK_FLUSH, c->n = 1, c->next = 0, c->done = 0, c->err = 0;
        break;
    default:
        start_io(c, (int)op, m->w[1], m->w[2], m->w[3]);
    }
}

/* One block of c finished (or failed before reaching the device). */
static void block_done(struct client *c, long err)
{
    c->done++;
    if (err && !c->err) c->err = err;
    if (c->done == c->n) {
        c->busy = 0;
        reply(c->pid, c->err, 0, 0, 0);
    }
}

/* Submit the next block of c. 0 if the queue had no room. */
static int submit_one(struct client *c, int ci)
{
    int id;
    if (c->op == DISK_FLUSH) {
        id = vblk_submit(&dev, VBLK_T_FLUSH, 0, 0);
    } else {
        long pa = va2pa(c->region + (c->page + c->next) * DISK_BLOCK_SIZE);
        if (pa < 0) { /* cannot happen: the pages are mapped here */
            c->next++;
            block_done(c, -EFAULT);
            return 1;
        }
        int type = c->op == DISK_READ ? VBLK_T_IN : VBLK_T_OUT;
        id = vblk_submit(&dev, type, (uint64)(c->block + c->next), (uint64)pa);
    }
    if (id == -EAGAIN) return 0;
    c->next++;
    if (id < 0) {
        block_done(c, -EIO);
        return 1;
    }
    owner[id] = ci;
    return 1;
}

/* Give the device as much waiting work as it has room for, a block per
 * client in turn. */
static void pump(void)
{
    int submitted = ring_pump(&dev, owner), progress = 1;
    while (progress && vblk_room(&dev) > 0) {
        progress = 0;
        for (int k = 0; k < DISK_MAX_CLIENTS; k++) {
            int ci = (rr + k) % DISK_MAX_CLIENTS;
            struct client *c = &clients[ci];
            if (!c->busy || c->next == c->n) continue;
            if (!submit_one(c, ci)) goto out;
            submitted++, progress = 1;
        }
    }
out:
    rr = (rr + 1) % DISK_MAX_CLIENTS;
    if (submitted) vblk_kick(&dev);
}

/* The device interrupted: lower its line, take the finished requests, and
 * unmask the interrupt (the kernel masked it at the PLIC when it fired).
 *
 * A request that finishes after our scan but before irq_ack() raises the
 * line while the interrupt is masked. Real PLICs deliver it once unmasked,
 * but QEMU's (7.2) only re-evaluates its output on a new request, claim,
 * completion or priority write, not on the enable write that unmasks it, so
 * that interrupt would stay pending, undelivered, until some other device
 * interrupted. Hence the loop: after unmasking, look at the ring again, and
 * handle anything that came in the window here. Anything finishing later
 * finds the interrupt unmasked and is delivered normally. */
static void on_interrupt(void)
{
    struct vblk_done done[VBLK_QUEUE_MAX];
    do {
        vblk_intr_ack(&dev);
        int n;
        do {
            n = vblk_complete(&dev, done, VBLK_QUEUE_MAX);
            for (int i = 0; i < n; i++) {
                long err = done[i].status == VBLK_S_OK ? 0 : -EIO;
                if (owner[done[i].id] < 0)
                    ring_block_done(owner[done[i].id], err);
                else
                    block_done(&clients[owner[done[i].id]], err);
            }
        } while (n == VBLK_QUEUE_MAX);
        irq_ack(irq);
    } while (vblk_has_completions(&dev));
}

/* Send the replies that are ready, the last one with the next receive. */
static long reply_and_recv(int ep, struct ipc_msg *m)
{
    for (int i = 0; i + 1 < nreplies; i++) ipc_reply(replies[i].pid, replies[i].w);
    long r;
    if (nreplies) {
        r = ipc_reply_recv(ep, replies[nreplies - 1].pid, replies[nreplies - 1].w, m);
        if (r == -ESRCH) r = ipc_recv(ep, m); /* that caller is gone (killed) */
    } else {
        r = ipc_recv(ep, m);
    }
    nreplies = 0;
    return r;
}

/* The slot of the first modern virtio-blk device, now initialised; -1 if
 * there is none, -2 if we may not map device registers. */
static int probe(void)
{
    int found = -1, mapped = 0;
    for (int i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
        volatile void *regs = dev_map(VIRTIO_MMIO_BASE + (unsigned long)i * 0x1000, 4096);
        if (!regs) continue;
        mapped++;
        int kind = vblk_probe(regs);
        if (kind == 1 && found < 0) {
            int r = vblk_init(&dev, regs);
            if (r == 0) {
                found = i;
                continue;
            }
            printf("disk: virtio-blk in slot %d: initialisation failed (%d)\n", i, r);
        } else if (kind < 0) {
            printf("disk: virtio-blk in slot %d is legacy (version 1); run QEMU with "
                   "-global virtio-mmio.force-legacy=false\n",
                   i);
        }
        shm_free((void *)regs, 1);
    }
    if (!mapped) {
        printf(
            "disk: cannot map the virtio-mmio registers (only init may start the disk server)\n");
        return -2;
    }
    return found;
}

int main(void)
{
    int ep = ep_lookup(DISK_NAME);
    if (ep >= 0) { /* never reset a device another server is using */
        printf("disk: already running\n");
        return 1;
    }
    int slot = probe();
    if (slot == -2) return 1;
    if (slot < 0) {
        printf("disk: no virtio-blk device\n");
        return 0;
    }
    /* Say it before registering: init starts the shell once we are registered. */
    printf("disk: virtio-blk, %lu blocks of 4 KiB (%lu MiB)%s\n", (unsigned long)dev.blocks,
           (unsigned long)dev.blocks / 256, dev.readonly ? ", read-only" : "");
    printf_flush();
    irq = VIRTIO_IRQ_BASE + slot;
    ep = ep_create();
    long r = ep < 0 ? ep : irq_bind(irq, ep);
    if (r >= 0) r = ep_register(ep, DISK_NAME);
    if (r < 0) {
        printf("disk: cannot set up the endpoint or interrupt (%ld)\n", r);
        return 1;
    }

    struct ipc_msg m;
    int errors = 0;
    r = ipc_recv(ep, &m);
    for (;;) {
        if (r < 0) { /* interrupted (e.g. being killed): try again, but not forever */
            if (++errors > 1000) {
                printf("disk: ipc_recv keeps failing (%ld)\n", r);
                return 1;
            }
            r = ipc_recv(ep, &m);
            continue;
        }
        errors = 0;
        if (m.pid == 0) {
            if (m.w[0] == IPC_KERNEL_NOTIFY && (m.w[1] & DISK_RING_KICK)) ring_pull();
            if (m.w[0] == IPC_KERNEL_NOTIFY && (m.w[1] & ~DISK_RING_KICK)) on_interrupt();
        } else {
            handle_call(&m);
        }
        pump();
        ring_notify();
        r = reply_and_recv(ep, &m);
    }
}
