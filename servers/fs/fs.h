/* The file-system core's interface, for the fs server's runtime, the host
 * tools (mkfs, fsck) and the host tests. Plain synchronous C that does its
 * block I/O only through bio.h.
 *
 * Files are named by inode numbers (FS_ROOT_INO is "/"). Paths are relative
 * to the cwd inode the caller passes, or absolute when they start with '/';
 * ".." of "/" is "/". A path component longer than DIRSIZ is -ENAMETOOLONG,
 * a component used as a directory that is not one is -ENOTDIR, a missing
 * one -ENOENT. Results are 0 (or a count) or a negative error from
 * pagoda/abi.h.
 *
 * Every call that changes the disk is one atomic transaction (fs_write of
 * more than FS_WRITE_CHUNK bytes is several, one per chunk, so a crash can
 * keep a prefix of a large write). Transactions are grouped: a call returns
 * when its changes are in the in-memory log; the group is committed (made
 * durable) by fs_sync, when the log fills up, or by fs_commit_due, which the
 * runtime calls periodically to bound the delay. An error leaves the disk as
 * it was before the call, except fs_write, which may return a short count
 * (the bytes written before the disk filled up).
 *
 * Not reentrant: at most one fs_* call at a time. */
#ifndef FS_FS_H
#define FS_FS_H

#include <stdint.h>
#include "pagoda/fs_proto.h"

#define FS_ROOT_INO    1
#define FS_WRITE_CHUNK (64 * 4096) /* bytes of fs_write per transaction */
/* Buffers one call pins at once besides the log (a commit's batch of 32
 * log copies included). */
#define FS_MAX_HELD 40
#define FS_MAX_OPEN 1024 /* distinct inodes fs_open_ref can track */

/* Check the superblock, replay a committed log, free orphaned inodes
 * (unlinked while open before a crash). 0, -EINVAL (not a Pagoda file
 * system, or bigger than the device) or -EIO. */
int fs_mount(void);

/* Path to inode: 0 and *ino, or -ENOENT/-ENOTDIR/-ENAMETOOLONG/-EIO. */
int fs_lookup(uint32_t cwd, const char *path, uint32_t *ino);

/* Create a T_FILE, a T_DIR (with "." and "..") or a T_DEVICE (major,
 * minor) at path. -EEXIST if the name exists (then *ino is the existing
 * inode); -ENOSPC if there is no free inode or block; -EINVAL for a last
 * component "." or ".." or a bad type. */
int fs_create(uint32_t cwd, const char *path, int type, int major, int minor, uint32_t *ino);

/* New name for an existing non-directory: -EEXIST, -EISDIR (old is a
 * directory), -ENOSPC, -ENOENT. */
int fs_link(uint32_t cwd, const char *oldpath, const char *newpath);

/* Remove a name of a non-directory (-EISDIR for a directory). The inode's
 * blocks are freed when its link count is 0 and no fs_open_ref is left. */
int fs_unlink(uint32_t cwd, const char *path);

/* Remove an empty directory: -ENOTEMPTY, -ENOTDIR, -EBUSY for "/",
 * -EINVAL for "." or "..". */
int fs_rmdir(uint32_t cwd, const char *path);

/* Rename within the file system. An existing target is replaced if it is
 * of the same kind (an empty directory for a directory): otherwise -EISDIR,
 * -ENOTDIR, -ENOTEMPTY. Moving a directory into itself is -EINVAL. */
int fs_rename(uint32_t cwd, const char *from, const char *to);

/* Read up to n bytes at off: bytes read (0 at or past the end) or -error.
 * A directory reads as its struct dirent records. -EINVAL for a device. */
long fs_read(uint32_t ino, uint64_t off, void *dst, uint64_t n);

/* Write n bytes at off (holes read as zeros): bytes written, possibly short
 * when the disk fills up, or -ENOSPC if nothing fit, -EFBIG past the
 * largest file, -EISDIR, -EINVAL for a device. */
long fs_write(uint32_t ino, uint64_t off, const void *src, uint64_t n);

/* Set the size: shrinking frees blocks, growing reads as zeros. -EISDIR,
 * -EFBIG, -EINVAL for a device. */
int fs_truncate(uint32_t ino, uint64_t size);

/* Metadata: 0 or -ENOENT (free inode), -EIO. */
int fs_stat(uint32_t ino, struct stat *st);

/* A device node's numbers: 0, or -EINVAL when ino is not a T_DEVICE. */
int fs_device(uint32_t ino, int *major, int *minor);

/* The first used entry at byte offset >= off of directory ino: returns the
 * offset just after it (> 0), 0 at the end, or -ENOTDIR/-EIO. */
long fs_readdir(uint32_t ino, uint64_t off, struct dirent *d);

/* An open file (or a cwd) holds its inode: delta +1 at open, -1 at close.
 * The last -1 on an inode with no links frees it. -ENFILE when more than
 * FS_MAX_OPEN distinct inodes are open, -EINVAL on an unbalanced -1. */
int fs_open_ref(uint32_t ino, int delta);

/* Commit the log and flush: everything before is durable on return. */
int fs_sync(void);

/* Commit the group if it holds anything (the periodic bounded-delay commit).
 * 0 or -EIO. */
int fs_commit_due(void);

/* Absolute path of directory ino (for getcwd): length, or -ERANGE-like
 * -ENAMETOOLONG when it does not fit in len bytes with its NUL, -ENOTDIR. */
int fs_getpath(uint32_t ino, char *buf, int len);

/* Blocks the log can hold: the cache must have room for these plus
 * FS_MAX_HELD pinned at once. Valid after fs_mount. */
uint32_t fs_log_capacity(void);

#endif
