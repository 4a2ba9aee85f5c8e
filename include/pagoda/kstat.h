/* The kernel's event counters (docs/experiments.md), as user space and the
 * kernel both name them. Each hart counts into its own array without a lock;
 * the kstat system call sums the harts and copies the sums out, one unsigned
 * long per counter, in the order of KSTAT_LIST. The `stat` program prints
 * them and `bench` prints how much each moved during a loop. */
#ifndef PAGODA_KSTAT_H
#define PAGODA_KSTAT_H

/* X(name, what it counts): one line per counter. Add new ones at the end, so
 * that a program built against an older list still reads the first ones. */
#define KSTAT_LIST(X)                                                                              \
    X(pt_alloc, "page-table pages allocated (roots, splits and inner tables)")                     \
    X(pt_free, "page-table pages freed")                                                           \
    X(satp_write, "satp writes, each with its sfence.vma (trap entry and exit, switch, exec)")     \
    X(sfence_local, "sfence.vma on their own: after a PTE change (and after exec's satp write)")   \
    X(sfence_remote, "remote TLB shootdowns asked of SBI (other harts)")                           \
    X(fault_lazy, "page faults: first touch of a heap page (4 KiB)")                               \
    X(fault_mega, "page faults: first touch mapped a 2 MiB megapage")                              \
    X(fault_cow, "page faults: write to a copy-on-write page")                                     \
    X(fault_bad, "page faults refused (bad address or access: kill or -EFAULT)")                   \
    X(ipc_fast, "IPC calls through the fast path (proc/ipc_fast.c)")                               \
    X(ipc_slow, "IPC calls through the general path (proc/ipc.c)")                                 \
    X(ctx_switch, "context switches (swtch: process to process or idle loop)")                     \
    X(timer_tick, "timer interrupts (every hart)")

#define KSTAT_ENUM(name, what) KSTAT_##name,
enum kstat_id { KSTAT_LIST(KSTAT_ENUM) KSTAT_N };
#undef KSTAT_ENUM

#endif
