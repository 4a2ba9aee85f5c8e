/* tracetest: the kernel event trace (docs/tracing.md), checked from user
 * space: it is off by default, bad arguments are refused, and a known
 * scenario leaves the expected events in the expected order (a getpid, an
 * IPC round trip on the fast path, a copy-on-write fault, fork + exec +
 * exit); tracing off records nothing; each hart's ring keeps at most
 * TRACE_RING events, oldest first; only a process with the trace right
 * may switch tracing or read it, and a right given up stays given up.
 *
 *   tracetest            run every case
 *   tracetest NAME...    run only the named cases */
#include "user.h"
#include "syscall.h"
#include "ipc.h"
#include "testcase.h"
#include "kstat.h"
#include "pagoda/trace.h"

#define MAXEV    (NCPU_MAX * TRACE_RING)
#define NCPU_MAX 8

static struct trace_event *evs; /* the events read, merged by time */
static int nev;

/* Read (and so empty) every hart's ring; merge them in time order, each
 * hart's own order kept. Returns the number of events, or -1. */
static int read_all(void)
{
    nev = 0;
    for (int hart = 0; hart < NCPU_MAX; hart++) {
        long n = sys_trace_read(hart, evs + nev, TRACE_RING);
        if (n == -EINVAL) break;
        if (n < 0) return -1;
        /* insert this hart's events into the merged list, stably by time */
        for (long i = 0; i < n; i++) {
            struct trace_event e = evs[nev + i];
            int j = nev + (int)i;
            while (j > 0 && evs[j - 1].time_us > e.time_us) {
                evs[j] = evs[j - 1];
                j--;
            }
            evs[j] = e;
        }
        nev += (int)n;
    }
    return nev;
}

/* The next event at or after *at of kind (and of pid, unless pid < 0) that
 * satisfies a0 == want0 (unless want0 is ANY). Moves *at past it. */
#define ANY (~0UL)
static struct trace_event *find(int *at, int kind, int pid, unsigned long want0)
{
    for (int i = *at; i < nev; i++) {
        struct trace_event *e = &evs[i];
        if (e->kind != kind || (pid >= 0 && e->pid != pid)) continue;
        if (want0 != ANY && e->a[0] != want0) continue;
        *at = i + 1;
        return e;
    }
    return 0;
}

static void off_by_default(void)
{
    EXPECT(sys_trace_ctl(TRACE_QUERY) == 0, "tracing is on before anyone asked");
}

static void bad_arguments(void)
{
    CHECK(sys_trace_ctl(7) == -EINVAL, "trace_ctl(7) accepted");
    CHECK(sys_trace_ctl(-1) == -EINVAL, "trace_ctl(-1) accepted");
    CHECK(sys_trace_read(-1, evs, 1) == -EINVAL, "hart -1 accepted");
    CHECK(sys_trace_read(1000, evs, 1) == -EINVAL, "hart 1000 accepted");
    CHECK(sys_trace_read(0, evs, -5) == -EINVAL, "a negative count accepted");
    EXPECT(sys_trace_ctl(TRACE_ON) == 0, "was on already");
    getpid();
    sys_trace_ctl(TRACE_OFF);
    long r = 0;
    for (int hart = 0; hart < NCPU_MAX && r != -EFAULT; hart++) {
        r = sys_trace_read(hart, (struct trace_event *)0x10, TRACE_RING);
        if (r == -EINVAL) break;
    }
    CHECK(r == -EFAULT, "a read into address 0x10 returned %ld, not -EFAULT", r);
    r = sys_trace_read(0, (struct trace_event *)0xffffffffffff0000UL, TRACE_RING);
    CHECK(r == -EFAULT || r == 0, "a read into kernel space returned %ld", r);
    read_all();
}

static void getpid_events(void)
{
    int me = getpid();
    sys_trace_ctl(TRACE_ON);
    sys_trace_mark(1, 0);
    int pid = getpid();
    sys_trace_mark(2, 0);
    sys_trace_ctl(TRACE_OFF);
    EXPECT(read_all() > 0, "no events");
    int at = 0;
    EXPECT(find(&at, TR_MARK, me, 1), "no mark 1");
    EXPECT(find(&at, TR_SYSCALL, me, SYS_getpid), "no getpid syscall after mark 1");
    struct trace_event *ret = find(&at, TR_SYSRET, me, SYS_getpid);
    EXPECT(ret, "no getpid result");
    CHECK(ret->a[1] == (unsigned long)pid, "getpid returned %d, the trace says %lu", pid,
          ret->a[1]);
    EXPECT(find(&at, TR_TRAP_RET, me, ANY), "no return to user after getpid");
    EXPECT(find(&at, TR_MARK, me, 2), "no mark 2");
    int ev0 = 0;
    struct trace_event *m1 = find(&ev0, TR_MARK, me, 1);
    CHECK(ret->instret >= m1->instret && ret->time_us >= m1->time_us,
          "time or instret went backwards");
}

