/* init: the first process, and the only one the kernel starts. It starts the
 * servers from the boot image with device rights (spawn), then the shell on
 * the console. It restarts a server that stops, whatever its exit status
 * (but 0: "nothing to serve here", e.g. no disk), waiting longer each time
 * one keeps failing soon after its start; it restarts the shell when it
 * exits, and reaps every orphan handed to it.
 *
 * Its arguments are the kernel's boot arguments: `spawn=NAME` starts one more
 * boot-image program with device rights (tests use it, e.g. evtest);
 * `faildisk=N` is passed on to the servers (fault injection, docs/security.md);
 * `nofs` starts no file-system server (suites that attack the kernel and the
 * disk server on a blank scratch disk, where fs would only start and stop). */
#include "user.h"
#include "ipc.h"

#define MAX_SERVERS 8

#define BACKOFF_FIRST 10   /* ticks before the second quick restart */
#define BACKOFF_MAX   1000 /* 10 s */
#define SETTLED       500  /* a server up this long is healthy again */

static struct {
    char *name;
    int pid;
    int started; /* uptime() at its last start */
    int backoff; /* ticks to wait before the next restart */
} servers[MAX_SERVERS];
static int nservers;

/* Is pid still running (not exited)? */
static int running(int pid)
{
    struct procinfo info;
    for (int i = 0; procinfo(i, &info) == 0; i++)
        if (info.pid == pid) return info.state != PS_ZOMBIE;
    return 0;
}

/* Start a server with device rights and wait until it has registered its
 * endpoint (under its own name) or exited, so that what it prints at start-up
 * comes before the shell's first prompt. A server that does neither within
 * 10 s is left to itself. */
static char *server_arg; /* faildisk=N from the boot arguments, for the disk server */

static int start_server(char *name)
{
    char *argv[] = {name, server_arg, 0};
    int pid = (int)spawn(name, argv);
    if (pid < 0) {
        printf("init: cannot start %s (%d)\n", name, pid);
        return pid;
    }
    int until = uptime() + 10 * TICK_HZ;
    while (running(pid) && uptime() < until) {
        int h = ep_lookup(name);
        if (h >= 0) {
            ep_close(h);
            break;
        }
        sleep(1);
    }
    return pid;
}

static void add_server(char *name)
{
    if (nservers == MAX_SERVERS) return;
    servers[nservers].name = name;
    servers[nservers].started = uptime();
    servers[nservers].pid = start_server(name);
    nservers++;
}

/* A server that stopped is started again, after a pause that doubles each
 * time it stops soon after a start (so a server that cannot start, e.g. its
 * endpoint cannot be created yet, does not keep the machine busy). */
static void server_exited(int pid, int status)
{
    for (int i = 0; i < nservers; i++) {
        if (servers[i].pid != pid) continue;
        servers[i].pid = -1;
        if (status == 0) return;
        if (uptime() - servers[i].started >= SETTLED) servers[i].backoff = 0;
        printf("init: %s (pid %d) stopped with status %d, restarting it\n", servers[i].name, pid,
               status);
        if (servers[i].backoff) sleep(servers[i].backoff);
        servers[i].backoff = servers[i].backoff ? servers[i].backoff * 2 : BACKOFF_FIRST;
        if (servers[i].backoff > BACKOFF_MAX) servers[i].backoff = BACKOFF_MAX;
        servers[i].started = uptime();
        servers[i].pid = start_server(servers[i].name);
        for (int tries = 0; servers[i].pid < 0 && tries < 10; tries++) { /* e.g. no slot */
            sleep(BACKOFF_MAX / 10);
            servers[i].pid = start_server(servers[i].name);
        }
    }
}

int main(int argc, char **argv)
{
    int fs = 1;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "faildisk=", 9) == 0) server_arg = argv[i];
        if (strcmp(argv[i], "nofs") == 0) fs = 0;
    }
    add_server("disk");
    if (fs) add_server("fs"); /* after disk: it mounts from it */
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "spawn=", 6) == 0) add_server(argv[i] + 6);
    for (;;) {
        printf("init: starting sh\n");
        int pid = fork();
        if (pid < 0) {
            printf("init: fork failed\n");
            sleep(100);
            continue;
        }
        if (pid == 0) {
            char *sh_argv[] = {"sh", 0};
            exec("/bin/sh", sh_argv);
            printf("init: cannot exec sh\n");
            exit(1);
        }
        /* Reap until the shell itself is gone. */
        int w, status;
        while ((w = wait(&status)) >= 0 && w != pid) server_exited(w, status);
    }
}
