/* The user/kernel ABI: system-call numbers and error codes.
 * Shared by the kernel and the user library; keep it free of kernel types. */
#ifndef PAGODA_ABI_H
#define PAGODA_ABI_H

/* ecall: number in a7, arguments in a0..a5, result in a0 (negative = -error).
 * The temporaries t0-t6 and a6 may come back zeroed (the IPC calls always
 * zero them); every other register comes back as it was, but for what a
 * call returns (IPC: a1..a5). */
#define SYS_fork         1
#define SYS_exit         2
#define SYS_wait         3 /* wait(int *status) -> pid */
#define SYS_kill         4 /* kill(pid) */
#define SYS_getpid       5
#define SYS_sbrk         6 /* sbrk(long delta) -> old break */
#define SYS_exec         7 /* exec(const void *elf, u64 len, char **argv) */
#define SYS_sleep        8 /* sleep(ticks) */
#define SYS_uptime       9 /* -> ticks since boot */
#define SYS_yield        10
#define SYS_cons_write   11 /* cons_write(buf, n) -> n */
#define SYS_cons_read    12 /* cons_read(buf, n) -> bytes of one line, 0 at end of input */
#define SYS_bootmod      13 /* bootmod(name, buf, len) -> module size; copies min(len,size) */
#define SYS_bootmod_name 14 /* bootmod_name(index, buf, len) -> 0, or -ENOENT past the end */
#define SYS_halt         15 /* halt(status): power off */
#define SYS_freepages    16 /* -> free physical pages */
#define SYS_procinfo     17 /* procinfo(index, struct procinfo *) -> 0, -ENOENT past the end */
#define SYS_pgaccess     18
#define SYS_vmprint      19
/* IPC (docs/ipc.md). Handles are small per-process numbers for endpoints. */
#define SYS_ep_create   20 /* -> handle of a new endpoint owned by the caller */
#define SYS_ep_register 21 /* (h, name): publish an endpoint the caller owns */
#define SYS_ep_lookup   22 /* (name) -> handle */
#define SYS_ep_close    23 /* (h) */
#define SYS_ipc_call    24 /* (h, w1..w4) -> a0 status, a1..a4 reply words */
#define SYS_ipc_share                                                                              \
    25                        /* (h, va, npages, w1, w2): a call that also maps the                \
                                 caller's shared pages [va, va+npages*4096) into the server */
#define SYS_ipc_recv       26 /* (h) -> message (below) */
#define SYS_ipc_reply      27 /* (pid, w1..w4) */
#define SYS_ipc_reply_recv 28 /* (h, pid, w1..w4): reply, then wait for the next message */
#define SYS_ipc_notify     29 /* (h, bits): OR bits into the endpoint, never blocks */
#define SYS_ev_subscribe   30 /* (h, kinds): receive kernel events on h (privileged); kinds below */
#define SYS_shm_alloc      31 /* (npages) -> va of zeroed pages that can be shared */
#define SYS_shm_free       32 /* (va, npages) */
#define SYS_spawn                                                                                  \
    33                   /* (name, argv) -> pid: start a boot-image program with                   \
                            device rights (privileged) */
#define SYS_dev_map   34 /* (pa, bytes) -> va of a device's registers (privileged) */
#define SYS_dma_alloc 35 /* (npages) -> va of zeroed shareable pages (privileged) */
#define SYS_va2pa     36 /* (va) -> physical address, for DMA (privileged) */
#define SYS_irq_bind  37 /* (irq, h): the interrupt becomes a notify on h (privileged) */
#define SYS_irq_ack   38 /* (irq): unmask it again (privileged) */
/* Checking the kernel (docs/security.md) */
#define SYS_uprobe    40 /* (va, n, how) -> 0 (UPROBE_STR: length) or -EFAULT */
#define SYS_selfcheck 41 /* () -> 0, or the number of broken invariants */
#define SYS_faultinject                                                                            \
    42 /* (on): page allocations for us and our children fail now                                  \
          and then (boot with failpages=N); -ENOSYS without it */

#define SYS_dev_list     48 /* (struct devinfo *out, max) -> devices there are; fills min(max, n) */
#define SYS_procinfo_pid 49 /* (pid, struct procinfo *) -> 0, or -ESRCH: no such process */
/* The kernel event trace (docs/tracing.md, pagoda/trace.h) */
#define SYS_trace_ctl 50 /* (how): TRACE_ON/OFF/QUERY/DROP -> was it on */
#define SYS_trace_read                                                                             \
    51                    /* (hart, struct trace_event *buf, max) -> events copied, oldest         \
                             first, emptying that hart's ring; -EINVAL past the last hart */
