/* disktest: tests of the disk server (servers/disk, protocol in disk_proto.h).
 *
 *   disktest               the suite: one "ok NAME" or "FAIL NAME: detail" per
 *                          case, then "N passed, M failed". It writes test
 *                          patterns over blocks 0..3423 and the last block
 *                          (a 32 MiB scratch image is enough); if the fs server
 *                          runs, the disk is its file system and the cases
 *                          that write are skipped. Without a disk server (no
 *                          drive) it only checks that calls fail cleanly.
 *   disktest all           the suite, writing even if the fs server runs
 *   disktest write-seed S  write a pattern made from seed S over a block
 *                          range, flush, and power off (persistence test)
 *   disktest check-seed S  check that pattern after a reboot
 *   disktest bench [N]     BENCH lines for N (default 256) 4 KiB reads and
 *                          writes of blocks 0..N-1, one and 32 per call, and
 *                          for flushes (run QEMU with --icount); the writes
 *                          put back what was read, so the disk is unchanged
 */
#include "user.h"
#include "ipc.h"
#include "disk.h"

#define PAGE  DISK_BLOCK_SIZE
#define WORDS (PAGE / 8)

static int passed, failed;

/* Each line is written out at once, so a hang shows where it happened. */
static void ok(const char *name)
{
    printf("ok %s\n", name);
    printf_flush();
    passed++;
}

static void fail(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL %s: ", name);
    vprintf(fmt, ap);
    printf("\n");
    printf_flush();
    va_end(ap);
    failed++;
}

