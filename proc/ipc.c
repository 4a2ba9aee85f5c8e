/* IPC between processes (docs/ipc.md).
 *
 * An endpoint belongs to the process that created it: only that process
 * receives on it. Others reach it through a handle, a small per-process
 * number obtained by looking up the name the owner registered. A call blocks
 * the caller until the owner replies; the message is a few words copied from
 * register to register (trapframe to trapframe). When the owner is already
 * waiting, call switches straight to it, and reply_recv straight back: the
 * fast path, which never visits the run queue.
 *
 * All IPC state is protected by sched_lock, like process states. */
#include "proc/proc.h"
#include "proc/ipc_internal.h"
#include "proc/trace.h"

struct endpoint endpoints[NENDPOINT];

/* Kernel events for subscribed servers, a queue each. An IPC_EV_ALL
 * subscriber (the fs server) hears every fork and exit, and no exit is ever
 * lost: fork reserves room for the child's exit and fails when there is
 * none. An IPC_EV_CLIENT_EXITS subscriber (the disk server) hears the exits
 * of processes that shared pages with it (ipc_share: what a server keeps
 * per client), marked as the share is delivered; should its queue overflow it gets an exit
 * of pid 0 instead, meaning "some clients exited: look for yourself". */
#define NEVENT 256
struct subscriber {
    struct endpoint *ep; /* NULL: a free slot */
    int clients_only;
    int overflow;
    uint64 generation; /* this subscription, for ipc_state.ev_reserved */
    uint64 head, tail, reserved;
    struct {
        int kind, pid, ppid;
    } ev[NEVENT];
};
static struct subscriber subs[IPC_NSUBSCRIBER];
static uint64 ev_generation;
static int nsubs; /* subscribers now: fork and exit skip the loops without any */

/* Names that only boot-image programs may register (docs/security.md): the
 * system servers' names from the start, and every name one of them has
 * registered since boot. */
#define NRESERVED 8
static char reserved_names[NRESERVED][IPC_NAME_LEN] = {"disk", "fs", "init"};

struct endpoint *ipc_handle(struct proc *p, int h)
{
    return h >= 0 && h < NHANDLE ? p->ipc.handles[h] : NULL;
}

struct proc *ipc_owner(struct endpoint *ep)
{
    return ep->owner;
}

static struct subscriber *sub_of(struct endpoint *ep)
{
    return ep->sub ? &subs[ep->sub - 1] : NULL;
}

static int handle_alloc(struct proc *p, struct endpoint *ep)
{
    for (int h = 0; h < NHANDLE; h++) {
        if (!p->ipc.handles[h]) {
            p->ipc.handles[h] = ep;
            ep->refs++;
            return h;
        }
    }
    return -ENOMEM;
}

static void ep_put(struct endpoint *ep)
{
    if (--ep->refs == 0) ep->owner = NULL;
}

/* Wake a blocked caller with a result (its reply words are already set). */
static void wake_caller(struct proc *c, long result)
{
    list_del(&c->qlink);
    c->ipc.wait = IPC_IDLE;
    c->ipc.result = result;
    make_runnable(c);
}

/* A pending event of subscriber s for its server, if any. Out of line: the
 * IPC fast path (take_message) stays small without it. */
static __attribute__((noinline)) int take_event(struct proc *srv, struct subscriber *s)
{
    struct ipc_msg *m = srv->ipc.msg;
    if (s->overflow) {
        m->w[0] = IPC_KERNEL_EXIT, m->w[1] = 0, m->w[2] = 0;
        s->overflow = 0;
    } else if (s->head != s->tail) {
        uint64 e = s->head++ % NEVENT;
        m->w[0] = s->ev[e].kind, m->w[1] = s->ev[e].pid, m->w[2] = s->ev[e].ppid;
    } else {
        return 0;
    }
    m->w[3] = m->shared = 0;
    srv->ipc.result = 0;
    return 1;
}

