/* sleep ticks: wait that many clock ticks (TICK_HZ a second). */
#include "user.h"

int main(int argc, char **argv)
{
    const char *s = argc == 2 ? argv[1] : "";
    while (*s >= '0' && *s <= '9') s++;
    if (argc != 2 || *s != 0 || s == argv[1]) {
        fprintf(2, "usage: sleep ticks\n");
        exit(2);
    }
    if (sleep(atoi(argv[1])) < 0) {
        perror("sleep");
        exit(1);
    }
    exit(0);
}
