/* Access to user memory from system calls.
 *
 * Every system call reaches user memory through copyin, copyout and
 * copyinstr: they check that the range lies in the user half, then hand over
 * to the kernel page-table design (kpt_copyin... in mm/kpt_*.c), which either
 * dereferences the user address (perproc, shared: a page that is not mapped
 * traps, and uaccess_fault below resolves it or makes the copy return
 * -EFAULT) or walks the user table in software (global).
 *
 * vm_fill writes into an address space that is not the running one (exec's
 * new one), so it always walks that table. */
#include "mm/mm.h"
#include "pagoda/abi.h"

int user_range_ok(uint64 uva, uint64 n)
{
    return uva < USER_TOP && n <= USER_TOP - uva;
}

int copyin(void *dst, uint64 usrc, uint64 n)
{
    if (!user_range_ok(usrc, n)) return -EFAULT;
    return kpt_copyin(dst, usrc, n);
}

int copyout(uint64 udst, const void *src, uint64 n)
{
    if (!user_range_ok(udst, n)) return -EFAULT;
    return kpt_copyout(udst, src, n);
}

long copyinstr(char *dst, uint64 usrc, uint64 max)
{
    if (usrc >= USER_TOP || max == 0) return -EFAULT;
    uint64 room = USER_TOP - usrc;
    long r = kpt_copyinstr(dst, usrc, room < max ? room : max);
    if (r == -E2BIG) {
        dst[max - 1] = 0;
        if (room < max) return -EFAULT; /* the string runs out of user space */
    }
    return r;
}

int user_writable(uint64 uva, uint64 n)
{
    if (!user_range_ok(uva, n)) return -EFAULT;
    for (uint64 va = uva; va < uva + n; va = PGROUNDDOWN(va) + PGSIZE) {
        char c;
        int r = copyin(&c, va, 1);
        if (r == 0) r = copyout(va, &c, 1); /* also resolves lazy and COW pages */
        if (r < 0) return r;
    }
    return 0;
}

extern char uaccess_begin[], uaccess_end[], uaccess_efault[], uaccess_enomem[];

int uaccess_fault(struct vm *vm, uint64 *sepc, uint64 va, int write)
{
    if (*sepc < (uint64)uaccess_begin || *sepc >= (uint64)uaccess_end || va >= MAXVA) return 0;
    int r = vm_fault(vm, va, write ? FAULT_WRITE : FAULT_READ);
    /* out of memory is not a bad pointer: the caller may try again */
    if (r < 0) *sepc = (uint64)(r == -ENOMEM ? uaccess_enomem : uaccess_efault);
    return 1;
}

int vm_fill(struct vm *vm, uint64 va, uint64 n, int (*fill)(void *dst, uint64 len, void *arg),
            void *arg)
{
    while (n > 0) {
        pte_t *pte = pt_lookup(vm->upt, va, NULL);
        if (!pte) return -EFAULT;
        uint64 chunk = PGSIZE - va % PGSIZE;
        if (chunk > n) chunk = n;
        int r = fill((char *)P2V(PTE2PA(*pte)) + va % PGSIZE, chunk, arg);
        if (r < 0) return r;
        va += chunk, n -= chunk;
    }
    return 0;
}