/* Give the receiver a pending kernel message (event or notify bits), if any. */
static int take_kernel_msg(struct proc *srv, struct endpoint *ep)
{
    if (ep->sub && take_event(srv, sub_of(ep))) return 1;
    if (!ep->notify_bits) return 0;
    struct ipc_msg *m = srv->ipc.msg;
    m->w[0] = IPC_KERNEL_NOTIFY, m->w[1] = ep->notify_bits;
    m->w[2] = m->w[3] = m->shared = 0;
    ep->notify_bits = 0;
    srv->ipc.result = 0;
    TRACE(TR_IPC_RECV, srv->pid, ep - endpoints, 0, m->w[0], m->w[1]);
    return 1;
}

/* Copy a caller's message into the receiver's registers; map the pages it
 * shares. On success the caller now awaits the reply. */
static int deliver_call(struct proc *srv, struct proc *c, struct endpoint *ep)
{
    struct ipc_msg *sm = srv->ipc.msg, *cm = c->ipc.msg;
    long va = 0;
    if (c->ipc.share_npages) {
        va = vm_shm_share(&srv->vm, &c->vm, c->ipc.share_va, c->ipc.share_npages);
        if (va < 0) return (int)va;
        c->ipc.client_of |= ep->sub_bit; /* its exit will be told to this server */
    }
    sm->w[0] = cm->w[0], sm->w[1] = cm->w[1], sm->w[2] = cm->w[2], sm->w[3] = cm->w[3];
    sm->shared = (uint64)va;
    srv->ipc.result = c->pid;
    c->ipc.wait = IPC_AWAITING_REPLY;
    list_add_tail(&ep->awaiting, &c->qlink);
    return 0;
}

/* The next message for the owner of ep, without blocking: 1 if one was taken. */
static int take_message(struct proc *srv, struct endpoint *ep)
{
    if (take_kernel_msg(srv, ep)) return 1;
    while (!list_empty(&ep->senders)) {
        struct proc *c = list_entry(ep->senders.next, struct proc, qlink);
        list_del(&c->qlink);
        int r = deliver_call(srv, c, ep);
        if (r == 0) {
            TRACE(TR_IPC_RECV, srv->pid, ep - endpoints, c->pid, srv->ipc.msg->w[0],
                  srv->ipc.msg->w[1]);
            return 1;
        }
        wake_caller(c, r); /* e.g. its shared pages could not be mapped */
    }
    return 0;
}

static void block_receiving(struct proc *p, struct endpoint *ep)
{
    p->ipc.result = -EINTR; /* unless a message arrives first */
    p->ipc.wait = IPC_RECEIVING;
    p->state = SLEEPING;
    list_add_tail(&ep->receiver, &p->qlink);
}

/* A free endpoint p may take, or NULL (docs/security.md): at most
 * IPC_EP_PER_PROC owned at once, and the last IPC_EP_RESERVED free ones go
 * only to boot-image programs, so a system server can always start again. */
static struct endpoint *ep_slot(struct proc *p)
{
    struct endpoint *slot = NULL;
    int nfree = 0, owned = 0;
    for (int i = 0; i < NENDPOINT; i++) {
        struct endpoint *ep = &endpoints[i];
        owned += ep->owner == p;
        if (ep->refs) continue;
        nfree++;
        if (!slot) slot = ep;
    }
    if (p->ipc.privileged) return slot;
    return owned < IPC_EP_PER_PROC && nfree > IPC_EP_RESERVED ? slot : NULL;
}

long ipc_ep_create(void)
{
    struct proc *p = myproc();
    spin_lock(&sched_lock);
    long r = -ENOMEM;
    struct endpoint *ep = ep_slot(p);
    if (ep) {
        *ep = (struct endpoint){.refs = 1, .owner = p, .privileged = p->ipc.privileged};
        list_init(&ep->senders);
        list_init(&ep->receiver);
        list_init(&ep->awaiting);
        r = handle_alloc(p, ep);
        if (r < 0) ep->refs = 0;
    }
    spin_unlock(&sched_lock);
    return r;
}

static struct endpoint *find_name(const char *name)
{
    for (int i = 0; i < NENDPOINT; i++)
        if (endpoints[i].owner && strcmp(endpoints[i].name, name) == 0) return &endpoints[i];
    return NULL;
}

static long copy_name(char *name, uint64 uname)
{
    long n = copyinstr(name, uname, IPC_NAME_LEN);
    if (n == -E2BIG) return -EINVAL;
    return n == 0 ? -EINVAL : n;
}

