/* printf and friends. One formatter writes into a "sink": either a caller's
 * string (snprintf) or an fd's output buffer (printf, fprintf).
 * Supports %d %i %u %x %X %o %p %s %c %%, the flags '-' and '0', a width
 * (digits or '*'), a precision ('.' digits or '*'), and the length
 * modifiers hh h l ll z. */
#include <stdarg.h>
#include "user.h"
#include "fd.h"

#define OUTBUF_SIZE 256

/* Output waiting to be written to fd 1 or fd 2 (zeroed, so it costs no file space). */
struct outbuf {
    int len;
    char data[OUTBUF_SIZE];
};

static struct outbuf stdout_buf;
static struct outbuf stderr_buf;

/* Where formatted characters go. */
struct sink {
    char *buf;
    int cap;
    int len;
    int fd;      /* write out to fd when full; -1: a string, drop the excess */
    int total;   /* characters produced, including dropped ones */
    int newline; /* a '\n' was produced */
};

/* How one conversion is to be laid out. */
struct spec {
    int left;  /* '-': pad on the right */
    int zero;  /* '0': pad numbers with zeros */
    int width; /* minimum field width */
    int prec;  /* -1 if none */
};

static void put(struct sink *s, char c)
{
    s->total++;
    if (c == '\n') s->newline = 1;
    if (s->len == s->cap) {
        if (s->fd < 0) return;
        fd_write(s->fd, s->buf, s->len);
        s->len = 0;
    }
    s->buf[s->len++] = c;
}

static void put_n(struct sink *s, char c, int n)
{
    for (int i = 0; i < n; i++) put(s, c);
}

static void put_str(struct sink *s, const char *str, int n)
{
    for (int i = 0; i < n; i++) put(s, str[i]);
}

/* Lay out prefix (sign or "0x"), leading zeros, then body, inside the width. */
static void put_field(struct sink *s, const struct spec *sp, const char *prefix, const char *body,
                      int body_len, int is_number)
{
    int prefix_len = (int)strlen(prefix);
    int zeros = 0;
    if (is_number && sp->prec > body_len) zeros = sp->prec - body_len;
    if (is_number && sp->zero && !sp->left && sp->prec < 0) {
        int fill = sp->width - prefix_len - body_len;
        if (fill > zeros) zeros = fill;
    }
    int pad = sp->width - prefix_len - zeros - body_len;
    if (!sp->left) put_n(s, ' ', pad);
    put_str(s, prefix, prefix_len);
    put_n(s, '0', zeros);
    put_str(s, body, body_len);
    if (sp->left) put_n(s, ' ', pad);
}

/* Digits of v in base, written backwards from end; returns where they start.
 * Works on the unsigned magnitude, so INT64_MIN needs no special case. */
static char *digits(unsigned long long v, int base, int upper, char *end)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    do {
        *--p = set[v % (unsigned)base];
        v /= (unsigned)base;
    } while (v != 0);
    return p;
}

static void put_number(struct sink *s, const struct spec *sp, const char *prefix,
                       unsigned long long v, int base, int upper)
{
    char tmp[24]; /* 22 octal digits hold 64 bits */
    char *end = tmp + sizeof tmp;
    char *start = digits(v, base, upper, end);
    int len = (int)(end - start);
    if (v == 0 && sp->prec == 0) len = 0; /* "%.0d" of 0 prints nothing */
    put_field(s, sp, prefix, end - len, len, 1);
}

/* Length modifiers, as the size of the argument they announce. */
enum { LEN_CHAR = -2, LEN_SHORT = -1, LEN_INT = 0, LEN_LONG = 1, LEN_LLONG = 2 };

static long long signed_arg(va_list *ap, int len)
{
    switch (len) {
    case LEN_CHAR:
        return (signed char)va_arg(*ap, int);
    case LEN_SHORT:
        return (short)va_arg(*ap, int);
    case LEN_INT:
        return va_arg(*ap, int);
    case LEN_LONG:
        return va_arg(*ap, long);
    default:
        return va_arg(*ap, long long);
    }
}

static unsigned long long unsigned_arg(va_list *ap, int len)
{
    switch (len) {
    case LEN_CHAR:
        return (unsigned char)va_arg(*ap, unsigned);
    case LEN_SHORT:
        return (unsigned short)va_arg(*ap, unsigned);
    case LEN_INT:
        return va_arg(*ap, unsigned);
    case LEN_LONG:
        return va_arg(*ap, unsigned long);
    default:
        return va_arg(*ap, unsigned long long);
    }
}

/* Read a run of decimal digits, or '*' taking the value from the arguments. */
static int parse_count(const char **fmt, va_list *ap)
{
    if (**fmt == '*') {
        (*fmt)++;
        return va_arg(*ap, int);
    }
    int n = 0;
    while (**fmt >= '0' && **fmt <= '9') n = n * 10 + (*(*fmt)++ - '0');
    return n;
}

