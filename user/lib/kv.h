/* The client library of the key-value server (servers/kv, protocol
 * include/pagoda/kv_proto.h, the ipc-server lab). Each call returns 0 (or a
 * count) on success, a negative error code on failure: -ENOENT when no
 * server runs or the key is missing. */
#ifndef PAGODA_USER_KV_H
#define PAGODA_USER_KV_H

#include "pagoda/kv_proto.h"

long kv_put(long key, long value);
long kv_get(long key, long *value);
long kv_wait(long key, long *value); /* blocks until the key exists */
/* Look up n keys (n <= KV_BATCH_MAX) in one call through a shared page:
 * values[i] and found[i] for keys[i]; returns how many were found. */
long kv_get_many(int n, const long *keys, long *values, unsigned char *found);

#endif
