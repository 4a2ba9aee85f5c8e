/* A small client library for the disk server (protocol: include/pagoda/disk_proto.h).
 *
 *     if (disk_open(16) < 0) ...          connect with a 16-page buffer region
 *     char *p = disk_buffer(3);           page 3 of it
 *     disk_read(100, 3);                  block 100 -> page 3
 *     disk_write(101, 3);                 page 3 -> block 101
 *
 * Every call returns 0 (disk_blocks: the capacity) or a negative error code
 * (include/pagoda/abi.h), like the IPC calls in ipc.h; disk_buffer returns NULL when
 * not open or the index is out of range. One connection per process: after
 * fork the child is not connected (the buffer region is not copied) and
 * must call disk_open itself. */
#ifndef PAGODA_USER_DISK_H
#define PAGODA_USER_DISK_H

#include "pagoda/disk_proto.h"

int disk_open(long npages);            /* look up "disk", allocate the region, connect */
int disk_close(void);                  /* disconnect and free the region */
long disk_blocks(void);                /* capacity in 4 KiB blocks */
int disk_read(long block, long page);  /* one block into page `page` of the region */
int disk_write(long block, long page); /* page `page` to one block */
/* n consecutive blocks to/from n consecutive pages, all in flight at once;
 * 1 <= n <= DISK_MAX_NBLOCKS. */
int disk_readn(long block, long page, long n);
int disk_writen(long block, long page, long n);
int disk_flush(void);         /* make completed writes durable */
void *disk_buffer(long page); /* page `page` of the region */
long disk_npages(void);       /* pages in the region, 0 when not open */

#endif
