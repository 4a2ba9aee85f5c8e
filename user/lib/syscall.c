/* Typed wrappers for the system calls; the trap itself is ecall6 (syscall.h). */
#include "syscall.h"

long sys_call6(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
    return ecall6(n, a0, a1, a2, a3, a4, a5).a0;
}

#define CALL0(n)          sys_call6((n), 0, 0, 0, 0, 0, 0)
#define CALL1(n, a)       sys_call6((n), (long)(a), 0, 0, 0, 0, 0)
#define CALL2(n, a, b)    sys_call6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define CALL3(n, a, b, c) sys_call6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

long sys_fork(void)
{
    return CALL0(SYS_fork);
}

void sys_exit(int status)
{
    CALL1(SYS_exit, status);
    for (;;) {
    } /* exit never returns; stay put if the kernel misbehaves */
}

long sys_wait(int *status)
{
    return CALL1(SYS_wait, status);
}

long sys_kill(int pid)
{
    return CALL1(SYS_kill, pid);
}

long sys_sbrk(long delta)
{
    return CALL1(SYS_sbrk, delta);
}

long sys_exec(const void *elf, unsigned long len, char **argv)
{
    return CALL3(SYS_exec, elf, len, argv);
}

long sys_sleep(long ticks)
{
    return CALL1(SYS_sleep, ticks);
}

long sys_uptime(void)
{
    return CALL0(SYS_uptime);
}

long sys_yield(void)
{
    return CALL0(SYS_yield);
}

long sys_cons_write(const void *buf, unsigned long n)
{
    return CALL2(SYS_cons_write, buf, n);
}

long sys_cons_read(void *buf, unsigned long n)
{
    return CALL2(SYS_cons_read, buf, n);
}

long sys_cons_mode(int mode)
{
    return CALL1(SYS_cons_mode, mode);
}

long sys_bootmod(const char *name, void *buf, unsigned long len)
{
    return CALL3(SYS_bootmod, name, buf, len);
}

long sys_bootmod_name(int index, char *buf, unsigned long len)
{
    return CALL3(SYS_bootmod_name, index, buf, len);
}

long sys_halt(int status)
{
    return CALL1(SYS_halt, status);
}

long sys_freepages(void)
{
    return CALL0(SYS_freepages);
}

long sys_sysinfo(struct sysinfo *info)
{
    /* LAB syscall BEGIN */
    return CALL1(SYS_sysinfo, info);
    /* LAB STUB
    (void)info;
    return -ENOSYS;
    */
    /* LAB END */
}

long sys_procinfo(int index, struct procinfo *info)
{
    return CALL2(SYS_procinfo, index, info);
}

long sys_procinfo_pid(int pid, struct procinfo *info)
{
    return CALL2(SYS_procinfo_pid, pid, info);
}

long sys_pgaccess(void *va, int npages, unsigned long *mask)
{
    return CALL3(SYS_pgaccess, va, npages, mask);
}

long sys_vmprint(int which)
{
    return CALL1(SYS_vmprint, which);
}

long sys_uprobe(const void *va, unsigned long n, int how)
{
    return CALL3(SYS_uprobe, va, n, how);
}

long sys_selfcheck(void)
{
    return CALL0(SYS_selfcheck);
}

long sys_faultinject(int on)
{
    return CALL1(SYS_faultinject, on);
}

long sys_trace_ctl(int how)
{
    return CALL1(SYS_trace_ctl, how);
}

long sys_trace_read(int hart, struct trace_event *buf, long max)
{
    return CALL3(SYS_trace_read, hart, buf, max);
}

long sys_trace_mark(long a0, long a1)
{
    return CALL2(SYS_trace_mark, a0, a1);
}

long sys_kstat(unsigned long *out, long max)
{
    return CALL2(SYS_kstat, out, max);
}
