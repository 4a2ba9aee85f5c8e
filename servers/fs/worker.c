/* The worker: one coroutine that runs the jobs needing the file-system core,
 * one at a time and in arrival order (the core is not reentrant). When the
 * block cache must wait for the disk it calls worker_wait(), which switches
 * back to the main loop; the main loop switches to the worker again after
 * each batch of disk completions. So a job waiting for the disk holds only
 * the core: pipes, the console, fd-table calls and fork/exit events are
 * answered meanwhile, and the next core jobs wait their turn in the queue --
 * except reads that the cache can answer at once and that the parked job
 * cannot disturb (fastpath.c, which asks worker_changing what that is). */
#include "user.h"
#include "fs.h"
#include "coro.h"
#include "runtime.h"

#define NJOBS 2048 /* > FS_MAX_CLIENTS calls + FS_NFILE releases + a commit */

struct job {
    int kind;
    int pid; /* JOB_CALL */
    struct fsproc *p;
    long w[4];
    uint32_t ino; /* JOB_RELEASE */
};

static struct job jobs[NJOBS];
static unsigned int head, tail;
static int commit_queued;

static struct coro main_ctx, worker_ctx;
static char worker_stack[64 * 1024] __attribute__((aligned(16)));
static enum { W_IDLE, W_WAITING, W_RUNNING } state = W_IDLE;
static int started;
static int changing = CHANGING_ALL; /* what the running job may have half done */
static uint32_t changing_ino;
static struct file *changing_off; /* the open file whose offset the job uses */

/* What job j may change, for fast_call: see fastpath.c. */
static int changes_of(const struct job *j, uint32_t *ino)
{
    *ino = 0;
    if (j->kind == JOB_COMMIT) return CHANGING_NOTHING; /* the cache already holds it all */
    if (j->kind == JOB_RELEASE) {
        *ino = j->ino;
        return CHANGING_FILE;
    }
    if (j->kind != JOB_CALL) return CHANGING_ALL;
    switch (j->w[0]) {
    case FS_READ:
    case FS_READ_PAGES:
    case FS_FSTAT:
    case FS_STAT:
    case FS_LSEEK:
    case FS_GETCWD:
    case FS_CHDIR:
    case FS_FSYNC:
    case FS_SYNC:
        return CHANGING_NOTHING;
    case FS_OPEN:
        if (j->w[2] & O_TRUNC) return CHANGING_ALL;
        return j->w[2] & O_CREATE ? CHANGING_NAMES : CHANGING_NOTHING;
    case FS_WRITE:
    case FS_FTRUNCATE: {
        struct file *f = j->p->dead ? 0 : fd_get(j->p, j->w[1]);
        if (!f || f->kind != FS_KIND_FILE) return CHANGING_ALL;
        *ino = f->ino;
        return CHANGING_FILE;
    }
    case FS_LINK:
    case FS_UNLINK:
    case FS_RENAME:
    case FS_MKDIR:
    case FS_RMDIR:
    case FS_MKNOD:
        return CHANGING_NAMES;
    default:
        return CHANGING_ALL;
    }
}

static void push(struct job j)
{
    if (tail - head == NJOBS) { /* cannot happen: the sizes above bound it */
        printf("fs: job queue full\n");
        return;
    }
    jobs[tail++ % NJOBS] = j;
}

void job_call(struct fsproc *p, const long w[4])
{
    p->in_core++;
    push((struct job){.kind = JOB_CALL, .pid = p->pid, .p = p, .w = {w[0], w[1], w[2], w[3]}});
}

void job_release(uint32_t ino)
{
    push((struct job){.kind = JOB_RELEASE, .ino = ino});
}

void job_commit(void)
{
    if (commit_queued) return;
    commit_queued = 1;
    push((struct job){.kind = JOB_COMMIT});
}

void job_mount(void)
{
    push((struct job){.kind = JOB_MOUNT});
}

static void run(struct job *j)
{
    switch (j->kind) {
    case JOB_CALL: {
        struct fsproc *p = j->p;
        if (!p->dead) fileop(p, j->w);
        proc_drop_pages(p); /* before the reply goes: the client's exec counts on it */
        if (--p->in_core == 0 && p->dead) proc_free(p);
        break;
    }
    case JOB_RELEASE:
        if (fs_mounted > 0) fs_open_ref(j->ino, -1);
        break;
    case JOB_COMMIT:
        commit_queued = 0;
        if (fs_mounted > 0) fs_commit_due();
        break;
    case JOB_MOUNT: {
        int r = fs_mount();
        if (r == 0 && fs_log_capacity() + FS_MAX_HELD + 16 > (uint32_t)cache_size()) {
            /* the log's pinned blocks would not fit: refuse rather than fail later */
            printf("fs: the log (%u blocks) needs a larger cache than %d buffers\n",
                   (unsigned)fs_log_capacity(), cache_size());
            r = -ENOMEM;
        }
        if (r < 0) printf("fs: no file system on the disk (%d): the fs server stops\n", r);
        fs_mounted = r < 0 ? -1 : 1;
        break;
    }
    }
}

static void worker_main(void *arg)
{
    (void)arg;
    for (;;) {
        while (head == tail) {
            state = W_IDLE;
            coro_switch(&worker_ctx, &main_ctx);
        }
        state = W_RUNNING;
        struct job j = jobs[head++ % NJOBS];
        changing = changes_of(&j, &changing_ino);
        changing_off = j.kind == JOB_CALL && !j.p->dead ? fd_get(j.p, j.w[1]) : 0;
        run(&j);
        changing = CHANGING_ALL;
        changing_off = 0;
    }
}

void worker_init(void)
{
    coro_init(&worker_ctx, worker_main, 0, worker_stack, sizeof worker_stack);
    started = 1;
}

void worker_wait(void)
{
    cache_kick();
    state = W_WAITING;
    coro_switch(&worker_ctx, &main_ctx);
    state = W_RUNNING;
}

/* The worker runs until it has no job or waits for the disk. A waiting
 * worker is resumed after each batch of completions (reaped): it checks its own condition and waits
 * again if the completion was not the one it needs. */
void worker_run(int reaped)
{
    if (!started) return;
    if (state == W_WAITING ? reaped : head != tail) coro_switch(&main_ctx, &worker_ctx);
}

int worker_parked(void)
{
    return state == W_WAITING;
}

int worker_changing(uint32_t *ino, struct file **off)
{
    *ino = changing_ino;
    *off = changing_off;
    return changing;
}

int worker_busy(void)
{
    return state != W_IDLE || head != tail;
}
