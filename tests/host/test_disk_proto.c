/* Host tests of the disk protocol's message helpers (include/pagoda/
 * disk_proto.h): each field lands in the word the protocol comment names,
 * and unpacking gives back what was packed. The server and its clients rely
 * on exactly these positions, so a helper that moved a field would make them
 * disagree without any compiler noticing. Prints "ok NAME" / "FAIL NAME" and
 * "N passed, M failed". */
#include <stdio.h>
#include "pagoda/disk_proto.h"

static int passed, failed;

static void check(int ok, const char *name)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", name);
    if (ok)
        passed++;
    else
        failed++;
}

int main(void)
{
    long w[4] = {-1, -1, -1, -1};
    disk_req_pack(w, (struct disk_req){.op = DISK_WRITE, .block = 7, .page = 3, .nblocks = 5});
    check(w[0] == DISK_WRITE && w[1] == 7 && w[2] == 3 && w[3] == 5,
          "request words: {op, block, page, nblocks}");
    struct disk_req r = disk_req_unpack(w);
    check(r.op == DISK_WRITE && r.block == 7 && r.page == 3 && r.nblocks == 5,
          "request round trip");

    disk_req_pack(w, (struct disk_req){.op = DISK_FLUSH});
    check(w[0] == DISK_FLUSH && w[1] == 0 && w[2] == 0 && w[3] == 0,
          "fields left out are sent as 0");

    disk_reply_pack(w,
                    (struct disk_reply){
                        .status = 0, .blocks = 8192, .flags = DISK_INFO_CACHE, .max_nblocks = 64});
    check(w[0] == 0 && w[1] == 8192 && w[2] == DISK_INFO_CACHE && w[3] == 64,
          "reply words: {status, blocks, flags, max_nblocks}");
    struct disk_reply p = disk_reply_unpack(w);
    check(p.status == 0 && p.blocks == 8192 && p.flags == DISK_INFO_CACHE && p.max_nblocks == 64,
          "reply round trip");

    disk_reply_pack(w, (struct disk_reply){.status = -5});
    check(disk_reply_unpack(w).status == -5 && w[1] == 0, "an error reply");

    /* ipc_share(h, region, npages, DISK_CONNECT, 0): the server receives the
     * op in w[0] and the page count in w[2]. */
    long shared[4] = {DISK_CONNECT, 0, 12, 0};
    check(disk_connect_npages(shared) == 12 && disk_req_unpack(shared).op == DISK_CONNECT,
          "connect: op and page count");

    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
