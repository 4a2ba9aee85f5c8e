/* ipctest: IPC (docs/ipc.md) checked from user space: endpoints and names,
 * call/recv/reply/reply_recv, deferred replies, notify, shared pages, server
 * and client death, bad arguments, the endpoint limit.
 *
 *   ipctest            run every case
 *   ipctest NAME...    run only the named cases (the leak check always runs)
 *
 * Each case prints "ok NAME" or "FAIL NAME: detail"; lines starting with "  #"
 * are measurements for people, "  child:" lines explain a child's failure.
 * The last line is "N passed, M failed"; the exit status is 0 or 1.
 *
 * The cases run in a child (the "runner"), which reports each result to the
 * top process by an IPC call; a watchdog child notifies the top process if
 * the whole run takes too long (a case hangs), and the top process then kills
 * the runner. Every process is reaped before the final leak check, which
 * demands that freepages() is exactly what it was at the start.
 *
 * Processes synchronise through IPC itself and through procinfo(): "wait
 * until pid sleeps" is how a case knows that a client is blocked in a call.
 * A process in these tests only ever sleeps where the case expects it to. */
#include <stdarg.h>
#include "user.h"
#include "testcase.h"
#include "ipc.h"
#include "syscall.h"
#include "pagoda/memlayout.h"

#define PG           4096L
#define SLACK        6               /* page-table pages a mapping may add (user + kernel tables) */
#define WAIT_MAX     (10 * TICK_HZ)  /* give up waiting for a process after 10 s */
#define RUN_MAX      (120 * TICK_HZ) /* the watchdog fires after 120 s */
#define NHANDLE_USER 16              /* handles per process (NHANDLE in proc/ipc.h) */
#define NEP_USER     8               /* endpoints one process may own (IPC_EP_PER_PROC) */

static int passed, failed;
static int top_ep;     /* the top process's endpoint (runner side) */
static int runner_pid; /* set in the runner before it forks anything */

/* ------------------------------------------------------------------ report */

/* ---------------------------------------------------------------- children */

#define MAXKIDS     24
#define WAIT_FAILED (-1000)

static int kids[MAXKIDS], nkids; /* children of this case, not yet reaped */
static struct {
    int pid, status;
} early[MAXKIDS]; /* reaped while waiting for another */
static int nearly;

/* Run fn(arg) in a new child; its pid (< 0 if fork failed). */
static int start_child(int (*fn)(long), long arg)
{
    int pid = fork();
    if (pid == 0) exit(fn(arg));
    if (pid > 0 && nkids < MAXKIDS) kids[nkids++] = pid;
    return pid;
}

static void forget(int pid)
{
    for (int i = 0; i < nkids; i++)
        if (kids[i] == pid) kids[i] = kids[--nkids];
}

/* Wait for child pid: its exit status (-1: the kernel killed it). */
static int reap(int pid)
{
    for (int i = 0; i < nearly; i++) {
        if (early[i].pid != pid) continue;
        int st = early[i].status;
        early[i] = early[--nearly];
        forget(pid);
        return st;
    }
    for (;;) {
        int st = 12345;
        int w = wait(&st);
        if (w < 0) return WAIT_FAILED;
        if (w == pid) {
            forget(pid);
            return st;
        }
        if (nearly < MAXKIDS) early[nearly].pid = w, early[nearly++].status = st;
    }
}

/* Kill and reap every child the case left behind; how many there were. */
static int cleanup(void)
{
    int n = nkids;
    while (nkids > 0) {
        int pid = kids[0];
        kill(pid);
        reap(pid);
    }
    nearly = 0;
    return n;
}

/* procinfo(i) counts live processes, so a process that exits during the
 * scan shifts the others down and one may be missed: scan again. */
static int proc_state(int pid)
{
    struct procinfo pi;
    for (int tries = 0; tries < 3; tries++)
        for (int i = 0; procinfo(i, &pi) == 0; i++)
            if (pi.pid == pid) return pi.state;
    return 0;
}

/* Wait (at most WAIT_MAX) until process pid is in `state`; 0 or -1. */
static int wait_state(int pid, int state)
{
    int t0 = uptime();
    while (proc_state(pid) != state) {
        if (uptime() - t0 > WAIT_MAX) return -1;
        yield();
    }
    return 0;
}

/* ep_lookup(name), retried until a server has registered it. */
static int lookup_wait(const char *name)
{
    int t0 = uptime();
    for (;;) {
        int h = ep_lookup(name);
        if (h != -ENOENT || uptime() - t0 > WAIT_MAX) return h;
        yield();
    }
}

static unsigned long pat(unsigned long seed, unsigned long i)
{
    return (seed + i) * 0x9E3779B97F4A7C15UL;
}

static void fill(void *p, long len, unsigned long seed)
{
    unsigned long *w = p;
    for (long i = 0; i < len / 8; i++) w[i] = pat(seed, (unsigned long)i);
}

/* -1 if p holds the pattern, else the byte offset of the first difference. */
static long check(const void *p, long len, unsigned long seed)
{
    const unsigned long *w = p;
    for (long i = 0; i < len / 8; i++)
        if (w[i] != pat(seed, (unsigned long)i)) return i * 8;
    return -1;
}

static int read_at(long va)
{
    (void)*(volatile char *)va;
    return 0; /* survived */
}

static int write_at(long va)
{
    *(volatile char *)va = 1;
    return 0; /* survived */
}

static const long zero4[4];

/* Parameters for children, set before fork (a child gets a copy). */
static int g_h;
static long g_rounds;

/* ---------------------------------------------------------------- pingpong */

#define PP_ROUNDS  20000
#define PP_CLIENTS 4

static void pp_request(long tag, long i, long w[4])
{
    w[0] = tag;
    w[1] = i;
    w[2] = (long)((unsigned long)i * 0x9E3779B97F4A7C15UL) ^ tag;
    w[3] = -i - tag * 7;
}

static void pp_answer(const long req[4], long pid, long out[4])
{
    out[0] = req[0] + 1;
    out[1] = req[1] ^ 0x5A5A5A5A5A5AL;
    out[2] = req[2] * 3 + pid;
    out[3] = ~req[3];
}

static int pp_client(long tag)
{
    long me = getpid();
    for (long i = 0; i < g_rounds; i++) {
        long w[4], want[4];
        pp_request(tag, i, w);
        pp_answer(w, me, want);
        long r = ipc_call(g_h, w);
        if (r != 0) return test_child_fail(1, "client %ld round %ld: call returned %ld", tag, i, r);
        for (int k = 0; k < 4; k++)
            if (w[k] != want[k])
                return test_child_fail(2, "client %ld round %ld: reply word %d is %lx, want %lx",
                                       tag, i, k, w[k], want[k]);
    }
    return 0;
}

/* Serve rounds calls from each of the n clients pids[] (client k sends tag
 * k); check every request, answer it. 0, or -1 after a FAIL line. */
static int pp_serve(int ep, int n, const int *pids, long rounds)
{
    long next[PP_CLIENTS] = {0};
    long total = n * rounds, bad = 0;
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    for (long i = 0; i < total; i++) {
        if (r < 0) {
            test_fail("message %ld: receive returned %ld", i, r);
            return -1;
        }
        int k = -1;
        for (int j = 0; j < n; j++)
            if (pids[j] == m.pid) k = j;
        long want[4];
        if (k < 0) {
            if (!bad++) test_fail("message %ld: from pid %ld, not a client", i, m.pid);
        } else {
            pp_request(k, next[k]++, want);
            for (int j = 0; j < 4; j++) {
                if (m.w[j] != want[j] && !bad++)
                    test_fail("message %ld from client %d (round %ld): word %d is %lx, want %lx", i,
                              k, next[k] - 1, j, m.w[j], want[j]);
            }
            if (m.shared && !bad++)
                test_fail("message %ld: shared %p in a plain call", i, m.shared);
        }
        long out[4];
        pp_answer(m.w, m.pid, out);
        if (i == total - 1) {
            r = ipc_reply(m.pid, out);
            if (r != 0) test_fail("last reply returned %ld", r);
        } else {
            r = ipc_reply_recv(ep, (int)m.pid, out, &m);
        }
    }
    return bad || test_case_failed ? -1 : 0;
}

static void t_pingpong(void)
{
    int ep = ep_create();
    EXPECT(ep >= 0, "ep_create returned %d", ep);
    g_h = ep;
    g_rounds = PP_ROUNDS;
    int pid = start_child(pp_client, 0);
    EXPECT(pid > 0, "fork failed");
    int t0 = uptime();
    if (pp_serve(ep, 1, &pid, PP_ROUNDS) < 0) return;
    int st = reap(pid);
    EXPECT(st == 0, "client status %d", st);
    test_info("%d round trips, one client: %d ticks", PP_ROUNDS, uptime() - t0);

    int pids[PP_CLIENTS];
    g_rounds = PP_ROUNDS / PP_CLIENTS;
    for (int k = 0; k < PP_CLIENTS; k++) {
        pids[k] = start_child(pp_client, k);
        EXPECT(pids[k] > 0, "fork failed");
    }
    t0 = uptime();
    if (pp_serve(ep, PP_CLIENTS, pids, g_rounds) < 0) return;
    for (int k = 0; k < PP_CLIENTS; k++) {
        st = reap(pids[k]);
        EXPECT(st == 0, "client %d status %d", k, st);
    }
    test_info("%d clients x %ld round trips: %d ticks", PP_CLIENTS, g_rounds, uptime() - t0);
    EXPECT(ep_close(ep) == 0, "ep_close failed");
}

/* --------------------------------------------------------------- caller_pid */

static int pid_client(long fake)
{
    long me = getpid();
    long w[4] = {me, fake, 3, 4};
    long r = ipc_call(g_h, w);
    if (r != 0) return test_child_fail(1, "call returned %ld", r);
    if (w[0] != me) return test_child_fail(2, "the server saw pid %ld, I am %ld", w[0], me);
    return 0;
}

