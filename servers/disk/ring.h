/* The disk server's asynchronous ring (include/pagoda/disk_proto.h): the
 * hooks disk.c calls. A ring client's requests are kept here, apart from the
 * one-call-at-a-time clients of disk.c, and share the device with them. */
#ifndef PAGODA_DISK_RING_H
#define PAGODA_DISK_RING_H

#include "drivers/virtio_blk.h"

/* DISK_RING_SETUP from a connected client: its region and the page. */
long ring_setup(int pid, char *region, long npages, long page, const struct vblk *dev);
/* 1 while a ring of pid has blocks on the device (its pages must stay). */
int ring_busy(int pid);
/* The client's region goes away. */
void ring_drop(int pid);
/* DISK_RING_KICK arrived: take new submissions from every ring. */
void ring_pull(void);
/* Submit waiting ring blocks while the device has room; device ids go to
 * owner[] as -1 - slot. Returns how many were submitted. */
int ring_pump(struct vblk *dev, int *owner);
/* A ring block (owner value o < 0) finished with status err (0 or -EIO). */
void ring_block_done(int o, long err);
/* Notify every ring client that has new completions. */
void ring_notify(void);

#endif
