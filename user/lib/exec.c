/* exec(): load the program's ELF image into our memory, then ask the kernel to
 * replace us with it. The image comes from the file system (a name without
 * '/' is looked for in /bin); programs that must run before the fs server is
 * up, or are missing from the disk, come from the boot image. */
#include "user.h"
#include "syscall.h"
#include "sysret.h"
#include "fcntl.h"
#include "stat.h"

/* The ELF of path read through the fs server into a malloc'd buffer. */
static char *load_file(const char *path, long *size)
{
    char full[FS_PATH_MAX];
    if (!strchr(path, '/')) {
        if (strlen(path) + 6 > sizeof full) return 0;
        strcpy(full, "/bin/");
        strcat(full, path);
        path = full;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    struct stat st;
    char *elf = 0;
    if (fstat(fd, &st) == 0 && st.type == T_FILE && st.size > 0 && st.size < 0x10000000UL) {
        elf = malloc((uint)st.size);
        if (elf && read(fd, elf, (int)st.size) != (int)st.size) {
            free(elf);
            elf = 0;
        }
        *size = (long)st.size;
    }
    close(fd);
    return elf;
}

#define EXEC_PATH_MAX 256

int exec(const char *path, char **argv)
{
    /* Let the kernel look at path first: a wild pointer is EFAULT, not a fault. */
    long len = sys_uprobe(path, EXEC_PATH_MAX, UPROBE_STR);
    if (len < 0) return fail(len == -E2BIG ? ENOENT : (int)-len);
    long size = 0;
    char *elf = load_file(path, &size);
    if (!elf) {
        const char *name = path; /* boot modules are named without the slash */
        if (strncmp(path, "/bin/", 5) == 0)
            name = path + 5;
        else if (path[0] == '/')
            name = path + 1;
        size = sys_bootmod(name, 0, 0);
        if (size < 0) return sysret(size);
        if (size == 0 || size > 0xffffffffL) return fail(ENOEXEC);
        elf = malloc((uint)size);
        if (elf == 0) return fail(ENOMEM);
        long r = sys_bootmod(name, elf, (unsigned long)size);
        if (r < 0) {
            free(elf);
            return sysret(r);
        }
    }
    printf_flush(); /* output buffered now would vanish with our memory */
    long r = sys_exec(elf, (unsigned long)size, argv);
    free(elf); /* only reached when exec failed */
    return sysret(r < 0 ? r : -ENOEXEC);
}
