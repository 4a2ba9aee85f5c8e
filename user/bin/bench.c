/* bench [NAME...]: count the instructions the kernel and servers spend on
 * system calls, process management, pipes, files and memory.
 *
 * Names, loop counts and method are in docs/bench.md. Each
 * benchmark reads the instret counter just before and just after its loop;
 * under QEMU with -icount that counts every instruction executed on the
 * machine (kernel, servers, this program and its children) in between, so the
 * figures do not depend on the host. Set-up (making pipes, forking a partner,
 * creating the file) happens outside the measured window unless the comment
 * says otherwise. One line is printed per benchmark, then "BENCH done":
 *
 *     BENCH <name> <total instructions> per_op=<total / n>
 *     BENCH <name> skipped (<reason>)     the feature is not there yet (ENOSYS)
 *     BENCH <name> failed (<reason>)      it is there but went wrong
 *
 * After each BENCH line with figures come the loop's wall time and what the
 * kernel's event counters (pagoda/kstat.h, docs/experiments.md) did in it:
 *
 *     TIME <name> <ns> per_op_ns=<ns / n, one decimal>  the time CSR (real time
 *                                                 only without -icount)
 *     STAT <name> <counter> <delta> per_op=<delta / n, two decimals>
 *
 * one STAT line per counter that moved; reading the counters costs a system
 * call on each side of the loop, measured once at start and taken off.
 *
 * With NAMEs, only those benchmarks run (still in table order). The exit
 * status is 0, or 1 if any benchmark failed, or 2 for an unknown NAME. */
#include "user.h"
#include "fcntl.h"
#include "stat.h"
#include "pagoda/abi.h" /* error codes */
#include "ipc.h"
#include "kstat.h"

#define PAGE      4096
#define MEGA      (2L << 20)
#define FILE_NAME "benchfile"

enum outcome { DONE, SKIPPED, FAILED };

static uint64 t_start;                /* instret at start() */
static uint64 t_total;                /* instructions between start() and stop() */
static uint64 time_start, time_total; /* the time CSR, the same window */
static struct kstat k_start, k_delta; /* the counters, the same window */
static struct kstat k_empty;          /* what reading them moves them by */
static int have_kstat;                /* a kernel with the kstat call */
#define TIME_HZ 10000000UL            /* QEMU virt's timebase (the device tree says so) */
static char why[96];                  /* reason for SKIPPED or FAILED */
static char buf[PAGE];                /* data for pipe and file transfers */

static inline uint64 rdinstret(void)
{
    uint64 n;
    /* "memory": keep the loop's loads and stores between the two reads. */
    __asm__ volatile("rdinstret %0" : "=r"(n) : : "memory");
    return n;
}

/* Open and close the measured window. Pending printf output is written out
 * first, so that the console output of earlier lines is not counted. */
static inline uint64 rdtime(void)
{
    uint64 t;
    __asm__ volatile("rdtime %0" : "=r"(t) : : "memory");
    return t;
}

static void start(void)
{
    printf_flush();
    if (have_kstat) kstat_read(&k_start);
    time_start = rdtime();
    t_start = rdinstret();
}

/* The counters' change since start() or part_start(), less what reading
 * them costs. */
static void counters_stop(void)
{
    struct kstat now;
    if (!have_kstat || kstat_read(&now) < 0) return;
    kstat_diff(&k_delta, &now, &k_start);
    for (int i = 0; i < KSTAT_N; i++)
        k_delta.n[i] = k_delta.n[i] > k_empty.n[i] ? k_delta.n[i] - k_empty.n[i] : 0;
}

static void stop(void)
{
    t_total = rdinstret() - t_start;
    time_total = rdtime() - time_start;
    counters_stop();
}

/* Loops that count one statement per iteration (the fault figures): the
 * instructions and the time add up over PART_BEGIN/PART_END around that
 * statement, the counters cover the whole loop (counters_stop). */
static void part_start(void)
{
    printf_flush();
    t_total = time_total = 0;
    if (have_kstat) kstat_read(&k_start);
}
#define PART_BEGIN() uint64 part_time0 = rdtime(), part_insn0 = rdinstret()
#define PART_END()   (t_total += rdinstret() - part_insn0, time_total += rdtime() - part_time0)

/* What two counter reads back to back move the counters by (the least of a
 * few tries: a timer tick may fall in one). */
