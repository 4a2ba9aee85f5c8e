/* ktest: in-QEMU tests of the kernel core (processes, memory, system calls).
 *
 * Run it from the shell: `ktest` (every case) or `ktest NAME...` (those).
 * It prints one line per test case,
 *     ok <name>            or      FAIL <name>: <what went wrong>
 * then exactly one last line "N passed, M failed", and exits 0 only if
 * nothing failed (the harness: user/lib/testcase.h). Every risky action (faults, exec of bad
 * images, blocking calls) happens in a forked child, so a kernel bug shows up as a FAIL line
 * instead of taking the test program down.
 *
 * ktest also serves as its own exec target: `ktest --child-args ...`,
 * `ktest --child-argc ...` and `ktest --exec-must-fail` are the programs the
 * exec tests start (see main and child_args at the end).
 *
 * Kernel messages such as "pid 12 (ktest): killed: load page fault at ..."
 * are expected in the output: the fault tests provoke them. */
#include "user.h"
#include "syscall.h" /* raw sys_* calls, include/pagoda/abi.h: error codes, struct procinfo */
#include "ipc.h"     /* dev_list */
#include "testcase.h"
#include "fsclient.h"
#include "kstat.h"

#define PAGE       4096UL
#define PAGE_UP(a) (((unsigned long)(a) + PAGE - 1) & ~(PAGE - 1))

/* Addresses no system call may accept and no user access may touch. */
#define KERNEL_VA     0xFFFFFFC080200000UL /* the kernel image in the kernel half */
#define UNMAPPED_VA   0x1000000000UL       /* 64 GiB: user range, nothing there */
#define BEYOND_VA     0x10000000000UL      /* 1 TiB: above the Sv39 user half */
#define NONCANON_VA   MAXVA                /* 2^38: first address past the user half */
#define TRAPFRAME_VA  TRAPFRAME            /* mapped, but not for user mode */
#define TRAMPOLINE_VA TRAMPOLINE           /* mapped, but not for user mode */
#define USYSCALL_PAGE USYSCALL             /* read-only for user mode */

#define SURVIVED    77 /* a child that should have been killed returns this */
#define EXEC_WORKED 99 /* `ktest --exec-must-fail` exits with this */

/* ------------------------------------------------------------- helpers */

static long t0_free; /* free pages at start */

#define run_child test_in_child

/* Process pid (looked up by pid); 1 if it exists (then *out is filled). */
static int find_proc(int pid, struct procinfo *out)
{
    struct procinfo pi;
    if (procinfo_pid(pid, &pi) < 0) return 0;
    if (out) *out = pi;
    return 1;
}

/* Is pid in procinfo's list by index? */
static int listed(int pid)
{
    struct procinfo pi;
    for (int i = 0; i < 1000 && procinfo(i, &pi) == 0; i++)
        if (pi.pid == pid) return 1;
    return 0;
}

/* Count processes named "ktest" whose parent is ppid. */
static int count_children_of(int ppid, int skip_zombies)
{
    struct procinfo pi;
    int n = 0;
    for (int i = 0; i < 1000 && procinfo(i, &pi) == 0; i++)
        if (pi.ppid == ppid && strcmp(pi.name, "ktest") == 0 &&
            !(skip_zombies && pi.state == PS_ZOMBIE))
            n++;
    return n;
}

#define wait_for_state test_wait_pid

/* Wait (polling, up to max_ticks) until init has reaped our orphans and the
 * free-page count is back to `want`; 1 on success. */
static int settle(long want, int max_ticks)
{
    for (int t = 0; t <= max_ticks; t++) {
        if (count_children_of(1, 0) == 0 && sys_freepages() == want) return 1;
        sleep(1);
    }
    return 0;
}

/* A copy of a program from the boot image, in fresh heap pages.
 * Give it back with image_free (heap is last-in first-out). */
static char *image_load(const char *name, long *size)
{
    *size = sys_bootmod(name, 0, 0);
    if (*size <= 0) {
        test_fail("bootmod(%s) = %ld", name, *size);
        return 0;
    }
    char *buf = sbrk((int)PAGE_UP(*size));
    if (buf == (char *)-1) {
        test_fail("sbrk for the image failed");
        return 0;
    }
    long r = sys_bootmod(name, buf, (unsigned long)*size);
    if (r != *size) test_fail("bootmod copy returned %ld, size %ld", r, *size);
    return buf;
}

static void image_free(long size)
{
    sbrk(-(int)PAGE_UP(size));
}

static char *exec_fail_argv[] = {"ktest", "--exec-must-fail", 0};

/* ------------------------------------------------- fork, exit and wait */

/* getpid is positive, stable, and the raw call agrees with the wrapper. */
static void t_getpid(void)
{
    int pid = getpid();
    CHECK(pid > 1, "getpid() = %d", pid);
    CHECK(getpid() == pid, "getpid changed");
    CHECK(sys_getpid() == pid, "sys_getpid() = %ld, getpid() = %d", sys_getpid(), pid);
}

/* fork returns 0 in the child and the child's pid in the parent: the child
 * reports its own getpid() as exit status and the parent compares. */
static void t_fork(void)
{
    int me = getpid();
    int pid = fork();
    if (pid == 0) exit(getpid() == me ? -2 : getpid());
    CHECK(pid > 0, "fork returned %d", pid);
    CHECK(pid != me, "fork returned the parent's own pid");
    int status = TEST_NO_STATUS;
    int w = wait(&status);
    CHECK(w == pid, "wait returned %d, fork %d", w, pid);
    CHECK(status == pid, "child's getpid() was %d, fork said %d", status, pid);
}

static int g_value = 1234; /* data segment, shared copy-on-write after fork */

/* The child gets a copy of data, stack and heap; its writes stay its own. */
static void t_fork_copies_memory(void)
{
    volatile int on_stack = 5678;
    char *heap = sbrk((int)PAGE);
    if (heap == (char *)-1) {
        test_fail("sbrk failed");
        return;
    }
    memset(heap, 'h', PAGE);
    g_value = 1234;
    int pid = fork();
    if (pid == 0) {
        int bad = 0;
        if (g_value != 1234) bad |= 1;
        if (on_stack != 5678) bad |= 2;
        if (heap[0] != 'h' || heap[PAGE - 1] != 'h') bad |= 4;
        g_value = 1, on_stack = 2; /* must not reach the parent */
        memset(heap, 'c', PAGE);
        exit(bad ? 100 + bad : 0);
    }
    int status = TEST_NO_STATUS;
    CHECK(wait(&status) == pid, "wait failed");
    CHECK(status == 0, "child saw wrong memory (status %d: 1 data, 2 stack, 4 heap)", status - 100);
    CHECK(g_value == 1234 && on_stack == 5678, "child's write reached parent data/stack");
    CHECK(heap[0] == 'h' && heap[PAGE - 1] == 'h', "child's write reached parent heap");
    sbrk(-(int)PAGE);
}

static char cow_buf[PAGE] __attribute__((aligned(4096)));

/* The kernel writing into a page shared after fork (copy-on-write) must give
 * the writer its own copy: here bootmod copies into the parent's buffer while
 * the child still holds the old page and checks it afterwards. */
static void t_fork_kernel_write_cow(void)
{
    memset(cow_buf, 'P', sizeof cow_buf);
    int pid = fork();
    if (pid == 0) {
        sleep(5); /* let the parent write first */
        for (unsigned long i = 0; i < sizeof cow_buf; i++)
            if (cow_buf[i] != 'P') exit(1);
        exit(0);
    }
    long r = sys_bootmod("ktest", cow_buf, 64);
    CHECK(r > 0, "bootmod into a shared page returned %ld", r);
    CHECK(cow_buf[0] == 0x7f && cow_buf[1] == 'E', "bootmod did not write the parent's copy");
    CHECK(cow_buf[64] == 'P', "bootmod wrote past 64 bytes");
    int status = TEST_NO_STATUS;
    CHECK(wait(&status) == pid, "wait failed");
    CHECK(status == 0, "the kernel's write reached the child's copy (status %d)", status);
}

/* wait returns each child's pid with the exact status it passed to exit:
 * one at a time, then all at once. */
static void t_wait_status(void)
{
    static const int codes[] = {0,  1,  42,   127,    255,        256,
                                -2, -7, -255, 100000, 0x7fffffff, (int)0x80000000};
    enum { N = sizeof codes / sizeof codes[0] };
    for (int i = 0; i < N; i++) {
        int pid = fork();
        if (pid == 0) exit(codes[i]);
        int status = TEST_NO_STATUS, w = wait(&status);
        CHECK(w == pid && status == codes[i], "exit(%d): wait %d (pid %d) status %d", codes[i], w,
              pid, status);
    }
    int pids[N];
    for (int i = 0; i < N; i++) {
        pids[i] = fork();
        if (pids[i] == 0) exit(codes[i]);
    }
    for (int n = 0; n < N; n++) {
        int status = TEST_NO_STATUS, w = wait(&status), i;
        for (i = 0; i < N && pids[i] != w; i++) {
        }
        if (i == N) {
            test_fail("wait returned %d, not one of our children", w);
            break;
        }
        CHECK(status == codes[i], "concurrent exit(%d): status %d", codes[i], status);
        pids[i] = -100;
    }
}

/* wait without children fails at once with ECHILD and leaves *status alone. */
static void t_wait_no_children(void)
{
    int status = 4321;
    errno = 0;
    int w = wait(&status);
    CHECK(w == -1, "wait returned %d", w);
    CHECK(errno == ECHILD, "errno %d, want ECHILD", errno);
    CHECK(status == 4321, "status overwritten with %d", status);
    CHECK(wait(0) == -1, "wait(0) without children did not fail");
}

/* wait(0) reaps a child without storing a status. */
static void t_wait_null_status(void)
{
    int pid = fork();
    if (pid == 0) exit(9);
    int w = wait(0);
    CHECK(w == pid, "wait(0) returned %d, child %d", w, pid);
}

/* --------------------------------------------------------------- faults */

/* Each of these runs in a child and must be killed (status -1) by the trap;
 * the kernel prints one "killed" line per child. */

static int fault_load_null(long a)
{
    long v;
    (void)a;
    __asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(0UL));
    return SURVIVED;
}

static int fault_store_text(long a)
{
    (void)a;
    __asm__ volatile("sd zero, 0(%0)" : : "r"((unsigned long)&fault_store_text) : "memory");
    return SURVIVED;
}

static int fault_jump_unmapped(long a)
{
    (void)a;
    __asm__ volatile("jalr %0" : : "r"(0x10000000UL) : "ra", "memory");
    return SURVIVED;
}

static int fault_illegal_instruction(long a)
{
    (void)a;
    __asm__ volatile(".4byte 0"); /* all-zero: defined to be illegal */
    return SURVIVED;
}

static int fault_load_kernel(long a)
{
    long v;
    (void)a;
    __asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(KERNEL_VA));
    return SURVIVED;
}

static int fault_store_kernel(long a)
{
    (void)a;
    __asm__ volatile("sd zero, 0(%0)" : : "r"(KERNEL_VA) : "memory");
    return SURVIVED;
}

