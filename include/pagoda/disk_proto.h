/* The disk server's IPC protocol. Included by the server and by
 * its clients (user/lib/disk.c, the fs server).
 *
 * The disk is an array of 4 KiB blocks. Data never travels in messages: a
 * client first hands the server a region of its shared pages, then each
 * request names a block number and a page of that region; the device moves
 * the data straight to or from that page (DMA), with no copy.
 *
 * Connect (once per process; again to replace the region):
 *     ipc_share(h, region, npages, DISK_CONNECT, 0, reply)
 *     region: from shm_alloc() or dma_alloc(), npages >= 1
 *     reply w[0] = 0 and w[1] = capacity in blocks,
 *           or -EBUSY (DISK_MAX_CLIENTS connected), -EINVAL, -ENOMEM
 * Requests (ipc_call, w = {op, block, page, nblocks}):
 *     DISK_READ   read blocks [block, block+n) into pages [page, page+n)
 *     DISK_WRITE  write pages [page, page+n) to blocks [block, block+n)
 *                 n = nblocks, 0 meaning 1, at most DISK_MAX_NBLOCKS; the
 *                 blocks are moved as separate device requests, all in
 *                 flight together, and the reply comes when all are done
 *     DISK_FLUSH  make every completed write durable (block, page ignored)
 *     DISK_INFO   w[1] = capacity in blocks, w[2] = DISK_INFO_* flags,
 *                 w[3] = DISK_MAX_NBLOCKS (needs no connection)
 *     DISK_DISCONNECT  the server unmaps the region
 *     reply w[0] = 0, or a negative error:
 *       -ENOENT  not connected
 *       -EINVAL  block + n > capacity, page + n > npages, bad n or op
 *       -EPERM   write to a read-only disk
 *       -EIO     the device reported an error (for any of the n blocks)
 *
 * The server answers each read/write/flush only when the device has finished
 * it (a deferred reply), and keeps requests of different clients in flight
 * at the same time. The server identifies clients by pid: a child process
 * after fork is not connected (fork does not copy shared pages) and must
 * connect itself.
 *
 * Limitation: the server is not told when a client exits (only one server,
 * fs, may subscribe to exit events). A client should send DISK_DISCONNECT;
 * if it does not, its region stays mapped in the server until a later
 * DISK_CONNECT finds the table full, when the server drops the entries of
 * processes that no longer exist (by pid, via procinfo).
 *
 * The asynchronous ring (for a server client such as fs, which must not
 * block in ipc_call while it has other work):
 *     ipc_call(h, {DISK_RING_SETUP, page, 0, 0}) after DISK_CONNECT
 *     page: the page of the region that holds a struct disk_ring, zeroed
 *           except `notify`, the name of an endpoint the client owns
 *     reply w[0] = 0, or -ENOENT (not connected or no such endpoint name),
 *           -EINVAL (bad page), -EBUSY (DISK_MAX_RINGS rings exist)
 * Then the client puts requests in the submission queue and calls
 * ipc_notify(h, DISK_RING_KICK); the disk server takes every entry between
 * sub_head and sub_tail, moves the blocks, and for each finished request puts
 * {tag, status} in the completion queue and notifies the client's endpoint
 * with DISK_RING_DONE (one notify for all the completions of an interrupt).
 *
 *      client writes           server writes
 *      sub[], sub_tail  --->   sub_head          (submissions)
 *      done_head        <---   done[], done_tail (completions)
 *
 * Indexes only grow (mod 2^32); entry i is at [i % DISK_RING_SIZE]. Each
 * side publishes its index with a release store after writing the entries
 * and reads the other side's with an acquire load. The client keeps at most
 * DISK_RING_SIZE requests outstanding, so neither queue overflows.
 * A request's status is 0 or -EINVAL, -EPERM, -EIO as for DISK_READ/WRITE;
 * its blocks, like DISK_READ's, are in flight together. DISK_FLUSH entries
 * are ordered after every write whose completion the client has seen. */
#ifndef PAGODA_DISK_PROTO_H
#define PAGODA_DISK_PROTO_H

#define DISK_NAME "disk" /* ep_lookup name */

#define DISK_BLOCK_SIZE 4096

#define DISK_CONNECT    1
#define DISK_DISCONNECT 2
#define DISK_INFO       3
#define DISK_READ       4
#define DISK_WRITE      5
#define DISK_FLUSH      6
#define DISK_RING_SETUP 7

#define DISK_MAX_CLIENTS 16 /* connected processes at once */
#define DISK_MAX_NBLOCKS 64 /* blocks per read/write call */

/* DISK_INFO flags (reply w[2]) */
#define DISK_INFO_READONLY 1 /* writes fail with -EPERM */
#define DISK_INFO_CACHE    2 /* the device caches writes: DISK_FLUSH matters */

/* The ring in one page of the region (see above). */
#define DISK_RING_SIZE  64          /* entries per queue, a power of two */
#define DISK_MAX_RINGS  2           /* ring clients at once */
#define DISK_RING_KICK  (1UL << 63) /* client -> disk: look at sub[] */
#define DISK_RING_DONE  (1UL << 62) /* disk -> client: look at done[] */
#define DISK_NOTIFY_LEN 16          /* = IPC_NAME_LEN */

struct disk_ring_req {
    unsigned int op;      /* DISK_READ, DISK_WRITE or DISK_FLUSH */
    unsigned int nblocks; /* 1..DISK_MAX_NBLOCKS (ignored for a flush) */
    unsigned int page;    /* first page of the region */
    unsigned int tag;     /* the client's, echoed in the completion */
    unsigned long block;  /* first block */
};

struct disk_ring_done {
    unsigned int tag;
    int status; /* 0 or a negative error */
};

struct disk_ring {
    char notify[DISK_NOTIFY_LEN]; /* endpoint to notify, NUL-terminated */
    unsigned int sub_head, sub_tail;
    unsigned int done_head, done_tail;
    struct disk_ring_req sub[DISK_RING_SIZE];
    struct disk_ring_done done[DISK_RING_SIZE];
};

#endif
