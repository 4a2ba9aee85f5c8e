/* Host unit tests of the file-system core (servers/fs) on in-memory
 * images: format, every fs.h operation and its errors, a 64 MiB file,
 * 2,000 files in one directory, a tree 50 deep, links and renames, disk
 * full and out of inodes, unlinked-but-open files; fsck after each. */
#include <stdlib.h>
#include <string.h>

#include "fs_testlib.h"

static void format_is_clean(void)
{
    t_fresh(4, 0);
    struct stat st;
    CHECK_EQ(fs_stat(FS_ROOT_INO, &st), 0);
    CHECK_EQ(st.type, T_DIR);
    CHECK_EQ(st.nlink, 2);
    CHECK_EQ(st.ino, FS_ROOT_INO);
    uint32_t ino;
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/..", &ino), 0);
    CHECK_EQ(ino, FS_ROOT_INO);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/../../.", &ino), 0);
    CHECK_EQ(ino, FS_ROOT_INO);
    CHECK_EQ(t_fsck(), 0);
    t_done();
}

static void create_read_write(void)
{
    t_fresh(4, 0);
    uint32_t f = t_create("/a", T_FILE);
    CHECK(f != 0);
    CHECK_EQ(fs_write(f, 0, "hello", 5), 5);
    CHECK_EQ(fs_write(f, 5, " world", 6), 6);
    char buf[64];
    CHECK_EQ(t_read_str("/a", buf, sizeof(buf)), 11);
    CHECK(strcmp(buf, "hello world") == 0);
    CHECK_EQ(fs_read(f, 6, buf, 3), 3);
    CHECK(memcmp(buf, "wor", 3) == 0);
    CHECK_EQ(fs_read(f, 11, buf, 3), 0);
    CHECK_EQ(fs_read(f, 1000, buf, 3), 0);
    uint32_t again;
    CHECK_EQ(fs_create(FS_ROOT_INO, "/a", T_FILE, 0, 0, &again), -EEXIST);
    CHECK_EQ(again, f);
    /* a hole reads as zeros */
    CHECK_EQ(fs_write(f, 3 * BSIZE + 10, "x", 1), 1);
    struct stat st;
    CHECK_EQ(fs_stat(f, &st), 0);
    CHECK_EQ(st.size, 3 * BSIZE + 11);
    uint8_t blk[BSIZE];
    memset(blk, 0xaa, sizeof(blk));
    CHECK_EQ(fs_read(f, BSIZE, blk, BSIZE), BSIZE);
    int zeros = 1;
    for (int i = 0; i < BSIZE; i++) zeros &= blk[i] == 0;
    CHECK(zeros);
    /* truncate: shrinking zeroes the tail, growing reads zeros */
    CHECK_EQ(fs_truncate(f, 3), 0);
    CHECK_EQ(fs_truncate(f, 8), 0);
    CHECK_EQ(fs_read(f, 0, buf, 64), 8);
    CHECK(memcmp(buf, "hel\0\0\0\0\0", 8) == 0);
    CHECK_EQ(fs_truncate(f, MAXFILE_BYTES + 1), -EFBIG);
    /* a device node */
    uint32_t dev;
    CHECK_EQ(fs_create(FS_ROOT_INO, "/console", T_DEVICE, CONSOLE_MAJOR, 7, &dev), 0);
    int major, minor;
    CHECK_EQ(fs_device(dev, &major, &minor), 0);
    CHECK_EQ(major, CONSOLE_MAJOR);
    CHECK_EQ(minor, 7);
    CHECK_EQ(fs_device(f, &major, &minor), -EINVAL);
    CHECK_EQ(fs_write(dev, 0, "x", 1), -EINVAL);
    CHECK_EQ(fs_read(dev, 0, buf, 1), -EINVAL);
    CHECK_EQ(fs_write(FS_ROOT_INO, 0, "x", 1), -EISDIR);
    CHECK_EQ(fs_create(FS_ROOT_INO, "/bad", 9, 0, 0, &dev), -EINVAL);
    CHECK_EQ(t_fsck(), 0);
    t_done();
}

