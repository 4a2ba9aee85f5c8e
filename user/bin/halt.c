/* halt [status]: power the machine off; QEMU exits with status. */
#include "user.h"

int main(int argc, char **argv)
{
    int status = argc > 1 ? atoi(argv[1]) : 0;
    halt(status);
    fprintf(2, "halt: failed (error %d)\n", errno);
    return 1;
}
