/* xv6's kernel/types.h for ported programs: Pagoda's user/lib/types.h. */
#include "../../lib/types.h"
