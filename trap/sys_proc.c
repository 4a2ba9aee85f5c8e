/* Process system calls: argument checking and the call into proc/. */
#include "trap/syscall.h"
#include "proc/proc.h"

long sys_fork(const uint64 *a)
{
    (void)a;
    return proc_fork();
}

long sys_exit(const uint64 *a)
{
    proc_exit((int)a[0]);
}

long sys_wait(const uint64 *a)
{
    return proc_wait(a[0]);
}

long sys_kill(const uint64 *a)
{
    return proc_kill((int)a[0]);
}

long sys_getpid(const uint64 *a)
{
    (void)a;
    return mycpu()->proc->pid;
}

long sys_exec(const uint64 *a)
{
    return exec_image(myproc(), a[0], a[1], a[2]);
}

long sys_sleep(const uint64 *a)
{
    if ((long)a[0] < 0) return -EINVAL;
    return sleep_ticks(a[0]);
}

long sys_uptime(const uint64 *a)
{
    (void)a;
    return ticks;
}

long sys_yield(const uint64 *a)
{
    (void)a;
    yield();
    return 0;
}

long sys_procinfo(const uint64 *a)
{
    struct procinfo info;
    int r = proc_info((int)a[0], &info);
    if (r < 0) return r;
    return copyout(a[1], &info, sizeof(info));
}

long sys_procinfo_pid(const uint64 *a)
{
    struct procinfo info;
    int r = proc_info_pid((int)a[0], &info);
    if (r < 0) return r;
    return copyout(a[1], &info, sizeof(info));
}