/* The trapframe is mapped in the user table, but without PTE_U. */
static int fault_load_trapframe(long a)
{
    long v;
    (void)a;
    __asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(TRAPFRAME_VA));
    return SURVIVED;
}

static int fault_jump_trampoline(long a)
{
    (void)a;
    __asm__ volatile("jalr %0" : : "r"(TRAMPOLINE_VA) : "ra", "memory");
    return SURVIVED;
}

/* Supervisor CSRs are out of reach in user mode. */
static int fault_privileged_csr(long a)
{
    long v;
    (void)a;
    __asm__ volatile("csrr %0, sstatus" : "=r"(v));
    return SURVIVED;
}

static int fault_ebreak(long a)
{
    (void)a;
    __asm__ volatile("ebreak");
    return SURVIVED;
}

/* Data pages are not executable: a "ret" written to the stack must not run. */
static int fault_exec_stack(long a)
{
    (void)a;
    volatile unsigned int code[4] = {0x00008067, 0x00008067, 0, 0}; /* ret */
    __asm__ volatile("fence.i\n jalr %0" : : "r"(code) : "ra", "memory");
    return SURVIVED;
}

static __attribute__((noinline)) int recurse(int depth)
{
    volatile char frame[1024];
    frame[0] = (char)depth;
    if (depth > 1000000) return 0; /* never: the stack is far smaller */
    return recurse(depth + 1) + frame[0];
}

/* Running off the bottom of the user stack hits the guard page. */
static int fault_stack_overflow(long a)
{
    (void)a;
    recurse(0);
    return SURVIVED;
}

/* ----------------------------------------------------------------- kill */

static int sleep_long(long a)
{
    (void)a;
    sleep(1000);
    return 5;
}

static int spin_forever(long a)
{
    (void)a;
    for (;;) __asm__ volatile("");
}

/* Fork a child running fn, kill it and check wait sees status -1 soon:
 * kill must cut a sleep short and stop a loop at its next timer tick. */
static void kill_and_reap(int (*fn)(long), int wait_sleeping)
{
    int pid = fork();
    if (pid == 0) exit(fn(0));
    if (wait_sleeping) {
        CHECK(wait_for_state(pid, PS_SLEEPING, 100), "child %d never went to sleep", pid);
    } else {
        sleep(2); /* let it spin for a while */
    }
    int t0 = uptime();
    CHECK(kill(pid) == 0, "kill(%d) failed (errno %d)", pid, errno);
    int status = TEST_NO_STATUS, w = wait(&status);
    int took = uptime() - t0;
    CHECK(w == pid, "wait returned %d, child %d", w, pid);
    CHECK(status == -1, "status %d, want -1", status);
    CHECK(took < 100, "took %d ticks to die", took);
}

static void t_kill_sleeping(void)
{
    kill_and_reap(sleep_long, 1);
}

static void t_kill_spinning(void)
{
    kill_and_reap(spin_forever, 0);
}

/* kill of a pid that does not exist fails with ESRCH; so does a reaped one. */
static void t_kill_nonexistent(void)
{
    errno = 0;
    CHECK(kill(99999) == -1 && errno == ESRCH, "kill(99999): errno %d", errno);
    CHECK(kill(0) == -1, "kill(0) succeeded");
    CHECK(kill(-1) == -1, "kill(-1) succeeded");
    int pid = fork();
    if (pid == 0) exit(0);
    wait(0);
    CHECK(kill(pid) == -1, "kill of reaped pid %d succeeded", pid);
}

/* init cannot be killed, and is still there afterwards. */
static void t_kill_init(void)
{
    errno = 0;
    int r = kill(1);
    CHECK(r == -1, "kill(1) returned %d", r);
    CHECK(errno == EPERM, "kill(1): errno %d, want EPERM", errno);
    sleep(2);
    struct procinfo pi;
    CHECK(find_proc(1, &pi), "init (pid 1) is gone");
    CHECK(pi.state != PS_ZOMBIE, "init is a zombie");
    CHECK(strcmp(pi.name, "init") == 0, "pid 1 is \"%s\"", pi.name);
}

static int kill_self(long a)
{
    (void)a;
    kill(getpid());
    return SURVIVED; /* the kernel should end us on the way out of kill */
}

/* A process may kill itself: it dies on the way back to user mode. */
static void t_kill_self(void)
{
    int status = run_child(kill_self, 0);
    CHECK(status == -1, "status %d, want -1", status);
}

static int wait_for_sleeper(long a)
{
    (void)a;
    if (fork() == 0) {
        sleep(1000);
        exit(6);
    }
    wait(0);
    return 7;
}

/* Killing a process blocked in wait() wakes it; its orphan goes to init. */
static void t_kill_waiting(void)
{
    long free0 = sys_freepages();
    int pid = fork();
    if (pid == 0) exit(wait_for_sleeper(0));
    CHECK(wait_for_state(pid, PS_SLEEPING, 100), "middle process never slept");
    /* the grandchild: the one ktest process whose parent is pid */
    int grandchild = 0;
    struct procinfo pi;
    for (int i = 0; procinfo(i, &pi) == 0; i++)
        if (pi.ppid == pid) grandchild = pi.pid;
    CHECK(grandchild > 0, "grandchild not found");
    CHECK(kill(pid) == 0, "kill failed");
    int status = TEST_NO_STATUS;
    int t0 = uptime();
    CHECK(wait(&status) == pid && status == -1, "middle: status %d, want -1", status);
    CHECK(uptime() - t0 < 100, "took %d ticks", uptime() - t0);
    if (grandchild > 0) {
        CHECK(find_proc(grandchild, &pi) && pi.ppid == 1, "orphan %d not adopted by init (ppid %d)",
              grandchild, pi.ppid);
        CHECK(kill(grandchild) == 0, "kill of the orphan failed");
    }
    CHECK(settle(free0, 200), "after 2 s: %d orphans left, free pages %ld, want %ld",
          count_children_of(1, 0), sys_freepages(), free0);
}

/* ---------------------------------------------------------------- time */

/* sleep(10) sleeps at least about 10 ticks, and not wildly longer. */
static void t_sleep(void)
{
    int t0 = uptime();
    int r = sleep(10);
    int took = uptime() - t0;
    CHECK(r == 0, "sleep returned %d", r);
    CHECK(took >= 9, "sleep(10) took %d ticks", took);
    CHECK(took < 200, "sleep(10) took %d ticks", took);
    t0 = uptime();
    CHECK(sleep(0) == 0, "sleep(0) failed");
    CHECK(uptime() - t0 < 5, "sleep(0) took %d ticks", uptime() - t0);
    errno = 0;
    CHECK(sleep(-1) == -1 && errno == EINVAL, "sleep(-1): errno %d, want EINVAL", errno);
}

/* uptime advances, also while we run without sleeping (timer interrupts). */
static void t_uptime(void)
{
    int t0 = uptime();
    CHECK(t0 >= 0, "uptime %d", t0);
    sleep(2);
    int t1 = uptime();
    CHECK(t1 > t0, "uptime did not advance over sleep(2): %d -> %d", t0, t1);
    long spins = 0;
    while (uptime() == t1 && spins < 5000000) spins++;
    CHECK(uptime() > t1, "uptime stuck at %d while spinning", t1);
}

static void t_yield(void)
{
    for (int i = 0; i < 10; i++) CHECK(yield() == 0, "yield returned nonzero");
}

/* ------------------------------------------- registers across a system call */

long ecall_regs(long n, long a0, unsigned long out[32]); /* user/lib/trapregs.S */

/* The first register that came back wrong from system call n (0: none).
 * Every register but a0 comes back as it went in (0x100 + i, sp as it
 * was, a7 = n), except that the temporaries t0-t6 and a6 may come back
 * zero (pagoda/abi.h), never anything else: that would be a kernel value. */
static int regs_wrong(long n, const unsigned long *out)
{
    for (int i = 1; i < 32; i++) {
        unsigned long want = i == 2 ? out[0] : i == 17 ? (unsigned long)n : 0x100UL + i;
        int temp = (i >= 5 && i <= 7) || i == 16 || i >= 28;
        if (i != 10 && out[i] != want && !(temp && out[i] == 0)) return i;
    }
    return 0;
}

/* Short calls (getpid; yield and sleep, which switch away and back), calls
 * that save every register (ipc_recv, fork in parent and child), and
 * numbers past the table, which may take either path (docs/traps.md). */
static void t_syscall_regs(void)
{
    static const long calls[][2] = {
        {SYS_getpid, 0},    {SYS_uptime, 0},   {SYS_yield, 0},     {SYS_sleep, 1},
        {SYS_ipc_recv, -1}, {NSYSCALL + 7, 0}, {64 + SYS_fork, 0}, {(1L << 40) + SYS_ipc_call, 0},
    };
    unsigned long out[32];
    for (unsigned i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        long n = calls[i][0], r = ecall_regs(n, calls[i][1], out);
        int bad = regs_wrong(n, out);
        CHECK(!bad, "system call %ld: x%d came back 0x%lx", n, bad, out[bad]);
        if (n == SYS_getpid) CHECK(r == getpid(), "getpid returned %ld", r);
        if (n >= NSYSCALL) CHECK(r == -ENOSYS, "system call %ld returned %ld", n, r);
    }
    long pid = ecall_regs(SYS_fork, 0, out);
    if (pid == 0) sys_exit(regs_wrong(SYS_fork, out)); /* the child: which register is wrong */
    EXPECT(pid > 0, "fork failed: %ld", pid);
    int bad = regs_wrong(SYS_fork, out), status = -1;
    CHECK(!bad, "fork: x%d came back 0x%lx in the parent", bad, out[bad]);
    EXPECT(wait(&status) == pid, "wait failed");
    CHECK(status == 0, "fork: x%d came back wrong in the child", status);
}

/* Registers across IPC calls (docs/traps.md): the IPC calls save no
 * temporaries, and every way back to a caller returns them zeroed (here
 * exactly zero, not just "zero or as they were"). The
 * child calls us three times with ecall_regs's words 0x10b..0x10e, which we
 * echo: the first call waits on the general path (we sleep first) and is
 * replied to by ipc_reply (back through usersyscall); the third is taken
 * by the fast path (we wait in ipc_reply_recv), which parks the child, and
 * our ep_close wakes it on the general path (fast_resume) with -EPIPE.
 * Child's exit: 32 * i + the wrong register, or 100 + i: wrong result (call i + 1). */
