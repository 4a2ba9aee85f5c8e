/* Memory system calls: sbrk, pgaccess, vmprint. */
#include "trap/syscall.h"
#include "proc/proc.h"

long sys_sbrk(const uint64 *a)
{
    return vm_sbrk(&myproc()->vm, (long)a[0]);
}

long sys_pgaccess(const uint64 *a)
{
    uint64 mask;
    int npages = (int)a[1];
    int r = vm_pgaccess(&myproc()->vm, a[0], npages, &mask);
    if (r < 0) return r;
    return copyout(a[2], &mask, (npages + 7) / 8); /* RISC-V is little-endian */
}

long sys_vmprint(const uint64 *a)
{
    struct proc *p = myproc();
    if (a[0] == VMPRINT_USER)
        vmprint(p->vm.upt);
    else if (a[0] == VMPRINT_KERNEL)
        vmprint(p->vm.kpt);
    else
        return -EINVAL;
    return 0;
}
