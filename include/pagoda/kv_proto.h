/* The protocol of the key-value server (servers/kv, the ipc-server lab,
 * docs/labs/ipc-server.md), shared by the server and its client library
 * (user/lib/kv.c). Keys and values are longs. Every request is an ipc_call
 * whose w[0] is the operation; the reply's w[0] is 0 or a negative error
 * code, w[1] the value where there is one. */
#ifndef PAGODA_KV_PROTO_H
#define PAGODA_KV_PROTO_H

#define KV_NAME "kv" /* the endpoint's registered name */

#define KV_PUT     1 /* (key, value) -> 0; -ENOMEM: table full */
#define KV_GET     2 /* (key) -> 0, value; -ENOENT */
#define KV_WAIT    3 /* (key) -> 0, value, as soon as the key exists: a deferred reply */
#define KV_CONNECT 4 /* ipc_share of one page holding a struct kv_batch -> 0 */
#define KV_GETMANY 5 /* (n) -> keys found; fills values[], found[] of the shared batch */

#define KV_KEYS      64 /* the server's table */
#define KV_WAITERS   16 /* callers waiting at once; more: -EBUSY */
#define KV_BATCH_MAX 200

/* One page, shared once per connection (KV_CONNECT); a KV_GETMANY names
 * how many keys it holds. */
struct kv_batch {
    long keys[KV_BATCH_MAX];
    long values[KV_BATCH_MAX];
    unsigned char found[KV_BATCH_MAX];
};
_Static_assert(sizeof(struct kv_batch) <= 4096, "kv_batch fits a page");

#endif