static int name_reserved(const char *name)
{
    for (int i = 0; i < NRESERVED; i++)
        if (strcmp(reserved_names[i], name) == 0) return 1;
    return 0;
}

/* A boot-image program's name stays reserved after it exits. */
static void reserve_name(const char *name)
{
    for (int i = 0; i < NRESERVED; i++) {
        if (strcmp(reserved_names[i], name) == 0) return;
        if (!reserved_names[i][0]) {
            strlcpy(reserved_names[i], name, IPC_NAME_LEN);
            return;
        }
    }
}

long ipc_ep_register(int h, uint64 uname)
{
    char name[IPC_NAME_LEN];
    long r = copy_name(name, uname);
    if (r < 0) return r;
    struct proc *p = myproc();
    spin_lock(&sched_lock);
    struct endpoint *ep = ipc_handle(p, h);
    if (!ep)
        r = -EBADF;
    else if (ep->owner != p)
        r = -EPERM;
    else if (find_name(name))
        r = -EEXIST;
    else if (!p->ipc.privileged && name_reserved(name))
        r = -EPERM;
    else {
        if (p->ipc.privileged) reserve_name(name);
        strlcpy(ep->name, name, sizeof(ep->name));
        r = 0;
    }
    spin_unlock(&sched_lock);
    return r;
}

long ipc_ep_lookup(uint64 uname)
{
    char name[IPC_NAME_LEN];
    long r = copy_name(name, uname);
    if (r < 0) return r;
    spin_lock(&sched_lock);
    struct endpoint *ep = find_name(name);
    r = ep ? handle_alloc(myproc(), ep) : -ENOENT;
    spin_unlock(&sched_lock);
    return r;
}

/* The owner is gone, or gave up its last handle to it: every caller fails
 * now, later calls fail too, and the name is free again. */
static void ep_destroy(struct endpoint *ep)
{
    while (!list_empty(&ep->senders))
        wake_caller(list_entry(ep->senders.next, struct proc, qlink), -EPIPE);
    while (!list_empty(&ep->awaiting))
        wake_caller(list_entry(ep->awaiting.next, struct proc, qlink), -EPIPE);
    ep->name[0] = 0;
    ep->notify_bits = 0;
    if (ep->sub) subs[ep->sub - 1].ep = NULL, nsubs--;
    ep->sub = 0, ep->sub_bit = 0;
    irq_unbind_ep(ep);
    ep->owner = NULL;
    ep_put(ep); /* the owner's reference */
}

static int handles_to(struct proc *p, struct endpoint *ep)
{
    int n = 0;
    for (int h = 0; h < NHANDLE; h++) n += p->ipc.handles[h] == ep;
    return n;
}

long ipc_ep_close(int h)
{
    struct proc *p = myproc();
    spin_lock(&sched_lock);
    struct endpoint *ep = ipc_handle(p, h);
    if (ep) {
        p->ipc.handles[h] = NULL;
        if (ep->owner == p && handles_to(p, ep) == 0) ep_destroy(ep);
        ep_put(ep);
    }
    spin_unlock(&sched_lock);
    return ep ? 0 : -EBADF;
}

long ipc_call(int h, int share, uint64 share_va, uint64 share_npages)
{
    struct proc *p = myproc();
    KSTAT_INC(ipc_slow);
    spin_lock(&sched_lock);
    struct endpoint *ep = ipc_handle(p, h);
    long r = 0;
    if (!ep)
        r = -EBADF;
    else if (!ep->owner)
        r = -EPIPE;
    else if (ep->owner == p)
        r = -EINVAL; /* would wait for itself forever */
    else if (share && share_npages == 0)
        r = -EINVAL; /* a share of nothing */
    else if (p->killed)
        r = -EINTR; /* a kill before we sleep would not wake us */
    if (r < 0) {
        spin_unlock(&sched_lock);
        return r;
    }
    TRACE(TR_IPC_CALL, p->pid, ep - endpoints, ep->owner->pid, p->ipc.msg->w[0], p->ipc.msg->w[1]);
    p->ipc.share_va = share ? share_va : 0;
    p->ipc.share_npages = share ? share_npages : 0;
    p->ipc.ep = ep;
    p->ipc.result = -EINTR; /* unless replied to first */
    p->state = SLEEPING;
    if (!list_empty(&ep->receiver)) {
        /* Fast path: the owner waits in recv; hand it the hart. */
        struct proc *srv = list_entry(ep->receiver.next, struct proc, qlink);
        r = deliver_call(srv, p, ep);
        if (r < 0) {
            p->state = RUNNING;
            spin_unlock(&sched_lock);
            return r;
        }
        TRACE(TR_IPC_RECV, srv->pid, ep - endpoints, p->pid, srv->ipc.msg->w[0],
              srv->ipc.msg->w[1]);
        list_del(&srv->qlink);
        srv->ipc.wait = IPC_IDLE;
#if PAGODA_IPC_DIRECT
        sched_to(srv);
#else /* through the run queue, behind whatever waits there */
        make_runnable(srv);
        sched();
#endif
    } else {
        p->ipc.wait = IPC_SENDING;
        list_add_tail(&ep->senders, &p->qlink);
        sched();
    }
    r = p->ipc.result;
    spin_unlock(&sched_lock);
    return r;
}

