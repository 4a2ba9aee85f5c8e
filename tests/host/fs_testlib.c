/* The shared helpers of the file-system host tests (fs_testlib.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fs_testlib.h"

static int passed, failed, case_failed;
static const char *case_name;

uint8_t *t_img;
uint32_t t_nblocks;

void t_fail(const char *file, int line, const char *fmt, ...)
{
    if (case_failed++) return;
    printf("FAIL %s: %s:%d: ", case_name, file, line);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

void t_run(const char *name, void (*fn)(void))
{
    case_name = name;
    case_failed = 0;
    fn();
    if (case_failed) {
        failed++;
    } else {
        passed++;
        printf("ok %s\n", name);
    }
    fflush(stdout);
}

int t_summary(void)
{
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

void t_fresh(uint32_t mb, uint32_t ninodes)
{
    t_nblocks = mb * 256;
    t_img = calloc(t_nblocks, BSIZE);
    hostbio_attach(t_img, t_nblocks, 512);
    int r = fs_format(t_nblocks, ninodes, 0);
    if (r < 0) t_fail(__FILE__, __LINE__, "fs_format: %d", r);
}

void t_done(void)
{
    CHECK_EQ(fs_sync(), 0);
    int pinned = hostbio_detach();
    if (pinned) t_fail(__FILE__, __LINE__, "%d buffers still pinned at the end", pinned);
    free(t_img);
    t_img = NULL;
}

int t_fsck(void)
{
    CHECK_EQ(fs_sync(), 0);
    /* nothing is pinned between calls once the log is committed */
    CHECK_EQ(hostbio_pinned(), 0);
    size_t size = (size_t)t_nblocks * BSIZE;
    uint8_t *copy = malloc(size);
    memcpy(copy, t_img, size);
    /* The checker mounts its copy; keep the core's state of this one. */
    struct superblock saved = fs_sb;
    hostbio_detach();
    hostbio_attach(copy, t_nblocks, 512);
    int problems = fs_check(stdout, 0);
    hostbio_detach();
    free(copy);
    hostbio_attach(t_img, t_nblocks, 512);
    fs_sb = saved;
    log_init(&fs_sb);
    return problems;
}

uint32_t t_create(const char *path, int type)
{
    uint32_t ino = 0;
    int r = fs_create(FS_ROOT_INO, path, type, 0, 0, &ino);
    return r < 0 ? 0 : ino;
}

long t_write_str(const char *path, const char *s)
{
    uint32_t ino;
    int r = fs_lookup(FS_ROOT_INO, path, &ino);
    if (r < 0) return r;
    r = fs_truncate(ino, 0);
    if (r < 0) return r;
    return fs_write(ino, 0, s, strlen(s));
}

int t_read_str(const char *path, char *buf, int len)
{
    uint32_t ino;
    int r = fs_lookup(FS_ROOT_INO, path, &ino);
    if (r < 0) return r;
    long n = fs_read(ino, 0, buf, (uint64_t)len - 1);
    if (n < 0) return (int)n;
    buf[n] = 0;
    return (int)n;
}

void t_pattern(uint8_t *buf, uint64_t off, uint64_t n, uint32_t seed)
{
    for (uint64_t i = 0; i < n; i++) {
        uint64_t x = (off + i) * 0x9e3779b97f4a7c15ull ^ seed;
        buf[i] = (uint8_t)(x >> 29 ^ x >> 7);
    }
}
