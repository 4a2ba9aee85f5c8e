/* sync: make everything written so far durable on the disk. */
#include "user.h"

int main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fprintf(2, "usage: sync\n");
        exit(2);
    }
    if (sync() < 0) {
        perror("sync");
        exit(1);
    }
    exit(0);
}