long ipc_recv(int h)
{
    struct proc *p = myproc();
    spin_lock(&sched_lock);
    struct endpoint *ep = ipc_handle(p, h);
    long r;
    if (!ep || ep->owner != p) {
        r = ep ? -EPERM : -EBADF;
    } else if (take_message(p, ep)) {
        r = p->ipc.result;
    } else if (p->killed) {
        r = -EINTR;
    } else {
        block_receiving(p, ep);
        sched();
        r = p->ipc.result;
    }
    spin_unlock(&sched_lock);
    return r;
}

/* The caller pid is waiting for a reply from p: its process, or NULL. */
static struct proc *reply_target(struct proc *p, int pid)
{
    struct proc *c = proc_find(pid);
    if (!c || c->state != SLEEPING || c->ipc.wait != IPC_AWAITING_REPLY || c->ipc.ep->owner != p)
        return NULL;
    return c;
}

static void set_reply(struct proc *c, const uint64 reply[4])
{
    struct ipc_msg *m = c->ipc.msg;
    TRACE(TR_IPC_REPLY, TRACE_SELF, c->pid, reply[0], reply[1], 0);
    m->w[0] = reply[0], m->w[1] = reply[1], m->w[2] = reply[2], m->w[3] = reply[3];
}

long ipc_reply(int pid, const uint64 reply[4])
{
    struct proc *p = myproc();
    spin_lock(&sched_lock);
    struct proc *c = reply_target(p, pid);
    if (c) {
        set_reply(c, reply);
        wake_caller(c, 0);
    }
    spin_unlock(&sched_lock);
    return c ? 0 : -ESRCH;
}

long ipc_reply_recv(int h, int pid, const uint64 reply[4])
{
    struct proc *p = myproc();
    spin_lock(&sched_lock);
    struct endpoint *ep = ipc_handle(p, h);
    struct proc *c = pid ? reply_target(p, pid) : NULL;
    long r;
    if (!ep || ep->owner != p) {
        r = ep ? -EPERM : -EBADF;
    } else if (pid && !c) {
        r = -ESRCH;
    } else {
        if (c) set_reply(c, reply); /* before our own words are overwritten */
        if (take_message(p, ep)) {
            if (c) wake_caller(c, 0);
            r = p->ipc.result;
        } else if (p->killed) {
            if (c) wake_caller(c, 0);
            r = -EINTR;
        } else {
            block_receiving(p, ep);
            if (c) {
                /* Fast path: run the caller now, on this hart. */
                list_del(&c->qlink);
                c->ipc.wait = IPC_IDLE;
                c->ipc.result = 0;
#if PAGODA_IPC_DIRECT
                sched_to(c);
#else
                make_runnable(c);
                sched();
#endif
            } else {
                sched();
            }
            r = p->ipc.result;
        }
    }
    spin_unlock(&sched_lock);
    return r;
}

void ipc_kernel_notify(struct endpoint *ep, uint64 bits)
{
    TRACE(TR_IPC_NOTIFY, TRACE_SELF, ep - endpoints, ep->owner ? ep->owner->pid : 0, bits, 0);
    ep->notify_bits |= bits;
    if (list_empty(&ep->receiver)) return;
    struct proc *srv = list_entry(ep->receiver.next, struct proc, qlink);
    if (!take_kernel_msg(srv, ep)) return; /* nothing new (zero bits): keep waiting */
    list_del(&srv->qlink);
    srv->ipc.wait = IPC_IDLE;
    make_runnable(srv);
}