static void t_ipc_regs(void)
{
    int ep = ep_create();
    EXPECT(ep >= 0, "ep_create: %d", ep);
    struct kstat k0, k1, d;
    int have_kstat = kstat_read(&k0) == 0;
    int pid = fork();
    if (pid == 0) {
        static const long want[3] = {0, 0, -EPIPE};
        unsigned long out[32];
        for (int i = 0; i < 3; i++) {
            long r = ecall_regs(SYS_ipc_call, ep, out);
            int bad = regs_wrong(SYS_ipc_call, out);
            for (int t = 5; t < 32 && !bad; t++) /* the temporaries: zero, not their own */
                if (((t >= 5 && t <= 7) || t == 16 || t >= 28) && out[t]) bad = t;
            if (bad) sys_exit(32 * i + bad);
            if (r != want[i]) sys_exit(100 + i);
        }
        sys_exit(0);
    }
    EXPECT(pid > 0, "fork failed: %d", pid);
    struct ipc_msg m;
    sleep(2); /* the first call waits for us: the general path */
    long r = ipc_recv(ep, &m);
    CHECK(r == 0 && m.pid == pid && m.w[0] == 0x10b && m.w[3] == 0x10e,
          "first call: %ld from %ld, w[0] 0x%lx", r, m.pid, m.w[0]);
    if (r == 0) r = ipc_reply((int)m.pid, m.w);
    if (r == 0) r = ipc_recv(ep, &m);
    if (r == 0) r = ipc_reply_recv(ep, (int)m.pid, m.w, &m); /* the third call arrives */
    CHECK(r == 0 && m.w[1] == 0x10c, "calls 2 and 3: %ld, w[1] 0x%lx", r, m.w[1]);
    CHECK(ep_close(ep) == 0, "ep_close failed"); /* the caller, parked, gets -EPIPE */
    int status = -1;
    EXPECT(wait(&status) == pid, "wait failed");
    CHECK(status == 0, "the caller's call %d: %s x%d",
          status >= 100 ? status - 99 : status / 32 + 1,
          status >= 100 ? "wrong result" : "wrong register", status % 32);
    if (have_kstat && kstat_read(&k1) == 0) {
        kstat_diff(&d, &k1, &k0);
        CHECK((d.n[KSTAT_ipc_fast] >= 1 || !PAGODA_IPC_DIRECT) && d.n[KSTAT_ipc_slow] >= 1,
              "%lu calls on the fast path, %lu on the general path: want both (one without "
              "PAGODA_IPC_DIRECT)",
              d.n[KSTAT_ipc_fast], d.n[KSTAT_ipc_slow]);
    }
}

/* ------------------------------------------- registers across a page fault */

void fault_regs(char *addr, unsigned long out[32]); /* user/lib/trapregs.S */

/* The first register that came back wrong from a served fault (0: none):
 * all of them must be as they went in (0x100 + i, sp as it was, a0 addr). */
static int fault_regs_wrong(const char *addr, const unsigned long *out)
{
    for (int i = 1; i < 32; i++) {
        unsigned long want = i == 2 ? out[0] : i == 10 ? (unsigned long)addr : 0x100UL + i;
        if (out[i] != want) return i;
    }
    return 0;
}

/* A page fault enters the kernel as a C call that keeps only s0-s11 in
 * their registers (docs/traps.md): every other register must come back
 * from the trapframe. A first store into a lazy heap page, and one into a
 * page shared copy-on-write with a child. */
static void t_fault_regs(void)
{
    unsigned long out[32];
    char *b = sbrk(0);
    char *p = (char *)PAGE_UP(b);
    EXPECT(sbrk((int)(p - b + 2 * PAGE)) == b, "sbrk failed");
    fault_regs(p, out);
    int bad = fault_regs_wrong(p, out);
    CHECK(!bad, "lazy page fault: x%d came back 0x%lx", bad, out[bad]);
    CHECK(*(unsigned long *)p == 0x10b, "the store wrote 0x%lx", *(unsigned long *)p);
    p[PAGE] = 1;
    int pid = fork();
    EXPECT(pid >= 0, "fork failed");
    if (pid == 0) {
        sleep(100000); /* shares the page until killed */
        sys_exit(0);
    }
    fault_regs(p + PAGE, out);
    bad = fault_regs_wrong(p + PAGE, out);
    CHECK(!bad, "copy-on-write fault: x%d came back 0x%lx", bad, out[bad]);
    CHECK(*(unsigned long *)(p + PAGE) == 0x10b, "the store wrote 0x%lx",
          *(unsigned long *)(p + PAGE));
    kill(pid);
    wait(0);
    CHECK(sbrk((int)(b - sbrk(0))) != (char *)-1, "sbrk back failed");
}

/* ---------------------------------------------------------------- sbrk */

/* Grow by 1 and 10 pages, use every byte, shrink back: the break moves as
 * asked and every page comes back to the allocator. */
static void t_sbrk_grow_shrink(void)
{
    char *start = sbrk(0);
    CHECK((long)start == sys_sbrk(0), "sbrk(0) and sys_sbrk(0) disagree");
    long free0 = sys_freepages();
    char *a = sbrk((int)PAGE);
    CHECK(a == start, "sbrk(4096) returned %p, break was %p", a, start);
    char *b = sbrk((int)(10 * PAGE));
    CHECK(b == start + PAGE, "sbrk(40960) returned %p, want %p", b, start + PAGE);
    CHECK(sbrk(0) == start + 11 * PAGE, "break %p, want %p", sbrk(0), start + 11 * PAGE);
    if (a == (char *)-1 || b == (char *)-1) return;
    for (unsigned long i = 0; i < 11 * PAGE; i++) start[i] = (char)(i * 7 + 3);
    unsigned long bad = 0;
    for (unsigned long i = 0; i < 11 * PAGE; i++)
        if (start[i] != (char)(i * 7 + 3)) bad++;
    CHECK(bad == 0, "%lu bytes read back wrong", bad);
    long used = free0 - sys_freepages();
    CHECK(used >= 11, "11 pages in use but only %ld pages taken", used);
    char *c = sbrk(-(int)(11 * PAGE));
    CHECK(c == start + 11 * PAGE, "shrink returned %p", c);
    CHECK(sbrk(0) == start, "break %p after shrink, want %p", sbrk(0), start);
    long free1 = sys_freepages();
    CHECK(free1 == free0, "free pages %ld before, %ld after grow+shrink", free0, free1);
}

static int grow_until_refused(long a)
{
    (void)a;
    long start = sys_sbrk(0);
    for (int i = 0; i < 100; i++) { /* 2 GiB at a time: 200 GiB is past any limit */
        long brk = sys_sbrk(0);
        errno = 0;
        if (sbrk(0x7fffffff) != (char *)-1) continue;
        if (errno != ENOMEM) return 3;
        if (sys_sbrk(0) != brk) return 2;
        return sys_sbrk(start - brk) == brk && sys_sbrk(0) == start ? 0 : 4;
    }
    return 1;
}

/* Impossible sizes fail and leave the break where it was; growing 2 GiB at
 * a time ends in (char *)-1 with ENOMEM (at once if memory is allocated
 * eagerly, at the heap limit if lazily). */
static void t_sbrk_huge(void)
{
    long free0 = sys_freepages();
    long brk = sys_sbrk(0);
    long r = sys_sbrk(1L << 40);
    CHECK(r == -ENOMEM, "sbrk(1<<40) returned %ld, want -ENOMEM", r);
    r = sys_sbrk(0x7fffffffffffffffL);
    CHECK(r < 0, "sbrk(LONG_MAX) returned %ld", r);
    CHECK(sys_sbrk(0) == brk, "break moved from 0x%lx to 0x%lx", brk, sys_sbrk(0));
    int status = run_child(grow_until_refused, 0);
    CHECK(status == 0, "growing by 2 GiB steps: %s (status %d)",
          status == 1   ? "never refused"
          : status == 2 ? "a refused sbrk moved the break"
          : status == 3 ? "errno not ENOMEM"
          : status == 4 ? "could not shrink back"
                        : "killed?",
          status);
    CHECK(sys_freepages() == free0, "free pages %ld before, %ld after", free0, sys_freepages());
}

/* The break cannot go below the end of the program (or below zero). */
static void t_sbrk_below_start(void)
{
    long brk = sys_sbrk(0);
    long r = sys_sbrk(-(brk - 0x1000)); /* new break = start of text */
    CHECK(r < 0, "shrinking the break to 0x1000 returned 0x%lx", r);
    r = sys_sbrk(-brk - 0x10000); /* wraps below zero */
    CHECK(r < 0, "shrinking below 0 returned 0x%lx", r);
    r = sys_sbrk(-0x7fffffffffffffffL - 1);
    CHECK(r < 0, "sbrk(LONG_MIN) returned 0x%lx", r);
    errno = 0;
    CHECK(sbrk(-0x7fffffff) == (char *)-1, "sbrk(-2 GiB) did not return (char *)-1");
    CHECK(errno != 0, "sbrk(-2 GiB) left errno 0");
    CHECK(sys_sbrk(0) == brk, "break moved from 0x%lx to 0x%lx", brk, sys_sbrk(0));
}

/* Shrinking to the middle of a page keeps the bytes below the new break. */
static void t_sbrk_shrink_partial_page(void)
{
    char *p = sbrk((int)(2 * PAGE));
    if (p == (char *)-1) {
        test_fail("sbrk failed");
        return;
    }
    memset(p, 'k', 2 * PAGE);
    CHECK(sbrk(-(int)(PAGE + PAGE / 2)) == p + 2 * PAGE, "shrink returned wrong old break");
    CHECK(sbrk(0) == p + PAGE / 2, "break %p, want %p", sbrk(0), p + PAGE / 2);
    int lost = 0;
    for (unsigned long i = 0; i < PAGE / 2; i++) lost += p[i] != 'k';
    CHECK(lost == 0, "%d bytes below the new break lost their contents", lost);
    sbrk(-(int)(PAGE / 2));
}

static int touch_freed_heap(long a)
{
    (void)a;
    char *p = sbrk((int)PAGE);
    if (p == (char *)-1) return 2;
    p[0] = 1;
    if (sbrk(-(int)PAGE) == (char *)-1) return 3;
    return ((volatile char *)p)[0] + SURVIVED;
}

/* After the heap shrinks, its old pages are gone: touching them kills. */
static void t_sbrk_freed_faults(void)
{
    int status = run_child(touch_freed_heap, 0);
    CHECK(status == -1, "status %d, want -1 (killed)", status);
}

/* System calls may write into heap pages the program has not touched yet
 * (they may not be allocated until first use). */
static void t_sbrk_kernel_writes_fresh_heap(void)
{
    char *p = sbrk((int)(2 * PAGE));
    if (p == (char *)-1) {
        test_fail("sbrk failed");
        return;
    }
    struct procinfo *pi = (struct procinfo *)p;
    long r = sys_procinfo(0, pi);
    CHECK(r == 0, "procinfo into fresh heap returned %ld", r);
    r = sys_bootmod("ktest", p + PAGE, 64);
    CHECK(r > 64 && p[PAGE] == 0x7f, "bootmod into fresh heap returned %ld", r);
    int pid = fork();
    if (pid == 0) exit(3);
    int *status = (int *)(p + PAGE - sizeof(int));
    r = sys_wait(status);
    CHECK(r == pid && *status == 3, "wait into heap returned %ld, status %d", r, *status);
    sbrk(-(int)(2 * PAGE));
}

static int eat_memory(long a)
{
    (void)a;
    /* 1 MiB at a time, touching every page, until refused (or killed when
     * pages are handed out on first touch and none is left). */
    for (int mb = 0; mb < 4096; mb++) {
        char *p = sbrk(1 << 20);
        if (p == (char *)-1) return 0;
        for (int i = 0; i < (1 << 20); i += (int)PAGE) p[i] = 1;
    }
    return 2; /* 4 GiB and still going? */
}

/* Running out of memory ends in a refused sbrk or a killed process, never a
 * panic; every page comes back and the system carries on. */
