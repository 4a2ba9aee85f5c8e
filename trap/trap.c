/* Trap handling: from user mode (system calls, faults, interrupts) through
 * the trampoline, and from kernel mode through kernelvec. */
#include "trap/trap.h"
#include "trap/syscall.h" /* syscall_dispatch */
#include "proc/proc.h"
#include "proc/trace.h"
#include "drivers/console.h"
#include "drivers/kprintf.h"
#include "drivers/plic.h"
#include "drivers/uart.h"

extern char trampoline[], uservec[], userret[], ipcswitch[], kernelvec[];

/* userret(user satp) and ipc_switch in the trampoline page as every process sees them */
void (*user_ret)(uint64 satp);
uint64 (*ipc_switch)(uint64 kernel_satp, uint64 user_satp, volatile uint32 *lock);

void trap_init_hart(void)
{
    csr_write(stvec, (uint64)kernelvec);
    csr_set(sie, SIE_SEIE | SIE_STIE | SIE_SSIE);
    csr_write(scounteren, 7);       /* user may read cycle, time, instret */
    csr_write(sscratch, TRAPFRAME); /* the trampoline's one free register points there */
    user_ret = (void (*)(uint64))(TRAMPOLINE + (userret - trampoline));
    ipc_switch = (void *)(TRAMPOLINE + (ipcswitch - trampoline));
}

/* Returns 1 for a timer interrupt (time to preempt). */
static int handle_interrupt(uint64 scause)
{
    switch (scause & ~SCAUSE_INTR) {
    case IRQ_S_TIMER:
        TRACE(TR_TIMER, TRACE_SELF, ticks, 0, 0, 0);
        timer_interrupt();
        return 1;
    case IRQ_S_EXT: {
        uint32 irq = plic_claim();
        TRACE(TR_IRQ, TRACE_SELF, irq, 0, 0, 0);
        if (irq == uart_irq)
            console_intr();
        else if (irq)
            irq_dispatch(irq);
        if (irq) plic_complete(irq);
        return 0;
    }
    case IRQ_S_SOFT: /* an IPI: new work may be on the run queue */
        csr_clear(sip, 1UL << IRQ_S_SOFT);
        return 0;
    default:
        panic("unexpected interrupt %lx", scause);
    }
}

static const char *cause_name(uint64 scause)
{
    static const char *names[] = {
        [EXC_INST_MISALIGNED] = "misaligned jump",
        [EXC_INST_ACCESS] = "instruction access fault",
        [EXC_ILLEGAL_INST] = "illegal instruction",
        [EXC_BREAKPOINT] = "breakpoint",
        [EXC_LOAD_MISALIGNED] = "misaligned load",
        [EXC_LOAD_ACCESS] = "load access fault",
        [EXC_STORE_MISALIGNED] = "misaligned store",
        [EXC_STORE_ACCESS] = "store access fault",
        [EXC_INST_PAGE_FAULT] = "instruction page fault",
        [EXC_LOAD_PAGE_FAULT] = "load page fault",
        [EXC_STORE_PAGE_FAULT] = "store page fault",
    };
    if (scause < ARRAY_SIZE(names) && names[scause]) return names[scause];
    return "unknown exception";
}

/* The access a user page fault was, or 0 for any other exception. */
static inline int fault_access(uint64 scause)
{
    static const uint8 access[] = {[EXC_INST_PAGE_FAULT] = FAULT_EXEC,
                                   [EXC_LOAD_PAGE_FAULT] = FAULT_READ,
                                   [EXC_STORE_PAGE_FAULT] = FAULT_WRITE};
    return scause < ARRAY_SIZE(access) ? access[scause] : 0;
}

/* A system call with tracing on: the same as the hot path in usersyscall,
 * plus an event before and after. Out of line, so the hot path keeps one branch. */
