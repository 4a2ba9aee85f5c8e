/* Image files for mkfs and fsck: read a whole image into memory, and write
 * one through a temporary file that is renamed into place only when
 * complete, so an interrupted or failed mkfs never leaves a partial image. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "servers/fs/bio.h"

int image_load(const char *path, uint8_t **image, uint32_t *nblocks)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    if (fseek(f, 0, SEEK_END) != 0) {
        fprintf(stderr, "%s: cannot seek\n", path);
        fclose(f);
        return -1;
    }
    long size = ftell(f);
    rewind(f);
    if (size < BSIZE || size % BSIZE) {
        fprintf(stderr, "%s: size %ld is not a positive multiple of %d\n", path, size, BSIZE);
        fclose(f);
        return -1;
    }
    uint8_t *p = malloc((size_t)size);
    if (!p || fread(p, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(p);
        fclose(f);
        return -1;
    }
    fclose(f);
    *image = p;
    *nblocks = (uint32_t)(size / BSIZE);
    return 0;
}

int image_save(const char *path, const uint8_t *image, uint32_t nblocks)
{
    size_t len = strlen(path) + 32;
    char *tmp = malloc(len);
    if (!tmp) return -1;
    snprintf(tmp, len, "%s.tmp.%d", path, (int)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    size_t size = (size_t)nblocks * BSIZE;
    int ok = fwrite(image, 1, size, f) == size;
    ok = fflush(f) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (ok && rename(tmp, path) != 0) ok = 0;
    if (!ok) {
        fprintf(stderr, "%s: cannot write the image (%s)\n", path, strerror(errno));
        remove(tmp);
    }
    free(tmp);
    return ok ? 0 : -1;
}
