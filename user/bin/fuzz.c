/* fuzz: random system calls and IPC against the kernel, seeded so that any
 * failure replays (docs/security.md).
 *
 *   fuzz SEED COUNT [BATCH]     COUNT calls, in batches of BATCH (default 200)
 *
 * Each batch runs in a forked child (and a peer it forks, so that IPC has
 * someone to talk to) with its own seed, SEED * 1000003 + batch number:
 * random call numbers, and arguments drawn from values that have broken
 * kernels before: kernel addresses, the edges of the user half and of the
 * shared region, ranges that wrap, strings running into unmapped pages, huge
 * lengths, stale handles and pids; privileged calls from an unprivileged
 * program. A batch that blocks (e.g. a recv nobody answers) is killed after
 * a time limit, which is normal. After each batch the parent checks that the
 * kernel still answers, that every free page came back, that the disk server
 * (if any) still answers and that the kernel's self-check passes. The first
 * failure prints "FAIL fuzz: seed S batch B: why" (replay with
 * `fuzz S (B+1)*BATCH BATCH`, or just that batch's seed); the run ends with
 * "N passed, M failed" like every suite. */
#include "user.h"
#include "ipc.h"
#include "syscall.h"
#include "pagoda/memlayout.h"
#include "pagoda/disk_proto.h"

#define PG          4096UL
#define BATCH_TICKS (1 * TICK_HZ) /* a batch still running then is killed */

static unsigned long rng;

static unsigned long next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned long below(unsigned long n)
{
    return next() % n;
}

/* Memory the calls may point into: a mapped page of non-zero bytes (an
 * unterminated string) with an unmapped page after it, a heap buffer, and a
 * shared page. Set up once per batch. */
static char *edge; /* last mapped page before a hole */
static char *heap; /* 4 pages of heap */
static char *shpg; /* a shared page */
static int peer;   /* the batch's other process */
static int my_ep;  /* an endpoint of ours */
static char names[][IPC_NAME_LEN] = {"disk", "fs", "fz", "fuzzname", ""};

static unsigned long pointer(void)
{
    static const unsigned long wild[] = {
        0,
        1,
        PG - 1,
        UTEXT_BASE,
        HEAP_LIMIT,
        USTACK_TOP - 8,
        USTACK_TOP,
        SHM_BASE - PG,
        SHM_BASE,
        SHM_TOP - PG,
        SHM_TOP,
        USER_TOP - 1,
        USER_TOP,
        USYSCALL,
        TRAPFRAME,
        TRAMPOLINE,
        MAXVA - 1,
        MAXVA,
        1UL << 39,
        KERNBASE,
        0xffffffc080200000UL, /* the kernel image */
        0xffffffffc0001000UL, /* a kernel stack */
        ~0UL,
        ~0UL - PG + 1,
        0xeaeb0b5b00002f5eUL,
    };
    switch (below(6)) {
    case 0:
        return wild[below(sizeof wild / sizeof wild[0])];
    case 1:
        return (unsigned long)edge + PG - below(16); /* runs into the hole */
    case 2:
        return (unsigned long)heap + below(4 * PG);
    case 3:
        return (unsigned long)shpg;
    case 4:
        return (unsigned long)names[below(5)];
    default:
        return next();
    }
}

static unsigned long number(void)
{
    static const unsigned long odd[] = {
        0,     1,         2,         3,         15,   16,        63,      64,         4096,
        65536, 1UL << 31, 1UL << 32, 1UL << 40, ~0UL, ~0UL >> 1, -4096UL, 0x7fffffff, 0x80000000UL};
    switch (below(4)) {
    case 0:
        return odd[below(sizeof odd / sizeof odd[0])];
    case 1:
        return below(8); /* handles, small counts */
    case 2:
        return below(2) ? (unsigned long)peer : (unsigned long)getpid();
    default:
        return next();
    }
}

static unsigned long arg(void)
{
    return below(2) ? pointer() : number();
}

/* One random call. Calls that would end the batch's purpose (halt, exit,
 * reading the console, printing page tables or bytes to the console, killing
 * strangers) are turned into harmless ones. */
