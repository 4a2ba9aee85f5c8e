/* ps: list processes (pid, parent, state, memory, name). */
#include "user.h"

static const char *state_name(int s)
{
    switch (s) {
    case PS_RUNNABLE:
        return "runnable";
    case PS_RUNNING:
        return "running";
    case PS_SLEEPING:
        return "sleeping";
    case PS_ZOMBIE:
        return "zombie";
    default:
        return "?";
    }
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fprintf(2, "usage: ps\n");
        exit(2);
    }
    struct procinfo info;
    printf("  PID  PPID STATE       MEM(KiB) NAME\n");
    for (int i = 0; procinfo(i, &info) == 0; i++)
        printf("%5d %5d %-10s %9d %s\n", info.pid, info.ppid, state_name(info.state),
               (int)(info.size / 1024), info.name);
    exit(0);
}