static void kstat_calibrate(void)
{
    struct kstat a, b, d;
    have_kstat = kstat_read(&a) == 0;
    for (int i = 0; i < KSTAT_N; i++) k_empty.n[i] = ~0UL;
    for (int t = 0; have_kstat && t < 5; t++) {
        kstat_read(&a);
        kstat_read(&b);
        kstat_diff(&d, &b, &a);
        for (int i = 0; i < KSTAT_N; i++)
            if (d.n[i] < k_empty.n[i]) k_empty.n[i] = d.n[i];
    }
}

/* The TIME line and a STAT line per counter that moved in the loop. */
static void print_window(const char *name, int n)
{
    uint64 ns = time_total * (1000000000UL / TIME_HZ), tenths = ns * 10 / (uint64)n;
    printf("TIME %s %lu per_op_ns=%lu.%lu\n", name, ns, tenths / 10, tenths % 10);
    for (int i = 0; have_kstat && i < KSTAT_N; i++) {
        uint64 d = k_delta.n[i], hundredths = d * 100 / (uint64)n;
        if (d)
            printf("STAT %s %s %lu per_op=%lu.%02lu\n", name, kstat_name[i], d, hundredths / 100,
                   hundredths % 100);
    }
}

/* A benchmark could not run, for a reason given as text. */
static enum outcome skipped(const char *reason)
{
    snprintf(why, sizeof why, "%s", reason);
    return SKIPPED;
}

static enum outcome failed(const char *reason)
{
    snprintf(why, sizeof why, "%s", reason);
    return FAILED;
}

/* The call `what` returned -1. ENOSYS means the feature does not exist yet
 * (the user library's stub for it): skip. Anything else is a failure. */
static enum outcome call_failed(const char *what)
{
    int e = errno;
    snprintf(why, sizeof why, "%s: errno %d %s", what, e, errname(e));
    return e == ENOSYS ? SKIPPED : FAILED;
}

/* Wait for child pid; 0 if it exited with status 0. */
static int reap(int pid)
{
    int status = -1;
    if (wait(&status) != pid) return -1;
    return status == 0 ? 0 : -1;
}

/* ------------------------------------------------------------ benchmarks */

/* getpid: one op is one getpid() system call, a real trap into the kernel. */
static enum outcome bench_getpid(int n)
{
    start();
    for (int i = 0; i < n; i++) getpid();
    stop();
    return DONE;
}

/* ugetpid: one op is one ugetpid(), which reads the pid from the read-only
 * USYSCALL page without trapping. */
static enum outcome bench_ugetpid(int n)
{
    if (ugetpid() != getpid()) return failed("ugetpid() != getpid()");
    start();
    for (int i = 0; i < n; i++) ugetpid();
    stop();
    return DONE;
}

/* ipc_rtt: one op is one raw IPC round trip: a client `call`s a server in
 * another address space with a short message, the server `reply_recv`s.
 * A forked child is the server: it registers an endpoint and answers each
 * call with its first word plus one until it gets IPC_RTT_QUIT. This process
 * looks the name up and is the client. Measured: the n calls (not the fork,
 * the lookup, one warm-up call, or the quit call and the wait). */
#define IPC_RTT_QUIT (-1L)

static void ipc_rtt_server(const char *name)
{
    int ep = ep_create();
    if (ep < 0 || ep_register(ep, name) < 0) exit(1);
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    while (r >= 0) {
        long w[4] = {m.w[0] + 1, 0, 0, 0};
        if (m.w[0] == IPC_RTT_QUIT) {
            ipc_reply((int)m.pid, w);
            exit(0);
        }
        r = ipc_reply_recv(ep, (int)m.pid, w, &m);
    }
    exit(2);
}

static enum outcome bench_ipc_rtt(int n)
{
    char name[IPC_NAME_LEN];
    snprintf(name, sizeof name, "ipc_rtt.%d", getpid());
    int pid = fork();
    if (pid < 0) return call_failed("fork");
    if (pid == 0) ipc_rtt_server(name);
    int h = -ENOENT;
    for (int tries = 0; h == -ENOENT && tries < 100000; tries++) {
        h = ep_lookup(name);
        if (h == -ENOENT) yield();
    }
    if (h < 0) {
        kill(pid);
        reap(pid);
        if (h == -ENOSYS) return skipped("no IPC (ENOSYS)");
        snprintf(why, sizeof why, "ep_lookup(%s): %d", name, h);
        return FAILED;
    }
    long w[4] = {0, 0, 0, 0};
    long r = ipc_call(h, w); /* warm-up: the server now waits in reply_recv */
    int ok = r == 0 && w[0] == 1;
    start();
    for (int i = 0; i < n && ok; i++) {
        w[0] = i;
        ok = ipc_call(h, w) == 0 && w[0] == i + 1;
    }
    stop();
    w[0] = IPC_RTT_QUIT;
    ipc_call(h, w);
    ep_close(h);
    int server_ok = reap(pid) == 0;
    if (!ok) return failed("a call failed or got a wrong reply");
    if (!server_ok) return failed("the server did not exit 0");
    return DONE;
}

