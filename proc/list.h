/* Intrusive doubly-linked lists: run queue, wait queues, children. */
#ifndef PAGODA_LIST_H
#define PAGODA_LIST_H

struct list {
    struct list *prev, *next;
};

#define LIST_INIT(name)                                                                            \
    {                                                                                              \
        &(name), &(name)                                                                           \
    }
#define list_entry(ptr, type, member) ((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

static inline void list_init(struct list *l)
{
    l->prev = l->next = l;
}
static inline int list_empty(const struct list *l)
{
    return l->next == l;
}
static inline void list_add_tail(struct list *head, struct list *n)
{
    n->prev = head->prev;
    n->next = head;
    head->prev->next = n;
    head->prev = n;
}
static inline __attribute__((always_inline)) void list_del(struct list *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->prev = n->next = n;
}
static inline struct list *list_pop(struct list *head)
{
    if (list_empty(head)) return 0;
    struct list *n = head->next;
    list_del(n);
    return n;
}

#endif
