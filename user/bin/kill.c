/* kill pid...: ask the kernel to kill each process. */
#include "user.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(2, "usage: kill pid...\n");
        exit(2);
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        while (*s >= '0' && *s <= '9') s++;
        if (*s != 0 || s == argv[i]) {
            fprintf(2, "usage: kill pid...\n");
            exit(2);
        }
        if (kill(atoi(argv[i])) < 0) {
            perror_path("kill", argv[i]);
            status = 1;
        }
    }
    exit(status);
}
