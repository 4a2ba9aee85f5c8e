/* kstattest: the kernel's event counters (pagoda/kstat.h, docs/experiments.md)
 * move as the kernel's work says they must. `kstattest` runs every case,
 * `kstattest NAME` one; "ok NAME" / "FAIL NAME: why", then "N passed, M
 * failed". The counters count the whole machine; this suite runs without the
 * disk and file server, so nothing else is busy while it measures, and the
 * bounds allow for a timer tick or two (and an idle hart waking up).
 *
 * What a case expects depends on the build's switches (docs/experiments.md):
 * each such case says on an "  #" line which variant it checked. */
#include "user.h"
#include "testcase.h"
#include "kstat.h"
#include "ipc.h"
#include "syscall.h"

#define PAGE  4096L
#define MEGA  (2L * 1024 * 1024)
#define LOOPS 1000
#define SLACK 200 /* counts that timer ticks and other harts may add */

/* satp writes per user trap: the trampoline loads the kernel table on the way
 * in and the user table on the way out, except in the "shared" design, where
 * one table holds both halves. */
#ifdef PAGODA_KPT_SHARED
#define SATP_PER_TRAP 0
#else
#define SATP_PER_TRAP 2
#endif

static void read_or_fail(struct kstat *k)
{
    if (kstat_read(k) < 0) test_fail("kstat failed, errno %d", errno);
}

/* The call itself: its result, partial copies, bad pointers. */
static void t_call(void)
{
    unsigned long all[KSTAT_N + 2];
    for (int i = 0; i < KSTAT_N + 2; i++) all[i] = 0xdeadUL;
    EXPECT(sys_kstat(all, KSTAT_N + 2) == KSTAT_N, "kstat returned not %d", KSTAT_N);
    EXPECT(all[KSTAT_N] == 0xdeadUL && all[KSTAT_N + 1] == 0xdeadUL, "wrote past KSTAT_N words");
    EXPECT(all[KSTAT_timer_tick] > 0, "no timer tick counted since boot");
    EXPECT(all[KSTAT_pt_alloc] > all[KSTAT_pt_free], "more tables freed than allocated");
    unsigned long two[3] = {0xdeadUL, 0xdeadUL, 0xdeadUL};
    EXPECT(sys_kstat(two, 2) == KSTAT_N && two[2] == 0xdeadUL, "max 2 copied more than 2 words");
    EXPECT(two[0] >= all[0], "pt_alloc went down");
    EXPECT(sys_kstat(0, 0) == KSTAT_N, "max 0 with no buffer failed");
    EXPECT(sys_kstat((unsigned long *)8, KSTAT_N) == -EFAULT, "a bad pointer was not -EFAULT");
    EXPECT(sys_kstat((unsigned long *)0xFFFFFFC080200000UL, KSTAT_N) == -EFAULT,
           "a kernel pointer was not -EFAULT");
    EXPECT(kstat_name[KSTAT_satp_write] && strcmp(kstat_name[KSTAT_satp_write], "satp_write") == 0,
           "names out of step with the list");
}

/* A getpid is one trap: SATP_PER_TRAP satp writes (each with the sfence.vma
 * that goes with it, counted in satp_write), no PTE changed, no fence more. */
static void t_getpid_satp(void)
{
    struct kstat a, b, d;
    read_or_fail(&a);
    for (int i = 0; i < LOOPS; i++) getpid();
    read_or_fail(&b);
    kstat_diff(&d, &b, &a);
    unsigned long want = (unsigned long)SATP_PER_TRAP * (LOOPS + 1);
    test_info("%d getpid: %lu satp writes, %lu local sfence.vma, %lu context switches", LOOPS,
              d.n[KSTAT_satp_write], d.n[KSTAT_sfence_local], d.n[KSTAT_ctx_switch]);
    EXPECT(d.n[KSTAT_satp_write] >= want && d.n[KSTAT_satp_write] <= want + SLACK,
           "%lu satp writes for %d traps, want %lu", d.n[KSTAT_satp_write], LOOPS + 1, want);
    EXPECT(d.n[KSTAT_sfence_local] <= SLACK / 10,
           "%lu sfence.vma of their own for %d getpid: a trap changes no PTE",
           d.n[KSTAT_sfence_local], LOOPS);
    EXPECT(d.n[KSTAT_fault_lazy] + d.n[KSTAT_fault_cow] <= 2, "getpid took %lu page faults",
           d.n[KSTAT_fault_lazy] + d.n[KSTAT_fault_cow]);
}

static int child_exit(long code)
{
    return (int)code;
}

/* A fork makes page tables (two roots and the tables below them); once the
 * child is reaped, every one of them is freed again. */