#define QUIT 0x7175

/* A server (us) already waiting in recv, a client calling: the fast path.
 * Expected: call (client -> server), recv (server, from client), switch
 * (client -> server), reply (server -> client), switch (server -> client). */
static void ipc_fastpath(void)
{
    char name[16];
    snprintf(name, sizeof name, "ttest.%d", getpid());
    int ep = ep_create();
    EXPECT(ep >= 0 && ep_register(ep, name) == 0, "no endpoint");
    int srv = getpid();
    int client = fork();
    EXPECT(client >= 0, "fork failed");
    if (client == 0) {
        int h = ep_lookup(name);
        long w[4] = {1, 0, 0, 0};
        if (h < 0 || ipc_call(h, w) < 0) exit(1); /* the server now waits */
        w[0] = 0x10, w[1] = 0x20;
        struct kstat k0, k1; /* the fast path stands aside while tracing */
        kstat_read(&k0);
        sys_trace_ctl(TRACE_ON);
        long r = ipc_call(h, w);
        sys_trace_ctl(TRACE_OFF);
        kstat_read(&k1);
        long q[4] = {QUIT, 0, 0, 0};
        ipc_call(h, q);
        exit(r < 0 || w[0] != 0x11 ? 1 : k1.n[KSTAT_ipc_fast] != k0.n[KSTAT_ipc_fast] ? 2 : 0);
    }
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    while (r >= 0) {
        long w[4] = {m.w[0] + 1, m.w[1], 0, 0};
        if (m.w[0] == QUIT) {
            ipc_reply(m.pid, w);
            break;
        }
        r = ipc_reply_recv(ep, m.pid, w, &m);
    }
    int status = -1;
    wait(&status);
    ep_close(ep);
    EXPECT(status != 2, "a traced call took the fast path (it records no events)");
    EXPECT(status == 0, "the client failed: %s", test_how(status));
    EXPECT(read_all() > 0, "no events");
    int at = 0;
    struct trace_event *e = find(&at, TR_IPC_CALL, client, ANY);
    EXPECT(e, "no call event");
    CHECK(e->a[1] == (unsigned long)srv && e->a[2] == 0x10 && e->a[3] == 0x20,
          "call to %lu with (%lx, %lx), expected %d with (10, 20)", e->a[1], e->a[2], e->a[3], srv);
    e = find(&at, TR_IPC_RECV, srv, ANY);
    EXPECT(e && e->a[1] == (unsigned long)client && e->a[2] == 0x10, "no recv from the client");
    e = find(&at, TR_SWITCH, client, ANY);
    EXPECT(e && e->a[0] == (unsigned long)client && e->a[1] == (unsigned long)srv,
           "no direct switch client -> server after the call");
    e = find(&at, TR_IPC_REPLY, srv, ANY);
    EXPECT(e && e->a[0] == (unsigned long)client && e->a[1] == 0x11, "no reply (11) to the client");
    e = find(&at, TR_SWITCH, srv, ANY);
    EXPECT(e && e->a[1] == (unsigned long)client, "no direct switch server -> client");
    e = find(&at, TR_SYSRET, client, SYS_ipc_call);
    EXPECT(e && e->a[1] == 0, "the client's ipc_call result is not 0 after the switch");
}

static volatile char page[4096] __attribute__((aligned(4096)));

static int cow_child(long arg)
{
    (void)arg;
    page[0] = 2; /* shared with the parent: a copy */
    return 0;
}

static void cow_fault(void)
{
    page[0] = 1;
    sys_trace_ctl(TRACE_ON);
    int status = test_in_child(cow_child, 0);
    sys_trace_ctl(TRACE_OFF);
    EXPECT(status == 0, "the child failed: %s", test_how(status));
    EXPECT(read_all() > 0, "no events");
    int at = 0, found = 0;
    struct trace_event *e;
    while ((e = find(&at, TR_FAULT, -1, ANY)) != 0)
        if (e->a[1] == (unsigned long)page && e->pid != getpid()) {
            found = 1;
            CHECK(e->a[0] == 4, "access %lu, expected 4 (write)", e->a[0]);
            CHECK(e->a[2] == TRF_COW, "kind %lu, expected TRF_COW", e->a[2]);
            CHECK(e->a[3] == 0, "result %ld", (long)e->a[3]);
        }
    CHECK(found, "no fault at %p in the child", (void *)page);
}

