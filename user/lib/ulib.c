/* The rest of xv6's ulib: small helpers built on the calls above. */
#include "user.h"
#include "stat.h"
#include "fcntl.h"

/* Read one line (at most max-1 bytes, the newline kept) and terminate it.
 * At end of input buf comes back empty. read() keeps the console's line, so
 * reading a byte at a time costs no extra system calls. */
char *gets(char *buf, int max)
{
    int i = 0;
    while (i + 1 < max) {
        char c;
        if (read(0, &c, 1) < 1) break;
        buf[i++] = c;
        if (c == '\n' || c == '\r') break;
    }
    if (max > 0) buf[i] = 0;
    return buf;
}

/* Decimal, after optional blanks and one sign; stops at the first non-digit. */
int atoi(const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    int neg = *s == '-';
    if (*s == '-' || *s == '+') s++;
    unsigned n = 0; /* unsigned: no overflow trap on "-2147483648" */
    while (*s >= '0' && *s <= '9') n = n * 10 + (unsigned)(*s++ - '0');
    return (int)(neg ? 0u - n : n);
}

int stat(const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int r = fstat(fd, st);
    close(fd);
    return r;
}

const char *path_into_dir(const char *from, const char *to, char *buf, int size)
{
    struct stat st;
    if (stat(to, &st) < 0 || st.type != T_DIR) return to;
    const char *base = strrchr(from, '/');
    snprintf(buf, size, "%s/%s", to, base ? base + 1 : from);
    return buf;
}
