/* malloc/free: first fit over a free list kept in address order, so that free
 * can merge a block with the free blocks that touch it. Memory comes from
 * sbrk in chunks of at least 64 KiB and is never given back.
 * malloc(0) returns a unique pointer (a block with room for 16 bytes) that
 * must be freed like any other. */
#include "user.h"
#include "syscall.h"

#define ALIGN     16
#define MIN_CHUNK (64 * 1024)

/* Every block starts with this header; the payload follows, 16-byte aligned. */
struct block {
    unsigned long size; /* whole block in bytes, header included, a multiple of ALIGN */
    struct block *next; /* free: next free block by address; in use: IN_USE */
};
_Static_assert(sizeof(struct block) == ALIGN, "the header keeps the payload aligned");

#define MIN_BLOCK (sizeof(struct block) + ALIGN)
/* Marks a block handed out by malloc, so that free can reject stray pointers. */
#define IN_USE ((struct block *)0xa110ca7edb10c000UL)

static struct block *free_list; /* address order, null-terminated */

static char *end_of(struct block *b)
{
    return (char *)b + b->size;
}

/* Put b on the free list, merged with its neighbours when they touch it. */
static void release(struct block *b)
{
    struct block *prev = 0, *next = free_list;
    while (next != 0 && next < b) {
        prev = next;
        next = next->next;
    }
    if (next != 0 && end_of(b) == (char *)next) {
        b->size += next->size;
        b->next = next->next;
    } else {
        b->next = next;
    }
    if (prev == 0) {
        free_list = b;
    } else if (end_of(prev) == (char *)b) {
        prev->size += b->size;
        prev->next = b->next;
    } else {
        prev->next = b;
    }
}

/* Get at least need more bytes from the kernel onto the free list. */
static int grow(unsigned long need)
{
    unsigned long size = need < MIN_CHUNK ? MIN_CHUNK : need;
    long brk = sys_sbrk(0);
    if (brk < 0) return -1;
    /* The break need not be aligned (end of .bss, or someone else's sbrk). */
    unsigned long pad = (unsigned long)-brk & (ALIGN - 1);
    long old = sys_sbrk((long)(pad + size));
    if (old < 0) return -1;
    struct block *b = (struct block *)(old + pad);
    b->size = size;
    release(b); /* merges with a free block that ends at the old break */
    return 0;
}

void *malloc(uint nbytes)
{
    unsigned long need =
        ((unsigned long)nbytes + sizeof(struct block) + ALIGN - 1) & ~(ALIGN - 1UL);
    if (need < MIN_BLOCK) need = MIN_BLOCK;
    for (;;) {
        struct block **link = &free_list;
        for (struct block *b = free_list; b != 0; link = &b->next, b = b->next) {
            if (b->size < need) continue;
            if (b->size - need >= MIN_BLOCK) { /* split: the tail stays free */
                struct block *rest = (struct block *)((char *)b + need);
                rest->size = b->size - need;
                rest->next = b->next;
                b->size = need;
                *link = rest;
            } else {
                *link = b->next;
            }
            b->next = IN_USE;
            return b + 1;
        }
        if (grow(need) < 0) return 0;
    }
}

void free(void *p)
{
    if (p == 0) return;
    struct block *b = (struct block *)p - 1;
    if (((unsigned long)p & (ALIGN - 1)) != 0 || b->next != IN_USE) {
        fprintf(2, "free: %p was not returned by malloc, or is already free\n", p);
        return;
    }
    release(b);
}
