/* sysinfotest: the sysinfo system call of the syscall lab
 * (docs/labs/syscall.md). `sysinfotest` runs every case, `sysinfotest NAME`
 * one; each prints "ok NAME" or "FAIL NAME: why", and the last line is
 * "N passed, M failed". The lab grader (tools/lab grade syscall) runs the
 * cases one by one. */
#include "user.h"
#include "testcase.h"

#define PAGE       4096L
#define KERNEL_VA  0xFFFFFFC080200000UL
#define HEAP_PAGES 64

/* The call works and agrees with freepages() (nothing else runs while the
 * shell waits for us, so a few pages of slack are plenty). */
static void t_basic(void)
{
    struct sysinfo info = {~0UL, ~0UL};
    EXPECT(sysinfo(&info) == 0, "sysinfo failed, errno %d", errno);
    long fp = (long)freepages() * PAGE;
    long diff = (long)info.freemem - fp;
    EXPECT(diff >= -8 * PAGE && diff <= 8 * PAGE, "freemem %lu, freepages() says %ld bytes",
           info.freemem, fp);
    EXPECT(info.freemem % PAGE == 0, "freemem %lu is not whole pages", info.freemem);
    /* init, the shell and this program at least */
    EXPECT(info.nproc >= 3 && info.nproc <= 64, "nproc %lu", info.nproc);
}

/* Touched heap pages come off freemem, and go back with sbrk. */
static void t_freemem(void)
{
    struct sysinfo a, b, c;
    EXPECT(sysinfo(&a) == 0, "sysinfo failed, errno %d", errno);
    char *p = sbrk(HEAP_PAGES * PAGE);
    EXPECT(p != (char *)-1, "sbrk failed");
    for (long i = 0; i < HEAP_PAGES; i++) p[i * PAGE] = 1;
    EXPECT(sysinfo(&b) == 0, "sysinfo failed, errno %d", errno);
    EXPECT(sbrk(-HEAP_PAGES * PAGE) != (char *)-1, "sbrk back failed");
    EXPECT(sysinfo(&c) == 0, "sysinfo failed, errno %d", errno);
    EXPECT(a.freemem >= b.freemem + HEAP_PAGES * PAGE,
           "%d touched pages took %ld bytes off freemem, want at least %ld", HEAP_PAGES,
           (long)(a.freemem - b.freemem), HEAP_PAGES * PAGE);
    EXPECT(c.freemem >= b.freemem + HEAP_PAGES * PAGE, "sbrk back gave only %ld bytes",
           (long)(c.freemem - b.freemem));
}

/* A child counts while it lives, and not after it was waited for. */
static void t_nproc(void)
{
    struct sysinfo a, b, c;
    EXPECT(sysinfo(&a) == 0, "sysinfo failed, errno %d", errno);
    int pid = fork();
    if (pid == 0) {
        sleep(1000);
        exit(0);
    }
    EXPECT(pid > 0, "fork failed");
    int ok = sysinfo(&b) == 0;
    kill(pid);
    int st;
    int w = wait(&st);
    EXPECT(ok, "sysinfo failed, errno %d", errno);
    EXPECT(w == pid, "wait returned %d, want %d", w, pid);
    EXPECT(sysinfo(&c) == 0, "sysinfo failed, errno %d", errno);
    EXPECT(b.nproc == a.nproc + 1, "with a child: nproc %lu, before %lu", b.nproc, a.nproc);
    EXPECT(c.nproc == a.nproc, "after wait: nproc %lu, before %lu", c.nproc, a.nproc);
}

/* Bad pointers: an error, never a crash, and no write to a read-only page. */
static void t_badptr(void)
{
    void *bad[] = {0, (void *)KERNEL_VA, (void *)USYSCALL, (void *)(sbrk(0) + 64 * PAGE),
                   (void *)t_badptr};
    const char *what[] = {"null", "kernel address", "USYSCALL page", "beyond the break",
                          "program text"};
    for (int i = 0; i < 5; i++) {
        errno = 0;
        int r = sysinfo(bad[i]);
        CHECK(r == -1 && errno == EFAULT, "%s: returned %d, errno %d, want -1 EFAULT", what[i], r,
              errno);
    }
    struct sysinfo info;
    EXPECT(sysinfo(&info) == 0, "a good call after the bad ones failed, errno %d", errno);
}

static const struct testcase cases[] = {
    {"sysinfo_basic", t_basic},
    {"sysinfo_freemem", t_freemem},
    {"sysinfo_nproc", t_nproc},
    {"sysinfo_badptr", t_badptr},
};

int main(int argc, char **argv)
{
    test_run(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
    test_summary();
}
