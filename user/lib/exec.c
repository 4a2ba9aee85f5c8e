/* exec(): load the program's ELF image into our memory, then ask the kernel to
 * replace us with it. Programs come from the boot image for now; once the fs
 * server exists this reads the file through it instead. */
#include "user.h"
#include "syscall.h"
#include "sysret.h"

#define EXEC_PATH_MAX 256

int exec(const char *path, char **argv)
{
    /* Let the kernel look at path first: a wild pointer is EFAULT, not a fault. */
    long len = sys_uprobe(path, EXEC_PATH_MAX, UPROBE_STR);
    if (len < 0) return fail(len == -E2BIG ? ENOENT : (int)-len);
    if (path[0] == '/') path++; /* boot modules are named without the slash */

    long size = sys_bootmod(path, 0, 0);
    if (size < 0) return sysret(size);
    if (size == 0 || size > 0xffffffffL) return fail(ENOEXEC);

    char *elf = malloc((uint)size);
    if (elf == 0) return fail(ENOMEM);
    long r = sys_bootmod(path, elf, (unsigned long)size);
    if (r >= 0) {
        printf_flush(); /* output buffered now would vanish with our memory */
        r = sys_exec(elf, (unsigned long)size, argv);
    }
    free(elf); /* only reached when exec failed */
    return sysret(r < 0 ? r : -ENOEXEC);
}
