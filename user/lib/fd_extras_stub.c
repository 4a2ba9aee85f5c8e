/* PLACEHOLDER until branch fs lands: the Pagoda extras of the file API fail
 * with ENOSYS. fs-server implements them in user/lib/fd.c; delete this file
 * on the merge. */
#include "user.h"
#include "sysret.h"

int fsync(int fd)
{
    (void)fd;
    return fail(ENOSYS);
}

int lseek(int fd, int offset, int whence)
{
    (void)fd, (void)offset, (void)whence;
    return fail(ENOSYS);
}

int rename(const char *from, const char *to)
{
    (void)from, (void)to;
    return fail(ENOSYS);
}

int rmdir(const char *path)
{
    (void)path;
    return fail(ENOSYS);
}

char *getcwd(char *buf, int len)
{
    (void)buf, (void)len;
    fail(ENOSYS);
    return 0;
}

int ftruncate(int fd, int length)
{
    (void)fd, (void)length;
    return fail(ENOSYS);
}

int sync(void)
{
    return fail(ENOSYS);
}
