/* disk: the virtio-blk server (protocol in disk_proto.h).
 *
 * Started by init with device rights. It asks the kernel for the virtio-mmio
 * devices the device tree lists (dev_list) and takes the first block device;
 * without one it says so and exits 0.
 * Otherwise it registers the endpoint "disk", has the device's interrupt
 * delivered to that endpoint as a notify, and serves requests forever.
 *
 * Each client's call stays unanswered while the device works on it (a
 * deferred reply): the server submits the blocks, goes back to ipc_recv,
 * and answers when the interrupt reports the last block done. Meanwhile it
 * takes calls from other clients, so requests of several clients are in
 * flight at once; a multi-block call has all its blocks in flight together.
 * Calls that need more descriptors than are free wait in the server (their
 * client is blocked anyway) and go out as earlier requests complete.
 *
 * The device needs physical addresses. They are looked up once, when a
 * client connects (a va2pa per page of its region), not per request. */
#include "user.h"
#include "ipc.h"
#include "virtio_blk.h"
#include "pagoda/disk_proto.h"
#include "ring.h"

struct client {
    int pid;      /* 0: a free entry */
    char *region; /* its shared pages, as mapped here */
    long npages;
    long *pa; /* physical address of each page of the region */
    /* The call being served; a client has at most one, as it waits for the reply. */
    int busy;
    int op;     /* DISK_READ, DISK_WRITE, DISK_FLUSH */
    long block; /* first block */
    long page;  /* first page of the region */
    int n;      /* blocks in the call (1 for a flush) */
    int next;   /* blocks submitted so far */
    int done;   /* blocks finished so far */
    long err;   /* first error, or 0 */
    int gone;   /* the client exited: drop it when its call is finished */
};

static struct client clients[DISK_MAX_CLIENTS];
static struct vblk dev;
static int irq;
static int owner[VBLK_QUEUE_MAX];   /* request id -> client index, or ring slot (< 0) */
static int rr;                      /* where pump() starts, for fairness */
static long fail_every, nsubmitted; /* faildisk=N: every Nth block fails with EIO */

/* Replies ready to go out, sent before the next receive. At most one per
 * client plus one for the message just received. */
static struct {
    int pid;
    long w[4];
} replies[DISK_MAX_CLIENTS + 2];
static int nreplies;

static void reply(int pid, struct disk_reply r)
{
    if (nreplies == (int)(sizeof replies / sizeof replies[0])) return; /* cannot happen */
    replies[nreplies].pid = pid;
    disk_reply_pack(replies[nreplies].w, r);
    nreplies++;
}

static void reply_status(int pid, long status)
{
    reply(pid, (struct disk_reply){.status = status});
}

static struct client *find_client(long pid)
{
    for (int i = 0; i < DISK_MAX_CLIENTS; i++)
        if (clients[i].pid == pid) return &clients[i];
    return 0;
}

/* A client's table of physical addresses lives in pages of its own that go
 * back with the client, so a connection leaves nothing behind here (a
 * malloc'd table would grow this server's heap for good). */
static long table_pages(long npages)
{
    return (npages * (long)sizeof(long) + DISK_BLOCK_SIZE - 1) / DISK_BLOCK_SIZE;
}

static void free_table(long *pa, long npages)
{
    if (pa) shm_free(pa, table_pages(npages));
}

static void drop_client(struct client *c)
{
    ring_drop(c->pid);
    shm_free(c->region, c->npages);
    free_table(c->pa, c->npages);
    *c = (struct client){0};
}

/* Forget clients whose process is gone (exited without DISK_DISCONNECT).
 * One with a request still in flight stays until that finishes: the device
 * may still be writing into its pages. */
static void collect_dead_clients(void)
{
    struct procinfo info;
    for (int i = 0; i < DISK_MAX_CLIENTS; i++) {
        struct client *c = &clients[i];
        if (!c->pid || c->busy || ring_busy(c->pid)) continue;
        if (procinfo_pid(c->pid, &info) < 0 || info.state == PS_ZOMBIE) drop_client(c);
    }
}

