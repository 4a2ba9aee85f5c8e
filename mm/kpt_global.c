/* Kernel page-table design "global": one kernel table for every process.
 *
 * The kernel always runs on kernel_pagetable. Each process's kernel stack is
 * mapped there at its own address, slot i for process-table index i
 * (KSTACK_SLOT_TOP), with unmapped guard pages below it; the trampoline is
 * mapped at TRAMPOLINE so the trap path keeps running while it switches
 * satp. The kernel table holds nothing of user memory, so copyin and copyout
 * walk the user table in software and copy through the direct map: a few
 * dozen instructions a page, but no trap on a missing page, no mirror to
 * keep in step and no table pages per process beyond the user table.
 * A slot given up is flushed on every hart (SBI remote fence) before its
 * frames are freed, or a hart could still write the old stack through a
 * stale TLB entry once the slot holds another process's stack. */
#include "mm/mm.h"
#include "pagoda/abi.h"
#include "arch/riscv/sbi.h"

extern char trampoline[];

const char kpt_design[] = "global";

void kpt_init(void)
{
    /* The tables for the stack slots exist from boot on, so mapping a stack
     * only writes leaves: no allocation, no race between harts. */
    _Static_assert(KSTACK_SLOTS * KSTACK_SLOT_SIZE == MEGAPAGE, "slots fill one level-0 table");
    if (!pt_walk(kernel_pagetable, KPROC_REGION, 0, 1) ||
        pt_map(kernel_pagetable, TRAMPOLINE, V2P(trampoline), 0, PTE_R | PTE_X | PTE_A) < 0)
        panic("kpt: no memory for the kernel table");
}

int kpt_stack_map(struct kframes *f, int slot)
{
    if (slot < 0 || slot >= KSTACK_SLOTS) return -1;
    uint64 base = KSTACK_SLOT_TOP(slot) - KSTACK_PAGES * PGSIZE;
    for (int i = 0; i < KSTACK_PAGES; i++)
        if (pt_map(kernel_pagetable, base + i * PGSIZE, f->kstack[i], 0,
                   PTE_R | PTE_W | PTE_A | PTE_D) < 0)
            return -1;
    f->kstack_top = KSTACK_SLOT_TOP(slot);
    return 0;
}

void kpt_stack_unmap(struct kframes *f, int slot)
{
    if (!f->kstack_top) return;
    uint64 base = KSTACK_SLOT_TOP(slot) - KSTACK_PAGES * PGSIZE;
    for (int i = 0; i < KSTACK_PAGES; i++) pt_unmap(kernel_pagetable, base + i * PGSIZE);
    sfence_vma();
    sbi_remote_sfence_vma(base, KSTACK_PAGES * PGSIZE); /* TLB shootdown */
    KSTAT_INC(sfence_remote);
    f->kstack_top = 0;
}

int kpt_attach(struct vm *vm, const struct kframes *f)
{
    (void)f;
    vm->kpt = kernel_pagetable;
    return 0;
}

void kpt_detach(struct vm *vm)
{
    vm->kpt = NULL; /* shared by all: nothing to free */
}

int kpt_mirror(struct vm *vm, uint64 va, pte_t upte, int level)
{
    (void)vm, (void)upte, (void)level;
    return va >= USER_TOP ? -1 : 0; /* no view of user memory to keep */
}

int kpt_split(struct vm *vm, uint64 va, pagetable_t table)
{
    (void)vm, (void)va, (void)table;
    return -1;
}

/* The kernel address of user byte va, allowed for `access` (PTE_R or PTE_W):
 * a lazy or copy-on-write page is resolved first, as a fault would. NULL
 * with *err set if the page cannot be had. */
static char *user_byte(uint64 va, enum fault_access access, int *err)
{
    struct vm *vm = vm_current();
    for (int faults = 0;; faults++) {
        int level;
        pte_t *pte = pt_lookup(vm->upt, va, &level);
        if (pte && (*pte & PTE_U) && (*pte & access))
            return (char *)P2V(PTE2PA(*pte)) + (va & (PT_LEVEL_SIZE(level) - 1));
        /* Not there or not allowed: vm_fault maps it, or says why not. */
        int r = faults < 2 ? vm_fault(vm, va, access) : -EFAULT;
        if (r < 0) {
            *err = r;
            return NULL;
        }
    }
}

/* Copy n bytes between kernel buffer kbuf and user va, a page at a time. */
static int copy_user(char *kbuf, uint64 va, uint64 n, enum fault_access access)
{
    while (n > 0) {
        int err;
        char *u = user_byte(va, access, &err);
        if (!u) return err;
        uint64 chunk = PGSIZE - va % PGSIZE;
        if (chunk > n) chunk = n;
        if (access == FAULT_WRITE)
            memcpy(u, kbuf, chunk);
        else
            memcpy(kbuf, u, chunk);
        kbuf += chunk, va += chunk, n -= chunk;
    }
    return 0;
}

int kpt_copyin(void *dst, uint64 usrc, uint64 n)
{
    return copy_user(dst, usrc, n, FAULT_READ);
}

int kpt_copyout(uint64 udst, const void *src, uint64 n)
{
    return copy_user((char *)src, udst, n, FAULT_WRITE);
}

long kpt_copyinstr(char *dst, uint64 usrc, uint64 max)
{
    uint64 len = 0;
    while (len < max) {
        int err;
        const char *u = user_byte(usrc + len, FAULT_READ, &err);
        if (!u) return err;
        uint64 chunk = PGSIZE - (usrc + len) % PGSIZE;
        for (; chunk > 0 && len < max; chunk--, len++, u++)
            if ((dst[len] = *u) == 0) return (long)len;
    }
    return -E2BIG;
}
