/* The IPC interface for servers and their clients (docs/ipc.md).
 * Unlike the xv6 calls in user.h, these return the kernel's result as is:
 * >= 0 on success, a negative error code (include/pagoda/abi.h) on failure. */
#ifndef PAGODA_USER_IPC_H
#define PAGODA_USER_IPC_H

#include "pagoda/abi.h"
#include "syscall.h" /* ecall6 */

/* A received message. pid > 0: a call from that process, to be answered with
 * ipc_reply(pid, ...), now or later. pid == 0: from the kernel, w[0] is the
 * kind (IPC_KERNEL_NOTIFY: w[1] = bits; FORK: w[1] = pid, w[2] = parent;
 * EXIT: w[1] = pid). shared != 0: an ipc_share mapped w[2] pages here. */
struct ipc_msg {
    long pid;
    long w[4];
    void *shared;
};

int ep_create(void);                      /* -> handle */
int ep_register(int h, const char *name); /* publish it under name */
int ep_lookup(const char *name);          /* -> handle */
int ep_close(int h);

/* The message a receive returns in registers (ipc_recv, ipc_reply_recv). */
static inline long ipc_to_msg(struct regs r, struct ipc_msg *m)
{
    if (r.a0 < 0) return r.a0;
    m->pid = r.a0;
    m->w[0] = r.a1, m->w[1] = r.a2, m->w[2] = r.a3, m->w[3] = r.a4;
    m->shared = (void *)r.a5;
    return 0;
}

/* Send w[0..3], wait for the reply, which replaces w[0..3]. Inline, like
 * ipc_reply_recv: the two calls of a round trip (bench's ipc_rtt). The
 * temporaries t0-t6 and a6 come back zeroed (ECALL_CLOBBERS). */
static inline long ipc_call(int h, long w[4])
{
    struct regs r = ecall6(SYS_ipc_call, h, w[0], w[1], w[2], w[3], 0);
    if (r.a0 >= 0) w[0] = r.a1, w[1] = r.a2, w[2] = r.a3, w[3] = r.a4;
    return r.a0;
}
/* The same, and the server gets [va, va + npages*4096) of our shared pages
 * mapped; it sees w1, w2 as w[0], w[1] and npages as w[2]. */
long ipc_share(int h, void *va, long npages, long w1, long w2, long reply[4]);
long ipc_recv(int h, struct ipc_msg *m);
long ipc_reply(int pid, const long w[4]);
/* Reply to pid (0: nobody; w may be NULL then), then wait for the next message. */
static inline long ipc_reply_recv(int h, int pid, const long w[4], struct ipc_msg *m)
{
    long w0 = 0, w1 = 0, w2 = 0, w3 = 0;
    if (w) w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];
    return ipc_to_msg(ecall6(SYS_ipc_reply_recv, h, pid, w0, w1, w2, w3), m);
}
long ipc_notify(int h, unsigned long bits);
long ev_subscribe(int h);              /* every fork and exit (IPC_EV_ALL) */
long ev_subscribe_client_exits(int h); /* exits of those who shared pages with us */

void *shm_alloc(long npages); /* NULL if it fails */
long shm_free(void *va, long npages);

/* Boot-image programs only (device and DMA rights). */
long spawn(const char *name, char **argv);
long dev_list(struct devinfo *out, int max); /* -> devices there are; fills min(max, n) */
void *dev_map(unsigned long pa, unsigned long bytes);
void *dma_alloc(long npages);
long va2pa(void *va);
long irq_bind(int irq, int h);
long irq_ack(int irq);

#endif
