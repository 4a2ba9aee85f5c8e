/* PLACEHOLDER until branch fs lands its protocol header (fs-server owns it):
 * the user-visible file-system definitions, as agreed. Replaced on merge. */
#ifndef PAGODA_FS_PROTO_H
#define PAGODA_FS_PROTO_H

#define T_DIR    1 /* directory */
#define T_FILE   2 /* regular file */
#define T_DEVICE 3 /* device node (the console) */

struct stat {
    int dev;            /* file system's disk device */
    unsigned int ino;   /* inode number */
    short type;         /* T_DIR, T_FILE or T_DEVICE */
    short nlink;        /* number of links to the file */
    unsigned long size; /* size in bytes */
};

#define DIRSIZ 60
struct dirent {
    unsigned int inum; /* 0: an empty slot */
    char name[DIRSIZ]; /* NUL-terminated when shorter than DIRSIZ */
};

#define O_RDONLY 0x000
#define O_WRONLY 0x001
#define O_RDWR   0x002
#define O_CREATE 0x200
#define O_TRUNC  0x400
#define O_APPEND 0x800

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define FS_NAME       "fs"
#define CONSOLE_MAJOR 1

#endif
