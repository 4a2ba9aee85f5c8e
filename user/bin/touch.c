/* touch file...: create each file that does not exist (empty); existing files
 * are left as they are (the file system keeps no times). */
#include "user.h"
#include "fcntl.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(2, "usage: touch file...\n");
        exit(2);
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_WRONLY | O_CREATE);
        if (fd < 0) {
            perror_path("touch", argv[i]);
            status = 1;
            continue;
        }
        close(fd);
    }
    exit(status);
}