static void t_fork_tables(void)
{
    struct kstat a, b, d;
    read_or_fail(&a);
    int st = test_in_child(child_exit, 7);
    read_or_fail(&b);
    EXPECT(st == 7, "child: %s", test_how(st));
    kstat_diff(&d, &b, &a);
    test_info("fork, exit, wait: %lu page-table pages allocated, %lu freed, %lu switches",
              d.n[KSTAT_pt_alloc], d.n[KSTAT_pt_free], d.n[KSTAT_ctx_switch]);
    EXPECT(d.n[KSTAT_pt_alloc] >= 3, "fork allocated %lu page-table pages, want a few",
           d.n[KSTAT_pt_alloc]);
    EXPECT(d.n[KSTAT_pt_alloc] == d.n[KSTAT_pt_free],
           "%lu page-table pages allocated, %lu freed: the child's are not all back",
           d.n[KSTAT_pt_alloc], d.n[KSTAT_pt_free]);
    EXPECT(d.n[KSTAT_ctx_switch] >= 2, "only %lu context switches for a fork and wait",
           d.n[KSTAT_ctx_switch]);
}

/* The first touch of a heap page whose 2 MiB range is not all heap: one lazy
 * 4 KiB fault (no fault at all when sbrk allocates at once). */
static void t_lazy_fault(void)
{
    char *b = sbrk(0);
    long pad = (MEGA - (long)b % MEGA) % MEGA;
    EXPECT(sbrk((int)pad) != (char *)-1, "sbrk failed");
    char *p = sbrk((int)PAGE);
    EXPECT(p != (char *)-1, "sbrk failed");
    struct kstat k0, k1, d;
    read_or_fail(&k0);
    *(volatile char *)p = 1;
    read_or_fail(&k1);
    kstat_diff(&d, &k1, &k0);
    EXPECT(sbrk(-(int)(pad + PAGE)) != (char *)-1, "sbrk back failed");
    unsigned long want = PAGODA_LAZY ? 1 : 0;
    test_info("heap %s: first touch took %lu lazy faults (%lu megapage)",
              PAGODA_LAZY ? "lazy" : "eager (PAGODA_LAZY=OFF)", d.n[KSTAT_fault_lazy],
              d.n[KSTAT_fault_mega]);
    EXPECT(d.n[KSTAT_fault_lazy] == want && d.n[KSTAT_fault_mega] == 0,
           "%lu lazy and %lu megapage faults, want %lu and 0", d.n[KSTAT_fault_lazy],
           d.n[KSTAT_fault_mega], want);
}

/* The first touch of a whole aligned 2 MiB of heap: one megapage fault, or a
 * 4 KiB lazy fault without megapages, or none with an eager heap. */
static void t_mega_fault(void)
{
    char *b = sbrk(0);
    long pad = (MEGA - (long)b % MEGA) % MEGA;
    char *p = sbrk((int)(pad + MEGA));
    EXPECT(p != (char *)-1, "sbrk failed");
    char *m = p + pad;
    struct kstat k0, k1, d;
    read_or_fail(&k0);
    m[100 * PAGE] = 1;
    m[200 * PAGE] = 1;
    read_or_fail(&k1);
    kstat_diff(&d, &k1, &k0);
    EXPECT(sbrk(-(int)(pad + MEGA)) != (char *)-1, "sbrk back failed");
    unsigned long mega = PAGODA_LAZY && PAGODA_MEGAPAGES, lazy = PAGODA_LAZY && !mega ? 2 : 0;
    test_info("%s: two touches of a 2 MiB range took %lu megapage and %lu 4 KiB faults",
              !PAGODA_LAZY       ? "eager heap"
              : PAGODA_MEGAPAGES ? "megapages"
                                 : "4 KiB pages only",
              d.n[KSTAT_fault_mega], d.n[KSTAT_fault_lazy]);
    EXPECT(d.n[KSTAT_fault_mega] == mega && d.n[KSTAT_fault_lazy] == lazy,
           "%lu megapage and %lu lazy faults, want %lu and %lu", d.n[KSTAT_fault_mega],
           d.n[KSTAT_fault_lazy], mega, lazy);
}

static char *cow_page;

static int child_write(long arg)
{
    (void)arg;
    struct kstat k0, k1;
    if (kstat_read(&k0) < 0) return 10;
    cow_page[0] = 'c';
    if (kstat_read(&k1) < 0) return 11;
    unsigned long n = k1.n[KSTAT_fault_cow] - k0.n[KSTAT_fault_cow];
    /* at least one: the counters are the machine's, and on more harts the
     * parent may take its own COW fault at the same time */
    if (PAGODA_COW ? n < 1 : n != 0)
        return test_child_fail(1, "a write to a page of the parent's took %lu COW faults", n);
    return 0;
}

/* With copy-on-write, the child's first write to a page it shares with its
 * parent is one COW fault; with an eager fork there are none at all. */
