/* Host tests of tools/fs: the mkfs and fsck programs (run as the build
 * made them) on good and bad input, and the checker on images corrupted on
 * purpose, one fault at a time, plus recovery of a committed log. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs_testlib.h"

static char dir[64];

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static int run(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_host(const char *name, const char *data, size_t n)
{
    char p[256];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    fwrite(data, 1, n, f);
    fclose(f);
}

/* Does only the expected image (no IMAGE.tmp.*) exist? */
static int no_temp_files(void)
{
    return run("ls %s | grep -q tmp", dir) != 0;
}

static void mkfs_good(void)
{
    run("mkdir -p %s/src/sub/deeper", dir);
    write_host("src/hello", "hello\n", 6);
    write_host("src/sub/deeper/x", "xyz", 3);
    char *big = malloc(300000);
    t_pattern((uint8_t *)big, 0, 300000, 1);
    write_host("big", big, 300000);
    CHECK_EQ(run("%s %s/img 4 -m /console:1:0 -d %s/src /bin/big=%s/big >/dev/null", MKFS, dir, dir,
                 dir),
             0);
    CHECK(no_temp_files());
    CHECK_EQ(run("%s %s/img >/dev/null", FSCK, dir), 0);
    char p[256];
    snprintf(p, sizeof(p), "%s/img", dir);
    uint8_t *img;
    uint32_t n;
    CHECK_EQ(image_load(p, &img, &n), 0);
    CHECK_EQ(n, 4 * 256);
    hostbio_attach(img, n, 512);
    CHECK_EQ(fs_mount(), 0);
    char buf[16];
    CHECK_EQ(t_read_str("/hello", buf, sizeof(buf)), 6);
    CHECK(strcmp(buf, "hello\n") == 0);
    CHECK_EQ(t_read_str("/sub/deeper/x", buf, sizeof(buf)), 3);
    uint32_t ino;
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/bin/big", &ino), 0);
    char *got = malloc(300000);
    CHECK_EQ(fs_read(ino, 0, got, 300000), 300000);
    CHECK(memcmp(got, big, 300000) == 0);
    CHECK_EQ(fs_lookup(FS_ROOT_INO, "/console", &ino), 0);
    int major, minor;
    CHECK_EQ(fs_device(ino, &major, &minor), 0);
    CHECK_EQ(major, 1);
    hostbio_detach();
    free(img);
    free(got);
    free(big);
    /* a scratch area: the file system is smaller than the image */
    CHECK_EQ(run("%s %s/img2 4 -s 1 %s/src/hello >/dev/null", MKFS, dir, dir), 0);
    snprintf(p, sizeof(p), "%s/img2", dir);
    CHECK_EQ(image_load(p, &img, &n), 0);
    CHECK_EQ(n, 4 * 256);
    hostbio_attach(img, n, 512);
    CHECK_EQ(fs_mount(), 0);
    CHECK_EQ(fs_sb.nblocks, 3 * 256);
    hostbio_detach();
    free(img);
}

