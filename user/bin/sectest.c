/* sectest: the isolation rules of docs/security.md, one case per hole that
 * an adversarial program once found (issue 7), each written to fail on the
 * kernel that had the hole.
 *
 *   sectest            run every case
 *   sectest NAME...    run only the named cases (no_leak always runs)
 *   sectest faults     fault injection; boot with failpages=N (and faildisk=N)
 * Started by init (boot with spawn=sectest) it runs only the case that needs
 * privilege: the disk server is killed and must come back (restart).
 *
 * ctest-drive: 4 MiB (a blank scratch disk: it attacks the disk server)
 * ctest-append: nofs (no file system on that disk, so no fs server)
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

/* A case child shares its pages copy-on-write with sectest until it writes
 * them; a first write during a measurement (errno, when procinfo reaches the
 * end of the list) would copy a page and count as a page gone. Write them now. */
static void own_pages(void)
{
    errno = 0;
    proc_state(-1, 0);
    printf_flush();
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

#define CHILD_CHECK(cond, ...)                                                                     \
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
        CHILD_CHECK(p == 0, "shm_alloc(%ld) succeeded at %p", sizes[i], p);
    }
    for (int i = 0; i < 64; i++) {
        long n = 1 + i % 5;
        char *p = shm_alloc(n);
        CHILD_CHECK(p && in_region((unsigned long)p, n), "shm_alloc(%ld) after the failures: %p", n,
                    p);
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
    CHILD_CHECK(keep && first, "shm_alloc failed");
    if (!keep || !first) return bad;
    shm_free(first, 2);
    own_pages();
    long free0 = freepages();
    for (int i = 0; i < 3000; i++) {
        char *p = shm_alloc(2);
        if (p != first) {
            CHILD_CHECK(0, "round %d: shm_alloc gave %p, want the freed %p", i, p, first);
            break;
        }
        p[PG] = 1;
        shm_free(p, 2);
    }
    /* other harts may hold a page for a moment (another process's call) */
    for (int t = 0; t < 100 && freepages() != free0; t++) sleep(1);
    CHILD_CHECK(freepages() == free0, "free pages %d, want %ld", freepages(), free0);
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
    CHILD_CHECK(h >= 0 && buf, "lookup %d, shm_alloc %p", h, buf);
    long first = 0;
    for (int i = 0; i < 2000 && h >= 0 && buf; i++) {
        long reply[4];
        long r = ipc_share(h, buf, 1 + i % 4, 0, 0, reply);
        if (r < 0 || !reply[1]) {
            CHILD_CHECK(0, "share %d: %ld, landed at 0x%lx", i, r, reply[0]);
            break;
        }
        if (i == 0) first = reply[0];
        if (reply[0] != first) {
            CHILD_CHECK(0, "share %d landed at 0x%lx, want the freed 0x%lx", i, reply[0], first);
            break;
        }
    }
    long w[4] = {-1};
    if (h >= 0) ipc_call(h, w);
    CHILD_CHECK(reap_within(pid, WAIT_TICKS) == 0, "the server failed");
    return bad;
}

/* The disk server's size in bytes, or 0 if there is none. */
static uint64 disk_server_size(void)
{
    struct procinfo pi;
    int dpid = pid_of("disk");
    return dpid > 0 && proc_state(dpid, &pi) ? pi.size : 0;
}

/* The recipe against the disk server: tens of thousands of shares
 * it refuses (DISK_INFO carries no pages). The server must stay whole and
 * keep none of them (it may hold an fs server's regions besides). */
