/* fsck: check a Pagoda file-system image and print what is wrong.
 *
 *   fsck [-v] IMAGE
 *
 * The image file is never written: a committed log group is replayed and
 * orphaned inodes are freed in a copy in memory, as the next mount would,
 * and that state is checked. Exit status 0 only when clean, 1 when
 * problems were found, 2 when the image cannot be read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

int main(int argc, char **argv)
{
    int verbose = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = 1;
        else if (!path && argv[i][0] != '-')
            path = argv[i];
        else
            path = NULL, i = argc;
    }
    if (!path) {
        fprintf(stderr, "usage: fsck [-v] IMAGE\n");
        return 2;
    }
    uint8_t *img;
    uint32_t nblocks;
    if (image_load(path, &img, &nblocks) < 0) return 2;
    hostbio_attach(img, nblocks, 0);
    int problems = fs_check(stdout, verbose);
    hostbio_detach();
    free(img);
    if (problems)
        printf("fsck: %s: %d problem%s\n", path, problems, problems == 1 ? "" : "s");
    else
        printf("fsck: %s: clean\n", path);
    return problems ? 1 : 0;
}
