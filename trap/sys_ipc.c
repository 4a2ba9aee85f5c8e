/* IPC, shared-page and device system calls: unpack the registers and call
 * into proc/ipc.c, proc/irq.c and mm/shm.c. The message words stay in the
 * process's saved registers a1..a5; ipc_msg_bind() is the one place that
 * says where they are (proc/ipc.h: struct ipc_msg). */
#include "trap/syscall.h"
#include "proc/proc.h"

/* Register values that must be small numbers (handles, pids, irqs): anything
 * that does not fit becomes -1, which every callee rejects. */
static int num(uint64 v)
{
    return v <= 0x7fffffff ? (int)v : -1;
}

long sys_ep_create(const uint64 *a)
{
    (void)a;
    return ipc_ep_create();
}

long sys_ep_register(const uint64 *a)
{
    return ipc_ep_register(num(a[0]), a[1]);
}

long sys_ep_lookup(const uint64 *a)
{
    return ipc_ep_lookup(a[0]);
}

long sys_ep_close(const uint64 *a)
{
    return ipc_ep_close(num(a[0]));
}

/* Called once per process, when its trapframe is made (proc_alloc). */
void ipc_msg_bind(struct proc *p)
{
    p->ipc.msg = (struct ipc_msg *)&p->tf->regs[REG_A1];
}

/* (h, w1..w4): the words are a1..a4 already */
long sys_ipc_call(const uint64 *a)
{
    return ipc_call(num(a[0]), 0, 0, 0);
}

/* (h, va, npages, w1, w2): the server receives the words {w1, w2, npages, 0}
 * and where the pages landed (abi.h). Rearranged here, in place: the
 * registers are overwritten by the reply anyway. */
long sys_ipc_share(const uint64 *a)
{
    uint64 va = a[1], npages = a[2], w1 = a[3], w2 = a[4];
    struct ipc_msg *m = myproc()->ipc.msg;
    m->w[0] = w1, m->w[1] = w2, m->w[2] = npages, m->w[3] = 0;
    return ipc_call(num(a[0]), 1, va, npages);
}

long sys_ipc_recv(const uint64 *a)
{
    return ipc_recv(num(a[0]));
}

/* (pid, w1..w4) */
long sys_ipc_reply(const uint64 *a)
{
    return ipc_reply(num(a[0]), &a[1]);
}

/* (h, pid, w1..w4) */
long sys_ipc_reply_recv(const uint64 *a)
{
    return ipc_reply_recv(num(a[0]), num(a[1]), &a[2]);
}

long sys_ipc_notify(const uint64 *a)
{
    return ipc_notify(num(a[0]), a[1]);
}

long sys_ev_subscribe(const uint64 *a)
{
    return ipc_ev_subscribe(num(a[0]), num(a[1]));
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
    return irq_bind(num(a[0]), num(a[1]));
}

long sys_irq_ack(const uint64 *a)
{
    return irq_ack(num(a[0]));
}
