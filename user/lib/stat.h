/* File metadata as fstat()/stat() return it, laid out like xv6's, and the
 * directory records read() returns on a directory: the definitions are the fs
 * server's protocol (include/pagoda/fs_proto.h); this header forwards them. */
#ifndef PAGODA_USER_STAT_H
#define PAGODA_USER_STAT_H

#include "types.h"
#include "pagoda/fs_proto.h"

#endif