static int c_disk_share_flood(void)
{
    int bad = 0;
    int h = ep_lookup(DISK_NAME);
    if (h < 0) return test_child_fail(1, "no disk server (%d)", h);
    uint64 size0 = disk_server_size();
    char *page = shm_alloc(1);
    long reply[4];
    int refused = 0;
    for (int i = 0; i < 31000; i++) {
        long r = ipc_share(h, page, 1, DISK_INFO, 0, reply);
        if (r < 0 || reply[0] != -EINVAL) {
            CHILD_CHECK(0, "share %d: %ld / %ld", i, r, reply[0]);
            break;
        }
        refused++;
    }
    CHILD_CHECK(disk_open(4) == 0, "disk_open after %d refused shares", refused);
    CHILD_CHECK(disk_read(0, 0) == 0, "disk_read after the flood");
    disk_close();
    uint64 size1 = disk_server_size();
    CHILD_CHECK(size1 && size1 < size0 + 256 * 1024,
                "disk server is %lu KiB after the flood, %lu KiB before", size1 / 1024,
                size0 / 1024);
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
        long reply[4], took = 0;
        while (total < WANT && ipc_share(h, page, 1, 0, 0, reply) == 0) total++, took++;
        if (s == 0)
            CHILD_CHECK(took == SHM_LIMIT, "a server took %ld shared pages, limit %d", took,
                        SHM_LIMIT);
        ep_close(h);
    }
    CHILD_CHECK(total >= WANT, "only %ld shares were taken", total);
    for (int s = 0; s < NSERVERS; s++) {
        kill(pids[s]);
        wait(0);
    }
    CHILD_CHECK(page[0] == 42, "the page changed");
    return bad;
}

/* --------------------------------------------- hole 3: per-process limits */

/* Touch one page in each of `ranges` empty 2 MiB heap ranges: every touch
 * needs a page-table page in the user table, and with the perproc kernel
 * page-table design one in the kernel's view too. */
static int sparse_toucher(long ranges)
{
    char *cur = sbrk(0);
    char *base = (char *)(((unsigned long)cur + MEGAPAGE - 1) & ~(MEGAPAGE - 1));
    if (sbrk((int)(base - cur) + 2 * (int)PG) == (char *)-1) return 3;
    for (long i = 0; i < ranges; i++) {
        /* the 2 MiB around it is not all heap yet: a 4 KiB page, no megapage */
        base[i * (long)MEGAPAGE + PG] = 1;
        if (sbrk((int)MEGAPAGE) == (char *)-1) return 4;
    }
    return 0;
}

static int c_limits(void)
{
    int bad = 0;
    /* endpoints: at most 8 each */
    int n = 0;
    while (n < 20 && ep_create() >= 0) n++;
    CHILD_CHECK(n == 8 - 0, "created %d endpoints, want the limit 8", n);
    for (int h = 0; h < 16; h++) ep_close(h);
    /* handles: 16, the table in the process */
    int srv = ep_create();
    ep_register(srv, "sec_lim");
    n = 1;
    while (n < 40 && ep_lookup("sec_lim") >= 0) n++;
    CHILD_CHECK(n == 16, "%d handles, want 16", n);
    for (int h = 0; h < 16; h++) ep_close(h);
    /* children: at most CHILD_LIMIT each */
    int kids = 0, err = 0;
    for (;;) {
        int pid = fork();
        if (pid == 0) {
            sleep(1000);
            exit(0);
        }
        if (pid < 0) {
            err = errno;
            break;
        }
        kids++;
    }
    CHILD_CHECK(kids <= CHILD_LIMIT && err == EAGAIN, "%d children, then errno %d", kids, err);
    /* ... and meanwhile another process runs normally (the case's parent
     * checks disk I/O after we are done; here: IPC and memory). */
    struct procinfo pi;
    for (int i = 0; procinfo(i, &pi) == 0; i++)
        if (pi.ppid == getpid()) kill(pi.pid);
    while (wait(0) >= 0) {
    }
    /* the shared region: at most SHM_LIMIT pages */
    long got = 0;
    char *p;
    while ((p = shm_alloc(1024)) != 0) got += 1024;
    CHILD_CHECK(got <= SHM_LIMIT && got >= SHM_LIMIT - 1024, "%ld shared pages", got);
    /* page tables: ps counts them, and past the limit a touch kills */
    int pid = fork();
    if (pid == 0) {
        struct procinfo before, after;
        proc_state(getpid(), &before);
        if (sparse_toucher(400) != 0) exit(1);
        proc_state(getpid(), &after);
        /* 400 pages of data and 400 or 800 table pages: exit 10 + tables per touch */
        long tables = (long)((after.size - before.size) / PG) - 400;
        exit(tables >= 400 ? 10 + (int)(tables / 400) : 2);
    }
    int st = reap_within(pid, WAIT_TICKS);
    CHILD_CHECK(st == 11 || st == 12, "ps does not count page-table pages (status %d)", st);
    long ranges = st == 11 || st == 12 ? 2200 / (st - 10) : 2200; /* 2200 table pages */
    pid = fork();
    if (pid == 0) exit(sparse_toucher(ranges));
    st = reap_within(pid, WAIT_TICKS);
    CHILD_CHECK(st == -1, "%ld sparse pages: status %d, want killed (-1) at the table limit",
                ranges, st);
    return bad;
}

