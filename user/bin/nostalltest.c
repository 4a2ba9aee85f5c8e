/* nostalltest: the fs server keeps answering while one request waits for
 * the disk (docs/fs.md, "Reads beside a parked job"). `nostalltest` runs
 * every case, `nostalltest NAME` one; the last line is "N passed, M failed".
 *
 * Each case has a child, the slow client, make one call that must wait for
 * the disk: a 64 KiB read of a part of /data/cold1MB nothing has read since
 * boot (cold_read), or an fsync of 1 MiB of new data (fsync). The parent
 * waits until that child sleeps in its call, then makes cache-hit reads of
 * a small file, stat calls and a pipe round trip, checking after each one
 * that the child still sleeps. Its single call is then still in the server:
 * had our calls queued behind it, as they did when the server ran one core
 * call at a time, the child would have had its reply first. Ordering, not
 * timing, is the evidence, so the case cannot pass on a server that stalls.
 * A try in which the disk was quicker than our calls proves nothing either
 * way; a case needs one proving try in a few. */
#include "user.h"
#include "fcntl.h"
#include "stat.h"
#include "testcase.h"

#define COLD  "/data/cold1MB" /* mkfs puts it in the image; nothing reads it */
#define DIR   "/nostall"
#define HOT   DIR "/hot"
#define BIG   DIR "/big"
#define CHUNK (64 * 1024) /* one call: the whole shared region */
#define TRIES 8           /* cold chunks, 128 KiB apart (read-ahead stays out) */

static char buf[CHUNK];

/* The cold file's byte i (CMakeLists.txt makes it). */
static int cold_ok(const char *p, long off, long n)
{
    for (long i = 0; i < n; i++)
        if ((unsigned char)p[i] != (off + i) * 7 % 251) return 0;
    return 1;
}

static int sleeping(int pid)
{
    struct procinfo info;
    return procinfo_pid(pid, &info) == 0 && info.state == PS_SLEEPING;
}

/* While pid sleeps in its one call: hot reads, a stat and a pipe round
 * trip, each followed by a look at pid. How many of these steps completed
 * while it still slept (BESIDE if all did). */
#define BESIDE 7
static int beside(int pid, int hot, int *pfd)
{
    int done = 0;
    char c = 'x', h[16];
    for (int i = 0; i < 4; i++) {
        if (lseek(hot, 0, SEEK_SET) != 0 || read(hot, h, sizeof h) != sizeof h) return -1;
        if (!sleeping(pid)) return done;
        done++;
        if (i == 1) {
            struct stat st;
            if (stat(HOT, &st) != 0 || st.size != 4096) return -1;
            if (!sleeping(pid)) return done;
            done++;
        }
        if (i == 2) {
            if (write(pfd[1], &c, 1) != 1 || read(pfd[0], &c, 1) != 1) return -1;
            if (!sleeping(pid)) return done;
            done++;
        }
    }
    if (sleeping(pid)) done++;
    return done;
}

/* The slow client: go (one warm-up call of each kind first, so its next
 * call to the server is the slow one), then the slow call; 0 if it worked. */
static int slow_child(int go_w, int cold, long off, int bigfd)
{
    struct stat st;
    if (fstat(cold, &st) != 0 || (bigfd >= 0 && fstat(bigfd, &st) != 0)) return 2;
    if (lseek(cold, off, SEEK_SET) != off) return 3;
    char c = 'g';
    if (write(go_w, &c, 1) != 1) return 4;
    if (bigfd >= 0) return fsync(bigfd) == 0 ? 0 : 5;
    return read(cold, buf, CHUNK) == CHUNK && cold_ok(buf, off, CHUNK) ? 0 : 6;
}

/* One try: the slow child's call against our calls. 1 proved, 0 not, -1 broken. */
static int try_once(int cold, long off, int bigfd, int hot, int *pfd)
{
    int go[2];
    if (pipe(go) != 0) return -1;
    int pid = fork();
    if (pid == 0) exit(slow_child(go[1], cold, off, bigfd));
    if (pid < 0) return -1;
    char c;
    int r = read(go[0], &c, 1) == 1 ? 0 : -1;
    close(go[0]), close(go[1]);
    /* it wrote "go"; its next call is the slow one: wait for it to sleep */
    for (int i = 0; r == 0 && !sleeping(pid); i++) {
        struct procinfo info;
        if (procinfo_pid(pid, &info) != 0 || info.state == PS_ZOMBIE) break; /* too quick */
    }
    int done = r == 0 && sleeping(pid) ? beside(pid, hot, pfd) : 0;
    int st = -1;
    if (wait(&st) != pid || st != 0) {
        test_fail("the slow child failed: %s", test_how(st));
        return -1;
    }
    if (done < 0) return -1;
    test_info("try at %ld: %d of %d steps done while the slow call waited", off, done, BESIDE);
    return done == BESIDE;
}

static int setup(int *hot, int *pfd)
{
    mkdir(DIR);
    int fd = open(HOT, O_CREATE | O_RDWR | O_TRUNC);
    if (fd < 0) return -1;
    memset(buf, 'h', 4096);
    if (write(fd, buf, 4096) != 4096 || fsync(fd) != 0) return -1;
    *hot = fd;
    return pipe(pfd);
}

static void teardown(int hot, int *pfd)
{
    close(hot), close(pfd[0]), close(pfd[1]);
    unlink(HOT), unlink(BIG);
    rmdir(DIR);
}

/* Cache-hit reads, stat and a pipe go on while a cold read waits. */
static void t_cold_read(void)
{
    int hot, pfd[2];
    EXPECT(setup(&hot, pfd) == 0, "set-up: errno %d", errno);
    int cold = open(COLD, O_RDONLY);
    int proved = 0, broken = 0;
    for (int k = 0; cold >= 0 && k < TRIES && !proved && !broken; k++) {
        int r = try_once(cold, (long)k * 2 * CHUNK, -1, hot, pfd);
        proved = r == 1, broken = r < 0;
    }
    close(cold);
    teardown(hot, pfd);
    EXPECT(cold >= 0, "open " COLD ": errno %d", errno);
    EXPECT(!broken, "a try went wrong: errno %d", errno);
    EXPECT(proved, "in %d tries, none of our calls completed while a cold read waited", TRIES);
}

/* The same beside an fsync that commits 1 MiB. */
static void t_fsync(void)
{
    int hot, pfd[2];
    EXPECT(setup(&hot, pfd) == 0, "set-up: errno %d", errno);
    int cold = open(COLD, O_RDONLY); /* the child's warm-up fstat */
    int proved = 0, broken = 0;
    for (int k = 0; cold >= 0 && k < TRIES && !proved && !broken; k++) {
        int big = open(BIG, O_CREATE | O_WRONLY | O_TRUNC);
        memset(buf, 'a' + k, CHUNK);
        for (int i = 0; big >= 0 && i < 16; i++) broken |= write(big, buf, CHUNK) != CHUNK;
        int r = big < 0 || broken ? -1 : try_once(cold, 0, big, hot, pfd);
        proved = r == 1, broken = r < 0;
        close(big);
    }
    close(cold);
    teardown(hot, pfd);
    EXPECT(cold >= 0, "open " COLD ": errno %d", errno);
    EXPECT(!broken, "a try went wrong: errno %d", errno);
    EXPECT(proved, "in %d tries, none of our calls completed while an fsync waited", TRIES);
}

static const struct testcase cases[] = {
    {"cold_read", t_cold_read},
    {"fsync", t_fsync},
};

int main(int argc, char **argv)
{
    test_run(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
    test_summary();
}
