/* Calls answered from the block cache while the worker waits for the disk.
 *
 * The core runs one job at a time in the worker (worker.c). When that job
 * is parked on the disk, a request that only reads -- FS_READ of a file or
 * directory, FS_FSTAT, FS_STAT, FS_LSEEK, FS_OPEN without O_CREATE or
 * O_TRUNC -- is tried at once in the main loop with the cache in no-wait
 * mode (cache_nowait): every block it needs must already be cached and
 * valid. If one is not, the attempt leaves no trace (its reply is taken
 * back, the file offset restored, an open's new fd freed by do_open as for
 * any error that comes before the open is counted; what it copied into the
 * client's region is overwritten later) and the request queues for the
 * worker as before.
 *
 * Running such a call between two steps of the parked job is safe because
 * the core is only ever interrupted where the cache waits, and the parked
 * job says what it may have half changed there (worker_changing):
 *  - nothing (reads, opens, fsync, a commit): everything goes;
 *  - one file's data (a write or ftruncate, or the release of a file):
 *    reads of that file wait, everything else goes (the open counts of
 *    fs_open_ref are never left half changed);
 *  - names (create, link, unlink, rename, mkdir, rmdir): reads and fstat of
 *    open regular files go; paths and directories wait;
 *  - anything (truncate by path, open with O_TRUNC, mount): nothing goes.
 * And a call on the open file the parked call works on (a shared offset,
 * after dup or fork) waits, so the offset moves once per call, in order.
 * So a call never sees a half-done change. */
#include "user.h"
#include "fs.h"
#include "runtime.h"

/* May request w of p, on file f (or 0), run now beside the parked job? */
static int allowed(struct fsproc *p, const long *w, struct file *f)
{
    long op = w[0];
    if (fs_mounted <= 0 || p->in_core || !worker_parked()) return 0;
    int by_path = op == FS_STAT || op == FS_OPEN;
    if (op == FS_OPEN && (w[2] & (O_CREATE | O_TRUNC))) return 0;
    if (!by_path && op != FS_READ && op != FS_FSTAT && op != FS_LSEEK) return 0;
    if (!by_path && (!f || (f->kind != FS_KIND_FILE && f->kind != FS_KIND_DIR))) return 0;
    uint32_t ino;
    struct file *busy;
    int changing = worker_changing(&ino, &busy);
    if (f && f == busy) return 0; /* its offset is the parked call's to move */
    switch (changing) {
    case CHANGING_NOTHING:
        return 1;
    case CHANGING_FILE:
        return op != FS_READ || f->ino != ino;
    case CHANGING_NAMES:
        return (op == FS_READ || op == FS_FSTAT) && f->kind == FS_KIND_FILE;
    default:
        return 0;
    }
}

int fast_call(struct fsproc *p, const long w[4])
{
    struct file *f = w[0] == FS_STAT || w[0] == FS_OPEN ? 0 : fd_get(p, w[1]);
    if (!allowed(p, w, f)) return 0;
    uint64_t off = f ? f->off : 0;
    cache_nowait(1);
    fileop(p, w);
    cache_nowait(0);
    cache_kick(); /* read-ahead it started */
    if (!cache_missed()) return 1;
    reply_cancel_last();
    if (f) f->off = off;
    return 0;
}