/* -------------------------------------------- hole 4: names, kill, reserve */

static int c_names(void)
{
    int bad = 0;
    int h = ep_create();
    const char *names[] = {"fs", "init", "disk"};
    for (int i = 0; i < 3; i++) { /* EEXIST when the server is there (disk; fs unless nofs) */
        int taken = ep_lookup(names[i]) >= 0;
        int r = ep_register(h, names[i]);
        CHILD_CHECK(r == -EPERM || (r == -EEXIST && taken), "ep_register(\"%s\") = %d", names[i],
                    r);
    }
    CHILD_CHECK(ep_register(h, "sec_mine") == 0, "an ordinary name was refused");
    return bad;
}

static int c_kill_servers(void)
{
    int bad = 0;
    int dpid = pid_of("disk");
    CHILD_CHECK(dpid > 0, "no disk server");
    int r = kill(dpid);
    CHILD_CHECK(r == -1 && errno == EPERM, "kill(disk) = %d (errno %d)", r, errno);
    r = kill(1);
    CHILD_CHECK(r == -1 && errno == EPERM, "kill(init) = %d (errno %d)", r, errno);
    long w[4] = {DISK_INFO};
    int h = ep_lookup(DISK_NAME);
    CHILD_CHECK(h >= 0 && ipc_call(h, w) == 0 && w[0] == 0, "the disk server does not answer");
    CHILD_CHECK(pid_of("disk") == dpid, "the disk server changed");
    return bad;
}

/* Unprivileged processes together cannot take the endpoints the system
 * servers need to start again. */
static int c_ep_reserve(void)
{
    int bad = 0;
    int ctl = ep_create();
    ep_register(ctl, "sec_epctl");
    int total = 0, nk = 0;
    for (; nk < 12; nk++) {
        int pid = fork();
        if (pid == 0) {
            int n = 0;
            while (ep_create() >= 0) n++;
            int h = ep_lookup("sec_epctl");
            long w[4] = {n};
            ipc_call(h, w); /* report, then wait to be told to go */
            exit(0);
        }
        struct ipc_msg m;
        if (pid < 0 || ipc_recv(ctl, &m) < 0) break;
        total += (int)m.w[0];
        if (m.w[0] == 0) {
            ipc_reply((int)m.pid, m.w);
            nk++;
            break;
        }
        /* it stays blocked in its call, holding its endpoints, until killed */
    }
    CHILD_CHECK(total <= 64 - 8 - 1, "unprivileged processes hold %d endpoints", total);
    CHILD_CHECK(total >= 40, "only %d endpoints could be made", total);
    struct procinfo pi;
    for (int i = 0; procinfo(i, &pi) == 0; i++)
        if (pi.ppid == getpid()) kill(pi.pid);
    while (wait(0) >= 0) {
    }
    return bad;
}

/* ---------------------------------------- hole 5: exit events, per client */

