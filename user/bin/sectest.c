/* sectest: the isolation rules of docs/security.md, one case per hole that
 * an adversarial program once found (issue 7), each written to fail on the
 * kernel that had the hole.
 *
 *   sectest            run every case
 *   sectest NAME...    run only the named cases (no_leak always runs)
 *
 * Prints "ok NAME" / "FAIL NAME: why" and ends with "N passed, M failed".
 * Each case runs in a child, so a kernel that kills it (a fault where an
 * error was due) fails that case only; the child's exit status is the
 * number of failed checks. The end of the run asks the kernel to check its
 * own invariants (selfcheck) and demands that every page came back. */
#include "user.h"
#include "testcase.h"
#include "ipc.h"
#include "disk.h"
#include "syscall.h"
#include "pagoda/memlayout.h"

#define PG          4096L
#define SHM_NPAGES  ((long)((SHM_TOP - SHM_BASE) / PG))
#define WAIT_TICKS  (20 * TICK_HZ)
#define NO_STATUS   12345
#define WILD_PTR    0xeaeb0b5b00002f5eUL /* xv6 usertests' pgbug pointer */
#define SHM_LIMIT   8192                 /* VM_SHM_MAX in mm/mm.h */
#define CHILD_LIMIT 40                   /* PROC_CHILD_MAX in proc/proc.h */

static int passed, failed;

/* ------------------------------------------------------------------ helpers */

static int in_region(unsigned long va, long npages)
{
    return va % PG == 0 && va >= SHM_BASE && va < SHM_TOP &&
           (unsigned long)npages <= (SHM_TOP - va) / PG;
}

static int proc_state(int pid, struct procinfo *out)
{
    struct procinfo pi;
    for (int tries = 0; tries < 3; tries++)
        for (int i = 0; procinfo(i, &pi) == 0; i++)
            if (pi.pid == pid) {
                if (out) *out = pi;
                return pi.state;
            }
    return 0;
}

static int pid_of(const char *name)
{
    struct procinfo pi;
    for (int i = 0; procinfo(i, &pi) == 0; i++)
        if (strcmp(pi.name, name) == 0 && pi.state != PS_ZOMBIE) return pi.pid;
    return -1;
}

/* Wait for pid to exit, at most `ticks`; its status, or NO_STATUS after
 * killing it (it hung). */
static int reap_within(int pid, int ticks)
{
    int t0 = uptime();
    while (proc_state(pid, 0) != PS_ZOMBIE && uptime() - t0 < ticks) sleep(1);
    int hung = proc_state(pid, 0) != PS_ZOMBIE;
    if (hung) kill(pid);
    int st = NO_STATUS;
    while (wait(&st) != pid) {
    }
    return hung ? NO_STATUS : st;
}

/* A server that keeps every page shared with it and answers 0, until a
 * call with w[0] == -1; replies -ENOMEM-like errors are the kernel's. */
static int keeper_server(const char *name)
{
    int ep = ep_create();
    if (ep < 0 || ep_register(ep, name) < 0) return 1;
    struct ipc_msg m;
    long w[4] = {0};
    long r = ipc_recv(ep, &m);
    for (;;) {
        if (r < 0) return 2;
        if (m.pid && m.w[0] == -1 && !m.shared) {
            ipc_reply((int)m.pid, w);
            return 0;
        }
        w[0] = (long)m.shared;
        r = ipc_reply_recv(ep, (int)m.pid, w, &m);
    }
}

static int lookup_wait(const char *name)
{
    int t0 = uptime();
    for (;;) {
        int h = ep_lookup(name);
        if (h != -ENOENT || uptime() - t0 > WAIT_TICKS) return h;
        yield();
    }
}

/* Run one case body in a child; ok or FAIL from its status. */
static void run_case(const char *name, int (*body)(void))
{
    test_case = name;
    test_case_failed = 0;
    printf_flush();
    int pid = fork();
    if (pid == 0) exit(body());
    int st = pid < 0 ? -2 : reap_within(pid, 120 * TICK_HZ);
    if (st == 0) {
        printf("ok %s\n", name);
        passed++;
    } else {
        if (!test_case_failed)
            printf("FAIL %s: %s (status %d)\n", name,
                   st == NO_STATUS ? "hung"
                   : st == -1      ? "killed by the kernel"
                                   : "see above",
                   st);
        failed++;
    }
    printf_flush();
}

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            test_child_fail(0, __VA_ARGS__);                                                       \
            bad++;                                                                                 \
        }                                                                                          \
    } while (0)

/* ------------------------------------------------------ hole 1: shm region */

/* A failed reservation of the whole region must not move the region's
 * end: afterwards every allocation still lands inside [SHM_BASE, SHM_TOP). */
static int c_shm_wrap(void)
{
    int bad = 0;
    long sizes[] = {SHM_NPAGES - 1, SHM_NPAGES, SHM_NPAGES + 1, 1L << 40, -1};
    for (int i = 0; i < 5; i++) {
        void *p = shm_alloc(sizes[i]);
        CHECK(p == 0, "shm_alloc(%ld) succeeded at %p", sizes[i], p);
    }
    for (int i = 0; i < 64; i++) {
        long n = 1 + i % 5;
        char *p = shm_alloc(n);
        CHECK(p && in_region((unsigned long)p, n), "shm_alloc(%ld) after the failures: %p", n, p);
        if (!p || !in_region((unsigned long)p, n)) break;
        p[0] = 1; /* it is ours */
    }
    return bad;
}