static void t_caller_pid(void)
{
    int ep = ep_create();
    EXPECT(ep >= 0, "ep_create returned %d", ep);
    g_h = ep;
    int pids[2];
    pids[0] = start_child(pid_client, 1);        /* claims to be init */
    pids[1] = start_child(pid_client, getpid()); /* claims to be the server */
    EXPECT(pids[0] > 0 && pids[1] > 0, "fork failed");
    int seen[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        struct ipc_msg m;
        long r = ipc_recv(ep, &m);
        EXPECT(r == 0, "recv returned %ld", r);
        int k = m.pid == pids[0] ? 0 : m.pid == pids[1] ? 1 : -1;
        EXPECT(k >= 0, "message from pid %ld; the clients are %d and %d", m.pid, pids[0], pids[1]);
        EXPECT(!seen[k], "two messages from pid %ld", m.pid);
        seen[k] = 1;
        EXPECT(m.w[0] == m.pid, "client %ld says its getpid() is %ld", m.pid, m.w[0]);
        EXPECT(m.w[2] == 3 && m.w[3] == 4, "words %ld %ld, want 3 4", m.w[2], m.w[3]);
        long out[4] = {m.pid, 0, 0, 0};
        EXPECT(ipc_reply((int)m.pid, out) == 0, "reply to %ld failed", m.pid);
    }
    for (int k = 0; k < 2; k++) {
        int st = reap(pids[k]);
        EXPECT(st == 0, "client %d status %d", pids[k], st);
    }
    ep_close(ep);
}

/* ----------------------------------------------------------------- deferred */

static int deferred_client(long k)
{
    long me = getpid();
    long w[4] = {k, me, 0, 0};
    long r = ipc_call(g_h, w);
    if (r != 0) return test_child_fail(1, "call returned %ld", r);
    if (w[0] != k * 1000 + 7 || w[1] != me || w[2] != k || w[3] != -k)
        return test_child_fail(2, "client %ld got %ld %ld %ld %ld", k, w[0], w[1], w[2], w[3]);
    return 0;
}

static void t_deferred(void)
{
    int ep = ep_create();
    EXPECT(ep >= 0, "ep_create returned %d", ep);
    g_h = ep;
    int pids[3];
    for (int k = 0; k < 3; k++) {
        pids[k] = start_child(deferred_client, k);
        EXPECT(pids[k] > 0, "fork failed");
    }
    struct ipc_msg msgs[3];
    for (int i = 0; i < 3; i++) {
        long r = ipc_recv(ep, &msgs[i]);
        EXPECT(r == 0, "recv %d returned %ld", i, r);
        EXPECT(msgs[i].w[1] == msgs[i].pid, "pid %ld, the client says %ld", msgs[i].pid,
               msgs[i].w[1]);
        for (int j = 0; j < i; j++)
            EXPECT(msgs[j].pid != msgs[i].pid, "two messages from pid %ld", msgs[i].pid);
    }
    for (int i = 0; i < 3; i++)
        EXPECT(proc_state((int)msgs[i].pid) == PS_SLEEPING, "client %ld not blocked (state %d)",
               msgs[i].pid, proc_state((int)msgs[i].pid));
    for (int i = 2; i >= 0; i--) {
        long k = msgs[i].w[0];
        long out[4] = {k * 1000 + 7, msgs[i].pid, k, -k};
        long r = ipc_reply((int)msgs[i].pid, out);
        EXPECT(r == 0, "reply to %ld returned %ld", msgs[i].pid, r);
        for (int j = 0; j < i; j++)
            EXPECT(proc_state((int)msgs[j].pid) == PS_SLEEPING,
                   "replying to %ld woke %ld too (state %d)", msgs[i].pid, msgs[j].pid,
                   proc_state((int)msgs[j].pid));
    }
    long r = ipc_reply((int)msgs[2].pid, zero4);
    EXPECT(r == -ESRCH, "a second reply to %ld returned %ld, want -ESRCH", msgs[2].pid, r);
    for (int k = 0; k < 3; k++) {
        int st = reap(pids[k]);
        EXPECT(st == 0, "client %d status %d", pids[k], st);
    }
    ep_close(ep);
}

/* ------------------------------------------------------------------- nested */

/* A server that is itself a client: the runner serves "ipct.back"; the
 * middle server takes a call, calls the runner, answers with the sum. */
#define MIDDLE "ipct.middle"
#define BACK   "ipct.back"

static int middle_server(long rounds)
{
    int ep = ep_create();
    if (ep < 0 || ep_register(ep, MIDDLE) < 0) return test_child_fail(1, "cannot register");
    int back = lookup_wait(BACK);
    if (back < 0) return test_child_fail(2, "ep_lookup(" BACK ") returned %d", back);
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    for (long i = 0; i < rounds; i++) {
        if (r < 0) return test_child_fail(3, "recv returned %ld", r);
        long w[4] = {m.w[0], m.w[1], 0, 0};
        r = ipc_call(back, w);
        if (r != 0) return test_child_fail(4, "call to the back server returned %ld", r);
        long out[4] = {w[0], m.pid, 0, 0};
        r = i == rounds - 1 ? ipc_reply((int)m.pid, out) : ipc_reply_recv(ep, (int)m.pid, out, &m);
    }
    return r == 0 ? 0 : test_child_fail(5, "last reply returned %ld", r);
}

static int front_client(long rounds)
{
    long me = getpid();
    for (long i = 0; i < rounds; i++) {
        long w[4] = {i, 3 * i, 0, 0};
        long r = ipc_call(g_h, w);
        if (r != 0 || w[0] != 4 * i || w[1] != me)
            return test_child_fail(1, "round %ld: %ld, reply %ld %ld", i, r, w[0], w[1]);
    }
    return 0;
}

static void t_nested(void)
{
    const long rounds = 2000;
    int back = ep_create();
    EXPECT(back >= 0, "ep_create returned %d", back);
    EXPECT(ep_register(back, BACK) == 0, "ep_register failed");
    int mid = start_child(middle_server, rounds);
    EXPECT(mid > 0, "fork failed");
    int h = lookup_wait(MIDDLE);
    EXPECT(h >= 0, "ep_lookup(" MIDDLE ") returned %d", h);
    g_h = h;
    int c = start_child(front_client, rounds);
    EXPECT(c > 0, "fork failed");
    struct ipc_msg m;
    long r = ipc_recv(back, &m);
    for (long i = 0; i < rounds; i++) {
        EXPECT(r == 0, "round %ld: recv returned %ld", i, r);
        EXPECT(m.pid == mid && m.w[0] == i && m.w[1] == 3 * i,
               "round %ld: pid %ld words %ld %ld, want %d %ld %ld", i, m.pid, m.w[0], m.w[1], mid,
               i, 3 * i);
        long out[4] = {m.w[0] + m.w[1], 0, 0, 0};
        r = i == rounds - 1 ? ipc_reply(mid, out) : ipc_reply_recv(back, mid, out, &m);
    }
    EXPECT(r == 0, "last reply returned %ld", r);
    int st = reap(c);
    EXPECT(st == 0, "client status %d", st);
    st = reap(mid);
    EXPECT(st == 0, "middle server status %d", st);
    ep_close(h);
    ep_close(back);
}

/* ------------------------------------------------------------------- notify */

static int notify_burst(long h)
{
    long r1 = ipc_notify((int)h, 1), r2 = ipc_notify((int)h, 2), r3 = ipc_notify((int)h, 1UL << 63);
    if (r1 || r2 || r3) return test_child_fail(1, "notify returned %ld %ld %ld", r1, r2, r3);
    return 0;
}

static int call_marker(long v)
{
    long w[4] = {v, 0, 0, 0};
    long r = ipc_call(g_h, w);
    if (r != 0) return test_child_fail(1, "call returned %ld", r);
    if (w[0] != v + 1) return test_child_fail(2, "reply %ld, want %ld", w[0], v + 1);
    return 0;
}

/* Notify the runner's endpoint once it sleeps (in recv). */
static int notify_when_asleep(long bits)
{
    if (wait_state(runner_pid, PS_SLEEPING) < 0)
        return test_child_fail(1, "the server never slept");
    long r = ipc_notify(g_h, (unsigned long)bits);
    if (r != 0) return test_child_fail(2, "notify returned %ld", r);
    return 0;
}

/* A kernel notify message with these bits? */
static int is_notify(const struct ipc_msg *m, unsigned long bits)
{
    return m->pid == 0 && m->w[0] == IPC_KERNEL_NOTIFY && (unsigned long)m->w[1] == bits;
}

static void t_notify(void)
{
    int ep = ep_create();
    EXPECT(ep >= 0, "ep_create returned %d", ep);
    g_h = ep;
    struct ipc_msg m;

    /* Bits sent while the server is busy (in wait) arrive OR-ed, once. */
    int pid = start_child(notify_burst, ep);
    EXPECT(pid > 0, "fork failed");
    int st = reap(pid);
    EXPECT(st == 0, "notifier status %d", st);
    long r = ipc_recv(ep, &m);
    EXPECT(r == 0, "recv returned %ld", r);
    EXPECT(is_notify(&m, 3UL | 1UL << 63), "got pid %ld words %lx %lx, want pid 0, %x %lx", m.pid,
           m.w[0], m.w[1], IPC_KERNEL_NOTIFY, 3UL | 1UL << 63);
    /* The bits are consumed: the next message is a call, not a notify. */
    pid = start_child(call_marker, 77);
    EXPECT(pid > 0, "fork failed");
    r = ipc_recv(ep, &m);
    EXPECT(r == 0, "recv returned %ld", r);
    EXPECT(m.pid == pid && m.w[0] == 77, "got pid %ld w0 %ld (kind %ld), want the call from %d",
           m.pid, m.w[0], m.w[1], pid);
    long out[4] = {78, 0, 0, 0};
    EXPECT(ipc_reply(pid, out) == 0, "reply failed");
    st = reap(pid);
    EXPECT(st == 0, "caller status %d", st);

    /* The owner may notify itself; bits pending before recv come at once. */
    EXPECT(ipc_notify(ep, 8) == 0, "self notify failed");
    r = ipc_recv(ep, &m);
    EXPECT(r == 0 && is_notify(&m, 8), "self notify: r %ld pid %ld words %ld %lx", r, m.pid, m.w[0],
           m.w[1]);

    /* A notify while the server waits in recv wakes it. */
    pid = start_child(notify_when_asleep, 0x40);
    EXPECT(pid > 0, "fork failed");
    r = ipc_recv(ep, &m);
    EXPECT(r == 0, "recv returned %ld", r);
    EXPECT(is_notify(&m, 0x40), "got pid %ld words %ld %lx, want a notify 0x40", m.pid, m.w[0],
           m.w[1]);
    st = reap(pid);
    EXPECT(st == 0, "notifier status %d", st);
    ep_close(ep);
}