static int disk_size(void)
{
    struct procinfo pi;
    int pid = pid_of("disk");
    return pid > 0 && proc_state(pid, &pi) ? (int)(pi.size / PG) : -1;
}

/* A client that exits without disconnecting: the disk server lets its
 * pages go at once, not when its table next fills up. */
static int c_client_exit(void)
{
    int bad = 0;
    int before = disk_size();
    int pid = fork();
    if (pid == 0) {
        if (disk_open(32) < 0 || disk_read(1, 3) < 0) exit(1);
        sleep(1000); /* until killed */
        exit(0);
    }
    int t0 = uptime(), during = before;
    while (during < before + 32 && uptime() - t0 < WAIT_TICKS) during = disk_size(), sleep(1);
    CHILD_CHECK(during >= before + 32, "the client did not connect (%d pages, then %d)", before,
                during);
    kill(pid);
    wait(0);
    t0 = uptime();
    int after = disk_size();
    while (after > before && uptime() - t0 < 2 * TICK_HZ) after = disk_size(), sleep(1);
    CHILD_CHECK(after <= before, "disk server: %d pages, %d with the client, %d 2 s after it died",
                before, during, after);
    /* and exits of many clients, some in mid-request, never leave it stuck */
    for (int i = 0; i < 20; i++) {
        pid = fork();
        if (pid == 0) {
            disk_open(DISK_MAX_NBLOCKS);
            for (;;) disk_readn(0, 0, DISK_MAX_NBLOCKS);
        }
        sleep(1);
        kill(pid);
        wait(0);
    }
    CHILD_CHECK(disk_open(4) == 0 && disk_read(2, 1) == 0, "disk I/O after 20 killed clients");
    disk_close();
    return bad;
}

/* ------------------------------------------- hole 6: bad pointers in ulib */

static int c_bad_pointers(void)
{
    int bad = 0;
    char *argv[] = {"echo", 0};
    const char *paths[] = {(const char *)WILD_PTR, (const char *)(SHM_BASE + (1UL << 34)),
                           (const char *)(MAXVA - 1), 0};
    for (int i = 0; i < 4; i++) {
        errno = 0;
        int r = exec(paths[i], argv);
        CHILD_CHECK(r == -1 && errno == EFAULT, "exec(%p) = %d, errno %d", paths[i], r, errno);
    }
    void *bufs[] = {(void *)WILD_PTR, 0, (void *)(SHM_BASE + (1UL << 34)), (void *)UTEXT_BASE};
    for (int i = 0; i < 4; i++) {
        errno = 0;
        int r = read(0, bufs[i], 10);
        CHILD_CHECK(r == -1 && errno == EFAULT, "read(0, %p) = %d, errno %d", bufs[i], r, errno);
    }
    return bad;
}

/* --------------------------------------------- hole 7: process-slot reserve */

static int bomb(void)
{
    int kids = 0;
    for (int i = 0; i < 64; i++) {
        int pid = fork();
        if (pid == 0) {
            bomb();
            exit(0);
        }
        if (pid < 0) break;
        kids++;
    }
    sleep(8 * TICK_HZ); /* long enough for the checks, even on a busy host */
    while (kids-- > 0) wait(0);
    return 0;
}

static int live_processes(void)
{
    struct procinfo pi;
    int live = 0;
    for (int i = 0; procinfo(i, &pi) == 0; i++) live++;
    return live;
}

/* A fork bomb leaves free slots for the shell (init's own child), so kill
 * can still be run. */
