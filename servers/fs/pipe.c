/* Pipes, served from the main loop with deferred replies: a read of an empty
 * pipe or a write to a full one is not answered until the other side makes
 * progress, and the server goes on with other messages meanwhile. A read
 * returns what is there (partial reads), 0 once no writer is left; a write
 * returns when all of it is in the pipe, or -EPIPE (or the count written so
 * far) when no reader is left. Waiting calls are served in arrival order. */
#include "user.h"
#include "ipc.h"
#include "runtime.h"

struct pipe {
    int used;
    unsigned int rpos, wpos; /* bytes read and written so far (mod 2^32) */
    int readers, writers;    /* open files of each end */
    char buf[FS_PIPE_SIZE] __attribute__((aligned(16))); /* word copies (memcpy) */
};

static struct pipe pipes[FS_NPIPE];
static unsigned long seq;

/* The processes whose call waits on a pipe. */
static struct fsproc *waiting[FS_MAX_CLIENTS];
static int nwaiting;

int pipe_create(void)
{
    for (int i = 0; i < FS_NPIPE; i++)
        if (!pipes[i].used) {
            pipes[i].used = 1;
            pipes[i].rpos = pipes[i].wpos = 0;
            pipes[i].readers = pipes[i].writers = 1;
            return i;
        }
    return -ENFILE;
}

/* Move bytes; 1 if the call is finished (and answered). */
static int try_read(struct fsproc *p, struct pipe *q, long off, long n)
{
    unsigned int avail = q->wpos - q->rpos;
    if (avail == 0) {
        if (q->writers > 0) return 0;
        reply(p->pid, 0, 0, 0, 0); /* end of file */
        return 1;
    }
    long k = n < (long)avail ? n : (long)avail;
    for (long done = 0; done < k;) {
        unsigned int at = q->rpos % FS_PIPE_SIZE;
        long chunk = FS_PIPE_SIZE - at;
        if (chunk > k - done) chunk = k - done;
        memcpy(p->region + off + done, q->buf + at, (uint)chunk);
        done += chunk;
        q->rpos += (unsigned int)chunk;
    }
    reply(p->pid, k, 0, 0, 0);
    return 1;
}

static int try_write(struct fsproc *p, struct pipe *q, long off, long n, long *done)
{
    if (q->readers == 0) {
        reply(p->pid, *done > 0 ? *done : -EPIPE, 0, 0, 0);
        return 1;
    }
    while (*done < n) {
        unsigned int room = FS_PIPE_SIZE - (q->wpos - q->rpos);
        if (room == 0) return 0;
        unsigned int at = q->wpos % FS_PIPE_SIZE;
        long chunk = FS_PIPE_SIZE - at;
        if (chunk > (long)room) chunk = room;
        if (chunk > n - *done) chunk = n - *done;
        memcpy(q->buf + at, p->region + off + *done, (uint)chunk);
        *done += chunk;
        q->wpos += (unsigned int)chunk;
    }
    reply(p->pid, n, 0, 0, 0);
    return 1;
}

static void unwait(int i)
{
    waiting[i]->wait_op = 0;
    for (int k = i; k + 1 < nwaiting; k++) waiting[k] = waiting[k + 1];
    nwaiting--;
}

/* Let every waiting call on pipe go as far as it can, oldest first. */
static void serve(int pipe)
{
    struct pipe *q = &pipes[pipe];
    for (int progress = 1; progress;) {
        progress = 0;
        for (int i = 0; i < nwaiting; i++) {
            struct fsproc *p = waiting[i];
            if (p->wait_pipe != pipe) continue;
            unsigned int before = q->wpos - q->rpos;
            int finished = p->wait_op == FS_READ
                               ? try_read(p, q, p->wait_off, p->wait_n)
                               : try_write(p, q, p->wait_off, p->wait_n, &p->wait_done);
            if (finished) unwait(i);
            if (finished || q->wpos - q->rpos != before) {
                progress = 1;
                break;
            }
        }
    }
    if (q->readers == 0 && q->writers == 0) q->used = 0;
}

static void wait_on(struct fsproc *p, int pipe, int op, long off, long n, long done)
{
    p->wait_op = op, p->wait_pipe = pipe, p->wait_seq = ++seq;
    p->wait_off = off, p->wait_n = n, p->wait_done = done;
    waiting[nwaiting++] = p;
}

void pipe_read(struct fsproc *p, int pipe, long off, long n)
{
    struct pipe *q = &pipes[pipe];
    if (n == 0) {
        reply(p->pid, 0, 0, 0, 0);
        return;
    }
    int earlier = 0; /* readers already waiting go first */
    for (int i = 0; i < nwaiting; i++)
        earlier |= waiting[i]->wait_pipe == pipe && waiting[i]->wait_op == FS_READ;
    if (!earlier && try_read(p, q, off, n)) {
        serve(pipe); /* room for waiting writers */
        return;
    }
    wait_on(p, pipe, FS_READ, off, n, 0);
}

void pipe_write(struct fsproc *p, int pipe, long off, long n)
{
    struct pipe *q = &pipes[pipe];
    long done = 0;
    int earlier = 0;
    for (int i = 0; i < nwaiting; i++)
        earlier |= waiting[i]->wait_pipe == pipe && waiting[i]->wait_op == FS_WRITE;
    if (!earlier && try_write(p, q, off, n, &done)) {
        serve(pipe);
        return;
    }
    wait_on(p, pipe, FS_WRITE, off, n, done);
    serve(pipe); /* data for waiting readers */
}

void pipe_end_closed(int pipe, int writer)
{
    struct pipe *q = &pipes[pipe];
    if (writer)
        q->writers--;
    else
        q->readers--;
    serve(pipe);
}

void pipe_cancel(struct fsproc *p)
{
    for (int i = 0; i < nwaiting; i++)
        if (waiting[i] == p) {
            unwait(i);
            return;
        }
}
