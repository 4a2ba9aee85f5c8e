/* evtest: checks the kernel's fork/exit events (ev_subscribe). Subscribing
 * needs device rights, so this must be started by init with spawn(): boot
 * with `--append spawn=evtest` (tests/ipc_events.py does); it also checks
 * that such a server has no trace right. Prints ok/FAIL
 * lines and "N passed, M failed".
 * ctest: run by tests/ipc_events.py */
#include "user.h"
#include "syscall.h"
#include "ipc.h"
#include "pagoda/trace.h"

#define NCHILD 6

static int passed, failed;

static void check(int ok, const char *name, const char *detail, long value)
{
    if (ok) {
        printf("ok %s\n", name);
        passed++;
    } else {
        printf("FAIL %s: %s (%ld)\n", name, detail, value);
        failed++;
    }
}

int main(void)
{
    int ep = ep_create();
    check(ep >= 0, "ep_create", "no endpoint", ep);
    long r = ev_subscribe(ep);
    check(r == 0, "subscribe", "ev_subscribe failed: run me with --append spawn=evtest", r);
    if (r < 0) goto out;
    check(ev_subscribe(ep) == -EBUSY, "second_subscriber", "a second subscription", 0);
    /* a server spawned by init has no trace right (docs/tracing.md) */
    struct trace_event tev[2];
    r = sys_trace_ctl(TRACE_ON);
    check(r == -EPERM, "no_trace_right", "a spawned server may switch tracing on", r);
    r = sys_trace_read(0, tev, 2);
    check(r == -EPERM, "no_trace_read", "a spawned server may read the trace", r);

    /* Children: an unprivileged one that tries to subscribe, some that exit
     * with a status, one that is killed while it sleeps. */
    int pids[NCHILD + 1], me = getpid();
    pids[0] = fork();
    if (pids[0] == 0) exit(ev_subscribe(ep) == -EPERM ? 0 : 1);
    for (int i = 1; i < NCHILD; i++) {
        pids[i] = fork();
        if (pids[i] == 0) exit(i);
    }
    pids[NCHILD] = fork();
    if (pids[NCHILD] == 0) {
        sleep(1000);
        exit(0);
    }
    kill(pids[NCHILD]);
    int status, bad = 0;
    for (int i = 0; i <= NCHILD; i++) {
        int w = wait(&status);
        if (w == pids[0] && status != 0) bad = 1;
    }
    check(!bad, "child_cannot_subscribe", "an unprivileged child could subscribe", 0);

    /* A watchdog, so that a missing event ends in FAIL, not a hang. */
    int dog = fork();
    if (dog == 0) {
        sleep(TICK_HZ);
        int h = ep_lookup("evtest");
        exit(h >= 0 && ipc_notify(h, 1) == 0 ? 0 : 1);
    }
    ep_register(ep, "evtest");

    int forks[NCHILD + 1] = {0}, exits[NCHILD + 1] = {0};
    for (int seen = 0; seen < 2 * (NCHILD + 1);) {
        struct ipc_msg m;
        if (ipc_recv(ep, &m) < 0 || m.pid != 0 || m.w[0] == IPC_KERNEL_NOTIFY) break;
        for (int i = 0; i <= NCHILD; i++) {
            if (m.w[1] != pids[i]) continue;
            if (m.w[0] == IPC_KERNEL_FORK && m.w[2] == me) forks[i]++, seen++;
            if (m.w[0] == IPC_KERNEL_EXIT) exits[i]++, seen++;
        }
    }
    int all_forks = 1, all_exits = 1;
    for (int i = 0; i <= NCHILD; i++) {
        all_forks &= forks[i] == 1;
        all_exits &= exits[i] == 1;
    }
    check(all_forks, "fork_events", "a fork event missing or doubled", 0);
    check(all_exits, "exit_events", "an exit event missing or doubled (killed child included)", 0);
    kill(dog);
    wait(0);
out:
    printf("%d passed, %d failed\n", passed, failed);
    exit(failed != 0);
}
