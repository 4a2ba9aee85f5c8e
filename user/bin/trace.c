/* trace: switch the kernel event trace on and off and print it
 * (docs/tracing.md). `trace on`, `trace off`, `trace dump`, or
 * `trace run PROGRAM ARGS...`: on, run it, off, dump (the format is in
 * user/lib/tracedump.h). */
#include "user.h"
#include "syscall.h"
#include "pagoda/trace.h"
#include "tracedump.h"

/* trace_ctl(how), saying why it was refused. */
static int ctl(int how)
{
    long r = sys_trace_ctl(how);
    if (r == -EPERM) printf("trace: not permitted (this process has no trace right)\n");
    return r < 0;
}

static int run(char **argv)
{
    if (ctl(TRACE_ON)) return 1;
    int pid = fork();
    if (pid == 0) {
        exec(argv[0], argv);
        printf("trace: cannot run %s\n", argv[0]);
        exit(127);
    }
    int status = -1;
    if (pid > 0) wait(&status);
    sys_trace_ctl(TRACE_OFF);
    if (pid < 0) printf("trace: cannot fork\n");
    int r = trace_dump();
    return pid < 0 ? 1 : r ? r : status;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";
    if (strcmp(cmd, "on") == 0 && argc == 2) return ctl(TRACE_ON);
    if (strcmp(cmd, "off") == 0 && argc == 2) return ctl(TRACE_OFF);
    if (strcmp(cmd, "dump") == 0 && argc == 2) return trace_dump();
    if (strcmp(cmd, "run") == 0 && argc > 2) return run(argv + 2);
    fprintf(2, "usage: trace on | off | dump | run PROGRAM [ARGS...]\n");
    return 2;
}