static void t_out_of_memory(void)
{
    long free0 = sys_freepages();
    int status = run_child(eat_memory, 0);
    CHECK(status == 0 || status == -1, "status %d, want 0 (sbrk refused) or -1 (killed)", status);
    long free1 = sys_freepages();
    CHECK(free1 == free0, "free pages %ld before, %ld after", free0, free1);
    int pid = fork();
    if (pid == 0) exit(4);
    int st = TEST_NO_STATUS;
    CHECK(pid > 0 && wait(&st) == pid && st == 4, "fork after OOM failed");
}

/* ---------------------------------------------------------------- exec */

static int exec_args_child(long a)
{
    (void)a;
    static char longarg[301];
    memset(longarg, 'L', 300);
    char *argv[] = {"ktest", "--child-args", "a", "bb", "", "ccc", longarg, 0};
    exec("ktest", argv);
    return -3;
}

/* exec passes argc/argv exactly (including an empty and a long string) and
 * keeps the pid: `ktest --child-args` checks them and exits with its pid. */
static void t_exec_args(void)
{
    int pid = fork();
    if (pid == 0) exit(exec_args_child(0));
    int status = TEST_NO_STATUS;
    CHECK(wait(&status) == pid, "wait failed");
    if (status == -3)
        test_fail("exec failed");
    else if (status == -1)
        test_fail("the exec'd program was killed");
    else
        CHECK(status == pid, "status %d: check %d of child_args failed, or the pid changed", status,
              -status);
}

static int exec_many_args(long n)
{
    static char num[40][4];
    char *argv[41];
    argv[0] = "ktest";
    argv[1] = "--child-argc";
    for (int i = 2; i < n; i++) {
        snprintf(num[i], 4, "%d", i);
        argv[i] = num[i];
    }
    argv[n] = 0;
    exec("ktest", argv);
    return 200 + errno;
}

/* 32 arguments are fine; 33 are refused with E2BIG (MAXARG 32). */
static void t_exec_many_args(void)
{
    int status = run_child(exec_many_args, 32);
    CHECK(status == 32, "exec with 32 args: status %d", status);
    status = run_child(exec_many_args, 33);
    CHECK(status == 200 + E2BIG, "exec with 33 args: status %d, want %d (E2BIG)", status,
          200 + E2BIG);
}

/* exec of a program that does not exist fails and we carry on. */
static void t_exec_missing(void)
{
    char *argv[] = {"no-such-program", 0};
    errno = 0;
    int r = exec("no-such-program", argv);
    CHECK(r == -1, "exec returned %d", r);
    CHECK(errno == ENOENT, "errno %d, want ENOENT", errno);
    CHECK(getpid() > 0, "caller broken");
}

/* Each exec below runs in a child that reports -error as its status. A
 * status of EXEC_WORKED means the kernel ran an image it should refuse. */
struct bad_exec {
    const void *image;
    unsigned long len;
    char **argv;
};

static int g_canary = 0x5a5a5a5a;

static int try_bad_exec(long a)
{
    const struct bad_exec *e = (const struct bad_exec *)a;
    volatile int canary = 0x1234;
    long r = sys_exec(e->image, e->len, e->argv);
    if (r >= 0) return 150; /* "succeeded" but came back */
    if (canary != 0x1234 || g_canary != 0x5a5a5a5a) return 151;
    if (getpid() <= 0) return 152;
    return (int)-r;
}

/* Run sys_exec(image, len, argv) in a child; it must fail with an error. */
static void expect_exec_error(const char *what, const void *image, unsigned long len, char **argv)
{
    struct bad_exec e = {image, len, argv ? argv : exec_fail_argv};
    int status = run_child(try_bad_exec, (long)&e);
    if (status == EXEC_WORKED)
        test_fail("%s: exec succeeded", what);
    else if (status > 0 && status < 64)
        return; /* an error code: as it should be */
    else if (status == -1)
        test_fail("%s: killed (the caller, or a broken image that ran)", what);
    else if (status == 151)
        test_fail("%s: caller's memory changed", what);
    else
        test_fail("%s: status %d", what, status);
}

/* Image pointers that are not readable user memory. */
static void t_exec_bad_image_pointer(void)
{
    expect_exec_error("image 0", 0, 8192, 0);
    expect_exec_error("image 0 len 0", 0, 0, 0);
    expect_exec_error("kernel image", (void *)KERNEL_VA, 8192, 0);
    expect_exec_error("unmapped image", (void *)UNMAPPED_VA, 8192, 0);
    expect_exec_error("image beyond user half", (void *)BEYOND_VA, 8192, 0);
    expect_exec_error("trapframe image", (void *)TRAPFRAME_VA, 4096, 0);
    expect_exec_error("wrapping length", (void *)&g_canary, ~0UL, 0);
}

/* A page of zeros is not an ELF image. */
static void t_exec_not_elf(void)
{
    char *zeros = sbrk((int)PAGE);
    if (zeros == (char *)-1) {
        test_fail("sbrk failed");
        return;
    }
    memset(zeros, 0, PAGE);
    expect_exec_error("zeros", zeros, PAGE, 0);
    expect_exec_error("text as image", (void *)&t_exec_not_elf, 4096, 0);
    sbrk(-(int)PAGE);
}