static void paths_and_errors(void)
{
    t_fresh(4, 0);
    uint32_t d = t_create("/d", T_DIR);
    uint32_t e = t_create("d/e", T_DIR);
    uint32_t f = t_create("/d/e/f", T_FILE);
    CHECK(d && e && f);
    uint32_t ino;
    CHECK_EQ(fs_lookup(d, "e/f", &ino), 0);
    CHECK_EQ(ino, f);
    CHECK_EQ(fs_lookup(e, "../e/./f", &ino), 0);
    CHECK_EQ(ino, f);
    CHECK_EQ(fs_lookup(e, "//d///e//f", &ino), 0);
    CHECK_EQ(ino, f);
    CHECK_EQ(fs_lookup(e, "..", &ino), 0);
    CHECK_EQ(ino, d);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/d/e/", &ino), 0);
    CHECK_EQ(ino, e);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/d/e/f/", &ino), -ENOTDIR);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/d/e/f/g", &ino), -ENOTDIR);
    CHECK_EQ(fs_create(FS_ROOT_INO, "/d/e/f/g", T_FILE, 0, 0, &ino), -ENOTDIR);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/d/x", &ino), -ENOENT);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/x/e", &ino), -ENOENT);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "", &ino), -ENOENT);
    CHECK_EQ(fs_lookup(f, "x", &ino), -ENOTDIR); /* a cwd that is a file */
    char name60[61], name61[62];
    memset(name60, 'n', 60);
    name60[0] = '/';
    name60[60] = 0;
    memset(name61, 'n', 61);
    name61[0] = '/';
    name61[61] = 0;
    /* "/" + 59 bytes fits; with 60 bytes (name61 is "/" + 60) it still fits */
    CHECK(t_create(name60, T_FILE) != 0);
    CHECK(t_create(name61, T_FILE) != 0);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, name61, &ino), 0);
    char name62[63];
    memset(name62, 'n', 62);
    name62[0] = '/';
    name62[62] = 0;
    CHECK_EQ(fs_create(FS_ROOT_INO, name62, T_FILE, 0, 0, &ino), -ENAMETOOLONG);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, name62, &ino), -ENAMETOOLONG);
    CHECK_EQ(fs_create(FS_ROOT_INO, "/", T_DIR, 0, 0, &ino), -EEXIST);
    CHECK_EQ(fs_create(FS_ROOT_INO, "/d/..", T_DIR, 0, 0, &ino), -EEXIST);
    char path[256];
    CHECK_EQ(fs_getpath(e, path, sizeof(path)), 4);
    CHECK(strcmp(path, "/d/e") == 0);
    CHECK_EQ(fs_getpath(FS_ROOT_INO, path, sizeof(path)), 1);
    CHECK(strcmp(path, "/") == 0);
    CHECK_EQ(fs_getpath(e, path, 4), -ENAMETOOLONG);
    CHECK_EQ(fs_getpath(f, path, sizeof(path)), -ENOTDIR);
    struct stat st;
    CHECK_EQ(fs_stat(d, &st), 0);
    CHECK_EQ(st.nlink, 3); /* its entry, its ".", e's ".." */
    CHECK_EQ(fs_stat(9999999, &st), -ENOENT);
    CHECK_EQ(t_fsck(), 0);
    t_done();
}

static void readdir_lists_entries(void)
{
    t_fresh(4, 0);
    t_create("/x", T_FILE);
    t_create("/y", T_DIR);
    t_create("/z", T_FILE);
    CHECK_EQ(fs_unlink(FS_ROOT_INO, "/x"), 0);
    struct dirent de;
    const char *want[] = {".", "..", "y", "z"};
    long off = 0;
    int n = 0;
    while ((off = fs_readdir(FS_ROOT_INO, (uint64_t)off, &de)) > 0) {
        if (n < 4) CHECK(strcmp(de.name, want[n]) == 0);
        n++;
    }
    CHECK_EQ(off, 0);
    CHECK_EQ(n, 4);
    uint32_t z;
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "z", &z), 0);
    CHECK_EQ(fs_readdir(z, 0, &de), -ENOTDIR);
    /* read() of a directory gives the raw records */
    struct dirent raw[4];
    CHECK_EQ(fs_read(FS_ROOT_INO, 0, raw, sizeof(raw)), sizeof(raw));
    CHECK_EQ(raw[2].inum, 0); /* x's slot, freed */
    CHECK(strcmp(raw[3].name, "y") == 0);
    t_done();
}

