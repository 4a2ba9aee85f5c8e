/* vmprint: print this process's page table (user table, or with -k its
 * per-process kernel table) in the format of docs/pagetables.md. With -m it
 * first grows the heap across a 2 MiB-aligned range and touches it, so the
 * table shows a megapage. */
#include "user.h"
#include "pagoda/abi.h"

#define MEGA (2L * 1024 * 1024)

static void touch_megapage(void)
{
    char *brk = sbrk(0);
    long pad = (MEGA - (long)brk % MEGA) % MEGA;
    char *p = sbrk(pad + MEGA);
    if (p == (char *)-1) {
        perror("vmprint: sbrk");
        exit(1);
    }
    p[pad + 5] = 1; /* the whole aligned 2 MiB is heap: one megapage */
}

int main(int argc, char **argv)
{
    int which = VMPRINT_USER;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-k") == 0)
            which = VMPRINT_KERNEL;
        else if (strcmp(argv[i], "-m") == 0)
            touch_megapage();
        else {
            fprintf(2, "usage: vmprint [-k] [-m]\n");
            exit(2);
        }
    }
    if (vmprint(which) < 0) {
        perror("vmprint");
        exit(1);
    }
    exit(0);
}
