/* The physical page allocator: a free list threaded through the free pages
 * themselves, with a count so tests can check that nothing leaks. */
#include "mm/mm.h"
#include "arch/riscv/cpu.h"
#include "drivers/console.h"

struct free_page {
    struct free_page *next;
};

static struct spinlock kalloc_lock = {0, "kalloc", NULL};
static struct free_page *free_list;
static uint64 nfree;
static uint64 ram_start, ram_end;

void kalloc_init(uint64 start_pa, uint64 end_pa)
{
    ram_start = PGROUNDUP(start_pa);
    ram_end = PGROUNDDOWN(end_pa);
    for (uint64 pa = ram_end; pa > ram_start;) {
        pa -= PGSIZE;
        struct free_page *p = P2V(pa);
        p->next = free_list;
        free_list = p;
        nfree++;
    }
}

void *kalloc(void)
{
    spin_lock(&kalloc_lock);
    struct free_page *p = free_list;
    if (p) {
        free_list = p->next;
        nfree--;
    }
    spin_unlock(&kalloc_lock);
    if (p) memset(p, 0, PGSIZE);
    return p;
}

void kfree(void *page)
{
    uint64 pa = V2P(page);
    if (pa % PGSIZE || pa < ram_start || pa >= ram_end) panic("kfree: bad page %p", page);
    struct free_page *p = page;
    spin_lock(&kalloc_lock);
    p->next = free_list;
    free_list = p;
    nfree++;
    spin_unlock(&kalloc_lock);
}

uint64 kalloc_free_pages(void)
{
    return nfree;
}

/* The page-table code's allocator hooks (mm/pt.h). */
void *pt_alloc_page(void)
{
    return kalloc();
}
void pt_free_page(void *page)
{
    kfree(page);
}
void *pt_pa2va(uint64 pa)
{
    return P2V(pa);
}
uint64 pt_va2pa(void *va)
{
    return V2P(va);
}
