/* IPC: endpoints, their names, calls and replies, notifications, kernel
 * events, shared pages and interrupts delivered to user-space servers. */
#ifndef PAGODA_IPC_H
#define PAGODA_IPC_H

#include "arch/riscv/types.h"

#define NENDPOINT       64
#define NHANDLE         16 /* handles per process: its limit on handles */
#define IPC_EP_PER_PROC 8  /* endpoints one unprivileged process may own */
#define IPC_EP_RESERVED 8  /* free endpoints kept for boot-image programs */
#define IPC_NSUBSCRIBER 4  /* servers that receive kernel events */

struct proc;
struct endpoint;

/* A short message: the words of a call, of its reply, or of a received
 * message, and where the pages of an ipc_share landed in the receiver. It
 * is the process's saved registers a1..a5 (the ABI in include/pagoda/abi.h):
 * trap/sys_ipc.c points ipc_state.msg at them (ipc_msg_bind, when the
 * process is made), so the kernel moves the words
 * from one process's registers to another's with no copy in between. */
struct ipc_msg {
    uint64 w[4];
    uint64 shared;
};

/* Per-process IPC state (part of struct proc). */
enum ipc_wait { IPC_IDLE, IPC_SENDING, IPC_AWAITING_REPLY, IPC_RECEIVING };

struct ipc_state {
    struct endpoint *handles[NHANDLE];
    struct ipc_msg *msg;                 /* its message words (set by trap/sys_ipc.c) */
    enum ipc_wait wait;                  /* what a sleeping process waits for */
    struct endpoint *ep;                 /* the endpoint of a call in progress */
    long result;                         /* what the blocked call or recv returns */
    uint64 share_va, share_npages;       /* the pages an ipc_share carries */
    int privileged;                      /* started from the boot image: devices, DMA */
    int init_child;                      /* forked by init itself (the shell): may use
                                            the process-slot reserve */
    uint64 ev_reserved[IPC_NSUBSCRIBER]; /* room for this process's exit event
                                      is held (the subscription generation, or 0) */
    uint32 client_of;                    /* clients-only subscribers it has called */
    int inject;                          /* its page allocations may fail (selfcheck.c) */
};

void ipc_fork(struct proc *child, struct proc *parent); /* copies handles */
int ipc_fork_event(struct proc *child);                 /* -EAGAIN if no room */
void ipc_exit(struct proc *p);                          /* caller holds sched_lock */

long ipc_ep_create(void);
long ipc_ep_register(int h, uint64 uname);
long ipc_ep_lookup(uint64 uname);
long ipc_ep_close(int h);
/* The caller's words are in myproc()->ipc.msg; reply words in reply[4]. */
long ipc_call(int h, int share, uint64 share_va, uint64 share_npages);
long ipc_recv(int h);
long ipc_reply(int pid, const uint64 reply[4]);
long ipc_reply_recv(int h, int pid, const uint64 reply[4]);
long ipc_notify(int h, uint64 bits);
long ipc_ev_subscribe(int h, int kinds);
void ipc_msg_bind(struct proc *p); /* trap/sys_ipc.c: p->ipc.msg = its registers */
/* The fast path (ipc_fast.c): returns only if it does not apply. */
/* trap.c: the entry of the full-frame calls, with the user's a1 and a7 in
 * their registers and, for the IPC calls, its a0 in a6 (trampoline.S) */
uint64 ipc_fast_syscall(uint64 unused, uint64 a1, uint64 a2, uint64 a3, uint64 a4, uint64 a5,
                        uint64 a0, uint64 nr);

/* Interrupts for servers (irq.c) */
int irq_dispatch(uint32 irq); /* 1 if a server takes it */
long irq_bind(int irq, int h);
long irq_ack(int irq);
void irq_release(struct proc *p);
void irq_unbind_ep(struct endpoint *ep);                  /* caller holds sched_lock */
void ipc_kernel_notify(struct endpoint *ep, uint64 bits); /* caller holds sched_lock */
struct endpoint *ipc_handle(struct proc *p, int h);
struct proc *ipc_owner(struct endpoint *ep);

#endif
