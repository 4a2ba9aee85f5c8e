/* init: the first process, and the only one the kernel starts. It starts the
 * servers from the boot image with device rights (spawn), then the shell on
 * the console. It restarts a server that dies and the shell when it exits,
 * and reaps every orphan handed to it.
 *
 * Its arguments are the kernel's boot arguments: `spawn=NAME` starts one more
 * boot-image program with device rights (tests use it, e.g. evtest). */
#include "user.h"
#include "ipc.h"

#define MAX_SERVERS 8

static struct {
    char *name;
    int pid;
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
static int start_server(char *name)
{
    char *argv[] = {name, 0};
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
    servers[nservers].pid = start_server(name);
    nservers++;
}

/* A server that was killed (a fault, or kill: status -1) is started again;
 * one that chose to stop (e.g. the disk server without a disk) is not. */
static void server_exited(int pid, int status)
{
    for (int i = 0; i < nservers; i++) {
        if (servers[i].pid != pid) continue;
        servers[i].pid = -1;
        if (status >= 0) return;
        printf("init: %s (pid %d) died with status %d, restarting it\n", servers[i].name, pid,
               status);
        servers[i].pid = start_server(servers[i].name);
    }
}

int main(int argc, char **argv)
{
    add_server("disk");
    add_server("fs"); /* after disk: it mounts from it */
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