/* notify(h, 0) sets no bit, so it must not disturb a server waiting in recv
 * (any process with a handle could otherwise make the server's recv fail). */
static int notify_zero_then_call(long unused)
{
    (void)unused;
    if (wait_state(runner_pid, PS_SLEEPING) < 0)
        return test_child_fail(1, "the server never slept");
    long r = ipc_notify(g_h, 0);
    if (r != 0 && r != -EINVAL) return test_child_fail(2, "notify(0) returned %ld", r);
    sleep(2);
    return call_marker(99);
}

static void t_notify_zero(void)
{
    int ep = ep_create();
    EXPECT(ep >= 0, "ep_create returned %d", ep);
    g_h = ep;
    int pid = start_child(notify_zero_then_call, 0);
    EXPECT(pid > 0, "fork failed");
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    if (r != 0 || m.pid != pid) {
        test_fail(
            "notify(h, 0) while the server waits in recv: recv returned %ld (pid %ld kind %ld "
            "bits %lx), want the next call",
            r, r == 0 ? m.pid : -1, r == 0 ? m.w[0] : -1, r == 0 ? m.w[1] : -1);
        r = ipc_recv(ep, &m); /* the call, so that the client finishes */
    }
    EXPECT(r == 0 && m.pid == pid && m.w[0] == 99, "recv %ld, pid %ld w0 %ld", r, m.pid, m.w[0]);
    long out[4] = {100, 0, 0, 0};
    EXPECT(ipc_reply(pid, out) == 0, "reply failed");
    int st = reap(pid);
    EXPECT(st == 0, "client status %d", st);
    ep_close(ep);
}

/* ---------------------------------------------------------------------- shm */

#define SHM_N 64
enum { CMD_FREE = 1001, CMD_CHECK, CMD_QUIT };

/* The shm server: owns "ipct.shm"; a share is checked against seed w[0] and
 * overwritten with seed w[1]; commands free it, check it again, or quit. */
static int shm_server(long unused)
{
    (void)unused;
    int ep = ep_create();
    if (ep < 0 || ep_register(ep, "ipct.shm") < 0)
        return test_child_fail(1, "cannot register ipct.shm");
    char *shared = 0;
    long npages = 0;
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    for (;;) {
        if (r < 0) return test_child_fail(2, "recv returned %ld", r);
        long out[4] = {0, 0, 0, 0};
        if (m.shared) {
            shared = m.shared;
            npages = m.w[2];
            unsigned long va = (unsigned long)shared;
            if (va % PG || va < SHM_BASE || va >= SHM_TOP)
                out[0] = -100;
            else if (npages != SHM_N)
                out[0] = -101;
            else if ((out[1] = check(shared, npages * PG, (unsigned long)m.w[0])) >= 0)
                out[0] = -102;
            else
                fill(shared, npages * PG, (unsigned long)m.w[1]);
        } else if (m.w[0] == CMD_FREE) {
            out[0] = shm_free(shared, npages);
        } else if (m.w[0] == CMD_CHECK) {
            out[1] = check(shared, npages * PG, (unsigned long)m.w[1]);
            out[0] = out[1] >= 0 ? -103 : 0;
        } else if (m.w[0] == CMD_QUIT) {
            ipc_reply((int)m.pid, out);
            return 0;
        } else {
            out[0] = -104;
        }
        r = ipc_reply_recv(ep, (int)m.pid, out, &m);
    }
}

static long shm_cmd(int h, long cmd, long arg)
{
    long w[4] = {cmd, arg, 0, 0};
    long r = ipc_call(h, w);
    return r < 0 ? r : w[0];
}

/* Allocate and share SHM_N pages, check that nothing was copied and that the
 * server's writes show; then the server unmaps them, then we do. */
static int shm_client(long unused)
{
    (void)unused;
    int fa = freepages();
    char *va = shm_alloc(SHM_N);
    int fb = freepages();
    if (!va) return test_child_fail(1, "shm_alloc(%d) failed", SHM_N);
    if (fa - fb < SHM_N || fa - fb > SHM_N + SLACK)
        return test_child_fail(2, "shm_alloc(%d) took %d pages", SHM_N, fa - fb);
    for (long i = 0; i < SHM_N * PG; i += 8)
        if (*(long *)(va + i)) return test_child_fail(3, "shm page not zeroed at +%ld", i);
    fill(va, SHM_N * PG, 1);
    int f1 = freepages();
    long reply[4] = {-1, -1, -1, -1};
    long r = ipc_share(g_h, va, SHM_N, 1, 2, reply);
    int f2 = freepages();
    if (r != 0) return test_child_fail(4, "ipc_share returned %ld", r);
    if (reply[0] != 0)
        return test_child_fail(5, "the server says %ld (offset %ld)", reply[0], reply[1]);
    if (f1 - f2 > SLACK)
        return test_child_fail(6, "sharing %d pages took %d pages: a copy?", SHM_N, f1 - f2);
    long off = check(va, SHM_N * PG, 2);
    if (off >= 0) return test_child_fail(7, "the server's writes are not visible at +%ld", off);
    printf("  # %s: shm_alloc(%d) took %d pages, ipc_share %d\n", test_case, SHM_N, fa - fb,
           f1 - f2);
    r = shm_cmd(g_h, CMD_FREE, 0);
    int f3 = freepages();
    if (r != 0) return test_child_fail(8, "the server's shm_free returned %ld", r);
    if (f3 != f2)
        return test_child_fail(9, "the server's shm_free freed %d pages we still map", f3 - f2);
    if ((off = check(va, SHM_N * PG, 2)) >= 0)
        return test_child_fail(10, "pages changed at +%ld", off);
    r = shm_free(va, SHM_N);
    int f4 = freepages();
    if (r != 0) return test_child_fail(11, "shm_free returned %ld", r);
    if (f4 - f3 < SHM_N || f4 - f3 > SHM_N + SLACK)
        return test_child_fail(12, "our shm_free gave back %d pages, want %d", f4 - f3, SHM_N);
    return 0;
}

/* Share pages, then exit without freeing them: the server keeps them. */
static int shm_client_exits(long unused)
{
    (void)unused;
    char *va = shm_alloc(SHM_N);
    if (!va) return test_child_fail(1, "shm_alloc(%d) failed", SHM_N);
    fill(va, SHM_N * PG, 3);
    long reply[4] = {-1, -1, -1, -1};
    long r = ipc_share(g_h, va, SHM_N, 3, 4, reply);
    if (r != 0 || reply[0] != 0)
        return test_child_fail(2, "ipc_share: %ld, server %ld", r, reply[0]);
    if (check(va, SHM_N * PG, 4) >= 0)
        return test_child_fail(3, "the server's writes are not visible");
    return 0;
}

static void t_shm(void)
{
    int f0 = freepages();
    int srv = start_child(shm_server, 0);
    EXPECT(srv > 0, "fork failed");
    int h = lookup_wait("ipct.shm");
    EXPECT(h >= 0, "ep_lookup(ipct.shm) returned %d", h);
    g_h = h;
    EXPECT(wait_state(srv, PS_SLEEPING) == 0, "the server never waited");
    int c = start_child(shm_client, 0);
    EXPECT(c > 0, "fork failed");
    int st = reap(c);
    EXPECT(st == 0, "client status %d", st);

    /* Pages outlive the client that allocated them while a server maps them. */
    c = start_child(shm_client_exits, 0);
    EXPECT(c > 0, "fork failed");
    st = reap(c);
    EXPECT(st == 0, "second client status %d", st);
    long r = shm_cmd(h, CMD_CHECK, 4);
    EXPECT(r == 0, "after the client exited, the server's view of its pages: %ld", r);
    r = shm_cmd(h, CMD_QUIT, 0);
    EXPECT(r == 0, "quit: %ld", r);
    st = reap(srv);
    EXPECT(st == 0, "server status %d", st);
    ep_close(h);
    int f1 = freepages();
    EXPECT(f1 == f0, "%d free pages before, %d after both exited", f0, f1);
}

/* --------------------------------------------------------------- fork_noshm */

static int own_shm(long parent_va)
{
    char *va = shm_alloc(1);
    if (!va) return test_child_fail(1, "shm_alloc(1) failed in the child");
    for (long i = 0; i < PG; i++)
        if (va[i])
            return test_child_fail(2, "the child's new shm page (%p, parent's at %p) is not zero",
                                   va, (void *)parent_va);
    if (shm_free(va, 1) != 0) return test_child_fail(3, "shm_free failed in the child");
    return 0;
}