static void t_cow_fault(void)
{
    char *p = sbrk((int)PAGE);
    EXPECT(p != (char *)-1, "sbrk failed");
    p[0] = 'p';
    cow_page = p;
    struct kstat a, b, d;
    read_or_fail(&a);
    int st = test_in_child(child_write, 0);
    read_or_fail(&b);
    kstat_diff(&d, &b, &a);
    test_info("fork %s: %lu COW faults in all", PAGODA_COW ? "copy-on-write" : "eager (COW=OFF)",
              d.n[KSTAT_fault_cow]);
    CHECK(st == 0, "child: %s", test_how(st));
    CHECK(p[0] == 'p', "the child's write showed in the parent");
    if (PAGODA_COW)
        CHECK(d.n[KSTAT_fault_cow] >= 1, "no COW fault counted");
    else
        CHECK(d.n[KSTAT_fault_cow] == 0, "%lu COW faults without COW", d.n[KSTAT_fault_cow]);
    EXPECT(sbrk(-(int)PAGE) != (char *)-1, "sbrk back failed");
}

static int child_bad_read(long arg)
{
    return *(volatile char *)arg;
}

/* A read of page 0 is refused: a bad fault, and the child is killed. */
static void t_bad_fault(void)
{
    struct kstat a, b;
    read_or_fail(&a);
    int st = test_in_child(child_bad_read, 0);
    read_or_fail(&b);
    EXPECT(st == -1, "child reading page 0: %s, want killed", test_how(st));
    unsigned long n = b.n[KSTAT_fault_bad] - a.n[KSTAT_fault_bad];
    EXPECT(n == 1, "%lu bad faults counted, want 1", n);
}

/* sleep gives the hart away and takes it back: context switches and ticks. */
static void t_sleep_ticks(void)
{
    struct kstat a, b, d;
    read_or_fail(&a);
    sleep(3);
    read_or_fail(&b);
    kstat_diff(&d, &b, &a);
    test_info("sleep(3): %lu timer ticks (all harts), %lu context switches", d.n[KSTAT_timer_tick],
              d.n[KSTAT_ctx_switch]);
    EXPECT(d.n[KSTAT_timer_tick] >= 2, "%lu timer ticks in a 3-tick sleep", d.n[KSTAT_timer_tick]);
    EXPECT(d.n[KSTAT_ctx_switch] >= 2, "%lu context switches around a sleep",
           d.n[KSTAT_ctx_switch]);
}

static int ipc_client(long n)
{
    int h = ep_lookup("kstattest");
    if (h < 0) return test_child_fail(1, "lookup failed: %d", h);
    for (long i = 0; i < n; i++) {
        long w[4] = {i, 0, 0, 0};
        if (ipc_call(h, w) < 0 || w[0] != i + 1) return test_child_fail(2, "call %ld failed", i);
    }
    return 0;
}

/* Every IPC call goes through exactly one of the two paths. */
static void t_ipc_calls(void)
{
    static int ep = -1;
    if (ep < 0) {
        ep = ep_create();
        EXPECT(ep >= 0 && ep_register(ep, "kstattest") == 0, "endpoint: %d", ep);
    }
    const long n = 100;
    struct kstat a, b, d;
    read_or_fail(&a);
    int pid = fork();
    if (pid == 0) exit(ipc_client(n));
    EXPECT(pid > 0, "fork failed");
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    for (long i = 0; r >= 0 && i < n; i++) {
        long w[4] = {m.w[0] + 1, 0, 0, 0};
        r = i + 1 < n ? ipc_reply_recv(ep, (int)m.pid, w, &m) : ipc_reply(m.pid, w);
    }
    int st = 12345;
    EXPECT(wait(&st) == pid, "wait failed");
    read_or_fail(&b);
    EXPECT(r >= 0 && st == 0, "ipc failed: %ld, child %s", r, test_how(st));
    kstat_diff(&d, &b, &a);
    unsigned long calls = d.n[KSTAT_ipc_fast] + d.n[KSTAT_ipc_slow];
    test_info("%ld calls: %lu fast path, %lu general path, %lu context switches", n,
              d.n[KSTAT_ipc_fast], d.n[KSTAT_ipc_slow], d.n[KSTAT_ctx_switch]);
    EXPECT(calls == (unsigned long)n, "%lu calls counted, want %ld", calls, n);
    EXPECT(d.n[KSTAT_ctx_switch] >= (unsigned long)n, "only %lu context switches for %ld calls",
           d.n[KSTAT_ctx_switch], n);
}

static const struct testcase cases[] = {
    {"call", t_call},
    {"getpid_satp", t_getpid_satp},
    {"fork_tables", t_fork_tables},
    {"lazy_fault", t_lazy_fault},
    {"mega_fault", t_mega_fault},
    {"cow_fault", t_cow_fault},
    {"bad_fault", t_bad_fault},
    {"sleep_ticks", t_sleep_ticks},
    {"ipc_calls", t_ipc_calls},
};

int main(int argc, char **argv)
{
    test_run(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
    test_summary();
}
