/* mv from to: rename a file or directory; when to is a directory, from moves
 * into it under its own name. */
#include "user.h"
#include "stat.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(2, "usage: mv from to\n");
        exit(2);
    }
    const char *to = argv[2];
    char path[256];
    struct stat st;
    if (stat(to, &st) == 0 && st.type == T_DIR) {
        const char *base = strrchr(argv[1], '/');
        snprintf(path, sizeof path, "%s/%s", to, base ? base + 1 : argv[1]);
        to = path;
    }
    if (rename(argv[1], to) < 0) {
        perror_path("mv", argv[1]);
        exit(1);
    }
    exit(0);
}
