/* wc [file...]: count lines, words and bytes of the files (or standard
 * input); "LINES WORDS BYTES NAME", and a total line for several files. */
#include "user.h"
#include "fcntl.h"

static char buf[4096];

struct counts {
    long lines, words, bytes;
};

static int count(int fd, struct counts *c)
{
    int n, in_word = 0;
    *c = (struct counts){0, 0, 0};
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        c->bytes += n;
        for (int i = 0; i < n; i++) {
            char ch = buf[i];
            if (ch == '\n') c->lines++;
            int blank =
                ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
            if (!blank && !in_word) c->words++;
            in_word = !blank;
        }
    }
    return n;
}

static void show(const struct counts *c, const char *name)
{
    printf("%ld %ld %ld%s%s\n", c->lines, c->words, c->bytes, name ? " " : "", name ? name : "");
}

int main(int argc, char **argv)
{
    struct counts c, total = {0, 0, 0};
    if (argc > 1 && argv[1][0] == '-') {
        fprintf(2, "usage: wc [file...]\n");
        exit(2);
    }
    if (argc < 2) {
        if (count(0, &c) < 0) {
            perror("wc: stdin");
            exit(1);
        }
        show(&c, 0);
        exit(0);
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0 || count(fd, &c) < 0) {
            perror_path("wc", argv[i]);
            status = 1;
        } else {
            show(&c, argv[i]);
            total.lines += c.lines;
            total.words += c.words;
            total.bytes += c.bytes;
        }
        if (fd >= 0) close(fd);
    }
    if (argc > 2) show(&total, "total");
    exit(status);
}
