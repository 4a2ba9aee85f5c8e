/* Crash tests of the file-system core: a workload (creates, writes of
 * every size up to a multi-transaction one, unlinks, renames of files and
 * directories, hard links, mkdir/rmdir, truncates, syncs) runs on a fresh image whose power fails
 * after its K-th block write, for every K until the workload completes. Blocks written since the
 * last flush keep or lose their new contents at random (a volatile write cache). Then:
 *   - fsck (which replays the log as mount does) finds nothing wrong;
 *   - every file that existed at the last completed fs_sync, and that no
 *     later call touched, is there with its exact contents;
 *   - every file in the tree holds a prefix of the data written to it
 *     (each transaction is all or nothing; no foreign or stale block).
 * Some crash points also lose power again during recovery. A second case
 * cuts the power at a random write of random colliding call sequences
 * (renames into subtrees, rmdir of full directories, ...) and runs fsck. */
#include <stdlib.h>
#include <string.h>

#include "fs_testlib.h"

#define STEPS     60
#define MAXPATH   32
#define NPATHS    (2 * STEPS)
#define UNTOUCHED (1 << 30)

/* Every path the workload ever uses names exactly one data stream. */
struct pathinfo {
    char path[MAXPATH];
    uint32_t seed;
    uint64_t size;     /* as last written/truncated by the workload */
    int live;          /* exists in the workload's model */
    int touched_after; /* syncs done when a call first changed or removed it since the last sync */
    int created_sync;  /* syncs done when the workload created it */
    int synced_live;   /* state at the last sync the run completed */
    uint64_t synced_size; /* (copied at each completed sync) */
};

static struct pathinfo paths[NPATHS];
static int npaths;
static int syncs_done; /* syncs that returned before the power cut */

static struct pathinfo *add_path(const char *p, uint32_t seed)
{
    struct pathinfo *pi = &paths[npaths++];
    memset(pi, 0, sizeof(*pi));
    snprintf(pi->path, MAXPATH, "%s", p);
    pi->seed = seed;
    pi->touched_after = UNTOUCHED;
    pi->created_sync = syncs_done;
    return pi;
}

static struct pathinfo *find_path(const char *p)
{
    for (int i = 0; i < npaths; i++)
        if (strcmp(paths[i].path, p) == 0) return &paths[i];
    return NULL;
}

static void touch(struct pathinfo *pi)
{
    if (pi->touched_after > syncs_done) pi->touched_after = syncs_done;
}

static void do_sync(void)
{
    if (fs_sync() == 0 && !hostbio_crashed()) {
        syncs_done++;
        for (int i = 0; i < npaths; i++) {
            paths[i].synced_live = paths[i].live;
            paths[i].synced_size = paths[i].size;
            paths[i].touched_after = UNTOUCHED;
        }
    }
}

static uint8_t *wbuf;

/* The workload. Errors after a power cut are expected and ignored: the
 * core keeps running on its cache while the "disk" ignores writes. */
static void workload(void)
{
    npaths = 0;
    syncs_done = 0;
    uint32_t ino;
    for (int k = 0; k < 4; k++) {
        char d[8];
        snprintf(d, sizeof(d), "/d%d", k);
        fs_create(FS_ROOT_INO, d, T_DIR, 0, 0, &ino);
    }
    do_sync();
    for (int i = 0; i < STEPS; i++) {
        char p[MAXPATH];
        snprintf(p, sizeof(p), "/d%d/f%d", i % 4, i);
        struct pathinfo *pi = add_path(p, (uint32_t)i);
        uint64_t size = (uint64_t)(i * 7919) % 12000 + 1;
        if (i == 30) size = 300 * 1024; /* several write transactions */
        if (fs_create(FS_ROOT_INO, p, T_FILE, 0, 0, &ino) == 0) {
            pi->live = 1;
            t_pattern(wbuf, 0, size, pi->seed);
            if (fs_write(ino, 0, wbuf, size) == (long)size) pi->size = size;
        }
        if (i % 5 == 4 && i >= 3) {
            snprintf(p, sizeof(p), "/d%d/f%d", (i - 3) % 4, i - 3);
            struct pathinfo *old = find_path(p);
            touch(old);
            if (fs_unlink(FS_ROOT_INO, p) == 0) old->live = 0;
        }
        if (i % 7 == 6) {
            snprintf(p, sizeof(p), "/d%d/f%d", (i - 1) % 4, i - 1);
            struct pathinfo *from = find_path(p);
            char to[MAXPATH];
            snprintf(to, sizeof(to), "/d%d/r%d", (i + 1) % 4, i);
            struct pathinfo *pt = add_path(to, from->seed);
            touch(from);
            if (from->live && fs_rename(FS_ROOT_INO, p, to) == 0) {
                from->live = 0;
                pt->live = 1;
                pt->size = from->size;
            }
        }
        if (i % 10 == 9) {
            snprintf(p, sizeof(p), "/d%d/f%d", (i - 2) % 4, i - 2);
            struct pathinfo *t = find_path(p);
            touch(t);
            if (t->live && fs_lookup(FS_ROOT_INO, p, &ino) == 0 &&
                fs_truncate(ino, t->size / 2) == 0)
                t->size /= 2;
        }
        if (i % 8 == 5) {
            /* a directory with a file, moved to another parent (its ".."
             * and both parents' link counts change); a hard link */
            char sd[MAXPATH], in[2 * MAXPATH], to[MAXPATH];
            snprintf(sd, sizeof(sd), "/d%d/s%d", i % 4, i);
            snprintf(in, sizeof(in), "%s/in", sd);
            snprintf(to, sizeof(to), "/d%d/m%d", (i + 2) % 4, i);
            fs_create(FS_ROOT_INO, sd, T_DIR, 0, 0, &ino);
            fs_create(FS_ROOT_INO, in, T_FILE, 0, 0, &ino);
            fs_rename(FS_ROOT_INO, sd, to);
            if (i % 10 != 7) { /* f(i) is never truncated: a link keeps its data */
                snprintf(p, sizeof(p), "/d%d/f%d", i % 4, i);
                snprintf(to, sizeof(to), "/d%d/l%d", (i + 3) % 4, i);
                struct pathinfo *l = add_path(to, (uint32_t)i);
                if (fs_link(FS_ROOT_INO, p, to) == 0) {
                    l->live = 1;
                    l->size = find_path(p)->size;
                }
            }
        }
        if (i % 8 == 6) {
            /* the moved directory emptied and removed */
            char in[2 * MAXPATH], md[MAXPATH];
            snprintf(md, sizeof(md), "/d%d/m%d", (i + 1) % 4, i - 1);
            snprintf(in, sizeof(in), "%s/in", md);
            fs_unlink(FS_ROOT_INO, in);
            fs_rmdir(FS_ROOT_INO, md);
        }
        if (i % 3 == 2) do_sync();
    }
    do_sync();
}

