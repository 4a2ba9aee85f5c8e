/* Pagoda's on-disk file-system format (docs/fs.md draws it). Shared by the
 * core, mkfs and fsck; every field is little-endian, as RISC-V and the host
 * both are.
 *
 *   block 0                superblock
 *   [log_start, +log_blocks)      write-ahead log: header block, then copies
 *   [inode_start, +inode_blocks)  inode table, INODES_PER_BLOCK per block
 *   [bitmap_start, +bitmap_blocks) free-block bitmap, one bit per block
 *   [data_start, nblocks)         data blocks (files, directories, indirect)
 *
 * Blocks past nblocks on the device are not the file system's (a scratch
 * area mkfs can leave for raw-disk tests). */
#ifndef FS_FORMAT_H
#define FS_FORMAT_H

#include <stdint.h>
#include "bio.h"
#include "pagoda/fs_proto.h"

#define FS_MAGIC   0x53466750u /* "PgFS" */
#define FS_VERSION 1

struct superblock {
    uint32_t magic;         /* FS_MAGIC */
    uint32_t version;       /* FS_VERSION */
    uint32_t block_size;    /* BSIZE */
    uint32_t nblocks;       /* blocks of the file system, metadata included */
    uint32_t ninodes;       /* inodes, numbered 1..ninodes-1 (0 means none) */
    uint32_t log_start;     /* log header block */
    uint32_t log_blocks;    /* header + data blocks of the log */
    uint32_t inode_start;   /* first inode-table block */
    uint32_t inode_blocks;  /* inode-table blocks */
    uint32_t bitmap_start;  /* first bitmap block */
    uint32_t bitmap_blocks; /* bitmap blocks */
    uint32_t data_start;    /* first data block */
    uint32_t root_ino;      /* FS_ROOT_INO */
};

/* On-disk inode. type 0 is a free inode. nlink counts the directory
 * entries naming it, "." and ".." included (a new directory has 2). */
#define NDIRECT          24
#define NINDIRECT        (BSIZE / 4) /* block numbers in an indirect block */
#define INODE_SIZE       128
#define INODES_PER_BLOCK (BSIZE / INODE_SIZE)
#define MAXFILE_BLOCKS   ((uint64_t)NDIRECT + NINDIRECT + (uint64_t)NINDIRECT * NINDIRECT)
#define MAXFILE_BYTES    (MAXFILE_BLOCKS * BSIZE)

struct dinode {
    uint16_t type;  /* 0 (free), T_FILE, T_DIR, T_DEVICE */
    uint16_t major; /* T_DEVICE only */
    uint16_t minor;
    uint16_t nlink;
    uint64_t size;            /* bytes */
    uint32_t pad[2];          /* reserved, zero */
    uint32_t direct[NDIRECT]; /* first NDIRECT blocks; 0 = hole */
    uint32_t indirect;        /* block of NINDIRECT block numbers */
    uint32_t dindirect;       /* block of NINDIRECT indirect blocks */
};
_Static_assert(sizeof(struct dinode) == INODE_SIZE, "inode size");

/* A directory is a file of struct dirent records (pagoda/fs_proto.h): the
 * first two are "." and "..", inum 0 marks a free slot. */
#define DIRENTS_PER_BLOCK (BSIZE / (int)sizeof(struct dirent))

/* Log header (block log_start). n > 0 means a committed transaction group:
 * block i of the log's data area (log_start + 1 + i) belongs at home[i].
 * n = 0: nothing to replay. */
#define LOG_MAGIC 0x474f4c50u /* "PLOG" */
#define LOG_MAX   ((BSIZE - 16) / 4)
struct log_header {
    uint32_t magic; /* LOG_MAGIC */
    uint32_t n;     /* blocks in the committed group, 0 when none */
    uint64_t seq;   /* commit number, for the curious */
    uint32_t home[LOG_MAX];
};
_Static_assert(sizeof(struct log_header) == BSIZE, "log header is one block");

#define BITS_PER_BLOCK (BSIZE * 8)

#endif
