/* ticker: a clock for a server that has none. `ticker NAME BITS TICKS`
 * notifies the endpoint registered as NAME with BITS every TICKS ticks, and
 * exits as soon as that endpoint is gone (the notify fails).
 *
 * The fs server spawns one once its file system is mounted, so that
 * committed-but-unsynced work is made durable within a bounded time
 * (docs/fs.md). It is a program of its own rather than a fork of the fs
 * server: a copy-on-write fork shared all of the server's 800 KiB, so each
 * page the server first wrote later was copied, and the shared pages
 * outlived the server by up to a tick. */
#include "user.h"
#include "ipc.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        printf("usage: ticker NAME BITS TICKS\n");
        return 2;
    }
    int h = ep_lookup(argv[1]);
    long bits = atoi(argv[2]), ticks = atoi(argv[3]);
    if (h < 0 || bits <= 0 || ticks <= 0) return 1;
    for (;;) {
        sleep(ticks);
        if (ipc_notify(h, bits) < 0) return 0;
    }
}