static void mkfs_refuses_bad_input(void)
{
    write_host("keep", "old image", 9);
    /* missing file */
    CHECK_EQ(run("%s %s/keep 4 %s/nonexistent 2>/dev/null", MKFS, dir, dir), 1);
    /* too small for the files */
    char *big = calloc(1, 3 << 20);
    write_host("big3", big, 3 << 20);
    free(big);
    CHECK_EQ(run("%s %s/keep 2 %s/big3 2>/dev/null", MKFS, dir, dir), 1);
    /* too few inodes for the files */
    run("mkdir -p %s/many", dir);
    for (int i = 0; i < 40; i++) {
        char name[32];
        snprintf(name, sizeof(name), "many/f%d", i);
        write_host(name, "x", 1);
    }
    CHECK_EQ(run("%s %s/keep 2 -i 32 %s/many 2>/dev/null", MKFS, dir, dir), 1);
    /* a name longer than DIRSIZ */
    char name[128];
    memset(name, 'a', 70);
    name[70] = 0;
    write_host(name, "x", 1);
    CHECK_EQ(run("%s %s/keep 2 %s/%s 2>/dev/null", MKFS, dir, dir, name), 1);
    /* bad usage */
    CHECK_EQ(run("%s %s/keep 2>/dev/null", MKFS, dir), 2);
    CHECK_EQ(run("%s %s/keep zero 2>/dev/null", MKFS, dir), 2);
    CHECK_EQ(run("%s %s/keep 2 -x 2>/dev/null", MKFS, dir), 2);
    /* the old file is untouched, no temporary file left, no new image */
    char buf[16] = {0};
    char p[256];
    snprintf(p, sizeof(p), "%s/keep", dir);
    FILE *f = fopen(p, "rb");
    CHECK(f && fread(buf, 1, sizeof(buf), f) == 9);
    if (f) fclose(f);
    CHECK(memcmp(buf, "old image", 9) == 0);
    CHECK(no_temp_files());
    /* fsck: a file that is not an image, a missing one */
    CHECK_EQ(run("%s %s/keep >/dev/null 2>&1", FSCK, dir), 2);
    CHECK_EQ(run("%s %s/nonexistent >/dev/null 2>&1", FSCK, dir), 2);
    write_host("zeros", (char[BSIZE * 2]){0}, BSIZE * 2);
    CHECK_EQ(run("%s %s/zeros >/dev/null", FSCK, dir), 1);
}

/* ------------------------------------------------------------ corruption */

/* A small tree to damage: /a (2 blocks), /d/b, /d/c linked as /c2. */
static uint32_t a_ino, b_ino, c_ino, d_ino;
static void build(void)
{
    t_fresh(2, 0);
    a_ino = t_create("/a", T_FILE);
    d_ino = t_create("/d", T_DIR);
    b_ino = t_create("/d/b", T_FILE);
    c_ino = t_create("/d/c", T_FILE);
    fs_link(FS_ROOT_INO, "/d/c", "/c2");
    uint8_t buf[2 * BSIZE];
    t_pattern(buf, 0, sizeof(buf), 1);
    fs_write(a_ino, 0, buf, sizeof(buf));
    fs_write(b_ino, 0, "bee", 3);
    CHECK_EQ(fs_sync(), 0);
    CHECK_EQ(t_fsck(), 0);
}

static struct dinode *inode_at(uint32_t ino)
{
    return (struct dinode *)(t_img + (size_t)fs_sb.inode_start * BSIZE + (size_t)ino * INODE_SIZE);
}

static void flip_bit(uint32_t bno)
{
    t_img[(size_t)fs_sb.bitmap_start * BSIZE + bno / 8] ^= (uint8_t)(1u << (bno % 8));
}

static struct dirent *entry(uint32_t dirino, int i)
{
    return (struct dirent *)(t_img + (size_t)inode_at(dirino)->direct[0] * BSIZE) + i;
}

/* After damage: the checker must find at least one problem. Printed so a
 * reader of the test log sees what fsck says. */
static void expect_problems(const char *what)
{
    printf("  %s:\n", what);
    hostbio_detach();
    hostbio_attach(t_img, t_nblocks, 512);
    int n = fs_check(stdout, 0);
    if (n == 0) t_fail(__FILE__, __LINE__, "fsck found nothing wrong after: %s", what);
    t_done();
}

