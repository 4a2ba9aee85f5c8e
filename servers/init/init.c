/* init: the first process. Starts the shell on the console, restarts it when
 * it exits, and reaps every orphan handed to it. */
#include "user.h"

int main(void)
{
    for (;;) {
        printf("init: starting sh\n");
        int pid = fork();
        if (pid < 0) {
            printf("init: fork failed\n");
            sleep(100);
            continue;
        }
        if (pid == 0) {
            char *argv[] = {"sh", 0};
            exec("sh", argv);
            printf("init: cannot exec sh\n");
            exit(1);
        }
        /* Reap until the shell itself is gone. */
        int w;
        while ((w = wait(0)) >= 0 && w != pid) {
        }
    }
}
