/* rm file...: remove each file (directories: rmdir). */
#include "user.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(2, "usage: rm path...\n");
        exit(2);
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (unlink(argv[i]) < 0) {
            perror_path("rm", argv[i]);
            status = 1;
        }
    }
    exit(status);
}
