/*
 * Host unit test for arch/riscv/fdt.c.
 *
 *   test_fdt [virt-smp4-128M.dtb virt-smp1-256M.dtb]
 *
 * Without arguments the two QEMU dumps are read from TEST_DATA_DIR. Every
 * blob handed to fdt_parse sits in a malloc'd buffer of exactly totalsize
 * bytes, so under -fsanitize=address any read past totalsize aborts.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/riscv/fdt.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

/* Token values and header offsets from the devicetree spec, for building and patching blobs. */
enum { TOK_BEGIN = 1, TOK_END_NODE = 2, TOK_PROP = 3, TOK_NOP = 4, TOK_END = 9 };
enum {
    H_MAGIC = 0,
    H_TOTALSIZE = 4,
    H_OFF_STRUCT = 8,
    H_OFF_STRINGS = 12,
    H_OFF_RSVMAP = 16,
    H_VERSION = 20,
    H_LAST_COMP = 24,
    H_SIZE_STRINGS = 32,
    H_SIZE_STRUCT = 36,
    H_SIZE = 40,
};

static int passed, failed;

__attribute__((format(printf, 3, 4))) static void check(int ok, const char *name, const char *fmt,
                                                        ...)
{
    if (ok) {
        printf("ok %s\n", name);
        passed++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL %s: ", name);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    failed++;
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

/* A copy of the first n bytes of src in a buffer of exactly n bytes. */
static uint8_t *exact_copy(const uint8_t *src, size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    if (!p) abort();
    memcpy(p, src, n);
    return p;
}

/* Parse a copy of blob cut to its (possibly patched) totalsize. */
static int parse_exact(const uint8_t *blob, size_t n, struct fdt_info *info)
{
    uint32_t total = get_be32(blob + H_TOTALSIZE);
    uint8_t *p = exact_copy(blob, total < n ? total : n);
    int r = fdt_parse(p, info);
    free(p);
    info->bootargs = 0; /* it pointed into p */
    return r;
}

/* Parse a patched copy of blob; -1 is what the caller expects. */
static int parse_patched(const uint8_t *blob, size_t n, size_t off, uint32_t val)
{
    struct fdt_info info;
    uint8_t *p = exact_copy(blob, n);
    put_be32(p + off, val);
    int r = parse_exact(p, n, &info);
    free(p);
    return r;
}

static uint8_t *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    uint8_t *buf = 0;
    size_t cap = 0, len = 0, got;
    do {
        if (len == cap) {
            cap = cap ? 2 * cap : 65536;
            buf = realloc(buf, cap);
            if (!buf) abort();
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got);
    fclose(f);
    *n = len;
    return buf;
}

/* Offset of the FDT_PROP token whose name is pname, or 0 if none. */
static size_t find_prop(const uint8_t *blob, const char *pname)
{
    uint32_t st = get_be32(blob + H_OFF_STRUCT), sz = get_be32(blob + H_SIZE_STRUCT);
    uint32_t strs = get_be32(blob + H_OFF_STRINGS), strsz = get_be32(blob + H_SIZE_STRINGS);
    uint32_t pos = 0;

    /* Our own little walk so we only ever land on real tokens. */
    while (pos + 4 <= sz) {
        uint32_t tok = get_be32(blob + st + pos);
        if (tok == TOK_BEGIN) {
            pos += 4;
            while (blob[st + pos]) pos++;
            pos = (pos + 4) & ~3u;
        } else if (tok == TOK_PROP) {
            uint32_t len = get_be32(blob + st + pos + 4), nameoff = get_be32(blob + st + pos + 8);
            if (nameoff < strsz && strcmp((const char *)blob + strs + nameoff, pname) == 0)
                return st + pos;
            pos = (pos + 12 + len + 3) & ~3u;
        } else {
            pos += 4;
        }
    }
    return 0;
}

/* ---- what the QEMU virt dumps contain (see `dtc -I dtb -O dts`) ---- */

struct expect {
    const char *label;
    uint64_t mem_size;
    int nharts;
    const char *bootargs; /* 0 when there is no /chosen/bootargs */
};

static void test_qemu_dump(const uint8_t *blob, size_t n, const struct expect *e)
{
    char name[96];
    struct fdt_info info;
    uint32_t total = fdt_totalsize(blob);
    uint8_t *p = exact_copy(blob, total && total <= n ? total : n);
    int r = fdt_parse(p, &info);

#define NAME(s) (snprintf(name, sizeof name, "%s %s", e->label, s), name)
    check(total > 0 && total <= n, NAME("totalsize"), "totalsize %u, file %zu bytes", total, n);
    check(r == 0, NAME("parse"), "fdt_parse returned %d", r);
    check(info.mem_base == 0x80000000 && info.mem_size == e->mem_size, NAME("memory"),
          "base %#llx size %#llx, want 0x80000000 %#llx", (unsigned long long)info.mem_base,
          (unsigned long long)info.mem_size, (unsigned long long)e->mem_size);

    int harts_ok = info.nharts == e->nharts;
    for (int i = 0; harts_ok && i < e->nharts; i++) harts_ok = info.hartids[i] == (uint32_t)i;
    check(harts_ok, NAME("harts"), "nharts %d (want %d), hartids %u %u %u %u", info.nharts,
          e->nharts, info.hartids[0], info.hartids[1], info.hartids[2], info.hartids[3]);

    check(info.timebase_hz == 10000000, NAME("timebase"), "got %llu",
          (unsigned long long)info.timebase_hz);
    if (e->bootargs)
        check(info.bootargs && strcmp(info.bootargs, e->bootargs) == 0, NAME("bootargs"),
              "got \"%s\", want \"%s\"", info.bootargs ? info.bootargs : "(null)", e->bootargs);
    else
        check(info.bootargs == 0, NAME("no bootargs"), "got \"%s\"", info.bootargs);
    check(info.uart_base == 0x10000000 && info.uart_irq == 10, NAME("uart"), "base %#llx irq %u",
          (unsigned long long)info.uart_base, info.uart_irq);
    check(info.plic_base == 0xc000000, NAME("plic"), "base %#llx",
          (unsigned long long)info.plic_base);

    /* QEMU emits the virtio-mmio nodes highest address first. */
    int virtio_ok = info.nvirtio == 8;
    for (int i = 0; virtio_ok && i < 8; i++)
        virtio_ok = info.virtio_base[i] == 0x10008000u - 0x1000u * i &&
                    info.virtio_irq[i] == (uint32_t)(8 - i);
    check(virtio_ok, NAME("virtio"), "nvirtio %d, first %#llx irq %u, last %#llx irq %u",
          info.nvirtio, (unsigned long long)info.virtio_base[0], info.virtio_irq[0],
          (unsigned long long)info.virtio_base[7], info.virtio_irq[7]);
#undef NAME
    free(p);
}

/* ---- malformed blobs, derived from a good one ---- */

static void test_bad_blobs(const uint8_t *good, size_t n)
{
    struct fdt_info info;
    uint32_t total = get_be32(good + H_TOTALSIZE);
    uint32_t off_struct = get_be32(good + H_OFF_STRUCT);
    uint32_t size_struct = get_be32(good + H_SIZE_STRUCT);
    int r;

    n = total; /* only ever hand out the blob itself */

    r = parse_patched(good, n, H_MAGIC, 0xd00dfeef);
    check(r == -1, "bad magic", "fdt_parse returned %d", r);

    uint8_t *zero = calloc(1, 64);
    r = fdt_parse(zero, &info);
    check(r == -1 && fdt_totalsize(zero) == 0 && info.nharts == 0 && info.mem_size == 0,
          "zero-filled buffer", "fdt_parse returned %d, totalsize %u", r, fdt_totalsize(zero));
    free(zero);

    /* Patched totalsizes; parse_exact then allocates only that many bytes. */
    r = parse_patched(good, n, H_TOTALSIZE, off_struct - 4);
    check(r == -1, "totalsize before struct block", "fdt_parse returned %d", r);
    r = parse_patched(good, n, H_TOTALSIZE, off_struct + size_struct - 1);
    check(r == -1, "totalsize cuts struct block", "fdt_parse returned %d", r);
    r = parse_patched(good, n, H_TOTALSIZE, 20);
    check(r == -1, "totalsize smaller than header", "fdt_parse returned %d", r);

    r = parse_patched(good, n, H_VERSION, 15);
    check(r == -1, "version 15", "fdt_parse returned %d", r);
    r = parse_patched(good, n, H_LAST_COMP, 18);
    check(r == -1, "last_comp_version 18", "fdt_parse returned %d", r);
    r = parse_patched(good, n, H_OFF_STRINGS, total + 4);
    check(r == -1, "strings offset outside blob", "fdt_parse returned %d", r);
    r = parse_patched(good, n, H_SIZE_STRINGS, 0xfffffff0);
    check(r == -1, "strings size wraps", "fdt_parse returned %d", r);
    r = parse_patched(good, n, H_SIZE_STRUCT, total);
    check(r == -1, "struct size outside blob", "fdt_parse returned %d", r);
    r = parse_patched(good, n, H_OFF_STRUCT, off_struct + 2);
    check(r == -1, "misaligned struct block", "fdt_parse returned %d", r);

    /* FDT_END is the last token; turning it into FDT_END_NODE unbalances the tree. */
    r = parse_patched(good, n, off_struct + size_struct - 4, TOK_END_NODE);
    check(r == -1, "missing FDT_END", "fdt_parse returned %d", r);

    size_t prop = find_prop(good, "compatible");
    check(prop != 0, "find a property to patch", "no \"compatible\" property");
    if (prop) {
        uint32_t left = off_struct + size_struct - (uint32_t)(prop + 12);
        r = parse_patched(good, n, prop + 4, left + 1);
        check(r == -1, "property one byte past struct end", "fdt_parse returned %d", r);
        r = parse_patched(good, n, prop + 4, 0xfffffffd);
        check(r == -1, "property length near 4G", "fdt_parse returned %d", r);
        r = parse_patched(good, n, prop + 8, get_be32(good + H_SIZE_STRINGS));
        check(r == -1, "property name outside strings", "fdt_parse returned %d", r);
    }

    /* Every shorter struct block loses FDT_END, so all must fail cleanly. */
    int cut_fails = 0;
    uint32_t bad_cut = 0;
    for (uint32_t cut = 0; cut < size_struct; cut++) {
        if (parse_patched(good, n, H_SIZE_STRUCT, cut) != -1) {
            cut_fails++;
            bad_cut = cut;
        }
    }
    check(cut_fails == 0, "every struct cut rejected", "%d cuts parsed, e.g. size %u", cut_fails,
          bad_cut);

    /* Random byte damage: must never crash or read out of bounds (ASan). */
    uint32_t seed = 12345, sane = 1;
    uint8_t *p = exact_copy(good, n);
    for (int iter = 0; iter < 20000; iter++) {
        memcpy(p, good, n);
        for (int k = 0; k < 4; k++) {
            seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
            size_t at = 8 + seed % (n - 8); /* keep magic and totalsize */
            p[at] = (uint8_t)(seed >> 24);
        }
        r = fdt_parse(p, &info);
        if (r == 0)
            sane &= info.nharts <= FDT_MAX_HARTS && info.nvirtio <= 8;
        else
            sane &= r == -1 && info.nharts == 0 && info.nvirtio == 0 && !info.bootargs;
    }
    free(p);
    check(sane, "random corruption", "inconsistent result after corruption");
}

/* ---- a hand-built tree exercising what QEMU's does not ---- */

struct builder {
    uint8_t st[8192];
    uint32_t stn;
    char strs[8192];
    uint32_t strn;
};

static void b_u32(struct builder *b, uint32_t v)
{
    put_be32(b->st + b->stn, v);
    b->stn += 4;
}

static void b_bytes(struct builder *b, const void *data, uint32_t len)
{
    memcpy(b->st + b->stn, data, len);
    b->stn += len;
    while (b->stn & 3) b->st[b->stn++] = 0;
}

static void b_begin(struct builder *b, const char *name)
{
    b_u32(b, TOK_BEGIN);
    b_bytes(b, name, (uint32_t)strlen(name) + 1);
}

static void b_end(struct builder *b)
{
    b_u32(b, TOK_END_NODE);
}

static void b_prop(struct builder *b, const char *name, const void *data, uint32_t len)
{
    uint32_t off = b->strn;
    if (b->stn + 12 + len + 3 > sizeof b->st || b->strn + strlen(name) + 1 > sizeof b->strs)
        abort(); /* test tree too big for the builder */
    memcpy(b->strs + b->strn, name, strlen(name) + 1);
    b->strn += (uint32_t)strlen(name) + 1;
    b_u32(b, TOK_PROP);
    b_u32(b, len);
    b_u32(b, off);
    b_bytes(b, data, len);
}

static void b_str(struct builder *b, const char *name, const char *s)
{
    b_prop(b, name, s, (uint32_t)strlen(s) + 1);
}

/* A property of n big-endian cells. */
static void b_cells(struct builder *b, const char *name, int n, ...)
{
    uint8_t buf[64];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) put_be32(buf + 4 * i, va_arg(ap, uint32_t));
    va_end(ap);
    b_prop(b, name, buf, 4 * (uint32_t)n);
}

/* Header + empty memory reservation map + struct + strings, in one blob. */
static uint8_t *b_finish(struct builder *b, size_t *n)
{
    b_u32(b, TOK_END);
    uint32_t off_rsv = H_SIZE, off_st = off_rsv + 16, off_str = off_st + b->stn;
    *n = off_str + b->strn;
    uint8_t *p = calloc(1, *n);
    put_be32(p + H_MAGIC, 0xd00dfeed);
    put_be32(p + H_TOTALSIZE, (uint32_t)*n);
    put_be32(p + H_OFF_STRUCT, off_st);
    put_be32(p + H_OFF_STRINGS, off_str);
    put_be32(p + H_OFF_RSVMAP, off_rsv);
    put_be32(p + H_VERSION, 17);
    put_be32(p + H_LAST_COMP, 16);
    put_be32(p + H_SIZE_STRINGS, b->strn);
    put_be32(p + H_SIZE_STRUCT, b->stn);
    memcpy(p + off_st, b->st, b->stn);
    memcpy(p + off_str, b->strs, b->strn);
    return p;
}

static void b_virtio(struct builder *b, uint32_t addr, uint32_t irq, const char *status)
{
    char name[32];
    snprintf(name, sizeof name, "virtio_mmio@%x", addr);
    b_begin(b, name);
    b_u32(b, TOK_NOP); /* NOPs may appear anywhere between tokens */
    b_cells(b, "interrupts", 1, irq);
    b_u32(b, TOK_NOP);
    b_cells(b, "reg", 4, 0u, addr, 0u, 0x1000u);
    b_str(b, "compatible", "virtio,mmio");
    if (status) b_str(b, "status", status);
    b_end(b);
}

static void test_synthetic(void)
{
    static struct builder bld;
    struct builder *b = &bld;
    struct fdt_info info;
    size_t n;

    b_begin(b, "");
    b_cells(b, "#address-cells", 1, 1u); /* 32-bit root, unlike QEMU */
    b_cells(b, "#size-cells", 1, 1u);
    b_u32(b, TOK_NOP);

    b_begin(b, "chosen");
    b_str(b, "bootargs", "console=ttyS0 quiet");
    b_end(b);

    b_begin(b, "memory@40000000");
    b_str(b, "device_type", "memory");
    b_cells(b, "reg", 2, 0x40000000u, 0x2000000u);
    b_end(b);
    b_begin(b, "memory@60000000"); /* only the first memory node counts */
    b_str(b, "device_type", "memory");
    b_cells(b, "reg", 2, 0x60000000u, 0x1000000u);
    b_end(b);

    b_begin(b, "cpus");
    b_cells(b, "#address-cells", 1, 1u);
    b_cells(b, "#size-cells", 1, 0u);
    b_cells(b, "timebase-frequency", 2, 1u, 5u); /* u64 form */
    const char *status[12] = {"okay", "disabled", 0, "fail"};
    for (uint32_t id = 0; id < 12; id++) {
        char name[16];
        snprintf(name, sizeof name, "cpu@%x", id);
        b_begin(b, name);
        b_str(b, "device_type", "cpu");
        b_cells(b, "reg", 1, id);
        if (status[id]) b_str(b, "status", status[id]);
        b_begin(b, "interrupt-controller");
        b_end(b);
        b_end(b);
    }
    b_begin(b, "cpu-map"); /* no device_type: not a cpu */
    b_begin(b, "cluster0");
    b_begin(b, "core0");
    b_cells(b, "cpu", 1, 1u);
    b_end(b);
    b_end(b);
    b_end(b);
    b_end(b); /* cpus */

    b_begin(b, "soc");
    b_cells(b, "#address-cells", 1, 2u);
    b_cells(b, "#size-cells", 1, 2u);
    b_prop(b, "ranges", "", 0);
    b_begin(b, "serial@20000000");
    b_str(b, "compatible", "ns16550a");
    b_str(b, "status", "disabled");
    b_cells(b, "reg", 4, 0u, 0x20000000u, 0u, 0x100u);
    b_cells(b, "interrupts", 1, 3u);
    b_end(b);
    b_begin(b, "serial@110000000");
    b_prop(b, "compatible", "vendor,uart\0ns16550a", 21);
    b_cells(b, "reg", 4, 1u, 0x10000000u, 0u, 0x100u);
    b_cells(b, "interrupts", 2, 10u, 4u);
    b_end(b);
    b_begin(b, "interrupt-controller@c000000");
    b_str(b, "compatible", "riscv,plic0");
    b_cells(b, "reg", 4, 0u, 0xc000000u, 0u, 0x4000000u);
    b_end(b);
    b_virtio(b, 0x10001000, 1, 0);
    b_virtio(b, 0x10002000, 2, "disabled");
    b_virtio(b, 0x10003000, 3, "okay");
    b_begin(b, "bus"); /* no #*-cells: spec defaults 2 and 1 */
    b_begin(b, "virtio_mmio@30000000");
    b_cells(b, "reg", 3, 0u, 0x30000000u, 0x1000u);
    b_cells(b, "interrupts", 1, 40u);
    b_str(b, "compatible", "virtio,mmio");
    b_end(b);
    b_end(b);
    for (int i = 0; i < 40; i++) b_begin(b, "deep"); /* deeper than the parser's stack */
    b_virtio(b, 0x50000000, 50, 0);                  /* too deep to be looked at */
    for (int i = 0; i < 40; i++) b_end(b);
    for (uint32_t i = 4; i <= 9; i++) b_virtio(b, 0x10000000 + 0x1000 * i, i, 0);
    b_end(b); /* soc */
    b_end(b); /* root */

    uint8_t *blob = b_finish(b, &n);
    int r = fdt_parse(blob, &info);
    check(r == 0, "synthetic parse", "fdt_parse returned %d", r);
    check(info.mem_base == 0x40000000 && info.mem_size == 0x2000000, "synthetic memory (1 cell)",
          "base %#llx size %#llx", (unsigned long long)info.mem_base,
          (unsigned long long)info.mem_size);
    static const uint32_t want_harts[8] = {0, 2, 4, 5, 6, 7, 8, 9};
    int harts_ok = info.nharts == 8 && memcmp(info.hartids, want_harts, sizeof want_harts) == 0;
    check(harts_ok, "synthetic harts: skip disabled/fail, cap at 8",
          "nharts %d, hartids %u %u %u %u %u %u %u %u", info.nharts, info.hartids[0],
          info.hartids[1], info.hartids[2], info.hartids[3], info.hartids[4], info.hartids[5],
          info.hartids[6], info.hartids[7]);
    check(info.timebase_hz == 0x100000005ull, "synthetic timebase u64", "got %#llx",
          (unsigned long long)info.timebase_hz);
    check(info.bootargs && strcmp(info.bootargs, "console=ttyS0 quiet") == 0, "synthetic bootargs",
          "got %s", info.bootargs ? info.bootargs : "(null)");
    check(info.uart_base == 0x110000000ull && info.uart_irq == 10,
          "synthetic uart: skip disabled, compatible list, 64-bit address", "base %#llx irq %u",
          (unsigned long long)info.uart_base, info.uart_irq);
    check(info.plic_base == 0xc000000, "synthetic plic", "base %#llx",
          (unsigned long long)info.plic_base);
    static const uint32_t want_virtio[8][2] = {
        {0x10001000, 1}, {0x10003000, 3}, {0x30000000, 40}, {0x10004000, 4},
        {0x10005000, 5}, {0x10006000, 6}, {0x10007000, 7},  {0x10008000, 8},
    };
    int virtio_ok = info.nvirtio == 8;
    for (int i = 0; virtio_ok && i < 8; i++)
        virtio_ok =
            info.virtio_base[i] == want_virtio[i][0] && info.virtio_irq[i] == want_virtio[i][1];
    check(virtio_ok, "synthetic virtio: NOPs, default cells, deep nesting, cap at 8",
          "nvirtio %d, [2] %#llx irq %u, [7] %#llx irq %u", info.nvirtio,
          (unsigned long long)info.virtio_base[2], info.virtio_irq[2],
          (unsigned long long)info.virtio_base[7], info.virtio_irq[7]);

    put_be32(blob + H_VERSION, 16); /* v16: struct size comes from totalsize */
    r = fdt_parse(blob, &info);
    check(r == 0 && info.nharts == 8, "synthetic as version 16", "fdt_parse returned %d", r);
    free(blob);

    /* A second, minimal tree: defaults everywhere, per-cpu timebase, bad bootargs. */
    memset(b, 0, sizeof *b);
    b_begin(b, "");
    b_begin(b, "memory@80000000");
    b_str(b, "device_type", "memory");
    b_cells(b, "reg", 3, 0u, 0x80000000u, 0x4000000u);
    b_end(b);
    b_begin(b, "cpus");
    b_cells(b, "#address-cells", 1, 1u);
    b_cells(b, "#size-cells", 1, 0u);
    b_begin(b, "cpu@3");
    b_str(b, "device_type", "cpu");
    b_cells(b, "reg", 1, 3u);
    b_cells(b, "timebase-frequency", 1, 1000000u);
    b_end(b);
    b_end(b);
    b_begin(b, "chosen");
    b_prop(b, "bootargs", "no-nul", 6);
    b_end(b);
    b_end(b);
    blob = b_finish(b, &n);
    r = fdt_parse(blob, &info);
    check(r == 0 && info.mem_base == 0x80000000 && info.mem_size == 0x4000000,
          "minimal tree: default cells", "r %d base %#llx size %#llx", r,
          (unsigned long long)info.mem_base, (unsigned long long)info.mem_size);
    check(info.nharts == 1 && info.hartids[0] == 3 && info.timebase_hz == 1000000,
          "minimal tree: per-cpu timebase", "nharts %d hart %u timebase %llu", info.nharts,
          info.hartids[0], (unsigned long long)info.timebase_hz);
    check(info.bootargs == 0 && info.uart_base == 0 && info.nvirtio == 0,
          "minimal tree: unterminated bootargs ignored, no devices", "bootargs %p",
          (const void *)info.bootargs);
    free(blob);

    /* Structure blocks that are not one well-formed tree. */
    static const uint32_t bad_trees[][6] = {
        {TOK_END},                                           /* no root */
        {TOK_END_NODE, TOK_END},                             /* end before begin */
        {TOK_BEGIN, 0, TOK_END},                             /* root never closed */
        {TOK_BEGIN, 0, TOK_END_NODE, TOK_BEGIN, 0, TOK_END}, /* two roots */
        {TOK_BEGIN, 0, TOK_END_NODE, 7, TOK_END},            /* unknown token */
        {TOK_PROP, 0, 0, TOK_BEGIN, 0, TOK_END_NODE},        /* property outside a node */
    };
    for (size_t t = 0; t < sizeof bad_trees / sizeof bad_trees[0]; t++) {
        char name[48];
        memset(b, 0, sizeof *b);
        b->strn = 1; /* one empty string so nameoff 0 is valid */
        for (int i = 0; i < 6 && bad_trees[t][i] != TOK_END; i++) b_u32(b, bad_trees[t][i]);
        blob = b_finish(b, &n);
        r = parse_exact(blob, n, &info);
        snprintf(name, sizeof name, "malformed tree %zu", t);
        check(r == -1, name, "fdt_parse returned %d", r);
        free(blob);
    }
}

int main(int argc, char **argv)
{
    static const struct expect expects[2] = {
        {"virt-smp4-128M", 0x8000000, 4, "hello world"},
        {"virt-smp1-256M", 0x10000000, 1, 0},
    };
    const char *paths[2] = {TEST_DATA_DIR "/virt-smp4-128M.dtb",
                            TEST_DATA_DIR "/virt-smp1-256M.dtb"};
    if (argc == 3) {
        paths[0] = argv[1];
        paths[1] = argv[2];
    } else if (argc != 1) {
        fprintf(stderr, "usage: %s [virt-smp4-128M.dtb virt-smp1-256M.dtb]\n", argv[0]);
        return 2;
    }

    for (int i = 0; i < 2; i++) {
        size_t n;
        uint8_t *blob = read_file(paths[i], &n);
        check(blob && n >= H_SIZE, expects[i].label, "cannot read %s", paths[i]);
        if (!blob || n < H_SIZE) continue;
        test_qemu_dump(blob, n, &expects[i]);
        if (i == 0) test_bad_blobs(blob, n);
        free(blob);
    }
    test_synthetic();

    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
