/* ln old new: make new another name (a hard link) for the file old. */
#include "user.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(2, "usage: ln old new\n");
        exit(2);
    }
    if (link(argv[1], argv[2]) < 0) {
        perror_path("ln", argv[2]);
        exit(1);
    }
    exit(0);
}
