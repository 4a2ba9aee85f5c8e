/* What proc/ipc.c and its fast path, proc/ipc_fast.c, share and nobody else
 * needs: the endpoint itself. All of it is protected by sched_lock. */
#ifndef PAGODA_IPC_INTERNAL_H
#define PAGODA_IPC_INTERNAL_H

#include "proc/proc.h"

struct endpoint {
    int refs;                /* handles to it, plus one while its owner lives */
    struct proc *owner;      /* NULL once the owner has exited */
    char name[IPC_NAME_LEN]; /* registered name, or "" */
    struct list senders;     /* callers waiting for the owner to receive */
    struct list receiver;    /* the owner, blocked in recv (zero or one) */
    struct list awaiting;    /* callers whose message was taken, awaiting reply */
    uint64 notify_bits;
    int sub;        /* 1 + index in subs[] if it receives kernel events, else 0 */
    uint32 sub_bit; /* bit in a caller's client_of: exits of its callers only */
    int privileged; /* created by a boot-image program (may use the reserve) */
};

extern struct endpoint endpoints[NENDPOINT]; /* ep - endpoints: its number in traces */

#endif
