/* Internal interface between the file-system core's files (super, log,
 * balloc, inode, dir, path, fsops), also used by fsck and the host tests to
 * look at the structures directly. The server's runtime uses fs.h only. */
#ifndef FS_CORE_H
#define FS_CORE_H

#include <stdint.h>
#include "fs_format.h"
#include "fs.h"
#include "pagoda/abi.h"

/* The few C library calls the core needs: the host's, or the user library's. */
#if defined(__riscv)
#include "user.h"
#else
#include <string.h>
#endif

/* super.c: the mounted superblock. */
extern struct superblock fs_sb;
int super_read(struct superblock *sb); /* read and check block 0: 0, -EINVAL, -EIO */
int super_check(const struct superblock *sb, uint32_t dev_blocks); /* 0 or -EINVAL */

/* log.c: write-ahead log with group commit. */
void log_init(const struct superblock *sb);
int log_recover(void);             /* replay a committed group: 0, -EINVAL, -EIO */
int log_begin(uint32_t reserve);   /* start a transaction of at most reserve blocks */
void log_write(struct buf *b);     /* b (pinned by the caller) joins the transaction */
void log_end(void);                /* the transaction is complete (not yet durable) */
int log_commit(void);              /* make the group durable: 0 or -EIO */
uint32_t log_capacity(void);       /* blocks one group can hold */
uint32_t log_pending(void);        /* blocks in the uncommitted group */
uint32_t op_reserve(void);         /* reserve for a metadata call (may free a whole file) */
uint32_t write_chunk_blocks(void); /* data blocks per fs_write transaction */
int log_room(uint32_t n);          /* n more blocks fit in the open transaction's reserve */

/* balloc.c: the free-block bitmap. */
int balloc(uint32_t *bno);               /* mark a free data block used: 0, -ENOSPC, -EIO */
int bfree(uint32_t bno);                 /* 0, -EIO (not allocated or out of range) */
int bzero_new(uint32_t bno);             /* fill a block with zeros in the transaction */
int bitmap_get(uint32_t bno, int *used); /* 0 or -EIO */

/* inode.c: the inode table and a file's blocks. */
int iread(uint32_t ino, struct dinode *di);        /* 0, -EINVAL (bad number), -EIO */
int iwrite(uint32_t ino, const struct dinode *di); /* into the transaction */
int ialloc(int type, uint32_t *ino);               /* nlink 0, size 0: 0, -ENOSPC, -EIO */
int ifree(uint32_t ino);                           /* free blocks and inode */
/* Block number of file block bn; *out 0 for a hole unless alloc. With alloc,
 * *fresh says the block is new (its contents are undefined). */
int bmap(struct dinode *di, uint64_t bn, int alloc, uint32_t *out, int *fresh);
int itrunc(struct dinode *di, uint64_t size); /* caller writes di back */
long readi(const struct dinode *di, uint64_t off, void *dst, uint64_t n);
/* Write within one transaction; updates di->size; caller writes di back.
 * Stops early (a short count) when the transaction's reserve runs low. */
long writei(struct dinode *di, uint64_t off, const void *src, uint64_t n);

/* dir.c: directories. Names are at most DIRSIZ bytes, NUL-terminated here. */
int name_equal(const char *name, const char dname[DIRSIZ]);
int dir_lookup(uint32_t dir, const char *name, uint32_t *ino, uint64_t *off);
int dir_add(uint32_t dir, const char *name, uint32_t ino); /* 0, -ENOSPC, -EFBIG, -EIO */
int dir_set(uint32_t dir, uint64_t off, uint32_t ino);     /* ino 0 frees the slot */
int dir_isempty(uint32_t dir);                             /* 1, 0 or -EIO */
int dir_name_of(uint32_t dir, uint32_t ino, char *name);   /* entry naming ino (not . ..) */

/* path.c: path resolution. */
#define PATH_MAX_LEN 1024
int path_walk(uint32_t cwd, const char *path, uint32_t *ino);
/* The directory holding the last component and that component in name
 * (DIRSIZ + 1 bytes); name is "" for "/" (no last component). */
int path_parent(uint32_t cwd, const char *path, uint32_t *parent, char *name);
int is_dot_or_dotdot(const char *name);

/* openref.c: open references and orphans. */
int open_count(uint32_t ino);
void open_reset(void);            /* forget every reference (mount) */
int free_if_unused(uint32_t ino); /* free it if no link and no open reference */
/* mount.c: free inodes with no links and no open reference (after a crash). */
int orphans_free(void);

/* fsops.c */
int iload(uint32_t ino, struct dinode *di); /* iread of an allocated inode, else -ENOENT */

#endif