/* ELF64 as the loader reads it. */
struct elf_header {
    unsigned char ident[16];
    unsigned short type, machine;
    unsigned int version;
    unsigned long entry, phoff, shoff;
    unsigned int flags;
    unsigned short ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf_phdr {
    unsigned int type, flags;
    unsigned long offset, vaddr, paddr, filesz, memsz, align;
};

/* End of the last loadable byte in the file (offset + filesz). */
static unsigned long load_end(const char *img)
{
    const struct elf_header *eh = (const struct elf_header *)img;
    unsigned long end = 0;
    for (int i = 0; i < eh->phnum; i++) {
        const struct elf_phdr *ph = (const struct elf_phdr *)(img + eh->phoff) + i;
        if (ph->type == 1 && ph->offset + ph->filesz > end) end = ph->offset + ph->filesz;
    }
    return end;
}

/* A real image cut short: at 100 bytes (phdrs cut), and inside the data. */
static void t_exec_truncated(void)
{
    long size;
    char *img = image_load("ktest", &size);
    if (!img) return;
    const struct elf_header *eh = (const struct elf_header *)img;
    unsigned long end = load_end(img);
    CHECK(end > 100 && end <= (unsigned long)size, "ELF load end %lu, size %ld", end, size);
    expect_exec_error("100 bytes", img, 100, 0);
    expect_exec_error("header only", img, sizeof(struct elf_header), 0);
    expect_exec_error("phdrs cut", img, eh->phoff + eh->phnum * sizeof(struct elf_phdr) - 1, 0);
    expect_exec_error("data cut", img, end - 1, 0);
    expect_exec_error("len 0", img, 0, 0);
    image_free(size);
}

/* A valid image with one field broken at a time. */
static void t_exec_bad_elf(void)
{
    long size;
    char *orig = image_load("ktest", &size);
    if (!orig) return;
    char *img = sbrk((int)PAGE_UP(size));
    if (img == (char *)-1) {
        image_free(size);
        test_fail("sbrk failed");
        return;
    }
    const struct elf_header *oeh = (const struct elf_header *)orig;
    const struct elf_phdr *oph = (const struct elf_phdr *)(orig + oeh->phoff);
    struct elf_header *eh = (struct elf_header *)img;
    struct elf_phdr *ph = (struct elf_phdr *)(img + oeh->phoff);
    int first = 0; /* the first PT_LOAD */
    while (first < oeh->phnum && oph[first].type != 1) first++;
    if (first == oeh->phnum) {
        test_fail("no PT_LOAD segment in ktest");
        first = 0;
    }

#define BROKEN(what, change)                                                                       \
    do {                                                                                           \
        memcpy(img, orig, (uint)size);                                                             \
        change;                                                                                    \
        expect_exec_error(what, img, (unsigned long)size, 0);                                      \
    } while (0)
    BROKEN("bad magic", img[1] = 'X');
    BROKEN("32-bit class", eh->ident[4] = 1);
    BROKEN("x86 machine", eh->machine = 62);
    BROKEN("ET_DYN", eh->type = 3);
    BROKEN("phentsize", eh->phentsize = 32);
    BROKEN("phoff past end", eh->phoff = (unsigned long)size);
    BROKEN("phoff wraps", eh->phoff = ~0UL - 15);
    BROKEN("no segments", eh->phnum = 0);
    BROKEN("entry 0", eh->entry = 0);
    BROKEN("entry in kernel", eh->entry = KERNEL_VA);
    BROKEN("segment at 0", ph[first].vaddr = 0);
    BROKEN("segment unaligned", ph[first].vaddr += 8);
    BROKEN("segment in kernel", ph[first].vaddr = KERNEL_VA);
    BROKEN("segment on trapframe", ph[first].vaddr = TRAPFRAME_VA);
    BROKEN("segment wraps", (ph[first].vaddr = 0xFFFFFFFFFFFFF000UL, ph[first].memsz = 0x2000));
    BROKEN("filesz > memsz", ph[first].filesz = ph[first].memsz + 1);
    BROKEN("offset past end", ph[first].offset = (unsigned long)size);
    BROKEN("offset wraps", ph[first].offset = ~0UL - 7);
    BROKEN("filesz past end", ph[first].filesz = ph[first].memsz = (unsigned long)size + PAGE);
#undef BROKEN
    sbrk(-(int)PAGE_UP(size));
    image_free(size);
}

/* argv that the kernel cannot read: it must fail, not run the program. */
static void t_exec_bad_argv(void)
{
    long size;
    char *img = image_load("ktest", &size);
    if (!img) return;
    char *bad_elem[] = {"ktest", (char *)UNMAPPED_VA, 0};
    char *kernel_elem[] = {"ktest", (char *)KERNEL_VA, 0};
    expect_exec_error("argv in kernel", img, (unsigned long)size, (char **)KERNEL_VA);
    expect_exec_error("argv unmapped", img, (unsigned long)size, (char **)UNMAPPED_VA);
    expect_exec_error("argv[1] unmapped", img, (unsigned long)size, bad_elem);
    expect_exec_error("argv[1] in kernel", img, (unsigned long)size, kernel_elem);

    /* A page at the break: a string without end, and an argv without end. */
    char *p = sbrk((int)PAGE);
    if (p == (char *)-1) {
        image_free(size);
        test_fail("sbrk failed");
        return;
    }
    memset(p, 'a', PAGE);
    char *unterminated[] = {"ktest", p + PAGE - 20, 0};
    expect_exec_error("argv[1] without end", img, (unsigned long)size, unterminated);
    char **no_null = (char **)(p + PAGE - 2 * sizeof(char *));
    no_null[0] = "ktest";
    no_null[1] = "--exec-must-fail";
    expect_exec_error("argv without null", img, (unsigned long)size, no_null);
    /* One argument longer than the kernel's argument space (a page). */
    char *big = sbrk((int)(2 * PAGE));
    if (big != (char *)-1) {
        memset(big, 'b', 2 * PAGE - 1);
        big[2 * PAGE - 1] = 0;
        char *too_long[] = {"ktest", "--exec-must-fail", big, 0};
        expect_exec_error("8 KiB argument", img, (unsigned long)size, too_long);
        sbrk(-(int)(2 * PAGE));
    }
    sbrk(-(int)PAGE);
    image_free(size);
}

/* ------------------------------------- exec from pages only we map */

/* exec takes the caller's frames into the new program, rather than copying
 * them, where a page of a segment is a whole page of the image and no one
 * else maps the frame (proc/exec.c: take_frames). The images below sit in
 * fresh shared pages (shm_alloc), which only we map. */

/* Fresh shared pages holding the boot image's ktest at byte `at`, or 0. */
static char *image_in_pages(long at, long *size, long *npages)
{
    *size = sys_bootmod("ktest", 0, 0);
    *npages = (long)PAGE_UP(at + *size) / (long)PAGE;
    char *pages = *size > 0 ? shm_alloc(*npages) : 0;
    if (pages && sys_bootmod("ktest", pages + at, (unsigned long)*size) != *size) {
        shm_free(pages, *npages);
        return 0;
    }
    return pages;
}

/* Run the image at `at` in fresh pages, each segment's bytes moved by
 * `shift` in the file; the exit status (EXEC_WORKED if it ran). */
static int exec_from_pages(long a)
{
    long at = a & 0xffff, shift = a >> 16, size, npages;
    char *pages = image_in_pages(at + shift, &size, &npages);
    if (!pages) return 80;
    char *img = pages + at;
    if (shift) { /* the headers back in place, every segment's offset moved */
        memmove(img, img + shift, sizeof(struct elf_header));
        struct elf_header *eh = (struct elf_header *)img;
        memmove(img + eh->phoff, img + shift + eh->phoff, eh->phnum * sizeof(struct elf_phdr));
        struct elf_phdr *ph = (struct elf_phdr *)(img + eh->phoff);
        for (int i = 0; i < eh->phnum; i++)
            if (ph[i].type == 1) ph[i].offset += (unsigned long)shift;
        size += shift;
    }
    sys_exec(img, (unsigned long)size, exec_fail_argv);
    return 81;
}

/* Page-aligned in memory and in the file (frames taken), placed at an odd
 * address (copied), segments not page-aligned in the file (copied): each
 * image must run. */
static void t_exec_own_pages(void)
{
    static const struct {
        const char *what;
        long arg;
    } cases[] = {{"aligned", 0}, {"at +8 in memory", 8}, {"segments at +8 in the file", 8 << 16}};
    for (int i = 0; i < 3; i++) {
        int status = run_child(exec_from_pages, cases[i].arg);
        CHECK(status == EXEC_WORKED, "%s: %s", cases[i].what, test_how(status));
    }
}

/* An exec that fails after earlier segments' frames were handed over: the
 * caller gets the error, and its pages still hold the image and are its
 * own (writable); fixed, the same pages exec. */
static int exec_fail_after_take(long a)
{
    (void)a;
    long size, npages;
    char *img = image_in_pages(0, &size, &npages);
    char *copy = sbrk((int)PAGE_UP(size));
    if (!img || copy == (char *)-1) return 80;
    struct elf_header *eh = (struct elf_header *)img;
    struct elf_phdr *ph = (struct elf_phdr *)(img + eh->phoff);
    int last = eh->phnum - 1;
    while (last > 0 && ph[last].type != 1) last--;
    ph[last].vaddr += 8; /* the last segment unaligned: refused after the others */
    memcpy(copy, img, (uint)size);
    long r = sys_exec(img, (unsigned long)size, exec_fail_argv);
    if (r != -ENOEXEC) return 82;
    if (memcmp(copy, img, (uint)size) != 0) return 83;
    for (long i = 0; i < npages; i++) img[i * PAGE] ^= 1; /* still writable, ours */
    for (long i = 0; i < npages; i++) img[i * PAGE] ^= 1;
    if (memcmp(copy, img, (uint)size) != 0) return 84;
    ph[last].vaddr -= 8;
    sys_exec(img, (unsigned long)size, exec_fail_argv);
    return 85;
}

static void t_exec_fail_after_take(void)
{
    int status = run_child(exec_fail_after_take, 0);
    CHECK(status == EXEC_WORKED, "%s (82: not ENOEXEC, 83/84: pages changed)", test_how(status));
}

/* A process that maps our pages too (as a server that kept them would):
 * exec must copy them, and its later writes must not reach the program. */
#define KEEPER_NAME "ktest-keeper"
enum { KEEP_SCRIBBLE = 1, KEEP_QUIT = 2 };
static const unsigned int keeper_pattern[2048] = {[0 ... 2047] = 0x5eed5eedU};

static int keeper(long a)
{
    (void)a;
    int h = ep_create();
    if (h < 0 || ep_register(h, KEEPER_NAME) < 0) return 90;
    struct ipc_msg m;
    char *pages = 0;
    long npages = 0, w[4] = {0};
    for (;;) {
        if (ipc_recv(h, &m) < 0) return 91;
        if (m.shared) {
            pages = m.shared, npages = m.w[2];
        } else if (m.w[0] == KEEP_SCRIBBLE && pages) {
            memset(pages, 0xff, (uint)(npages * (long)PAGE));
        } else if (m.w[0] == KEEP_QUIT) {
            ipc_reply((int)m.pid, w);
            return 0;
        }
        ipc_reply((int)m.pid, w);
    }
}

static int keeper_handle(void)
{
    int h = -1;
    for (int t = 0; t < 100 && (h = ep_lookup(KEEPER_NAME)) < 0; t++) sleep(1);
    return h;
}

/* The first offset of keeper_pattern's bytes in the image, or -1. */
static long pattern_offset(const char *img, long size)
{
    for (long off = 0; off + (long)sizeof keeper_pattern <= size; off += 4) {
        long k = 0;
        while (k < 2048 && ((const unsigned int *)(img + off))[k] == 0x5eed5eedU) k++;
        if (k == 2048) return off;
        off += k * 4;
    }
    return -1;
}

/* a: 0 the keeper maps every page of the image; 1 only those that hold
 * keeper_pattern, so that exec takes the pages on both sides and must stop
 * its run of taken frames at them (proc/exec.c: take_frames). */
static int exec_shared_pages(long a)
{
    long size, npages, w[4] = {0};
    char *img = image_in_pages(0, &size, &npages);
    int h = keeper_handle();
    if (!img || h < 0) return 80;
    long first = 0, n = npages, off = a ? pattern_offset(img, size) : 0;
    if (off < 0) return 80;
    if (a) {
        first = off / (long)PAGE;
        n = (off + (long)sizeof keeper_pattern - 1) / (long)PAGE - first + 1;
        if (first == 0 || first + n >= npages) return 80; /* pages on both sides */
    }
    if (ipc_share(h, img + first * PAGE, n, 0, 0, w) < 0) return 86;
    char *argv[] = {"ktest", "--after-scribble", 0};
    sys_exec(img, (unsigned long)size, argv);
    return 87;
}

/* `ktest --after-scribble`: have the keeper overwrite the pages we were
 * loaded from, then check our own data. */
static int after_scribble(void)
{
    long w[4] = {KEEP_SCRIBBLE};
    int h = keeper_handle();
    if (h < 0 || ipc_call(h, w) < 0) return 88;
    for (int i = 0; i < 2048; i++)
        if (((volatile const unsigned int *)keeper_pattern)[i] != 0x5eed5eedU) return 89;
    return EXEC_WORKED;
}

static void exec_with_keeper(long some)
{
    int kpid = fork();
    if (kpid == 0) exit(keeper(0));
    int status = run_child(exec_shared_pages, some);
    CHECK(status == EXEC_WORKED, "%s (89: the other mapping wrote into the program)",
          test_how(status));
    long w[4] = {KEEP_QUIT};
    int h = keeper_handle();
    if (h >= 0) ipc_call(h, w);
    int kst = TEST_NO_STATUS;
    CHECK(wait(&kst) == kpid && kst == 0, "keeper: %s", test_how(kst));
}

static void t_exec_shared_pages(void)
{
    exec_with_keeper(0);
}

static void t_exec_shared_some(void)
{
    exec_with_keeper(1);
}

/* shm_runs' shares with the keeper: one over the hole at b + 100 (EFAULT,
 * nothing kept), one across the table boundary at b (the keeper's writes
 * show in those pages only). 0 or the failure's code. */
static int shm_runs_shares(int h, char *p, long b)
{
    long w[4] = {0}, f1 = sys_freepages();
    long r = ipc_share(h, p + (b + 90) * PAGE, 20, 0, 0, w);
    if (r != -EFAULT) return test_child_fail(5, "a share over a hole: %ld", r);
    /* the ten pages before the hole were mapped and are unmapped again; what
     * may stay is the keeper's new tables (user and kernel view) */
    if (f1 - sys_freepages() > 4)
        return test_child_fail(6, "the failed share kept %ld frames", f1 - sys_freepages());
    if ((r = ipc_share(h, p + (b - 8) * PAGE, 16, 0, 0, w)) != 0)
        return test_child_fail(7, "a share across a table boundary: %ld", r);
    w[0] = KEEP_SCRIBBLE;
    if (ipc_call(h, w) < 0) return test_child_fail(8, "scribble");
    for (long i = b - 9; i <= b + 8; i++) {
        char want = i >= b - 8 && i < b + 8 ? (char)0xff : (char)(i | 1);
        if (p[i * PAGE] != want || p[i * PAGE + PAGE - 1] != want)
            return test_child_fail(9, "page %ld: %d, want %d", i - b, p[i * PAGE], want);
    }
    return 0;
}

/* shm_alloc, ipc_share and shm_free go a level-0 table (2 MiB) at a time
 * (mm/vm_run.c): runs across a table boundary are zeroed, shared and
 * freed; a share that meets a hole half-way fails and keeps nothing. In a
 * child, whose exit frees the region's page tables. */
static int shm_runs(long unused)
{
    (void)unused;
    enum { N = 700 };
    long free0 = sys_freepages();
    char *p = shm_alloc(N);
    if (!p) return test_child_fail(1, "shm_alloc(%d) failed", N);
    if (free0 - sys_freepages() < N)
        return test_child_fail(2, "shm_alloc(%d) took %ld frames", N, free0 - sys_freepages());
    for (long i = 0; i < N * (long)PAGE; i += 8)
        if (*(long *)(p + i)) return test_child_fail(3, "not zeroed at +%ld", i);
    for (long i = 0; i < N; i++)
        p[i * PAGE] = (char)(i | 1), p[i * PAGE + PAGE - 1] = (char)(i | 1);
    /* b: the first page of a level-0 table, with pages of ours on both sides */
    long b = (long)(((2UL << 20) - (unsigned long)p % (2UL << 20)) % (2UL << 20) / PAGE);
    if (b < 8) b += 512;
    long f1 = sys_freepages();
    if (shm_free(p + (b + 100) * PAGE, 6) != 0 || sys_freepages() - f1 != 6)
        return test_child_fail(4, "freeing 6 pages gave back %ld", sys_freepages() - f1);
    int kpid = fork();
    if (kpid == 0) exit(keeper(0));
    int h = keeper_handle();
    int code = h < 0 ? test_child_fail(10, "no keeper") : shm_runs_shares(h, p, b);
    long w[4] = {KEEP_QUIT};
    if (h >= 0) ipc_call(h, w);
    int kst = TEST_NO_STATUS;
    if ((wait(&kst) != kpid || kst != 0) && !code)
        code = test_child_fail(11, "keeper: %s", test_how(kst));
    if (!code && shm_free(p, N) != 0) code = test_child_fail(12, "shm_free");
    /* everything but our tables for the region, which go at exit: a level-1
     * and up to three level-0 tables, in the user table and the kernel's view */
    if (!code && free0 - sys_freepages() > 8)
        code = test_child_fail(13, "%ld frames not given back", free0 - sys_freepages());
    return code;
}

static void t_shm_runs(void)
{
    int status = run_child(shm_runs, 0);
    CHECK(status == 0, "%s", test_how(status));
}

/* -------------------------------------------------------- bad pointers */

/* Pointers that no system call may read or write through. */
static const unsigned long bad_ptrs[] = {0,           KERNEL_VA,    UNMAPPED_VA,  BEYOND_VA,
                                         NONCANON_VA, TRAPFRAME_VA, TRAMPOLINE_VA};
enum { NBAD = sizeof bad_ptrs / sizeof bad_ptrs[0] };

/* A fresh page-aligned heap page with the break right after it; returns the
 * break (first unmapped byte) or 0. Give it back with sbrk(-PAGE). */
static char *page_at_break(int fill)
{
    char *p = sbrk((int)PAGE);
    if (p == (char *)-1) return 0;
    memset(p, fill, PAGE);
    return p + PAGE;
}

/* The console write call: every bad buffer fails with EFAULT (no output). */
static void t_badptr_cons_write(void)
{
    for (int i = 0; i < NBAD; i++) {
        long r = sys_cons_write((void *)bad_ptrs[i], 10);
        CHECK(r == -EFAULT, "cons_write(0x%lx, 10) = %ld", bad_ptrs[i], r);
    }
    long r = sys_cons_write((void *)0xFFFFFFFFFFFFF000UL, 0x2000);
    CHECK(r == -EFAULT, "wrapping range: %ld", r);
    r = sys_cons_write("x", (unsigned long)-1);
    CHECK(r == -EFAULT || r == -EINVAL, "length -1: %ld", r);
    r = sys_cons_write((void *)(USYSCALL_PAGE - 16), 64);
    CHECK(r == -EFAULT, "range into the USYSCALL page: %ld", r);
    char *brk = page_at_break(0);
    if (brk) {
        r = sys_cons_write(brk - 16, 64);
        CHECK(r == -EFAULT, "range across the break: %ld", r);
        sbrk(-(int)PAGE);
    }
    errno = 0;
    CHECK(write(1, 0, 10) == -1 && errno == EFAULT, "write(1, 0, 10): errno %d", errno);
    CHECK(write(1, "", 0) == 0, "write of 0 bytes failed");
}

/* wait with a status pointer it cannot write: EFAULT, and no write into
 * read-only or kernel memory. */
static void t_badptr_wait(void)
{
    const unsigned long ptrs[] = {KERNEL_VA,   TRAPFRAME_VA, USYSCALL_PAGE,
                                  NONCANON_VA, UNMAPPED_VA,  (unsigned long)&t_badptr_wait};
    unsigned int text0 = *(volatile unsigned int *)&t_badptr_wait;
    for (unsigned i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++) {
        int pid = fork();
        if (pid == 0) exit(5);
        long r = sys_wait((int *)ptrs[i]);
        CHECK(r == -EFAULT, "wait(0x%lx) = %ld", ptrs[i], r);
        /* The child may have been reaped or may still be waiting for us. */
        int status = TEST_NO_STATUS, w = wait(&status);
        CHECK(w == -1 || (w == pid && status == 5), "second wait: %d status %d", w, status);
    }
    CHECK(*(volatile unsigned int *)&t_badptr_wait == text0, "the kernel wrote into our text");
}

/* bootmod reads a name string and writes a buffer. */
static void t_badptr_bootmod(void)
{
    char buf[64];
    for (int i = 0; i < NBAD; i++) {
        long r = sys_bootmod((const char *)bad_ptrs[i], buf, sizeof buf);
        CHECK(r == -EFAULT, "name 0x%lx: %ld", bad_ptrs[i], r);
        if (bad_ptrs[i] == 0) continue; /* NULL buffer with length 0 asks for the size */
        r = sys_bootmod("ktest", (void *)bad_ptrs[i], 64);
        CHECK(r == -EFAULT, "buffer 0x%lx: %ld", bad_ptrs[i], r);
    }
    long r = sys_bootmod("ktest", 0, 64);
    CHECK(r == -EFAULT, "buffer 0, len 64: %ld", r);
    unsigned int text0 = *(volatile unsigned int *)&t_badptr_bootmod;
    r = sys_bootmod("ktest", (void *)&t_badptr_bootmod, 64);
    CHECK(r == -EFAULT, "buffer in text: %ld", r);
    CHECK(*(volatile unsigned int *)&t_badptr_bootmod == text0, "the kernel wrote into our text");
    r = sys_bootmod("ktest", (void *)USYSCALL_PAGE, 64);
    CHECK(r == -EFAULT, "buffer on the USYSCALL page: %ld", r);
    r = sys_bootmod("ktest", 0, 0);
    CHECK(r > 0, "size query failed: %ld", r);
    r = sys_bootmod("no-such-module", buf, sizeof buf);
    CHECK(r == -ENOENT, "missing module: %ld", r);
    char longname[200];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    r = sys_bootmod(longname, buf, sizeof buf);
    CHECK(r == -ENOENT, "199-byte name: %ld", r);
    char *brk = page_at_break('a');
    if (brk) {
        r = sys_bootmod(brk - 20, buf, sizeof buf); /* 'a' bytes up to the break */
        CHECK(r == -EFAULT, "name without end at the break: %ld", r);
        r = sys_bootmod("ktest", brk - 16, 64);
        CHECK(r == -EFAULT, "buffer across the break: %ld", r);
        sbrk(-(int)PAGE);
    }
    char name[64];
    r = sys_bootmod_name(0, name, sizeof name);
    CHECK(r == 0 && name[0], "bootmod_name(0) = %ld", r);
    r = sys_bootmod_name(0, (char *)KERNEL_VA, 64);
    CHECK(r == -EFAULT, "bootmod_name into the kernel: %ld", r);
    r = sys_bootmod_name(0, (char *)UNMAPPED_VA, 64);
    CHECK(r == -EFAULT, "bootmod_name unmapped: %ld", r);
    r = sys_bootmod_name(10000, name, sizeof name);
    CHECK(r == -ENOENT, "bootmod_name(10000) = %ld", r);
}

/* procinfo writes a struct procinfo. */
static void t_badptr_procinfo(void)
{
    for (int i = 0; i < NBAD; i++) {
        long r = sys_procinfo(0, (struct procinfo *)bad_ptrs[i]);
        CHECK(r == -EFAULT, "procinfo(0, 0x%lx) = %ld", bad_ptrs[i], r);
    }
    unsigned int text0 = *(volatile unsigned int *)&t_badptr_procinfo;
    long r = sys_procinfo(0, (struct procinfo *)&t_badptr_procinfo);
    CHECK(r == -EFAULT, "into text: %ld", r);
    CHECK(*(volatile unsigned int *)&t_badptr_procinfo == text0, "the kernel wrote into our text");
    r = sys_procinfo(0, (struct procinfo *)USYSCALL_PAGE);
    CHECK(r == -EFAULT, "into the USYSCALL page: %ld", r);
    char *brk = page_at_break(0);
    if (brk) {
        r = sys_procinfo(0, (struct procinfo *)(brk - 8));
        CHECK(r == -EFAULT, "across the break: %ld", r);
        sbrk(-(int)PAGE);
    }
}

static int cons_read_bad(long ptr)
{
    long r = sys_cons_read((void *)ptr, 16);
    return r < 0 ? (int)-r : 100 + (int)r;
}

static int cons_read_neg_len(long a)
{
    char buf[16];
    (void)a;
    long r = sys_cons_read(buf, (unsigned long)-1);
    return r < 0 ? (int)-r : 100 + (int)r;
}

/* The console read call with a buffer it cannot write must fail at once,
 * not sleep until a line is typed (nothing will be typed during the test).
 * Each call runs in a child; one found asleep is reported and killed. */
static void t_badptr_cons_read(void)
{
    const unsigned long ptrs[] = {0,
                                  KERNEL_VA,
                                  UNMAPPED_VA,
                                  NONCANON_VA,
                                  TRAPFRAME_VA,
                                  USYSCALL_PAGE,
                                  (unsigned long)&t_badptr_cons_read};
    enum { N = sizeof ptrs / sizeof ptrs[0] };
    int pids[N + 1];
    for (int i = 0; i <= N; i++) {
        pids[i] = fork();
        if (pids[i] == 0) exit(i < N ? cons_read_bad((long)ptrs[i]) : cons_read_neg_len(0));
    }
    /* Wait until each child has exited or gone to sleep (at most 2 s). */
    for (int t = 0, busy = 1; busy && t < 200; t++) {
        sleep(1);
        busy = 0;
        for (int i = 0; i <= N; i++) {
            struct procinfo pi;
            if (pids[i] > 0 && find_proc(pids[i], &pi) && pi.state != PS_ZOMBIE &&
                pi.state != PS_SLEEPING)
                busy = 1;
        }
    }
    sleep(5); /* a sleeper that is about to fail gets its chance */
    for (int i = 0; i <= N; i++) {
        const char *what = "len -1";
        char name[24];
        if (i < N) {
            snprintf(name, sizeof name, "0x%lx", ptrs[i]);
            what = name;
        }
        struct procinfo pi;
        if (pids[i] < 0) {
            test_fail("fork failed");
            continue;
        }
        if (find_proc(pids[i], &pi) && pi.state != PS_ZOMBIE) {
            test_fail("buffer %s: blocked waiting for input", what);
            kill(pids[i]);
        }
    }
    for (int n = 0; n <= N; n++) {
        int status = TEST_NO_STATUS, w = wait(&status), i;
        for (i = 0; i <= N && pids[i] != w; i++) {
        }
        if (i > N) break;
        if (status != -1) /* -1: killed above, already reported */
            CHECK(status == EFAULT, "buffer 0x%lx: status %d, want EFAULT (14)",
                  i < N ? ptrs[i] : 0UL, status);
    }
}

/* The other calls that take a pointer: pgaccess (range and mask), the IPC
 * name calls, spawn (privileged: we may only be refused) and shm_free. */
static void t_badptr_other_calls(void)
{
    unsigned long text = (unsigned long)&t_badptr_other_calls & ~(PAGE - 1);
    unsigned long mask = 0;
    long r = sys_call6(SYS_pgaccess, (long)text, 1, (long)&mask, 0, 0, 0);
    CHECK(r == 0, "pgaccess of our text: %ld", r);
    for (int i = 0; i < NBAD; i++) {
        r = sys_call6(SYS_pgaccess, (long)text, 1, (long)bad_ptrs[i], 0, 0, 0);
        CHECK(r == -EFAULT, "pgaccess mask 0x%lx: %ld", bad_ptrs[i], r);
        if (bad_ptrs[i] == 0 || bad_ptrs[i] == UNMAPPED_VA) continue; /* pages may be absent */
        r = sys_call6(SYS_pgaccess, (long)bad_ptrs[i], 1, (long)&mask, 0, 0, 0);
        CHECK(r == -EFAULT, "pgaccess of 0x%lx: %ld", bad_ptrs[i], r);
    }
    r = sys_call6(SYS_pgaccess, (long)text, 1, (long)&t_badptr_other_calls, 0, 0, 0);
    CHECK(r == -EFAULT, "pgaccess mask in text: %ld", r);

    long h = sys_call6(SYS_ep_create, 0, 0, 0, 0, 0, 0);
    CHECK(h >= 0, "ep_create: %ld", h);
    char *brk = page_at_break('e');
    for (int i = 0; i <= NBAD; i++) {
        /* the last one: a name without end, running into the break */
        unsigned long name = i < NBAD ? bad_ptrs[i] : brk ? (unsigned long)brk - 8 : 0;
        r = sys_call6(SYS_ep_lookup, (long)name, 0, 0, 0, 0, 0);
        CHECK(r == -EFAULT, "ep_lookup(0x%lx): %ld", name, r);
        if (h >= 0) {
            r = sys_call6(SYS_ep_register, h, (long)name, 0, 0, 0, 0);
            CHECK(r == -EFAULT, "ep_register(0x%lx): %ld", name, r);
        }
        r = sys_call6(SYS_spawn, (long)name, (long)exec_fail_argv, 0, 0, 0, 0);
        CHECK(r < 0, "spawn(0x%lx): %ld", name, r);
        r = sys_call6(SYS_spawn, (long)"ktest", (long)name, 0, 0, 0, 0);
        CHECK(r < 0, "spawn argv 0x%lx: %ld", name, r);
        r = sys_call6(SYS_shm_free, (long)name, 1, 0, 0, 0, 0);
        CHECK(r < 0, "shm_free(0x%lx): %ld", name, r);
    }
    if (brk) sbrk(-(int)PAGE);
    if (h >= 0) CHECK(sys_call6(SYS_ep_close, h, 0, 0, 0, 0, 0) == 0, "ep_close failed");
}

/* Unknown system-call numbers return -ENOSYS: 0, the first number past the
 * table, far past it, -1, and getpid's number with high bits set that a
 * truncating dispatcher would drop. (31 is taken now: shm_alloc.) */
static void t_unknown_syscall(void)
{
    const long nums[] = {0, NSYSCALL, NSYSCALL + 1, 1000, -1, 0x100000000L + SYS_getpid};
    for (unsigned i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        long r = sys_call6(nums[i], 1, 2, 3, 4, 5, 6);
        CHECK(r == -ENOSYS, "syscall 0x%lx returned %ld", nums[i], r);
    }
}

/* ------------------------------------------------------ fork under load */

static char work_area[3 * 4096];

static volatile unsigned long sink;

static int busy_child(long i)
{
    /* a bit of everything: compute, write data, grow and use the heap, yield */
    unsigned long h = (unsigned long)i;
    for (int k = 0; k < 2000 * (int)(i % 5 + 1); k++) h = h * 6364136223846793005UL + 1;
    memset(work_area, (int)i, sizeof work_area);
    char *p = sbrk((int)(PAGE * (unsigned long)(i % 4 + 1)));
    if (p == (char *)-1) return 1;
    for (unsigned long k = 0; k < PAGE * (unsigned long)(i % 4 + 1); k += 64) p[k] = (char)(k + i);
    if (i % 3 == 0) yield();
    for (unsigned long k = 0; k < PAGE * (unsigned long)(i % 4 + 1); k += 64)
        if (p[k] != (char)(k + i)) return 2;
    for (unsigned long k = 0; k < sizeof work_area; k++)
        if (work_area[k] != (char)i) return 3;
    sink = h;
    return 100 + (int)i; /* distinct per child */
}

/* 20 children at once, 3 rounds: every status reaches the right parent. */
static void t_fork_many(void)
{
    enum { N = 20, ROUNDS = 3 };
    long free0 = sys_freepages();
    for (int round = 0; round < ROUNDS; round++) {
        int pids[N];
        for (int i = 0; i < N; i++) {
            pids[i] = fork();
            if (pids[i] == 0) exit(busy_child(i));
            if (pids[i] < 0) test_fail("round %d: fork %d failed", round, i);
        }
        for (int n = 0; n < N; n++) {
            int status = TEST_NO_STATUS, w = wait(&status), i;
            if (w < 0) {
                test_fail("round %d: wait failed after %d children", round, n);
                break;
            }
            for (i = 0; i < N && pids[i] != w; i++) {
            }
            if (i == N) {
                test_fail("wait returned unknown pid %d", w);
                continue;
            }
            CHECK(status == 100 + i, "round %d child %d: status %d, want %d", round, i, status,
                  100 + i);
            pids[i] = -100;
        }
        CHECK(wait(0) == -1, "round %d: extra child", round);
    }
    CHECK(sys_freepages() == free0, "free pages %ld before, %ld after", free0, sys_freepages());
}

static int orphan_parent(long a)
{
    (void)a;
    if (fork() == 0) exit(1); /* a zombie by the time we exit */
    for (int k = 0; k < 2; k++)
        if (fork() == 0) {
            sleep(100); /* still running when we exit */
            exit(2);
        }
    sleep(2);
    return 33;
}

/* A middle process exits before its children: they go to init, which reaps
 * them, and every page comes back. */
static void t_orphans(void)
{
    long free0 = sys_freepages();
    int pid = fork();
    if (pid == 0) exit(orphan_parent(0));
    int status = TEST_NO_STATUS;
    CHECK(wait(&status) == pid && status == 33, "middle process: status %d", status);
    int adopted = count_children_of(1, 1);
    CHECK(adopted == 2, "%d running orphans adopted by init, want 2", adopted);
    CHECK(count_children_of(pid, 0) == 0, "processes still list exited pid %d as parent", pid);
    CHECK(settle(free0, 500), "after 5 s: %d orphans left, free pages %ld, want %ld",
          count_children_of(1, 0), sys_freepages(), free0);
}

/* Fork until the process table is full; fork fails cleanly (EAGAIN), all
 * children are reaped and fork works again. */
static void t_fork_bomb(void)
{
    enum { MAX = 1000 };
    static int pids[MAX];
    long free0 = sys_freepages();
    int n = 0, err = 0;
    while (n < MAX) {
        int pid = fork();
        if (pid < 0) {
            err = errno;
            break;
        }
        if (pid == 0) {
            sleep(10);
            exit(0);
        }
        pids[n++] = pid;
    }
    CHECK(n < MAX, "%d forks and no failure", n);
    CHECK(n >= 32, "fork failed after only %d children", n);
    CHECK(err == EAGAIN, "fork failed with errno %d, want EAGAIN", err);
    int reaped = 0, status;
    while (reaped < n) {
        int w = wait(&status);
        if (w < 0) break;
        reaped++;
        CHECK(status == 0, "child %d: status %d", w, status);
    }
    CHECK(reaped == n, "reaped %d of %d", reaped, n);
    int pid = fork();
    if (pid == 0) exit(3);
    status = TEST_NO_STATUS;
    CHECK(pid > 0 && wait(&status) == pid && status == 3, "fork after the bomb: %d", pid);
    CHECK(settle(free0, 100), "free pages %ld before, %ld after", free0, sys_freepages());
}

/* --------------------------------------------------- process information */

/* procinfo lists every process (us, init), then fails with ENOENT. */
static void t_procinfo(void)
{
    struct procinfo pi;
    int me = getpid(), i, self = 0, init = 0, myppid = -1;
    for (i = 0; i < 1000 && procinfo(i, &pi) == 0; i++) {
        if (pi.pid == me) {
            self = 1;
            myppid = pi.ppid;
            CHECK(strcmp(pi.name, "ktest") == 0, "our name is \"%s\"", pi.name);
            CHECK(pi.state == PS_RUNNING, "our state is %d, want running", pi.state);
            CHECK(pi.size > 0, "our size is %lu", pi.size);
        }
        if (pi.pid == 1) init = 1;
    }
    CHECK(self, "we are not in the list");
    CHECK(init, "init is not in the list");
    CHECK(i >= 3, "only %d processes listed", i);
    CHECK(myppid > 0 && listed(myppid), "our parent %d is not listed", myppid);
    errno = 0;
    CHECK(procinfo(i, &pi) == -1 && errno == ENOENT, "index %d past the end: errno %d", i, errno);
    CHECK(procinfo(-1, &pi) == -1, "index -1 succeeded");
    CHECK(procinfo(100000, &pi) == -1, "index 100000 succeeded");

    /* A child that exited but is not reaped yet is a zombie, and ours. */
    int pid = fork();
    if (pid == 0) exit(0);
    CHECK(wait_for_state(pid, PS_ZOMBIE, 100), "exited child %d never showed as zombie", pid);
    CHECK(find_proc(pid, &pi) && pi.ppid == me, "child's ppid %d, want %d", pi.ppid, me);
    CHECK(listed(pid), "zombie %d not in the list", pid);
    wait(0);
    CHECK(!listed(pid), "reaped child %d still listed", pid);
}

/* procinfo_pid finds a process by pid: us, init, a zombie; not a reaped
 * child, pid 0, a negative pid or the next pid of a slot. */
static void t_procinfo_pid(void)
{
    struct procinfo pi;
    int me = getpid();
    CHECK(procinfo_pid(me, &pi) == 0 && pi.pid == me && pi.state == PS_RUNNING &&
              strcmp(pi.name, "ktest") == 0,
          "ourselves: pid %d state %d name %s", pi.pid, pi.state, pi.name);
    CHECK(procinfo_pid(1, &pi) == 0 && pi.pid == 1 && strcmp(pi.name, "init") == 0,
          "init: pid %d name %s", pi.pid, pi.name);
    int pid = fork();
    if (pid == 0) exit(0);
    CHECK(test_wait_pid(pid, PS_ZOMBIE, 100), "child %d never became a zombie", pid);
    CHECK(procinfo_pid(pid, &pi) == 0 && pi.ppid == me, "zombie's ppid %d, want %d", pi.ppid, me);
    wait(0);
    errno = 0;
    CHECK(procinfo_pid(pid, &pi) == -1 && errno == ESRCH, "reaped child %d: errno %d", pid, errno);
    CHECK(test_wait_pid(pid, 0, 0), "test_wait_pid does not see %d gone", pid);
    CHECK(procinfo_pid(0, &pi) == -1, "pid 0 found");
    CHECK(procinfo_pid(-5, &pi) == -1, "pid -5 found");
    CHECK(procinfo_pid(me + 64 * 1000, &pi) == -1, "a pid of the same slot, far ahead, found");
    for (int i = 0; i < NBAD; i++) {
        long r = sys_procinfo_pid(me, (struct procinfo *)bad_ptrs[i]);
        CHECK(r == -EFAULT, "procinfo_pid(me, 0x%lx) = %ld", bad_ptrs[i], r);
    }
}

/* dev_list reports the virtio-mmio slots the device tree lists (QEMU virt:
 * eight, interrupts 1..8), checks its buffer, and copies at most max. */
static void t_dev_list(void)
{
    struct devinfo d[DEV_MAX + 1];
    memset(d, 0xff, sizeof d);
    long n = dev_list(d, DEV_MAX);
    EXPECT(n >= 1 && n <= DEV_MAX, "dev_list -> %ld", n);
    for (int i = 0; i < n; i++) {
        CHECK(d[i].kind == DEV_VIRTIO_MMIO, "device %d: kind %u", i, d[i].kind);
        CHECK(d[i].size == 4096 && d[i].base % 4096 == 0, "device %d at 0x%lx, %lu bytes", i,
              d[i].base, d[i].size);
        CHECK(d[i].irq > 0 && d[i].irq < 1024, "device %d: irq %u", i, d[i].irq);
        for (int k = 0; k < i; k++)
            CHECK(d[k].base != d[i].base && d[k].irq != d[i].irq, "devices %d and %d overlap", k,
                  i);
    }
    CHECK(d[n].kind == 0xffffffffu, "dev_list wrote past the devices");
    struct devinfo one[2];
    memset(one, 0xff, sizeof one);
    CHECK(dev_list(one, 1) == n && one[0].base == d[0].base && one[1].kind == 0xffffffffu,
          "max 1: did not copy exactly one");
    CHECK(dev_list(0, 0) == n, "max 0 with no buffer: not %ld", n);
    CHECK(dev_list(d, -1) == -EINVAL, "max -1 accepted");
    for (int i = 0; i < NBAD; i++) {
        long r = dev_list((struct devinfo *)bad_ptrs[i], DEV_MAX);
        CHECK(r == -EFAULT, "dev_list(0x%lx) = %ld", bad_ptrs[i], r);
    }
}

/* ------------------------------------------------------------- counters */

static unsigned long rd_time(void)
{
    unsigned long v;
    __asm__ volatile("rdtime %0" : "=r"(v));
    return v;
}

static unsigned long rd_cycle(void)
{
    unsigned long v;
    __asm__ volatile("rdcycle %0" : "=r"(v));
    return v;
}

static unsigned long rd_instret(void)
{
    unsigned long v;
    __asm__ volatile("rdinstret %0" : "=r"(v));
    return v;
}

static int read_counters(long a)
{
    (void)a;
    unsigned long t0 = rd_time(), c0 = rd_cycle(), i0 = rd_instret();
    for (volatile int k = 0; k < 100000; k++) {
    }
    unsigned long t1 = rd_time(), c1 = rd_cycle(), i1 = rd_instret();
    return (t1 > t0 ? 0 : 1) | (c1 > c0 ? 0 : 2) | (i1 > i0 ? 0 : 4);
}

/* rdtime, rdcycle and rdinstret work in user mode (scounteren) and count up.
 * In a child: without scounteren they are illegal instructions. */
static void t_user_counters(void)
{
    int status = run_child(read_counters, 0);
    if (status == -1)
        test_fail("killed: counters not readable in user mode");
    else
        CHECK(status == 0, "did not increase:%s%s%s", status & 1 ? " time" : "",
              status & 2 ? " cycle" : "", status & 4 ? " instret" : "");
}

/* ------------------------------------------------------------- the table */

struct test {
    const char *name;
    void (*run)(void);  /* a test of its own, or */
    int (*child)(long); /* a child that must be killed by a fault */
};

static void t_free_pages(void);

static const struct test tests[] = {
    {"getpid", t_getpid, 0},
    {"fork", t_fork, 0},
    {"fork_copies_memory", t_fork_copies_memory, 0},
    {"fork_kernel_write_cow", t_fork_kernel_write_cow, 0},
    {"wait_status", t_wait_status, 0},
    {"wait_no_children", t_wait_no_children, 0},
    {"wait_null_status", t_wait_null_status, 0},
    {"fault_load_null", 0, fault_load_null},
    {"fault_store_text", 0, fault_store_text},
    {"fault_jump_unmapped", 0, fault_jump_unmapped},
    {"fault_illegal_instruction", 0, fault_illegal_instruction},
    {"fault_load_kernel", 0, fault_load_kernel},
    {"fault_store_kernel", 0, fault_store_kernel},
    {"fault_load_trapframe", 0, fault_load_trapframe},
    {"fault_jump_trampoline", 0, fault_jump_trampoline},
    {"fault_privileged_csr", 0, fault_privileged_csr},
    {"fault_ebreak", 0, fault_ebreak},
    {"fault_exec_stack", 0, fault_exec_stack},
    {"fault_stack_overflow", 0, fault_stack_overflow},
    {"kill_sleeping", t_kill_sleeping, 0},
    {"kill_spinning", t_kill_spinning, 0},
    {"kill_nonexistent", t_kill_nonexistent, 0},
    {"kill_init", t_kill_init, 0},
    {"kill_self", t_kill_self, 0},
    {"kill_waiting", t_kill_waiting, 0},
    {"sleep", t_sleep, 0},
    {"uptime", t_uptime, 0},
    {"yield", t_yield, 0},
    {"syscall_regs", t_syscall_regs, 0},
    {"ipc_regs", t_ipc_regs, 0},
    {"fault_regs", t_fault_regs, 0},
    {"sbrk_grow_shrink", t_sbrk_grow_shrink, 0},
    {"sbrk_huge", t_sbrk_huge, 0},
    {"sbrk_below_start", t_sbrk_below_start, 0},
    {"sbrk_shrink_partial_page", t_sbrk_shrink_partial_page, 0},
    {"sbrk_freed_faults", t_sbrk_freed_faults, 0},
    {"sbrk_kernel_writes_fresh_heap", t_sbrk_kernel_writes_fresh_heap, 0},
    {"out_of_memory", t_out_of_memory, 0},
    {"exec_args", t_exec_args, 0},
    {"exec_many_args", t_exec_many_args, 0},
    {"exec_missing", t_exec_missing, 0},
    {"exec_bad_image_pointer", t_exec_bad_image_pointer, 0},
    {"exec_not_elf", t_exec_not_elf, 0},
    {"exec_truncated", t_exec_truncated, 0},
    {"exec_bad_elf", t_exec_bad_elf, 0},
    {"exec_bad_argv", t_exec_bad_argv, 0},
    {"exec_own_pages", t_exec_own_pages, 0},
    {"exec_fail_after_take", t_exec_fail_after_take, 0},
    {"exec_shared_pages", t_exec_shared_pages, 0},
    {"exec_shared_some", t_exec_shared_some, 0},
    {"shm_runs", t_shm_runs, 0},
    {"badptr_cons_write", t_badptr_cons_write, 0},
    {"badptr_wait", t_badptr_wait, 0},
    {"badptr_bootmod", t_badptr_bootmod, 0},
    {"badptr_procinfo", t_badptr_procinfo, 0},
    {"badptr_cons_read", t_badptr_cons_read, 0},
    {"badptr_other_calls", t_badptr_other_calls, 0},
    {"unknown_syscall", t_unknown_syscall, 0},
    {"fork_many", t_fork_many, 0},
    {"orphans", t_orphans, 0},
    {"fork_bomb", t_fork_bomb, 0},
    {"procinfo", t_procinfo, 0},
    {"procinfo_pid", t_procinfo_pid, 0},
    {"dev_list", t_dev_list, 0},
    {"user_counters", t_user_counters, 0},
    {"free_pages", t_free_pages, 0}, /* last: nothing leaked overall */
};
enum { NTESTS = sizeof tests / sizeof tests[0] };

static long leaked[NTESTS]; /* free pages lost during each test (diagnosis) */

/* Every page free at the start is free again at the end. */
static void t_free_pages(void)
{
    long now = sys_freepages();
    if (now != t0_free && settle(t0_free, 200)) now = t0_free;
    if (now == t0_free) return;
    test_fail("free pages %ld at start, %ld at end", t0_free, now);
    for (int i = 0; i < NTESTS; i++)
        if (leaked[i]) test_fail("%s lost %ld", tests[i].name, leaked[i]);
}

/* A child that dies from a fault: status -1, and the parent goes on. */
static void run_fault_test(int (*child)(long))
{
    int status = run_child(child, 0);
    if (status == SURVIVED)
        test_fail("the child was not killed");
    else
        CHECK(status == -1, "status %d, want -1", status);
}

/* Reap (after killing) any child a test left behind, and report it. */
static void reap_leftovers(void)
{
    struct procinfo pi;
    int me = getpid(), left = 0;
    for (int i = 0; procinfo(i, &pi) == 0; i++)
        if (pi.ppid == me) {
            kill(pi.pid);
            left++;
        }
    if (left == 0) return;
    test_fail("left %d children behind", left);
    while (wait(0) >= 0) {
    }
}

static void run_test(int i)
{
    const struct test *t = &tests[i];
    test_begin(t->name);
    long free0 = sys_freepages();
    if (t->run)
        t->run();
    else
        run_fault_test(t->child);
    reap_leftovers();
    leaked[i] = free0 - sys_freepages();
    test_finish();
}

/* ----------------------------------------------------- exec'd child modes */

/* `ktest --child-args a bb "" ccc LLL...L(300)`: exit with our pid if the
 * arguments arrived intact, else with -(number of the failed check). */
static int child_args(int argc, char **argv)
{
    static const char *want[] = {"ktest", "--child-args", "a", "bb", "", "ccc"};
    if (argc != 7) return -10;
    for (int i = 0; i < 6; i++)
        if (strcmp(argv[i], want[i]) != 0) return -(11 + i);
    if (strlen(argv[6]) != 300) return -17;
    for (int i = 0; i < 300; i++)
        if (argv[6][i] != 'L') return -18;
    if (argv[7] != 0) return -19;
    if ((unsigned long)argv % sizeof(char *)) return -20;
    return getpid();
}

int main(int argc, char **argv)
{
    if (argc < 1 || argv == 0) return 98; /* exec'd with an empty argv */
    if (argc >= 2 && strcmp(argv[1], "--child-args") == 0) return child_args(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "--child-argc") == 0) return argc;
    if (argc >= 2 && strcmp(argv[1], "--exec-must-fail") == 0) return EXEC_WORKED;
    if (argc >= 2 && strcmp(argv[1], "--after-scribble") == 0) return after_scribble();
    for (int a = 1; a < argc; a++) {
        int known = 0;
        for (int i = 0; i < NTESTS && !known; i++) known = strcmp(argv[a], tests[i].name) == 0;
        if (!known) {
            printf("usage: ktest [CASE...]; no case %s\n", argv[a]);
            return 2;
        }
    }

    /* Page-align the break so heap tests can place buffers at its edge. */
    long brk = sys_sbrk(0);
    if (brk % PAGE) sbrk((int)(PAGE - brk % PAGE));
    /* With a disk, the first file-system call maps this process's shared
     * region with the fs server, for as long as it lives: connect before
     * counting, so that no case looks as if it lost those pages. */
    fsc_connect();
    t0_free = sys_freepages();

    for (int i = 0; i < NTESTS; i++)
        if (test_selected(argc, argv, tests[i].name)) run_test(i);
    test_summary();
}