/* Check the tree against the model; returns the number of mismatches. */
static int verify(void)
{
    int bad = 0;
    uint8_t *got = malloc(1 << 20), *want = malloc(1 << 20);
    for (int i = 0; i < npaths; i++) {
        struct pathinfo *pi = &paths[i];
        uint32_t ino;
        int r = fs_lookup(FS_ROOT_INO, pi->path, &ino);
        int stable = pi->touched_after == UNTOUCHED; /* nothing since the last sync */
        if (r < 0) {
            if (stable && pi->synced_live) {
                printf("  %s: synced but missing (%d)\n", pi->path, r);
                bad++;
            }
            continue;
        }
        struct stat st;
        fs_stat(ino, &st);
        long n = fs_read(ino, 0, got, 1 << 20);
        t_pattern(want, 0, (uint64_t)(n > 0 ? n : 0), pi->seed);
        if (n < 0 || (uint64_t)n != st.size || memcmp(got, want, (size_t)n) != 0) {
            printf("  %s: contents are not a prefix of what was written\n", pi->path);
            bad++;
        } else if (stable && pi->synced_live && st.size != pi->synced_size) {
            printf("  %s: synced with %llu bytes, has %llu\n", pi->path,
                   (unsigned long long)pi->synced_size, (unsigned long long)st.size);
            bad++;
        } else if (stable && !pi->synced_live && pi->created_sync < syncs_done) {
            /* removed before the sync and untouched since: must stay away */
            printf("  %s: exists though removed before the last sync\n", pi->path);
            bad++;
        }
    }
    free(got);
    free(want);
    return bad;
}

static uint8_t *base;
static uint32_t nblocks = 512; /* 2 MiB */
static uint8_t *img;

static int crash_run(long k, long recovery_crash)
{
    memcpy(img, base, (size_t)nblocks * BSIZE);
    hostbio_attach(img, nblocks, 512);
    int bad = 0;
    if (fs_mount() < 0) bad++;
    hostbio_crash_after(k, (uint32_t)k);
    workload();
    int crashed = hostbio_crashed();
    hostbio_detach();
    if (recovery_crash > 0) {
        /* power fails again while the log is being replayed */
        hostbio_attach(img, nblocks, 512);
        hostbio_crash_after(recovery_crash, (uint32_t)(k * 7 + recovery_crash));
        fs_mount();
        hostbio_detach();
    }
    hostbio_attach(img, nblocks, 512);
    int problems = fs_check(stdout, 0);
    hostbio_detach();
    hostbio_attach(img, nblocks, 512);
    if (fs_mount() < 0) {
        printf("  mount after the crash failed\n");
        bad++;
    } else {
        bad += verify();
    }
    hostbio_detach();
    if (problems || bad)
        printf("  crash after write %ld (recovery crash %ld): %d fsck problems, %d bad files\n", k,
               recovery_crash, problems, bad);
    return crashed ? problems + bad : -1 - (problems + bad);
}