static void big_file(void)
{
    t_fresh(80, 0);
    uint32_t f = t_create("/big", T_FILE);
    const uint64_t size = 64ull << 20;
    const uint64_t step = 1 << 20;
    uint8_t *buf = malloc(step), *got = malloc(step);
    for (uint64_t off = 0; off < size; off += step) {
        t_pattern(buf, off, step, 7);
        CHECK_EQ(fs_write(f, off, buf, step), step);
    }
    struct stat st;
    CHECK_EQ(fs_stat(f, &st), 0);
    CHECK_EQ(st.size, size);
    int same = 1;
    for (uint64_t off = 0; off < size; off += step) {
        t_pattern(buf, off, step, 7);
        CHECK_EQ(fs_read(f, off, got, step), step);
        same &= memcmp(buf, got, step) == 0;
    }
    CHECK(same);
    /* unaligned piece across the indirect / double-indirect boundary */
    uint64_t edge = (uint64_t)(NDIRECT + NINDIRECT) * BSIZE - 100;
    CHECK_EQ(fs_read(f, edge, got, 300), 300);
    t_pattern(buf, edge, 300, 7);
    CHECK(memcmp(buf, got, 300) == 0);
    CHECK_EQ(t_fsck(), 0);
    /* shrinking into the double-indirect part, then to nothing */
    CHECK_EQ(fs_truncate(f, edge + 5000), 0);
    CHECK_EQ(t_fsck(), 0);
    CHECK_EQ(fs_unlink(FS_ROOT_INO, "/big"), 0);
    CHECK_EQ(t_fsck(), 0);
    /* the space is back: the same file fits again */
    f = t_create("/big2", T_FILE);
    for (uint64_t off = 0; off < size; off += step) {
        t_pattern(buf, off, step, 9);
        CHECK_EQ(fs_write(f, off, buf, step), step);
    }
    CHECK_EQ(fs_write(f, MAXFILE_BYTES, "x", 1), -EFBIG);
    CHECK_EQ(t_fsck(), 0);
    free(buf);
    free(got);
    t_done();
}

static void many_files(void)
{
    t_fresh(32, 4096);
    uint32_t d = t_create("/many", T_DIR);
    char name[32];
    int made = 0;
    for (int i = 0; i < 2000; i++) {
        snprintf(name, sizeof(name), "/many/file-%04d", i);
        uint32_t f = t_create(name, T_FILE);
        if (f && fs_write(f, 0, name, strlen(name)) == (long)strlen(name)) made++;
    }
    CHECK_EQ(made, 2000);
    int found = 0;
    for (int i = 0; i < 2000; i += 7) {
        snprintf(name, sizeof(name), "/many/file-%04d", i);
        char buf[32];
        found += t_read_str(name, buf, sizeof(buf)) > 0 && strcmp(buf, name) == 0;
    }
    CHECK_EQ(found, (2000 + 6) / 7);
    long off = 0;
    int n = 0;
    struct dirent de;
    while ((off = fs_readdir(d, (uint64_t)off, &de)) > 0) n++;
    CHECK_EQ(n, 2002);
    CHECK_EQ(t_fsck(), 0);
    for (int i = 0; i < 2000; i += 2) {
        snprintf(name, sizeof(name), "/many/file-%04d", i);
        CHECK_EQ(fs_unlink(FS_ROOT_INO, name), 0);
    }
    CHECK_EQ(fs_rmdir(FS_ROOT_INO, "/many"), -ENOTEMPTY);
    CHECK_EQ(t_fsck(), 0);
    t_done();
}

static void deep_tree(void)
{
    t_fresh(8, 0);
    char path[50 * 4 + 8] = "";
    uint32_t last = 0;
    for (int i = 0; i < 50; i++) {
        char part[8];
        snprintf(part, sizeof(part), "/d%02d", i);
        strcat(path, part);
        last = t_create(path, T_DIR);
        CHECK(last != 0);
    }
    strcat(path, "/leaf");
    uint32_t leaf = t_create(path, T_FILE);
    CHECK(leaf != 0);
    uint32_t ino;
    CHECK_EQ(fs_lookup(last, "leaf", &ino), 0);
    CHECK_EQ(ino, leaf);
    /* 50 ".." from the deepest directory is "/" (and more stays there) */
    char up[60 * 3 + 1] = "";
    for (int i = 0; i < 60; i++) strcat(up, "../");
    CHECK_EQ(fs_lookup(last, up, &ino), 0);
    CHECK_EQ(ino, FS_ROOT_INO);
    char got[512];
    CHECK_EQ(fs_getpath(last, got, sizeof(got)), 200);
    path[200] = 0;
    CHECK(strcmp(got, path) == 0);
    CHECK_EQ(t_fsck(), 0);
    t_done();
}

