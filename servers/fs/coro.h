/* Coroutines for the fs server: a saved set of callee-saved registers and a
 * stack. coro_switch is the one piece of assembly (coro.S); everything that
 * decides who runs is C (worker.c). */
#ifndef FS_CORO_H
#define FS_CORO_H

struct coro {
    unsigned long ra, sp, s[12];
};

void coro_switch(struct coro *from, struct coro *to);
void coro_start(void);

/* Make c start fn(arg) on [stack, stack + size) at its first switch. fn must
 * never return. */
static inline void coro_init(struct coro *c, void (*fn)(void *), void *arg, void *stack,
                             unsigned long size)
{
    c->ra = (unsigned long)coro_start;
    c->sp = ((unsigned long)stack + size) & ~15UL;
    c->s[0] = (unsigned long)fn;
    c->s[1] = (unsigned long)arg;
}

#endif