#define SYS_trace_mark 52 /* (a0, a1): an event of kind TR_MARK, when tracing is on */
/* The system call of the syscall lab (docs/labs/syscall.md) */
#define SYS_sysinfo 53 /* (struct sysinfo *out) -> 0 */
/* The kernel's event counters (pagoda/kstat.h, docs/experiments.md) */
#define SYS_kstat     54 /* (unsigned long *out, max) -> KSTAT_N; fills min(max, KSTAT_N) sums */
#define SYS_cons_mode 64 /* (mode): CONS_COOKED or CONS_RAW -> the old mode */
#define NSYSCALL      65 /* one more than the highest number */

#define UPROBE_READ  0
#define UPROBE_WRITE 1
#define UPROBE_STR   2 /* a string of at most n bytes with its terminator */

/* What ipc_recv returns: a0 = the caller's pid, a1..a4 = its words, a5 = where
 * the pages of an ipc_share landed in the receiver (0 if none). An
 * ipc_share(h, va, npages, w1, w2) arrives as the words {w1, w2, npages, 0}
 * (trap/sys_ipc.c: sys_ipc_share is the one place that arranges them).
 * a0 = 0 is a message from the kernel, a1 its kind: */
#define IPC_KERNEL_NOTIFY 1 /* a2 = the notify bits */
#define IPC_KERNEL_FORK   2 /* a2 = new pid, a3 = its parent */
#define IPC_KERNEL_EXIT   3 /* a2 = pid that exited */
#define IPC_NAME_LEN      16
/* ev_subscribe kinds. ALL: every fork and exit, none ever lost. CLIENT_EXITS:
 * the exits of processes that have shared pages with it (ipc_share); an exit of pid 0
 * means some were lost (queue full): check your clients yourself. */
#define IPC_EV_ALL          0
#define IPC_EV_CLIENT_EXITS 1

/* Console input modes. Cooked (the default): the kernel edits a line (echo,
 * backspace, ^U, ^D) and cons_read returns one line. Raw: no echo, no
 * editing; cons_read returns whatever bytes have arrived (at least one), so a
 * program (sh) can edit the line itself and see arrow keys. */
#define CONS_COOKED 0
#define CONS_RAW    1

#define TICK_HZ 100 /* sleep/uptime unit: 10 ms */

/* Error codes, returned negated. The numbers follow the usual Unix ones. */
#define EPERM   1
#define ENOENT  2
#define ESRCH   3
#define EINTR   4
#define EIO     5
#define E2BIG   7
#define ENOEXEC 8
#define EBADF   9 /* not a handle */
#define ECHILD  10
#define EAGAIN  11
#define ENOMEM  12
#define EFAULT  14
#define EBUSY   16
#define EEXIST  17
#define EINVAL  22
#define EPIPE   32 /* the server is gone */
#define ENOSYS  38
/* File-system errors (servers/fs). */
#define EXDEV        18  /* rename across file systems */
#define ENOTDIR      20  /* a path component is not a directory */
#define EISDIR       21  /* a directory where a file is required */
#define ENFILE       23  /* the server's open-file table is full */
#define EMFILE       24  /* the process's fd table is full */
#define EFBIG        27  /* file larger than the format allows */
#define ENOSPC       28  /* no free block or no free inode */
#define ESPIPE       29  /* seek on a pipe or device */
#define ENAMETOOLONG 36  /* a path component longer than DIRSIZ */
#define ENOTEMPTY    39  /* rmdir of a directory with entries */
#define ENOTCONN     107 /* fs call that needs FS_CONNECT first */

/* pgaccess(va, npages, mask): bit i of mask = page va + i*4096 was accessed
 * since the last call; at most PGACCESS_MAX pages; mask gets ceil(npages/8)
 * bytes. vmprint(which): VMPRINT_USER or VMPRINT_KERNEL table of the caller. */
#define PGACCESS_MAX   64
#define VMPRINT_USER   0
#define VMPRINT_KERNEL 1

/* sysinfo: a snapshot of the whole machine. */
struct sysinfo {
    unsigned long freemem; /* bytes of free physical memory */
    unsigned long nproc;   /* process slots in use (any state) */
};

#define PROC_NAME_LEN 16
struct procinfo {
    int pid;
    int ppid;
    int state; /* PS_* below */
    int pad;
    unsigned long size; /* bytes of user memory */
    char name[PROC_NAME_LEN];
};
#define PS_RUNNABLE 1
#define PS_RUNNING  2
#define PS_SLEEPING 3
#define PS_ZOMBIE   4

/* dev_list: the devices a user-space driver may map (dev_map) and take
 * interrupts from (irq_bind), as the kernel found them in the device tree. */
#define DEV_VIRTIO_MMIO 1 /* registers as in pagoda/virtio.h */
#define DEV_MAX         8 /* dev_list never reports more */
struct devinfo {
    unsigned long base; /* physical address of the registers */
    unsigned long size; /* bytes of registers */
    unsigned int irq;   /* its PLIC interrupt source */
    unsigned int kind;  /* DEV_* */
};

#endif
