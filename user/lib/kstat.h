/* The kernel's event counters from user space (pagoda/kstat.h): read them
 * all at once, and their names and meanings, for stat, bench and the tests. */
#ifndef PAGODA_USER_KSTAT_H
#define PAGODA_USER_KSTAT_H

#include "pagoda/kstat.h"

struct kstat {
    unsigned long n[KSTAT_N]; /* indexed by KSTAT_* */
};

int kstat_read(struct kstat *k);              /* 0, or -1 with errno (a kernel without the call) */
extern const char *const kstat_name[KSTAT_N]; /* "satp_write" ... */
extern const char *const kstat_what[KSTAT_N]; /* one line saying what it counts */
/* d = after - before, counter by counter. */
void kstat_diff(struct kstat *d, const struct kstat *after, const struct kstat *before);

#endif