static int summary(void)
{
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

/* The pattern for block b under seed s: a different 64-bit value per word. */
static uint64 mix(uint64 x)
{
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185UL;
    x ^= x >> 27;
    x *= 0x81dadef4bc2dd44dUL;
    return x ^ (x >> 33);
}

static void fill(void *page, uint64 seed, long block)
{
    uint64 *w = page, x = mix(seed * 0x9e3779b97f4a7c15UL + (uint64)block);
    for (int i = 0; i < WORDS; i++) w[i] = x + (uint64)i * 0xd1342543de82ef95UL;
}

/* -1 if the page holds block's pattern, else the first wrong word. */
static int check(const void *page, uint64 seed, long block)
{
    const uint64 *w = page;
    uint64 x = mix(seed * 0x9e3779b97f4a7c15UL + (uint64)block);
    for (int i = 0; i < WORDS; i++)
        if (w[i] != x + (uint64)i * 0xd1342543de82ef95UL) return i;
    return -1;
}

/* The disk server registers soon after boot; give it up to a second. */
static int find_server(void)
{
    for (int i = 0; i < 100; i++) {
        int h = ep_lookup(DISK_NAME);
        if (h >= 0) return h;
        sleep(1);
    }
    return -ENOENT;
}

static long raw_call(int h, long op, long a, long b, long c)
{
    long w[4] = {op, a, b, c};
    long r = ipc_call(h, w);
    return r < 0 ? r : w[0];
}

/* Write blocks [first, first+n) with seed's pattern, `per` blocks per call,
 * through pages of our region; then read them back `rper` per call and
 * compare. 0 if all went well, else prints why (for case `name`). */
static int write_range(const char *name, uint64 seed, long first, long n, long per)
{
    long np = disk_npages();
    for (long b = 0; b < n; b += per) {
        long k = n - b < per ? n - b : per;
        long page = (b / per * per) % (np - k + 1);
        for (long j = 0; j < k; j++) fill(disk_buffer(page + j), seed, first + b + j);
        int r = k == 1 ? disk_write(first + b, page) : disk_writen(first + b, page, k);
        if (r < 0) {
            fail(name, "write of block %ld (%ld at once) -> %d", first + b, k, r);
            return -1;
        }
    }
    return 0;
}

static int read_range(const char *name, uint64 seed, long first, long n, long per)
{
    long np = disk_npages();
    for (long b = 0; b < n; b += per) {
        long k = n - b < per ? n - b : per;
        long page = (b / per * per + 7) % (np - k + 1);
        for (long j = 0; j < k; j++) memset(disk_buffer(page + j), 0x5a, PAGE);
        int r = k == 1 ? disk_read(first + b, page) : disk_readn(first + b, page, k);
        if (r < 0) {
            fail(name, "read of block %ld (%ld at once) -> %d", first + b, k, r);
            return -1;
        }
        for (long j = 0; j < k; j++) {
            int bad = check(disk_buffer(page + j), seed, first + b + j);
            if (bad >= 0) {
                fail(name, "block %ld: word %d differs", first + b + j, bad);
                return -1;
            }
        }
    }
    return 0;
}

/* ---- the cases ---- */

static void test_unconnected(int h)
{
    long r1 = raw_call(h, DISK_READ, 0, 0, 0);
    long r2 = raw_call(h, DISK_WRITE, 0, 0, 0);
    long r3 = raw_call(h, DISK_FLUSH, 0, 0, 0);
    long r4 = raw_call(h, DISK_DISCONNECT, 0, 0, 0);
    if (r1 == -ENOENT && r2 == -ENOENT && r3 == -ENOENT && r4 == -ENOENT)
        ok("calls without connecting fail with ENOENT");
    else
        fail("calls without connecting fail with ENOENT",
             "read %ld write %ld flush %ld disconnect %ld", r1, r2, r3, r4);
}

static void test_bad_messages(int h)
{
    long r1 = raw_call(h, DISK_CONNECT, 0, 0, 0); /* no pages */
    long r2 = raw_call(h, 99, 0, 0, 0);
    char *va = shm_alloc(2);
    long w[4] = {0};
    long r3 = va ? ipc_share(h, va, 2, DISK_READ, 0, w) : -ENOMEM; /* pages, wrong op */
    if (r3 >= 0) r3 = w[0];
    if (va) shm_free(va, 2);
    if (r1 == -EINVAL && r2 == -EINVAL && r3 == -EINVAL)
        ok("malformed messages get EINVAL");
    else
        fail("malformed messages get EINVAL",
             "connect without pages %ld, op 99 %ld, pages with read %ld", r1, r2, r3);
}

static void test_ranges(long blocks)
{
    long np = disk_npages();
    long r[6] = {
        disk_read(blocks, 0),         disk_read(-1, 0),       disk_write(blocks, 0),
        disk_readn(blocks - 1, 0, 2), disk_read(1L << 40, 0), disk_writen(blocks - 2, 0, 3),
    };
    int good = 1;
    for (int i = 0; i < 6; i++) good &= r[i] == -EINVAL;
    if (good)
        ok("block numbers past the end get EINVAL");
    else
        fail("block numbers past the end get EINVAL", "%ld %ld %ld %ld %ld %ld", r[0], r[1], r[2],
             r[3], r[4], r[5]);

    long p[6] = {
        disk_read(0, np),
        disk_read(0, -1),
        disk_write(0, np + 1000),
        disk_readn(0, np - 2, 3),
        disk_readn(0, 0, DISK_MAX_NBLOCKS + 1),
        disk_readn(0, 0, -1),
    };
    good = 1;
    for (int i = 0; i < 6; i++) good &= p[i] == -EINVAL;
    if (good)
        ok("bad page indexes and counts get EINVAL");
    else
        fail("bad page indexes and counts get EINVAL", "%ld %ld %ld %ld %ld %ld", p[0], p[1], p[2],
             p[3], p[4], p[5]);
}

/* Random messages, each with the answer the protocol promises. Only reads:
 * random writes would scribble over the disk. */
static void test_random(int h, long blocks)
{
    const char *name = "300 random requests get the promised answers";
    long np = disk_npages();
    uint64 x = 12345;
    static const long ops[] = {DISK_READ, DISK_INFO, DISK_FLUSH, DISK_CONNECT, 0, 99, -1, 1L << 40};
    for (int i = 0; i < 300; i++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        long op = ops[(x >> 33) % 8];
        long v[3];
        for (int k = 0; k < 3; k++) {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            uint64 r = x >> 20;
            /* mostly near the limits, sometimes anything */
            long lim = k == 0 ? blocks : k == 1 ? np : DISK_MAX_NBLOCKS;
            v[k] = r % 4 == 0   ? (long)(r >> 2)
                   : r % 4 == 1 ? -(long)(r % 3)
                                : (long)((r >> 2) % (lim + 3));
        }
        long n = v[2] == 0 ? 1 : v[2];
        long want;
        if (op == DISK_INFO)
            want = 0;
        else if (op == DISK_FLUSH)
            want = 0;
        else if (op != DISK_READ)
            want = -EINVAL;
        else if (n < 0 || n > DISK_MAX_NBLOCKS || v[0] < 0 || v[0] >= blocks || n > blocks - v[0] ||
                 v[1] < 0 || v[1] >= np || n > np - v[1])
            want = -EINVAL;
        else
            want = 0;
        long got = raw_call(h, op, v[0], v[1], v[2]);
        if (got != want) {
            fail(name, "op %ld (%ld, %ld, %ld) -> %ld, want %ld", op, v[0], v[1], v[2], got, want);
            return;
        }
    }
    ok(name);
}

#define BIG_FIRST 256
#define BIG_N     2048 /* 8 MiB */

static void test_big(void)
{
    const char *n1 = "write 2048 blocks one per call, read back one per call";
    if (write_range(n1, 1, BIG_FIRST, BIG_N, 1) == 0 && read_range(n1, 1, BIG_FIRST, BIG_N, 1) == 0)
        ok(n1);
    const char *n2 = "rewrite 2048 blocks 64 per call, read back 32 and 1 per call";
    if (write_range(n2, 2, BIG_FIRST, BIG_N, DISK_MAX_NBLOCKS) == 0 &&
        read_range(n2, 2, BIG_FIRST, BIG_N, 32) == 0 && read_range(n2, 2, BIG_FIRST, 100, 1) == 0)
        ok(n2);
}

static void test_edges(long blocks)
{
    const char *name = "first and last block";
    if (write_range(name, 3, blocks - 1, 1, 1) == 0 && write_range(name, 3, 0, 1, 1) == 0 &&
        read_range(name, 3, blocks - 1, 1, 1) == 0 && read_range(name, 3, 0, 1, 1) == 0)
        ok(name);
}

static void test_flush(void)
{
    int r = disk_flush();
    if (r == 0)
        ok("flush");
    else
        fail("flush", "-> %d", r);
}

/* Several processes, each with its own connection and block range, all
 * reading and writing at the same time. */
#define NCHILD    4
#define CH_FIRST  2400
#define CH_BLOCKS 256

static int child_io(int k)
{
    if (disk_open(24) < 0) return 2;
    uint64 seed = 100 + (uint64)k;
    long first = CH_FIRST + k * CH_BLOCKS;
    char name[32];
    snprintf(name, sizeof name, "child %d", k);
    int bad = 0;
    for (int round = 0; round < 2 && !bad; round++) {
        long per = round == 0 ? 1 : 8 + k;
        if (write_range(name, seed + round, first, CH_BLOCKS, per) < 0 ||
            read_range(name, seed + round, first, CH_BLOCKS, round == 0 ? 16 : 1) < 0)
            bad = 1;
    }
    disk_close();
    return bad ? 1 : 0;
}

static void test_concurrent(void)
{
    const char *name = "4 clients at once, each its own blocks";
    int pids[NCHILD];
    for (int k = 0; k < NCHILD; k++) {
        pids[k] = fork();
        if (pids[k] == 0) exit(child_io(k));
    }
    int bad = 0;
    for (int k = 0; k < NCHILD; k++) {
        int st = -1;
        if (pids[k] < 0 || wait(&st) < 0 || st != 0) bad++;
    }
    if (bad) {
        fail(name, "%d children failed", bad);
        return;
    }
    /* what the children wrote last (seed 101 + k) is on the disk */
    for (int k = 0; k < NCHILD; k++)
        if (read_range(name, 101 + (uint64)k, CH_FIRST + k * CH_BLOCKS, CH_BLOCKS, 32) < 0) return;
    ok(name);
}

/* Connect more clients than the server takes: the extra ones get EBUSY,
 * and once they exit their entries are reused even though they never
 * disconnected. The children report to us by IPC and wait for our reply. */
static void test_client_limit(void)
{
    const char *name = "client table full -> EBUSY; entries of exited clients reused";
    int ep = ep_create();
    if (ep < 0) {
        fail(name, "ep_create -> %d", ep);
        return;
    }
    int n = DISK_MAX_CLIENTS + 1, started = 0;
    for (int i = 0; i < n; i++) {
        int pid = fork();
        if (pid == 0) {
            long w[4] = {disk_open(1), 0, 0, 0};
            ipc_call(ep, w); /* hold the connection until the parent answers */
            exit(0);
        }
        if (pid > 0) started++;
    }
    int okc = 0, busy = 0, other = 0, pids[DISK_MAX_CLIENTS + 1];
    for (int i = 0; i < started; i++) {
        struct ipc_msg m;
        if (ipc_recv(ep, &m) < 0) break;
        pids[i] = (int)m.pid;
        if (m.w[0] == 0)
            okc++;
        else if (m.w[0] == -EBUSY)
            busy++;
        else
            other++;
    }
    for (int i = 0; i < okc + busy + other; i++) {
        long w[4] = {0};
        ipc_reply(pids[i], w);
    }
    while (wait(0) >= 0) {
    }
    ep_close(ep);
    if (started != n || okc + busy + other != n || busy < 1 || other || okc >= DISK_MAX_CLIENTS) {
        fail(name, "%d started, %d connected, %d EBUSY, %d other", started, okc, busy, other);
        return;
    }
    /* those children are gone without disconnecting: their entries come back */
    int pid = fork();
    if (pid == 0) exit(disk_open(1) == 0 ? 0 : 1);
    int st = -1;
    wait(&st);
    if (st != 0)
        fail(name, "a new client cannot connect after the others exited");
    else
        ok(name);
}

/* A client that frees its copy of the region, and one killed while its
 * requests are in flight, do not disturb the server. */
static void test_rude_clients(void)
{
    const char *name = "clients that unmap their region or die mid-request";
    int pid = fork();
    if (pid == 0) {
        if (disk_open(4) < 0) exit(2);
        shm_free(disk_buffer(0), 4); /* the server still holds the pages */
        exit(disk_read(0, 0) == 0 && disk_readn(0, 0, 4) == 0 ? 0 : 1);
    }
    int st = -1;
    wait(&st);
    if (st != 0) {
        fail(name, "client without its region: status %d", st);
        return;
    }
    pid = fork();
    if (pid == 0) {
        if (disk_open(DISK_MAX_NBLOCKS) < 0) exit(2);
        for (;;) disk_readn(BIG_FIRST, 0, DISK_MAX_NBLOCKS);
    }
    sleep(20);
    kill(pid);
    wait(0);
    if (read_range(name, 2, BIG_FIRST, 64, 16) == 0) ok(name);
}

static void test_disconnect(void)
{
    const char *name = "disconnect, then calls fail; connect again";
    int r1 = disk_close();
    int r2 = disk_read(0, 0);
    int r3 = disk_open(64);
    if (r1 != 0 || r2 != -ENOENT || r3 != 0) {
        fail(name, "close %d, read after close %d, open again %d", r1, r2, r3);
        return;
    }
    if (read_range(name, 2, BIG_FIRST, 16, 4) == 0) ok(name);
}

static int suite(int force)
{
    int h = find_server();
    if (h < 0) {
        int r = disk_open(1);
        if (r == -ENOENT)
            ok("no disk server: disk_open fails with ENOENT");
        else
            fail("no disk server: disk_open fails with ENOENT", "-> %d", r);
        printf("skip: no disk server (boot with a drive)\n");
        return summary();
    }
    ok("disk server registered");
    long blocks = disk_blocks();
    if (blocks > 0)
        ok("info: capacity");
    else
        fail("info: capacity", "disk_blocks -> %ld", blocks);
    int writes = 1;
    if (!force && ep_lookup("fs") >= 0) {
        printf("skip: the fs server runs on this disk; cases that write are skipped "
               "(disktest all runs them anyway)\n");
        writes = 0;
    } else if (blocks < CH_FIRST + NCHILD * CH_BLOCKS) {
        fail("disk large enough", "%ld blocks; need %d (a 32 MiB image)", blocks,
             CH_FIRST + NCHILD * CH_BLOCKS);
        return summary();
    }
    test_unconnected(h);
    test_bad_messages(h);
    int r = disk_open(64);
    if (r != 0) {
        fail("connect", "disk_open -> %d", r);
        return summary();
    }
    ok("connect");
    r = disk_open(64);
    if (r == -EBUSY)
        ok("second disk_open in one process -> EBUSY");
    else
        fail("second disk_open in one process -> EBUSY", "-> %d", r);
    test_ranges(blocks);
    test_random(h, blocks);
    if (writes) {
        test_big();
        test_edges(blocks);
    } else {
        r = disk_readn(0, 0, 32);
        if (r == 0)
            ok("read 32 blocks");
        else
            fail("read 32 blocks", "-> %d", r);
    }
    test_flush();
    test_client_limit();
    if (writes) {
        test_concurrent();
        test_rude_clients();
        test_disconnect();
    }
    disk_close();
    return summary();
}

/* ---- persistence across a reboot (tests/disk_persist.py) ---- */

#define SEED_FIRST 4096
#define SEED_N     512

static int seed_mode(int write, uint64 seed)
{
    const char *name = write ? "write-seed" : "check-seed";
    if (find_server() < 0 || disk_open(32) != 0) {
        fail(name, "no disk server");
        return summary();
    }
    long blocks = disk_blocks();
    if (blocks < SEED_FIRST + SEED_N) {
        fail(name, "disk too small (%ld blocks)", blocks);
        return summary();
    }
    int r = 0;
    if (write) {
        r = write_range(name, seed, SEED_FIRST, SEED_N, 8) |
            write_range(name, seed, blocks - 1, 1, 1);
        int f = disk_flush();
        if (f < 0) {
            fail(name, "flush -> %d", f);
            r = -1;
        }
    } else {
        r = read_range(name, seed, SEED_FIRST, SEED_N, 16) |
            read_range(name, seed, blocks - 1, 1, 1);
    }
    if (r == 0) ok(name);
    disk_close();
    int st = summary();
    if (write) halt(st);
    return st;
}

/* ---- bench ---- */

static inline uint64 rdinstret(void)
{
    uint64 n;
    __asm__ volatile("rdinstret %0" : "=r"(n) : : "memory");
    return n;
}

/* Under -icount, waiting for the host to finish an I/O lets the hart idle,
 * and QEMU (sleep=off) then jumps its instruction clock to the next timer
 * tick: an op that happens to wait that way counts ~10 million. Which ops do
 * depends on the host's timing, so totals vary from run to run; the median
 * of the single-op counts does not. So each op is timed alone, and the line
 * reports the measured total and the median:
 *     BENCH <name> <total> per_op=<median> (median; K of N ops idled ...) */
#define BENCH_MAX 1024
static uint64 each[BENCH_MAX];

static void sort(uint64 *a, long n)
{
    for (long i = 1; i < n; i++) {
        uint64 v = a[i];
        long j = i;
        for (; j > 0 && a[j - 1] > v; j--) a[j] = a[j - 1];
        a[j] = v;
    }
}

/* n calls of op(i), each moving `blocks` blocks; per_op is per 4 KiB block
 * (per call for a flush: blocks == 0). */
static int measure(const char *name, int (*op)(long), long n, long blocks)
{
    int bad = 0;
    uint64 total = 0;
    printf_flush();
    for (long i = 0; i < n; i++) {
        uint64 t = rdinstret();
        bad |= op(i);
        each[i] = rdinstret() - t;
        total += each[i];
    }
    sort(each, n);
    uint64 median = each[n / 2] / (uint64)(blocks ? blocks : 1);
    long slow = 0;
    for (long i = 0; i < n; i++) slow += each[i] > 1000000;
    printf("BENCH %s %lu per_op=%lu (median; %ld of %ld calls idled to a timer tick)\n", name,
           total, median, slow, n);
    if (bad) printf("BENCH %s failed (a request returned an error)\n", name);
    return bad;
}

#define BATCH 32
static int op_read(long i)
{
    return disk_read(i, i);
}
static int op_write(long i)
{
    return disk_write(i, i);
} /* puts back what was read */
static long nbatches; /* the region holds this many batches; calls cycle through them */
static int op_readn(long i)
{
    i %= nbatches;
    return disk_readn(i * BATCH, i * BATCH, BATCH);
}
static int op_writen(long i)
{
    i %= nbatches;
    return disk_writen(i * BATCH, i * BATCH, BATCH);
}
static int op_flush(long i)
{
    (void)i;
    return disk_flush();
}
static int op_info(long i)
{
    (void)i;
    return disk_blocks() > 0 ? 0 : -1;
}

static int bench(long n)
{
    if (n < BATCH || n > BENCH_MAX) n = 256;
    n = n / BATCH * BATCH;
    if (find_server() < 0 || disk_open(n) != 0) {
        printf("BENCH disk_read_4k failed (no disk server)\nBENCH done\n");
        return 1;
    }
    if (disk_blocks() < n) {
        printf("BENCH disk_read_4k failed (disk too small)\nBENCH done\n");
        return 1;
    }
    int bad = op_read(0) | op_write(0);         /* warm up */
    bad |= measure("disk_info", op_info, n, 0); /* a round trip without the device */
    bad |= measure("disk_read_4k", op_read, n, 1);
    bad |= measure("disk_write_4k", op_write, n, 1);
    nbatches = n / BATCH;
    bad |= measure("disk_read_4k_x32", op_readn, 64, BATCH);
    bad |= measure("disk_write_4k_x32", op_writen, 64, BATCH);
    bad |= measure("disk_flush", op_flush, 32, 0);
    printf("BENCH done\n");
    disk_close();
    return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "bench") == 0) return bench(argc > 2 ? atoi(argv[2]) : 256);
    if (argc >= 3 && strcmp(argv[1], "write-seed") == 0) return seed_mode(1, (uint64)atoi(argv[2]));
    if (argc >= 3 && strcmp(argv[1], "check-seed") == 0) return seed_mode(0, (uint64)atoi(argv[2]));
    if (argc == 1 || (argc == 2 && strcmp(argv[1], "all") == 0)) return suite(argc == 2);
    printf("usage: disktest [all | write-seed SEED | check-seed SEED | bench [N]]\n");
    return 2;
}
