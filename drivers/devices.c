/* The devices user-space drivers may use, and how to stop them.
 *
 * A privileged server may map the registers of a virtio-mmio device that the
 * device tree lists (dev_map), and nothing else: not the PLIC, the UART or
 * the timer, which belong to the kernel. When a driver dies, the kernel frees
 * its memory, but a device may still be writing into those frames (DMA); so
 * before anything is freed, every device the driver mapped is reset, which
 * stops its DMA (virtio: writing 0 to Status). */
#include "drivers/devices.h"
#include "arch/riscv/fdt.h"
#include "arch/riscv/memlayout.h"
#include "pagoda/abi.h"
#include "pagoda/virtio.h"

_Static_assert(FDT_MAX_VIRTIO <= DEV_MAX, "dev_list reports every virtio slot");

static uint64 virtio_base[FDT_MAX_VIRTIO];
static uint32 virtio_irq[FDT_MAX_VIRTIO];
static int nvirtio;

void devices_init(const struct fdt_info *dt)
{
    nvirtio = dt->nvirtio;
    for (int i = 0; i < nvirtio; i++) {
        virtio_base[i] = dt->virtio_base[i];
        virtio_irq[i] = dt->virtio_irq[i];
    }
}

int devices_list(struct devinfo *out, int max)
{
    for (int i = 0; i < nvirtio && i < max; i++)
        out[i] = (struct devinfo){.base = virtio_base[i],
                                  .size = VIRTIO_MMIO_SIZE,
                                  .irq = virtio_irq[i],
                                  .kind = DEV_VIRTIO_MMIO};
    return nvirtio;
}

int device_mappable(uint64 pa, uint64 bytes)
{
    for (int i = 0; i < nvirtio; i++)
        if (pa >= virtio_base[i] && bytes <= VIRTIO_MMIO_SIZE &&
            pa + bytes <= virtio_base[i] + VIRTIO_MMIO_SIZE)
            return 1;
    return 0;
}

void device_stop(uint64 pa)
{
    if (!device_mappable(pa, 4)) return;
    volatile uint32 *regs = P2V(PGROUNDDOWN(pa));
    if (regs[VIRTIO_MMIO_MAGIC_VALUE / 4] != VIRTIO_MMIO_MAGIC) return;
    regs[VIRTIO_MMIO_STATUS / 4] = 0;
    while (regs[VIRTIO_MMIO_STATUS / 4] != 0) {
    }
}
