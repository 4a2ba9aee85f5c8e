/* The kernel's self-check (docs/security.md), a system call the test suites
 * make at their end, and fault injection for the processes that ask for it.
 *
 * Self-check: every frame a user table maps has exactly as many references
 * as mappings, the free list matches its count, no process's tables reach
 * into the kernel half but through the kernel's own shared entries, and
 * every process is in a state it can be in, with parent and child links
 * that agree. It reads
 * other processes' tables, so it is exact only when they are idle, as at
 * the end of a suite. */
#include "proc/proc.h"
#include "drivers/kprintf.h"
#include "drivers/console.h"

static void count_frame(uint32 **maps, long f)
{
    if (f >= 0) maps[f / COUNTS_PER_PAGE][f % COUNTS_PER_PAGE]++;
}

static void count_leaf(void *arg, uint64 va, pte_t *pte, int level)
{
    (void)va;
    if (*pte & PTE_DEV) return;
    if (level == 1 && kalloc_is_unit(PTE2PA(*pte))) { /* one count for the block */
        count_frame(arg, kalloc_frame(PTE2PA(*pte)));
        return;
    }
    for (uint64 i = 0; i < PT_LEVEL_SIZE(level) / PGSIZE; i++)
        count_frame(arg, kalloc_frame(PTE2PA(*pte) + i * PGSIZE));
}

static void counts_free(uint32 **maps, uint64 npages)
{
    for (uint64 i = 0; i < npages; i++) kfree(maps[i]);
    kfree(maps);
}

/* The counts' pages (mm.h: COUNTS_PER_PAGE), zeroed, and the page that lists
 * them, or NULL. Pages, not a 2 MiB block: after a suite has run memory out,
 * a whole free block is rare. */
static uint32 **counts_alloc(uint64 npages)
{
    uint32 **maps = npages <= PGSIZE / sizeof(uint32 *) ? kalloc() : NULL;
    for (uint64 i = 0; maps && i < npages; i++) {
        if ((maps[i] = kalloc())) continue;
        counts_free(maps, i);
        return NULL;
    }
    return maps;
}

/* Nothing of a process's may reach the kernel half: its user table has no
 * entry there, and its kernel table's shared entries are the kernel's own. */
static long check_tables(struct proc *p)
{
    long bad = 0;
    for (int i = PT_ENTRIES / 2; i < PT_ENTRIES; i++) {
        bad += p->vm.upt != p->vm.kpt && p->vm.upt[i] != 0; /* PAGODA_KPT=shared: one table */
        bad += p->vm.kpt && i < PT_ENTRIES - 1 && p->vm.kpt[i] != kernel_pagetable[i];
    }
    if (bad)
        kprintf("selfcheck: process %d (%s): %ld kernel-half entries wrong\n", p->pid, p->name,
                bad);
    return bad;
}

/* Problems with p's state and family links, printed. */
static long check_proc(struct proc *p)
{
    long bad = 0;
    if (p->state > ZOMBIE || (p->state == UNUSED) != (p->pid == 0)) bad++;
    if (p->state == UNUSED || p->state == EMBRYO) return bad;
    if (p != initproc && (!p->parent || p->parent->state == UNUSED || p->parent->state == EMBRYO))
        bad++;
    for (struct list *l = p->children.next; l != &p->children; l = l->next)
        if (list_entry(l, struct proc, sibling)->parent != p) bad++;
    if (bad)
        kprintf("selfcheck: process %d (%s) in state %d is broken\n", p->pid, p->name, p->state);
    return bad;
}

long kernel_selfcheck(void)
{
    uint64 npages = (kalloc_nframes() + COUNTS_PER_PAGE - 1) / COUNTS_PER_PAGE;
    uint32 **maps = counts_alloc(npages); /* a count per frame */
    if (!maps) return -ENOMEM;
    long bad = 0;
    spin_lock(&sched_lock);
    while (procs_freeing) { /* an exit drops references before its tables go */
        spin_unlock(&sched_lock);
        yield();
        spin_lock(&sched_lock);
    }
    for (int i = 0; i < NPROC; i++) {
        struct proc *p = proc_slot(i);
        bad += check_proc(p);
        if (p->state != UNUSED && p->state != EMBRYO && p->vm.upt) {
            pt_for_each_leaf(p->vm.upt, 0, MAXVA, count_leaf, maps);
            bad += check_tables(p);
        }
    }
    spin_unlock(&sched_lock);
    bad += kalloc_check(maps);
    counts_free(maps, npages);
    return bad;
}

/* ---------------------------------------------------------- fault injection */

static uint64 fail_every; /* boot option failpages=N: every Nth allocation fails */

static int injectable(void)
{
    struct proc *p = myproc();
    return p && p->ipc.inject;
}

void fault_inject_init(const char *bootargs)
{
    for (const char *s = bootargs; *s; s++) {
        if (strncmp(s, "failpages=", 10) != 0 || (s != bootargs && s[-1] != ' ')) continue;
        uint64 n = 0;
        for (s += 10; *s >= '0' && *s <= '9'; s++) n = n * 10 + (uint64)(*s - '0');
        fail_every = n;
        break;
    }
    if (fail_every)
        kprintf("pagoda: fault injection: 1 in %lu page allocations fails\n", fail_every);
    kalloc_fail_set(fail_every, injectable);
}

long fault_inject_enable(struct proc *p, int on)
{
    if (!fail_every) return -ENOSYS;
    p->ipc.inject = on != 0;
    return (long)fail_every;
}
