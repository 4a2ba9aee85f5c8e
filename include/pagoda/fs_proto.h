/* The file-system server's protocol and the definitions its clients share:
 * struct stat, struct dirent, open flags, seek origins, file types.
 * Included by the fs server, its client library and the xv6-style user
 * headers (user/lib/stat.h, user/lib/fcntl.h forward here).
 *
 * Connection. A process first hands the server a region of its shared pages:
 *     ipc_share(h, va, npages, FS_CONNECT, 0, reply)   1 <= npages <= FS_REGION_PAGES
 *     reply w[0] = 0, w[1] = region bytes; or -EINVAL (npages), -EBUSY (FS_MAX_CLIENTS)
 * once per process (again replaces the region; a child after fork and a
 * program after exec connect again, as shared pages do not survive those).
 * Data, paths and struct stat travel in the region; messages carry only
 * numbers. A region reference is a byte offset and a length, checked to lie
 * inside the caller's region; a path is a span (offset, length incl. NUL,
 * packed by fs_span()) that must end with its only NUL and be at most
 * FS_PATH_MAX bytes.
 *
 * Requests (ipc_call, w[0] = op); reply w[0] = result >= 0 or -error.
 *   op            w[1]          w[2]           w[3]      result
 *   FS_OPEN       path span     flags (O_*)    -         fd, w[1] = its FS_KIND_*
 *   FS_READ       fd            region offset  n         bytes (0: end of file / EOF of a pipe)
 *   FS_WRITE      fd            region offset  n         bytes
 *   FS_LSEEK      fd            offset         whence    new offset
 *   FS_CLOSE      fd            -              -         0
 *   FS_DUP        fd            -              -         new fd (lowest free)
 *   FS_FSTAT      fd            region offset  -         0, struct stat written there
 *   FS_STAT       path span     region offset  -         0, struct stat written there
 *   FS_LINK       old span      new span       -         0
 *   FS_UNLINK     path span     -              -         0
 *   FS_MKDIR      path span     -              -         0
 *   FS_MKNOD      path span     major          minor     0
 *   FS_RMDIR      path span     -              -         0
 *   FS_RENAME     from span     to span        -         0
 *   FS_CHDIR      path span     -              -         0
 *   FS_GETCWD     region offset length         -         length of the path (without NUL)
 *   FS_TRUNCATE   path span     size           -         0
 *   FS_FTRUNCATE  fd            size           -         0
 *   FS_FSYNC      fd            -              -         0 (everything is durable)
 *   FS_SYNC       -             -              -         0 (everything is durable)
 *   FS_PIPE       -             -              -         0, w[1] = read fd, w[2] = write fd
 *   FS_FDINFO     fd            -              -         FS_KIND_* of the open file
 *   FS_DISCONNECT -             -              -         0 (the region is unmapped)
 * One more request comes with pages of its own (exec's: docs/fs.md):
 *     ipc_share(h, va, npages, FS_READ_PAGES, fd, reply)
 *     reads up to npages * 4096 bytes of a regular file from fd's offset
 *     into those pages, unmaps them from the server, then replies w[0] =
 *     bytes read (the offset moves on), or -EBADF, -EINVAL (not a file),
 *     -EBUSY (the server knows too many processes), -EIO, or -ENOMEM when
 *     it would hold more than FS_READ_PAGES_MAX such pages at once (read()
 *     instead), so that such requests never crowd out other clients'
 *     regions in its part of the address space.
 * FS_OPEN, READ, WRITE, FSTAT, STAT, GETCWD and every call with a path
 * need the connection (-ENOTCONN without); CLOSE, DUP, LSEEK, PIPE, FDINFO,
 * FSYNC, SYNC, FTRUNCATE carry no region reference and work without one.
 * FSTAT of a pipe gives type 0; of a console fd the process never opened
 * by path (fds 0-2 it was born with), T_DEVICE with inode 0.
 *
 * Errors (every one goes to the caller only; the server and other clients
 * go on):
 *   -ENOTCONN  not connected and the call needs the region
 *   -EFAULT    a region reference or span outside the region
 *   -EINVAL    bad op, flags, whence, negative length or offset, a path
 *              without its NUL, FS_READ on a console fd (read it yourself)
 *   -ENAMETOOLONG  a path longer than FS_PATH_MAX or a component > DIRSIZ
 *   -EBADF     fd not open in the caller's table, or not open for that
 *   -EMFILE    the caller's table is full (FS_NFD)
 *   -ENFILE    the server's open-file or pipe table is full
 *   -ENOENT, -ENOTDIR, -EISDIR, -EEXIST, -ENOTEMPTY, -ENOSPC, -EFBIG,
 *   -EBUSY, -EIO from the file system (servers/fs/fs.h)
 *   -ESPIPE    lseek on a pipe or the console
 *   -EPIPE     write to a pipe without readers; also what ipc_call returns
 *              when the server died with the call in flight
 *
 * Blocking: FS_READ of an empty pipe and FS_WRITE to a full one are
 * answered later (deferred replies); the server serves everyone else
 * meanwhile. A pipe write returns when all n bytes are in the pipe (or
 * -EPIPE / the count so far when the last reader closes); a pipe read
 * returns what is there (at least 1 byte) or 0 when no writer is left.
 *
 * The console (/console, T_DEVICE, major CONSOLE_MAJOR): an open file of
 * kind FS_KIND_CONSOLE. The client library reads and writes it with the
 * kernel's console calls itself (FS_WRITE on it also works); the server keeps
 * it in the fd tables so that dup, redirection and fork behave as in Unix.
 *
 * Processes: the server tracks fork (the child gets a copy of the parent's
 * table; open files and their offsets are shared) and exit (all fds closed)
 * through kernel events. A process the server has not seen fork starts with
 * fds 0, 1, 2 on the console and cwd "/". */