long ipc_notify(int h, uint64 bits)
{
    spin_lock(&sched_lock);
    struct endpoint *ep = ipc_handle(myproc(), h);
    long r = !ep ? -EBADF : !ep->owner ? -EPIPE : 0;
    if (r == 0) ipc_kernel_notify(ep, bits);
    spin_unlock(&sched_lock);
    return r;
}

static void push_event(struct subscriber *s, int kind, int pid, int ppid)
{
    if (s->tail - s->head >= NEVENT) { /* only a clients-only queue can fill */
        s->overflow = 1;
    } else {
        uint64 e = s->tail++ % NEVENT;
        s->ev[e].kind = kind, s->ev[e].pid = pid, s->ev[e].ppid = ppid;
    }
    ipc_kernel_notify(s->ep, 0); /* wakes the subscriber if it waits */
}

long ipc_ev_subscribe(int h, int kinds)
{
    struct proc *p = myproc();
    if (!p->ipc.privileged) return -EPERM;
    if (kinds != IPC_EV_ALL && kinds != IPC_EV_CLIENT_EXITS) return -EINVAL;
    spin_lock(&sched_lock);
    struct endpoint *ep = ipc_handle(p, h);
    long r = !ep ? -EBADF : ep->owner != p ? -EPERM : -EBUSY; /* busy: no free slot */
    for (int i = 0; ep && ep->owner == p && !ep->sub && i < IPC_NSUBSCRIBER; i++) {
        struct subscriber *s = &subs[i];
        if (s->ep) continue;
        s->ep = ep;
        s->clients_only = kinds == IPC_EV_CLIENT_EXITS;
        s->head = s->tail = s->reserved = 0;
        s->overflow = 0;
        s->generation = ++ev_generation;
        ep->sub = i + 1;
        ep->sub_bit = s->clients_only ? 1U << i : 0;
        nsubs++;
        r = 0;
        break;
    }
    spin_unlock(&sched_lock);
    return r;
}

/* Called under sched_lock as a child is born. An exit event must never be
 * lost, so the fork reserves room for it and fails when there is none. */
int ipc_fork_event(struct proc *child)
{
    if (!nsubs) return 0;
    for (int i = 0; i < IPC_NSUBSCRIBER; i++) {
        struct subscriber *s = &subs[i];
        if (s->ep && !s->clients_only && s->tail - s->head + s->reserved + 2 > NEVENT)
            return -EAGAIN;
    }
    for (int i = 0; i < IPC_NSUBSCRIBER; i++) {
        struct subscriber *s = &subs[i];
        if (!s->ep || s->clients_only) continue;
        s->reserved++;
        child->ipc.ev_reserved[i] = s->generation;
        push_event(s, IPC_KERNEL_FORK, child->pid, child->parent->pid);
    }
    return 0;
}

void ipc_fork(struct proc *child, struct proc *parent)
{
    for (int h = 0; h < NHANDLE; h++) {
        struct endpoint *ep = parent->ipc.handles[h];
        child->ipc.handles[h] = ep;
        if (ep) ep->refs++;
    }
}

void ipc_exit(struct proc *p)
{
    for (int i = 0; i < NENDPOINT; i++)
        if (endpoints[i].owner == p) ep_destroy(&endpoints[i]);
    for (int h = 0; h < NHANDLE; h++) {
        if (p->ipc.handles[h]) ep_put(p->ipc.handles[h]);
        p->ipc.handles[h] = NULL;
    }
    for (int i = 0; i < IPC_NSUBSCRIBER && nsubs; i++) {
        struct subscriber *s = &subs[i];
        int reserved = p->ipc.ev_reserved[i] == s->generation;
        if (s->ep && !s->clients_only && reserved) s->reserved--;
        if (s->ep && (reserved || (p->ipc.client_of & s->ep->sub_bit)))
            push_event(s, IPC_KERNEL_EXIT, p->pid, p->parent->pid);
        p->ipc.ev_reserved[i] = 0;
    }
    p->ipc.client_of = 0;
}
