/* Virtio over MMIO, modern interface (virtio 1.x, register layout version 2):
 * the register map, status bits and split-virtqueue layout from the virtio
 * specification. One set of constants for both sides of the user/kernel
 * line: user-space drivers (user/drivers/) use all of it to find a device,
 * negotiate features and run queues; the kernel (drivers/devices.c) only
 * checks the magic value and writes Status to reset a dead driver's device.
 * QEMU must be started with `-global virtio-mmio.force-legacy=false` to
 * offer version 2.
 *
 * All registers are 32 bits wide, little-endian, at these byte offsets from
 * the device's base address. 64-bit addresses are written as Low/High pairs. */
#ifndef PAGODA_VIRTIO_H
#define PAGODA_VIRTIO_H

#include <stdint.h>

#define VIRTIO_MMIO_MAGIC_VALUE         0x000 /* reads 0x74726976, "virt" */
#define VIRTIO_MMIO_VERSION             0x004 /* 2 = modern; 1 = legacy (not supported) */
#define VIRTIO_MMIO_DEVICE_ID           0x008 /* 0 = empty slot, 2 = block device */
#define VIRTIO_MMIO_VENDOR_ID           0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010 /* 32 feature bits, chosen by ..._SEL */
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014 /* 0: bits 0..31, 1: bits 32..63 */
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020 /* the bits we accept, same selection */
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL           0x030 /* which queue the QUEUE_* registers mean */
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034 /* largest size the device supports; 0 = none */
#define VIRTIO_MMIO_QUEUE_NUM           0x038 /* the size we chose */
#define VIRTIO_MMIO_QUEUE_READY         0x044 /* write 1 once the queue is set up */
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050 /* write a queue number: "look at its avail ring" */
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060 /* why the interrupt line is up (bits below) */
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064 /* write those bits back to lower it */
#define VIRTIO_MMIO_STATUS              0x070 /* device status (bits below); write 0 to reset */
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080 /* physical address of the descriptor table */
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090 /* ... of the driver ("available") ring */
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH   0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0a0 /* ... of the device ("used") ring */
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH   0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc /* changes when the config space changes */
#define VIRTIO_MMIO_CONFIG              0x100 /* device-specific configuration starts here */

#define VIRTIO_MMIO_MAGIC 0x74726976u
#define VIRTIO_MMIO_SIZE  0x1000 /* bytes of registers per device */
#define VIRTIO_ID_BLOCK   2

/* Device status: the driver sets these in order while it brings the device up. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1   /* we noticed the device */
#define VIRTIO_STATUS_DRIVER      2   /* and know how to drive it */
#define VIRTIO_STATUS_DRIVER_OK   4   /* set up and running */
#define VIRTIO_STATUS_FEATURES_OK 8   /* feature negotiation done (device may clear it: refused) */
#define VIRTIO_STATUS_NEEDS_RESET 64  /* device gave up; reset it */
#define VIRTIO_STATUS_FAILED      128 /* driver gave up */

/* Interrupt status bits */
#define VIRTIO_INT_USED_RING 1 /* a used ring has new entries */
#define VIRTIO_INT_CONFIG    2 /* the configuration space changed */

/* Feature bits common to all devices */
#define VIRTIO_F_VERSION_1 32 /* the modern interface; a modern driver must accept it */

/* Split virtqueue (virtio 1.x §2.7). Three areas, each physically contiguous:
 * the descriptor table (16-byte aligned), the driver ring (2-byte aligned) and
 * the device ring (4-byte aligned). A request is a chain of descriptors; the
 * driver puts the index of its first descriptor in the driver ring, the device
 * puts it (with the bytes it wrote) in the device ring when it is done. */
struct virtq_desc {
    uint64_t addr;  /* physical address of the buffer */
    uint32_t len;   /* its length in bytes */
    uint16_t flags; /* VIRTQ_DESC_F_* */
    uint16_t next;  /* the next descriptor of the chain, if flags has NEXT */
};
#define VIRTQ_DESC_F_NEXT  1 /* the chain continues at .next */
#define VIRTQ_DESC_F_WRITE 2 /* the device writes this buffer (else it reads it) */

/* Driver ("available") ring: written by us, read by the device. */
struct virtq_avail {
    uint16_t flags;  /* 1 = please no interrupts (we leave it 0) */
    uint16_t idx;    /* where we will put the next entry, modulo the queue size; only grows */
    uint16_t ring[]; /* head descriptor indexes; followed by used_event (unused here) */
};

struct virtq_used_elem {
    uint32_t id;  /* head descriptor of a finished chain */
    uint32_t len; /* bytes the device wrote into the chain */
};

/* Device ("used") ring: written by the device, read by us. */
struct virtq_used {
    uint16_t flags;                /* 1 = the device needs no notifications (advisory) */
    uint16_t idx;                  /* where the device will put its next entry; only grows */
    struct virtq_used_elem ring[]; /* followed by avail_event (unused here) */
};

/* Bytes each area takes for a queue of n entries (without the event fields,
 * which are only used with VIRTIO_F_EVENT_IDX). */
#define VIRTQ_DESC_BYTES(n)  (16u * (n))
#define VIRTQ_AVAIL_BYTES(n) (6u + 2u * (n))
#define VIRTQ_USED_BYTES(n)  (6u + 8u * (n))

/* Memory barrier for a driver in user space. "fence iorw, iorw" orders normal
 * memory (the rings) and device registers (notify) both ways. */
static inline void virtio_mb(void)
{
    __asm__ volatile("fence iorw, iorw" ::: "memory");
}

#endif
