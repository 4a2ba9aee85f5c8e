/* xv6's kernel/fcntl.h for ported programs: Pagoda's user/lib/fcntl.h. */
#include "../../lib/fcntl.h"