static __attribute__((noinline, cold)) void traced_syscall(struct proc *p, struct trapframe *tf)
{
    /* one event for the trap and the call: cause 8 goes without saying */
    TRACE(TR_SYSCALL, p->pid, tf->regs[REG_A7], tf->regs[REG_A0], tf->regs[REG_A1],
          tf->regs[REG_A1 + 1]);
    tf->regs[REG_A0] = syscall_dispatch(tf);
    TRACE(TR_SYSRET, p->pid, tf->regs[REG_A7], tf->regs[REG_A0], 0, 0);
}

/* The trapframe fields the trampoline reads that never change while a
 * process lives (kernel_satp changes with exec, kernel_tp with the hart:
 * see return_to_user and switch_to). Set by proc_alloc, and again by fork
 * after it copies the parent's frame: under PAGODA_KPT=global each process
 * has its own stack address. */
void trap_init_frame(struct trapframe *tf, uint64 kstack_top)
{
    tf->kernel_sp = kstack_top;
    tf->kernel_trap = (uint64)usertrap;
    tf->kernel_fault = (uint64)userfault;
    tf->kernel_syscall = (uint64)usersyscall;
    tf->kernel_vec = (uint64)kernelvec;
    tf->kernel_full = PAGODA_IPC_DIRECT ? (uint64)ipc_fast_syscall : (uint64)usersyscall;
}

_Static_assert(TF_FULL_SYSCALLS ==
                   (1 << SYS_fork | 1 << SYS_exec | 1 << SYS_ipc_call | 1 << SYS_ipc_share |
                    1 << SYS_ipc_recv | 1 << SYS_ipc_reply_recv),
               "trapframe.h's TF_FULL_SYSCALLS");

/* Back to user mode: only what may have changed since the last return.
 * Interrupts off until sret (userret sets stvec to uservec, where a trap
 * would go with kernel state), sstatus's SPP and SPIE for sret. */
static inline __attribute__((always_inline)) _Noreturn void return_to_user(struct proc *p)
{
    if (__builtin_expect(trace_on(), 0)) trace_trapret(); /* keeps no register live */
    csr_clear(sstatus, SSTATUS_SIE | SSTATUS_SPP);        /* sret goes to user mode */
    csr_set(sstatus, SSTATUS_SPIE);                       /* with interrupts on */
    p->tf->kernel_satp = p->kernel_satp;
#ifndef PAGODA_KPT_SHARED
    KSTAT_INC(satp_write); /* userret loads the user table */
#endif
    user_ret(p->user_satp);
    __builtin_unreachable();
}

/* An interrupt from user mode, through uservec, on this process's kernel
 * stack, every register in the trapframe. */
_Noreturn void usertrap(void)
{
#ifndef PAGODA_KPT_SHARED
    KSTAT_INC(satp_write); /* uservec loaded the kernel table */
#endif
    struct proc *p = mycpu()->proc;
    uint64 scause = csr_read(scause);
    TRACE(TR_TRAP, p->pid, scause, p->tf->epc, 0, 0);
    if (handle_interrupt(scause)) yield();
    if (p->killed) proc_exit(-1);
    if (__builtin_expect(mycpu()->resched, 0)) yield(); /* the slice ran out */
    return_to_user(p);
}

/* mycpu()->proc and ->resched in one load each, from tp (as trace_on). */
#define HART_FIELD(type, insn, f)                                                                  \
    ({                                                                                             \
        type v_;                                                                                   \
        asm volatile(insn " %0, %1(tp)" : "=r"(v_) : "i"(__builtin_offsetof(struct cpu, f)));      \
        v_;                                                                                        \
    })

/* A system call, called by uservec (interrupts off, kernel stack and table)
 * with s0-s11 still the user's: C keeps them, here and across swtch. Returns
 * the user satp to uservec. (Who never returns here, like fork's child or a
 * process the IPC fast path parks, leaves through usertrapret.) */
