/* fs: the file-system server (protocol in include/pagoda/fs_proto.h).
 *
 * Started by init after the disk server. It registers "fs", subscribes to
 * the kernel's fork and exit events, connects to the disk server with a
 * region that holds the request ring and the block cache (cache.c), mounts
 * the file system in the worker coroutine (recovering from the log), and
 * then serves forever. Once mounted it spawns the ticker (servers/ticker),
 * which notifies it every FS_TICK so that committed-but-unsynced work is
 * made durable within a bounded time.
 *
 * The loop: take a message; kernel events update the fd tables, disk
 * completions let the worker go on; a request is either answered here at
 * once (fd table, pipes, console; reads the cache can answer while the
 * worker waits for the disk, fastpath.c) or queued for the worker (anything
 * that needs the core). Replies are collected and sent before the next receive,
 * the last one together with it (ipc_reply_recv). */
#include "user.h"
#include "ipc.h"
#include "syscall.h"
#include "pagoda/disk_proto.h"
#include "fs.h"
#include "runtime.h"

#define FS_MOUNT_NAME "fs-mount"
#define CACHE_BLOCKS  2048 /* 8 MiB: larger than the log plus what one call pins */

static struct {
    int pid;
    long w[4];
} replies[FS_MAX_CLIENTS + 16];
static int nreplies;
static int ep;

void reply(int pid, long w0, long w1, long w2, long w3)
{
    if (nreplies == (int)(sizeof replies / sizeof replies[0])) { /* flush early */
        for (int i = 0; i < nreplies; i++) ipc_reply(replies[i].pid, replies[i].w);
        nreplies = 0;
    }
    replies[nreplies].pid = pid;
    replies[nreplies].w[0] = w0, replies[nreplies].w[1] = w1;
    replies[nreplies].w[2] = w2, replies[nreplies].w[3] = w3;
    nreplies++;
}

void reply_cancel_last(void)
{
    if (nreplies > 0) nreplies--;
}

static long reply_and_recv(struct ipc_msg *m)
{
    for (int i = 0; i + 1 < nreplies; i++) ipc_reply(replies[i].pid, replies[i].w);
    long r;
    if (nreplies) {
        r = ipc_reply_recv(ep, replies[nreplies - 1].pid, replies[nreplies - 1].w, m);
        if (r == -ESRCH) r = ipc_recv(ep, m);
    } else {
        r = ipc_recv(ep, m);
    }
    nreplies = 0;
    return r;
}

static void connect(struct ipc_msg *m)
{
    long npages = m->w[2];
    int pid = (int)m->pid;
    struct fsproc *p = npages <= FS_REGION_PAGES ? proc_get(pid) : 0;
    if (!p || p->in_core) { /* in_core cannot happen: it waits for that reply */
        shm_free(m->shared, npages);
        reply(pid, p ? -EBUSY : npages > FS_REGION_PAGES ? -EINVAL : -EBUSY, 0, 0, 0);
        return;
    }
    if (p->region) shm_free(p->region, p->rsize / 4096);
    p->region = m->shared, p->rsize = npages * 4096;
    reply(pid, 0, p->rsize, 0, 0);
}

/* exec's read (fs_proto.h): the pages stay mapped here only while the job
 * runs; the worker unmaps them before the reply goes, so the client gets
 * back frames that only it maps (the kernel then moves them into the new
 * program rather than copy them: proc/exec.c). */
static void read_pages(struct ipc_msg *m)
{
    struct fsproc *p = proc_get((int)m->pid);
    long busy = !p || p->in_core || p->pages ? -EBUSY /* cannot happen but for a full table */
                : pages_held + m->w[2] > FS_READ_PAGES_MAX ? -ENOMEM
                                                           : 0;
    if (busy) {
        shm_free(m->shared, m->w[2]);
        reply((int)m->pid, busy, 0, 0, 0);
        return;
    }
    pages_held += m->w[2];
    p->pages = m->shared, p->npages = m->w[2];
    job_call(p, (long[4]){FS_READ_PAGES, m->w[1], 0, 0});
}

static int needs_region(long op)
{
    return op == FS_OPEN || op == FS_READ || op == FS_WRITE || op == FS_FSTAT || op == FS_STAT ||
           op == FS_LINK || op == FS_UNLINK || op == FS_MKDIR || op == FS_MKNOD || op == FS_RMDIR ||
           op == FS_RENAME || op == FS_CHDIR || op == FS_GETCWD || op == FS_TRUNCATE;
}

