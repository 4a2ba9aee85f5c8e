/* IPC stubs. The message words travel in registers a1..a4 both ways, so
 * these use ecall6 (syscall.h), which returns every register the kernel sets.
 * The two calls of a round trip, ipc_call and ipc_reply_recv, are inline
 * in ipc.h. */
#include "ipc.h"
#include "syscall.h"

static long to_msg(struct regs r, struct ipc_msg *m)
{
    return ipc_to_msg(r, m);
}

int ep_create(void)
{
    return (int)ecall6(SYS_ep_create, 0, 0, 0, 0, 0, 0).a0;
}

int ep_register(int h, const char *name)
{
    return (int)ecall6(SYS_ep_register, h, (long)name, 0, 0, 0, 0).a0;
}

int ep_lookup(const char *name)
{
    return (int)ecall6(SYS_ep_lookup, (long)name, 0, 0, 0, 0, 0).a0;
}

int ep_close(int h)
{
    return (int)ecall6(SYS_ep_close, h, 0, 0, 0, 0, 0).a0;
}

long ipc_share(int h, void *va, long npages, long w1, long w2, long reply[4])
{
    struct regs r = ecall6(SYS_ipc_share, h, (long)va, npages, w1, w2, 0);
    if (r.a0 >= 0 && reply) reply[0] = r.a1, reply[1] = r.a2, reply[2] = r.a3, reply[3] = r.a4;
    return r.a0;
}

long ipc_recv(int h, struct ipc_msg *m)
{
    return to_msg(ecall6(SYS_ipc_recv, h, 0, 0, 0, 0, 0), m);
}

long ipc_reply(int pid, const long w[4])
{
    return ecall6(SYS_ipc_reply, pid, w[0], w[1], w[2], w[3], 0).a0;
}

long ipc_notify(int h, unsigned long bits)
{
    return ecall6(SYS_ipc_notify, h, (long)bits, 0, 0, 0, 0).a0;
}

long ev_subscribe(int h)
{
    return ecall6(SYS_ev_subscribe, h, IPC_EV_ALL, 0, 0, 0, 0).a0;
}

long ev_subscribe_client_exits(int h)
{
    return ecall6(SYS_ev_subscribe, h, IPC_EV_CLIENT_EXITS, 0, 0, 0, 0).a0;
}

void *shm_alloc(long npages)
{
    long va = ecall6(SYS_shm_alloc, npages, 0, 0, 0, 0, 0).a0;
    return va < 0 ? 0 : (void *)va;
}

long shm_free(void *va, long npages)
{
    return ecall6(SYS_shm_free, (long)va, npages, 0, 0, 0, 0).a0;
}

long spawn(const char *name, char **argv)
{
    return ecall6(SYS_spawn, (long)name, (long)argv, 0, 0, 0, 0).a0;
}

void *dev_map(unsigned long pa, unsigned long bytes)
{
    long va = ecall6(SYS_dev_map, (long)pa, (long)bytes, 0, 0, 0, 0).a0;
    return va < 0 ? 0 : (void *)va;
}

void *dma_alloc(long npages)
{
    long va = ecall6(SYS_dma_alloc, npages, 0, 0, 0, 0, 0).a0;
    return va < 0 ? 0 : (void *)va;
}

long dev_list(struct devinfo *out, int max)
{
    return ecall6(SYS_dev_list, (long)out, max, 0, 0, 0, 0).a0;
}

long va2pa(void *va)
{
    return ecall6(SYS_va2pa, (long)va, 0, 0, 0, 0, 0).a0;
}

long irq_bind(int irq, int h)
{
    return ecall6(SYS_irq_bind, irq, h, 0, 0, 0, 0).a0;
}

long irq_ack(int irq)
{
    return ecall6(SYS_irq_ack, irq, 0, 0, 0, 0, 0).a0;
}
