/* Console, boot image, power and memory-statistics system calls. */
#include "trap/syscall.h"
#include "proc/proc.h"
#include "proc/trace.h"
#include "drivers/console.h"
#include "drivers/kprintf.h"
#include "arch/riscv/sbi.h"

long sys_cons_write(const uint64 *a)
{
    return console_write_user(a[0], (long)a[1]);
}

long sys_cons_read(const uint64 *a)
{
    return console_read_user(a[0], (long)a[1]);
}

long sys_cons_mode(const uint64 *a)
{
    return console_set_mode((long)a[0]);
}

/* bootmod(name, buf, len): copies min(len, size) bytes, returns the size. */
long sys_bootmod(const uint64 *a)
{
    char name[BOOTMOD_NAME_MAX];
    long r = copyinstr(name, a[0], sizeof(name));
    if (r < 0) return r == -E2BIG ? -ENOENT : r;
    const struct bootmod *m = bootmod_find(name);
    if (!m) return -ENOENT;
    uint64 n = a[2] < m->size ? a[2] : m->size;
    if (n && (r = copyout(a[1], m->data, n)) < 0) return r;
    return m->size;
}

long sys_bootmod_name(const uint64 *a)
{
    const struct bootmod *m = bootmod_at((int)a[0]);
    if (!m) return -ENOENT;
    uint64 len = strlen(m->name) + 1;
    if (a[2] < len) return -E2BIG;
    return copyout(a[1], m->name, len);
}

long sys_halt(const uint64 *a)
{
    kprintf("pagoda: power off (status %d)\n", (int)a[0]);
    sbi_shutdown();
}

long sys_freepages(const uint64 *a)
{
    (void)a;
    return kalloc_free_pages();
}

/* The event trace (docs/tracing.md). */
long sys_trace_ctl(const uint64 *a)
{
    return trace_ctl((int)a[0]);
}

long sys_trace_read(const uint64 *a)
{
    return trace_read((int)a[0], a[1], (long)a[2], timebase_hz);
}

long sys_trace_mark(const uint64 *a)
{
    TRACE(TR_MARK, TRACE_SELF, a[0], a[1], 0, 0);
    return 0;
}