static void t_fork_noshm(void)
{
    char *va = shm_alloc(2);
    EXPECT(va, "shm_alloc(2) failed");
    fill(va, 2 * PG, 5);
    int st = start_child(read_at, (long)va);
    EXPECT(st > 0, "fork failed");
    st = reap(st);
    EXPECT(st == -1, "a child read the parent's shm page: status %d, want -1 (killed)", st);
    st = start_child(write_at, (long)va + PG);
    EXPECT(st > 0, "fork failed");
    st = reap(st);
    EXPECT(st == -1, "a child wrote the parent's shm page: status %d, want -1 (killed)", st);
    st = start_child(own_shm, (long)va);
    EXPECT(st > 0, "fork failed");
    st = reap(st);
    EXPECT(st == 0, "child status %d", st);
    long off = check(va, 2 * PG, 5);
    EXPECT(off < 0, "the parent's shm pages changed at +%ld", off);
    EXPECT(shm_free(va, 2) == 0, "shm_free failed");
}

/* ------------------------------------------------------------- server_death */

#define DYING "ipct.dying"

/* Take one call, never answer it, block in recv on another endpoint. */
static int dying_server(long unused)
{
    (void)unused;
    int ep = ep_create(), idle = ep_create();
    if (ep < 0 || idle < 0 || ep_register(ep, DYING) < 0)
        return test_child_fail(1, "cannot register");
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    if (r < 0) return test_child_fail(2, "recv returned %ld", r);
    r = ipc_recv(idle, &m);
    return test_child_fail(3, "recv on the idle endpoint returned %ld", r);
}

/* Call the dying server: both this call and the next must fail with -EPIPE. */
static int doomed_client(long k)
{
    long w[4] = {k, 0, 0, 0};
    long r = ipc_call(g_h, w);
    if (r != -EPIPE) return test_child_fail(1, "call returned %ld, want -EPIPE", r);
    r = ipc_call(g_h, w);
    if (r != -EPIPE) return test_child_fail(2, "second call returned %ld, want -EPIPE", r);
    return 0;
}

/* Serve one call (w[0] + 1) and exit. */
static int oneshot_server(long unused)
{
    (void)unused;
    int ep = ep_create();
    if (ep < 0 || ep_register(ep, DYING) < 0)
        return test_child_fail(1, "cannot register " DYING " again");
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    if (r < 0) return test_child_fail(2, "recv returned %ld", r);
    long out[4] = {m.w[0] + 1, 0, 0, 0};
    if (ipc_reply((int)m.pid, out) != 0) return test_child_fail(3, "reply failed");
    return 0;
}

static void t_server_death(void)
{
    int srv = start_child(dying_server, 0);
    EXPECT(srv > 0, "fork failed");
    int h = lookup_wait(DYING);
    EXPECT(h >= 0, "ep_lookup(" DYING ") returned %d", h);
    g_h = h;
    EXPECT(wait_state(srv, PS_SLEEPING) == 0, "the server never waited");
    int c[3];
    /* The first client's call is taken; the others queue behind it. */
    c[0] = start_child(doomed_client, 0);
    EXPECT(c[0] > 0, "fork failed");
    EXPECT(wait_state(c[0], PS_SLEEPING) == 0, "client 0 never blocked");
    EXPECT(wait_state(srv, PS_SLEEPING) == 0, "the server never took the call");
    for (int k = 1; k < 3; k++) {
        c[k] = start_child(doomed_client, k);
        EXPECT(c[k] > 0, "fork failed");
        EXPECT(wait_state(c[k], PS_SLEEPING) == 0, "client %d never blocked", k);
    }
    int t0 = uptime();
    EXPECT(kill(srv) == 0, "kill failed");
    int st = reap(srv);
    EXPECT(st == -1, "server status %d, want -1", st);
    for (int k = 0; k < 3; k++) {
        st = reap(c[k]);
        EXPECT(st == 0, "client %d status %d", k, st);
    }
    int dt = uptime() - t0;
    EXPECT(dt <= TICK_HZ, "the clients took %d ticks to fail", dt);
    long w[4] = {0, 0, 0, 0};
    long r = ipc_call(h, w);
    EXPECT(r == -EPIPE, "a later call returned %ld, want -EPIPE", r);
    r = ipc_notify(h, 1);
    EXPECT(r == -EPIPE, "a later notify returned %ld, want -EPIPE", r);
    r = ep_lookup(DYING);
    EXPECT(r == -ENOENT, "ep_lookup of the dead server's name returned %ld, want -ENOENT", r);
    EXPECT(ep_close(h) == 0, "ep_close of the dead handle failed");

    /* A new server takes the name over. */
    srv = start_child(oneshot_server, 0);
    EXPECT(srv > 0, "fork failed");
    int h2 = lookup_wait(DYING);
    EXPECT(h2 >= 0, "ep_lookup after a new server registered returned %d", h2);
    long w2[4] = {41, 0, 0, 0};
    r = ipc_call(h2, w2);
    EXPECT(r == 0 && w2[0] == 42, "call to the new server: %ld, reply %ld", r, w2[0]);
    st = reap(srv);
    EXPECT(st == 0, "new server status %d", st);
    ep_close(h2);
}

/* -------------------------------------------------------------- kill_client */

static int blocked_caller(long v)
{
    long w[4] = {v, 0, 0, 0};
    ipc_call(g_h, w);
    return test_child_fail(1, "call returned; I should have been killed");
}

static void t_kill_client(void)
{
    int ep = ep_create();
    EXPECT(ep >= 0, "ep_create returned %d", ep);
    g_h = ep;
    struct ipc_msg m;

    /* Killed while its call waits to be received: the server never sees it. */
    int c1 = start_child(blocked_caller, 1);
    EXPECT(c1 > 0, "fork failed");
    EXPECT(wait_state(c1, PS_SLEEPING) == 0, "client never blocked");
    EXPECT(kill(c1) == 0, "kill failed");
    int st = reap(c1);
    EXPECT(st == -1, "killed client status %d", st);

    /* Killed while awaiting the reply: replies to it fail with -ESRCH. */
    int c2 = start_child(blocked_caller, 2);
    EXPECT(c2 > 0, "fork failed");
    long r = ipc_recv(ep, &m);
    EXPECT(r == 0, "recv returned %ld", r);
    EXPECT(m.pid == c2 && m.w[0] == 2, "got pid %ld w0 %ld, want %d's call (2)", m.pid, m.w[0], c2);
    EXPECT(kill(c2) == 0, "kill failed");
    EXPECT(wait_state(c2, PS_ZOMBIE) == 0, "killed client never exited");
    r = ipc_reply(c2, zero4);
    EXPECT(r == -ESRCH, "reply to a killed (zombie) client returned %ld", r);
    /* a pending notify: if reply_recv wrongly accepted, its recv would not block */
    EXPECT(ipc_notify(ep, 1) == 0, "notify failed");
    r = ipc_reply_recv(ep, c2, zero4, &m);
    EXPECT(r == -ESRCH, "reply_recv to a killed client returned %ld", r);
    st = reap(c2);
    EXPECT(st == -1, "killed client status %d", st);
    r = ipc_reply(c2, zero4);
    EXPECT(r == -ESRCH, "reply to a reaped client returned %ld", r);
    r = ipc_recv(ep, &m);
    EXPECT(r == 0 && is_notify(&m, 1), "recv: %ld pid %ld w0 %ld, want the notify", r, m.pid,
           m.w[0]);

    /* The server keeps working. */
    int c3 = start_child(call_marker, 3);
    EXPECT(c3 > 0, "fork failed");
    r = ipc_recv(ep, &m);
    EXPECT(r == 0 && m.pid == c3 && m.w[0] == 3, "recv %ld: pid %ld w0 %ld, want %d's call (3)", r,
           m.pid, m.w[0], c3);
    long out[4] = {4, 0, 0, 0};
    EXPECT(ipc_reply(c3, out) == 0, "reply failed");
    st = reap(c3);
    EXPECT(st == 0, "client status %d", st);
    ep_close(ep);
}

/* ------------------------------------------------------------- kill_stress */

#define STRESS       "ipct.stress"
#define STRESS_KILLS 40

/* Serve forever; a caller killed before the reply is not an error. */
static int stress_server(long unused)
{
    (void)unused;
    int ep = ep_create();
    if (ep < 0 || ep_register(ep, STRESS) < 0) return test_child_fail(1, "cannot register");
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    for (;;) {
        if (r == -ESRCH) { /* the caller was killed: nothing was received */
            r = ipc_recv(ep, &m);
            continue;
        }
        if (r < 0) return test_child_fail(2, "recv returned %ld", r);
        long want[4], out[4];
        pp_request(m.w[0], m.w[1], want);
        for (int k = 0; k < 4; k++)
            if (m.w[k] != want[k]) return test_child_fail(3, "bad word %d from %ld", k, m.pid);
        pp_answer(m.w, m.pid, out);
        r = ipc_reply_recv(ep, (int)m.pid, out, &m);
    }
}

/* Call until the server is gone (-EPIPE: exit 0). */
static int stress_client(long tag)
{
    long me = getpid();
    for (long i = 0;; i++) {
        long w[4], want[4];
        pp_request(tag, i, w);
        pp_answer(w, me, want);
        long r = ipc_call(g_h, w);
        if (r == -EPIPE) return 0;
        if (r != 0) return test_child_fail(1, "call returned %ld", r);
        for (int k = 0; k < 4; k++)
            if (w[k] != want[k]) return test_child_fail(2, "round %ld: bad reply word %d", i, k);
    }
}

/* Clients in a tight call loop are killed at random moments and replaced;
 * then the server is killed under the remaining ones. */
