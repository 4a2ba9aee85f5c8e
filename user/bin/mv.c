/* mv from to: rename a file or directory; when to is a directory, from moves
 * into it under its own name. */
#include "user.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(2, "usage: mv from to\n");
        exit(2);
    }
    char path[256];
    const char *to = path_into_dir(argv[1], argv[2], path, sizeof path);
    if (rename(argv[1], to) < 0) {
        perror_path("mv", argv[1]);
        exit(1);
    }
    exit(0);
}
