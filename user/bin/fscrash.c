/* fscrash: the guest side of the crash test (tests/fs_crash.py).
 *
 *   fscrash write START   forever: write /crash/fN (N = START, START+1, ...)
 *                         with N's pattern and a size that depends on N,
 *                         fsync it and print "synced fN SIZE"; every third
 *                         file also removes an older one and, after a sync,
 *                         prints "unlinked fM". First it removes every
 *                         file numbered below START - WINDOW, which the
 *                         host no longer checks: the disk must not fill up
 *                         however many rounds the test runs
 *   fscrash check         for every /crash/fN print "have fN SIZE ok" or
 *                         "have fN SIZE bad", then "check done"
 *
 * The host kills QEMU at a random moment during `write` and checks after
 * the next boot that every file reported synced is there, whole. */
#include "user.h"
#include "fcntl.h"
#include "stat.h"

static char buf[65536];

static long size_of(long n)
{
    return (n * 7919) % 60000 + 1;
}

static void fill(char *p, long n, long len)
{
    for (long i = 0; i < len; i++) p[i] = (char)((i * 31 + n * 17 + (i >> 8)) & 0xff);
}

#define WINDOW 300 /* files the host still checks below START (fs_crash.py) */

/* Remove every /crash/fN with N < below: numbers first, then the unlinks, so
 * that the directory does not change under the reading. */
static void remove_old(long below)
{
    static long old[8192];
    int n = 0, dfd = open("/crash", O_RDONLY);
    struct dirent de;
    while (dfd >= 0 && read(dfd, &de, sizeof de) == sizeof de)
        if (de.inum != 0 && de.name[0] == 'f' && atoi(de.name + 1) < below && n < 8192)
            old[n++] = atoi(de.name + 1);
    close(dfd);
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "/crash/f%ld", old[i]);
        unlink(name);
    }
}

static int do_write(long start)
{
    mkdir("/crash");
    remove_old(start - WINDOW);
    for (long n = start;; n++) {
        char name[32];
        snprintf(name, sizeof name, "/crash/f%ld", n);
        long len = size_of(n);
        fill(buf, n, len);
        int fd = open(name, O_CREATE | O_WRONLY | O_TRUNC);
        if (fd < 0) {
            printf("fscrash: open %s failed (errno %d)\n", name, errno);
            return 1;
        }
        if (write(fd, buf, (int)len) != len || fsync(fd) != 0) {
            printf("fscrash: write %s failed (errno %d)\n", name, errno);
            return 1;
        }
        close(fd);
        printf("synced f%ld %ld\n", n, len);
        if (n % 3 == 0 && n - 5 >= start) {
            snprintf(name, sizeof name, "/crash/f%ld", n - 5);
            if (unlink(name) == 0 && sync() == 0) printf("unlinked f%ld\n", n - 5);
        }
        printf_flush();
    }
}

static int do_check(void)
{
    int dfd = open("/crash", O_RDONLY);
    struct dirent de;
    static char want[65536];
    while (dfd >= 0 && read(dfd, &de, sizeof de) == sizeof de) {
        if (de.inum == 0 || de.name[0] != 'f') continue;
        char name[80];
        snprintf(name, sizeof name, "/crash/%s", de.name);
        long n = atoi(de.name + 1);
        int fd = open(name, O_RDONLY);
        long len = fd < 0 ? -1 : read(fd, buf, sizeof buf);
        close(fd);
        int good = len >= 0 && len <= size_of(n);
        if (good) {
            fill(want, n, len);
            good = memcmp(buf, want, (uint)len) == 0;
        }
        printf("have %s %ld %s\n", de.name, len, good ? "ok" : "bad");
    }
    close(dfd);
    printf("check done\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "write") == 0) return do_write(atoi(argv[2]));
    if (argc == 2 && strcmp(argv[1], "check") == 0) return do_check();
    printf("usage: fscrash write START | fscrash check\n");
    return 2;
}