/* Read a length modifier, if any: hh h l ll z. */
static int parse_length(const char **fmt)
{
    const char *f = *fmt;
    if (f[0] == 'h' && f[1] == 'h') {
        *fmt += 2;
        return LEN_CHAR;
    }
    if (f[0] == 'l' && f[1] == 'l') {
        *fmt += 2;
        return LEN_LLONG;
    }
    if (f[0] == 'h') {
        *fmt += 1;
        return LEN_SHORT;
    }
    if (f[0] == 'l' || f[0] == 'z') {
        *fmt += 1;
        return LEN_LONG;
    }
    return LEN_INT;
}

static void format(struct sink *s, const char *fmt, va_list args)
{
    va_list ap;
    va_copy(ap, args); /* a copy we may pass by address, whatever va_list is */
    while (*fmt) {
        if (*fmt != '%') {
            put(s, *fmt++);
            continue;
        }
        const char *start = fmt++;
        struct spec sp = {0, 0, 0, -1};
        for (;; fmt++) {
            if (*fmt == '-')
                sp.left = 1;
            else if (*fmt == '0')
                sp.zero = 1;
            else
                break;
        }
        sp.width = parse_count(&fmt, &ap);
        if (sp.width < 0) { /* a negative '*' width means left-justify */
            sp.left = 1;
            sp.width = -sp.width;
        }
        if (*fmt == '.') {
            fmt++;
            sp.prec = parse_count(&fmt, &ap);
            if (sp.prec < 0) sp.prec = -1;
        }
        int len = parse_length(&fmt);

        char c = *fmt;
        if (c == 0) { /* format ends inside a conversion: print it as is */
            put_str(s, start, (int)(fmt - start));
            break;
        }
        fmt++;
        switch (c) {
        case 'd':
        case 'i': {
            long long v = signed_arg(&ap, len);
            unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
            put_number(s, &sp, v < 0 ? "-" : "", mag, 10, 0);
            break;
        }
        case 'u':
            put_number(s, &sp, "", unsigned_arg(&ap, len), 10, 0);
            break;
        case 'x':
            put_number(s, &sp, "", unsigned_arg(&ap, len), 16, 0);
            break;
        case 'X':
            put_number(s, &sp, "", unsigned_arg(&ap, len), 16, 1);
            break;
        case 'o':
            put_number(s, &sp, "", unsigned_arg(&ap, len), 8, 0);
            break;
        case 'p': { /* like xv6: 0x and all 16 digits */
            unsigned long v = (unsigned long)va_arg(ap, void *);
            if (sp.prec < 0) sp.prec = 2 * (int)sizeof(void *);
            put_number(s, &sp, "0x", v, 16, 0);
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (str == 0) str = "(null)";
            /* With a precision, str need not end in 0: look no further. */
            int n = 0;
            while ((sp.prec < 0 || n < sp.prec) && str[n]) n++;
            put_field(s, &sp, "", str, n, 0);
            break;
        }
        case 'c': {
            char ch = (char)va_arg(ap, int);
            put_field(s, &sp, "", &ch, 1, 0);
            break;
        }
        case '%':
            put(s, '%');
            break;
        default: /* unknown: print it untouched, as xv6 does */
            put_str(s, start, (int)(fmt - start));
            break;
        }
    }
    va_end(ap);
}

int vsnprintf(char *buf, int size, const char *fmt, va_list ap)
{
    struct sink s = {buf, size > 0 ? size - 1 : 0, 0, -1, 0, 0};
    format(&s, fmt, ap);
    if (size > 0) buf[s.len] = 0;
    return s.total;
}

int snprintf(char *buf, int size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void flush_buf(int fd, struct outbuf *b)
{
    /* No store when there is nothing to flush: after a fork the buffer's
     * page is copy-on-write, and fork, wait and exit all flush. */
    if (b->len == 0) return;
    fd_write(fd, b->data, b->len);
    b->len = 0;
}

void printf_flush(void)
{
    flush_buf(1, &stdout_buf);
    flush_buf(2, &stderr_buf);
}

void vfprintf(int fd, const char *fmt, va_list ap)
{
    struct outbuf *b = fd == 1 ? &stdout_buf : fd == 2 ? &stderr_buf : 0;
    if (b == 0) { /* other fds: unbuffered, but one write per call */
        char local[OUTBUF_SIZE];
        struct sink s = {local, sizeof local, 0, fd, 0, 0};
        format(&s, fmt, ap);
        if (s.len > 0) fd_write(fd, local, s.len);
        return;
    }
    /* Both usually reach the console: keep them in the order printed. */
    if (fd == 1)
        flush_buf(2, &stderr_buf);
    else
        flush_buf(1, &stdout_buf);
    struct sink s = {b->data, OUTBUF_SIZE, b->len, fd, 0, 0};
    format(&s, fmt, ap);
    b->len = s.len;
    if (s.newline) flush_buf(fd, b); /* line-buffered: one write per line or call */
}

void vprintf(const char *fmt, va_list ap)
{
    vfprintf(1, fmt, ap);
}

void fprintf(int fd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(fd, fmt, ap);
    va_end(ap);
}

void printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(1, fmt, ap);
    va_end(ap);
}