static void t_kill_stress(void)
{
    int srv = start_child(stress_server, 0);
    EXPECT(srv > 0, "fork failed");
    int h = lookup_wait(STRESS);
    EXPECT(h >= 0, "ep_lookup returned %d", h);
    g_h = h;
    int pids[PP_CLIENTS];
    for (int k = 0; k < PP_CLIENTS; k++) {
        pids[k] = start_child(stress_client, k);
        EXPECT(pids[k] > 0, "fork failed");
    }
    unsigned long rnd = 12345;
    for (int i = 0; i < STRESS_KILLS; i++) {
        rnd = rnd * 6364136223846793005UL + 1442695040888963407UL;
        int k = (int)(rnd >> 33) % PP_CLIENTS;
        for (int y = (int)(rnd >> 40) % 8; y > 0; y--) yield();
        if (i % 8 == 7) sleep(1);
        EXPECT(kill(pids[k]) == 0, "kill %d failed", pids[k]);
        int st = reap(pids[k]);
        EXPECT(st == -1, "killed client %d: status %d", pids[k], st);
        pids[k] = start_child(stress_client, k);
        EXPECT(pids[k] > 0, "fork failed");
    }
    int state = proc_state(srv);
    EXPECT(state == PS_SLEEPING || state == PS_RUNNING || state == PS_RUNNABLE,
           "the server is gone (state %d)", state);
    sleep(1);
    EXPECT(kill(srv) == 0, "kill of the server failed");
    int st = reap(srv);
    EXPECT(st == -1, "server status %d, want -1 (killed)", st);
    for (int k = 0; k < PP_CLIENTS; k++) {
        st = reap(pids[k]);
        EXPECT(st == 0, "client %d status %d after the server died", pids[k], st);
    }
    ep_close(h);
}

/* -------------------------------------------------------------- bad_handles */

static void t_bad_handles(void)
{
    int closed = ep_create();
    EXPECT(closed >= 0, "ep_create returned %d", closed);
    EXPECT(ep_close(closed) == 0, "ep_close failed");
    int bad[] = {-1, NHANDLE_USER, 1000, -1000000, closed};
    char *page = shm_alloc(1);
    EXPECT(page, "shm_alloc(1) failed");
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int h = bad[i];
        long w[4] = {1, 2, 3, 4};
        struct ipc_msg m;
        long r;
        EXPECT((r = ipc_call(h, w)) == -EBADF, "call(%d) returned %ld", h, r);
        EXPECT((r = ipc_share(h, page, 1, 0, 0, 0)) == -EBADF, "share(%d) returned %ld", h, r);
        EXPECT((r = ipc_recv(h, &m)) == -EBADF, "recv(%d) returned %ld", h, r);
        EXPECT((r = ipc_reply_recv(h, 0, w, &m)) == -EBADF, "reply_recv(%d) returned %ld", h, r);
        EXPECT((r = ipc_notify(h, 1)) == -EBADF, "notify(%d) returned %ld", h, r);
        EXPECT((r = ep_close(h)) == -EBADF, "ep_close(%d) returned %ld", h, r);
        EXPECT((r = ep_register(h, "ipct.bad")) == -EBADF, "register(%d) returned %ld", h, r);
    }
    int pids[] = {-1, 0, 1, getpid(), 1000000};
    for (unsigned i = 0; i < sizeof pids / sizeof pids[0]; i++) {
        long r = ipc_reply(pids[i], zero4);
        EXPECT(r == -ESRCH, "reply to pid %d (not waiting for us) returned %ld", pids[i], r);
    }
    EXPECT(shm_free(page, 1) == 0, "shm_free failed");
}

/* ---------------------------------------------------------------- not_owner */

static int not_owner_child(long h)
{
    struct ipc_msg m;
    long r;
    if ((r = ipc_recv((int)h, &m)) != -EPERM)
        return test_child_fail(1, "recv returned %ld, want -EPERM", r);
    if ((r = ipc_reply_recv((int)h, 0, zero4, &m)) != -EPERM)
        return test_child_fail(2, "reply_recv returned %ld, want -EPERM", r);
    if ((r = ep_register((int)h, "ipct.np")) != -EPERM)
        return test_child_fail(3, "ep_register returned %ld, want -EPERM", r);
    return 0;
}

#define OTHER "ipct.other"

/* Take a call from a client, then the runner's "done" call; answer both. */
static int other_server(long unused)
{
    (void)unused;
    int ep = ep_create();
    if (ep < 0 || ep_register(ep, OTHER) < 0) return test_child_fail(1, "cannot register");
    struct ipc_msg client, done;
    if (ipc_recv(ep, &client) < 0 || ipc_recv(ep, &done) < 0)
        return test_child_fail(2, "recv failed");
    long a[4] = {42, 0, 0, 0}, b[4] = {43, 0, 0, 0};
    if (ipc_reply((int)client.pid, a) != 0) return test_child_fail(3, "reply to the client failed");
    if (ipc_reply((int)done.pid, b) != 0) return test_child_fail(4, "reply to the runner failed");
    return 0;
}

static int other_client(long unused)
{
    (void)unused;
    long w[4] = {1, 0, 0, 0};
    long r = ipc_call(g_h, w);
    if (r != 0 || w[0] != 42) return test_child_fail(1, "call: %ld, reply %ld, want 42", r, w[0]);
    return 0;
}

static void t_not_owner(void)
{
    int ep = ep_create();
    EXPECT(ep >= 0, "ep_create returned %d", ep);
    int c = start_child(not_owner_child, ep);
    EXPECT(c > 0, "fork failed");
    int st = reap(c);
    EXPECT(st == 0, "child status %d", st);
    long w[4] = {0, 0, 0, 0};
    long r = ipc_call(ep, w);
    EXPECT(r == -EINVAL, "call to my own endpoint returned %ld, want -EINVAL", r);
    char *page = shm_alloc(1);
    EXPECT(page, "shm_alloc failed");
    r = ipc_share(ep, page, 1, 0, 0, 0);
    EXPECT(r == -EINVAL, "share to my own endpoint returned %ld, want -EINVAL", r);
    EXPECT(shm_free(page, 1) == 0, "shm_free failed");

    /* Only the server that took a call may answer it. */
    int srv = start_child(other_server, 0);
    EXPECT(srv > 0, "fork failed");
    int h = lookup_wait(OTHER);
    EXPECT(h >= 0, "ep_lookup returned %d", h);
    g_h = h;
    EXPECT(wait_state(srv, PS_SLEEPING) == 0, "the server never waited");
    c = start_child(other_client, 0);
    EXPECT(c > 0, "fork failed");
    EXPECT(wait_state(c, PS_SLEEPING) == 0, "client never blocked");
    EXPECT(wait_state(srv, PS_SLEEPING) == 0, "the server never took the call");
    long forged[4] = {666, 0, 0, 0};
    r = ipc_reply(c, forged);
    EXPECT(r == -ESRCH, "reply to another server's caller returned %ld, want -ESRCH", r);
    EXPECT(ipc_notify(ep, 1) == 0, "notify failed"); /* so reply_recv cannot block */
    struct ipc_msg m;
    r = ipc_reply_recv(ep, c, forged, &m);
    EXPECT(r == -ESRCH, "reply_recv to another server's caller returned %ld, want -ESRCH", r);
    r = ipc_recv(ep, &m);
    EXPECT(r == 0 && is_notify(&m, 1), "recv %ld pid %ld, want my notify", r, m.pid);
    r = ipc_call(h, w);
    EXPECT(r == 0 && w[0] == 43, "done call: %ld reply %ld", r, w[0]);
    st = reap(c);
    EXPECT(st == 0, "client status %d", st);
    st = reap(srv);
    EXPECT(st == 0, "server status %d", st);
    ep_close(h);
    ep_close(ep);
}

/* ---------------------------------------------------------------- bad_names */

static void t_bad_names(void)
{
    int ep = ep_create(), ep2 = ep_create();
    EXPECT(ep >= 0 && ep2 >= 0, "ep_create returned %d %d", ep, ep2);
    char *unmapped = sbrk(0) + (1L << 30); /* far above the break */
    struct {
        const char *name, *what;
    } bad[] = {
        {0, "null"},
        {(const char *)0xFFFFFFC080200000UL, "kernel address"},
        {(const char *)(unsigned long)TRAPFRAME, "TRAPFRAME"},
        {(const char *)(unsigned long)USYSCALL, "USYSCALL page"},
        {(const char *)(SHM_BASE + (1UL << 34)), "unmapped shm address"},
        {unmapped, "unmapped heap address"},
        {"", "empty"},
        {"0123456789abcdef", "16 characters"},
        {"0123456789abcdef0123456789abcdef0123456789", "42 characters"},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long r = ep_register(ep, bad[i].name);
        EXPECT(r < 0, "ep_register(%s) returned %ld", bad[i].what, r);
        r = ep_lookup(bad[i].name);
        EXPECT(r < 0, "ep_lookup(%s) returned %ld", bad[i].what, r);
        if (r >= 0) ep_close((int)r);
    }
    /* a name that runs into an unmapped page without its NUL */
    char *page = shm_alloc(1);
    EXPECT(page, "shm_alloc failed");
    memcpy(page + PG - 3, "abc", 3);
    long r = ep_register(ep, page + PG - 3);
    EXPECT(r < 0, "ep_register of a name running off its page returned %ld", r);
    r = ep_lookup(page + PG - 3);
    EXPECT(r < 0, "ep_lookup of a name running off its page returned %ld", r);
    EXPECT(shm_free(page, 1) == 0, "shm_free failed");
    r = ep_lookup("ipct.nosuch");
    EXPECT(r == -ENOENT, "ep_lookup of a missing name returned %ld", r);
    const char *name15 = "ipct.15chars.ab";
    r = ep_register(ep, name15);
    EXPECT(r == 0, "ep_register of a 15-character name returned %ld", r);
    r = ep_register(ep2, name15);
    EXPECT(r == -EEXIST, "registering a taken name returned %ld, want -EEXIST", r);
    r = ep_lookup(name15);
    EXPECT(r >= 0, "ep_lookup(%s) returned %ld", name15, r);
    ep_close((int)r);
    ep_close(ep);
    ep_close(ep2);
}

/* ---------------------------------------------------------------- bad_share */

/* Each bad ipc_share is tried twice: once while the server waits in recv
 * (the fast path), once queued while it is busy (taken by its next recv).
 * Each try is followed by a good call {GOOD, i, phase}. */
