/* Raw system calls: one typed wrapper per call in include/pagoda/abi.h.
 * Each returns the kernel's result unchanged (negative = -errno); the xv6-style
 * API in user.h turns that into -1 plus errno. */
#ifndef PAGODA_USER_SYSCALL_H
#define PAGODA_USER_SYSCALL_H

#include "pagoda/abi.h"

/* The one ecall: number n, six arguments, and all six argument registers as
 * they come back (IPC returns words in a1..a5; other calls only a0). The
 * temporaries t0-t6 and a6 may come back zeroed (pagoda/abi.h). */
#define ECALL_CLOBBERS "memory", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a6"
struct regs {
    long a0, a1, a2, a3, a4, a5;
};

static inline struct regs ecall6(long n, long i0, long i1, long i2, long i3, long i4, long i5)
{
    register long a0 __asm__("a0") = i0;
    register long a1 __asm__("a1") = i1;
    register long a2 __asm__("a2") = i2;
    register long a3 __asm__("a3") = i3;
    register long a4 __asm__("a4") = i4;
    register long a5 __asm__("a5") = i5;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5)
                     : "r"(a7)
                     : ECALL_CLOBBERS);
    return (struct regs){a0, a1, a2, a3, a4, a5};
}

/* ecall with number n and up to six arguments; unused ones may be 0. */
long sys_call6(long n, long a0, long a1, long a2, long a3, long a4, long a5);

long sys_fork(void);
/* Changes in the child at each fork() (user/lib/proc.c): a connection to a
 * server made under another value belongs to the parent. (Not ugetpid():
 * the library must work in a usyscall-lab tree without the USYSCALL page.) */
extern unsigned ulib_fork_gen;
__attribute__((noreturn)) void sys_exit(int status);
long sys_wait(int *status);
long sys_kill(int pid);
/* Inline, so getpid() is a leaf that needs no stack frame: the kernel hands
 * back every register but a0 and the temporaries, so nothing needs setting
 * or keeping (bench's getpid figure is mostly this path). */
static inline long sys_getpid(void)
{
    register long a0 __asm__("a0");
    register long a7 __asm__("a7") = SYS_getpid;
    __asm__ volatile("ecall" : "=r"(a0) : "r"(a7) : ECALL_CLOBBERS);
    return a0;
}
long sys_sbrk(long delta);
long sys_exec(const void *elf, unsigned long len, char **argv);
long sys_sleep(long ticks);
long sys_uptime(void);
long sys_yield(void);
long sys_cons_write(const void *buf, unsigned long n);
long sys_cons_read(void *buf, unsigned long n);
long sys_cons_mode(int mode);
long sys_bootmod(const char *name, void *buf, unsigned long len);
long sys_bootmod_name(int index, char *buf, unsigned long len);
long sys_halt(int status);
long sys_freepages(void);
long sys_sysinfo(struct sysinfo *info);
long sys_procinfo(int index, struct procinfo *info);
long sys_procinfo_pid(int pid, struct procinfo *info);
long sys_pgaccess(void *va, int npages, unsigned long *mask);
long sys_vmprint(int which);
/* 0 if [va, va+n) may be read (UPROBE_READ) or written (UPROBE_WRITE); for
 * UPROBE_STR the length of the string at va (at most n bytes with its NUL);
 * -EFAULT for a bad pointer: the library checks pointers with it. */
long sys_uprobe(const void *va, unsigned long n, int how);
long sys_selfcheck(void);     /* 0, or how many kernel invariants are broken */
long sys_faultinject(int on); /* boot with failpages=N first; -ENOSYS otherwise */
/* The kernel event trace (pagoda/trace.h, docs/tracing.md). */
struct trace_event;
long sys_trace_ctl(int how); /* TRACE_ON/OFF/QUERY -> was it on */
long sys_trace_read(int hart, struct trace_event *buf, long max);
long sys_trace_mark(long a0, long a1);
long sys_kstat(unsigned long *out, long max); /* -> KSTAT_N (pagoda/kstat.h) */

#endif
