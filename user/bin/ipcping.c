/* ipcping: a quick IPC round trip demo. Forks a server that registers
 * "ping" and answers each call with its word plus one. */
#include "user.h"
#include "ipc.h"

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 1000;
    int ep = ep_create();
    if (ep < 0 || ep_register(ep, "ping") < 0) {
        printf("ipcping: cannot create the endpoint\n");
        exit(1);
    }
    int pid = fork();
    if (pid == 0) { /* client */
        int h = ep_lookup("ping");
        for (long i = 0; i < rounds; i++) {
            long w[4] = {i, 0, 0, 0};
            long r = ipc_call(h, w);
            if (r < 0 || w[0] != i + 1) {
                printf("ipcping: round %ld: status %ld, got %ld\n", i, r, w[0]);
                exit(1);
            }
        }
        exit(0);
    }
    struct ipc_msg m;
    long r = ipc_recv(ep, &m);
    for (int n = 0; r >= 0; n++) {
        long w[4] = {m.w[0] + 1, 0, 0, 0};
        if (n == rounds - 1) {
            ipc_reply(m.pid, w);
            break;
        }
        r = ipc_reply_recv(ep, m.pid, w, &m);
    }
    int status;
    wait(&status);
    printf("ipcping: %d rounds, client status %d\n", rounds, status);
    exit(status);
}
