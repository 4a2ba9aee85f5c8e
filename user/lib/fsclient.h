/* The client side of the fs server's protocol (include/pagoda/fs_proto.h),
 * used by the fd calls in fd.c and fsfile.c. */
#ifndef PAGODA_USER_FSCLIENT_H
#define PAGODA_USER_FSCLIENT_H

#include "pagoda/fs_proto.h"

/* One request: the result (>= 0 or -error); out[0..2] get reply w[1..3].
 * -ENOENT if there is no fs server; -EPIPE if it died during the call (the
 * connection and the fd kinds are forgotten: a new server knows nothing). */
long fsc_call(long op, long a, long b, long c, long *out);
/* A request that shares npages at va with the server for its duration
 * (FS_READ_PAGES); as fsc_call otherwise. */
long fsc_share_call(long op, long a, void *va, long npages);
/* Connect if this process is not yet (after start, fork or exec): 0 or -error. */
int fsc_connect(void);
char *fsc_region(void); /* valid after fsc_connect */
long fsc_region_size(void);
/* A request whose w[1] is a path span (the path is copied into the region). */
long fsc_path_call(long op, const char *path, long b, long c, long *out);
/* A request with two paths (w[1], w[2]). */
long fsc_path2_call(long op, const char *p1, const char *p2);

/* What an fd refers to (FS_KIND_*), cached per process; -EBADF if not open.
 * Without a server, fds 0, 1, 2 are the console. */
int fsc_kind(int fd);
void fsc_set_kind(int fd, int kind);

#endif