static void fork_exec_exit(void)
{
    int me = getpid();
    sys_trace_ctl(TRACE_ON);
    int pid = fork();
    if (pid == 0) {
        char *argv[] = {"hello", 0};
        exec("hello", argv);
        exit(127);
    }
    int status = -1;
    if (pid > 0) wait(&status);
    sys_trace_ctl(TRACE_OFF);
    EXPECT(pid > 0 && status == 0, "fork or hello failed: %s", test_how(status));
    EXPECT(read_all() > 0, "no events");
    int at = 0;
    EXPECT(find(&at, TR_FORK, me, (unsigned long)pid), "no fork event for pid %d", pid);
    struct trace_event *e = find(&at, TR_EXEC, pid, ANY);
    EXPECT(e, "no exec event");
    char name[17] = {0};
    memcpy(name, e->a, 16);
    CHECK(strcmp(name, "hello") == 0, "exec named '%s'", name);
    e = find(&at, TR_EXIT, pid, ANY);
    EXPECT(e && e->a[0] == 0, "no exit(0) of the child");
    EXPECT(find(&at, TR_SYSRET, me, SYS_wait), "no wait result after the exit");
}

static void off_records_nothing(void)
{
    sys_trace_ctl(TRACE_OFF);
    read_all();
    for (int i = 0; i < 100; i++) getpid();
    EXPECT(read_all() == 0, "%d events recorded while off", nev);
}

static void ring_bounded(void)
{
    sys_trace_ctl(TRACE_ON);
    for (int i = 0; i < 3 * TRACE_RING; i++) getpid();
    sys_trace_ctl(TRACE_OFF);
    int most = 0;
    for (int hart = 0; hart < NCPU_MAX; hart++) {
        long n = sys_trace_read(hart, evs, TRACE_RING + 5);
        if (n == -EINVAL) break;
        EXPECT(n >= 0 && n <= TRACE_RING, "hart %d: %ld events", hart, n);
        for (long i = 1; i < n; i++)
            EXPECT(evs[i].time_us >= evs[i - 1].time_us, "hart %d: time goes backwards", hart);
        if (n > most) most = (int)n;
    }
    CHECK(most == TRACE_RING, "no ring is full after %d getpids: at most %d", 3 * TRACE_RING, most);
}

/* The trace right: this test runs from the shell, so it holds it. A child
 * that gives it up can neither switch tracing nor read the rings, nor can
 * its children, not even after exec; it may still ask whether tracing is
 * on and mark. The parent keeps its right. */
static void no_right(void)
{
    CHECK(sys_trace_ctl(TRACE_ON) == 0, "a process started from the shell may not trace");
    getpid();
    int pid = fork();
    CHECK(pid >= 0, "fork failed");
    if (pid == 0) {
        struct trace_event e[4];
        int bad = 0;
        bad |= (sys_trace_ctl(TRACE_QUERY) != 1) << 0; /* before dropping: all open */
        bad |= (sys_trace_ctl(TRACE_DROP) != 1) << 1;
        bad |= (sys_trace_ctl(TRACE_OFF) != -EPERM) << 2;
        bad |= (sys_trace_ctl(TRACE_ON) != -EPERM) << 3;
        bad |= (sys_trace_read(0, e, 4) != -EPERM) << 4;
        bad |= (sys_trace_ctl(TRACE_QUERY) != 1) << 5; /* still on: OFF was refused */
        bad |= (sys_trace_mark(7, 0) != 0) << 6;
        bad |= (sys_trace_ctl(TRACE_DROP) != 1) << 7; /* twice is harmless */
        int c = fork();
        if (c == 0) exit(sys_trace_ctl(TRACE_OFF) == -EPERM && sys_trace_read(0, e, 4) == -EPERM);
        int st = 0;
        if (c < 0 || wait(&st) != c || st != 1) bad |= 1 << 8;
        c = fork(); /* exec keeps the right given up: `trace off` must be refused */
        if (c == 0) {
            char *argv[] = {"trace", "off", 0};
            exec("trace", argv);
            exit(127);
        }
        if (c < 0 || wait(&st) != c || st != 1) bad |= 1 << 9;
        exit(bad);
    }
    int status = -1;
    wait(&status);
    EXPECT(status == 0, "child without the right: checks failed, mask %d", status);
    EXPECT(sys_trace_ctl(TRACE_QUERY) == 1, "tracing went off: the child's OFF was obeyed");
    CHECK(sys_trace_ctl(TRACE_OFF) == 1, "the parent lost its right");
    CHECK(read_all() > 0, "the parent cannot read the trace");
    int at = 0;
    EXPECT(find(&at, TR_MARK, pid, 7) != 0, "the child's mark was not recorded");
}

static const struct testcase cases[] = {
    {"off_by_default", off_by_default},
    {"bad_arguments", bad_arguments},
    {"getpid_events", getpid_events},
    {"ipc_fastpath", ipc_fastpath},
    {"cow_fault", cow_fault},
    {"fork_exec_exit", fork_exec_exit},
    {"off_records_nothing", off_records_nothing},
    {"ring_bounded", ring_bounded},
    {"no_right", no_right},
};

int main(int argc, char **argv)
{
    evs = malloc(MAXEV * sizeof *evs);
    if (!evs) {
        printf("FAIL start: out of memory\n0 passed, 1 failed\n");
        exit(1);
    }
    test_run(cases, sizeof cases / sizeof cases[0], argc, argv);
    sys_trace_ctl(TRACE_OFF);
    test_summary();
}
