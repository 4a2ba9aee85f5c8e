/* Reading the kernel's event counters (pagoda/kstat.h) and naming them: the
 * names and meanings come from the one list in pagoda/kstat.h, so the kernel,
 * stat and bench cannot disagree about which number is which. */
#include "kstat.h"
#include "syscall.h"
#include "sysret.h"

#define KSTAT_NAME(name, what) #name,
#define KSTAT_WHAT(name, what) what,
const char *const kstat_name[KSTAT_N] = {KSTAT_LIST(KSTAT_NAME)};
const char *const kstat_what[KSTAT_N] = {KSTAT_LIST(KSTAT_WHAT)};

int kstat_read(struct kstat *k)
{
    long r = sys_kstat(k->n, KSTAT_N);
    return r < 0 ? sysret(r) : 0;
}

void kstat_diff(struct kstat *d, const struct kstat *after, const struct kstat *before)
{
    for (int i = 0; i < KSTAT_N; i++) d->n[i] = after->n[i] - before->n[i];
}
