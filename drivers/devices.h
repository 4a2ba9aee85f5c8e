/* The devices user-space drivers may use (virtio-mmio slots from the device
 * tree), and how to stop one whose driver died. */
#ifndef PAGODA_DEVICES_H
#define PAGODA_DEVICES_H

#include "arch/riscv/types.h"

struct fdt_info;
struct devinfo;
void devices_init(const struct fdt_info *dt);
int devices_list(struct devinfo *out, int max); /* -> how many there are */
int device_mappable(uint64 pa, uint64 bytes);
void device_stop(uint64 pa); /* reset it: no more DMA */

#endif