/* pipe_rtt: one op is one round trip: the parent writes 1 byte to pipe A,
 * the child reads it and writes 1 byte to pipe B, the parent reads it.
 * Measured: the n round trips (not the pipe creation, fork or final wait). */
static enum outcome bench_pipe_rtt(int n)
{
    int a[2], b[2];
    if (pipe(a) < 0) return call_failed("pipe");
    if (pipe(b) < 0) {
        close(a[0]);
        close(a[1]);
        return call_failed("pipe");
    }
    int pid = fork();
    if (pid < 0) {
        enum outcome o = call_failed("fork");
        close(a[0]), close(a[1]), close(b[0]), close(b[1]);
        return o;
    }
    if (pid == 0) { /* child: echo each byte back */
        char c;
        close(a[1]);
        close(b[0]);
        for (int i = 0; i < n; i++)
            if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1) exit(1);
        exit(0);
    }
    close(a[0]);
    close(b[1]);
    char c = 'x';
    int ok = 1;
    start();
    for (int i = 0; i < n && ok; i++) ok = write(a[1], &c, 1) == 1 && read(b[0], &c, 1) == 1;
    stop();
    close(a[1]); /* a child still waiting to read sees EOF and exits */
    close(b[0]);
    if (reap(pid) < 0 || !ok) return failed("a round trip did not complete");
    return DONE;
}

/* pipe_1MB: one op is one 4096-byte write into a pipe (n of them, 1 MiB in
 * all) that a child reads, 4096 bytes at a time, until EOF. Measured: the
 * parent's writes and close, and its wait for the child, so all the child's
 * reads are in the window. Not measured: pipe creation and fork. */
static enum outcome bench_pipe_1MB(int n)
{
    int p[2];
    if (pipe(p) < 0) return call_failed("pipe");
    int pid = fork();
    if (pid < 0) {
        enum outcome o = call_failed("fork");
        close(p[0]), close(p[1]);
        return o;
    }
    if (pid == 0) { /* child: read to EOF, exit 0 if all bytes came */
        close(p[1]);
        long got = 0;
        int r;
        while ((r = read(p[0], buf, PAGE)) > 0) got += r;
        exit(got == (long)n * PAGE ? 0 : 1);
    }
    close(p[0]);
    memset(buf, 'p', PAGE);
    int ok = 1;
    start();
    for (int i = 0; i < n && ok; i++) ok = write(p[1], buf, PAGE) == PAGE;
    close(p[1]);
    int child_ok = reap(pid) == 0;
    stop();
    if (!ok) return failed("write to the pipe failed");
    if (!child_ok) return failed("the child did not read 1 MiB");
    return DONE;
}

/* fork_exit_wait: one op is fork(); the child exit(0)s; the parent wait()s. */
static enum outcome bench_fork_exit_wait(int n)
{
    start();
    for (int i = 0; i < n; i++) {
        int pid = fork();
        if (pid < 0) return call_failed("fork");
        if (pid == 0) exit(0);
        if (reap(pid) < 0) return failed("wait did not return the child with status 0");
    }
    stop();
    return DONE;
}

/* fork_exec_wait: one op is fork(); the child execs /bin/bench_nop from the
 * file system (exec reads it through the fs server), whose main just
 * returns 0; the parent wait()s. One round before the window brings the
 * file into the server's cache: a read from the device counts the idle
 * loop while QEMU waits in host time, which made the figure jump from
 * 265,398 to 3,048,856 on a busy host. */
/* fork, exec PROGRAM, wait; n times in the window, after `warm` untimed
 * rounds. */
static enum outcome fork_exec_loop(const char *path, int n, int warm)
{
    char *argv[] = {(char *)path + 5 /* past "/bin/" */, 0};
    for (int i = -warm; i < n; i++) {
        if (i == 0) start();
        int pid = fork();
        if (pid < 0) return call_failed("fork");
        if (pid == 0) {
            exec(path, argv);
            exit(127);
        }
        if (reap(pid) < 0) return failed("exec failed, or the program did not exit 0");
    }
    stop();
    return DONE;
}