#define GOOD       5150
#define NBAD_SHARE 17

static int bad_share_client(long unused)
{
    (void)unused;
    char *va = shm_alloc(2);
    char *freed = shm_alloc(1);
    if (!va || !freed) return test_child_fail(1, "shm_alloc failed");
    fill(va, 2 * PG, 9);
    if (shm_free(freed, 1) != 0) return test_child_fail(2, "shm_free failed");
    char *heap = sbrk(3 * PG);
    if (heap == (char *)-1) return test_child_fail(3, "sbrk failed");
    heap = (char *)PGROUNDUP((unsigned long)heap);
    heap[0] = 1;
    static char data_page[2 * PG];
    char *data = (char *)PGROUNDUP((unsigned long)data_page);
    struct {
        char *va;
        long npages;
    } bad[NBAD_SHARE] = {
        {va + 1, 1},                           /* unaligned */
        {va + 8, 1},                           /* unaligned */
        {heap, 1},                             /* heap, outside the shm area */
        {data, 1},                             /* data */
        {(char *)0, 1},                        /* null */
        {(char *)0xFFFFFFC080200000UL, 1},     /* kernel */
        {(char *)(SHM_BASE - PG), 1},          /* just below the area */
        {(char *)SHM_TOP, 1},                  /* just above */
        {(char *)(SHM_TOP - PG), 2},           /* runs out of it */
        {va, 0},                               /* no pages */
        {va, -1},                              /* huge */
        {va, 1L << 40},                        /* huge */
        {va, (long)(1UL << 52) + 1},           /* npages * 4096 overflows */
        {va, 3},                               /* the guard page after va */
        {freed, 1},                            /* unmapped again */
        {(char *)(SHM_BASE + (1UL << 34)), 1}, /* never mapped */
        {va + PG, 2},                          /* second page, then the guard */
    };
    int accepted = 0;
    for (int i = 0; i < NBAD_SHARE; i++) {
        for (int phase = 1; phase <= 2; phase++) {
            if (phase == 1 && wait_state(runner_pid, PS_SLEEPING) < 0)
                return test_child_fail(4, "the server never slept");
            long reply[4] = {0, 0, 0, 0};
            long r = ipc_share(g_h, bad[i].va, bad[i].npages, -1, i, reply);
            if (r >= 0) {
                test_child_fail(5, "bad share %d (va %p, %ld pages), phase %d: returned %ld", i,
                                bad[i].va, bad[i].npages, phase, r);
                accepted++;
            }
            long w[4] = {GOOD, i, phase, 0};
            r = ipc_call(g_h, w);
            if (r != 0 || w[0] != GOOD + 1)
                return test_child_fail(6, "good call after bad share %d: %ld, reply %ld", i, r,
                                       w[0]);
        }
    }
    /* After all that, a real share still works. */
    long reply[4] = {0, 0, 0, 0};
    long r = ipc_share(g_h, va, 2, -2, 0, reply);
    if (r != 0 || reply[0] != 0)
        return test_child_fail(7, "good share: %ld, server %ld", r, reply[0]);
    return accepted ? 5 : 0;
}

/* Receive until the good call {GOOD, i, phase}; anything else from the
 * client (a bad share that got through) is a FAIL, but the protocol goes on. */
static int recv_good(int ep, int c, long i, long phase)
{
    for (int n = 0;; n++) {
        struct ipc_msg m;
        long r = ipc_recv(ep, &m);
        if (r < 0) {
            test_fail("recv returned %ld", r);
            return -1;
        }
        long out[4] = {GOOD + 1, 0, 0, 0};
        if (m.pid == c && m.w[0] == GOOD && m.w[1] == i && m.w[2] == phase && !m.shared) {
            ipc_reply(c, out);
            return 0;
        }
        test_fail("bad share %ld, phase %ld reached the server: pid %ld words %lx %ld %ld %ld "
                  "shared %p",
                  i, phase, m.pid, m.w[0], m.w[1], m.w[2], m.w[3], m.shared);
        out[0] = -1;
        if (m.pid) ipc_reply((int)m.pid, out);
        if (m.pid != c || n > 2) return -1;
    }
}

static void t_bad_share(void)
{
    int ep = ep_create();
    EXPECT(ep >= 0, "ep_create returned %d", ep);
    g_h = ep;
    int c = start_child(bad_share_client, 0);
    EXPECT(c > 0, "fork failed");
    for (long i = 0; i < NBAD_SHARE; i++) {
        if (recv_good(ep, c, i, 1) < 0) return;
        /* the client now sends the bad share again, and blocks in it */
        EXPECT(wait_state(c, PS_SLEEPING) == 0, "client never blocked");
        if (recv_good(ep, c, i, 2) < 0) return;
    }
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    EXPECT(r == 0, "recv returned %ld", r);
    long out[4] = {0, 0, 0, 0};
    if (!m.shared || m.w[0] != -2 || m.w[2] != 2)
        out[0] = -1;
    else if (check(m.shared, 2 * PG, 9) >= 0)
        out[0] = -2;
    ipc_reply(c, out);
    EXPECT(out[0] == 0, "the good share: shared %p words %ld %ld %ld (%ld)", m.shared, m.w[0],
           m.w[1], m.w[2], out[0]);
    EXPECT(shm_free(m.shared, 2) == 0, "shm_free of the received pages failed");
    int st = reap(c);
    EXPECT(st == 0, "client status %d", st);
    ep_close(ep);
}

/* ------------------------------------------------------------------ bad_shm */

/* More pages than the machine has: must fail and give every page back. */
static int shm_oom(long npages)
{
    char *va = shm_alloc(npages);
    if (va) return test_child_fail(1, "shm_alloc(%ld) succeeded", npages);
    return 0;
}

static void t_bad_shm(void)
{
    long counts[] = {0, -1, 1L << 40, (long)((SHM_TOP - SHM_BASE) / PG)};
    for (unsigned i = 0; i < sizeof counts / sizeof counts[0]; i++)
        EXPECT(!shm_alloc(counts[i]), "shm_alloc(%ld) succeeded", counts[i]);
    int f0 = freepages();
    long big = 2L * f0;
    int st = start_child(shm_oom, big);
    EXPECT(st > 0, "fork failed");
    st = reap(st);
    EXPECT(st == 0, "child status %d", st);
    int f1 = freepages();
    EXPECT(f1 == f0, "shm_alloc(%ld) failed but took %d pages", big, f0 - f1);
    char *heap = malloc(2 * PG);
    EXPECT(heap, "malloc failed");
    char *va = shm_alloc(1);
    EXPECT(va, "shm_alloc(1) failed");
    struct {
        char *va;
        long npages;
    } bad[] = {
        {(char *)PGROUNDUP((unsigned long)heap), 1},
        {0, 1},
        {(char *)0xFFFFFFC080200000UL, 1},
        {(char *)(SHM_BASE - PG), 1},
        {(char *)(SHM_BASE - PG), 2},
        {va + 1, 1},
        {va, 0},
        {va, -1},
        {va, 1L << 40},
        {(char *)SHM_TOP, 1},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long r = shm_free(bad[i].va, bad[i].npages);
        EXPECT(r < 0, "shm_free(%p, %ld) returned %ld", bad[i].va, bad[i].npages, r);
    }
    va[0] = 7;
    EXPECT(va[0] == 7, "the shm page no longer works");
    EXPECT(shm_free(va, 1) == 0, "shm_free failed");
    free(heap);
}

/* --------------------------------------------------------------- privileged */

static void t_privileged(void)
{
    int ep = ep_create();
    EXPECT(ep >= 0, "ep_create returned %d", ep);
    char *argv[] = {"hello", 0};
    int local;
    struct {
        long r;
        const char *what;
    } calls[] = {
        {spawn("hello", argv), "spawn(hello)"},
        {sys_call6(SYS_dev_map, 0x10000000, 4096, 0, 0, 0, 0), "dev_map(uart)"},
        {sys_call6(SYS_dma_alloc, 1, 0, 0, 0, 0, 0), "dma_alloc(1)"},
        {sys_call6(SYS_va2pa, (long)&local, 0, 0, 0, 0, 0), "va2pa(stack)"},
        {irq_bind(8, ep), "irq_bind(8)"},
        {irq_bind(1, ep), "irq_bind(1)"},
        {irq_ack(8), "irq_ack(8)"},
        {irq_ack(1), "irq_ack(1)"},
        {ev_subscribe(ep), "ev_subscribe"},
    };
    for (unsigned i = 0; i < sizeof calls / sizeof calls[0]; i++)
        EXPECT(calls[i].r == -EPERM, "%s returned %ld, want -EPERM", calls[i].what, calls[i].r);
    long r = irq_ack(0);
    EXPECT(r < 0, "irq_ack(0) returned %ld", r);
    r = irq_ack(100000);
    EXPECT(r < 0, "irq_ack(100000) returned %ld", r);
    ep_close(ep);
}

/* ---------------------------------------------------------------- ep_limit */

/* Children fill the endpoint table, NHANDLE_USER - 1 endpoints each (one
 * handle is the runner's endpoint). Protocol: the child reports {REPORT, n,
 * err} by a call; the runner answers CMD_CLOSE (close them all, try one
 * ep_create, report {AFTER, r}) or CMD_EXIT. */
enum { REPORT = 2001, AFTER, LCMD_CLOSE, LCMD_EXIT };

