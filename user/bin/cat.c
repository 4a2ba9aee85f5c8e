/* cat [file...]: copy the files (or standard input) to standard output. */
#include "user.h"
#include "fcntl.h"

static char buf[4096];

/* 0, or 1 after printing what failed. */
static int copy(int fd, const char *name)
{
    int n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        if (write(1, buf, n) != n) {
            if (errno != EPIPE) perror("cat: write"); /* EPIPE: the reader is gone, quietly */
            exit(1);
        }
    }
    if (n < 0) {
        perror_path("cat", name);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && argv[1][0] == '-' && argv[1][1] != 0) {
        fprintf(2, "usage: cat [file...]\n");
        exit(2);
    }
    if (argc < 2) exit(copy(0, "stdin"));
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            perror_path("cat", argv[i]);
            status = 1;
            continue;
        }
        status |= copy(fd, argv[i]);
        close(fd);
    }
    exit(status);
}
