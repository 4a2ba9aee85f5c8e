/* Print the kernel event trace as text for tools/trace2svg (format in
 * tracedump.h), emptying the kernel's rings. */
#include "user.h"
#include "syscall.h"
#include "tracedump.h"
#include "pagoda/trace.h"

static const char *const kind_names[TR_NKIND] = {
    [TR_TRAP] = "trap",     [TR_TRAP_RET] = "trapret", [TR_SYSCALL] = "syscall",
    [TR_SYSRET] = "sysret", [TR_SWITCH] = "switch",    [TR_IPC_CALL] = "call",
    [TR_IPC_RECV] = "recv", [TR_IPC_REPLY] = "reply",  [TR_IPC_NOTIFY] = "notify",
    [TR_FAULT] = "fault",   [TR_IRQ] = "irq",          [TR_TIMER] = "timer",
    [TR_FORK] = "fork",     [TR_EXEC] = "exec",        [TR_EXIT] = "exit",
    [TR_MARK] = "mark",     [TR_NAME] = "name",
};

int trace_dump(void)
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