static int c_fork_bomb(void)
{
    int bad = 0;
    int pid = fork();
    if (pid == 0) exit(bomb());
    int live = 0, t0 = uptime();
    while ((live = live_processes()) < 64 - 4 - 3 && uptime() - t0 < 5 * TICK_HZ) sleep(5);
    sleep(TICK_HZ / 2); /* the last forks settle */
    live = live_processes();
    int me = fork(); /* we are no child of init: no reserve for us */
    if (me == 0) exit(0);
    if (me > 0) wait(0);
    CHILD_CHECK(live <= 64 - 4, "%d processes live during the bomb: no reserve left", live);
    CHILD_CHECK(live >= 64 - 4 - 3, "only %d processes: the bomb did not fill the table", live);
    CHILD_CHECK(live < 64 - 4 || (me < 0 && errno == EAGAIN),
                "with %d processes live our fork gave %d: it took the reserve", live, me);
    CHILD_CHECK(reap_within(pid, 30 * TICK_HZ) == 0, "the bomb did not end");
    return bad;
}

/* ---------------------------------------------------------- fault injection */

static int disk_eio; /* in a worker: reads that failed with EIO */

static int clean_error(int e)
{
    return e == ENOMEM || e == EAGAIN || e == EIO || e == EPIPE || e == EBUSY || e == EINTR;
}

/* One process's worth of work under injected failures: every failure must
 * be a clean error code (a fault the kernel cannot resolve for lack of
 * memory kills the process instead, as documented). 0, or the check that
 * saw something else. */
static int faulty_work(int round)
{
    char *heap = sbrk(16 * (int)PG);
    if (heap == (char *)-1 && !clean_error(errno)) return 1;
    if (heap != (char *)-1)
        for (int i = 0; i < 16; i++) heap[i * PG] = (char)i; /* may kill us: fine */
    char *sh = shm_alloc(4);
    if (sh) sh[0] = 1;
    int ep = ep_create();
    if (ep < 0 && !clean_error(-ep)) return 2;
    int r = disk_open(8);
    if (r < 0 && !clean_error(-r)) return 3;
    if (r == 0) {
        for (int i = 0; i < 8; i++) {
            r = disk_readn(i, 0, 1 + i % 4);
            if (r < 0 && !clean_error(-r)) return 4;
            if (r == -EIO) disk_eio++;
        }
        r = disk_close();
        if (r < 0 && !clean_error(-r)) return 5;
    }
    if (round % 4 == 0) {
        int pid = fork();
        if (pid == 0) exit(0);
        if (pid < 0 && !clean_error(errno)) return 6;
        if (pid > 0) wait(0);
    }
    if (round % 8 == 0) {
        char *argv[] = {"bench_nop", 0};
        exec("bench_nop", argv); /* on success the child is bench_nop: exit 0 */
        if (!clean_error(errno)) return 1000 + errno;
    }
    return disk_eio ? 100 : 0; /* 100: fine, and the disk said EIO */
}

/* The workers' parent: 200 rounds, one worker each. */
static int fault_driver(long every)
{
    int bad = 0;
    int oom = 0, rounds = 200, forkfail = 0, eio = 0;
    for (int i = 0; i < rounds; i++) {
        int pid = fork(); /* our own forks do not fail: only the worker's do */
        if (pid == 0) {
            sys_faultinject(1);
            exit(faulty_work(i));
        }
        int st = NO_STATUS;
        if (pid < 0) {
            forkfail++;
            continue;
        }
        wait(&st);
        if (st == -1) oom++; /* killed: a page fault found no memory */
        if (st == 100) eio++, st = 0;
        CHILD_CHECK(st == 0 || st == -1, "round %d: the worker saw an unclean error (check %d)", i,
                    st);
        if (st != 0 && st != -1) break;
    }
    test_info("%d rounds: %d workers killed for lack of memory (1 in %ld allocations fails), "
              "%d saw EIO from the disk, %d forks failed",
              rounds, oom, every, eio, forkfail);
    return bad;
}

