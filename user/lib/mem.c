/* xv6-style calls about the process's memory. */
#include "user.h"
#include "syscall.h"
#include "sysret.h"

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

int pgaccess(void *base, int npages, void *mask)
{
    if (npages < 0 || npages > 64) return fail(EINVAL);
    unsigned long bits = 0;
    long r = sys_pgaccess(base, npages, &bits);
    if (r < 0) return sysret(r);
    /* Copy only the bytes the caller asked for, so that xv6 lab code passing
     * an unsigned int for up to 32 pages is not overrun (little-endian). */
    memcpy(mask, &bits, (uint)(npages + 7) / 8);
    return 0;
}

int vmprint(int which)
{
    printf_flush(); /* the kernel prints straight to the console */
    return sysret(sys_vmprint(which));
}
