/* The devices user-space drivers may use, and how to stop them.
 *
 * A privileged server may map the registers of a virtio-mmio device that the
 * device tree lists (dev_map), and nothing else: not the PLIC, the UART or
 * the timer, which belong to the kernel. When a driver dies, the kernel frees
 * its memory, but a device may still be writing into those frames (DMA); so
 * before anything is freed, every device the driver mapped is reset, which
 * stops its DMA (virtio: writing 0 to Status). */
#include "drivers/console.h"
#include "arch/riscv/fdt.h"
#include "mm/mm.h"

#define VIRTIO_MAGIC  0x74726976 /* "virt" */
#define VIRTIO_STATUS 0x70
#define VIRTIO_SIZE   0x1000

static uint64 virtio_base[FDT_MAX_VIRTIO];
static int nvirtio;

void devices_init(const struct fdt_info *dt)
{
    nvirtio = dt->nvirtio;
    for (int i = 0; i < nvirtio; i++) virtio_base[i] = dt->virtio_base[i];
}

int device_mappable(uint64 pa, uint64 bytes)
{
    for (int i = 0; i < nvirtio; i++)
        if (pa >= virtio_base[i] && bytes <= VIRTIO_SIZE &&
            pa + bytes <= virtio_base[i] + VIRTIO_SIZE)
            return 1;
    return 0;
}

void device_stop(uint64 pa)
{
    if (!device_mappable(pa, 4)) return;
    volatile uint32 *regs = P2V(PGROUNDDOWN(pa));
    if (regs[0] != VIRTIO_MAGIC) return;
    regs[VIRTIO_STATUS / 4] = 0;
    while (regs[VIRTIO_STATUS / 4] != 0) {
    }
}
