/* File metadata as returned by fstat()/stat(), laid out like xv6's. */
#ifndef PAGODA_USER_STAT_H
#define PAGODA_USER_STAT_H

#include "types.h"

#define T_DIR    1 /* directory */
#define T_FILE   2 /* regular file */
#define T_DEVICE 3 /* device node (the console) */

struct stat {
    int dev;     /* file system's disk device */
    uint ino;    /* inode number */
    short type;  /* T_DIR, T_FILE or T_DEVICE */
    short nlink; /* number of links to the file */
    uint64 size; /* size in bytes */
};

#endif
