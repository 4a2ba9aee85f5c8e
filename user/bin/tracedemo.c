/* tracedemo: small scenarios for the pictures in docs/tracing.md. Each
 * turns the kernel event trace on, marks the start, does one thing, marks
 * the end, turns tracing off and prints the dump; `tools/trace2svg --marks`
 * then draws just the marked part. docs/tracing.md gives the command for
 * each picture.
 *
 *     tracedemo getpid | ipc | disk | cow | forkexec | fsread */
#include "user.h"
#include "syscall.h"
#include "ipc.h"
#include "disk.h"
#include "fcntl.h"
#include "pagoda/trace.h"
#include "tracedump.h"

static void start(void)
{
    sys_trace_ctl(TRACE_ON);
    sys_trace_mark(1, 0);
}

static void stop(void)
{
    sys_trace_mark(2, 0);
    sys_trace_ctl(TRACE_OFF);
}

static int demo_getpid(void)
{
    start();
    getpid();
    stop();
    return 0;
}

#define QUIT 0x7175

/* The fast path needs the server already waiting in recv: a first call,
 * not traced, gets it there. */
static int demo_ipc(void)
{
    char name[16];
    snprintf(name, sizeof name, "tdemo.%d", getpid());
    int ep = ep_create();
    if (ep < 0 || ep_register(ep, name) < 0) return 1;
    int pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) { /* the client */
        int h = ep_lookup(name);
        long w[4] = {1, 0, 0, 0};
        if (h < 0 || ipc_call(h, w) < 0) exit(1);
        w[0] = 0x10, w[1] = 0x20;
        start();
        long r = ipc_call(h, w);
        stop();
        long q[4] = {QUIT, 0, 0, 0};
        ipc_call(h, q);
        exit(r < 0 || w[0] != 0x11);
    }
    /* the server: reply_recv (the fast path) until the client says quit */
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    while (r >= 0) {
        long w[4] = {m.w[0] + 1, m.w[1], 0, 0};
        if (m.w[0] == QUIT) {
            ipc_reply(m.pid, w);
            break;
        }
        r = ipc_reply_recv(ep, m.pid, w, &m);
    }
    int status = 1;
    wait(&status);
    return status;
}

static int demo_disk(void)
{
    if (disk_open(1) < 0) {
        printf("tracedemo: no disk server (boot with a drive)\n");
        return 1;
    }
    if (disk_read(0, 0) < 0) return 1; /* warm up: the server is now waiting */
    start();
    int r = disk_read(1, 0);
    stop();
    disk_close();
    return r < 0;
}

/* volatile: the stores must happen where they are written, between the marks */
static volatile char page[4096] __attribute__((aligned(4096)));

static int demo_cow(void)
{
    page[0] = 1; /* mapped and ours before the fork */
    int pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
        start();
        page[0] = 2; /* shared with the parent: the kernel copies it */
        stop();
        exit(0);
    }
    int status = 1;
    wait(&status);
    return status;
}

static int demo_forkexec(void)
{
    start();
    int pid = fork();
    if (pid == 0) {
        char *argv[] = {"echo", "hi", 0};
        exec("echo", argv);
        exit(127);
    }
    int status = 1;
    if (pid > 0) wait(&status);
    stop();
    return pid < 0 || status != 0;
}

/* One read() whose block is not in the fs server's cache. The untraced
 * first read brings in the inode and the indirect block; the traced one is
 * far from it, so no read-ahead has fetched it: exactly one disk read. The
 * file is on the disk image mkfs builds (tools/fs/mkfs.c, CMakeLists.txt). */
#define FSREAD_FILE "/data/cold1MB"

static int demo_fsread(void)
{
    static char buf[4096];
    int fd = open(FSREAD_FILE, O_RDONLY);
    if (fd < 0) {
        printf("tracedemo: no %s (boot with the disk image)\n", FSREAD_FILE);
        return 1;
    }
    if (lseek(fd, 256 << 10, SEEK_SET) < 0 || read(fd, buf, sizeof buf) != sizeof buf) return 1;
    if (lseek(fd, 768 << 10, SEEK_SET) < 0) return 1;
    start();
    int n = read(fd, buf, sizeof buf);
    stop();
    close(fd);
    return n != sizeof buf;
}

static const struct {
    const char *name;
    int (*run)(void);
} demos[] = {
    {"getpid", demo_getpid}, {"ipc", demo_ipc},           {"disk", demo_disk},
    {"cow", demo_cow},       {"forkexec", demo_forkexec}, {"fsread", demo_fsread},
};

int main(int argc, char **argv)
{
    for (unsigned i = 0; argc == 2 && i < sizeof demos / sizeof demos[0]; i++) {
        if (strcmp(argv[1], demos[i].name) != 0) continue;
        int r = demos[i].run();
        if (r) printf("tracedemo: %s failed\n", argv[1]);
        return trace_dump() || r;
    }
    fprintf(2, "usage: tracedemo getpid | ipc | disk | cow | forkexec | fsread\n");
    return 2;
}
