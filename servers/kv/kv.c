/* kv: a key-value server, the solution of the ipc-server lab
 * (docs/labs/ipc-server.md). A table of KV_KEYS longs; KV_WAIT parks the
 * caller (a deferred reply) until someone puts the key, while the server goes
 * on serving others; KV_GETMANY looks up a batch of keys in a page the client
 * shared once (KV_CONNECT), so a batch costs one call and no copies through
 * the kernel. Not started at boot: a client (kvtest) starts it with exec. The
 * protocol is include/pagoda/kv_proto.h. */
#include "user.h"
#include "ipc.h"
#include "pagoda/kv_proto.h"

#define KV_CLIENTS 8 /* connections; the oldest goes when a new one needs room */

/* LAB ipc-server BEGIN */
static struct {
    long key, value;
    int used;
} table[KV_KEYS];

static struct {
    long pid, key;
} waiters[KV_WAITERS];
static int nwaiters;

static struct {
    long pid, npages, since;
    struct kv_batch *batch;
} clients[KV_CLIENTS];
static long now;

static int find(long key)
{
    for (int i = 0; i < KV_KEYS; i++)
        if (table[i].used && table[i].key == key) return i;
    return -1;
}

/* Store, then answer everyone who waited for this key. */
static long put(long key, long value)
{
    int i = find(key);
    for (int j = 0; i < 0 && j < KV_KEYS; j++)
        if (!table[j].used) i = j;
    if (i < 0) return -ENOMEM;
    table[i].key = key, table[i].value = value, table[i].used = 1;
    for (int w = 0; w < nwaiters;) {
        if (waiters[w].key != key) {
            w++;
            continue;
        }
        long r[4] = {0, value, 0, 0};
        ipc_reply((int)waiters[w].pid, r); /* -ESRCH if it died meanwhile: fine */
        waiters[w] = waiters[--nwaiters];
    }
    return 0;
}

/* A client's pages, mapped here by its ipc_share. A client that connects
 * again gets a fresh slot; the oldest connection is dropped for room. */
static long connect(struct ipc_msg *m)
{
    int slot = 0;
    for (int i = 0; i < KV_CLIENTS; i++) {
        if (clients[i].pid == m->pid || !clients[i].batch) {
            slot = i;
            break;
        }
        if (clients[i].since < clients[slot].since) slot = i;
    }
    if (clients[slot].batch) shm_free(clients[slot].batch, clients[slot].npages);
    clients[slot].pid = m->pid;
    clients[slot].npages = m->w[2];
    clients[slot].batch = m->shared;
    clients[slot].since = ++now;
    return 0;
}

static long get_many(long pid, long n)
{
    struct kv_batch *b = 0;
    for (int i = 0; i < KV_CLIENTS; i++)
        if (clients[i].batch && clients[i].pid == pid) b = clients[i].batch;
    if (!b || n < 0 || n > KV_BATCH_MAX) return -EINVAL;
    long found = 0;
    for (long i = 0; i < n; i++) {
        int k = find(b->keys[i]);
        b->found[i] = k >= 0;
        b->values[i] = k >= 0 ? table[k].value : 0;
        found += k >= 0;
    }
    return found;
}

/* One request: fill r and return 1 to reply now, 0 to reply later. */
static int handle(struct ipc_msg *m, long r[4])
{
    if (m->shared) {
        if (m->w[0] == KV_CONNECT && m->w[2] * 4096 >= (long)sizeof(struct kv_batch)) {
            r[0] = connect(m);
            return 1;
        }
        shm_free(m->shared, m->w[2]);
        r[0] = -EINVAL;
        return 1;
    }
    int i;
    switch (m->w[0]) {
    case KV_PUT:
        r[0] = put(m->w[1], m->w[2]);
        return 1;
    case KV_GET:
    case KV_WAIT:
        i = find(m->w[1]);
        if (i >= 0) {
            r[1] = table[i].value;
            return 1;
        }
        if (m->w[0] == KV_GET) {
            r[0] = -ENOENT;
            return 1;
        }
        if (nwaiters == KV_WAITERS) {
            r[0] = -EBUSY;
            return 1;
        }
        waiters[nwaiters].pid = m->pid;
        waiters[nwaiters++].key = m->w[1];
        return 0;
    case KV_GETMANY:
        r[0] = get_many(m->pid, m->w[1]);
        return 1;
    default:
        r[0] = -EINVAL;
        return 1;
    }
}
/* LAB STUB
static int handle(struct ipc_msg *m, long r[4])
{
    if (m->shared) shm_free(m->shared, m->w[2]);
    r[0] = -ENOSYS;
    return 1;
}
*/
/* LAB END */

int main(void)
{
    int h = ep_create();
    if (h < 0 || ep_register(h, KV_NAME) < 0) {
        fprintf(2, "kv: cannot register '%s' (one is running already?)\n", KV_NAME);
        exit(1);
    }
    struct ipc_msg m;
    long r[4] = {0};
    int pid = 0; /* whom to answer before the next receive */
    for (;;) {
        long rc = ipc_reply_recv(h, pid, r, &m);
        pid = 0;
        if (rc < 0 || m.pid <= 0) continue; /* a dead caller, a kernel message */
        r[0] = r[1] = r[2] = r[3] = 0;
        if (handle(&m, r)) pid = (int)m.pid;
    }
}
