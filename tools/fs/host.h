/* The host side of the file-system core (mkfs, fsck, the host tests): a
 * bio.h implementation over an image held in host memory, formatting an
 * empty file system, and checking one. Host-only code; the core itself is
 * servers/fs/, compiled unchanged.
 *
 * The "device" is the image array: a write lands in it at once, but is not
 * durable until the next bflush. A simulated power cut (hostbio_crash_after)
 * drops every later write and flush and, for each block written since the
 * last flush, keeps or loses that block's newest contents at random, as a
 * disk with a volatile write cache may. */
#ifndef TOOLS_FS_HOST_H
#define TOOLS_FS_HOST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* hostbio.c */
void hostbio_attach(uint8_t *image, uint32_t nblocks, uint32_t cache_blocks);
int hostbio_detach(void); /* drop the cache: the number of buffers still pinned */
int hostbio_pinned(void); /* buffers pinned now */
void hostbio_crash_after(long k, uint32_t seed); /* power fails after k more block writes */
int hostbio_crashed(void);
long hostbio_writes(void);       /* block writes so far */
long hostbio_reads(void);        /* block reads from the device so far */
void hostbio_fail_reads(long k); /* after k more device reads, reads fail (-EIO); -1: never */

/* image.c: image files. */
int image_load(const char *path, uint8_t **image,
               uint32_t *nblocks); /* 0 or -1 (message printed) */
/* Write the image to path through a temporary file renamed over it, so no
 * half-written image is ever left: 0 or -1 (message printed). */
int image_save(const char *path, const uint8_t *image, uint32_t nblocks);

/* hostdir.c: host files and folders for mkfs (messages printed). */
#define HOST_MISSING 0
#define HOST_FILE    1
#define HOST_DIR     2
#define HOST_OTHER   3
int host_kind(const char *path);
char **host_list(const char *dir, size_t *count); /* sorted names, NULL on error */
void host_list_free(char **names, size_t count);

/* format.c: an empty file system of fs_blocks blocks (the image may be
 * larger: the rest is a scratch area outside the file system). ninodes and
 * log_blocks 0 pick defaults. Mounts it (fs_mount) on success. 0 or -error. */
int fs_format(uint32_t fs_blocks, uint32_t ninodes, uint32_t log_blocks);

/* check.c: check the attached image; print each problem to out (and, with
 * verbose, what was checked). Replays the log and frees orphans in the
 * attached copy as a mount would. Returns the number of problems. */
int fs_check(FILE *out, int verbose);

#endif
