/* pgtbltest: the page-table features (docs/pagetables.md), checked from user space.
 *
 *   pgtbltest            run every case
 *   pgtbltest NAME...    run only the named cases (the leak check always runs)
 *
 * Each case prints "ok NAME" or "FAIL NAME: detail"; lines starting with "  #"
 * are measurements for people, "  child:" lines explain a child's failure.
 * The last line is "N passed, M failed"; the exit status is 0 or 1.
 *
 * The cases run in a child process (the "runner"), so the final check can
 * demand that freepages() is exactly what it was at the start: page-table
 * pages that a process keeps until it exits are freed with the runner.
 *
 * The guest console is not readable from here, so megapages are recognised
 * by their cost: the first touch of a 2 MiB-aligned 2 MiB heap range takes
 * 512 frames (give or take a few page-table pages) and the other 511 pages
 * of the range take none; pgaccess sees one A bit for the whole range.
 *
 * Children report through their exit status: 0 is success, a positive code
 * is a failure they have explained on a "  child:" line, -1 is a child the
 * kernel killed (the expected end of the "kills" checks: the kernel's
 * "pid N (pgtbltest): killed: ..." lines in between are expected).
 *
 * Costs are measured with freepages(), which counts the whole machine: the
 * rest of the system (init, sh) sleeps while this runs. Where a parent and
 * child both run, the child first waits until the parent sleeps in wait(). */
#include <stdarg.h>
#include "user.h"
#include "testcase.h"
#include "syscall.h"
#include "ipc.h"
#include "pagoda/abi.h"
#include "pagoda/memlayout.h" /* the user layout: USTACK_TOP, KERNBASE, HEAP_LIMIT ... */

#define PG   4096L
#define MEGA (2L * 1024 * 1024)

/* Allowance for page-table pages: a new 4 KiB page may need a level-0 and a
 * level-1 table in both the user table and the per-process kernel table. */
#define PT_SLACK 4
/* A megapage takes 512 frames but may free an emptied level-0 table in
 * each of the two tables (pages there were mapped and unmapped before). */
#define MEGA_MIN (512 - 2)
#define MEGA_MAX (512 + PT_SLACK)

static int passed, failed;
static int top_pid; /* the process that started the runner */

/* A case that checks a feature this build has switched off (CMake switches,
 * docs/experiments.md) says so and leaves: "skip NAME: why", counted neither
 * as passed nor as failed. */
static int skipped;
#define NEEDS(feature, why)                                                                        \
    do {                                                                                           \
        if (!(feature)) {                                                                          \
            printf("skip %s: %s\n", test_case, why);                                               \
            skipped = 1;                                                                           \
            return;                                                                                \
        }                                                                                          \
    } while (0)
#define NO_LAZY "PAGODA_LAZY=OFF: sbrk allocates at once, there is no first touch to check"
#define NO_MEGA "PAGODA_MEGAPAGES=OFF: the heap has 4 KiB pages only"
#define NO_COW  "PAGODA_COW=OFF: fork copies every page at once"
/* Megapages come from a first touch of a lazy heap. */
#define NEEDS_MEGAPAGES()                                                                          \
    do {                                                                                           \
        NEEDS(PAGODA_LAZY, NO_LAZY);                                                               \
        NEEDS(PAGODA_MEGAPAGES, NO_MEGA);                                                          \
    } while (0)

/* ------------------------------------------------------------------ report */

/* ----------------------------------------------------------------- helpers */

#define CHILD_FORK_FAILED (-1000)
#define CHILD_WAIT_FAILED (-1001)

/* Run fn(arg) in a child; its exit status, or -1 if the kernel killed it. */
static int in_child(int (*fn)(long), long arg)
{
    int pid = fork();
    if (pid < 0) return CHILD_FORK_FAILED;
    if (pid == 0) exit(fn(arg));
    int status = 12345;
    if (wait(&status) != pid) return CHILD_WAIT_FAILED;
    return status;
}

/* Set the break to exactly `to` (sbrk takes an int: steps of 1 GiB). */
static int set_brk(char *to)
{
    for (;;) {
        long delta = to - sbrk(0);
        if (delta == 0) return 0;
        if (delta > 1L << 30) delta = 1L << 30;
        if (delta < -(1L << 30)) delta = -(1L << 30);
        if (sbrk((int)delta) == (char *)-1) return -1;
    }
}

/* Grow the heap so that it continues at an address a (mod `align`) == `rem`;
 * returns that address (the new break). */
static char *brk_align(long align, long rem)
{
    long b = (long)sbrk(0);
    long pad = ((rem - b % align) % align + align) % align;
    if (sbrk((int)pad) == (char *)-1) return 0;
    return (char *)(b + pad);
}

static unsigned long pat(unsigned long seed, unsigned long i)
{
    return (seed + i) * 0x9E3779B97F4A7C15UL;
}

static void fill(char *p, long len, unsigned long seed)
{
    unsigned long *w = (unsigned long *)p;
    for (long i = 0; i < len / 8; i++) w[i] = pat(seed, (unsigned long)i);
}

/* -1 if p holds the pattern, else the byte offset of the first difference. */
static long check(const char *p, long len, unsigned long seed)
{
    const unsigned long *w = (const unsigned long *)p;
    for (long i = 0; i < len / 8; i++)
        if (w[i] != pat(seed, (unsigned long)i)) return i * 8;
    return -1;
}

/* Wait (at most 10 s) until process pid sleeps, e.g. in wait(). */
static int wait_sleeping(int pid)
{
    int t0 = uptime();
    for (;;) {
        struct procinfo pi;
        for (int i = 0; procinfo(i, &pi) == 0; i++) {
            if (pi.pid != pid) continue;
            if (pi.state == PS_SLEEPING) return 0;
            break;
        }
        if (uptime() - t0 > 10 * TICK_HZ) return -1;
        yield();
    }
}

static int write_at(long va)
{
    *(volatile char *)va = 1;
    return 0; /* survived */
}

static int read_at(long va)
{
    (void)*(volatile char *)va;
    return 0; /* survived */
}

/* ------------------------------------------------------------------- cases */

static int child_ugetpid(long parent)
{
    const volatile struct usyscall *u = (const volatile struct usyscall *)USYSCALL;
    if (ugetpid() != getpid())
        return test_child_fail(1, "ugetpid %d != getpid %d", ugetpid(), getpid());
    if (getpid() == parent) return test_child_fail(2, "child has the parent's pid %d", getpid());
    if (u->ppid != parent)
        return test_child_fail(3, "usyscall ppid %d, parent is %d", u->ppid, (int)parent);
    return 0;
}

static void t_ugetpid(void)
{
    EXPECT(ugetpid() == getpid(), "parent: ugetpid %d != getpid %d", ugetpid(), getpid());
    int st = in_child(child_ugetpid, getpid());
    EXPECT(st == 0, "child status %d", st);
    EXPECT(ugetpid() == getpid(), "parent after fork: ugetpid %d != getpid %d", ugetpid(),
           getpid());
}

