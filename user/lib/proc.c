/* xv6-style process calls. Anything that may block, end or replace the
 * process flushes printf's buffers first, so output is neither lost, delayed
 * nor (after fork) printed twice. */
#include "user.h"
#include "syscall.h"
#include "sysret.h"

unsigned ulib_fork_gen;

int fork(void)
{
    printf_flush();
    long pid = sys_fork();
    if (pid == 0) ulib_fork_gen++; /* the child: connections made before are the parent's */
    return sysret(pid);
}

int exit(int status)
{
    printf_flush();
    sys_exit(status);
}

int wait(int *status)
{
    printf_flush();
    return sysret(sys_wait(status));
}

int kill(int pid)
{
    printf_flush(); /* the pid may be our own */
    return sysret(sys_kill(pid));
}

int getpid(void)
{
    return (int)sys_getpid();
}

int sleep(int ticks)
{
    printf_flush();
    return sysret(sys_sleep(ticks));
}

int uptime(void)
{
    return (int)sys_uptime();
}

int yield(void)
{
    return sysret(sys_yield());
}

int halt(int status)
{
    printf_flush();
    return sysret(sys_halt(status));
}

int procinfo(int index, struct procinfo *info)
{
    return sysret(sys_procinfo(index, info));
}

int procinfo_pid(int pid, struct procinfo *info)
{
    return sysret(sys_procinfo_pid(pid, info));
}
