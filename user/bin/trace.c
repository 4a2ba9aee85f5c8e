/* trace: switch the kernel event trace on and off and print it
 * (docs/tracing.md). `trace on`, `trace off`, `trace dump`, or
 * `trace run PROGRAM ARGS...`: on, run it, off, dump. The dump is text
 * that tools/trace2svg draws: one `proc` line per live process and one
 * `ev` line per event, each hart's events oldest first. */
#include "user.h"
#include "syscall.h"
#include "pagoda/trace.h"

static const char *const kind_names[TR_NKIND] = {
    [TR_TRAP] = "trap",     [TR_TRAP_RET] = "trapret", [TR_SYSCALL] = "syscall",
    [TR_SYSRET] = "sysret", [TR_SWITCH] = "switch",    [TR_IPC_CALL] = "call",
    [TR_IPC_RECV] = "recv", [TR_IPC_REPLY] = "reply",  [TR_IPC_NOTIFY] = "notify",
    [TR_FAULT] = "fault",   [TR_IRQ] = "irq",          [TR_TIMER] = "timer",
    [TR_FORK] = "fork",     [TR_EXEC] = "exec",        [TR_EXIT] = "exit",
    [TR_MARK] = "mark",
};

static int dump(void)
{
    struct procinfo info;
    for (int i = 0; procinfo(i, &info) == 0; i++)
        printf("proc %d %d %s\n", info.pid, info.ppid, info.name);
    struct trace_event *buf = malloc(TRACE_RING * sizeof *buf);
    if (!buf) {
        printf("trace: out of memory\n");
        return 1;
    }
    long total = 0;
    for (int hart = 0;; hart++) {
        long n = sys_trace_read(hart, buf, TRACE_RING);
        if (n == -EINVAL) break;
        if (n < 0) {
            printf("trace: cannot read hart %d: error %ld\n", hart, -n);
            return 1;
        }
        for (long i = 0; i < n; i++) {
            struct trace_event *e = &buf[i];
            const char *k = e->kind < TR_NKIND && kind_names[e->kind] ? kind_names[e->kind] : "?";
            printf("ev %lu %lu %d %d %s %lx %lx %lx %lx\n", e->time_us, e->instret, e->hart, e->pid,
                   k, e->a[0], e->a[1], e->a[2], e->a[3]);
        }
        total += n;
    }
    free(buf);
    printf("trace: %ld events\n", total);
    return 0;
}

static int run(char **argv)
{
    sys_trace_ctl(TRACE_ON);
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
    int r = dump();
    return pid < 0 ? 1 : r ? r : status;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";
    if (strcmp(cmd, "on") == 0 && argc == 2) {
        sys_trace_ctl(TRACE_ON);
        return 0;
    }
    if (strcmp(cmd, "off") == 0 && argc == 2) {
        sys_trace_ctl(TRACE_OFF);
        return 0;
    }
    if (strcmp(cmd, "dump") == 0 && argc == 2) return dump();
    if (strcmp(cmd, "run") == 0 && argc > 2) return run(argv + 2);
    fprintf(2, "usage: trace on | off | dump | run PROGRAM [ARGS...]\n");
    return 2;
}