static enum outcome bench_fork_exec_wait(int n)
{
    return fork_exec_loop("/bin/bench_nop", n, 1);
}

/* exec_1MB: fork_exec_wait with /bin/bench_1MB, a program with 1 MiB of
 * initialised data: per 4 KiB of ELF, exec costs (exec_1MB -
 * fork_exec_wait) / 256. One exec before the window brings the file into
 * the fs server's cache: a read from the device would add whatever the
 * machine executes while it waits (the idle loop), which depends on the
 * host. */
static enum outcome bench_exec_1MB(int n)
{
    return fork_exec_loop("/bin/bench_1MB", n, 1);
}

/* Grow the heap by npages 4 KiB pages, one sbrk and one store at a time, so
 * that every page is a 4 KiB page (the lazy heap maps a megapage only where
 * a whole aligned 2 MiB of heap is untouched). The first page; NULL if sbrk
 * failed. Not measured. */
static volatile char *heap_pages(long npages)
{
    char *brk = sbrk(0);
    long pad = (PAGE - (long)brk % PAGE) % PAGE;
    if (pad && sbrk(pad) == (char *)-1) return 0;
    volatile char *first = sbrk(0);
    for (long i = 0; i < npages; i++) {
        volatile char *p = sbrk(PAGE);
        if (p == (char *)-1) return 0;
        *p = 1;
    }
    return first;
}

/* The heap back to where it was, at most 16 MiB per call (sbrk takes an int). */
static void heap_release(long bytes)
{
    while (bytes > 0) {
        int step = bytes > (16L << 20) ? (16 << 20) : (int)bytes;
        sbrk(-step);
        bytes -= step;
    }
}

/* fork_64MB and fork_64MB_mega: fork_exit_wait with 64 MiB of touched heap
 * in the parent, as 16384 4 KiB pages or as 32 megapages. Not measured: the
 * heap's set-up and release. */
static enum outcome fork_big(int n, int mega)
{
    long size = 64L << 20;
    if (!PAGODA_COW) /* the machine has 128 MiB */
        return skipped("PAGODA_COW=OFF: fork copies all 64 MiB, which do not fit twice");
    char *before = sbrk(0);
    if (mega) {
        volatile char *p = sbrk(0);
        long pad = (MEGA - (long)p % MEGA) % MEGA; /* whole aligned megapages */
        for (long done = 0; done < size + pad; done += 16 << 20)
            if (sbrk(16 << 20) == (char *)-1) return call_failed("sbrk");
        for (long off = pad; off < size + pad; off += MEGA) p[off] = 1;
    } else if (!heap_pages(size / PAGE)) {
        heap_release((char *)sbrk(0) - before);
        return call_failed("sbrk");
    }
    enum outcome r = bench_fork_exit_wait(n);
    heap_release((char *)sbrk(0) - before);
    return r;
}

static enum outcome bench_fork_64MB(int n)
{
    return fork_big(n, 0);
}

static enum outcome bench_fork_64MB_mega(int n)
{
    return fork_big(n, 1);
}

/* fault_lazy: one op is the first store into a fresh 4 KiB heap page: the
 * page fault that maps a zeroed page. Each iteration's sbrk(4096) is outside
 * the figure: only the store is counted, between two reads of instret. */
static enum outcome bench_fault_lazy(int n)
{
    char *before = sbrk(0);
    if (!heap_pages(0)) return call_failed("sbrk");
    part_start();
    for (int i = 0; i < n; i++) {
        volatile char *p = sbrk(PAGE);
        if (p == (char *)-1) return call_failed("sbrk");
        PART_BEGIN();
        *p = 1;
        PART_END();
    }
    counters_stop();
    heap_release((char *)sbrk(0) - before);
    return DONE;
}

/* fault_cow: one op is the first store into a 4 KiB page this process
 * shares copy-on-write with a child (which sleeps meanwhile): the page
 * fault that copies it. Only the stores are counted. */
static enum outcome bench_fault_cow(int n)
{
    char *before = sbrk(0);
    volatile char *heap = heap_pages(n);
    if (!heap) return call_failed("sbrk");
    int pid = fork();
    if (pid < 0) return call_failed("fork");
    if (pid == 0) {
        sleep(100000); /* shares the pages until killed */
        exit(0);
    }
    part_start();
    for (int i = 0; i < n; i++) {
        PART_BEGIN();
        heap[(long)i * PAGE] = 2;
        PART_END();
    }
    counters_stop();
    kill(pid);
    wait(0);
    heap_release((char *)sbrk(0) - before);
    return DONE;
}