static void t_usyscall_ro(void)
{
    const volatile struct usyscall *u = (const volatile struct usyscall *)USYSCALL;
    EXPECT(u->pid == getpid(), "read pid %d, getpid %d", u->pid, getpid());
    EXPECT(u->ppid == top_pid, "read ppid %d, parent is %d", u->ppid, top_pid);
    int st = in_child(write_at, (long)USYSCALL);
    EXPECT(st == -1, "a child writing the USYSCALL page: status %d, want -1 (killed)", st);
    st = in_child(read_at, (long)USYSCALL);
    EXPECT(st == 0, "a child reading the USYSCALL page: status %d, want 0", st);
    /* The kernel must not write it for us either. */
    errno = 0;
    int r = procinfo(0, (struct procinfo *)USYSCALL);
    EXPECT(r == -1 && errno == EFAULT, "procinfo into USYSCALL: %d errno %d, want EFAULT", r,
           errno);
    EXPECT(u->pid == getpid() && ugetpid() == getpid(), "pid changed to %d", u->pid);
}

static void t_pgaccess(void)
{
    char *b = sbrk(0);
    /* Start at a 2 MiB boundary: the 32 pages share one 2 MiB range that is
     * not wholly heap, so they are 4 KiB pages (a megapage has one A bit). */
    char *p = brk_align(MEGA, 0);
    EXPECT(p && sbrk(32 * PG) == p, "sbrk failed");
    unsigned long mask = ~0UL;
    EXPECT(pgaccess(p, 32, &mask) == 0, "pgaccess failed, errno %d", errno);
    EXPECT((mask & 0xffffffffUL) == 0, "nothing touched yet, mask %lx", mask);
    EXPECT(mask >> 32 == 0xffffffffUL, "32 pages: wrote more than 4 bytes of mask (%lx)", mask);
    p[1 * PG] = 1;
    p[2 * PG + 7] = 2;
    p[30 * PG + PG - 1] = 3;
    mask = 0;
    EXPECT(pgaccess(p, 32, &mask) == 0, "pgaccess failed, errno %d", errno);
    unsigned long want = 1UL << 1 | 1UL << 2 | 1UL << 30;
    EXPECT(mask == want, "touched 1, 2, 30 (first touch): mask %lx, want %lx", mask, want);
    mask = 1;
    EXPECT(pgaccess(p, 32, &mask) == 0 && mask == 0, "right after: mask %lx, want 0", mask);
    /* Mapped pages: a read sets A as well as a write. */
    (void)*(volatile char *)(p + 2 * PG);
    p[30 * PG] = 4;
    p[5 * PG] = 5; /* a new page */
    EXPECT(pgaccess(p, 32, &mask) == 0, "pgaccess failed, errno %d", errno);
    want = 1UL << 2 | 1UL << 5 | 1UL << 30;
    EXPECT(mask == want, "touched 2 (read), 5, 30: mask %lx, want %lx", mask, want);
    EXPECT(pgaccess(p, 32, &mask) == 0 && mask == 0, "right after: mask %lx, want 0", mask);
    /* A window starting inside: bit i is page va + i*4096. */
    p[31 * PG] = 6;
    p[5 * PG] = 7;
    EXPECT(pgaccess(p + 4 * PG, 28, &mask) == 0, "pgaccess failed, errno %d", errno);
    want = 1UL << 1 | 1UL << 27;
    EXPECT(mask == want, "window at page 4, touched 5 and 31: mask %lx, want %lx", mask, want);
    /* ceil(20/8) = 3 bytes of mask, no more. */
    unsigned char m8[8];
    memset(m8, 0xee, sizeof m8);
    p[19 * PG] = 8;
    EXPECT(pgaccess(p, 20, m8) == 0, "pgaccess(20) failed, errno %d", errno);
    EXPECT(m8[0] == 0 && m8[1] == 0 && m8[2] == 0x08, "20 pages, touched 19: mask %x %x %x", m8[0],
           m8[1], m8[2]);
    for (int i = 3; i < 8; i++) EXPECT(m8[i] == 0xee, "20 pages: byte %d of mask written", i);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

static void t_pgaccess_errors(void)
{
    char *b = sbrk(0);
    char *p = brk_align(PG, 0);
    EXPECT(p && sbrk(64 * PG) == p, "sbrk failed");
    unsigned long mask;
    errno = 0;
    EXPECT(pgaccess(p, 64, &mask) == 0, "64 pages (the maximum) failed, errno %d", errno);
    errno = 0;
    int r = pgaccess(p, 65, &mask);
    EXPECT(r == -1 && errno == EINVAL, "65 pages: %d errno %d, want EINVAL", r, errno);
    errno = 0;
    r = pgaccess(p, -1, &mask);
    EXPECT(r == -1 && errno == EINVAL, "-1 pages: %d errno %d, want EINVAL", r, errno);
    errno = 0;
    r = pgaccess((void *)KERNBASE, 1, &mask);
    EXPECT(r == -1 && errno == EFAULT, "va in the kernel half: %d errno %d, want EFAULT", r, errno);
    errno = 0;
    r = pgaccess((void *)(USYSCALL - 2 * PG), 4, &mask);
    EXPECT(r == -1 && errno == EFAULT, "range past the user half: %d errno %d, want EFAULT", r,
           errno);
    struct {
        const char *what;
        void *ptr;
    } bad[] = {
        {"kernel-half", (void *)KERNBASE}, {"null", 0},
        {"USYSCALL", (void *)USYSCALL},    {"text (read-only)", (void *)t_pgaccess_errors},
        {"beyond the break", p + 64 * PG},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        r = pgaccess(p, 8, bad[i].ptr);
        EXPECT(r == -1 && errno == EFAULT, "%s mask pointer: %d errno %d, want EFAULT", bad[i].what,
               r, errno);
    }
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

/* Grow the heap to just past a 2 MiB-aligned 2 MiB range that no case has
 * used before in this process (the heap below it stays untouched), touch
 * it once and return its start; *cost = frames taken by that first touch. */
static int fresh_ranges = 8; /* above the ranges the 4 KiB cases use */

static char *mega_region(int *cost)
{
    char *a = brk_align(MEGA, 0);
    if (!a) return 0;
    char *m = a + (long)fresh_ranges++ * MEGA;
    if (sbrk((int)(m - a + MEGA)) != a) return 0;
    int f0 = freepages();
    m[0] = 1;
    *cost = f0 - freepages();
    return m;
}

/* A range where 4 KiB pages were mapped and given back (sbrk) has nothing
 * mapped: its next first touch must still make a megapage. */
static void t_megapage_reuse(void)
{
    NEEDS_MEGAPAGES();
    char *b = sbrk(0);
    char *a = brk_align(MEGA, 0);
    EXPECT(a, "sbrk failed");
    char *m = a + (long)fresh_ranges++ * MEGA;
    EXPECT(sbrk((int)(m - a + 4 * PG)) == a, "sbrk failed");
    int f0 = freepages();
    for (int i = 0; i < 4; i++) m[i * PG] = 1; /* the range is not all heap: 4 KiB pages */
    int small_cost = f0 - freepages();
    EXPECT(small_cost >= 4 && small_cost <= 4 + PT_SLACK, "4 pages took %d", small_cost);
    EXPECT(sbrk(-4 * (int)PG) == m + 4 * PG, "sbrk shrink failed");
    EXPECT(sbrk(MEGA) == m, "sbrk grow failed");
    int f1 = freepages();
    m[100 * PG] = 1;
    int cost = f1 - freepages();
    test_info("4 KiB pages took %d, the touch after shrink and regrow %d", small_cost, cost);
    EXPECT(cost >= MEGA_MIN && cost <= MEGA_MAX,
           "first touch of the emptied, regrown 2 MiB range took %d pages, want %d..%d "
           "(a megapage)",
           cost, MEGA_MIN, MEGA_MAX);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

static void t_megapage_touch(void)
{
    NEEDS_MEGAPAGES();
    char *b = sbrk(0);
    int f0 = freepages(), cost;
    char *m = mega_region(&cost);
    EXPECT(m, "sbrk failed");
    test_info("first touch of %p took %d pages", m, cost);
    EXPECT(cost >= MEGA_MIN && cost <= MEGA_MAX, "first touch took %d pages, want %d..%d", cost,
           MEGA_MIN, MEGA_MAX);
    int f1 = freepages();
    fill(m, MEGA, 1); /* touches all 512 pages */
    int f2 = freepages();
    EXPECT(f1 == f2, "touching the other 511 pages took %d more", f1 - f2);
    long off = check(m, MEGA, 1);
    EXPECT(off < 0, "data wrong at offset %ld", off);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
    int f3 = freepages();
    EXPECT(f0 - f3 >= MEGA_MIN - 512 && f0 - f3 <= PT_SLACK,
           "after sbrk back: %d pages not returned", f0 - f3);
}

static void t_megapage_pgaccess(void)
{
    NEEDS_MEGAPAGES();
    char *b = sbrk(0);
    int cost;
    char *m = mega_region(&cost);
    EXPECT(m, "sbrk failed");
    EXPECT(cost >= MEGA_MIN, "no megapage (first touch took %d pages)", cost);
    unsigned long mask;
    EXPECT(pgaccess(m + 100 * PG, 64, &mask) == 0, "pgaccess failed, errno %d", errno);
    (void)*(volatile char *)(m + 130 * PG);
    EXPECT(pgaccess(m + 100 * PG, 64, &mask) == 0, "pgaccess failed, errno %d", errno);
    /* One PTE (and A bit) maps every page of the megapage. */
    EXPECT(mask == ~0UL, "touched one page of a megapage: mask %lx, want all 64 bits", mask);
    EXPECT(pgaccess(m + 100 * PG, 64, &mask) == 0 && mask == 0, "right after: mask %lx", mask);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

#define SEED_PARENT  11
#define SEED_PARENT2 22
#define SEED_CHILD   33

static char *mega_p;

static int child_megapage_fork(long parent)
{
    if (wait_sleeping((int)parent) < 0) return test_child_fail(1, "parent never slept in wait()");
    /* The parent has rewritten the whole range by now. */
    long off = check(mega_p, MEGA, SEED_PARENT);
    if (off >= 0) return test_child_fail(2, "fork-time data wrong at offset %ld", off);
    fill(mega_p, MEGA, SEED_CHILD);
    off = check(mega_p, MEGA, SEED_CHILD);
    if (off >= 0) return test_child_fail(3, "own data wrong at offset %ld", off);
    return 0;
}

static void t_megapage_fork(void)
{
    NEEDS_MEGAPAGES();
    char *b = sbrk(0);
    int cost;
    char *m = mega_region(&cost);
    EXPECT(m, "sbrk failed");
    EXPECT(cost >= MEGA_MIN, "no megapage (first touch took %d pages)", cost);
    fill(m, MEGA, SEED_PARENT);
    int f0 = freepages();
    mega_p = m;
    int parent = getpid();
    int pid = fork();
    if (pid == 0) exit(child_megapage_fork(parent));
    EXPECT(pid > 0, "fork failed");
    fill(m, MEGA, SEED_PARENT2); /* before the child looks */
    int st = 12345;
    EXPECT(wait(&st) == pid, "wait failed");
    EXPECT(st == 0, "child status %d", st);
    long off = check(m, MEGA, SEED_PARENT2);
    EXPECT(off < 0, "parent: data wrong at offset %ld (child's writes showing?)", off);
    int f1 = freepages();
    EXPECT(f0 == f1, "after the child: %d pages lost", f0 - f1);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

static void t_megapage_shrink(void)
{
    NEEDS_MEGAPAGES();
    char *b = sbrk(0);
    int cost;
    char *m = mega_region(&cost);
    EXPECT(m, "sbrk failed");
    EXPECT(cost >= MEGA_MIN, "no megapage (first touch took %d pages)", cost);
    fill(m, MEGA, 5);
    int f0 = freepages();
    EXPECT(sbrk(-(int)(MEGA / 2)) == m + MEGA, "sbrk shrink failed");
    int gained = freepages() - f0;
    test_info("cutting the megapage in half returned %d pages", gained);
    /* 256 frames back, less up to two new level-0 tables for the split. */
    EXPECT(gained >= 256 - PT_SLACK && gained <= 256, "shrink returned %d pages, want ~256",
           gained);
    long off = check(m, MEGA / 2, 5);
    EXPECT(off < 0, "lower half: data wrong at offset %ld", off);
    /* Now 4 KiB pages: each has its own A bit. */
    unsigned long mask;
    EXPECT(pgaccess(m, 64, &mask) == 0, "pgaccess failed, errno %d", errno);
    (void)*(volatile char *)(m + 3 * PG);
    EXPECT(pgaccess(m, 64, &mask) == 0 && mask == 1UL << 3,
           "after the split, touched page 3: mask %lx", mask);
    int st = in_child(write_at, (long)(m + MEGA / 2));
    EXPECT(st == -1, "write just past the new break: child status %d, want -1", st);
    st = in_child(read_at, (long)(m + MEGA - 1));
    EXPECT(st == -1, "read of the old megapage's last byte: child status %d, want -1", st);
    st = in_child(read_at, (long)(m + MEGA / 2 - 1));
    EXPECT(st == 0, "read of the last byte below the break: child status %d, want 0", st);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

#define COW_PAGES         1024 /* 4 MiB */
#define COW_PARENT_WRITES 512
#define COW_MARK_PARENT   0x5050505050505050UL
#define COW_MARK_CHILD    0xC0C0C0C0C0C0C0C0UL

static char *cow_p;

/* Word 0 of page i: the pattern; word 1: a writer's mark. */
static int child_cow(long parent)
{
    char *p = cow_p;
    if (wait_sleeping((int)parent) < 0) return test_child_fail(1, "parent never slept in wait()");
    for (int i = 0; i < COW_PAGES; i++) {
        unsigned long *w = (unsigned long *)(p + i * PG);
        if (w[0] != pat(7, i) || w[1] != 0)
            return test_child_fail(2, "page %d: %lx %lx, want the fork-time %lx 0", i, w[0], w[1],
                                   pat(7, i));
    }
    /* Page 1000 is still shared with the parent: a write copies it. */
    int c0 = freepages();
    *(volatile unsigned long *)(p + 1000 * PG + 8) = COW_MARK_CHILD;
    int shared_cost = c0 - freepages();
    /* Page 7 the parent has copied already: ours alone, taken over. */
    c0 = freepages();
    *(volatile unsigned long *)(p + 7 * PG + 8) = COW_MARK_CHILD;
    int alone_cost = c0 - freepages();
    printf("  # cow_fork: child's write to a shared page took %d, to its own COW page %d\n",
           shared_cost, alone_cost);
    if (shared_cost < 1 || shared_cost > 2)
        return test_child_fail(3, "a write to a shared page took %d pages, want 1", shared_cost);
    if (alone_cost != 0)
        return test_child_fail(4, "a write to a page no one else holds took %d pages, want 0",
                               alone_cost);
    for (int i = 0; i < COW_PAGES; i++) ((unsigned long *)(p + i * PG))[1] = COW_MARK_CHILD;
    for (int i = 0; i < COW_PAGES; i++) {
        unsigned long *w = (unsigned long *)(p + i * PG);
        if (w[0] != pat(7, i) || w[1] != COW_MARK_CHILD)
            return test_child_fail(5, "page %d: own write lost", i);
    }
    return 0;
}

static void t_cow_fork(void)
{
    NEEDS(PAGODA_COW, NO_COW);
    char *b = sbrk(0);
    char *p = brk_align(PG, 0);
    EXPECT(p, "sbrk failed");
    /* Grown and touched a page at a time, so no megapages: 1024 frames. */
    for (int i = 0; i < COW_PAGES; i++) {
        EXPECT(sbrk(PG) == p + i * PG, "sbrk failed at page %d", i);
        unsigned long *w = (unsigned long *)(p + i * PG);
        w[0] = pat(7, i);
        w[1] = 0;
    }
    cow_p = p;
    int parent = getpid();
    int f0 = freepages();
    int pid = fork();
    if (pid == 0) exit(child_cow(parent));
    int f1 = freepages();
    EXPECT(pid > 0, "fork failed");
    for (int i = 0; i < COW_PARENT_WRITES; i++)
        ((unsigned long *)(p + i * PG))[1] = COW_MARK_PARENT;
    int f2 = freepages();
    int st = 12345;
    EXPECT(wait(&st) == pid, "wait failed");
    int f3 = freepages();
    test_info("fork of a process with %d touched heap pages took %d pages", COW_PAGES, f0 - f1);
    EXPECT(f0 - f1 > 0 && f0 - f1 < 100, "fork took %d pages, want < 100", f0 - f1);
    EXPECT(f1 - f2 >= COW_PARENT_WRITES && f1 - f2 <= COW_PARENT_WRITES + 4,
           "parent's writes to %d shared pages took %d pages", COW_PARENT_WRITES, f1 - f2);
    EXPECT(st == 0, "child status %d", st);
    for (int i = 0; i < COW_PAGES; i++) {
        unsigned long *w = (unsigned long *)(p + i * PG);
        unsigned long mark = i < COW_PARENT_WRITES ? COW_MARK_PARENT : 0;
        EXPECT(w[0] == pat(7, i) && w[1] == mark, "parent page %d: %lx %lx, want %lx %lx", i, w[0],
               w[1], pat(7, i), mark);
    }
    EXPECT(f0 == f3, "after the child: %d pages lost", f0 - f3);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

/* Kernel copyout into a page shared copy-on-write with the parent. */
static char *cc_p;

static int child_cow_copyout(long parent)
{
    if (wait_sleeping((int)parent) < 0) return test_child_fail(1, "parent never slept in wait()");
    struct procinfo *pi = (struct procinfo *)(cc_p + 64);
    int c0 = freepages();
    if (procinfo(0, pi) != 0)
        return test_child_fail(2, "procinfo into a COW page failed, errno %d", errno);
    int cost = c0 - freepages();
    if (pi->pid <= 0 || pi->name[0] == 0)
        return test_child_fail(3, "procinfo not filled in (pid %d)", pi->pid);
    if (cost < 1 || cost > 2)
        return test_child_fail(4, "the kernel's write copied %d pages, want 1", cost);
    for (int i = 0; i < 64; i++)
        if ((unsigned char)cc_p[i] != 0xab)
            return test_child_fail(5, "byte %d of the page lost", i);
    return 0;
}

static void t_cow_copyout(void)
{
    NEEDS(PAGODA_COW, NO_COW);
    char *b = sbrk(0);
    char *p = brk_align(MEGA, 0); /* a 4 KiB page: its 2 MiB range is not all heap */
    EXPECT(p && sbrk(PG) == p, "sbrk failed");
    memset(p, 0xab, PG);
    cc_p = p;
    int f0 = freepages();
    int st = in_child(child_cow_copyout, getpid());
    EXPECT(st == 0, "child status %d", st);
    for (int i = 0; i < PG; i++)
        EXPECT((unsigned char)p[i] == 0xab, "parent's page changed at byte %d", i);
    EXPECT(freepages() == f0, "after the child: %d pages lost", f0 - freepages());
    /* The child is gone: the page is still marked COW but ours alone. */
    struct procinfo *pi = (struct procinfo *)(p + 64);
    int f1 = freepages();
    EXPECT(procinfo(0, pi) == 0, "procinfo into our own COW page failed, errno %d", errno);
    int cost = f1 - freepages();
    EXPECT(pi->pid > 0 && pi->name[0], "procinfo not filled in (pid %d)", pi->pid);
    EXPECT(cost == 0, "taking over a COW page no one shares took %d pages", cost);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

/* Kernel copyout/copyin on heap pages that were never touched. */
static void t_lazy_copyout(void)
{
    NEEDS(PAGODA_LAZY, NO_LAZY);
    char *b = sbrk(0);
    char *p = brk_align(MEGA, 0); /* 4 KiB pages: their 2 MiB range is not all heap */
    EXPECT(p && sbrk(4 * PG) == p, "sbrk failed");
    struct procinfo ref;
    EXPECT(procinfo(0, &ref) == 0, "procinfo failed, errno %d", errno);
    /* Across the boundary of two untouched pages. */
    struct procinfo *pi = (struct procinfo *)(p + PG - 16);
    int f0 = freepages();
    EXPECT(procinfo(0, pi) == 0, "procinfo into untouched heap failed, errno %d", errno);
    int cost = f0 - freepages();
    EXPECT(pi->pid == ref.pid && strcmp(pi->name, ref.name) == 0,
           "got pid %d name '%s', want %d '%s'", pi->pid, pi->name, ref.pid, ref.name);
    EXPECT(cost >= 2 && cost <= 2 + PT_SLACK, "took %d pages, want 2 (+ page tables)", cost);
    /* copyin from an untouched page: an empty name, not a bad address. */
    long r = sys_bootmod(p + 2 * PG, 0, 0);
    EXPECT(r == -ENOENT, "bootmod(name in untouched heap) = %ld, want -ENOENT", r);
    /* wait()'s status into an untouched page. */
    int *status = (int *)(p + 3 * PG + 100);
    int pid = fork();
    if (pid == 0) exit(42);
    EXPECT(pid > 0, "fork failed");
    EXPECT(wait(status) == pid, "wait with status in untouched heap failed, errno %d", errno);
    EXPECT(*status == 42, "status %d, want 42", *status);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

/* sbrk 1 GiB, touch a few pages:
 *   T1 = the last page, 2 MiB-aligned: its 2 MiB range runs past the break,
 *        so a 4 KiB page: 1 frame (+ page tables). It reads as zeros.
 *   T2 = the page below T1: its aligned 2 MiB range [T1 - 2 MiB, T1) is all
 *        heap and empty: a megapage, 512 frames (1 without megapages).
 *   T3 = T1 - 2 MiB, the first page of T2's range: free if T2 was a megapage.
 *   T4 = the middle of the region: 512 frames again (or 1). */
static int touch_cost(char *va, int write)
{
    int f = freepages();
    if (write)
        *(volatile char *)va = 9;
    else if (*(volatile char *)va != 0)
        return -1000;
    return f - freepages();
}

static int small(int c)
{
    return c >= 1 && c <= 1 + PT_SLACK;
}

static int mega(int c)
{
    return c >= MEGA_MIN && c <= MEGA_MAX;
}

static void t_lazy_sbrk(void)
{
    NEEDS(PAGODA_LAZY, NO_LAZY);
    char *b = sbrk(0);
    int f0 = freepages();
    char *p = brk_align(MEGA, PG);
    EXPECT(p, "sbrk pad failed");
    char *q = sbrk(1 << 30);
    EXPECT(q != (char *)-1, "sbrk(1 GiB) failed, errno %d", errno);
    EXPECT(q == p, "sbrk returned %p, want %p", q, p);
    EXPECT(freepages() == f0, "sbrk(1 GiB) took %d pages, want 0", f0 - freepages());
    char *end = p + (1L << 30);
    char *t1 = end - PG, *t2 = t1 - PG, *t3 = t1 - MEGA, *t4 = p + (1L << 29) - PG + 5 * PG;
    int c1 = touch_cost(t1, 0);
    int c2 = touch_cost(t2, 1);
    int c3 = touch_cost(t3, 1);
    int c4 = touch_cost(t4, 1);
    test_info("touch costs: last page %d, below it %d, same 2 MiB %d, middle %d", c1, c2, c3, c4);
    EXPECT(c1 != -1000, "an untouched page did not read as zero");
    EXPECT(small(c1), "last page (4 KiB only) took %d pages", c1);
    EXPECT(small(c2) || mega(c2), "page below it took %d pages, want 1 or 512", c2);
    EXPECT(mega(c2) ? c3 == 0 : small(c3), "page in the same 2 MiB took %d pages", c3);
    EXPECT(small(c4) || mega(c4), "middle page took %d pages, want 1 or 512", c4);
    EXPECT(t2[0] == 9 && t3[0] == 9 && t4[0] == 9, "data lost");
    int total = f0 - freepages();
    EXPECT(total <= 3 * 512 + 4 * PT_SLACK, "touching took %d pages in all", total);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
    int left = f0 - freepages();
    EXPECT(left >= 2 * (MEGA_MIN - 512) && left <= 2 * PT_SLACK,
           "after sbrk back %d of %d pages not returned", left, total);
}

static char *text_addr(void)
{
    return (char *)t_lazy_sbrk;
}

static int child_ok(long arg)
{
    return (int)arg;
}

static void t_beyond_break(void)
{
    char *b = sbrk(0);
    char *p = brk_align(PG, 0); /* a page-aligned break */
    EXPECT(p, "sbrk failed");
    int f0 = freepages();
    struct {
        const char *what;
        int (*fn)(long);
        long va;
    } bad[] = {
        {"write at the break", write_at, (long)p},
        {"read at the break", read_at, (long)p},
        {"read 100 pages past the break", read_at, (long)p + 100 * PG},
        {"write 1 GiB past the break", write_at, (long)p + (1L << 30)},
        {"read of page 0", read_at, 0},
        {"read of the stack guard page", read_at, (long)(USTACK_TOP - USTACK_SIZE - 1)},
        {"write to program text", write_at, (long)text_addr()},
        {"read of the trapframe (no PTE_U)", read_at, (long)(USYSCALL + PG)},
        {"read of the trampoline (no PTE_U)", read_at, (long)(USYSCALL + 2 * PG)},
        {"read of the kernel half", read_at, (long)KERNBASE},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int st = in_child(bad[i].fn, bad[i].va);
        EXPECT(st == -1, "%s (%lx): child status %d, want -1 (killed)", bad[i].what, bad[i].va, st);
    }
    EXPECT(freepages() == f0, "the killed children lost %d pages", f0 - freepages());
    /* We go on: the heap still grows and works, children still run. */
    EXPECT(sbrk(PG) == p, "sbrk after the kills failed");
    p[0] = 'x';
    EXPECT(p[0] == 'x', "heap write lost");
    EXPECT(in_child(child_ok, 7) == 7, "a child after the kills failed");
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

/* A shrink to a break inside a page keeps the page: its low bytes are heap. */
static void t_sbrk_shrink_unaligned(void)
{
    char *b = sbrk(0);
    char *p = brk_align(PG, 0);
    EXPECT(p && sbrk(2 * PG) == p, "sbrk failed");
    p[0] = 'a';
    p[PG] = 'x';
    p[PG + 100] = 'y';
    EXPECT(sbrk(-(int)(PG - 200)) == p + 2 * PG, "sbrk shrink failed");
    EXPECT(sbrk(0) == p + PG + 200, "break at %p, want %p", sbrk(0), p + PG + 200);
    EXPECT(p[0] == 'a', "page below lost");
    EXPECT(p[PG] == 'x' && p[PG + 100] == 'y',
           "bytes below the new break (break %p) lost: read %d %d, want 'x' 'y'", p + PG + 200,
           p[PG], p[PG + 100]);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

static void t_sbrk_limits(void)
{
    NEEDS(PAGODA_LAZY, NO_LAZY);
    char *b = sbrk(0);
    int f0 = freepages();
    errno = 0;
    char *r = sbrk(-(int)((long)b + PG));
    EXPECT(r == (char *)-1, "a shrink below the heap's start succeeded");
    EXPECT(sbrk(0) == b, "failed shrink moved the break");
    /* Grow 1 GiB at a time up to the limit: tens of GiB of lazy heap. */
    long grown = 0;
    while (sbrk(1 << 30) != (char *)-1) grown += 1L << 30;
    EXPECT(errno == ENOMEM, "the last sbrk failed with errno %d, want ENOMEM", errno);
    char *top = sbrk(0);
    test_info("heap grew by %ld GiB up to %p", grown >> 30, top);
    EXPECT(grown >= 16L << 30, "heap grew only %ld GiB", grown >> 30);
    EXPECT((unsigned long)top <= HEAP_LIMIT, "break %p above the heap limit", top);
    top[-1] = 1; /* the last heap byte: a page below the stack */
    EXPECT(top[-1] == 1, "write lost");
    EXPECT(freepages() >= f0 - 512 - 2 * PT_SLACK, "touching one page took %d pages",
           f0 - freepages());
    EXPECT(set_brk(b) == 0, "sbrk back failed");
    EXPECT(freepages() >= f0 - 2 * PT_SLACK, "after sbrk back %d pages not returned",
           f0 - freepages());
}

/* A child touches more than the machine has: killed, and everything comes back. */
static int child_oom(long n)
{
    char *p = sbrk((int)n);
    if (p == (char *)-1) return test_child_fail(2, "sbrk(%ld) failed, errno %d", n, errno);
    for (long off = 0; off < n; off += PG) p[off] = 1;
    return test_child_fail(3, "touched %ld MiB and survived", n >> 20);
}

static void t_oom(void)
{
    NEEDS(PAGODA_LAZY, NO_LAZY);
    int f0 = freepages();
    long n = 200L << 20;
    if ((long)f0 * PG + (16L << 20) > n) n = (long)f0 * PG + (16L << 20);
    if (n > 0x7fff0000L) n = 0x7fff0000L;
    test_info("%d pages free, the child touches %ld MiB", f0, n >> 20);
    int st = in_child(child_oom, n);
    EXPECT(st == -1, "child status %d, want -1 (killed)", st);
    int f1 = freepages();
    EXPECT(f1 == f0, "after the child: %d pages lost", f0 - f1);
    EXPECT(in_child(child_ok, 5) == 5, "a child after the OOM failed");
    /* Megapages still come whole after all that freeing. */
    if (!PAGODA_MEGAPAGES) return;
    char *b = sbrk(0);
    int cost;
    EXPECT(mega_region(&cost), "sbrk failed");
    EXPECT(mega(cost), "after OOM a megapage touch took %d pages", cost);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

/* Write every page of the stack below us now, while memory is plentiful:
 * a forked child's stack pages are shared copy-on-write, and a first write
 * to one while memory is exhausted would get the child killed. */
__attribute__((noinline)) static void prefault_stack(void)
{
    volatile char buf[40 * 1024];
    for (unsigned i = 0; i < sizeof buf; i += PG) buf[i] = 0;
    buf[sizeof buf - 1] = 0;
}

/* Take memory until fewer than `left` pages are free, and no 2 MiB block is
 * free as a whole: first megapages (touching a big lazy region) while one
 * more still leaves `left` pages, then 4 KiB pages only, growing the heap a
 * page at a time (no untouched 2 MiB range is ever wholly heap). The caller
 * gives the memory back by resetting the break. */
static int exhaust(int left)
{
    char *h = brk_align(PG, 0);
    long n = (long)freepages() * PG + 8 * MEGA;
    if (n > 0x7fff0000L) n = 0x7fff0000L;
    if (!h || sbrk((int)n) != h) return -1;
    char *p = h;
    for (; p < h + n && freepages() >= left + 512; p += PG) *p = 1;
    /* Keep the rest of the current 2 MiB range (it has pages mapped). */
    char *end = (char *)(((long)p + MEGA - 1) & ~(MEGA - 1));
    if (end > h + n) end = h + n;
    if (set_brk(end) < 0) return -1;
    for (; freepages() >= left; p += PG) {
        if (p == sbrk(0) && sbrk(PG) != p) return -1;
        *p = 1;
    }
    return 0;
}

/* Kernel copyout into a megapage shared copy-on-write: the kernel's write
 * copies all 2 MiB (a free 2 MiB block exists) and the parent sees nothing. */
static int child_mega_copyout(long parent)
{
    if (wait_sleeping((int)parent) < 0) return test_child_fail(1, "parent never slept in wait()");
    struct procinfo *pi = (struct procinfo *)(mega_p + 100 * PG + 8);
    int c0 = freepages();
    if (procinfo(0, pi) != 0)
        return test_child_fail(2, "procinfo into a COW megapage failed, errno %d", errno);
    int cost = c0 - freepages();
    printf("  # megapage_cow_copyout: the kernel's write to a shared megapage took %d pages\n",
           cost);
    if (pi->pid <= 0 || pi->name[0] == 0) return test_child_fail(3, "procinfo not filled in");
    if (cost < MEGA_MIN || cost > MEGA_MAX)
        return test_child_fail(4, "took %d pages, want 512", cost);
    long off = check(mega_p, 100 * PG, SEED_PARENT);
    if (off < 0) off = check(mega_p + 101 * PG, MEGA - 101 * PG, SEED_PARENT + 101 * PG / 8);
    if (off >= 0)
        return test_child_fail(5, "child's copy of the megapage wrong near offset %ld", off);
    return 0;
}

static void t_megapage_cow_copyout(void)
{
    NEEDS_MEGAPAGES();
    NEEDS(PAGODA_COW, NO_COW);
    char *b = sbrk(0);
    int cost;
    char *m = mega_region(&cost);
    EXPECT(m, "sbrk failed");
    EXPECT(cost >= MEGA_MIN, "no megapage (first touch took %d pages)", cost);
    fill(m, MEGA, SEED_PARENT);
    mega_p = m;
    int f0 = freepages();
    int st = in_child(child_mega_copyout, getpid());
    EXPECT(st == 0, "child status %d", st);
    long off = check(m, MEGA, SEED_PARENT);
    EXPECT(off < 0, "parent's megapage changed at offset %ld", off);
    EXPECT(freepages() == f0, "after the child: %d pages lost", f0 - freepages());
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

/* A write to a shared megapage when no free 2 MiB block is left: the kernel
 * must fall back to copying just the 4 KiB page (after splitting). */
static int child_mega_cow_split(long parent)
{
    prefault_stack();
    if (wait_sleeping((int)parent) < 0) return test_child_fail(1, "parent never slept in wait()");
    char *b = sbrk(0);
    if (exhaust(64) < 0) return test_child_fail(2, "sbrk failed");
    /* Until the memory is back: no printf (its buffer is a shared page). */
    int k = freepages();
    *(volatile unsigned long *)(mega_p + 100 * PG + 8) = 0x77;
    int cost = k - freepages();
    long bad = check(mega_p, 100 * PG + 8, SEED_PARENT);
    if (bad < 0)
        bad = check(mega_p + 100 * PG + 16, MEGA - 100 * PG - 16, SEED_PARENT + 100 * PG / 8 + 2);
    unsigned long mine = *(volatile unsigned long *)(mega_p + 100 * PG + 8);
    set_brk(b);
    printf("  # megapage_cow_split: %d pages free, the write took %d pages\n", k, cost);
    if (k >= 512) return test_child_fail(3, "could not use up memory (%d pages free)", k);
    if (cost < 1 || cost > 3)
        return test_child_fail(4, "the write took %d pages, want 1 (+2 tables)", cost);
    if (bad >= 0) return test_child_fail(5, "data wrong at offset %ld", bad);
    if (mine != 0x77) return test_child_fail(6, "own write lost");
    return 0;
}

static void t_megapage_cow_split(void)
{
    NEEDS_MEGAPAGES();
    NEEDS(PAGODA_COW, NO_COW);
    char *b = sbrk(0);
    int cost;
    char *m = mega_region(&cost);
    EXPECT(m, "sbrk failed");
    EXPECT(cost >= MEGA_MIN, "no megapage (first touch took %d pages)", cost);
    fill(m, MEGA, SEED_PARENT);
    mega_p = m;
    int f0 = freepages();
    int st = in_child(child_mega_cow_split, getpid());
    EXPECT(st == 0, "child status %d", st);
    long off = check(m, MEGA, SEED_PARENT);
    EXPECT(off < 0, "parent's megapage changed at offset %ld", off);
    EXPECT(freepages() == f0, "after the child: %d pages lost", f0 - freepages());
    /* No one shares it now: a write takes the megapage over, no copy. */
    m[5] = 1;
    EXPECT(freepages() == f0, "writing our unshared COW megapage took %d pages", f0 - freepages());
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

/* Heap given back and taken again reads as zeros (4 KiB pages and megapage). */
static void t_sbrk_regrow_zero(void)
{
    char *b = sbrk(0);
    char *p = brk_align(PG, 0);
    EXPECT(p && sbrk(4 * PG) == p, "sbrk failed");
    memset(p, 0x5a, 4 * PG);
    EXPECT(sbrk(-4 * (int)PG) == p + 4 * PG && sbrk(4 * PG) == p, "sbrk shrink/grow failed");
    for (long i = 0; i < 4 * PG; i++) EXPECT(p[i] == 0, "regrown heap byte %ld is %d", i, p[i]);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
    int cost;
    char *m = mega_region(&cost);
    EXPECT(m, "sbrk failed");
    fill(m, MEGA, 3);
    EXPECT(sbrk(-(int)MEGA) == m + MEGA && sbrk(MEGA) == m, "sbrk shrink/grow failed");
    const unsigned long *w = (const unsigned long *)m;
    for (long i = 0; i < MEGA / 8; i++)
        EXPECT(w[i] == 0, "regrown megapage range: word %ld is %lx", i, w[i]);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

/* A lazily faulted page reads as zero even when its frame last held another
 * process's data: a child fills heap pages and exits, and the frames it
 * freed are the first the allocator hands out again (its free list is last
 * in, first out), so our first touches below get them. Every word is read
 * before anything is written: reads fault pages in too. */
#define REUSE_PAGES 64
static int child_dirty_pages(long seed)
{
    char *p = sbrk(REUSE_PAGES * PG);
    if (p == (char *)-1) return test_child_fail(1, "sbrk failed");
    fill(p, REUSE_PAGES * PG, (unsigned long)seed);
    return 0;
}

static void t_lazy_zero_reuse(void)
{
    NEEDS(PAGODA_LAZY, NO_LAZY);
    EXPECT(in_child(child_dirty_pages, 11) == 0, "the child that dirties pages failed");
    char *b = sbrk(0);
    const unsigned long *w = (const unsigned long *)brk_align(PG, 0);
    EXPECT(w && sbrk(2 * REUSE_PAGES * PG) == (char *)w, "sbrk failed");
    for (long i = 0; i < 2 * REUSE_PAGES * PG / 8; i++)
        if (w[i] != 0) {
            test_fail("fresh heap word %ld (page %ld) is %lx", i, i * 8 / PG, w[i]);
            break;
        }
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

/* Frames a hart keeps for kalloc (mm/kalloc.c: the per-hart cache) count as
 * free. Children that take and give back pages, at once on several harts
 * when there are several, leave their harts' caches partly full: the free
 * count must come back exactly, and the self-check's audit of the allocator
 * (which looks at every cache) must hold. */
#define CHURN_CHILDREN 8
static void t_frame_cache_free(void)
{
    int f0 = test_steady_freepages(100);
    int pids[CHURN_CHILDREN], n = 0;
    for (; n < CHURN_CHILDREN; n++) {
        if ((pids[n] = fork()) < 0) break;
        if (pids[n] == 0) { /* a different number of pages each: caches end unlike */
            char *p = brk_align(PG, 0);
            if (!p || sbrk((int)((21 + 5 * n) * PG)) != p) exit(1);
            for (long i = 0; i < 21 + 5 * n; i++) p[i * PG] = 1;
            exit(0);
        }
    }
    int bad = 0, status;
    for (int i = 0; i < n; i++) bad += wait(&status) < 0 || status != 0;
    EXPECT(n == CHURN_CHILDREN && bad == 0, "%d children forked, %d failed", n, bad);
    int f1 = test_steady_freepages(100);
    EXPECT(f1 == f0, "%d free pages before the children, %d after", f0, f1);
    EXPECT(sys_selfcheck() == 0, "the self-check failed after the children");
}

/* exec frees the old memory, megapages and COW-shared pages included. */
static int child_exec(long arg)
{
    (void)arg;
    mega_p[7] = 1; /* the child's own copy of the shared megapage */
    char *q = sbrk(8 * PG);
    if (q == (char *)-1) return test_child_fail(1, "sbrk failed");
    memset(q, 1, 8 * PG);
    char *argv[] = {"pgtbltest", "--exit", "42", 0};
    exec("pgtbltest", argv);
    return test_child_fail(2, "exec failed, errno %d", errno);
}

static void t_exec_frees(void)
{
    char *b = sbrk(0);
    int cost;
    char *m = mega_region(&cost);
    EXPECT(m, "sbrk failed");
    fill(m, MEGA, SEED_PARENT);
    mega_p = m;
    int f0 = freepages();
    int st = in_child(child_exec, 0);
    EXPECT(st == 42, "child status %d, want 42 from the exec'd program", st);
    EXPECT(freepages() == f0, "after exec and exit: %d pages lost", f0 - freepages());
    long off = check(m, MEGA, SEED_PARENT);
    EXPECT(off < 0, "parent's megapage changed at offset %ld", off);
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

/* pgtbltest --oom-fork (exec'd, so no page is shared with anyone): use up
 * memory, then fork with k, k-1, ... 0 pages free, so that fork runs out of
 * memory at each of its allocations in turn (process frames, table roots,
 * and the copies of the tables: every 2 MiB range with a 4 KiB page mapped
 * needs a level-0 table in the child's user table, and in the perproc design
 * in its kernel table too). A fork may succeed while memory lasts (how long
 * depends on the kernel page-table design); one that fails must fail cleanly:
 * -1 with ENOMEM or EAGAIN, and no fork may lose a page. Exit status 0, or
 * the free-page count at the first problem + 1000. */
static int oom_fork_main(void)
{
    char *b = sbrk(0);
    if (exhaust(400) < 0) return 1; /* no whole 2 MiB block left */
    /* One 4 KiB page in each of up to 100 empty 2 MiB ranges. */
    const int nr = 100;
    char *r = brk_align(MEGA, 0);
    if (!r || sbrk(nr * (int)MEGA) != r) return 2;
    int used = 0;
    while (used < nr && freepages() > 150) r[(long)used++ * MEGA] = 1;
    if (used == 0) return 3;
    /* The last range has its level-0 tables: a touch there takes one page. */
    char *last = r + (long)(used - 1) * MEGA;
    long o = PG;
    int from = 2 * used + 10; /* start here: a perproc fork needs more */
    while (freepages() > from && o < MEGA) last[(o += PG) - PG] = 1;
    int problem = -1, why = 0, tries = 0, highest = freepages(), lowest = -1;
    for (;;) {
        int k = freepages();
        errno = 0;
        int pid = fork();
        if (pid == 0) exit(0);
        tries++;
        lowest = k;
        if (pid > 0) {
            wait(0);
        } else if (errno != ENOMEM && errno != EAGAIN) {
            problem = k, why = 2;
            break;
        }
        if (freepages() != k) {
            problem = k, why = 3;
            break;
        }
        if (k == 0 || o >= MEGA) break;
        last[o] = 1;
        o += PG;
    }
    int k = freepages();
    set_brk(b);
    printf("  # fork_oom: %d forks with %d down to %d pages free\n", tries, highest, lowest);
    if (problem >= 0) {
        const char *what[] = {"", "", "failed with an odd errno", "leaked pages"};
        printf("  child: fork with %d pages free %s (errno %d, now %d free)\n", problem, what[why],
               errno, k);
        return 1000 + problem;
    }
    if (lowest != 0) printf("  child: got down to %d free pages only\n", lowest);
    return lowest != 0 ? 4 : 0;
}

static int child_exec_oom_fork(long arg)
{
    (void)arg;
    char *argv[] = {"pgtbltest", "--oom-fork", 0};
    exec("pgtbltest", argv);
    return test_child_fail(2, "exec failed, errno %d", errno);
}

static void t_fork_oom(void)
{
    NEEDS(PAGODA_LAZY, NO_LAZY);
    int f0 = freepages();
    int st = in_child(child_exec_oom_fork, 0);
    EXPECT(st == 0, "child status %d", st);
    EXPECT(freepages() == f0, "after the child: %d pages lost", f0 - freepages());
    EXPECT(in_child(child_ok, 9) == 9, "a child after the OOM failed");
}

/* fork and exit work a level-0 table at a time (docs/pagetables.md): a
 * level-1 table that holds a megapage and a level-0 table, that level-0 table
 * sparse and mixing pages still COW from an earlier fork with pages written
 * since (writable again), shared pages that fork leaves out, and a child that
 * exits after its parent. Data stays right in everyone, and every frame comes
 * back with the counts exact (selfcheck). */
#define MIX_N 7
static const int mix_pages[MIX_N] = {0, 1, 7, 8, 100, 300, 511};
static char *mix_p; /* a megapage, then a 2 MiB range with the 4 KiB pages above */

static char *mix_page(int k)
{
    return mix_p + MEGA + (long)mix_pages[k] * PG;
}

/* -1 if the megapage holds seed and page k seed + k, or seed2 + k for the odd
 * k when seed2 is not 0 (the pages the parent rewrote); else the page. */
static int mix_check(unsigned long seed, unsigned long seed2)
{
    if (check(mix_p, MEGA, seed) >= 0) return MIX_N;
    for (int k = 0; k < MIX_N; k++)
        if (check(mix_page(k), PG, (k % 2 && seed2 ? seed2 : seed) + k) >= 0) return k;
    return -1;
}

static void mix_fill(unsigned long seed, int odd_only)
{
    if (!odd_only) fill(mix_p, MEGA, seed);
    for (int k = odd_only; k < MIX_N; k += 1 + odd_only) fill(mix_page(k), PG, seed + k);
}

static int child_mix(long shm)
{
    if (in_child(read_at, shm) != -1) return test_child_fail(1, "the parent's shared page is here");
    int bad = mix_check(SEED_PARENT, 0);
    if (bad >= 0) return test_child_fail(2, "fork-time data wrong in piece %d", bad);
    mix_fill(SEED_CHILD, 0);
    return mix_check(SEED_CHILD, 0) >= 0 ? test_child_fail(3, "own data wrong") : 0;
}

/* A grandchild that outlives its parent: it exits only if its data is right
 * (the case waits for it to be gone), and otherwise spins until killed. */
static int child_orphan(long arg)
{
    (void)arg;
    int pid = fork();
    if (pid != 0) return pid < 0 ? -2 : pid;
    int parent_gone = test_wait_pid((int)arg, 0, 500);
    int ok = parent_gone && mix_check(SEED_PARENT, SEED_PARENT2) < 0;
    mix_fill(SEED_CHILD, 0);
    while (!ok || mix_check(SEED_CHILD, 0) >= 0) yield();
    exit(0);
}

static void t_fork_mixed(void)
{
    char *b = sbrk(0);
    int cost;
    mix_p = mega_region(&cost); /* a megapage if the build makes them */
    EXPECT(mix_p && sbrk((int)(MEGA - PG + 8)) != (char *)-1, "sbrk failed");
    char *shm = shm_alloc(2);
    EXPECT(shm, "shm_alloc failed");
    shm[8] = 42;
    mix_fill(SEED_PARENT, 0);
    int f0 = freepages();
    /* The first child: then the parent rewrites the odd pages (COW copies). */
    int pid = fork();
    if (pid == 0) exit(child_mix((long)shm));
    EXPECT(pid > 0, "fork failed");
    mix_fill(SEED_PARENT2, 1);
    int st = 12345;
    EXPECT(wait(&st) == pid && st == 0, "first child: status %d", st);
    /* Now the even pages are COW, the odd writable: the child forks a
     * grandchild and exits at once, before the grandchild does. */
    pid = fork();
    if (pid == 0) exit(child_orphan(getpid()));
    EXPECT(pid > 0 && wait(&st) == pid && st > 0, "second child: status %d", st);
    if (!test_wait_pid(st, 0, 1000)) {
        kill(st);
        EXPECT(0, "the grandchild found its data wrong, or its parent never went");
    }
    int bad = mix_check(SEED_PARENT, SEED_PARENT2);
    EXPECT(bad < 0, "parent: data wrong in piece %d", bad);
    EXPECT(shm[8] == 42, "parent: shared page changed");
    EXPECT(freepages() == f0, "after the children: %d pages lost", f0 - freepages());
    EXPECT(sys_selfcheck() == 0, "kernel self-check failed (kernel log above)");
    EXPECT(shm_free(shm, 2) == 0, "shm_free failed");
    EXPECT(set_brk(b) == 0, "sbrk back failed");
}

static const struct {
    const char *name;
    void (*fn)(void);
} cases[] = {
    {"ugetpid", t_ugetpid},
    {"usyscall_ro", t_usyscall_ro},
    {"pgaccess", t_pgaccess},
    {"pgaccess_errors", t_pgaccess_errors},
    {"megapage_touch", t_megapage_touch},
    {"megapage_pgaccess", t_megapage_pgaccess},
    {"megapage_fork", t_megapage_fork},
    {"megapage_shrink", t_megapage_shrink},
    {"megapage_reuse", t_megapage_reuse},
    {"megapage_cow_copyout", t_megapage_cow_copyout},
    {"megapage_cow_split", t_megapage_cow_split},
    {"cow_fork", t_cow_fork},
    {"cow_copyout", t_cow_copyout},
    {"lazy_copyout", t_lazy_copyout},
    {"lazy_sbrk", t_lazy_sbrk},
    {"beyond_break", t_beyond_break},
    {"sbrk_shrink_unaligned", t_sbrk_shrink_unaligned},
    {"sbrk_limits", t_sbrk_limits},
    {"sbrk_regrow_zero", t_sbrk_regrow_zero},
    {"lazy_zero_reuse", t_lazy_zero_reuse},
    {"frame_cache_free", t_frame_cache_free},
    {"exec_frees", t_exec_frees},
    {"oom", t_oom},
    {"fork_oom", t_fork_oom},
    {"fork_mixed", t_fork_mixed},
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

/* The runner: every case; exit status = passed * 1000 + failed. */
static int run_cases(int argc, char **argv)
{
    for (int i = 0; i < NCASES; i++) {
        if (!test_selected(argc, argv, cases[i].name)) continue;
        test_case = cases[i].name;
        test_case_failed = 0;
        char *brk0 = sbrk(0);
        skipped = 0;
        cases[i].fn();
        if (skipped) continue;
        if (!test_case_failed && sbrk(0) != brk0)
            test_fail("break left at %p, was %p", sbrk(0), brk0);
        if (test_case_failed) {
            failed++;
            set_brk(brk0);
        } else {
            printf("ok %s\n", test_case);
            passed++;
        }
        printf_flush();
    }
    return passed * 1000 + failed;
}

int main(int argc, char **argv)
{
    /* Hidden modes for the exec cases. */
    if (argc == 3 && strcmp(argv[1], "--exit") == 0) exit(atoi(argv[2]));
    if (argc == 2 && strcmp(argv[1], "--oom-fork") == 0) exit(oom_fork_main());
    for (int i = 1; i < argc; i++) {
        int known = 0;
        for (int j = 0; j < NCASES; j++) known |= strcmp(argv[i], cases[j].name) == 0;
        if (!known) {
            fprintf(2, "pgtbltest: no case '%s'; cases:", argv[i]);
            for (int j = 0; j < NCASES; j++) fprintf(2, " %s", cases[j].name);
            fprintf(2, "\n");
            exit(2);
        }
    }
    top_pid = getpid();
    int f0 = freepages();
    int pid = fork();
    if (pid == 0) exit(run_cases(argc, argv));
    test_case = "runner";
    if (pid < 0) {
        test_fail("fork failed, errno %d", errno);
        failed++;
    } else {
        int st = 12345;
        if (wait(&st) != pid || st < 0) {
            test_fail("runner died (status %d)", st);
            failed++;
        } else {
            passed += st / 1000;
            failed += st % 1000;
        }
    }
    test_end(passed, failed, f0, freepages());
}
