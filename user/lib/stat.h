/* File metadata as returned by fstat()/stat(), laid out like xv6's: the
 * definitions are the fs server's (include/pagoda/fs_proto.h). */
#ifndef PAGODA_USER_STAT_H
#define PAGODA_USER_STAT_H

#include "types.h"
#include "pagoda/fs_proto.h"

#endif