static void crash_everywhere(void)
{
    wbuf = malloc(1 << 20);
    base = calloc(nblocks, BSIZE);
    hostbio_attach(base, nblocks, 512);
    CHECK_EQ(fs_format(nblocks, 0, 0), 0);
    hostbio_detach();
    /* a run without a crash: how many writes it makes */
    img = malloc((size_t)nblocks * BSIZE);
    memcpy(img, base, (size_t)nblocks * BSIZE);
    hostbio_attach(img, nblocks, 512);
    CHECK_EQ(fs_mount(), 0);
    long start = hostbio_writes();
    workload();
    long total = hostbio_writes() - start;
    CHECK_EQ(syncs_done, STEPS / 3 + 2);
    CHECK_EQ(verify(), 0);
    CHECK_EQ(hostbio_detach(), 0);
    hostbio_attach(img, nblocks, 512);
    CHECK_EQ(fs_check(stdout, 0), 0);
    hostbio_detach();
    printf("  workload: %ld block writes; crashing after each\n", total);
    int failures = 0, runs = 0;
    for (long k = 1; k <= total; k++) {
        int r = crash_run(k, 0);
        if (r < 0) {
            printf("  crash point %ld was not reached\n", k);
            failures++;
        } else {
            failures += r != 0;
        }
        runs++;
        if (k % 13 == 0) {
            for (long j = 1; j <= 3; j++) {
                r = crash_run(k, j);
                failures += r > 0;
                runs++;
            }
        }
    }
    printf("  %d crash runs, %d with problems\n", runs, failures);
    CHECK_EQ(failures, 0);
    free(base);
    free(img);
    free(wbuf);
}

/* Random colliding calls (file and directory renames, links, rmdir,
 * writes, truncates) with a sync every 20; returns the calls made. */
static int random_calls(uint32_t seed, int n)
{
    static const char *names[] = {"/a", "/b", "/a/c", "/b/d", "/a/c/e", "/b/a", "/a/b/c", "/e"};
    const int nn = (int)(sizeof(names) / sizeof(names[0]));
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t x = seed >> 8;
        const char *p = names[x % nn], *q = names[(x / 8) % nn];
        uint32_t ino;
        switch ((x / 64) % 9) {
        case 0:
            fs_create(FS_ROOT_INO, p, T_FILE, 0, 0, &ino);
            break;
        case 1:
            fs_create(FS_ROOT_INO, p, T_DIR, 0, 0, &ino);
            break;
        case 2:
            fs_unlink(FS_ROOT_INO, p);
            break;
        case 3:
            fs_rmdir(FS_ROOT_INO, p);
            break;
        case 4:
            fs_rename(FS_ROOT_INO, p, q);
            break;
        case 5:
            fs_link(FS_ROOT_INO, p, q);
            break;
        case 6:
        case 7:
            if (fs_lookup(FS_ROOT_INO, p, &ino) == 0)
                fs_write(ino, (x >> 12) % 100000, wbuf, (x >> 4) % 100000);
            break;
        case 8:
            if (fs_lookup(FS_ROOT_INO, p, &ino) == 0) fs_truncate(ino, (x >> 10) % 150000);
            break;
        }
        if (i % 20 == 19) fs_sync();
    }
    return n;
}

/* Power cuts at random points of random call sequences: fsck clean after. */
static void crash_random_calls(void)
{
    wbuf = malloc(1 << 20);
    memset(wbuf, 0x42, 1 << 20);
    base = calloc(nblocks, BSIZE);
    img = malloc((size_t)nblocks * BSIZE);
    hostbio_attach(base, nblocks, 512);
    CHECK_EQ(fs_format(nblocks, 128, 0), 0);
    hostbio_detach();
    int failures = 0, crashed = 0;
    for (uint32_t trial = 0; trial < 150; trial++) {
        uint32_t seed = trial * 7919 + 1;
        /* a clean run first: how many writes the sequence makes */
        memcpy(img, base, (size_t)nblocks * BSIZE);
        hostbio_attach(img, nblocks, 512);
        fs_mount();
        long w0 = hostbio_writes();
        random_calls(seed, 300);
        long total = hostbio_writes() - w0;
        hostbio_detach();
        long k = total > 0 ? 1 + (long)((seed * 2654435761u) % (uint32_t)total) : 1;
        memcpy(img, base, (size_t)nblocks * BSIZE);
        hostbio_attach(img, nblocks, 512);
        fs_mount();
        hostbio_crash_after(k, seed);
        random_calls(seed, 300);
        crashed += hostbio_crashed();
        hostbio_detach();
        hostbio_attach(img, nblocks, 512);
        int problems = fs_check(stdout, 0);
        hostbio_detach();
        if (problems) {
            printf("  seed %u, crash after write %ld of %ld: %d problems\n", seed, k, total,
                   problems);
            failures++;
        }
    }
    printf("  150 random sequences, %d crashed mid-way, %d with problems\n", crashed, failures);
    CHECK_EQ(failures, 0);
    CHECK(crashed > 140);
    free(base);
    free(img);
    free(wbuf);
}

int main(void)
{
    t_run("crash_everywhere", crash_everywhere);
    t_run("crash_random_calls", crash_random_calls);
    return t_summary();
}
