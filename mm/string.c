/* The few string and memory routines the kernel needs (the compiler may also
 * emit calls to memset/memcpy). */
#include "mm/mm.h"

void *memset(void *dst, int c, uint64 n)
{
    uint8 *d = dst;
    uint64 v = (uint8)c * 0x0101010101010101UL, *w = dst, *end = (uint64 *)(d + n);
    if ((((uint64)d | n) & (PGSIZE - 1)) == 0) { /* whole pages: 512 stores a loop turn */
        for (; w < end; w += 512)
#pragma clang loop unroll(full)
            for (int i = 0; i < 512; i++) w[i] = v;
    } else if ((((uint64)d | n) & 7) == 0) { /* a struct, a frame: a word a turn */
        for (; w < end; w++) *w = v;
    } else {
        for (uint64 i = 0; i < n; i++) d[i] = (uint8)c;
    }
    return dst;
}

void *memmove(void *dst, const void *src, uint64 n)
{
    uint8 *d = dst;
    const uint8 *s = src;
    if (d < s || d >= s + n) {
        if ((((uint64)d | (uint64)s | n) & 63) == 0) {
            /* whole pages, mostly (a copy-on-write fault): a page per loop turn */
            uint64 *w = (uint64 *)d, *end = (uint64 *)(d + n);
            const uint64 *from = (const uint64 *)s;
            for (; end - w >= 512; w += 512, from += 512)
#pragma clang loop unroll(full)
                for (int i = 0; i < 512; i++) w[i] = from[i];
            for (; w < end; w += 8, from += 8)
#pragma clang loop unroll(full)
                for (int i = 0; i < 8; i++) w[i] = from[i];
            return dst;
        }
        if ((((uint64)d | (uint64)s | n) & 7) == 0) {
            for (uint64 i = 0; i < n / 8; i++) ((uint64 *)d)[i] = ((const uint64 *)s)[i];
            return dst;
        }
        for (uint64 i = 0; i < n; i++) d[i] = s[i];
    } else {
        while (n-- > 0) d[n] = s[n];
    }
    return dst;
}

void *memcpy(void *dst, const void *src, uint64 n)
{
    return memmove(dst, src, n);
}

int memcmp(const void *a, const void *b, uint64 n)
{
    const uint8 *x = a, *y = b;
    for (uint64 i = 0; i < n; i++)
        if (x[i] != y[i]) return x[i] - y[i];
    return 0;
}

uint64 strlen(const char *s)
{
    uint64 n = 0;
    while (s[n]) n++;
    return n;
}

int strncmp(const char *a, const char *b, uint64 n)
{
    for (uint64 i = 0; i < n; i++) {
        if (a[i] != b[i]) return (uint8)a[i] - (uint8)b[i];
        if (!a[i]) return 0;
    }
    return 0;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, ~0UL);
}

void strlcpy(char *dst, const char *src, uint64 size)
{
    uint64 i = 0;
    for (; i + 1 < size && src[i]; i++) dst[i] = src[i];
    if (size) dst[i] = 0;
}