/* fault_mega_takeover: one op is the first store into a copy-on-write
 * megapage that nobody else maps any more (the child that shared it has
 * exited): the fault makes it writable again without copying. Only the
 * stores are counted. */
static enum outcome bench_fault_mega_takeover(int n)
{
    char *before = sbrk(0);
    long pad = (MEGA - (long)before % MEGA) % MEGA;
    if (sbrk((int)pad) == (char *)-1) return call_failed("sbrk");
    volatile char *heap = sbrk(0);
    for (int i = 0; i < n; i++)
        if (sbrk((int)MEGA) == (char *)-1) return call_failed("sbrk");
    for (int i = 0; i < n; i++) heap[(long)i * MEGA] = 1;
    int pid = fork();
    if (pid < 0) return call_failed("fork");
    if (pid == 0) exit(0);
    if (reap(pid) < 0) return failed("wait did not return the child with status 0");
    part_start();
    for (int i = 0; i < n; i++) {
        PART_BEGIN();
        heap[(long)i * MEGA + PAGE] = 2;
        PART_END();
    }
    counters_stop();
    heap_release((char *)sbrk(0) - before);
    return DONE;
}

/* Write n * 4096 bytes to a new FILE_NAME. NULL if that worked, else the name
 * of the call that failed (errno says why). */
static const char *write_file(int n)
{
    memset(buf, 'f', PAGE);
    int fd = open(FILE_NAME, O_CREATE | O_WRONLY);
    if (fd < 0) return "open";
    for (int i = 0; i < n; i++) {
        if (write(fd, buf, PAGE) != PAGE) {
            close(fd);
            return "write";
        }
    }
    if (close(fd) < 0) return "close";
    return 0;
}

/* fwrite_1MB: one op is one 4096-byte write() to a newly created file.
 * Measured: open(O_CREATE), the n writes and the close. */
static enum outcome bench_fwrite_1MB(int n)
{
    unlink(FILE_NAME); /* "newly created": no old file (it may not exist) */
    start();
    const char *err = write_file(n);
    stop();
    if (err) return call_failed(err);
    return DONE;
}

/* Measured: open(path, O_RDONLY), n reads of 4096 bytes, close. */
static enum outcome timed_reads(const char *path, int n)
{
    int ok = 1;
    start();
    int fd = open(path, O_RDONLY);
    if (fd < 0) return call_failed("open");
    for (int i = 0; i < n && ok; i++) ok = read(fd, buf, PAGE) == PAGE;
    close(fd);
    stop();
    if (!ok) return failed("read returned less than 4096 bytes");
    return DONE;
}

/* fread_1MB: one op is one 4096-byte read() of the file fwrite_1MB wrote.
 * Measured: open(O_RDONLY), the n reads and the close. If the file is not
 * there (this benchmark run alone), it is written first, unmeasured. */
static enum outcome bench_fread_1MB(int n)
{
    struct stat st;
    if (stat(FILE_NAME, &st) < 0 || st.size != (uint64)n * PAGE) {
        unlink(FILE_NAME);
        const char *err = write_file(n);
        if (err) return call_failed(err);
    }
    return timed_reads(FILE_NAME, n);
}

/* fread_1MB_cold: the same loop over COLD_FILE, a 1 MiB file that mkfs put
 * in the disk image and nothing reads before: the blocks come from the
 * device (the first run after boot; a later run finds them cached). */
#define COLD_FILE "/data/cold1MB"
static enum outcome bench_fread_1MB_cold(int n)
{
    struct stat st;
    if (stat(COLD_FILE, &st) < 0 || st.size < (uint64)n * PAGE)
        return call_failed("stat " COLD_FILE);
    return timed_reads(COLD_FILE, n);
}

/* open_close: one op is open(O_RDONLY) of an existing file, then close(). */
static enum outcome bench_open_close(int n)
{
    int fd = open(FILE_NAME, O_RDONLY);
    if (fd < 0) fd = open(FILE_NAME, O_CREATE | O_WRONLY);
    if (fd < 0) return call_failed("open");
    close(fd);
    start();
    for (int i = 0; i < n; i++) {
        fd = open(FILE_NAME, O_RDONLY);
        if (fd < 0) return call_failed("open");
        close(fd);
    }
    stop();
    return DONE;
}

