/* grep PATTERN [file...]: print the lines that match PATTERN, a small regular
 * expression: c matches itself, '.' any character, 'x*' any run of x
 * (including none), '^' at the start anchors to the line's start and '$' at
 * the end to its end. With several files each line is prefixed "file:".
 * Status 0 if a line matched, 1 if none did, 2 on an error. */
#include "user.h"
#include "fcntl.h"

#define LINE_MAX 1024

static int match_here(const char *re, const char *s);

/* x* at the start of re (re points at x): try every run length, shortest first. */
static int match_star(char x, const char *re, const char *s)
{
    for (;;) {
        if (match_here(re, s)) return 1;
        if (*s == 0 || (x != '.' && *s != x)) return 0;
        s++;
    }
}

static int match_here(const char *re, const char *s)
{
    if (re[0] == 0) return 1;
    if (re[1] == '*') return match_star(re[0], re + 2, s);
    if (re[0] == '$' && re[1] == 0) return *s == 0;
    if (*s != 0 && (re[0] == '.' || re[0] == *s)) return match_here(re + 1, s + 1);
    return 0;
}

static int match(const char *re, const char *s)
{
    if (re[0] == '^') return match_here(re + 1, s);
    do {
        if (match_here(re, s)) return 1;
    } while (*s++);
    return 0;
}

static char buf[LINE_MAX + 1];

/* Test one line; print it if it matches. */
static int check(const char *re, const char *line, const char *prefix)
{
    if (!match(re, line)) return 0;
    if (prefix)
        printf("%s:%s\n", prefix, line);
    else
        printf("%s\n", line);
    return 1;
}

/* Print fd's matching lines; 1 if any matched, 0 if none, -1 on a read
 * error. A line longer than LINE_MAX is matched in pieces. */
static int grep(const char *re, int fd, const char *prefix)
{
    int len = 0, found = 0;
    for (;;) {
        int n = read(fd, buf + len, LINE_MAX - len);
        if (n < 0) return -1;
        len += n;
        int start = 0;
        for (int i = 0; i < len; i++) {
            if (buf[i] != '\n') continue;
            buf[i] = 0;
            found |= check(re, buf + start, prefix);
            start = i + 1;
        }
        memmove(buf, buf + start, len - start);
        len -= start;
        if ((n == 0 || len == LINE_MAX) && len > 0) { /* last line without '\n', or too long */
            buf[len] = 0;
            found |= check(re, buf, prefix);
            len = 0;
        }
        if (n == 0) return found;
    }
}

int main(int argc, char **argv)
{
    if (argc < 2 || (argv[1][0] == '-' && argv[1][1] != 0)) { /* no options */
        fprintf(2, "usage: grep pattern [file...]\n");
        exit(2);
    }
    const char *re = argv[1];
    if (argc == 2) {
        int r = grep(re, 0, 0);
        if (r < 0) perror("grep: stdin");
        exit(r < 0 ? 2 : r ? 0 : 1);
    }
    int any = 0, error = 0;
    for (int i = 2; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        int r = fd < 0 ? -1 : grep(re, fd, argc > 3 ? argv[i] : 0);
        if (r < 0) {
            perror_path("grep", argv[i]);
            error = 1;
        }
        if (r > 0) any = 1;
        if (fd >= 0) close(fd);
    }
    exit(error ? 2 : any ? 0 : 1);
}