/* Requests answered without the core; 0 if it is for the worker. */
static int quick(struct fsproc *p, const long *w)
{
    int pid = p->pid;
    struct file *f = fd_get(p, w[1]);
    switch (w[0]) {
    case FS_FDINFO:
        reply(pid, f ? f->kind : -EBADF, 0, 0, 0);
        return 1;
    case FS_CLOSE:
        if (!f) {
            reply(pid, -EBADF, 0, 0, 0);
            return 1;
        }
        p->fd[w[1]] = 0;
        file_put(f);
        reply(pid, 0, 0, 0, 0);
        return 1;
    case FS_DUP: {
        if (!f) {
            reply(pid, -EBADF, 0, 0, 0);
            return 1;
        }
        int fd = fd_alloc(p, f);
        if (fd >= 0) f->refs++;
        reply(pid, fd, 0, 0, 0);
        return 1;
    }
    case FS_PIPE: {
        struct file *r = file_alloc(), *wr = r ? file_alloc() : 0;
        int pi = wr ? pipe_create() : -ENFILE;
        int rfd = pi >= 0 ? fd_alloc(p, r) : -1;
        int wfd = rfd >= 0 ? fd_alloc(p, wr) : -1;
        if (wfd < 0) {
            if (rfd >= 0) p->fd[rfd] = 0;
            if (r) r->refs = 0;
            if (wr) wr->refs = 0;
            if (pi >= 0) {
                pipe_end_closed(pi, 0);
                pipe_end_closed(pi, 1);
            }
            reply(pid, pi < 0 ? pi : -EMFILE, 0, 0, 0);
            return 1;
        }
        *r = (struct file){.refs = 1, .kind = FS_KIND_PIPE_R, .readable = 1, .pipe = pi};
        *wr = (struct file){.refs = 1, .kind = FS_KIND_PIPE_W, .writable = 1, .pipe = pi};
        reply(pid, 0, rfd, wfd, 0);
        return 1;
    }
    case FS_DISCONNECT:
        if (p->region) shm_free(p->region, p->rsize / 4096);
        p->region = 0, p->rsize = 0;
        reply(pid, 0, 0, 0, 0);
        return 1;
    case FS_READ:
    case FS_WRITE: {
        if (!f || f->kind == FS_KIND_FILE || f->kind == FS_KIND_DIR) return 0;
        long off = w[2], n = w[3];
        if (n < 0) {
            reply(pid, -EINVAL, 0, 0, 0);
        } else if (off < 0 || off > p->rsize || n > p->rsize - off) {
            reply(pid, -EFAULT, 0, 0, 0);
        } else if (w[0] == FS_READ ? !f->readable : !f->writable) {
            reply(pid, -EBADF, 0, 0, 0);
        } else if (f->kind == FS_KIND_CONSOLE) {
            if (w[0] == FS_READ) /* the library reads the console itself */
                reply(pid, -EINVAL, 0, 0, 0);
            else {
                long k = 0;
                while (k < n) {
                    long c = sys_cons_write(p->region + off + k, (unsigned long)(n - k));
                    if (c <= 0) break;
                    k += c;
                }
                reply(pid, k, 0, 0, 0);
            }
        } else if (w[0] == FS_READ) {
            pipe_read(p, f->pipe, off, n);
        } else {
            pipe_write(p, f->pipe, off, n);
        }
        return 1;
    }
    case FS_LSEEK:
        if (f && f->kind != FS_KIND_FILE && f->kind != FS_KIND_DIR) {
            reply(pid, -ESPIPE, 0, 0, 0);
            return 1;
        }
        return 0;
    }
    return 0;
}

static void handle_call(struct ipc_msg *m)
{
    int pid = (int)m->pid;
    long op = m->w[0];
    if (m->shared) { /* pages came with the call: FS_CONNECT and FS_READ_PAGES take them */
        if (op == FS_CONNECT)
            connect(m);
        else if (op == FS_READ_PAGES)
            read_pages(m);
        else {
            shm_free(m->shared, m->w[2]);
            reply(pid, -EINVAL, 0, 0, 0);
        }
        return;
    }
    if (op <= FS_CONNECT || op >= FS_NOPS || op == FS_READ_PAGES) {
        reply(pid, -EINVAL, 0, 0, 0);
        return;
    }
    struct fsproc *p = proc_get(pid);
    if (!p) {
        reply(pid, -EBUSY, 0, 0, 0);
        return;
    }
    if (needs_region(op) && !p->region) {
        reply(pid, -ENOTCONN, 0, 0, 0);
        return;
    }
    if (!quick(p, m->w) && !fast_call(p, m->w)) job_call(p, m->w);
}

