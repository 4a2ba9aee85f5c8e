/* The user/kernel ABI: system-call numbers and error codes.
 * Shared by the kernel and the user library; keep it free of kernel types. */
#ifndef PAGODA_ABI_H
#define PAGODA_ABI_H

/* ecall: number in a7, arguments in a0..a5, result in a0 (negative = -error). */
#define SYS_fork       1
#define SYS_exit       2
#define SYS_wait       3  /* wait(int *status) -> pid */
#define SYS_kill       4  /* kill(pid) */
#define SYS_getpid     5
#define SYS_sbrk       6  /* sbrk(long delta) -> old break */
#define SYS_exec       7  /* exec(const void *elf, u64 len, char **argv) */
#define SYS_sleep      8  /* sleep(ticks) */
#define SYS_uptime     9  /* -> ticks since boot */
#define SYS_yield      10
#define SYS_cons_write 11 /* cons_write(buf, n) -> n */
#define SYS_cons_read  12 /* cons_read(buf, n) -> bytes of one line, 0 at end of input */
#define SYS_bootmod    13 /* bootmod(name, buf, len) -> module size; copies min(len,size) */
#define SYS_bootmod_name 14 /* bootmod_name(index, buf, len) -> 0, or -ENOENT past the end */
#define SYS_halt       15 /* halt(status): power off */
#define SYS_freepages  16 /* -> free physical pages */
#define SYS_procinfo   17 /* procinfo(index, struct procinfo *) -> 0, -ENOENT past the end */
#define SYS_pgaccess   18
#define SYS_vmprint    19
#define NSYSCALL       32

#define TICK_HZ 100 /* sleep/uptime unit: 10 ms */

/* Error codes, returned negated. The numbers follow the usual Unix ones. */
#define EPERM   1
#define ENOENT  2
#define ESRCH   3
#define EINTR   4
#define EIO     5
#define E2BIG   7
#define ENOEXEC 8
#define ECHILD  10
#define EAGAIN  11
#define ENOMEM  12
#define EFAULT  14
#define EBUSY   16
#define EEXIST  17
#define EINVAL  22
#define ENOSYS  38

/* The USYSCALL page: read-only in user mode at this address in every
 * process, so ugetpid() needs no trap. */
#define USYSCALL_VA 0x3FFFFFD000UL
struct usyscall {
    int pid;
    int ppid; /* changes when the parent exits and init adopts the process */
};

/* pgaccess(va, npages, mask): bit i of mask = page va + i*4096 was accessed
 * since the last call; at most PGACCESS_MAX pages; mask gets ceil(npages/8)
 * bytes. vmprint(which): VMPRINT_USER or VMPRINT_KERNEL table of the caller. */
#define PGACCESS_MAX   64
#define VMPRINT_USER   0
#define VMPRINT_KERNEL 1

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

#endif