/* sbrk_touch_4MB: one op is one 4 KiB page of a 4 MiB sbrk(): n = 1024
 * pages. Measured: the sbrk(4 MiB) and one byte written in each page. Not
 * measured: the sbrk(-4 MiB) that gives the memory back. */
static enum outcome bench_sbrk_touch_4MB(int n)
{
    int size = n * PAGE;
    start();
    volatile char *p = sbrk(size);
    if (p == (char *)-1) return call_failed("sbrk");
    for (int i = 0; i < n; i++) p[(long)i * PAGE] = 1;
    stop();
    if (sbrk(-size) == (char *)-1) return call_failed("sbrk (shrink)");
    return DONE;
}

/* ------------------------------------------------------------ the table */

struct bench {
    const char *name;
    int n; /* ops in the loop; per_op = total / n */
    enum outcome (*run)(int n);
};

/* In docs/bench.md's order. One op is: */
static const struct bench benches[] = {
    {"getpid", 20000, bench_getpid},                        /* a getpid() trap */
    {"ugetpid", 20000, bench_ugetpid},                      /* a ugetpid(), no trap */
    {"ipc_rtt", 20000, bench_ipc_rtt},                      /* an IPC call + reply */
    {"pipe_rtt", 2000, bench_pipe_rtt},                     /* a 1-byte ping-pong */
    {"pipe_1MB", 256, bench_pipe_1MB},                      /* 4 KiB through a pipe */
    {"fork_exit_wait", 200, bench_fork_exit_wait},          /* fork, exit, wait */
    {"fork_exec_wait", 50, bench_fork_exec_wait},           /* fork, exec, wait */
    {"exec_1MB", 20, bench_exec_1MB},                       /* fork, exec of 1 MiB, wait */
    {"fork_64MB", 4, bench_fork_64MB},                      /* fork, exit, wait: 64 MiB */
    {"fork_64MB_mega", 20, bench_fork_64MB_mega},           /* the same in megapages */
    {"fault_lazy", 1024, bench_fault_lazy},                 /* a first store: lazy page */
    {"fault_cow", 1024, bench_fault_cow},                   /* a first store: COW copy */
    {"fault_mega_takeover", 16, bench_fault_mega_takeover}, /* COW megapage, unshared */
    {"fwrite_1MB", 256, bench_fwrite_1MB},                  /* a 4 KiB file write */
    {"fread_1MB", 256, bench_fread_1MB},                    /* a 4 KiB file read */
    {"fread_1MB_cold", 256, bench_fread_1MB_cold},          /* the same, from the device */
    {"open_close", 500, bench_open_close},                  /* open + close */
    {"sbrk_touch_4MB", 1024, bench_sbrk_touch_4MB},         /* a 4 KiB page grown */
};
#define NBENCH ((int)(sizeof benches / sizeof benches[0]))

/* Run benches[i] if no names were given or it is one of them. */
static int wanted(int i, int argc, char **argv)
{
    if (argc < 2) return 1;
    for (int a = 1; a < argc; a++)
        if (strcmp(argv[a], benches[i].name) == 0) return 1;
    return 0;
}

int main(int argc, char **argv)
{
    for (int a = 1; a < argc; a++) {
        int known = 0;
        for (int i = 0; i < NBENCH; i++) known |= strcmp(argv[a], benches[i].name) == 0;
        if (!known) {
            fprintf(2, "bench: no benchmark %s; there are:", argv[a]);
            for (int i = 0; i < NBENCH; i++) fprintf(2, " %s", benches[i].name);
            fprintf(2, "\n");
            return 2;
        }
    }

    kstat_calibrate();
    int any_failed = 0;
    for (int i = 0; i < NBENCH; i++) {
        const struct bench *b = &benches[i];
        if (!wanted(i, argc, argv)) continue;
        switch (b->run(b->n)) {
        case DONE:
            printf("BENCH %s %lu per_op=%lu\n", b->name, t_total, t_total / (uint64)b->n);
            print_window(b->name, b->n);
            break;
        case SKIPPED:
            printf("BENCH %s skipped (%s)\n", b->name, why);
            break;
        case FAILED:
            printf("BENCH %s failed (%s)\n", b->name, why);
            any_failed = 1;
            break;
        }
    }
    unlink(FILE_NAME); /* tidy up after the file benchmarks */
    printf("BENCH done\n");
    return any_failed;
}
