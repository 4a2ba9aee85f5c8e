/* xv6's kernel/param.h: the limits user programs size their arrays by. */
#ifndef PAGODA_XV6_PARAM_H
#define PAGODA_XV6_PARAM_H

#define MAXARG  32  /* exec arguments a program should expect to pass */
#define MAXPATH 128 /* longest path a program should expect to pass */
#define NOFILE  16  /* open files per process (the fs server allows at least this) */

#endif
