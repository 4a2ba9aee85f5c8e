/* Kernel page-table design "perproc": a kernel table per process.
 *
 * Each process gets its own kernel table:
 *   - root entries 256..510 point at the global kernel table's own level-1
 *     tables (shared by reference: a new table costs a few pages, not a copy);
 *   - root entry 511 holds this process's kernel stack, guard page below, at
 *     the same VA (KSTACK_BASE) in every process's table;
 *   - the user half mirrors the user table's leaves without PTE_U, so the
 *     kernel reads and writes user memory by plain loads and stores.
 * The leaves' frames belong to the kernel or to the user table; detaching
 * frees only this table's own pages. Costs: a satp write and a full TLB
 * flush on every trap entry, trap exit and context switch, and a mirror
 * table page for each user table page. */
#include "mm/mm.h"
#include "pagoda/abi.h"

extern char trampoline[];

const char kpt_design[] = "perproc";

/* ASIDs. The TLB holds entries of the running process's two tables only:
 * every switch to another process (swtch, exec) writes satp and flushes the
 * whole TLB. So two fixed ASIDs, one for the user table and one for the
 * kernel table, are enough to let the trap path switch between them without
 * a flush (trampoline.S skips sfence.vma when satp carries an ASID). Changes
 * to the running process's tables flush as before (mm/vm.c). A hart with
 * fewer than two ASID bits keeps ASID 0 and the flushes. */
void kpt_init(void)
{
    uint64 old = csr_read(satp);
    csr_write(satp, old | SATP_ASID(0xFFFF)); /* the ASID bits that stick are there */
    uint64 asids = (csr_read(satp) >> 44) & 0xFFFF;
    csr_write(satp, old);
    sfence_vma();
    if ((asids & 3) == 3) kpt_asid_user = SATP_ASID(1), kpt_asid_kernel = SATP_ASID(2);
}

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
    /* LAB kpt BEGIN */
    pagetable_t kpt = kalloc();
    if (!kpt) return -1;
    KSTAT_INC(pt_alloc);
    vm->kpt = kpt;
    memcpy(kpt + PT_ENTRIES / 2, kernel_pagetable + PT_ENTRIES / 2, PGSIZE / 2); /* whole lines */
    kpt[PT_ENTRIES - 1] = 0;
    for (int i = 0; i < KSTACK_PAGES; i++)
        if (pt_map(kpt, KSTACK_BASE + i * PGSIZE, f->kstack[i], 0, PTE_R | PTE_W | PTE_A | PTE_D) <
            0)
            return -1;
    /* The trap path switches satp while running here, so it needs the same VA. */
    return pt_map(kpt, TRAMPOLINE, V2P(trampoline), 0, PTE_R | PTE_X | PTE_A);
    /* LAB STUB
    (void)vm, (void)f;
    return -1;
    */
    /* LAB END */
}

void kpt_detach(struct vm *vm)
{
    /* LAB kpt BEGIN */
    if (!vm->kpt) return;
    pt_free_tables(vm->kpt, 0, PT_ENTRIES / 2, NULL, NULL);
    pt_free_tables(vm->kpt, PT_ENTRIES - 1, PT_ENTRIES, NULL, NULL);
    kfree(vm->kpt);
    KSTAT_INC(pt_free);
    /* LAB END */
    vm->kpt = NULL;
}

/* LAB kpt BEGIN */
/* kpt_mirror's rarer cases, out of its way: an entry cleared, or one that
 * needs a table made or freed first. */
static __attribute__((noinline)) int mirror_slow(struct vm *vm, uint64 va, pte_t upte, int level)
{
    /* A page the user cannot read (execute-only) is not mirrored: without
     * R, W and X the PTE would read as a pointer to a table, and the
     * hardware would walk the user's own bytes as one. */
    if (!(upte & PTE_V) || !(upte & PTE_R)) {
        pt_unmap(vm->kpt, va);
        return 0;
    }
    pte_t *pte = pt_walk(vm->kpt, va, level, 1);
    if (!pte) return -1;
    if (level == 1 && (*pte & PTE_V) && !(*pte & PTE_LEAF))
        pt_free_page(P2V(PTE2PA(*pte))); /* an emptied table gives way to a megapage */
    *pte = (upte & ~(PTE_U | PTE_X)) | PTE_A | PTE_D;
    return 0;
}

/* LAB END */
int kpt_mirror(struct vm *vm, uint64 va, pte_t upte, int level)
{
    /* Only the user half is mirrored: above it are the kernel's own entries.
     * (An aligned page that starts below USER_TOP ends inside the user half.) */
    if (va >= USER_TOP) return -1;
    /* LAB kpt BEGIN */
    if (!vm->kpt) return 0;
    int l;
    pte_t *pte = pt_slot(vm->kpt, va, &l); /* the tables are there, mostly */
    /* (a slot pt_slot stops at on level 1 is empty or a leaf, never a table) */
    if (!(upte & PTE_V) || !(upte & PTE_R) || l != level) return mirror_slow(vm, va, upte, level);
    *pte = (upte & ~(PTE_U | PTE_X)) | PTE_A | PTE_D;
    return 0;
    /* LAB STUB
    (void)vm, (void)upte, (void)level;
    return 0;
    */
    /* LAB END */
}

int kpt_mirror_table(struct vm *vm, uint64 va, const pte_t *ut, int lo, int hi)
{
    if (lo >= hi || !vm->kpt) return 0;
    /* LAB kpt BEGIN */
    pte_t *kt = pt_walk(vm->kpt, va, 0, 1); /* entry 0 of the table: va is 2 MiB-aligned */
    if (!kt) return -1;
    for (int i = lo; i < hi; i++) /* as kpt_mirror does for each */
        kt[i] = (ut[i] & PTE_V) && (ut[i] & PTE_R) ? (ut[i] & ~(PTE_U | PTE_X)) | PTE_A | PTE_D : 0;
    return 0;
    /* LAB STUB
    for (int i = lo; i < hi; i++)
        if (kpt_mirror(vm, va + (uint64)i * PGSIZE, ut[i], 0) < 0) return -1;
    return 0;
    */
    /* LAB END */
}

int kpt_split(struct vm *vm, uint64 va, pagetable_t table)
{
    return pt_split(vm->kpt, va, table); /* -1 when there is no megapage to split */
}

/* The kernel table maps the user half: copy with loads and stores. A fault
 * goes to uaccess_fault (mm/uaccess.c). */
/* LAB kpt BEGIN */
int kpt_copyin(void *dst, uint64 usrc, uint64 n)
{
    return uaccess_copy(dst, (const void *)usrc, n);
}

int kpt_copyout(uint64 udst, const void *src, uint64 n)
{
    return uaccess_copy((void *)udst, src, n);
}

long kpt_copyinstr(char *dst, uint64 usrc, uint64 max)
{
    return uaccess_strcpy(dst, (const char *)usrc, max);
}
/* LAB STUB
int kpt_copyin(void *dst, uint64 usrc, uint64 n)
{
    (void)dst, (void)usrc, (void)n;
    return -EFAULT;
}

int kpt_copyout(uint64 udst, const void *src, uint64 n)
{
    (void)udst, (void)src, (void)n;
    return -EFAULT;
}

long kpt_copyinstr(char *dst, uint64 usrc, uint64 max)
{
    (void)dst, (void)usrc, (void)max;
    return -EFAULT;
}
*/
/* LAB END */
