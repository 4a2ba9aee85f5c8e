/* Turn a raw kernel result into the xv6 convention used by user.h. */
#ifndef PAGODA_USER_SYSRET_H
#define PAGODA_USER_SYSRET_H

extern int errno;

/* Negative results are -errno: record the code and return -1. */
static inline int sysret(long r)
{
    if (r < 0) {
        errno = (int)-r;
        return -1;
    }
    return (int)r;
}

/* For calls that fail without asking the kernel. */
static inline int fail(int code)
{
    errno = code;
    return -1;
}

#endif
