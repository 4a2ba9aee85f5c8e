/* open() flags (O_RDONLY ... O_APPEND, xv6's values) and lseek's SEEK_*: they
 * belong to the fs server's protocol, include/pagoda/fs_proto.h. */
#ifndef PAGODA_USER_FCNTL_H
#define PAGODA_USER_FCNTL_H

#include "pagoda/fs_proto.h"

#endif
