/* System-call dispatch: number in a7, arguments a0..a5, result in a0. */
#include "trap/syscall.h"

/* Numbers nobody has taken yet. */
static long sys_nosys(const uint64 *a)
{
    (void)a;
    return -ENOSYS;
}

/* Every number has an entry (sys_nosys unless named below), so dispatch
 * needs only the bounds check: no test for a hole on every system call. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
long (*const syscalls[NSYSCALL])(const uint64 *args) = {
    [0 ... NSYSCALL - 1] = sys_nosys,
    [SYS_fork] = sys_fork,
    [SYS_exit] = sys_exit,
    [SYS_wait] = sys_wait,
    [SYS_kill] = sys_kill,
    [SYS_getpid] = sys_getpid,
    [SYS_sbrk] = sys_sbrk,
    [SYS_exec] = sys_exec,
    [SYS_sleep] = sys_sleep,
    [SYS_uptime] = sys_uptime,
    [SYS_yield] = sys_yield,
    [SYS_cons_write] = sys_cons_write,
    [SYS_cons_read] = sys_cons_read,
    [SYS_cons_mode] = sys_cons_mode,
    [SYS_bootmod] = sys_bootmod,
    [SYS_bootmod_name] = sys_bootmod_name,
    [SYS_halt] = sys_halt,
    [SYS_freepages] = sys_freepages,
    [SYS_procinfo] = sys_procinfo,
    [SYS_pgaccess] = sys_pgaccess,
    [SYS_vmprint] = sys_vmprint,
    [SYS_ep_create] = sys_ep_create,
    [SYS_ep_register] = sys_ep_register,
    [SYS_ep_lookup] = sys_ep_lookup,
    [SYS_ep_close] = sys_ep_close,
    [SYS_ipc_call] = sys_ipc_call,
    [SYS_ipc_share] = sys_ipc_share,
    [SYS_ipc_recv] = sys_ipc_recv,
    [SYS_ipc_reply] = sys_ipc_reply,
    [SYS_ipc_reply_recv] = sys_ipc_reply_recv,
    [SYS_ipc_notify] = sys_ipc_notify,
    [SYS_ev_subscribe] = sys_ev_subscribe,
    [SYS_shm_alloc] = sys_shm_alloc,
    [SYS_shm_free] = sys_shm_free,
    [SYS_spawn] = sys_spawn,
    [SYS_dev_map] = sys_dev_map,
    [SYS_dma_alloc] = sys_dma_alloc,
    [SYS_va2pa] = sys_va2pa,
    [SYS_irq_bind] = sys_irq_bind,
    [SYS_irq_ack] = sys_irq_ack,
    [SYS_dev_list] = sys_dev_list,
    [SYS_procinfo_pid] = sys_procinfo_pid,
    [SYS_uprobe] = sys_uprobe,
    [SYS_selfcheck] = sys_selfcheck,
    [SYS_faultinject] = sys_faultinject,
    [SYS_trace_ctl] = sys_trace_ctl,
    [SYS_trace_read] = sys_trace_read,
    [SYS_trace_mark] = sys_trace_mark,
    [SYS_kstat] = sys_kstat,
    /* LAB syscall BEGIN */
    [SYS_sysinfo] = sys_sysinfo,
    /* LAB END */
};
#pragma clang diagnostic pop