static int c_faults(void)
{
    int bad = 0;
    long every = sys_faultinject(0);
    if (every == -ENOSYS) return test_child_fail(1, "boot with failpages=N to run this case");
    own_pages();
    int free0 = freepages();
    int pid = fork();
    if (pid == 0) exit(fault_driver(every));
    CHILD_CHECK(reap_within(pid, 100 * TICK_HZ) == 0, "the workers failed (above)");
    for (int t = 0; t < 1000 && freepages() != free0; t++) sleep(1); /* servers catch up */
    CHILD_CHECK(freepages() == free0, "free pages %d, %d before", freepages(), free0);
    long w[4] = {DISK_INFO};
    int h = ep_lookup(DISK_NAME);
    CHILD_CHECK(h >= 0 && ipc_call(h, w) == 0 && w[0] == 0, "the disk server does not answer");
    CHILD_CHECK(sys_selfcheck() == 0, "kernel self-check failed (kernel log above)");
    return bad;
}

/* ------------------------------------- init restarts servers (privileged) */

/* Kill the disk server (we may: init spawned us, see main) and wait for a
 * new one to answer; ticks it took, or -1. */
static int kill_and_wait_disk(int *pid)
{
    int old = pid_of("disk"), t0 = uptime();
    if (old < 0 || kill(old) < 0) return -1;
    for (;;) {
        int now = pid_of("disk");
        int h = now > 0 && now != old ? ep_lookup(DISK_NAME) : -1;
        long w[4] = {DISK_INFO};
        if (h >= 0 && ipc_call(h, w) == 0 && w[0] == 0) {
            ep_close(h);
            *pid = now;
            return uptime() - t0;
        }
        if (h >= 0) ep_close(h);
        if (uptime() - t0 > 30 * TICK_HZ) return -1;
        sleep(1);
    }
}

/* Started by init with spawn=sectest (tests/server_restart.py): the disk
 * server comes back after every kill, each quick death waits longer. */
static int c_restart(void)
{
    int bad = 0, pid = 0, took[4];
    for (int i = 0; i < 4; i++) {
        took[i] = kill_and_wait_disk(&pid);
        CHILD_CHECK(took[i] >= 0, "kill %d: no disk server came back", i + 1);
        if (took[i] < 0) return bad;
    }
    test_info("back after %d, %d, %d, %d ticks", took[0], took[1], took[2], took[3]);
    CHILD_CHECK(took[3] > took[1] && took[3] >= 20, "no backoff: %d, then %d ticks", took[1],
                took[3]);
    CHILD_CHECK(disk_open(4) == 0 && disk_read(0, 0) == 0, "disk I/O through the new server");
    disk_close();
    return bad;
}

/* -------------------------------------------------------------------- main */

static const struct {
    const char *name;
    int (*body)(void);
    int explicit; /* run only when named (needs a boot option) */
} cases[] = {
    {"shm_wrap", c_shm_wrap, 0},
    {"shm_reuse", c_shm_reuse, 0},
    {"share_edges", c_share_edges, 0},
    {"disk_share_flood", c_disk_share_flood, 0},
    {"ref_overflow", c_ref_overflow, 0},
    {"limits", c_limits, 0},
    {"names", c_names, 0},
    {"kill_servers", c_kill_servers, 0},
    {"ep_reserve", c_ep_reserve, 0},
    {"client_exit", c_client_exit, 0},
    {"bad_pointers", c_bad_pointers, 0},
    {"fork_bomb", c_fork_bomb, 0},
    {"faults", c_faults, 1},
};

int main(int argc, char **argv)
{
    int free0 = freepages();
    if (va2pa((void *)UTEXT_BASE) != -EPERM) { /* spawned by init: privileged */
        ep_register(ep_create(), "sectest");   /* init waits for this, then goes on */
        test_case = "restart";                 /* in this process: fork would drop the privilege */
        int bad = c_restart();
        printf(bad ? "FAIL restart: see above\n" : "ok restart\n");
        printf("%d passed, %d failed\n", !bad, !!bad);
        return 0; /* 0: init does not start us again */
    }
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if ((argc > 1 || !cases[i].explicit) && test_selected(argc, argv, cases[i].name))
            run_case(cases[i].name, cases[i].body);
    sleep(10); /* servers may take a moment to drop what dead clients held */
    test_end(passed, failed, free0, freepages());
}
