/*
 * Flattened Devicetree parser, written from the Devicetree Specification
 * (chapter 5, "Flattened Devicetree (DTB) Format").
 *
 * Layout of a blob, all integers big-endian:
 *   header | memory reservation block | structure block | strings block
 * The structure block is a stream of 4-byte-aligned tokens describing the
 * tree depth-first; property names live in the strings block.
 *
 * We walk the structure block once, keeping a small stack of open nodes.
 * A node's properties always come before its children, so when a node
 * ends we know everything about it and about its parent's #*-cells.
 */
#include "fdt.h"

enum {
    FDT_BEGIN_NODE = 1, /* followed by the NUL-terminated node name, padded */
    FDT_END_NODE = 2,
    FDT_PROP = 3, /* followed by u32 len, u32 nameoff, then len bytes, padded */
    FDT_NOP = 4,
    FDT_END = 9,
};

#define HDR_V16_SIZE 36 /* version 16 headers lack size_dt_struct */
#define HDR_V17_SIZE 40
#define MAX_DEPTH    16 /* deeper nodes are walked over but not looked at */

/* What we remember about one open node while walking. */
struct node {
    const char *name;                /* "name" or "name@unit"; "" for the root */
    uint32_t addr_cells, size_cells; /* this node's, used to decode its children */
    const uint8_t *reg, *compat, *type, *status;
    uint32_t reg_len, compat_len, type_len, status_len;
    uint32_t irq; /* first "interrupts" cell, 0 if none */
};

/* Byte loads: the blob is big-endian and may not be aligned for us. */
static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t align4(uint64_t x)
{
    return (x + 3) & ~(uint64_t)3;
}

/* No libc in the kernel, so our own string compare. */
static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

/* Node names may carry a unit address ("cpu@1"); match only the part before '@'. */
static int name_is(const char *node, const char *want)
{
    while (*want && *node == *want) node++, want++;
    return *want == 0 && (*node == 0 || *node == '@');
}

/* Is the property value exactly the string s, terminator included? */
static int val_is(const uint8_t *v, uint32_t len, const char *s)
{
    for (uint32_t i = 0; i < len && v[i] == (uint8_t)s[i]; i++)
        if (s[i] == 0) return i + 1 == len;
    return 0;
}

/* "compatible" is a list of NUL-terminated strings; match any entry. */
static int compat_has(const struct node *n, const char *s)
{
    uint32_t i = 0;
    while (i < n->compat_len) {
        uint32_t end = i;
        while (end < n->compat_len && n->compat[end]) end++;
        if (end == n->compat_len) return 0; /* unterminated tail: ignore it */
        if (val_is(n->compat + i, end + 1 - i, s)) return 1;
        i = end + 1;
    }
    return 0;
}

/* Absent status means "okay"; anything but okay/ok means don't touch it. */
static int usable(const struct node *n)
{
    return !n->status || val_is(n->status, n->status_len, "okay") ||
           val_is(n->status, n->status_len, "ok");
}

/* A number made of n big-endian cells (n <= 2 here). */
static uint64_t read_cells(const uint8_t *p, uint32_t n)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < n; i++) v = v << 32 | be32(p + 4 * i);
    return v;
}

/* First (address, size) pair of "reg", sized by the parent's #*-cells. */
static int first_reg(const struct node *n, const struct node *parent, uint64_t *addr,
                     uint64_t *size)
{
    uint32_t ac = parent->addr_cells, sc = parent->size_cells;

    /* Addresses wider than 64 bits (e.g. PCI's 3 cells) are not CPU addresses. */
    if (!n->reg || ac < 1 || ac > 2 || sc > 2 || n->reg_len < 4 * (ac + sc)) return -1;
    *addr = read_cells(n->reg, ac);
    *size = read_cells(n->reg + 4 * ac, sc);
    return 0;
}

/* A NUL-terminated string at off inside the strings block, or 0. */
static const char *string_at(const uint8_t *strs, uint32_t size, uint32_t off)
{
    for (uint32_t i = off; i < size; i++)
        if (strs[i] == 0) return (const char *)strs + off;
    return 0;
}

static void node_init(struct node *n, const char *name)
{
    n->name = name;
    /* Spec defaults when a node has no #address-cells / #size-cells. */
    n->addr_cells = 2;
    n->size_cells = 1;
    n->reg = n->compat = n->type = n->status = 0;
    n->reg_len = n->compat_len = n->type_len = n->status_len = 0;
    n->irq = 0;
}

/* Record one property of the node at stack[i] (stack[0] is the root). */
static void take_prop(struct fdt_info *out, struct node *stack, int i, const char *name,
                      const uint8_t *v, uint32_t len)
{
    struct node *n = &stack[i];
    int in_cpus = i == 1 && name_is(n->name, "cpus");
    int in_cpu = i == 2 && name_is(stack[1].name, "cpus");

    if (str_eq(name, "#address-cells") && len == 4) {
        n->addr_cells = be32(v);
    } else if (str_eq(name, "#size-cells") && len == 4) {
        n->size_cells = be32(v);
    } else if (str_eq(name, "reg")) {
        n->reg = v;
        n->reg_len = len;
    } else if (str_eq(name, "compatible")) {
        n->compat = v;
        n->compat_len = len;
    } else if (str_eq(name, "device_type")) {
        n->type = v;
        n->type_len = len;
    } else if (str_eq(name, "status")) {
        n->status = v;
        n->status_len = len;
    } else if (str_eq(name, "interrupts") && len >= 4) {
        n->irq = be32(v);
    } else if (str_eq(name, "timebase-frequency") && (in_cpus || (in_cpu && !out->timebase_hz))) {
        /* Usually in /cpus; the spec also allows it per cpu node. */
        if (len == 4) out->timebase_hz = be32(v);
        if (len == 8) out->timebase_hz = read_cells(v, 2);
    } else if (str_eq(name, "bootargs") && i == 1 && name_is(n->name, "chosen")) {
        /* Hand out a C string only if it really is one. */
        if (len > 0 && v[len - 1] == 0) out->bootargs = (const char *)v;
    }
}

