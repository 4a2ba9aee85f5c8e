/* halt [status]: power the machine off. The kernel prints the status in its
 * last line, where tools/console.py picks it up as the exit status. */
#include "user.h"

int main(int argc, char **argv)
{
    const char *s = argc == 2 ? argv[1] : "0";
    if (*s == '-') s++;
    while (*s >= '0' && *s <= '9') s++;
    if (argc > 2 || *s != 0) {
        fprintf(2, "usage: halt [status]\n");
        exit(2);
    }
    int status = argc > 1 ? atoi(argv[1]) : 0;
    halt(status);
    perror("halt");
    return 1;
}
