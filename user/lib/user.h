/* The user API: xv6's user.h (same names, signatures and semantics) plus a few
 * Pagoda extras. Calls return -1 on error (sbrk: (char *)-1) and leave the
 * kernel's error code, positive, in errno (codes in include/pagoda/abi.h). */
#ifndef PAGODA_USER_USER_H
#define PAGODA_USER_USER_H

#include <stdarg.h>
#include "types.h"
#include "pagoda/abi.h"
#include "pagoda/memlayout.h" /* USYSCALL, struct usyscall */

struct stat;
struct procinfo;

extern int errno;

/* xv6 programs pass e.g. pointers to %x, so format checking is opt-in:
 * build with -DPAGODA_CHECK_PRINTF to have the compiler check printf calls. */
#ifdef PAGODA_CHECK_PRINTF
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PRINTF_LIKE(fmt, args)
#endif

/* System calls (xv6). */
int fork(void);
int exit(int) __attribute__((noreturn));
int wait(int *);
int pipe(int *);
int write(int, const void *, int);
int read(int, void *, int);
int close(int);
int kill(int);
int exec(const char *, char **);
int open(const char *, int);
int mknod(const char *, short, short);
int unlink(const char *);
int fstat(int fd, struct stat *);
int link(const char *, const char *);
int mkdir(const char *);
int chdir(const char *);
int dup(int);
int getpid(void);
char *sbrk(int);
int sleep(int);
int uptime(void);

/* Pagoda system calls. */
/* The pid from the read-only USYSCALL page: a load, no trap. */
static inline int ugetpid(void)
{
    return ((const volatile struct usyscall *)USYSCALL)->pid;
}
int yield(void);
int halt(int status);                         /* flush output, power off; returns only on error */
int freepages(void);                          /* free physical pages in the whole machine */
int sysinfo(struct sysinfo *);                /* free memory, processes; 0 or -1 */
int procinfo(int index, struct procinfo *);   /* 0, or -1 past the last process */
int procinfo_pid(int pid, struct procinfo *); /* 0, or -1 (ESRCH): no such process */
int pgaccess(void *base, int npages, void *mask); /* mask gets ceil(npages/8) bytes */
int vmprint(int which);                           /* kernel prints a page table */
int cons_mode(int mode); /* CONS_COOKED or CONS_RAW (abi.h); returns the old mode */

/* Pagoda extras of the file API (served by the fs server, like open/read). */
int fsync(int fd);                         /* the file's data and metadata on disk */
int lseek(int fd, int offset, int whence); /* SEEK_SET/CUR/END -> new offset */
int rename(const char *from, const char *to);
int rmdir(const char *path); /* empty directories only */
char *getcwd(char *buf, int len);
int ftruncate(int fd, int length);
int sync(void);     /* everything written so far is on disk */
int isatty(int fd); /* 1 if fd is the console */

/* ulib (xv6). */
int stat(const char *, struct stat *);
/* cp's and mv's target: TO itself, or TO/basename(FROM) (written into buf)
 * when TO is a directory. */
const char *path_into_dir(const char *from, const char *to, char *buf, int size);
char *strcpy(char *, const char *);
void *memmove(void *, const void *, int);
char *strchr(const char *, char c);
int strcmp(const char *, const char *);
void fprintf(int, const char *, ...) PRINTF_LIKE(2, 3);
void printf(const char *, ...) PRINTF_LIKE(1, 2);
char *gets(char *, int max);
uint strlen(const char *);
void *memset(void *, int, uint);
void *malloc(uint);
void free(void *);
int atoi(const char *);
int memcmp(const void *, const void *, uint);
void *memcpy(void *, const void *, uint);

/* Pagoda additions to ulib. */
char *strncpy(char *, const char *, int);
int strncmp(const char *, const char *, uint);
char *strcat(char *, const char *);
int snprintf(char *, int, const char *, ...) PRINTF_LIKE(3, 4);
int vsnprintf(char *, int, const char *, va_list);
void vprintf(const char *, va_list);
void vfprintf(int, const char *, va_list);
void printf_flush(void); /* write out buffered printf output for every fd */
char *strrchr(const char *, char c);

/* Error names (errname.c): "ENOENT", and a short text, "no such file or
 * directory"; unknown codes give "E?" / "unknown error". */
const char *errname(int code);
const char *strerror(int code);
/* fprintf(2, "WHAT: ENOENT (no such file or directory)\n") for errno. */
void perror(const char *what);
void perror_path(const char *prog, const char *path); /* "PROG: PATH: ENOENT (...)" */

#endif