/* The node at stack[i] has ended: all its properties are known. */
static void finish_node(struct fdt_info *out, const struct node *stack, int i)
{
    if (i == 0) return; /* the root has no parent to size its reg */

    const struct node *n = &stack[i];
    const struct node *parent = &stack[i - 1];
    uint64_t addr, size;

    if (!usable(n) || first_reg(n, parent, &addr, &size) < 0) return;

    if (i == 1 && val_is(n->type, n->type_len, "memory")) {
        if (out->mem_size == 0) {
            out->mem_base = addr;
            out->mem_size = size;
        }
    } else if (i == 2 && name_is(parent->name, "cpus") && val_is(n->type, n->type_len, "cpu")) {
        if (out->nharts < FDT_MAX_HARTS) out->hartids[out->nharts++] = (uint32_t)addr;
    } else if (compat_has(n, "ns16550a")) {
        if (out->uart_base == 0) {
            out->uart_base = addr;
            out->uart_irq = n->irq;
        }
    } else if (compat_has(n, "riscv,plic0") || compat_has(n, "sifive,plic-1.0.0")) {
        if (out->plic_base == 0) out->plic_base = addr;
    } else if (compat_has(n, "virtio,mmio")) {
        if (out->nvirtio < FDT_MAX_VIRTIO) {
            out->virtio_base[out->nvirtio] = addr;
            out->virtio_irq[out->nvirtio++] = n->irq;
        }
    }
}

/* Walk the structure block s[0..size); every access is bounds-checked. */
static int walk(const uint8_t *s, uint32_t size, const uint8_t *strs, uint32_t strs_size,
                struct fdt_info *out)
{
    struct node stack[MAX_DEPTH];
    int depth = 0; /* number of open nodes */
    int seen_root = 0;
    uint64_t pos = 0; /* 64-bit so pos + len cannot wrap */

    for (;;) {
        if (pos + 4 > size) return -1; /* ran off the end without FDT_END */
        uint32_t tok = be32(s + pos);
        pos += 4;

        switch (tok) {
        case FDT_BEGIN_NODE: {
            const char *name = (const char *)s + pos;
            while (pos < size && s[pos]) pos++;
            if (pos == size) return -1; /* name not terminated */
            pos = align4(pos + 1);
            if (depth == 0 && seen_root) return -1; /* only one root allowed */
            if (depth < MAX_DEPTH) node_init(&stack[depth], name);
            depth++;
            seen_root = 1;
            break;
        }
        case FDT_END_NODE:
            if (depth == 0) return -1;
            depth--;
            if (depth < MAX_DEPTH) finish_node(out, stack, depth);
            break;
        case FDT_PROP: {
            if (pos + 8 > size) return -1;
            uint32_t len = be32(s + pos);
            const char *name = string_at(strs, strs_size, be32(s + pos + 4));
            pos += 8;
            if (len > size - pos || !name || depth == 0) return -1;
            if (depth <= MAX_DEPTH) take_prop(out, stack, depth - 1, name, s + pos, len);
            pos = align4(pos + len);
            break;
        }
        case FDT_NOP:
            break;
        case FDT_END:
            return depth == 0 && seen_root ? 0 : -1;
        default:
            return -1;
        }
    }
}

/* Does [off, off + size) lie inside a blob of total bytes? */
static int block_ok(uint32_t off, uint32_t size, uint32_t total)
{
    return off <= total && size <= total - off;
}

uint32_t fdt_totalsize(const void *dtb)
{
    const uint8_t *b = dtb;
    return be32(b) == FDT_MAGIC ? be32(b + 4) : 0;
}

int fdt_parse(const void *dtb, struct fdt_info *out)
{
    const uint8_t *b = dtb;
    *out = (struct fdt_info){0};

    /* Check totalsize covers the header before reading the rest of it. */
    uint32_t total = fdt_totalsize(dtb);
    if (total < HDR_V16_SIZE) return -1;

    uint32_t off_struct = be32(b + 8);
    uint32_t off_strings = be32(b + 12);
    uint32_t off_rsvmap = be32(b + 16);
    uint32_t version = be32(b + 20);
    uint32_t last_comp = be32(b + 24);
    uint32_t strings_size = be32(b + 32);
    uint32_t struct_size;

    /* We speak version 17, which can read anything claiming compatibility with 16 or 17. */
    if (version < 16 || last_comp > 17) return -1;
    if (version >= 17) {
        if (total < HDR_V17_SIZE) return -1;
        struct_size = be32(b + 36);
    } else {
        if (off_struct > total) return -1;
        struct_size = total - off_struct; /* v16: the struct block is bounded by the blob */
    }
    if (off_rsvmap > total || (off_struct & 3) || !block_ok(off_struct, struct_size, total) ||
        !block_ok(off_strings, strings_size, total))
        return -1;

    if (walk(b + off_struct, struct_size, b + off_strings, strings_size, out) < 0) {
        *out = (struct fdt_info){0}; /* don't leave half an answer behind */
        return -1;
    }
    return 0;
}
