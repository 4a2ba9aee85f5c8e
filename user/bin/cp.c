/* cp from to: copy a file; when to is a directory, the copy goes into it
 * under from's name. */
#include "user.h"
#include "stat.h"
#include "fcntl.h"

static char buf[4096];

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(2, "usage: cp from to\n");
        exit(2);
    }
    char path[256];
    const char *to = path_into_dir(argv[1], argv[2], path, sizeof path);
    struct stat st;
    int in = open(argv[1], O_RDONLY);
    if (in < 0) {
        perror_path("cp", argv[1]);
        exit(1);
    }
    if (fstat(in, &st) == 0 && st.type == T_DIR) {
        fprintf(2, "cp: %s: is a directory\n", argv[1]);
        exit(1);
    }
    int out = open(to, O_WRONLY | O_CREATE | O_TRUNC);
    if (out < 0) {
        perror_path("cp", to);
        exit(1);
    }
    int n;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, n) != n) {
            perror_path("cp", to);
            exit(1);
        }
    }
    if (n < 0) {
        perror_path("cp", argv[1]);
        exit(1);
    }
    close(in);
    if (close(out) < 0) {
        perror_path("cp", to);
        exit(1);
    }
    exit(0);
}
