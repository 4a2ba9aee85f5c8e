/* The system calls. Each takes the six argument registers a0..a5. */
#ifndef PAGODA_SYSCALL_H
#define PAGODA_SYSCALL_H

#include "trap/trap.h"
#include "pagoda/abi.h"

/* syscall.c: every number has an entry (sys_nosys unless taken). */
extern long (*const syscalls[NSYSCALL])(const uint64 *args);

/* Inline: it is on every system call's path (trap.c). */
static inline long syscall_dispatch(struct trapframe *tf)
{
    uint64 n = tf->regs[REG_A7];
    return syscalls[n < NSYSCALL ? n : 0](&tf->regs[REG_A0]); /* 0: sys_nosys */
}

/* sys_proc.c */
long sys_fork(const uint64 *a);
long sys_exit(const uint64 *a);
long sys_wait(const uint64 *a);
long sys_kill(const uint64 *a);
long sys_getpid(const uint64 *a);
long sys_exec(const uint64 *a);
long sys_sleep(const uint64 *a);
long sys_uptime(const uint64 *a);
long sys_yield(const uint64 *a);
long sys_procinfo(const uint64 *a);
long sys_procinfo_pid(const uint64 *a);

/* sys_vm.c */
long sys_sbrk(const uint64 *a);
long sys_pgaccess(const uint64 *a);
long sys_vmprint(const uint64 *a);

/* sys_system.c */
long sys_cons_write(const uint64 *a);
long sys_cons_read(const uint64 *a);
long sys_cons_mode(const uint64 *a);
long sys_bootmod(const uint64 *a);
long sys_bootmod_name(const uint64 *a);
long sys_halt(const uint64 *a);
long sys_freepages(const uint64 *a);
long sys_trace_ctl(const uint64 *a);
long sys_trace_read(const uint64 *a);
long sys_trace_mark(const uint64 *a);
/* sys_info.c */
long sys_sysinfo(const uint64 *a);
/* sys_kstat.c */
long sys_kstat(const uint64 *a);

/* sys_ipc.c */
long sys_ep_create(const uint64 *a);
long sys_ep_register(const uint64 *a);
long sys_ep_lookup(const uint64 *a);
long sys_ep_close(const uint64 *a);
long sys_ipc_call(const uint64 *a);
long sys_ipc_share(const uint64 *a);
long sys_ipc_recv(const uint64 *a);
long sys_ipc_reply(const uint64 *a);
long sys_ipc_reply_recv(const uint64 *a);
long sys_ipc_notify(const uint64 *a);
long sys_ev_subscribe(const uint64 *a);
long sys_shm_alloc(const uint64 *a);
long sys_shm_free(const uint64 *a);
long sys_spawn(const uint64 *a);
long sys_dev_map(const uint64 *a);
long sys_dma_alloc(const uint64 *a);
long sys_va2pa(const uint64 *a);
long sys_irq_bind(const uint64 *a);
long sys_irq_ack(const uint64 *a);

/* sys_dev.c */
long sys_dev_list(const uint64 *a);
/* sys_sec.c */
long sys_uprobe(const uint64 *a);
long sys_selfcheck(const uint64 *a);
long sys_faultinject(const uint64 *a);

#endif
