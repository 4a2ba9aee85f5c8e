/* Open references and orphans: an inode that some open file (or cwd)
 * still holds is not freed when its last name goes; the last fs_open_ref
 * -1 frees it, and fs_mount frees those a crash left behind (no links, on
 * disk, nobody holding them any more). */
#include "core.h"
#include "fs.h"

/* ------------------------------------------------------------ open references */

/* Open counts by inode number: open addressing with linear probing, at
 * most half full, so an open or close costs a probe or two. */
#define OPEN_SLOTS (2 * FS_MAX_OPEN) /* a power of two */
static struct {
    uint32_t ino; /* 0: empty */
    uint32_t count;
} opens[OPEN_SLOTS];
static int nopen;

static uint32_t open_slot(uint32_t ino)
{
    uint32_t h = (ino * 2654435761u) & (OPEN_SLOTS - 1);
    while (opens[h].ino && opens[h].ino != ino) h = (h + 1) & (OPEN_SLOTS - 1);
    return h;
}

/* Remove slot h, moving later entries of its probe run back into the gap. */
static void open_remove(uint32_t h)
{
    opens[h].ino = 0;
    nopen--;
    for (uint32_t j = (h + 1) & (OPEN_SLOTS - 1); opens[j].ino; j = (j + 1) & (OPEN_SLOTS - 1)) {
        uint32_t home = (opens[j].ino * 2654435761u) & (OPEN_SLOTS - 1);
        /* can the entry at j move to the gap at h? (is h between home and j, cyclically) */
        if (((j - home) & (OPEN_SLOTS - 1)) >= ((j - h) & (OPEN_SLOTS - 1))) {
            opens[h] = opens[j];
            opens[j].ino = 0;
            h = j;
        }
    }
}

void open_reset(void)
{
    memset(opens, 0, sizeof(opens));
    nopen = 0;
}

int open_count(uint32_t ino)
{
    uint32_t h = open_slot(ino);
    return opens[h].ino ? (int)opens[h].count : 0;
}

/* Free ino if nothing names it and nothing holds it open. Inside a transaction. */
int free_if_unused(uint32_t ino)
{
    struct dinode di;
    int r = iread(ino, &di);
    if (r < 0) return r;
    if (di.type == 0 || di.nlink > 0 || open_count(ino) > 0) return 0;
    return ifree(ino);
}

int fs_open_ref(uint32_t ino, int delta)
{
    if (ino == 0) return -EINVAL;
    uint32_t h = open_slot(ino);
    if (delta > 0) {
        if (!opens[h].ino) {
            if (nopen >= FS_MAX_OPEN) return -ENFILE;
            opens[h].ino = ino;
            opens[h].count = 0;
            nopen++;
        }
        opens[h].count += (uint32_t)delta;
        return 0;
    }
    if (delta == 0) return 0;
    if (!opens[h].ino || opens[h].count < (uint32_t)-delta) return -EINVAL;
    opens[h].count -= (uint32_t)-delta;
    if (opens[h].count > 0) return 0;
    open_remove(h);
    int r = log_begin(op_reserve());
    if (r < 0) return r;
    r = free_if_unused(ino);
    log_end();
    return r;
}
