/*
 * Flattened Devicetree (FDT) parser: pulls the few facts the kernel needs
 * at boot out of the blob the firmware hands us in a1.
 *
 * Only stdint.h is used so this builds both freestanding (kernel) and on
 * the host (tests/host/test_fdt.c).
 */
#ifndef PAGODA_ARCH_RISCV_FDT_H
#define PAGODA_ARCH_RISCV_FDT_H

#include <stdint.h>

#define FDT_MAGIC      0xd00dfeedu
#define FDT_MAX_HARTS  8
#define FDT_MAX_VIRTIO 8

struct fdt_info {
    uint64_t mem_base, mem_size;     /* first /memory node's first reg entry */
    int nharts;                      /* usable /cpus/cpu@* (device_type "cpu"), kept ones only */
    uint32_t hartids[FDT_MAX_HARTS]; /* their reg values, in tree order */
    uint64_t timebase_hz;            /* /cpus "timebase-frequency" (u32 or u64) */
    const char *bootargs;            /* /chosen "bootargs" (points into the dtb), or 0 */
    uint64_t uart_base, plic_base;   /* "ns16550a"; "riscv,plic0" / "sifive,plic-1.0.0" */
    uint32_t uart_irq;               /* uart's first "interrupts" cell */
    int nvirtio;                     /* "virtio,mmio" nodes, tree order, at most 8 */
    uint64_t virtio_base[FDT_MAX_VIRTIO];
    uint32_t virtio_irq[FDT_MAX_VIRTIO];
};

/*
 * Returns 0 and fills *out, or -1 (with *out zeroed) when dtb is not a
 * valid FDT: bad magic, version < 16, blocks outside totalsize, or a
 * malformed structure block. Never reads outside totalsize bytes.
 *
 * A node counts as usable unless it has a "status" other than "okay"/"ok"
 * (so "disabled", "reserved" and "fail" nodes are skipped). Addresses are
 * read with the parent's #address-cells/#size-cells; "ranges" translation
 * is not done (QEMU virt's buses map 1:1).
 */
int fdt_parse(const void *dtb, struct fdt_info *out);

/* Header's totalsize, or 0 if the magic is wrong. Reads 8 bytes. */
uint32_t fdt_totalsize(const void *dtb);

#endif
