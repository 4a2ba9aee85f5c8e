/* The checker behind fsck: superblock, log state, the tree from "/"
 * (every directory reached once, "." and ".." right, entries name allocated
 * inodes), every block owned at most once and inside the data area, link
 * counts equal to the entries naming each inode, no allocated inode left
 * unreachable, and the bitmap equal to the set of reachable blocks. */
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "servers/fs/core.h"

static FILE *out;
static int problems;
static uint32_t *owner;  /* per block: inode that uses it, 0 none */
static uint32_t *refs;   /* per inode: directory entries naming it */
static uint8_t *reached; /* per inode */
static uint32_t *queue;  /* directories to visit */
static uint32_t qhead, qtail;

#define MAX_REPORTS 20
static int reports;

static void problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static void problem(const char *fmt, ...)
{
    problems++;
    if (reports++ >= MAX_REPORTS) {
        if (reports == MAX_REPORTS + 1) fprintf(out, "fsck: (more problems not shown)\n");
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    fprintf(out, "fsck: ");
    vfprintf(out, fmt, ap);
    fprintf(out, "\n");
    va_end(ap);
}

/* Claim block bno for inode ino: 1 if it is a valid, so far unclaimed one. */
static int claim(uint32_t ino, uint32_t bno, const char *what)
{
    if (bno < fs_sb.data_start || bno >= fs_sb.nblocks) {
        problem("inode %u: %s block %u outside the data area", ino, what, bno);
        return 0;
    }
    if (owner[bno]) {
        problem("block %u used twice: inodes %u and %u", bno, owner[bno], ino);
        return 0;
    }
    owner[bno] = ino;
    return 1;
}

static void claim_indirect(uint32_t ino, uint32_t ind, int depth)
{
    if (!claim(ino, ind, depth == 2 ? "double-indirect" : "indirect")) return;
    struct buf *b;
    if (bread(ind, &b) < 0) {
        problem("inode %u: cannot read block %u", ino, ind);
        return;
    }
    uint32_t e[NINDIRECT];
    memcpy(e, b->data, BSIZE);
    brelse(b);
    for (int i = 0; i < NINDIRECT; i++) {
        if (!e[i]) continue;
        if (depth == 2)
            claim_indirect(ino, e[i], 1);
        else
            claim(ino, e[i], "data");
    }
}

static void check_inode(uint32_t ino, const struct dinode *di)
{
    if (di->type != T_FILE && di->type != T_DIR && di->type != T_DEVICE) {
        problem("inode %u: bad type %u", ino, di->type);
        return;
    }
    if (di->size > MAXFILE_BYTES)
        problem("inode %u: size %llu too big", ino, (unsigned long long)di->size);
    if (di->type == T_DIR && di->size % sizeof(struct dirent))
        problem("directory %u: size %llu not a whole number of entries", ino,
                (unsigned long long)di->size);
    for (int i = 0; i < NDIRECT; i++)
        if (di->direct[i]) claim(ino, di->direct[i], "data");
    if (di->indirect) claim_indirect(ino, di->indirect, 1);
    if (di->dindirect) claim_indirect(ino, di->dindirect, 2);
}

static int valid_name(const char *name)
{
    if (name[0] == 0) return 0;
    for (int i = 0; i < DIRSIZ && name[i]; i++)
        if (name[i] == '/') return 0;
    return 1;
}

static void visit_dir(uint32_t dir, uint32_t parent)
{
    struct dinode di;
    if (iread(dir, &di) < 0) {
        problem("directory %u: cannot read its inode", dir);
        return;
    }
    for (uint64_t off = 0; off < di.size; off += sizeof(struct dirent)) {
        struct dirent de;
        if (readi(&di, off, &de, sizeof(de)) != (long)sizeof(de)) {
            problem("directory %u: cannot read offset %llu", dir, (unsigned long long)off);
            return;
        }
        char name[DIRSIZ + 1];
        memcpy(name, de.name, DIRSIZ);
        name[DIRSIZ] = 0;
        uint64_t idx = off / sizeof(de);
        if (idx < 2) {
            const char *want = idx == 0 ? "." : "..";
            uint32_t target = idx == 0 ? dir : parent;
            if (strcmp(name, want) != 0 || de.inum != target) {
                problem("directory %u: entry %llu is \"%s\" -> %u, not \"%s\" -> %u", dir,
                        (unsigned long long)idx, name, de.inum, want, target);
            }
            if (de.inum && de.inum < fs_sb.ninodes) refs[de.inum]++;
            continue;
        }
        if (de.inum == 0) continue;
        if (!valid_name(name) || is_dot_or_dotdot(name)) {
            problem("directory %u: bad name \"%s\" at entry %llu", dir, name,
                    (unsigned long long)idx);
        }
        if (de.inum >= fs_sb.ninodes) {
            problem("directory %u: \"%s\" names inode %u, out of range", dir, name, de.inum);
            continue;
        }
        struct dinode t;
        if (iread(de.inum, &t) < 0) {
            problem("directory %u: \"%s\" names inode %u, which is damaged (bad type or size)", dir,
                    name, de.inum);
            continue;
        }
        if (t.type == 0) {
            problem("directory %u: \"%s\" names free inode %u", dir, name, de.inum);
            continue;
        }
        refs[de.inum]++;
        if (t.type == T_DIR) {
            if (reached[de.inum]) {
                problem("directory %u reached twice (again as \"%s\" in %u)", de.inum, name, dir);
                continue;
            }
            reached[de.inum] = 1;
            check_inode(de.inum, &t);
            queue[qtail++] = de.inum;
            queue[qtail++] = dir;
        } else if (!reached[de.inum]) {
            reached[de.inum] = 1;
            check_inode(de.inum, &t);
        }
    }
}

static void check_log(const char *when, int verbose)
{
    struct buf *b;
    if (bread(fs_sb.log_start, &b) < 0) {
        problem("cannot read the log header");
        return;
    }
    struct log_header *lh = (struct log_header *)b->data;
    if (lh->magic != LOG_MAGIC)
        problem("log header: bad magic %#x", lh->magic);
    else if (lh->n > fs_sb.log_blocks - 1)
        problem("log header: %u blocks, more than the log holds", lh->n);
    else if (lh->n && verbose)
        fprintf(out, "fsck: log %s: committed group of %u blocks (commit %llu) to replay\n", when,
                lh->n, (unsigned long long)lh->seq);
    else if (verbose)
        fprintf(out, "fsck: log %s: empty\n", when);
    brelse(b);
}

int fs_check(FILE *o, int verbose)
{
    out = o;
    problems = reports = 0;
    int r = super_read(&fs_sb);
    if (r < 0) {
        problem("bad superblock (not a Pagoda file system version %d, or inconsistent sizes)",
                FS_VERSION);
        return problems;
    }
    if (verbose)
        fprintf(out, "fsck: %u blocks: log %u+%u, inodes %u+%u (%u), bitmap %u+%u, data from %u\n",
                fs_sb.nblocks, fs_sb.log_start, fs_sb.log_blocks, fs_sb.inode_start,
                fs_sb.inode_blocks, fs_sb.ninodes, fs_sb.bitmap_start, fs_sb.bitmap_blocks,
                fs_sb.data_start);
    check_log("before mount", verbose);
    if (problems) return problems;
    /* replay and free orphans, as the server's fs_mount would */
    log_init(&fs_sb);
    r = log_recover();
    if (r == 0) r = orphans_free();
    if (r < 0) {
        problem("mount failed (%d): the log or the inode table is damaged", r);
        return problems;
    }
    check_log("after mount", 0);

    owner = calloc(fs_sb.nblocks, sizeof(*owner));
    refs = calloc(fs_sb.ninodes, sizeof(*refs));
    reached = calloc(fs_sb.ninodes, 1);
    queue = calloc(2 * (size_t)fs_sb.ninodes + 2, sizeof(*queue));
    if (!owner || !refs || !reached || !queue) {
        problem("out of memory");
        goto done;
    }
    struct dinode root;
    if (iread(FS_ROOT_INO, &root) < 0 || root.type != T_DIR) {
        problem("\"/\" (inode %u) is not a directory", FS_ROOT_INO);
        goto done;
    }
    reached[FS_ROOT_INO] = 1;
    check_inode(FS_ROOT_INO, &root);
    qhead = qtail = 0;
    queue[qtail++] = FS_ROOT_INO;
    queue[qtail++] = FS_ROOT_INO;
    while (qhead < qtail) {
        uint32_t d = queue[qhead++];
        uint32_t p = queue[qhead++];
        visit_dir(d, p);
    }
    uint32_t files = 0;
    for (uint32_t ino = 1; ino < fs_sb.ninodes; ino++) {
        struct dinode di;
        if (iread(ino, &di) < 0) {
            problem("cannot read inode %u", ino);
            continue;
        }
        if (di.type == 0) continue;
        files++;
        if (!reached[ino]) {
            problem("inode %u (type %u, %u links) is allocated but not in the tree", ino, di.type,
                    di.nlink);
            continue;
        }
        if (di.nlink != refs[ino])
            problem("inode %u: link count %u, but %u entries name it", ino, di.nlink, refs[ino]);
    }
    uint32_t used = 0;
    for (uint32_t bno = 0; bno < fs_sb.nblocks; bno++) {
        int bit;
        if (bitmap_get(bno, &bit) < 0) {
            problem("cannot read the bitmap");
            break;
        }
        int want = bno < fs_sb.data_start || owner[bno] != 0;
        used += (uint32_t)bit;
        if (bit && !want) problem("block %u marked used but nothing uses it", bno);
        if (!bit && want) problem("block %u in use (inode %u) but marked free", bno, owner[bno]);
    }
    if (verbose)
        fprintf(out, "fsck: %u inodes in use, %u of %u blocks in use\n", files, used,
                fs_sb.nblocks);
done:
    free(owner);
    free(refs);
    free(reached);
    free(queue);
    owner = refs = queue = NULL;
    reached = NULL;
    return problems;
}