static int filler(long ctl)
{
    for (int h = 0; h < NHANDLE_USER; h++)
        if (h != ctl) ep_close(h);
    int hs[NHANDLE_USER + 4], n = 0;
    long err = 0;
    while (n < NHANDLE_USER + 4) {
        int h = ep_create();
        if (h < 0) {
            err = h;
            break;
        }
        hs[n++] = h;
    }
    long w[4] = {REPORT, n, err, 0};
    for (;;) {
        long r = ipc_call((int)ctl, w);
        if (r != 0) return test_child_fail(1, "call returned %ld", r);
        if (w[0] == LCMD_EXIT) return 0;
        if (w[0] != LCMD_CLOSE) return test_child_fail(2, "command %ld", w[0]);
        for (int i = 0; i < n; i++)
            if ((r = ep_close(hs[i])) != 0)
                return test_child_fail(3, "ep_close(%d) returned %ld", hs[i], r);
        n = 0;
        long h = ep_create();
        w[0] = AFTER, w[1] = h, w[2] = w[3] = 0;
        if (h >= 0) ep_close((int)h);
    }
}

static void t_ep_limit(void)
{
    int ctl = ep_create();
    EXPECT(ctl >= 0, "ep_create returned %d", ctl);
    int pids[8], nf = 0, total = 0, full = 0;
    long last_err = 0;
    struct ipc_msg m;
    while (nf < 8 && !full) {
        int pid = start_child(filler, ctl);
        EXPECT(pid > 0, "fork failed");
        pids[nf++] = pid;
        long r = ipc_recv(ctl, &m);
        EXPECT(r == 0 && m.pid == pid && m.w[0] == REPORT, "recv %ld: pid %ld w0 %ld", r, m.pid,
               m.w[0]);
        EXPECT(m.w[2] < 0, "child %d created %ld endpoints without an error", pid, m.w[1]);
        total += (int)m.w[1];
        last_err = m.w[2];
        full = m.w[1] < NEP_USER; /* stopped by the table, not by its own limit */
    }
    EXPECT(full, "%d children created %d endpoints and the table is not full", nf, total);
    test_info("the children created %d endpoints before ep_create failed with %ld", total,
              last_err);
    long r = ep_create();
    EXPECT(r < 0, "with the table full, ep_create returned %ld", r);
    r = ep_lookup("ipct.nosuch");
    EXPECT(r == -ENOENT, "ep_lookup with the table full returned %ld", r);

    /* The first child closes its endpoints and creates one again. */
    long cmd[4] = {LCMD_CLOSE, 0, 0, 0};
    EXPECT(ipc_reply(pids[0], cmd) == 0, "reply failed");
    r = ipc_recv(ctl, &m);
    EXPECT(r == 0 && m.pid == pids[0] && m.w[0] == AFTER, "recv %ld: pid %ld w0 %ld", r, m.pid,
           m.w[0]);
    long after = m.w[1];
    long ex[4] = {LCMD_EXIT, 0, 0, 0};
    for (int i = 0; i < nf; i++) ipc_reply(pids[i], ex);
    for (int i = 0; i < nf; i++) {
        int st = reap(pids[i]);
        EXPECT(st == 0, "child %d status %d", pids[i], st);
    }
    r = ep_create();
    EXPECT(r >= 0, "after the owners exited, ep_create returned %ld", r);
    ep_close((int)r);
    EXPECT(after >= 0,
           "the owner closed its %d endpoints (all their handles), then ep_create returned %ld: "
           "closing does not free the slots",
           NHANDLE_USER - 1, after);
    ep_close(ctl);
}

/* A server that closes its only handle to its endpoint can never receive on
 * it again: callers blocked on it must not stay blocked forever. */
#define CLOSER "ipct.closer"

static int closing_server(long unused)
{
    (void)unused;
    int ep = ep_create();
    if (ep < 0 || ep_register(ep, CLOSER) < 0) return test_child_fail(1, "cannot register");
    if (wait_state(runner_pid, PS_SLEEPING) < 0) return test_child_fail(2, "runner never slept");
    ep_close(ep);
    for (;;) sleep(100);
}

static int closer_client(long unused)
{
    (void)unused;
    long w[4] = {0, 0, 0, 0};
    long r = ipc_call(g_h, w);
    return r == -EPIPE ? 0 : test_child_fail(1, "call returned %ld, want -EPIPE", r);
}

static void t_owner_close(void)
{
    /* The runner's handle, for a call that must fail after the close */
    int srv = start_child(closing_server, 0);
    EXPECT(srv > 0, "fork failed");
    int h = lookup_wait(CLOSER);
    EXPECT(h >= 0, "ep_lookup returned %d", h);
    g_h = h;
    int c = start_child(closer_client, 0);
    EXPECT(c > 0, "fork failed");
    EXPECT(wait_state(c, PS_SLEEPING) == 0, "client never blocked");
    /* the server closes its handle once we sleep */
    sleep(TICK_HZ / 2);
    int state = proc_state(c);
    long r = ep_lookup(CLOSER);
    if (r >= 0) ep_close((int)r);
    EXPECT(state == PS_ZOMBIE,
           "the owner closed its only handle; the client blocked in call "
           "is still %s after 0.5 s",
           state == PS_SLEEPING ? "blocked" : "running");
    int st = reap(c);
    EXPECT(st == 0, "client status %d", st);
    EXPECT(r == -ENOENT, "the name still resolves after its owner closed it (%ld)", r);
    kill(srv); /* it sleeps forever once it has closed its endpoint */
    reap(srv);
}

/* ------------------------------------------------------------- mixed_paths */

/* The fast path (proc/ipc_fast.c) takes a call only when the server already
 * waits in recv, and a reply_recv only when nothing is pending for the
 * server; everything else goes the general way. These rounds force each
 * general case, and mix the two: a caller parked by the fast path and
 * answered by ipc_reply, a server parked by the fast path and woken by a
 * notify, reply_recv with notify bits or callers already queued. */

static int two_calls(long v)
{
    for (long i = 0; i < 2; i++) {
        long w[4] = {v + 10 * i, -v, v * 3, 7};
        long r = ipc_call(g_h, w);
        if (r != 0) return test_child_fail(1, "call %ld returned %ld", v + 10 * i, r);
        if (w[0] != v + 10 * i + 1 || w[1] != v || w[2] != v * 3 + 1 || w[3] != 8)
            return test_child_fail(2, "call %ld: reply %ld %ld %ld %ld", v + 10 * i, w[0], w[1],
                                   w[2], w[3]);
    }
    return 0;
}

/* The answer two_calls expects; 0 for a malformed request. */
static int answer(const struct ipc_msg *m, long out[4])
{
    long v = -m->w[1];
    out[0] = m->w[0] + 1, out[1] = v, out[2] = m->w[2] + 1, out[3] = m->w[3] + 1;
    return (m->w[0] == v || m->w[0] == v + 10) && m->w[2] == 3 * v && m->w[3] == 7;
}

/* In a helper of a case: FAIL line and return -1. */
#define EXPECT_RET(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            test_fail(__VA_ARGS__);                                                                \
            return -1;                                                                             \
        }                                                                                          \
    } while (0)

/* Serve until `calls` calls are answered; notifications (pid 0) are OR-ed
 * into *bits. Replies go by reply_recv, the last one by ipc_reply. */
static int serve_mixed(int ep, int calls, unsigned long *bits)
{
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    int pid = 0;
    while (calls > 0) {
        EXPECT_RET(r == 0, "receive returned %ld", r);
        long out[4] = {0, 0, 0, 0};
        if (m.pid == 0) {
            EXPECT_RET(m.w[0] == IPC_KERNEL_NOTIFY, "a kernel message of kind %ld", m.w[0]);
            *bits |= (unsigned long)m.w[1];
            pid = 0;
        } else {
            EXPECT_RET(answer(&m, out), "a malformed request from %ld: %ld %ld %ld %ld", m.pid,
                       m.w[0], m.w[1], m.w[2], m.w[3]);
            pid = (int)m.pid;
            calls--;
        }
        if (calls == 0) break;
        r = ipc_reply_recv(ep, pid, out, &m);
    }
    long out[4];
    answer(&m, out);
    r = ipc_reply(pid, out);
    EXPECT_RET(r == 0, "the last reply returned %ld", r);
    return 0;
}

static void t_mixed_paths(void)
{
    int ep = ep_create();
    EXPECT(ep >= 0, "ep_create returned %d", ep);
    g_h = ep;
    unsigned long bits = 0;

    /* A notify while the server sleeps in reply_recv (parked there by the
     * fast path, or by the general one: it depends on who runs first). */
    int c = start_child(two_calls, 100);
    int n = start_child(notify_when_asleep, 0x40);
    EXPECT(c > 0 && n > 0, "fork failed");
    EXPECT(serve_mixed(ep, 2, &bits) == 0, "serving the first client failed");
    EXPECT(reap(c) == 0, "the first client failed");
    EXPECT(reap(n) == 0, "the notifier failed");
    if (!(bits & 0x40)) { /* it came after the last call: pending now */
        struct ipc_msg m;
        long r = ipc_recv(ep, &m);
        EXPECT(r == 0 && is_notify(&m, 0x40), "no notify 0x40 (r %ld pid %ld)", r, m.pid);
    }

    /* Bits pending at reply_recv: the general path returns them at once. */
    bits = 0;
    EXPECT(ipc_notify(ep, 8) == 0, "self notify failed");
    c = start_child(two_calls, 200);
    EXPECT(c > 0, "fork failed");
    EXPECT(serve_mixed(ep, 2, &bits) == 0, "serving with bits pending failed");
    EXPECT(bits == 8, "bits %lx, want 8", bits);
    EXPECT(reap(c) == 0, "the second client failed");

    /* Callers queued before the server receives: their calls take the
     * general path, and so does each reply_recv while others wait. */
    int pids[3];
    for (int k = 0; k < 3; k++) {
        pids[k] = start_child(two_calls, 1000 * (k + 1));
        EXPECT(pids[k] > 0, "fork failed");
    }
    for (int k = 0; k < 3; k++)
        EXPECT(wait_state(pids[k], PS_SLEEPING) == 0, "client %d never blocked", pids[k]);
    bits = 0;
    EXPECT(serve_mixed(ep, 6, &bits) == 0, "serving queued callers failed");
    for (int k = 0; k < 3; k++) EXPECT(reap(pids[k]) == 0, "queued client %d failed", pids[k]);
    EXPECT(bits == 0, "bits %lx from nowhere", bits);
    ep_close(ep);
}