static void links_and_unlink(void)
{
    t_fresh(4, 0);
    uint32_t f = t_create("/f", T_FILE);
    t_create("/d", T_DIR);
    CHECK_EQ(t_write_str("/f", "data"), 4);
    CHECK_EQ(fs_link(FS_ROOT_INO, "/f", "/d/g"), 0);
    struct stat st;
    CHECK_EQ(fs_stat(f, &st), 0);
    CHECK_EQ(st.nlink, 2);
    CHECK_EQ(fs_link(FS_ROOT_INO, "/f", "/d/g"), -EEXIST);
    CHECK_EQ(fs_link(FS_ROOT_INO, "/d", "/d2"), -EISDIR);
    CHECK_EQ(fs_link(FS_ROOT_INO, "/nope", "/x"), -ENOENT);
    CHECK_EQ(fs_unlink(FS_ROOT_INO, "/f"), 0);
    char buf[16];
    CHECK_EQ(t_read_str("/d/g", buf, sizeof(buf)), 4);
    CHECK_EQ(fs_unlink(FS_ROOT_INO, "/d"), -EISDIR);
    CHECK_EQ(fs_unlink(FS_ROOT_INO, "/"), -EISDIR);
    CHECK_EQ(fs_unlink(FS_ROOT_INO, "/f"), -ENOENT);
    CHECK_EQ(fs_rmdir(FS_ROOT_INO, "/d"), -ENOTEMPTY);
    CHECK_EQ(fs_rmdir(FS_ROOT_INO, "/d/g"), -ENOTDIR);
    CHECK_EQ(fs_rmdir(FS_ROOT_INO, "/"), -EBUSY);
    CHECK_EQ(fs_rmdir(FS_ROOT_INO, "/d/."), -EINVAL);
    CHECK_EQ(fs_unlink(FS_ROOT_INO, "/d/g"), 0);
    CHECK_EQ(fs_stat(f, &st), -ENOENT);
    CHECK_EQ(fs_rmdir(FS_ROOT_INO, "/d"), 0);
    CHECK_EQ(fs_stat(FS_ROOT_INO, &st), 0);
    CHECK_EQ(st.nlink, 2);
    CHECK_EQ(t_fsck(), 0);
    /* a removed directory that is still someone's cwd takes no entries */
    uint32_t cwd = t_create("/cwd", T_DIR);
    uint32_t g = t_create("/g", T_FILE);
    CHECK_EQ(fs_open_ref(cwd, +1), 0);
    CHECK_EQ(fs_rmdir(FS_ROOT_INO, "/cwd"), 0);
    uint32_t ino;
    CHECK_EQ(fs_create(cwd, "x", T_FILE, 0, 0, &ino), -ENOENT);
    CHECK_EQ(fs_create(cwd, "x", T_DIR, 0, 0, &ino), -ENOENT);
    CHECK_EQ(fs_link(cwd, "/g", "x"), -ENOENT);
    CHECK_EQ(fs_rename(cwd, "/g", "x"), -ENOENT);
    CHECK_EQ(fs_lookup(cwd, "..", &ino), 0); /* still its old parent */
    CHECK_EQ(fs_stat(g, &st), 0);
    CHECK_EQ(fs_open_ref(cwd, -1), 0);
    CHECK_EQ(fs_stat(cwd, &st), -ENOENT);
    CHECK_EQ(t_fsck(), 0);
    t_done();
}