#ifndef PAGODA_FS_PROTO_H
#define PAGODA_FS_PROTO_H

#define FS_NAME "fs" /* ep_lookup name of the server */

/* Requests (w[0]) */
#define FS_CONNECT    1
#define FS_OPEN       2
#define FS_READ       3
#define FS_WRITE      4
#define FS_LSEEK      5
#define FS_CLOSE      6
#define FS_DUP        7
#define FS_FSTAT      8
#define FS_STAT       9
#define FS_LINK       10
#define FS_UNLINK     11
#define FS_MKDIR      12
#define FS_MKNOD      13
#define FS_RMDIR      14
#define FS_RENAME     15
#define FS_CHDIR      16
#define FS_GETCWD     17
#define FS_TRUNCATE   18
#define FS_FTRUNCATE  19
#define FS_FSYNC      20
#define FS_SYNC       21
#define FS_PIPE       22
#define FS_FDINFO     23
#define FS_DISCONNECT 24
#define FS_READ_PAGES 25 /* with ipc_share only */
#define FS_NOPS       26

/* Limits */
#define FS_NFD          32  /* fds per process */
#define FS_PATH_MAX     512 /* bytes of a path, NUL included */
#define FS_REGION_PAGES 16  /* largest region: a read or write moves at most this */
/* FS_READ_PAGES pages the server holds at once, all clients together: 8 MiB */
#define FS_READ_PAGES_MAX 2048
#define FS_MAX_CLIENTS    64 /* processes known to the server at once */

/* FS_FDINFO results: what an fd refers to. */
#define FS_KIND_FILE    1
#define FS_KIND_DIR     2
#define FS_KIND_CONSOLE 3
#define FS_KIND_PIPE_R  4
#define FS_KIND_PIPE_W  5

/* A span in the region: byte offset and length, in one message word. */
static inline long fs_span(unsigned int off, unsigned int len)
{
    return (long)(((unsigned long)len << 32) | off);
}
static inline unsigned int fs_span_off(long w)
{
    return (unsigned int)((unsigned long)w & 0xffffffffUL);
}
static inline unsigned int fs_span_len(long w)
{
    return (unsigned int)((unsigned long)w >> 32);
}

/* A request: the four words of an ipc_call. */
struct fs_req {
    long w[4];
};
static inline struct fs_req fs_req(long op, long a, long b, long c)
{
    return (struct fs_req){{op, a, b, c}};
}

/* File types (struct stat.type, the on-disk inode's type). */
#define T_DIR    1 /* directory */
#define T_FILE   2 /* regular file */
#define T_DEVICE 3 /* device node: major/minor name a device */

#define CONSOLE_MAJOR 1 /* the console device node's major number */

/* File metadata, laid out like xv6's so its programs compile unchanged. */
struct stat {
    int dev;            /* file system's device (always 1 for the disk) */
    unsigned int ino;   /* inode number */
    short type;         /* T_DIR, T_FILE or T_DEVICE */
    short nlink;        /* number of directory entries naming it */
    unsigned long size; /* size in bytes */
};

/* One directory record: read() on a directory returns an array of these,
 * exactly as they are on disk. inum 0 is an empty slot; name is NUL-padded
 * and NOT terminated when it is exactly DIRSIZ bytes long. */
#define DIRSIZ 60
struct dirent {
    unsigned int inum;
    char name[DIRSIZ];
};
_Static_assert(sizeof(struct dirent) == 64, "a directory record is 64 bytes");

/* open() flags (xv6 values, plus append). */
#define O_RDONLY 0x000
#define O_WRONLY 0x001
#define O_RDWR   0x002
#define O_CREATE 0x200
#define O_TRUNC  0x400
#define O_APPEND 0x800

/* lseek() origins. */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#endif
