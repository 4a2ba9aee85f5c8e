/* mkfs: make a Pagoda file-system image from host files and folders.
 *
 *   mkfs IMAGE SIZE_MB [options] [ITEM...]
 *     ITEM            a host file or folder, put in "/" under its own name
 *     FSPATH=HOST     a host file or folder put at FSPATH (folders on the
 *                     way are created)
 *     -d HOSTDIR      the contents of HOSTDIR become the contents of "/"
 *     -m FSPATH:MAJOR:MINOR   a device node
 *     -i NINODES      number of inodes (default: one per 8 blocks)
 *     -s SCRATCH_MB   leave the last SCRATCH_MB of the image outside the
 *                     file system (for raw-disk tests)
 *
 * The image is built in memory, checked, and written to IMAGE.tmp.PID
 * which is renamed to IMAGE: on any error nothing is written and the exit
 * status is 1 (2 for bad usage). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "servers/fs/core.h"

static const char *errname(int e)
{
    switch (-e) {
    case ENOSPC:
        return "the image is too small (no free block or inode)";
    case ENAMETOOLONG:
        return "a name is longer than 60 bytes";
    case EEXIST:
        return "the name exists twice";
    case ENOTDIR:
        return "a path goes through a file";
    case EFBIG:
        return "the file is too big for the format";
    case EINVAL:
        return "invalid";
    default:
        return "error";
    }
}

static int fail(const char *what, const char *path, int e)
{
    fprintf(stderr, "mkfs: %s %s: %s (%d)\n", what, path, errname(e), e);
    return -1;
}

static int copy_tree(const char *host, const char *fspath);

static int copy_file(const char *host, const char *fspath)
{
    FILE *f = fopen(host, "rb");
    if (!f) {
        fprintf(stderr, "mkfs: %s: %s\n", host, strerror(errno));
        return -1;
    }
    uint32_t ino;
    int r = fs_create(FS_ROOT_INO, fspath, T_FILE, 0, 0, &ino);
    if (r < 0) {
        fclose(f);
        return fail("cannot create", fspath, r);
    }
    static uint8_t chunk[1 << 16];
    uint64_t off = 0;
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        long w = fs_write(ino, off, chunk, n);
        if (w != (long)n) {
            fclose(f);
            return fail("cannot write", fspath, w < 0 ? (int)w : -ENOSPC);
        }
        off += n;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "mkfs: %s: read error\n", host);
        return -1;
    }
    return 0;
}

/* Copy the entries of host folder dir into fs folder fsdir (sorted, so
 * images are reproducible). */
static int copy_dir_contents(const char *dir, const char *fsdir)
{
    size_t n;
    char **names = host_list(dir, &n);
    if (!names) return -1;
    int r = 0;
    for (size_t i = 0; i < n && r == 0; i++) {
        size_t hl = strlen(dir) + strlen(names[i]) + 2;
        size_t fl = strlen(fsdir) + strlen(names[i]) + 2;
        char *h = malloc(hl), *f = malloc(fl);
        if (!h || !f) r = -1;
        if (r == 0) {
            snprintf(h, hl, "%s/%s", dir, names[i]);
            snprintf(f, fl, "%s/%s", strcmp(fsdir, "/") == 0 ? "" : fsdir, names[i]);
            r = copy_tree(h, f);
        }
        free(h);
        free(f);
    }
    host_list_free(names, n);
    return r;
}

static int copy_tree(const char *host, const char *fspath)
{
    int kind = host_kind(host);
    if (kind == HOST_MISSING) return -1;
    if (kind == HOST_FILE) return copy_file(host, fspath);
    if (kind != HOST_DIR) {
        fprintf(stderr, "mkfs: %s: not a file or folder\n", host);
        return -1;
    }
    uint32_t ino;
    int r = fs_create(FS_ROOT_INO, fspath, T_DIR, 0, 0, &ino);
    if (r < 0 && r != -EEXIST) return fail("cannot create folder", fspath, r);
    return copy_dir_contents(host, fspath);
}

/* Create the folders on the way to fspath. */
static int make_parents(const char *fspath)
{
    char *p = strdup(fspath);
    int r = 0;
    for (char *s = p + 1; *s && r == 0; s++) {
        if (*s != '/') continue;
        *s = 0;
        uint32_t ino;
        r = fs_create(FS_ROOT_INO, p, T_DIR, 0, 0, &ino);
        if (r == -EEXIST) r = 0;
        if (r < 0) fail("cannot create folder", p, r);
        *s = '/';
    }
    free(p);
    return r;
}