/* Freed shared addresses are found again: alloc/free in a loop stays put. */
static int c_shm_reuse(void)
{
    int bad = 0;
    char *keep = shm_alloc(3);
    char *first = shm_alloc(2);
    CHECK(keep && first, "shm_alloc failed");
    if (!keep || !first) return bad;
    shm_free(first, 2);
    long free0 = freepages();
    for (int i = 0; i < 3000; i++) {
        char *p = shm_alloc(2);
        if (p != first) {
            CHECK(0, "round %d: shm_alloc gave %p, want the freed %p", i, p, first);
            break;
        }
        p[PG] = 1;
        shm_free(p, 2);
    }
    CHECK(freepages() == free0, "free pages %d, want %ld", freepages(), free0);
    return bad;
}

/* A server that once failed to reserve the whole region still gets every
 * shared page inside it, and its freed addresses are reused. */
static int c_share_edges(void)
{
    int bad = 0;
    int pid = fork();
    if (pid == 0) {
        if (shm_alloc(SHM_NPAGES - 1) != 0) exit(9);
        /* like keeper_server, but frees every share after checking it */
        int ep = ep_create();
        if (ep < 0 || ep_register(ep, "sec_edge") < 0) exit(1);
        struct ipc_msg m;
        long w[4] = {0};
        long r = ipc_recv(ep, &m);
        while (r >= 0) {
            if (m.w[0] == -1) {
                ipc_reply((int)m.pid, w);
                exit(0);
            }
            w[0] = (long)m.shared;
            w[1] = in_region((unsigned long)m.shared, m.w[2]);
            if (m.shared) shm_free(m.shared, m.w[2]);
            r = ipc_reply_recv(ep, (int)m.pid, w, &m);
        }
        exit(2);
    }
    int h = lookup_wait("sec_edge");
    char *buf = shm_alloc(4);
    CHECK(h >= 0 && buf, "lookup %d, shm_alloc %p", h, buf);
    long first = 0;
    for (int i = 0; i < 2000 && h >= 0 && buf; i++) {
        long reply[4];
        long r = ipc_share(h, buf, 1 + i % 4, 0, 0, reply);
        if (r < 0 || !reply[1]) {
            CHECK(0, "share %d: %ld, landed at 0x%lx", i, r, reply[0]);
            break;
        }
        if (i == 0) first = reply[0];
        if (reply[0] != first) {
            CHECK(0, "share %d landed at 0x%lx, want the freed 0x%lx", i, reply[0], first);
            break;
        }
    }
    long w[4] = {-1};
    if (h >= 0) ipc_call(h, w);
    CHECK(reap_within(pid, WAIT_TICKS) == 0, "the server failed");
    return bad;
}

/* The recipe against the disk server: tens of thousands of shares
 * it refuses (DISK_INFO carries no pages). The server must stay whole. */
static int c_disk_share_flood(void)
{
    int bad = 0;
    int h = ep_lookup(DISK_NAME);
    if (h < 0) return test_child_fail(1, "no disk server (%d)", h);
    char *page = shm_alloc(1);
    long reply[4];
    int refused = 0;
    for (int i = 0; i < 31000; i++) {
        long r = ipc_share(h, page, 1, DISK_INFO, 0, reply);
        if (r < 0 || reply[0] != -EINVAL) {
            CHECK(0, "share %d: %ld / %ld", i, r, reply[0]);
            break;
        }
        refused++;
    }
    CHECK(disk_open(4) == 0, "disk_open after %d refused shares", refused);
    CHECK(disk_read(0, 0) == 0, "disk_read after the flood");
    disk_close();
    struct procinfo pi;
    int dpid = pid_of("disk");
    CHECK(dpid > 0 && proc_state(dpid, &pi) &&
                  pi.size<512 * 1024, "disk server is %lu KiB after the flood", dpid> 0
              ? pi.size / 1024
              : 0);
    return bad;
}

/* ------------------------------------------- hole 2: reference-count limit */

/* One page shared more than 65,535 times (with servers that keep every
 * mapping), then the servers die: no count wraps, nothing panics. */
static int c_ref_overflow(void)
{
    int bad = 0;
    enum { NSERVERS = 9, WANT = 66000 };
    char *page = shm_alloc(1);
    page[0] = 42;
    int pids[NSERVERS];
    long total = 0;
    for (int s = 0; s < NSERVERS && total < WANT; s++) {
        char name[16];
        snprintf(name, sizeof name, "sec_keep%d", s);
        pids[s] = fork();
        if (pids[s] == 0) exit(keeper_server(name));
        int h = lookup_wait(name);
        long reply[4];
        while (total < WANT && ipc_share(h, page, 1, 0, 0, reply) == 0) total++;
        ep_close(h);
    }
    CHECK(total >= WANT, "only %ld shares were taken", total);
    for (int s = 0; s < NSERVERS; s++) {
        kill(pids[s]);
        wait(0);
    }
    CHECK(page[0] == 42, "the page changed");
    return bad;
}

/* -------------------------------------------------------------------- main */

static const struct {
    const char *name;
    int (*body)(void);
} cases[] = {
    {"shm_wrap", c_shm_wrap},         {"shm_reuse", c_shm_reuse},
    {"share_edges", c_share_edges},   {"disk_share_flood", c_disk_share_flood},
    {"ref_overflow", c_ref_overflow},
};

int main(int argc, char **argv)
{
    int free0 = freepages();
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (test_selected(argc, argv, cases[i].name)) run_case(cases[i].name, cases[i].body);
    sleep(10); /* servers may take a moment to drop what dead clients held */
    test_end(passed, failed, free0, freepages());
}
