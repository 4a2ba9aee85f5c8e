/* xv6's kernel/stat.h for ported programs: Pagoda's user/lib/stat.h. */
#include "../../lib/stat.h"