static void one_call(void)
{
    long n = (long)below(NSYSCALL + 4);
    unsigned long a[6];
    for (int i = 0; i < 6; i++) a[i] = arg();
    switch (n) {
    case SYS_halt:
    case SYS_exit:
    case SYS_cons_read:
    case SYS_vmprint:
        n = SYS_getpid;
        break;
    case SYS_cons_write:
        a[1] = below(2) ? 0 : ~0UL;
        break;       /* bad lengths only */
    case SYS_kill: { /* only our own, or pids that cannot exist */
        static const long pids[] = {0, -1, 1L << 31, -(1L << 31), 99999};
        a[0] = below(2) ? (unsigned long)peer : (unsigned long)pids[below(5)];
        break;
    }
    case SYS_sleep:
        a[0] &= 3;
        break;
    case SYS_selfcheck:
        n = SYS_getpid;
        break; /* the parent runs it */
    case SYS_sbrk:
        a[0] = (long)(int)a[0];
        break;
    }
    struct regs r =
        ecall6(n, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
    if (n == SYS_fork && r.a0 == 0) sys_exit(0); /* the copy stops here */
}

/* Random IPC between the batch's two processes: calls, shares, receives,
 * replies to whoever, closes. */
static void one_ipc(void)
{
    long w[4] = {(long)next(), (long)next(), 0, 0};
    struct ipc_msg m;
    int h = (int)below(4);
    switch (below(9)) {
    case 0:
        ipc_call(h, w);
        break;
    case 1:
        ipc_share(h, below(2) ? shpg : (void *)pointer(), (long)number(), 1, 2, w);
        break;
    case 2:
        ipc_recv(my_ep, &m);
        break;
    case 3:
        ipc_reply(below(2) ? peer : (int)number(), w);
        break;
    case 4:
        ipc_reply_recv(my_ep, (int)number(), w, &m);
        break;
    case 5:
        ipc_notify(h, next());
        break;
    case 6:
        ep_close(h);
        break;
    case 7:
        ep_lookup(names[below(5)]);
        break;
    default:
        shm_free((void *)pointer(), (long)number());
        break;
    }
}

static void batch_body(unsigned long seed, int count)
{
    rng = seed | 1;
    heap = sbrk(4 * (int)PG);
    char *two = shm_alloc(2);
    if (two) {
        shm_free(two + PG, 1);
        edge = two;
        memset(edge, 'x', PG);
    }
    shpg = shm_alloc(1);
    my_ep = ep_create();
    snprintf(names[2], IPC_NAME_LEN, "fz%d", getpid());
    ep_register(my_ep, names[2]);
    int parent = getpid();
    peer = fork();
    if (peer == 0) {
        peer = parent;
        rng = (seed * 31) | 1;
        my_ep = ep_create();
        ep_lookup(names[2]);
    }
    for (int i = 0; i < count; i++) below(3) ? one_call() : one_ipc();
    if (peer != parent) {
        kill(peer);
        while (wait(0) >= 0) {
        }
    }
    exit(0);
}

static int state_of(int pid)
{
    struct procinfo pi;
    for (int i = 0; procinfo(i, &pi) == 0; i++)
        if (pi.pid == pid) return pi.state;
    return 0;
}

static int disk_answers(void)
{
    int h = ep_lookup(DISK_NAME);
    if (h < 0) return 0;
    long w[4] = {DISK_INFO, 0, 0, 0};
    long r = ipc_call(h, w);
    ep_close(h);
    return r == 0 && w[0] == 0;
}

/* Every process a batch made is gone once this returns. */
static void run_batch(unsigned long seed, int count)
{
    int pid = fork();
    if (pid == 0) batch_body(seed, count);
    if (pid < 0) return;
    int t0 = uptime();
    while (state_of(pid) != PS_ZOMBIE && uptime() - t0 < BATCH_TICKS) sleep(1);
    /* its peer too, whether still its child or adopted by init already */
    struct procinfo pi;
    for (int i = 0; procinfo(i, &pi) == 0; i++)
        if (pi.ppid == pid || (pi.ppid == 1 && strcmp(pi.name, "fuzz") == 0)) kill(pi.pid);
    kill(pid); /* a no-op if it is done */
    while (wait(0) >= 0) {
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("usage: fuzz SEED COUNT [BATCH]\n");
        return 2;
    }
    unsigned long seed = (unsigned long)atoi(argv[1]);
    int count = atoi(argv[2]), per = argc > 3 ? atoi(argv[3]) : 200;
    if (per <= 0) per = 200;
    int has_disk = disk_answers();
    int free0 = freepages(), nbatch = (count + per - 1) / per, failed = 0;
    char why[120] = "";
    for (int b = 0; b < nbatch && !failed; b++) {
        run_batch(seed * 1000003UL + (unsigned long)b, per);
        int t0 = uptime();
        while (freepages() != free0 && uptime() - t0 < 3 * TICK_HZ) sleep(2);
        long bad;
        if (getpid() <= 0)
            snprintf(why, sizeof why, "getpid failed");
        else if (freepages() != free0)
            snprintf(why, sizeof why, "%d free pages, %d before", freepages(), free0);
        else if (has_disk && !disk_answers())
            snprintf(why, sizeof why, "the disk server does not answer");
        else if ((bad = sys_selfcheck()) != 0)
            snprintf(why, sizeof why, "kernel self-check: %ld problems", bad);
        if (why[0]) {
            printf("FAIL fuzz: seed %lu batch %d: %s\n", seed, b, why);
            struct procinfo pi;
            for (int i = 0; procinfo(i, &pi) == 0; i++)
                printf("  # pid %d ppid %d state %d %lu KiB %s\n", pi.pid, pi.ppid, pi.state,
                       pi.size / 1024, pi.name);
            failed = 1;
        }
    }
    if (!failed) printf("ok fuzz (seed %lu, %d calls in %d batches)\n", seed, count, nbatch);
    printf("%d passed, %d failed\n", !failed, failed);
    return failed;
}
