/* The fs server's runtime: the parts around the file-system core (fs.h).
 * main.c receives messages and dispatches them; requests that need the core
 * become jobs run one at a time by the worker coroutine (worker.c), which
 * yields to the main loop whenever the block cache (cache.c) waits for the
 * disk server's ring; fd tables and open files (procs.c), pipes (pipe.c) and
 * the console are served from the main loop directly, never waiting. */
#ifndef FS_RUNTIME_H
#define FS_RUNTIME_H

#include <stdint.h>
#include "pagoda/abi.h"
#include "pagoda/fs_proto.h"

#define FS_NFILE     512 /* open files in the whole server */
#define FS_NPIPE     64
#define FS_PIPE_SIZE 4096
#define FS_TICK_BIT  (1UL << 0)    /* notify from the ticker: time for a commit */
#define FS_TICK      (TICK_HZ / 2) /* commit at the latest every 0.5 s (+ one tick) */

/* An open file: what open() or pipe() made, shared by dup and fork. */
struct file {
    int refs; /* fds naming it, in all processes; 0 = free */
    int kind; /* FS_KIND_* */
    int readable, writable, append;
    uint32_t ino; /* FILE, DIR, CONSOLE opened by path (0 for the default console) */
    uint64_t off; /* shared by every fd naming this file */
    int pipe;     /* pipe index for PIPE_R / PIPE_W */
};

/* What the server knows about one process. */
struct fsproc {
    int pid;      /* 0: free */
    char *region; /* its shared pages, mapped here; 0 if not connected */
    long rsize;   /* bytes */
    char *pages;  /* FS_READ_PAGES: its pages mapped here until the job is done */
    long npages;
    struct file *fd[FS_NFD];
    uint32_t cwd;
    int in_core; /* a job of this process is queued or running in the worker */
    int dead;    /* exited while in_core: the worker frees the entry */
    /* A pipe read or write waiting for the other side (deferred reply). */
    int wait_op;   /* 0, FS_READ or FS_WRITE */
    int wait_pipe; /* pipe index */
    unsigned long wait_seq;
    long wait_off, wait_n, wait_done;
};

/* main.c */
void reply(int pid, long w0, long w1, long w2, long w3);
void reply_cancel_last(void); /* take back the reply queued last (not yet sent) */

/* procs.c */
struct fsproc *proc_get(int pid); /* the entry, made with the default table if new; 0 if full */
struct fsproc *proc_find(int pid);
void proc_fork(int child, int parent);
void proc_exit(int pid);
void proc_free(struct fsproc *p);       /* region and entry, once no job uses them */
void proc_drop_pages(struct fsproc *p); /* unmap an FS_READ_PAGES' pages, if any */
extern long pages_held; /* by FS_READ_PAGES requests now, at most FS_READ_PAGES_MAX */
struct file *file_alloc(void);
void file_put(struct file *f);                  /* drop one fd's reference */
int fd_alloc(struct fsproc *p, struct file *f); /* lowest free fd, or -EMFILE */
struct file *fd_get(struct fsproc *p, long fd);
int proc_count(void);

/* pipe.c */
int pipe_create(void);                                         /* index, or -ENFILE */
void pipe_read(struct fsproc *p, int pipe, long off, long n);  /* replies now or later */
void pipe_write(struct fsproc *p, int pipe, long off, long n); /* replies now or later */
void pipe_end_closed(int pipe, int writer);
void pipe_cancel(struct fsproc *p); /* p exits: forget its waiting call */

/* worker.c: jobs for the core, run one at a time */
enum { JOB_CALL = 1, JOB_RELEASE, JOB_COMMIT, JOB_MOUNT };
void job_call(struct fsproc *p, const long w[4]);
void job_release(uint32_t ino);
void job_commit(void);
void job_mount(void);
void worker_init(void);
void worker_run(int reaped); /* main loop: let the worker go on while it can */
void worker_wait(void);      /* worker: yield until something completes */
int worker_busy(void);
int worker_parked(void); /* the running job waits for the disk */
/* What the running job may have half changed where it waits: CHANGING_FILE
 * sets *ino to that file; *off is the open file whose offset it may move
 * (its fd's, for fd calls), or 0. */
enum { CHANGING_NOTHING, CHANGING_FILE, CHANGING_NAMES, CHANGING_ALL };
int worker_changing(uint32_t *ino, struct file **off);

/* fastpath.c: a read answered from the cache beside the parked worker; 1 if
 * answered (reply queued), 0 if it must queue for the worker */
int fast_call(struct fsproc *p, const long w[4]);

/* fileops.c: a request in the worker, with the core */
void fileop(struct fsproc *p, const long w[4]);
extern int fs_mounted; /* 1 mounted, -1 mount failed, 0 not yet */

/* cache.c (implements bio.h) */
int cache_init(int nblocks, const char *name); /* connect to the disk server; ring
                                                 notifications go to endpoint name */
void cache_reap(void);                         /* main loop: take completions from the ring */
void cache_kick(void);                         /* tell the disk server about new submissions */
int cache_size(void);
void cache_close(void);     /* disconnect from the disk server (no ring request may be in flight) */
int cache_disk_alive(void); /* 0 once the disk server we connected to is gone */
/* No-wait mode, for the main loop (fastpath.c): a block not cached and
 * valid makes bread fail with -EAGAIN, and cache_missed() says so until
 * the next cache_nowait(1). */
void cache_nowait(int on);
int cache_missed(void);

#endif
