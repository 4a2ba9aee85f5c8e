/* The file-system server's protocol and the definitions its clients share:
 * struct stat, struct dirent, open flags, seek origins, file types.
 * Included by the fs server, its client library and the xv6-style user
 * headers (user/lib/stat.h, user/lib/fcntl.h forward here).
 *
 * This first part holds only the shared definitions; the request codes and
 * their pack/unpack helpers are added by the server's runtime. */
#ifndef PAGODA_FS_PROTO_H
#define PAGODA_FS_PROTO_H

#define FS_NAME "fs" /* ep_lookup name of the server */

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
