/* exec(): read the program's ELF image from the file system, then ask the
 * kernel to replace us with it (SYS_exec loads the segments into the new
 * address space). A file that fits in this process's fs region (the pages
 * shared with the fs server) is read there with one request and loaded from
 * there: the server's copy into the region and the kernel's load are the
 * only copies. A larger one is read with one FS_READ_PAGES request straight
 * into fresh shared pages that the server maps only for that request; the
 * kernel then makes those pages the new program's own wherever a page of
 * the file is a whole page of a segment, so the server's copy out of its
 * cache is the only one (docs/fs.md, "exec's read"). Failing that (no room
 * for the pages), into heap pages taken with sbrk, read() by read().
 * Programs that must run before the fs server is up
 * (init, disk, fs) are in the kernel's boot image: when the file system
 * cannot give us the file, "/NAME", "/bin/NAME" and "NAME" are looked up
 * there. Like xv6, a relative path is relative to the working directory;
 * a bare NAME that is not there is also looked for as /bin/NAME (the shell
 * does its own /bin search; this is for programs that exec "NAME"). */
#include "user.h"
#include "stat.h"
#include "fcntl.h"
#include "syscall.h"
#include "sysret.h"
#include "fsclient.h"
#include "ipc.h"

#define EXEC_MAX_BYTES (64L * 1024 * 1024) /* more than any program here; bounds sbrk */

/* Load [buf, buf+size) as the new program; returns only on failure (-errno). */
static long exec_image(const char *elf, long size, char **argv)
{
    printf_flush(); /* output buffered now would vanish with our memory */
    return sys_exec(elf, (unsigned long)size, argv);
}

/* Read the whole file behind fd, close fd (the new program must not inherit
 * it), exec the image. -errno on failure, fd closed either way. */
static long exec_fd(int fd, char **argv)
{
    struct stat st;
    long r = fstat(fd, &st) < 0 ? -errno : 0;
    if (r == 0 && (st.type != T_FILE || st.size == 0)) r = -ENOEXEC;
    if (r == 0 && st.size > EXEC_MAX_BYTES) r = -E2BIG;
    if (r < 0) {
        close(fd);
        return r;
    }
    long size = (long)st.size;
    /* Small enough for the fs region (the usual case): one read request puts
     * the file there and the kernel loads it from there, with no copy into
     * our own memory at all. */
    if (fsc_connect() == 0 && size <= fsc_region_size()) {
        long got = fsc_call(FS_READ, fd, 0, size, 0);
        close(fd); /* a request without data: the region keeps the image */
        if (got < 0) return got;
        if (got != size) return -EIO;
        return exec_image(fsc_region(), size, argv);
    }
    long npages = (size + 4095) / 4096;
    char *pages = npages <= FS_READ_PAGES_MAX ? shm_alloc(npages) : 0;
    if (pages) {
        long got = fsc_share_call(FS_READ_PAGES, fd, pages, npages);
        if (got != -ENOMEM) { /* the server took them (-ENOMEM: no room there) */
            close(fd);
            r = got < 0 ? got : got != size ? -EIO : exec_image(pages, size, argv);
            shm_free(pages, npages); /* only reached when exec failed */
            return r;
        }
        shm_free(pages, npages);
    }
    char *buf = sbrk((int)size);
    if (buf == (char *)-1) {
        close(fd);
        return -ENOMEM;
    }
    long got = 0;
    while (got < size) {
        int n = read(fd, buf + got, (int)(size - got));
        if (n <= 0) break;
        got += n;
    }
    close(fd);
    if (got != size)
        r = -EIO; /* shrank underneath us, or a read failed */
    else
        r = exec_image(buf, size, argv);
    sbrk((int)-size); /* only reached when exec failed: give the pages back */
    return r;
}

/* The boot image's copy of a program that has no directory but "/" or "/bin/". */
static long exec_bootmod(const char *path, char **argv)
{
    if (strncmp(path, "/bin/", 5) == 0)
        path += 5;
    else if (path[0] == '/')
        path++;
    if (strchr(path, '/')) return -ENOENT;
    long size = sys_bootmod(path, 0, 0);
    if (size < 0) return size;
    if (size == 0 || size > EXEC_MAX_BYTES) return -ENOEXEC;
    char *buf = sbrk((int)size);
    if (buf == (char *)-1) return -ENOMEM;
    long r = sys_bootmod(path, buf, (unsigned long)size);
    if (r >= 0) r = exec_image(buf, size, argv);
    sbrk((int)-size);
    return r;
}

int exec(const char *path, char **argv)
{
    /* Let the kernel look at path first: a wild pointer is EFAULT, not a
     * fault inside the library. */
    long r = sys_uprobe(path, FS_PATH_MAX, UPROBE_STR);
    if (r < 0) return fail(r == -E2BIG ? ENAMETOOLONG : (int)-r);

    int fd = open(path, O_RDONLY);
    char in_bin[FS_PATH_MAX];
    if (fd < 0 && errno == ENOENT && !strchr(path, '/') && strlen(path) + 6 <= sizeof in_bin) {
        snprintf(in_bin, sizeof in_bin, "/bin/%s", path); /* not here: try /bin */
        fd = open(in_bin, O_RDONLY);
    }
    if (fd >= 0) return sysret(exec_fd(fd, argv));
    long fs_err = -errno;
    r = exec_bootmod(path, argv);
    /* Not in the boot image either: the file system's reason is the one to
     * give (ENOENT, ENOTDIR, ENAMETOOLONG...; ENOENT when there is no server). */
    return sysret(r == -ENOENT ? fs_err : r);
}