static void fsck_finds_damage(void)
{
    build();
    ((struct superblock *)t_img)->magic ^= 1;
    expect_problems("superblock magic");

    build();
    ((struct superblock *)t_img)->data_start += 1;
    expect_problems("superblock sizes");

    build();
    flip_bit(inode_at(a_ino)->direct[1]);
    expect_problems("a used block marked free");

    build();
    flip_bit(fs_sb.nblocks - 1);
    expect_problems("a free block marked used");

    build();
    inode_at(b_ino)->nlink = 2;
    expect_problems("link count too high");

    build();
    inode_at(c_ino)->nlink = 1;
    expect_problems("link count too low");

    build();
    inode_at(b_ino)->direct[0] = inode_at(a_ino)->direct[0];
    expect_problems("a block in two files");

    build();
    inode_at(b_ino)->direct[3] = 3; /* inside the log */
    expect_problems("a block outside the data area");

    build();
    memset(inode_at(b_ino), 0, INODE_SIZE);
    expect_problems("an entry naming a free inode");

    build();
    entry(d_ino, 0)->inum = FS_ROOT_INO;
    expect_problems("a wrong \".\"");

    build();
    entry(d_ino, 1)->inum = d_ino;
    expect_problems("a wrong \"..\"");

    build();
    entry(FS_ROOT_INO, 2)->inum = 0; /* "/a" gone, inode still allocated with a link */
    expect_problems("an allocated inode outside the tree");

    build();
    inode_at(b_ino)->type = 9;
    expect_problems("a bad inode type");

    build();
    ((struct log_header *)(t_img + (size_t)fs_sb.log_start * BSIZE))->magic = 0;
    expect_problems("log header magic");

    build();
    struct log_header *lh = (struct log_header *)(t_img + (size_t)fs_sb.log_start * BSIZE);
    lh->n = 1;
    lh->home[0] = 0; /* would overwrite the superblock */
    expect_problems("log naming a home block outside the tree");

    /* the fsck program says so too, with exit status 1 */
    build();
    inode_at(b_ino)->nlink = 5;
    char p[256];
    snprintf(p, sizeof(p), "%s/bad.img", dir);
    CHECK_EQ(image_save(p, t_img, t_nblocks), 0);
    t_done();
    CHECK_EQ(run("%s %s | grep -q 'link count 5'", FSCK, p), 0);
    CHECK_EQ(run("%s %s >/dev/null", FSCK, p), 1);
}

/* A committed log found at mount is replayed: craft one that rewrites
 * /d/b's data block, check fsck is clean and the new data is there. */
static void recovery_replays(void)
{
    build();
    uint32_t home = inode_at(b_ino)->direct[0];
    uint8_t *copy = t_img + (size_t)(fs_sb.log_start + 1) * BSIZE;
    memcpy(copy, t_img + (size_t)home * BSIZE, BSIZE);
    memcpy(copy, "BEE", 3);
    struct log_header *lh = (struct log_header *)(t_img + (size_t)fs_sb.log_start * BSIZE);
    lh->n = 1;
    lh->home[0] = home;
    char p[256];
    snprintf(p, sizeof(p), "%s/log.img", dir);
    CHECK_EQ(image_save(p, t_img, t_nblocks), 0);
    CHECK_EQ(run("%s -v %s | grep -q 'committed group of 1 blocks'", FSCK, p), 0);
    CHECK_EQ(run("%s %s >/dev/null", FSCK, p), 0);
    hostbio_detach();
    hostbio_attach(t_img, t_nblocks, 512);
    CHECK_EQ(fs_mount(), 0);
    char buf[8];
    CHECK_EQ(t_read_str("/d/b", buf, sizeof(buf)), 3);
    CHECK(strcmp(buf, "BEE") == 0);
    CHECK_EQ(lh->n, 0); /* cleared after the replay */
    CHECK_EQ(t_fsck(), 0);
    t_done();
}

int main(void)
{
    snprintf(dir, sizeof(dir), "/tmp/test_fs_tools.%d", (int)getpid());
    run("rm -rf %s && mkdir -p %s", dir, dir);
    t_run("mkfs_good", mkfs_good);
    t_run("mkfs_refuses_bad_input", mkfs_refuses_bad_input);
    t_run("fsck_finds_damage", fsck_finds_damage);
    t_run("recovery_replays", recovery_replays);
    run("rm -rf %s", dir);
    return t_summary();
}
