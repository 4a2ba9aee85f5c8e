/* Raw system calls: one typed wrapper per call in trap/abi.h.
 * Each returns the kernel's result unchanged (negative = -errno); the xv6-style
 * API in user.h turns that into -1 plus errno. */
#ifndef PAGODA_USER_SYSCALL_H
#define PAGODA_USER_SYSCALL_H

#include "trap/abi.h"

/* ecall with number n and up to six arguments; unused ones may be 0. */
long sys_call6(long n, long a0, long a1, long a2, long a3, long a4, long a5);

long sys_fork(void);
__attribute__((noreturn)) void sys_exit(int status);
long sys_wait(int *status);
long sys_kill(int pid);
long sys_getpid(void);
long sys_sbrk(long delta);
long sys_exec(const void *elf, unsigned long len, char **argv);
long sys_sleep(long ticks);
long sys_uptime(void);
long sys_yield(void);
long sys_cons_write(const void *buf, unsigned long n);
long sys_cons_read(void *buf, unsigned long n);
long sys_bootmod(const char *name, void *buf, unsigned long len);
long sys_bootmod_name(int index, char *buf, unsigned long len);
long sys_halt(int status);
long sys_freepages(void);
long sys_procinfo(int index, struct procinfo *info);
long sys_pgaccess(void *va, int npages, unsigned long *mask);
long sys_vmprint(int which);

#endif
