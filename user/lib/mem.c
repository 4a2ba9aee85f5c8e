/* xv6-style calls about the process's memory. */
#include "user.h"
#include "syscall.h"
#include "sysret.h"
#include "pagoda/abi.h"

char *sbrk(int delta)
{
    long r = sys_sbrk(delta);
    if (r < 0) {
        errno = (int)-r;
        return (char *)-1;
    }
    return (char *)r;
}

int freepages(void)
{
    return sysret(sys_freepages());
}

int sysinfo(struct sysinfo *info)
{
    return sysret(sys_sysinfo(info));
}

/* The kernel writes ceil(npages/8) bytes of mask, so xv6 lab code passing an
 * unsigned int for up to 32 pages is not overrun. */
int pgaccess(void *base, int npages, void *mask)
{
    return sysret(sys_pgaccess(base, npages, mask));
}

int vmprint(int which)
{
    printf_flush(); /* the kernel prints straight to the console */
    return sysret(sys_vmprint(which));
}
