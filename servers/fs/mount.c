/* Mounting and committing: fs_mount (superblock, log recovery, orphans)
 * and the calls that make the log durable. */
#include "core.h"
#include "fs.h"

int orphans_free(void)
{
    for (uint32_t ino = 1; ino < fs_sb.ninodes; ino++) {
        struct dinode di;
        int r = iread(ino, &di);
        if (r == -EIO) continue; /* damaged: leave it to fsck, mount anyway */
        if (r < 0) return r;
        if (di.type == 0 || di.nlink > 0) continue;
        r = log_begin(op_reserve());
        if (r < 0) return r;
        r = ifree(ino);
        log_end();
        if (r < 0) return r;
    }
    return log_commit();
}

int fs_mount(void)
{
    int r = super_read(&fs_sb);
    if (r < 0) return r;
    log_init(&fs_sb);
    r = log_recover();
    if (r < 0) return r;
    open_reset();
    return orphans_free();
}

uint32_t fs_log_capacity(void)
{
    return log_capacity();
}

int fs_sync(void)
{
    int r = log_commit();
    return r < 0 ? r : bflush();
}

int fs_commit_due(void)
{
    return log_commit();
}
