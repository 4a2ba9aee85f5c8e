/* xv6's user/user.h for ported programs: Pagoda's user library API. */
#include "../../lib/user.h"
