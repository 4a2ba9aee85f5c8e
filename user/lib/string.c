/* String and memory functions. memcpy, memmove and memset move a word at a
 * time when they can: the fs and pipe paths copy whole pages through them.
 * The compiler may emit calls to memcpy/memset itself, so the names are the C
 * ones; the build must use -ffreestanding so that these loops are not turned
 * back into calls to themselves. */
#include "user.h"

/* A machine word that may alias any other type. */
typedef unsigned long __attribute__((may_alias)) word;
#define WORD_SIZE sizeof(word)

/* True when both pointers sit at the same offset within a word. */
static int co_aligned(const void *a, const void *b)
{
    return (((unsigned long)a ^ (unsigned long)b) & (WORD_SIZE - 1)) == 0;
}

void *memset(void *dst, int c, uint n)
{
    unsigned char *d = dst;
    unsigned char byte = (unsigned char)c;
    while (n > 0 && ((unsigned long)d & (WORD_SIZE - 1)) != 0) {
        *d++ = byte;
        n--;
    }
    word pattern = byte * (~(word)0 / 0xff); /* the byte in every lane */
    for (; n >= WORD_SIZE; n -= WORD_SIZE, d += WORD_SIZE) *(word *)d = pattern;
    while (n-- > 0) *d++ = byte;
    return dst;
}

/* Copy from low addresses up; safe when dst is below src even if they overlap. */
static void copy_up(unsigned char *d, const unsigned char *s, unsigned long n)
{
    if (co_aligned(d, s)) {
        while (n > 0 && ((unsigned long)d & (WORD_SIZE - 1)) != 0) {
            *d++ = *s++;
            n--;
        }
        /* 32 words a turn (a 4 KiB page in about 1,070 instructions), then
         * eight: each word is loaded before it is stored, upwards, so a copy
         * down onto an overlapping source stays right */
        const word *from = (const word *)s;
        word *to = (word *)d;
        for (word *end = to + n / (32 * WORD_SIZE) * 32; to < end; to += 32, from += 32)
#pragma clang loop unroll(full)
            for (int i = 0; i < 32; i++) to[i] = from[i];
        n %= 32 * WORD_SIZE;
        for (word *end = to + n / (8 * WORD_SIZE) * 8; to < end; to += 8, from += 8) {
            word a = from[0], b = from[1], c = from[2], e = from[3];
            word f = from[4], g = from[5], h = from[6], k = from[7];
            to[0] = a, to[1] = b, to[2] = c, to[3] = e, to[4] = f, to[5] = g, to[6] = h, to[7] = k;
        }
        n %= 8 * WORD_SIZE;
        d = (unsigned char *)to, s = (const unsigned char *)from;
        for (; n >= WORD_SIZE; n -= WORD_SIZE, d += WORD_SIZE, s += WORD_SIZE)
            *(word *)d = *(const word *)s;
    }
    while (n-- > 0) *d++ = *s++;
}

/* Copy from high addresses down; safe when dst is above src. */
static void copy_down(unsigned char *d, const unsigned char *s, unsigned long n)
{
    d += n;
    s += n;
    if (co_aligned(d, s)) {
        while (n > 0 && ((unsigned long)d & (WORD_SIZE - 1)) != 0) {
            *--d = *--s;
            n--;
        }
        for (; n >= WORD_SIZE; n -= WORD_SIZE) {
            d -= WORD_SIZE;
            s -= WORD_SIZE;
            *(word *)d = *(const word *)s;
        }
    }
    while (n-- > 0) *--d = *--s;
}

void *memmove(void *dst, const void *src, int n)
{
    if (n <= 0 || dst == src) return dst;
    if ((unsigned long)dst < (unsigned long)src)
        copy_up(dst, src, (unsigned long)n);
    else
        copy_down(dst, src, (unsigned long)n);
    return dst;
}

void *memcpy(void *dst, const void *src, uint n)
{
    copy_up(dst, src, n);
    return dst;
}

int memcmp(const void *a, const void *b, uint n)
{
    const unsigned char *p = a, *q = b;
    for (; n > 0; n--, p++, q++)
        if (*p != *q) return *p - *q;
    return 0;
}

uint strlen(const char *s)
{
    uint n = 0;
    while (s[n]) n++;
    return n;
}

char *strcpy(char *dst, const char *src)
{
    char *d = dst;
    while ((*d++ = *src++) != 0) {
    }
    return dst;
}

/* C semantics: copy at most n bytes and pad the rest of dst with zeros. */
char *strncpy(char *dst, const char *src, int n)
{
    int i = 0;
    for (; i < n && src[i]; i++) dst[i] = src[i];
    for (; i < n; i++) dst[i] = 0;
    return dst;
}

char *strcat(char *dst, const char *src)
{
    strcpy(dst + strlen(dst), src);
    return dst;
}

int strcmp(const char *p, const char *q)
{
    while (*p && *p == *q) p++, q++;
    return (unsigned char)*p - (unsigned char)*q;
}

int strncmp(const char *p, const char *q, uint n)
{
    for (; n > 0; n--, p++, q++)
        if (*p != *q || *p == 0) return (unsigned char)*p - (unsigned char)*q;
    return 0;
}

/* C semantics: searching for 0 finds the terminator. */
char *strchr(const char *s, char c)
{
    for (;; s++) {
        if (*s == c) return (char *)s;
        if (*s == 0) return 0;
    }
}

char *strrchr(const char *s, char c)
{
    const char *last = 0;
    for (; *s; s++)
        if (*s == c) last = s;
    return c == 0 ? (char *)s : (char *)last;
}
