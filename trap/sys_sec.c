/* System calls for checking the kernel itself (docs/security.md): probe a
 * user pointer without faulting, the kernel's invariant self-check, and
 * fault injection for the calling process. Numbers 40-47 of abi.h. */
#include "trap/syscall.h"
#include "proc/proc.h"

/* uprobe(va, n, how): can the caller read (or write) [va, va+n)? For
 * UPROBE_STR: the length of the string at va, if it ends within n bytes.
 * The user library asks this before touching a pointer it was given, so a
 * wild pointer is -EFAULT, as in the kernel, instead of a fault. */
long sys_uprobe(const uint64 *a)
{
    uint64 va = a[0], n = a[1];
    if (a[2] == UPROBE_WRITE) return user_writable(va, n);
    if (a[2] == UPROBE_READ) {
        if (!user_range_ok(va, n)) return -EFAULT;
        for (uint64 p = va; p < va + n; p = PGROUNDDOWN(p) + PGSIZE) {
            char c;
            if (copyin(&c, p, 1) < 0) return -EFAULT;
        }
        return 0;
    }
    if (a[2] != UPROBE_STR) return -EINVAL;
    char chunk[128];
    for (uint64 off = 0; off < n;) {
        uint64 max = n - off < sizeof chunk ? n - off : sizeof chunk;
        long r = copyinstr(chunk, va + off, max);
        if (r >= 0) return off + r;
        if (r != -E2BIG) return r;
        off += max; /* max bytes read, none of them the terminator */
    }
    return -E2BIG;
}

long sys_selfcheck(const uint64 *a)
{
    (void)a;
    return kernel_selfcheck();
}

long sys_faultinject(const uint64 *a)
{
    return fault_inject_enable(myproc(), (int)a[0]);
}