uint64 usersyscall(void)
{
    uint64 sstatus = csr_read(sstatus); /* as sret wants it: SPP user, SPIE on, SIE off */
#ifndef PAGODA_KPT_SHARED
    KSTAT_ADD(satp_write, 2); /* uservec loaded the kernel table, and will load the user's */
#endif
    struct trapframe *tf = HART_FIELD(struct proc *, "ld", proc)->tf;
    intr_on();
    if (__builtin_expect(trace_on(), 0))
        traced_syscall(myproc(), tf);
    else
        tf->regs[REG_A0] = syscall_dispatch(tf);
    struct proc *p = HART_FIELD(struct proc *, "ld", proc); /* cheaper to reload than to keep */
    if (p->killed) proc_exit(-1);
    if (__builtin_expect(HART_FIELD(long, "lw", resched), 0)) yield(); /* the slice ran out */
    if (__builtin_expect(trace_on(), 0)) trace_trapret();
    csr_write(sstatus, sstatus); /* interrupts off until sret; SUM as it was, off */
    return p->user_satp;
}

/* userfault with tracing on: an event before and after. */
static __attribute__((noinline, cold)) int traced_fault(struct proc *p, int access)
{
    uint64 stval = csr_read(stval);
    TRACE(TR_TRAP, p->pid, csr_read(scause), p->tf->epc, stval, 0);
    int what = access ? trace_fault_what(&p->vm, stval, access) : 0;
    int r = access ? vm_fault(&p->vm, stval, access) : -EFAULT;
    TRACE(TR_FAULT, p->pid, access, stval, what, r);
    return r;
}

/* An exception from user mode (a page fault, mostly), called by the
 * trampoline like usersyscall: interrupts off, kernel stack and table,
 * s0-s11 still the user's (C keeps them, across a yield too), every other
 * register in the trapframe, for the trampoline to load back: a fault is
 * not a call. A served page fault returns to the faulting instruction;
 * anything else kills the process. Nothing reads the frame's s0-s11 after
 * an exception (the kill message, the trace: epc and stval only). Returns
 * the user satp. */
uint64 userfault(void)
{
    uint64 sstatus = csr_read(sstatus); /* as sret wants it: SPP user, SPIE on, SIE off */
#ifndef PAGODA_KPT_SHARED
    KSTAT_ADD(satp_write, 2); /* uservec loaded the kernel table, and will load the user's */
#endif
    struct proc *p = HART_FIELD(struct proc *, "ld", proc);
    int access = fault_access(csr_read(scause)), r;
    if (__builtin_expect(trace_on(), 0))
        r = traced_fault(p, access);
    else
        r = access ? vm_fault(&p->vm, csr_read(stval), access) : -EFAULT;
    if (r < 0) { /* not served: the process dies (scause and stval are still this trap's) */
        kprintf("pid %d (%s): killed: %s at pc %p, address %p\n", p->pid, p->name,
                r == -ENOMEM ? "out of memory" : cause_name(csr_read(scause)), (void *)p->tf->epc,
                (void *)csr_read(stval));
        p->killed = 1;
    }
    if (p->killed) proc_exit(-1);
    if (__builtin_expect(HART_FIELD(long, "lw", resched), 0)) yield(); /* the slice ran out */
    if (__builtin_expect(trace_on(), 0)) trace_trapret();
    csr_write(sstatus, sstatus);
    return p->user_satp;
}

_Noreturn void usertrapret(void)
{
    return_to_user(mycpu()->proc);
}

void kerneltrap(void)
{
    uint64 sepc = csr_read(sepc), sstatus = csr_read(sstatus), scause = csr_read(scause);
    if (!(sstatus & SSTATUS_SPP)) panic("kerneltrap: not from supervisor mode");
    if (scause & SCAUSE_INTR) {
        handle_interrupt(scause); /* no preemption inside the kernel */
    } else {
        uint64 stval = csr_read(stval);
        struct proc *p = mycpu()->proc;
        if (!p || !fault_access(scause) ||
            !uaccess_fault(&p->vm, &sepc, stval, scause == EXC_STORE_PAGE_FAULT))
            panic("kernel trap: %s at pc %p, address %p", cause_name(scause), (void *)sepc,
                  (void *)stval);
    }
    csr_write(sepc, sepc);
    csr_write(sstatus, sstatus);
}
