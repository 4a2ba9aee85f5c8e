/* System-call dispatch: number in a7, arguments a0..a5, result in a0. */
#include "trap/syscall.h"

static long (*const syscalls[NSYSCALL])(const uint64 *args) = {
    [SYS_fork] = sys_fork,
    [SYS_exit] = sys_exit,
    [SYS_wait] = sys_wait,
    [SYS_kill] = sys_kill,
    [SYS_getpid] = sys_getpid,
    [SYS_sbrk] = sys_sbrk,
    [SYS_exec] = sys_exec,
    [SYS_sleep] = sys_sleep,
    [SYS_uptime] = sys_uptime,
    [SYS_yield] = sys_yield,
    [SYS_cons_write] = sys_cons_write,
    [SYS_cons_read] = sys_cons_read,
    [SYS_bootmod] = sys_bootmod,
    [SYS_bootmod_name] = sys_bootmod_name,
    [SYS_halt] = sys_halt,
    [SYS_freepages] = sys_freepages,
    [SYS_procinfo] = sys_procinfo,
    [SYS_pgaccess] = sys_pgaccess,
    [SYS_vmprint] = sys_vmprint,
};

long syscall_dispatch(struct trapframe *tf)
{
    uint64 n = tf->regs[REG_A7];
    if (n >= NSYSCALL || !syscalls[n]) return -ENOSYS;
    return syscalls[n](&tf->regs[REG_A0]);
}
