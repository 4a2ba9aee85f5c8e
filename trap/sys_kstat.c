/* kstat: the kernel's event counters (pagoda/kstat.h). Each hart counts in
 * its own struct cpu without a lock; this sums them and copies the sums out.
 * A hart may count while we add: the sums are a snapshot only to within the
 * events of that moment, which is all a before-and-after difference needs. */
#include "trap/syscall.h"
#include "mm/mm.h"

long sys_kstat(const uint64 *a)
{
    uint64 max = a[1];
    uint64 sum[KSTAT_N] = {0};
    for (int h = 0; h < NCPU; h++)
        for (int i = 0; i < KSTAT_N; i++)
            sum[i] += __atomic_load_n(&cpus[h].kstat[i], __ATOMIC_RELAXED);
    uint64 n = max < KSTAT_N ? max : KSTAT_N;
    if (n && copyout(a[0], sum, n * sizeof(uint64)) < 0) return -EFAULT;
    return KSTAT_N;
}