static void unlink_open_file(void)
{
    t_fresh(4, 0);
    uint32_t f = t_create("/f", T_FILE);
    uint8_t buf[3 * BSIZE];
    t_pattern(buf, 0, sizeof(buf), 3);
    CHECK_EQ(fs_write(f, 0, buf, sizeof(buf)), sizeof(buf));
    CHECK_EQ(fs_open_ref(f, +1), 0);
    CHECK_EQ(fs_open_ref(f, +1), 0);
    CHECK_EQ(fs_unlink(FS_ROOT_INO, "/f"), 0);
    uint32_t ino;
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/f", &ino), -ENOENT);
    uint8_t got[sizeof(buf)];
    CHECK_EQ(fs_read(f, 0, got, sizeof(got)), sizeof(got));
    CHECK(memcmp(buf, got, sizeof(buf)) == 0);
    CHECK_EQ(fs_write(f, sizeof(buf), "more", 4), 4);
    CHECK_EQ(fs_open_ref(f, -1), 0);
    struct stat st;
    CHECK_EQ(fs_stat(f, &st), 0); /* one reference left */
    CHECK_EQ(fs_open_ref(f, -1), 0);
    CHECK_EQ(fs_stat(f, &st), -ENOENT); /* freed at the last close */
    CHECK_EQ(fs_open_ref(f, -1), -EINVAL);
    CHECK_EQ(t_fsck(), 0);
    /* after a "crash" with the file still open, mount frees it */
    f = t_create("/g", T_FILE);
    CHECK_EQ(fs_write(f, 0, buf, sizeof(buf)), sizeof(buf));
    CHECK_EQ(fs_open_ref(f, +1), 0);
    CHECK_EQ(fs_unlink(FS_ROOT_INO, "/g"), 0);
    CHECK_EQ(fs_sync(), 0);
    CHECK_EQ(fs_mount(), 0);
    CHECK_EQ(fs_stat(f, &st), -ENOENT);
    CHECK_EQ(t_fsck(), 0);
    t_done();
}

/* A small log: writes split into many transactions and commits; a
 * transaction whose reserve runs low ends early instead of overflowing. */
static void small_log(void)
{
    t_nblocks = 1024;
    t_img = calloc(t_nblocks, BSIZE);
    hostbio_attach(t_img, t_nblocks, 128);
    CHECK_EQ(fs_format(t_nblocks, 0, 30), 0);
    CHECK_EQ(fs_log_capacity(), 29);
    uint32_t f = t_create("/f", T_FILE);
    uint8_t *buf = malloc(1 << 20), *got = malloc(1 << 20);
    t_pattern(buf, 0, 1 << 20, 11);
    CHECK_EQ(fs_write(f, 0, buf, 1 << 20), 1 << 20);
    CHECK_EQ(fs_read(f, 0, got, 1 << 20), 1 << 20);
    CHECK(memcmp(buf, got, 1 << 20) == 0);
    /* white box: a reserve of 10 blocks takes at most 10 - 6 + 1 data blocks */
    CHECK_EQ(log_begin(10), 0);
    uint32_t before = log_pending();
    struct dinode di;
    CHECK_EQ(iread(f, &di), 0);
    long w = writei(&di, 1 << 20, buf, 20 * BSIZE);
    CHECK(w > 0 && w <= 5 * BSIZE);
    CHECK(log_pending() <= before + 10);
    CHECK_EQ(iwrite(f, &di), 0);
    log_end();
    CHECK_EQ(t_fsck(), 0);
    free(buf);
    free(got);
    t_done();
}

/* The open-count table: full at FS_MAX_OPEN inodes, counts survive removals
 * of other entries in any order. */
