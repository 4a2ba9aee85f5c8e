/* Device interrupts for user-space drivers. A privileged server binds an
 * interrupt to one of its endpoints; when it fires, the kernel masks it at
 * the PLIC and notifies the endpoint (bit irq % 64); the server handles the
 * device and acks, which unmasks it. */
#include "proc/proc.h"
#include "drivers/plic.h"
#include "drivers/uart.h"

#define NIRQ 128

static struct {
    struct endpoint *ep;
    struct proc *owner;
} irqs[NIRQ];

int irq_dispatch(uint32 irq)
{
    if (irq >= NIRQ) return 0;
    spin_lock(&sched_lock);
    struct endpoint *ep = irqs[irq].ep;
    if (ep) {
        plic_mask(irq, 1);
        ipc_kernel_notify(ep, 1UL << (irq % 64));
    }
    spin_unlock(&sched_lock);
    return ep != NULL;
}

long irq_bind(int irq, int h)
{
    struct proc *p = myproc();
    if (!p->ipc.privileged) return -EPERM;
    if (irq <= 0 || irq >= NIRQ || (uint32)irq == uart_irq) return -EINVAL;
    spin_lock(&sched_lock);
    struct endpoint *ep = ipc_handle(p, h);
    long r = !ep ? -EBADF : ipc_owner(ep) != p ? -EPERM : irqs[irq].owner ? -EBUSY : 0;
    if (r == 0) {
        irqs[irq].ep = ep;
        irqs[irq].owner = p;
    }
    spin_unlock(&sched_lock);
    if (r == 0) {
        plic_mask(irq, 0);
        plic_enable(irq);
    }
    return r;
}

long irq_ack(int irq)
{
    struct proc *p = myproc();
    if (irq <= 0 || irq >= NIRQ) return -EINVAL;
    spin_lock(&sched_lock);
    long r = irqs[irq].owner == p ? 0 : -EPERM;
    spin_unlock(&sched_lock);
    if (r == 0) plic_mask(irq, 0);
    return r;
}

static void unbind(int irq)
{
    plic_mask(irq, 1);
    irqs[irq].ep = NULL;
    irqs[irq].owner = NULL;
}

/* Called under sched_lock when ep is destroyed (its owner closed it): an
 * interrupt bound to it must not follow the endpoint slot to its next user. */
void irq_unbind_ep(struct endpoint *ep)
{
    for (int irq = 0; irq < NIRQ; irq++)
        if (irqs[irq].ep == ep) unbind(irq);
}

/* Called under sched_lock when p exits. */
void irq_release(struct proc *p)
{
    for (int irq = 0; irq < NIRQ; irq++)
        if (irqs[irq].owner == p) unbind(irq);
}
