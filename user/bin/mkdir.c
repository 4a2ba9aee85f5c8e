/* mkdir dir...: create each directory. */
#include "user.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(2, "usage: mkdir path...\n");
        exit(2);
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (mkdir(argv[i]) < 0) {
            perror_path("mkdir", argv[i]);
            status = 1;
        }
    }
    exit(status);
}
