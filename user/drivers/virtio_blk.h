/* virtio-blk driver library for user-space servers (linked into the disk
 * server).
 *
 * One request queue. A request moves one 4 KiB block (8 sectors) to or from
 * a physical address, or flushes the device's write cache. vblk_submit()
 * queues a request and returns its id without waiting; after vblk_kick() the
 * device works on everything queued, and several requests may be in flight
 * at once. When the device interrupts, vblk_intr_ack() lowers the line and
 * vblk_complete() reports which ids finished, with their status. The driver
 * never sleeps or polls: the caller (the disk server) waits for the
 * interrupt. Nothing here is thread-safe; the server is single-threaded. */
#ifndef PAGODA_VIRTIO_BLK_H
#define PAGODA_VIRTIO_BLK_H

#include <stdint.h>
#include "pagoda/virtio.h"

#define VBLK_SECTOR_SIZE       512
#define VBLK_BLOCK_SIZE        4096
#define VBLK_SECTORS_PER_BLOCK (VBLK_BLOCK_SIZE / VBLK_SECTOR_SIZE)

/* Descriptors in the queue (a power of two; less if the device offers less).
 * A read or write takes three (header, data, status), a flush two, so up to
 * VBLK_QUEUE_MAX / 3 requests can be in flight. */
#define VBLK_QUEUE_MAX 64

/* Request types (virtio-blk request header) */
#define VBLK_T_IN    0 /* read: device -> memory */
#define VBLK_T_OUT   1 /* write: memory -> device */
#define VBLK_T_FLUSH 4 /* make completed writes durable */

/* Request status, written by the device into the last byte of the chain */
#define VBLK_S_OK     0
#define VBLK_S_IOERR  1
#define VBLK_S_UNSUPP 2

/* virtio-blk feature bits we look at */
#define VIRTIO_BLK_F_RO    5 /* the disk is read-only */
#define VIRTIO_BLK_F_FLUSH 9 /* flush command; without it the device writes through */

/* The request header the device reads first. */
struct vblk_req_hdr {
    uint32_t type; /* VBLK_T_* */
    uint32_t reserved;
    uint64_t sector; /* first 512-byte sector */
};

/* A finished request, from vblk_complete(). */
struct vblk_done {
    int id;     /* what vblk_submit() returned */
    int status; /* VBLK_S_*; VBLK_S_IOERR too if the device left it unwritten */
};

struct vblk {
    volatile uint8_t *regs; /* the device's registers (mapped with dev_map) */
    uint64_t capacity;      /* in 512-byte sectors */
    uint64_t blocks;        /* whole 4 KiB blocks: capacity / 8 */
    int readonly;           /* VIRTIO_BLK_F_RO was offered */
    int has_flush;          /* VIRTIO_BLK_F_FLUSH negotiated */
    uint16_t qsize;         /* descriptors in the queue */
    /* The three virtqueue areas, each within one DMA page of its own. */
    struct virtq_desc *desc;
    struct virtq_avail *avail;
    struct virtq_used *used;
    /* One page holding a header and a status byte per descriptor index: a
     * request uses the slots of its head descriptor. */
    struct vblk_req_hdr *hdr;
    volatile uint8_t *status;
    uint64_t hdr_pa, status_pa;
    /* Free descriptors: a list threaded through next_free. */
    uint16_t free_head, nfree;
    uint16_t next_free[VBLK_QUEUE_MAX];
    uint8_t busy[VBLK_QUEUE_MAX]; /* 1 while the head descriptor i is in flight */
    uint16_t used_seen;           /* device-ring entries already reported */
    int inflight;                 /* requests submitted and not yet completed */
};

/* 1 if regs (a mapped virtio-mmio slot) hold a modern virtio-blk device;
 * 0 for an empty slot or another device; -1 for a legacy (version 1) one. */
int vblk_probe(volatile void *regs);

/* Reset the device, negotiate features (VERSION_1; FLUSH and RO if offered),
 * set up the request queue in DMA memory and start the device.
 * 0, or a negative error (the device is then marked FAILED). */
int vblk_init(struct vblk *d, volatile void *regs);

/* Requests of type VBLK_T_IN/OUT that can be submitted right now. */
int vblk_room(const struct vblk *d);

/* Queue a request: type VBLK_T_IN or VBLK_T_OUT of the 4 KiB block `block`
 * to/from physical address pa, or VBLK_T_FLUSH (block and pa ignored).
 * -> id >= 0, -EAGAIN if the queue is full, -EINVAL for a bad argument.
 * The device sees it after the next vblk_kick(). */
int vblk_submit(struct vblk *d, int type, uint64_t block, uint64_t pa);

/* Tell the device to look at the queue. */
void vblk_kick(struct vblk *d);

/* On an interrupt: read the interrupt status and acknowledge it (lowering the
 * line). Returns the VIRTIO_INT_* bits that were set. */
uint32_t vblk_intr_ack(struct vblk *d);

/* Report up to max finished requests into out[]; their descriptors are free
 * again. Returns how many. Call again while it returns max. */
int vblk_complete(struct vblk *d, struct vblk_done *out, int max);

/* 1 if the device has finished requests that vblk_complete() has not
 * reported yet. */
int vblk_has_completions(struct vblk *d);

#endif
