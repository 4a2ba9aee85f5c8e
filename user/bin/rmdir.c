/* rmdir dir...: remove each directory, which must be empty. */
#include "user.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(2, "usage: rmdir path...\n");
        exit(2);
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (rmdir(argv[i]) < 0) {
            perror_path("rmdir", argv[i]);
            status = 1;
        }
    }
    exit(status);
}
