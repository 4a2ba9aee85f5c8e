/* IPC, shared-page and device system calls: unpack the registers and call
 * into proc/ipc.c, proc/irq.c and mm/shm.c. */
#include "trap/syscall.h"
#include "proc/proc.h"

long sys_ep_create(const uint64 *a)
{
    (void)a;
    return ipc_ep_create();
}

long sys_ep_register(const uint64 *a)
{
    return ipc_ep_register((int)a[0], a[1]);
}

long sys_ep_lookup(const uint64 *a)
{
    return ipc_ep_lookup(a[0]);
}

long sys_ep_close(const uint64 *a)
{
    return ipc_ep_close((int)a[0]);
}

long sys_ipc_call(const uint64 *a)
{
    return ipc_call((int)a[0], 0);
}

long sys_ipc_share(const uint64 *a)
{
    return ipc_call((int)a[0], 1);
}

long sys_ipc_recv(const uint64 *a)
{
    return ipc_recv((int)a[0]);
}

long sys_ipc_reply(const uint64 *a)
{
    return ipc_reply((int)a[0]);
}

long sys_ipc_reply_recv(const uint64 *a)
{
    return ipc_reply_recv((int)a[0], (int)a[1]);
}

long sys_ipc_notify(const uint64 *a)
{
    return ipc_notify((int)a[0], a[1]);
}

long sys_ev_subscribe(const uint64 *a)
{
    return ipc_ev_subscribe((int)a[0]);
}

long sys_shm_alloc(const uint64 *a)
{
    return vm_shm_alloc(&myproc()->vm, a[0]);
}

long sys_shm_free(const uint64 *a)
{
    return vm_shm_free(&myproc()->vm, a[0], a[1]);
}

long sys_spawn(const uint64 *a)
{
    return exec_spawn(a[0], a[1]);
}

/* The calls below are for drivers started from the boot image only. */
static int privileged(void)
{
    return myproc()->ipc.privileged;
}

long sys_dev_map(const uint64 *a)
{
    return privileged() ? vm_map_device(&myproc()->vm, a[0], a[1]) : -EPERM;
}

long sys_dma_alloc(const uint64 *a)
{
    return privileged() ? vm_shm_alloc(&myproc()->vm, a[0]) : -EPERM;
}

long sys_va2pa(const uint64 *a)
{
    return privileged() ? vm_va2pa(&myproc()->vm, a[0]) : -EPERM;
}

long sys_irq_bind(const uint64 *a)
{
    return irq_bind((int)a[0], (int)a[1]);
}

long sys_irq_ack(const uint64 *a)
{
    return irq_ack((int)a[0]);
}
