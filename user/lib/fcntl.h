/* open() flags, with xv6's values (include/pagoda/fs_proto.h). */
#ifndef PAGODA_USER_FCNTL_H
#define PAGODA_USER_FCNTL_H

#include "pagoda/fs_proto.h"

#endif