/* The physical address of every page of a region: 0, or -ENOMEM/-EFAULT. */
static long translate(char *region, long npages, long **out)
{
    long *pa = shm_alloc(table_pages(npages));
    if (!pa) return -ENOMEM;
    for (long i = 0; i < npages; i++) {
        pa[i] = va2pa(region + i * DISK_BLOCK_SIZE);
        if (pa[i] < 0) { /* cannot happen: the pages are mapped here */
            free_table(pa, npages);
            return -EFAULT;
        }
    }
    *out = pa;
    return 0;
}

/* The kernel says client pid exited (pid 0: some clients exited, unknown). */
static void client_exited(long pid)
{
    if (pid == 0) {
        collect_dead_clients();
        return;
    }
    struct client *c = find_client(pid);
    if (c && (c->busy || ring_busy(c->pid)))
        c->gone = 1; /* the device may still be writing into its pages */
    else if (c)
        drop_client(c);
}

static void connect(struct ipc_msg *m)
{
    long npages = disk_connect_npages(m->w);
    collect_dead_clients(); /* e.g. a killed fs server's region: give it back */
    long *pa = 0;
    long err = translate(m->shared, npages, &pa);
    if (err) {
        shm_free(m->shared, npages);
        reply_status((int)m->pid, err);
        return;
    }
    struct client *c = find_client(m->pid);
    if (c && ring_busy(c->pid)) {
        shm_free(m->shared, npages);
        free_table(pa, npages);
        reply_status((int)m->pid, -EBUSY);
        return;
    }
    if (c) { /* connecting again: the new region replaces the old one */
        ring_drop(c->pid);
        shm_free(c->region, c->npages);
        free_table(c->pa, c->npages);
    } else {
        c = find_client(0);
        if (!c) {
            collect_dead_clients();
            c = find_client(0);
        }
        if (!c) {
            shm_free(m->shared, npages);
            free_table(pa, npages);
            reply_status((int)m->pid, -EBUSY);
            return;
        }
    }
    *c = (struct client){.pid = (int)m->pid, .region = m->shared, .npages = npages, .pa = pa};
    reply(c->pid, (struct disk_reply){.status = 0, .blocks = (long)dev.blocks});
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
        reply_status(c->pid, err);
        return;
    }
    c->busy = 1, c->op = op, c->block = block, c->page = page;
    c->n = (int)n, c->next = 0, c->done = 0, c->err = 0;
}

static void handle_call(struct ipc_msg *m)
{
    int pid = (int)m->pid;
    struct disk_req req = disk_req_unpack(m->w);
    long op = req.op;
    if (m->shared) { /* pages came with the call: only DISK_CONNECT takes them */
        if (op == DISK_CONNECT)
            connect(m);
        else {
            shm_free(m->shared, disk_connect_npages(m->w));
            reply_status(pid, -EINVAL);
        }
        return;
    }
    struct client *c = find_client(pid);
    if (op == DISK_INFO) {
        long flags =
            (dev.readonly ? DISK_INFO_READONLY : 0) | (dev.has_flush ? DISK_INFO_CACHE : 0);
        reply(pid, (struct disk_reply){.status = 0,
                                       .blocks = (long)dev.blocks,
                                       .flags = flags,
                                       .max_nblocks = DISK_MAX_NBLOCKS});
        return;
    }
    if (op == DISK_CONNECT) { /* without pages */
        reply_status(pid, -EINVAL);
        return;
    }
    if (op == DISK_RING_SETUP) {
        reply_status(pid,
                     c ? ring_setup(pid, c->region, c->pa, c->npages, m->w[1], &dev) : -ENOENT);
        return;
    }
    if (op != DISK_READ && op != DISK_WRITE && op != DISK_FLUSH && op != DISK_DISCONNECT) {
        reply_status(pid, -EINVAL);
        return;
    }
    if (!c) {
        reply_status(pid, -ENOENT);
        return;
    }
    if (c->busy) { /* cannot happen: the client waits for its previous reply */
        reply_status(pid, -EBUSY);
        return;
    }
    switch (op) {
    case DISK_DISCONNECT:
        if (ring_busy(pid)) {
            reply_status(pid, -EBUSY);
            break;
        }
        drop_client(c);
        reply_status(pid, 0);
        break;
    case DISK_FLUSH:
        if (!dev.has_flush) { /* a write-through device: nothing to do */
            reply_status(pid, 0);
            break;
        }
        c->busy = 1, c->op = DISK_FLUSH, c->n = 1, c->next = 0, c->done = 0, c->err = 0;
        break;
    default:
        start_io(c, (int)op, req.block, req.page, req.nblocks);
    }
}

