/* xv6's kernel/fs.h, as far as user programs use it: DIRSIZ and struct dirent
 * (the records read() returns on a directory), from the fs protocol. */
#include "../../lib/stat.h"