static void open_refs_many(void)
{
    t_fresh(8, 2048);
    int bad = 0;
    for (uint32_t i = 1; i <= FS_MAX_OPEN; i++) bad += fs_open_ref(i, +1) != 0;
    CHECK_EQ(bad, 0);
    CHECK_EQ(fs_open_ref(FS_MAX_OPEN + 1, +1), -ENFILE);
    CHECK_EQ(fs_open_ref(5, +1), 0); /* a second reference needs no slot */
    /* drop every third, then check all counts */
    for (uint32_t i = 3; i <= FS_MAX_OPEN; i += 3) bad += fs_open_ref(i, -1) != 0;
    CHECK_EQ(bad, 0);
    for (uint32_t i = 1; i <= FS_MAX_OPEN; i++) {
        int want = i % 3 == 0 ? 0 : i == 5 ? 2 : 1;
        bad += open_count(i) != want;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(fs_open_ref(FS_MAX_OPEN + 1, +1), 0);
    CHECK_EQ(fs_open_ref(3, -1), -EINVAL);
    for (uint32_t i = 1; i <= FS_MAX_OPEN + 1; i++)
        while (open_count(i) > 0) bad += fs_open_ref(i, -1) != 0;
    CHECK_EQ(bad, 0);
    t_done();
}

static void renames(void)
{
    t_fresh(4, 0);
    uint32_t a = t_create("/a", T_DIR);
    uint32_t b = t_create("/b", T_DIR);
    uint32_t f = t_create("/a/f", T_FILE);
    uint32_t g = t_create("/b/g", T_FILE);
    uint32_t sub = t_create("/a/sub", T_DIR);
    t_create("/a/sub/x", T_FILE);
    uint32_t ino;
    /* file: within a directory, across, over another file */
    CHECK_EQ(fs_rename(FS_ROOT_INO, "/a/f", "/a/f2"), 0);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/a/f2", &ino), 0);
    CHECK_EQ(ino, f);
    CHECK_EQ(fs_rename(FS_ROOT_INO, "/a/f2", "/b/g"), 0);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/b/g", &ino), 0);
    CHECK_EQ(ino, f);
    struct stat st;
    CHECK_EQ(fs_stat(g, &st), -ENOENT); /* the replaced file is freed */
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/a/f2", &ino), -ENOENT);
    /* directory: moves with its "..", link counts follow */
    CHECK_EQ(fs_rename(FS_ROOT_INO, "/a/sub", "/b/sub"), 0);
    CHECK_EQ(fs_lookup(sub, "..", &ino), 0);
    CHECK_EQ(ino, b);
    CHECK_EQ(fs_stat(a, &st), 0);
    CHECK_EQ(st.nlink, 2);
    CHECK_EQ(fs_stat(b, &st), 0);
    CHECK_EQ(st.nlink, 3);
    /* errors */
    CHECK_EQ(fs_rename(FS_ROOT_INO, "/b", "/b/sub/in"), -EINVAL);
    CHECK_EQ(fs_rename(FS_ROOT_INO, "/b", "/b"), 0);
    CHECK_EQ(fs_rename(FS_ROOT_INO, "/b/g", "/a"), -EISDIR);
    CHECK_EQ(fs_rename(FS_ROOT_INO, "/b/sub", "/b/g"), -ENOTDIR);
    CHECK_EQ(fs_rename(FS_ROOT_INO, "/a", "/b"), -ENOTEMPTY);
    CHECK_EQ(fs_rename(FS_ROOT_INO, "/nope", "/x"), -ENOENT);
    CHECK_EQ(fs_rename(FS_ROOT_INO, "/b/g", "/nope/x"), -ENOENT);
    CHECK_EQ(fs_rename(FS_ROOT_INO, "/", "/x"), -EINVAL);
    CHECK_EQ(fs_rename(FS_ROOT_INO, "/b/g", "/b/.."), -EINVAL);
    /* a directory over an empty directory */
    CHECK_EQ(fs_rename(FS_ROOT_INO, "/b/sub", "/a"), 0);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/a/x", &ino), 0);
    CHECK_EQ(fs_stat(a, &st), -ENOENT);
    CHECK_EQ(t_fsck(), 0);
    t_done();
}

/* Fill the disk; check the errors, that everything else is intact, and
 * that deleting gives the space back. */
static void disk_full(void)
{
    t_fresh(2, 0);
    uint32_t keep = t_create("/keep", T_FILE);
    uint8_t buf[5000];
    t_pattern(buf, 0, sizeof(buf), 5);
    CHECK_EQ(fs_write(keep, 0, buf, sizeof(buf)), sizeof(buf));
    uint32_t f = t_create("/fill", T_FILE);
    uint8_t *big = malloc(1 << 20);
    memset(big, 0x5a, 1 << 20);
    uint64_t total = 0;
    long w;
    while ((w = fs_write(f, total, big, 1 << 20)) == 1 << 20) total += (uint64_t)w;
    CHECK(w >= 0); /* a short count first */
    total += (uint64_t)w;
    CHECK_EQ(fs_write(f, total, big, 4096), -ENOSPC);
    struct stat st;
    CHECK_EQ(fs_stat(f, &st), 0);
    CHECK_EQ(st.size, total);
    /* directory growth and mkdir fail cleanly too (once the last block of /
     * is full) */
    int made = 0, err = 0;
    for (int i = 0; i < 200 && !err; i++) {
        char name[16];
        snprintf(name, sizeof(name), "/n%03d", i);
        uint32_t ino;
        int r = fs_create(FS_ROOT_INO, name, T_DIR, 0, 0, &ino);
        if (r == 0)
            made++;
        else
            err = r;
    }
    CHECK_EQ(err, -ENOSPC);
    uint8_t got[sizeof(buf)];
    CHECK_EQ(fs_read(keep, 0, got, sizeof(got)), sizeof(got));
    CHECK(memcmp(got, buf, sizeof(buf)) == 0);
    CHECK_EQ(t_fsck(), 0);
    CHECK_EQ(fs_unlink(FS_ROOT_INO, "/fill"), 0);
    f = t_create("/fill2", T_FILE);
    CHECK_EQ(fs_write(f, 0, big, 1 << 20), 1 << 20);
    CHECK_EQ(t_fsck(), 0);
    free(big);
    t_done();
}

static void out_of_inodes(void)
{
    t_fresh(4, 64); /* 64 inode numbers: 1..63 usable */
    int made = 0, err = 0;
    char name[16];
    for (int i = 0; i < 100 && !err; i++) {
        snprintf(name, sizeof(name), "/f%03d", i);
        uint32_t ino;
        int r = fs_create(FS_ROOT_INO, name, T_FILE, 0, 0, &ino);
        if (r == 0)
            made++;
        else
            err = r;
    }
    CHECK_EQ(err, -ENOSPC);
    CHECK_EQ(made, 62); /* 63 minus "/" */
    CHECK_EQ(t_fsck(), 0);
    CHECK_EQ(fs_unlink(FS_ROOT_INO, "/f010"), 0);
    CHECK(t_create("/again", T_FILE) != 0);
    CHECK_EQ(t_fsck(), 0);
    t_done();
}

/* A read error in the middle of a call: the call fails, the disk is intact. */
static void read_error(void)
{
    t_fresh(4, 0);
    t_create("/a", T_FILE);
    CHECK_EQ(fs_sync(), 0);
    CHECK_EQ(fs_mount(), 0); /* empty the log, so the next call reads */
    hostbio_detach();
    hostbio_attach(t_img, t_nblocks, 1); /* tiny cache: everything is read again */
    CHECK_EQ(fs_mount(), 0);
    hostbio_fail_reads(0);
    uint32_t ino;
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/a", &ino), -EIO);
    hostbio_fail_reads(-1);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/a", &ino), 0);
    CHECK_EQ(t_fsck(), 0);
    t_done();
}

/* Group commit: many calls, no disk write until the group is committed;
 * then all of them are on the disk together, and a crash before the
 * commit loses them all (never a part of one). */
static void group_commit(void)
{
    t_fresh(4, 0);
    CHECK_EQ(fs_sync(), 0);
    long w0 = hostbio_writes();
    char name[16];
    for (int i = 0; i < 50; i++) {
        snprintf(name, sizeof(name), "/g%02d", i);
        uint32_t f = t_create(name, T_FILE);
        CHECK(f != 0);
        CHECK_EQ(fs_write(f, 0, name, 4), 4);
    }
    CHECK_EQ(hostbio_writes(), w0); /* all still in the log, in memory */
    CHECK(log_pending() > 0);
    CHECK_EQ(fs_commit_due(), 0);
    long w1 = hostbio_writes();
    CHECK(w1 > w0);
    CHECK_EQ(log_pending(), 0);
    CHECK_EQ(fs_commit_due(), 0); /* nothing to do: no write */
    CHECK_EQ(hostbio_writes(), w1);
    /* one more call, then the power fails before its commit */
    uint32_t late = t_create("/late", T_FILE);
    CHECK(late != 0);
    hostbio_crash_after(0, 1);
    CHECK_EQ(fs_sync(), 0); /* the "disk" ignores it */
    CHECK(hostbio_crashed());
    hostbio_detach();
    hostbio_attach(t_img, t_nblocks, 512);
    CHECK_EQ(fs_mount(), 0);
    uint32_t ino;
    int found = 0;
    for (int i = 0; i < 50; i++) {
        snprintf(name, sizeof(name), "/g%02d", i);
        char buf[8];
        found += t_read_str(name, buf, sizeof(buf)) == 4 && memcmp(buf, name, 4) == 0;
    }
    CHECK_EQ(found, 50);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/late", &ino), -ENOENT);
    CHECK_EQ(t_fsck(), 0);
    t_done();
}

/* Random calls on a small set of names (so they collide: renames over
 * existing files, into their own subtrees, rmdir of full directories,
 * writes to directories, ...): whatever each returns, fsck stays clean. */
static void random_ops(void)
{
    t_fresh(4, 256);
    static const char *names[] = {"/a", "/b", "/a/c", "/b/d", "/a/c/e", "/b/a", "/a/b/c", "/e"};
    const int nn = (int)(sizeof(names) / sizeof(names[0]));
    uint32_t seed = 12345;
    uint8_t *buf = malloc(200000);
    memset(buf, 0x42, 200000);
    int problems = 0, oks = 0;
    for (int i = 0; i < 3000 && problems == 0; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t x = seed >> 8;
        const char *p = names[x % nn], *q = names[(x / 8) % nn];
        uint32_t ino;
        int r = 0;
        switch ((x / 64) % 9) {
        case 0:
            r = fs_create(FS_ROOT_INO, p, T_FILE, 0, 0, &ino);
            break;
        case 1:
            r = fs_create(FS_ROOT_INO, p, T_DIR, 0, 0, &ino);
            break;
        case 2:
            r = fs_unlink(FS_ROOT_INO, p);
            break;
        case 3:
            r = fs_rmdir(FS_ROOT_INO, p);
            break;
        case 4:
            r = fs_rename(FS_ROOT_INO, p, q);
            break;
        case 5:
            r = fs_link(FS_ROOT_INO, p, q);
            break;
        case 6:
        case 7:
            r = fs_lookup(FS_ROOT_INO, p, &ino);
            if (r == 0) {
                long w = fs_write(ino, (x >> 12) % 100000, buf, (x >> 4) % 100000);
                r = w < 0 ? (int)w : 0;
            }
            break;
        case 8:
            r = fs_lookup(FS_ROOT_INO, p, &ino);
            if (r == 0) r = fs_truncate(ino, (x >> 10) % 150000);
            break;
        }
        oks += r == 0;
        if (i % 100 == 99) problems = t_fsck();
    }
    CHECK_EQ(problems, 0);
    printf("  random_ops: %d of 3000 calls succeeded\n", oks);
    CHECK(oks > 250); /* the mix does real work, not only errors (374 at this seed) */
    free(buf);
    t_done();
}

/* A damaged inode (a block number in the inode table, a huge size) gives
 * -EIO, not a crash, a hang or a write outside the data area. */
static void damaged_inode(void)
{
    t_fresh(4, 0);
    uint32_t f = t_create("/f", T_FILE);
    uint32_t g = t_create("/g", T_FILE);
    CHECK_EQ(fs_write(f, 0, "data", 4), 4);
    CHECK_EQ(fs_sync(), 0);
    struct dinode *di =
        (struct dinode *)(t_img + (size_t)fs_sb.inode_start * BSIZE + (size_t)f * INODE_SIZE);
    uint32_t victim = fs_sb.inode_start + fs_sb.inode_blocks - 1; /* unused inodes */
    di->direct[0] = victim;
    ((struct dinode *)((uint8_t *)di + (g - f) * INODE_SIZE))->size = ~0ull;
    hostbio_detach();
    hostbio_attach(t_img, t_nblocks, 512);
    CHECK_EQ(fs_mount(), 0);
    char buf[8];
    CHECK_EQ(fs_read(f, 0, buf, 4), -EIO);
    CHECK_EQ(fs_write(f, 0, "x", 1), -EIO);
    struct stat st;
    CHECK_EQ(fs_stat(g, &st), -EIO);
    CHECK_EQ(fs_read(g, 0, buf, 4), -EIO);
    uint8_t before[BSIZE];
    memcpy(before, t_img + (size_t)victim * BSIZE, BSIZE);
    CHECK_EQ(fs_write(f, 0, "xyz", 3), -EIO);
    CHECK_EQ(fs_sync(), 0);
    CHECK(memcmp(before, t_img + (size_t)victim * BSIZE, BSIZE) == 0);
    CHECK(t_fsck() > 0);
    t_done();
}

int main(void)
{
    t_run("format_is_clean", format_is_clean);
    t_run("create_read_write", create_read_write);
    t_run("paths_and_errors", paths_and_errors);
    t_run("readdir_lists_entries", readdir_lists_entries);
    t_run("links_and_unlink", links_and_unlink);
    t_run("unlink_open_file", unlink_open_file);
    t_run("open_refs_many", open_refs_many);
    t_run("small_log", small_log);
    t_run("renames", renames);
    t_run("deep_tree", deep_tree);
    t_run("many_files", many_files);
    t_run("disk_full", disk_full);
    t_run("out_of_inodes", out_of_inodes);
    t_run("group_commit", group_commit);
    t_run("random_ops", random_ops);
    t_run("read_error", read_error);
    t_run("damaged_inode", damaged_inode);
    t_run("big_file", big_file);
    return t_summary();
}
