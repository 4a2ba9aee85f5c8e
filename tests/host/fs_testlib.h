/* Helpers shared by the file-system host tests: a case runner that prints
 * "ok NAME" / "FAIL NAME: why" and the closing "N passed, M failed" line,
 * and in-memory file systems to run the core on. */
#ifndef FS_TESTLIB_H
#define FS_TESTLIB_H

#include <stdint.h>
#include <stdio.h>

#include "servers/fs/core.h"
#include "tools/fs/host.h"

/* Fail the current case (once) with a message; the case goes on. */
void t_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) t_fail(__FILE__, __LINE__, "%s", #cond);                                      \
    } while (0)
/* a == b for integers, printing both when not */
#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_) t_fail(__FILE__, __LINE__, "%s == %lld, want %lld", #a, a_, b_);             \
    } while (0)

void t_run(const char *name, void (*fn)(void));
int t_summary(void); /* prints the summary; exit status */

/* The image of the current file system. */
extern uint8_t *t_img;
extern uint32_t t_nblocks;
/* A new file system of mb MiB (ninodes 0: default) in memory, mounted. */
void t_fresh(uint32_t mb, uint32_t ninodes);
/* Sync, then fsck a copy of the image: number of problems (printed). The
 * mounted state is kept (open references included). */
int t_fsck(void);
void t_done(void); /* detach and free the image */

/* Shorthands over fs.h with "/" as cwd. */
uint32_t t_create(const char *path, int type); /* 0 on failure */
long t_write_str(const char *path, const char *s);
int t_read_str(const char *path, char *buf, int len); /* NUL-terminated; bytes or -error */
void t_pattern(uint8_t *buf, uint64_t off, uint64_t n, uint32_t seed);

#endif