static int add_item(const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (eq) {
        char *fspath = strndup(arg, (size_t)(eq - arg));
        int r = fspath[0] == '/' ? make_parents(fspath) : -1;
        if (fspath[0] != '/') fprintf(stderr, "mkfs: %s: FSPATH must start with /\n", fspath);
        if (r == 0) r = copy_tree(eq + 1, fspath);
        free(fspath);
        return r;
    }
    const char *base = strrchr(arg, '/');
    base = base && base[1] ? base + 1 : arg;
    size_t l = strlen(base) + 2;
    char *fspath = malloc(l);
    snprintf(fspath, l, "/%s", base);
    int r = copy_tree(arg, fspath);
    free(fspath);
    return r;
}

static int add_device(const char *arg)
{
    char path[512];
    int major, minor;
    if (sscanf(arg, "%511[^:]:%d:%d", path, &major, &minor) != 3 || major < 0 || minor < 0 ||
        major > 65535 || minor > 65535) {
        fprintf(stderr, "mkfs: -m %s: want FSPATH:MAJOR:MINOR\n", arg);
        return -1;
    }
    uint32_t ino;
    int r = make_parents(path);
    if (r == 0) r = fs_create(FS_ROOT_INO, path, T_DEVICE, major, minor, &ino);
    return r < 0 ? fail("cannot create device", path, r) : 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: mkfs IMAGE SIZE_MB [-i NINODES] [-s SCRATCH_MB] [-d HOSTDIR]\n"
                    "            [-m FSPATH:MAJOR:MINOR] [HOSTPATH | FSPATH=HOSTPATH]...\n");
    return 2;
}

static long number(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *s && !*end && v >= 0 ? v : -1;
}

int main(int argc, char **argv)
{
    if (argc < 3) return usage();
    const char *image = argv[1];
    long size_mb = number(argv[2]), ninodes = 0, scratch_mb = 0;
    if (size_mb <= 0 || size_mb > 65536) {
        fprintf(stderr, "mkfs: SIZE_MB must be 1..65536, not %s\n", argv[2]);
        return 2;
    }
    /* first pass: options that shape the format */
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "-i") == 0 || strcmp(argv[i], "-s") == 0) {
            if (i + 1 >= argc) return usage();
            long v = number(argv[i + 1]);
            if (v < 0) return usage();
            if (argv[i][1] == 'i')
                ninodes = v;
            else
                scratch_mb = v;
            i++;
        } else if (strcmp(argv[i], "-d") == 0 || strcmp(argv[i], "-m") == 0) {
            if (++i >= argc) return usage();
        } else if (argv[i][0] == '-') {
            return usage();
        }
    }
    if (scratch_mb >= size_mb) {
        fprintf(stderr, "mkfs: the scratch area must be smaller than the image\n");
        return 1;
    }
    uint32_t nblocks = (uint32_t)(size_mb * 256);
    uint32_t fs_blocks = (uint32_t)((size_mb - scratch_mb) * 256);
    uint8_t *img = calloc(nblocks, BSIZE);
    if (!img) {
        fprintf(stderr, "mkfs: out of memory\n");
        return 1;
    }
    hostbio_attach(img, nblocks, 0);
    int r = fs_format(fs_blocks, (uint32_t)ninodes, 0);
    if (r < 0)
        fprintf(stderr, "mkfs: cannot format %ld MiB with %ld inodes (%d)\n", size_mb - scratch_mb,
                ninodes, r);
    for (int i = 3; i < argc && r == 0; i++) {
        if (strcmp(argv[i], "-i") == 0 || strcmp(argv[i], "-s") == 0)
            i++;
        else if (strcmp(argv[i], "-d") == 0)
            r = copy_dir_contents(argv[++i], "/");
        else if (strcmp(argv[i], "-m") == 0)
            r = add_device(argv[++i]);
        else
            r = add_item(argv[i]);
    }
    if (r == 0) r = fs_sync();
    if (r == 0 && fs_check(stderr, 0) != 0) {
        fprintf(stderr, "mkfs: the new image does not check clean (a bug)\n");
        r = -1;
    }
    hostbio_detach();
    if (r == 0) r = image_save(image, img, nblocks);
    free(img);
    return r == 0 ? 0 : 1;
}
