/* stat: the kernel's event counters since boot (docs/experiments.md).
 *
 *   stat          every counter: name, value, what it counts
 *   stat CMD...   run CMD (a program with its arguments), then print how much
 *                 each counter moved while it ran (those that did)
 *
 * Not the Unix file-status utility: Pagoda has no such program (ls shows a
 * file's size). The numbers count the whole machine, every hart. */
#include "user.h"
#include "kstat.h"

static void print(const struct kstat *k, int only_moved)
{
    for (int i = 0; i < KSTAT_N; i++) {
        if (only_moved && k->n[i] == 0) continue;
        printf("%-14s %12lu  %s\n", kstat_name[i], k->n[i], kstat_what[i]);
    }
}

int main(int argc, char **argv)
{
    struct kstat before, after, d;
    if (kstat_read(&before) < 0) {
        fprintf(2, "stat: the kernel has no counters (errno %d)\n", errno);
        exit(1);
    }
    if (argc == 1) {
        print(&before, 0);
        exit(0);
    }
    if (argv[1][0] == '-') {
        fprintf(2, "usage: stat [COMMAND [ARGS...]]\n");
        exit(2);
    }
    int pid = fork();
    if (pid < 0) {
        fprintf(2, "stat: fork failed\n");
        exit(1);
    }
    if (pid == 0) {
        exec(argv[1], argv + 1);
        fprintf(2, "stat: cannot run %s\n", argv[1]);
        exit(127);
    }
    int status = 0;
    wait(&status);
    kstat_read(&after);
    kstat_diff(&d, &after, &before);
    printf("stat: %s exited with status %d; counters moved (with stat's own fork and wait):\n",
           argv[1], status);
    print(&d, 1);
    exit(status);
}