/* The ticker (servers/ticker): a small program that wakes the server every
 * FS_TICK and exits when the server is gone. Started once the file system is
 * mounted, so a disk without one leaves nothing behind. */
static void start_ticker(void)
{
    char bits[24], ticks[24];
    snprintf(bits, sizeof bits, "%lu", FS_TICK_BIT);
    snprintf(ticks, sizeof ticks, "%d", FS_TICK);
    char *argv[] = {"ticker", FS_NAME, bits, ticks, 0};
    long pid = spawn("ticker", argv);
    if (pid < 0) printf("fs: cannot start the ticker (%ld): commits wait for fsync\n", pid);
}

/* Is a disk server process alive (perhaps not yet registered)? */
static int disk_starting(void)
{
    struct procinfo info;
    for (int i = 0; procinfo(i, &info) == 0; i++)
        if (strcmp(info.name, DISK_NAME) == 0 && info.state != PS_ZOMBIE) return 1;
    return 0;
}

int main(void)
{
    int old = ep_lookup(FS_NAME);
    if (old >= 0) { /* (the handle goes with us) */
        printf("fs: already running\n");
        return 1;
    }
    int dh = ep_lookup(DISK_NAME);
    for (int t = 0; dh < 0 && t < 5 * TICK_HZ && disk_starting(); t++) {
        sleep(1); /* init is starting the disk server (again) */
        dh = ep_lookup(DISK_NAME);
    }
    if (dh < 0) {
        printf("fs: no disk server: no file system\n");
        return 0;
    }
    ep_close(dh);
    ep = ep_create();
    long r = ep < 0 ? ep : ep_register(ep, FS_MOUNT_NAME);
    if (r >= 0) r = ev_subscribe(ep);
    if (r < 0) {
        printf("fs: cannot set up the endpoint (%ld)\n", r);
        return 1;
    }
    r = cache_init(CACHE_BLOCKS, FS_MOUNT_NAME);
    if (r < 0) {
        printf("fs: cannot connect to the disk server (%ld)\n", r);
        return 1;
    }
    worker_init();
    job_mount();

    struct ipc_msg m;
    int errors = 0, registered = 0;
    /* Start the mount now: it reads the disk at once, and the completion is
     * the first message (waiting for one first left the mount to whatever
     * message came next -- init's fork of the shell, after it had waited
     * 10 s for us to register). */
    worker_run(0);
    r = ipc_recv(ep, &m);
    for (;;) {
        if (r < 0) {
            if (++errors > 1000) {
                printf("fs: ipc_recv keeps failing (%ld)\n", r);
                return 1;
            }
            r = ipc_recv(ep, &m);
            continue;
        }
        errors = 0;
        int reaped = 0;
        if (m.pid == 0) {
            if (m.w[0] == IPC_KERNEL_NOTIFY) {
                if (m.w[1] & DISK_RING_DONE) cache_reap(), reaped = 1;
                if (m.w[1] & FS_TICK_BIT) job_commit();
                if ((m.w[1] & FS_TICK_BIT) && !cache_disk_alive()) {
                    /* Its requests will never complete: stop, so that callers
                     * get errors, and let init start us again on the new one. */
                    printf("fs: the disk server is gone; stopping\n");
                    exit(-1);
                }
            } else if (m.w[0] == IPC_KERNEL_FORK) {
                proc_fork((int)m.w[1], (int)m.w[2]);
            } else if (m.w[0] == IPC_KERNEL_EXIT) {
                proc_exit((int)m.w[1]);
            }
        } else {
            handle_call(&m);
        }
        worker_run(reaped);
        if (fs_mounted > 0 && !registered) {
            registered = 1;
            r = ep_register(ep, FS_NAME);
            if (r < 0) printf("fs: cannot register (%ld)\n", r);
            start_ticker(); /* it finds us under FS_NAME */
        } else if (fs_mounted < 0) {
            cache_close(); /* before we exit, so no one sees our pages still held */
            return 0;      /* not a file system: leave the disk to others (disktest) */
        }
        r = reply_and_recv(&m);
    }
}
