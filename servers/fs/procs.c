/* Processes and open files. Each process the server knows has an fd table
 * of pointers into one server-wide table of open files; an open file holds
 * the offset, so fds that share it (dup, fork) share the offset, as in Unix.
 * The kernel's fork and exit events keep the tables right: a child gets a
 * copy of its parent's table, an exiting (or killed) process has every fd
 * closed. A process the server has never seen starts with fds 0, 1, 2 on
 * one open console file and cwd "/". */
#include "user.h"
#include "ipc.h"
#include "fs.h"
#include "runtime.h"

static struct fsproc procs[FS_MAX_CLIENTS];
static struct file files[FS_NFILE];
long pages_held;

struct file *file_alloc(void)
{
    for (int i = 0; i < FS_NFILE; i++)
        if (files[i].refs == 0) {
            files[i] = (struct file){.refs = 1};
            return &files[i];
        }
    return 0;
}

void file_put(struct file *f)
{
    if (--f->refs > 0) return;
    switch (f->kind) {
    case FS_KIND_FILE:
    case FS_KIND_DIR:
        job_release(f->ino);
        break;
    case FS_KIND_CONSOLE:
        if (f->ino) job_release(f->ino);
        break;
    case FS_KIND_PIPE_R:
    case FS_KIND_PIPE_W:
        pipe_end_closed(f->pipe, f->kind == FS_KIND_PIPE_W);
        break;
    }
}

struct fsproc *proc_find(int pid)
{
    for (int i = 0; i < FS_MAX_CLIENTS; i++)
        if (procs[i].pid == pid && !procs[i].dead) return &procs[i];
    return 0;
}

static struct fsproc *proc_new(int pid)
{
    for (int i = 0; i < FS_MAX_CLIENTS; i++)
        if (procs[i].pid == 0) {
            procs[i] = (struct fsproc){.pid = pid, .cwd = FS_ROOT_INO};
            return &procs[i];
        }
    return 0;
}

struct fsproc *proc_get(int pid)
{
    struct fsproc *p = proc_find(pid);
    if (p) return p;
    struct file *f = file_alloc();
    if (!f) return 0;
    p = proc_new(pid);
    if (!p) {
        f->refs = 0;
        return 0;
    }
    f->kind = FS_KIND_CONSOLE, f->readable = 1, f->writable = 1;
    f->refs = 3;
    p->fd[0] = p->fd[1] = p->fd[2] = f;
    return p;
}

void proc_fork(int child, int parent)
{
    struct fsproc *pp = proc_find(parent);
    if (!pp) return; /* the child gets the default table when it first calls */
    struct fsproc *c = proc_new(child);
    if (!c) return;
    c->cwd = pp->cwd;
    for (int i = 0; i < FS_NFD; i++) {
        c->fd[i] = pp->fd[i];
        if (c->fd[i]) c->fd[i]->refs++;
    }
}

void proc_drop_pages(struct fsproc *p)
{
    if (p->pages) shm_free(p->pages, p->npages);
    pages_held -= p->npages;
    p->pages = 0, p->npages = 0;
}

void proc_free(struct fsproc *p)
{
    if (p->region) shm_free(p->region, p->rsize / 4096);
    proc_drop_pages(p);
    *p = (struct fsproc){0};
}

void proc_exit(int pid)
{
    struct fsproc *p = proc_find(pid);
    if (!p) return;
    pipe_cancel(p);
    for (int i = 0; i < FS_NFD; i++)
        if (p->fd[i]) {
            file_put(p->fd[i]);
            p->fd[i] = 0;
        }
    if (p->in_core)
        p->dead = 1; /* the worker may be using its region: it frees it */
    else
        proc_free(p);
}

int fd_alloc(struct fsproc *p, struct file *f)
{
    for (int i = 0; i < FS_NFD; i++)
        if (!p->fd[i]) {
            p->fd[i] = f;
            return i;
        }
    return -EMFILE;
}

struct file *fd_get(struct fsproc *p, long fd)
{
    if (fd < 0 || fd >= FS_NFD) return 0;
    return p->fd[fd];
}

int proc_count(void)
{
    int n = 0;
    for (int i = 0; i < FS_MAX_CLIENTS; i++) n += procs[i].pid != 0;
    return n;
}