/* One block of c finished (or failed before reaching the device). */
static void block_done(struct client *c, long err)
{
    c->done++;
    if (err && !c->err) c->err = err;
    if (c->done == c->n) {
        c->busy = 0;
        if (c->gone)
            drop_client(c);
        else
            reply_status(c->pid, c->err);
    }
}

/* Submit the next block of c. 0 if the queue had no room. */
static int submit_one(struct client *c, int ci)
{
    int id;
    if (c->op == DISK_FLUSH) {
        id = vblk_submit(&dev, VBLK_T_FLUSH, 0, 0);
    } else if (fail_every && ++nsubmitted % fail_every == 0) {
        c->next++; /* fault injection (docs/security.md) */
        block_done(c, -EIO);
        return 1;
    } else {
        long pa = c->pa[c->page + c->next];
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
    /* a client that exited with ring requests in flight goes once they are done */
    for (int i = 0; i < DISK_MAX_CLIENTS; i++)
        if (clients[i].gone && !clients[i].busy && !ring_busy(clients[i].pid))
            drop_client(&clients[i]);
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

/* The interrupt of the first modern virtio-blk device, now initialised; -1
 * if there is none, -2 if we may not map device registers. */
static int probe(void)
{
    struct devinfo devs[DEV_MAX];
    long ndev = dev_list(devs, DEV_MAX);
    if (ndev <= 0) return -1;
    if (ndev > DEV_MAX) ndev = DEV_MAX;
    int found = -1, mapped = 0;
    for (int i = 0; i < ndev; i++) {
        if (devs[i].kind != DEV_VIRTIO_MMIO) continue;
        volatile void *regs = dev_map(devs[i].base, devs[i].size);
        if (!regs) continue;
        mapped++;
        int kind = vblk_probe(regs);
        if (kind == 1 && found < 0) {
            int r = vblk_init(&dev, regs);
            if (r == 0) {
                found = (int)devs[i].irq;
                continue;
            }
            printf("disk: virtio-blk at 0x%lx: initialisation failed (%d)\n", devs[i].base, r);
        } else if (kind < 0) {
            printf("disk: virtio-blk at 0x%lx is legacy (version 1); run QEMU with "
                   "-global virtio-mmio.force-legacy=false\n",
                   devs[i].base);
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

int main(int argc, char **argv)
{
    if (argc > 1 && strncmp(argv[1], "faildisk=", 9) == 0) fail_every = atoi(argv[1] + 9);
    int ep = ep_lookup(DISK_NAME);
    if (ep >= 0) { /* never reset a device another server is using */
        printf("disk: already running\n");
        return 1;
    }
    irq = probe();
    if (irq == -2) return 1;
    if (irq < 0) {
        printf("disk: no virtio-blk device\n");
        return 0;
    }
    /* Say it before registering: init starts the shell once we are registered. */
    printf("disk: virtio-blk, %lu blocks of 4 KiB (%lu MiB)%s\n", (unsigned long)dev.blocks,
           (unsigned long)dev.blocks / 256, dev.readonly ? ", read-only" : "");
    printf_flush();
    ep = ep_create();
    long r = ep < 0 ? ep : irq_bind(irq, ep);
    if (r >= 0) r = ev_subscribe_client_exits(ep); /* a client's slot goes when it exits */
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
            if (m.w[0] == IPC_KERNEL_EXIT) client_exited(m.w[1]);
        } else {
            handle_call(&m);
        }
        pump();
        ring_notify();
        r = reply_and_recv(ep, &m);
    }
}
