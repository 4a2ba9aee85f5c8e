/* halt [status]: power the machine off. The kernel prints the status in its
 * last line, where tools/console.py picks it up as the exit status. */
#include "user.h"

int main(int argc, char **argv)
{
    int status = argc > 1 ? atoi(argv[1]) : 0;
    halt(status);
    fprintf(2, "halt: failed (error %d)\n", errno);
    return 1;
}
