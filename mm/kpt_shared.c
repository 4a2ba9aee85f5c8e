/* Kernel page-table design "shared": one table per process, both halves.
 *
 * The user table is also the table the kernel runs on: root entries
 * 256..510 point at the global kernel table's level-1 tables (no PTE_U, so
 * user code cannot touch them), entry 511 holds this process's kernel stack
 * with a guard page below (KSTACK_BASE, as in perproc), and the trampoline
 * and trapframe sit in the user half without PTE_U. A trap therefore needs
 * no satp write and no TLB flush (arch/riscv/trampoline.S skips them under
 * PAGODA_KPT_SHARED); only a context switch changes satp.
 *
 * S-mode may read or write a PTE_U page only while sstatus.SUM is set, so
 * the kernel sets SUM inside the copy routines alone: a stray kernel pointer
 * into user memory still faults everywhere else. What this gives up is the
 * Meltdown defence: the kernel half stays mapped while user code runs, and
 * on a CPU that reads across the permission check speculatively, user code
 * can leak kernel memory through the cache. */
#include "mm/mm.h"

const char kpt_design[] = "shared";

void kpt_init(void) {}

int kpt_stack_map(struct kframes *f, int slot)
{
    (void)slot;
    f->kstack_top = KSTACK_TOP; /* mapped by kpt_attach, in each table */
    return 0;
}

void kpt_stack_unmap(struct kframes *f, int slot)
{
    (void)f, (void)slot; /* goes with the table */
}

int kpt_attach(struct vm *vm, const struct kframes *f)
{
    pagetable_t t = vm->upt;
    for (int i = PT_ENTRIES / 2; i < PT_ENTRIES - 1; i++) t[i] = kernel_pagetable[i];
    vm->kpt = t;
    for (int i = 0; i < KSTACK_PAGES; i++)
        if (pt_map(t, KSTACK_BASE + i * PGSIZE, f->kstack[i], 0, PTE_R | PTE_W | PTE_A | PTE_D) < 0)
            return -1;
    return 0; /* the trampoline is in the user half already (vm_create) */
}

void kpt_detach(struct vm *vm)
{
    if (!vm->kpt) return;
    pt_free_tables(vm->kpt, PT_ENTRIES - 1, PT_ENTRIES, NULL, NULL); /* the stack's tables */
    for (int i = PT_ENTRIES / 2; i < PT_ENTRIES - 1; i++) vm->kpt[i] = 0;
    vm->kpt = NULL; /* the root is the user table's: vm_destroy frees it */
}

int kpt_mirror(struct vm *vm, uint64 va, pte_t upte, int level)
{
    (void)vm, (void)upte, (void)level;
    return va >= USER_TOP ? -1 : 0; /* the kernel sees the user table itself */
}

int kpt_split(struct vm *vm, uint64 va, pagetable_t table)
{
    (void)vm, (void)va, (void)table;
    return -1;
}

/* Plain loads and stores with SUM set only for the copy; a fault inside it
 * goes to uaccess_fault (mm/uaccess.c) with SUM still set, and the copy
 * returns through its fixup to here, where SUM is cleared again. */
int kpt_copyin(void *dst, uint64 usrc, uint64 n)
{
    csr_set(sstatus, SSTATUS_SUM);
    int r = uaccess_copy(dst, (const void *)usrc, n);
    csr_clear(sstatus, SSTATUS_SUM);
    return r;
}

int kpt_copyout(uint64 udst, const void *src, uint64 n)
{
    csr_set(sstatus, SSTATUS_SUM);
    int r = uaccess_copy((void *)udst, src, n);
    csr_clear(sstatus, SSTATUS_SUM);
    return r;
}

long kpt_copyinstr(char *dst, uint64 usrc, uint64 max)
{
    csr_set(sstatus, SSTATUS_SUM);
    long r = uaccess_strcpy(dst, (const char *)usrc, max);
    csr_clear(sstatus, SSTATUS_SUM);
    return r;
}