/* ------------------------------------------------------------------ fair */

/* A direct switch hands the hart from caller to server and back without the
 * run queue; it must still spend the caller's time slice, so that a process
 * waiting on the run queue gets the hart within a bounded time. A CPU-bound
 * process (no system calls while it works) must finish its work while two
 * others ping-pong, in a time close to what the work takes when it shares
 * the hart fairly, and never wait for the hart longer than a few ticks. On
 * one hart all three share it. */

#define FAIR_STOP 0x57 /* the server's reply word 0 that ends the client */

static volatile unsigned long spin_sink;

/* n rounds of pure computation: no system call, no memory but the stack. */
static void spin_work(unsigned long n)
{
    unsigned long x = 1;
    for (unsigned long i = 0; i < n; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
    spin_sink = x;
}

static unsigned long rdtime(void)
{
    unsigned long t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

/* Do n rounds of work in small pieces, reading the clock (no system call)
 * between pieces; exit with the longest time between two pieces, in ms (at
 * most 255): how long this process waited for the hart at worst. The time
 * CSR counts at 10 MHz on QEMU's virt machine. */
static int spinner(long n)
{
    unsigned long piece = 1024, worst = 0, last = rdtime();
    for (unsigned long done = 0; done < (unsigned long)n; done += piece) {
        spin_work(piece);
        unsigned long now = rdtime();
        if (now - last > worst) worst = now - last;
        last = now;
    }
    worst /= 10000;
    return worst > 255 ? 255 : (int)worst;
}

static int fair_client(long unused)
{
    (void)unused;
    for (;;) {
        long w[4] = {1, 0, 0, 0};
        long r = ipc_call(g_h, w);
        if (r != 0) return test_child_fail(1, "call returned %ld", r);
        if (w[0] == FAIR_STOP) return 0;
    }
}

/* One measurement: the spinner does n rounds of work beside a ping-pong.
 * 0, with the spinner's longest wait in ms in *waited; -1 after a FAIL. */
static int fair_round(unsigned long n, int alone, int *waited)
{
    int ep = ep_create();
    EXPECT_RET(ep >= 0, "ep_create returned %d", ep);
    g_h = ep;
    int client = start_child(fair_client, 0);
    EXPECT_RET(client > 0, "fork failed");
    struct ipc_msg m;
    long r = ipc_recv(ep, &m); /* the ping-pong is running */
    EXPECT_RET(r == 0 && m.pid == client, "first receive returned %ld (pid %ld)", r, m.pid);
    int spin = start_child(spinner, (long)n);
    EXPECT_RET(spin > 0, "fork failed");
    int t0 = uptime();
    long rounds = 0;
    /* Sharing fairly with the ping-pong (one of its two runs at a time), the
     * work takes about twice as long as alone; before the direct switch
     * spent the caller's slice it took four to five times as long. */
    int done = 0, limit = 3 * alone + 20;
    while (!done && uptime() - t0 < limit) {
        long w[4] = {2, 0, 0, 0};
        r = ipc_reply_recv(ep, client, w, &m);
        EXPECT_RET(r == 0 && m.pid == client, "receive returned %ld (pid %ld)", r, m.pid);
        if (++rounds % 64 == 0) done = proc_state(spin) == PS_ZOMBIE;
    }
    int took = uptime() - t0;
    long stop[4] = {FAIR_STOP, 0, 0, 0};
    EXPECT_RET(ipc_reply(client, stop) == 0, "the last reply failed");
    EXPECT_RET(reap(client) == 0, "the client failed");
    *waited = reap(spin);
    EXPECT_RET(ep_close(ep) == 0, "ep_close failed");
    test_info("work alone: %d ticks; with a ping-pong beside it: %d ticks, %ld round trips; "
              "longest wait for the hart %d ms",
              alone, took, rounds, *waited);
    EXPECT_RET(done, "the CPU-bound process did not finish in %d ticks (%d alone, %ld round trips)",
               limit, alone, rounds);
    /* Through the run queue (PAGODA_IPC_DIRECT off) every hand-over waits
     * behind the spinner's slice: a few round trips per tick is all there is. */
    if (PAGODA_IPC_DIRECT)
        EXPECT_RET(rounds >= 256, "only %ld round trips while the CPU-bound process ran", rounds);
    return 0;
}

static void t_fair_switch(void)
{
    /* Calibrate: how much work fills about 20 ticks on this machine, alone. */
    unsigned long chunk = 1UL << 16, n = 0;
    int t0 = uptime();
    while (uptime() - t0 < 20) {
        spin_work(chunk);
        n += chunk;
    }
    int alone = uptime() - t0;
    /* A slice is one tick (10 ms): the ping-pong's slice, and the tick that
     * may land just after, is the wait. Before the fix: 80 to 120 ms. With
     * more harts the spinner mostly has one to itself, and what it waits for
     * is the host running QEMU's threads: checked on one hart only (the trace
     * rings, one per hart, say how many there are). The clock is the host's,
     * so a busy host can stretch one wait: three tries, one must be in time. */
    int one_hart = sys_trace_read(1, 0, 0) == -EINVAL;
    int waited = 0;
    for (int try = 0; try < 3; try++) {
        if (fair_round(n, alone, &waited) < 0) return;
        if (!one_hart || waited <= 60) return;
    }
    EXPECT(0, "the CPU-bound process waited %d ms for the hart (three tries)", waited);
}

/* ------------------------------------------------------------------- runner */

static const struct {
    const char *name;
    void (*fn)(void);
} cases[] = {
    {"pingpong", t_pingpong},
    {"caller_pid", t_caller_pid},
    {"deferred", t_deferred},
    {"nested", t_nested},
    {"notify", t_notify},
    {"notify_zero", t_notify_zero},
    {"shm", t_shm},
    {"fork_noshm", t_fork_noshm},
    {"server_death", t_server_death},
    {"kill_client", t_kill_client},
    {"kill_stress", t_kill_stress},
    {"bad_handles", t_bad_handles},
    {"not_owner", t_not_owner},
    {"bad_names", t_bad_names},
    {"bad_share", t_bad_share},
    {"bad_shm", t_bad_shm},
    {"privileged", t_privileged},
    {"ep_limit", t_ep_limit},
    {"owner_close", t_owner_close},
    {"mixed_paths", t_mixed_paths},
    {"fair_switch", t_fair_switch},
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

enum { MSG_RESULT = 1, MSG_DONE };

static int run_cases(int argc, char **argv)
{
    for (int i = 0; i < NCASES; i++) {
        if (!test_selected(argc, argv, cases[i].name)) continue;
        test_case = cases[i].name;
        test_case_failed = 0;
        nkids = nearly = 0;
        cases[i].fn();
        int left = cleanup();
        if (left && !test_case_failed) test_fail("%d children left behind", left);
        if (!test_case_failed) printf("ok %s\n", test_case);
        printf_flush();
        long w[4] = {MSG_RESULT, test_case_failed, i, 0};
        ipc_call(top_ep, w);
    }
    long w[4] = {MSG_DONE, 0, 0, 0};
    ipc_call(top_ep, w);
    return 0;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        int known = 0;
        for (int j = 0; j < NCASES; j++) known |= strcmp(argv[i], cases[j].name) == 0;
        if (!known) {
            fprintf(2, "ipctest: no case '%s'; cases:", argv[i]);
            for (int j = 0; j < NCASES; j++) fprintf(2, " %s", cases[j].name);
            fprintf(2, "\n");
            exit(2);
        }
    }
    test_case = "start";
    int top = ep_create();
    if (top < 0) {
        printf("FAIL start: ep_create returned %d\n", top);
        printf("0 passed, 1 failed\n");
        exit(1);
    }
    int f0 = freepages();
    int runner = fork();
    if (runner == 0) {
        top_ep = top;
        runner_pid = getpid();
        exit(run_cases(argc, argv));
    }
    int dog = fork();
    if (dog == 0) {
        sleep(RUN_MAX);
        ipc_notify(top, 1);
        exit(0);
    }
    test_case = "runner";
    if (runner < 0 || dog < 0) {
        test_fail("fork failed");
        failed++;
    }
    int last = -1, timed_out = 0;
    while (runner > 0 && dog > 0) {
        struct ipc_msg m;
        long r = ipc_recv(top, &m);
        if (r < 0) {
            test_fail("recv returned %ld", r);
            failed++;
            break;
        }
        if (m.pid == 0) {
            timed_out = 1;
            break;
        }
        ipc_reply((int)m.pid, zero4);
        if (m.w[0] != MSG_RESULT) break;
        if (m.w[1])
            failed++;
        else
            passed++;
        last = (int)m.w[2];
    }
    if (timed_out) {
        const char *next = "?";
        for (int i = last + 1; i < NCASES; i++) {
            if (test_selected(argc, argv, cases[i].name)) {
                next = cases[i].name;
                break;
            }
        }
        test_fail("no result after %d s; case %s hangs: killing the runner and its children",
                  RUN_MAX / TICK_HZ, next);
        failed++;
        struct procinfo pi;
        for (int i = 0; procinfo(i, &pi) == 0; i++)
            if (pi.ppid == runner) kill(pi.pid);
        kill(runner);
    }
    if (dog > 0) kill(dog);
    for (int n = (runner > 0) + (dog > 0); n > 0; n--) {
        int st = 0;
        int w = wait(&st);
        if (w == runner && st != 0 && !timed_out) {
            test_fail("runner exit status %d", st);
            failed++;
        }
    }
    int f1 = freepages();
    if (timed_out) {
        /* orphans of the killed runner may still be dying */
        for (int t = 0; t < 100 && f1 != f0; t++) {
            sleep(1);
            f1 = freepages();
        }
    }
    test_end(passed, failed, f0, f1);
}
