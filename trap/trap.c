/* Trap handling: from user mode (system calls, faults, interrupts) through
 * the trampoline, and from kernel mode through kernelvec. */
#include "trap/trap.h"
#include "proc/proc.h"
#include "proc/trace.h"
#include "drivers/console.h"
#include "drivers/kprintf.h"
#include "drivers/plic.h"
#include "drivers/uart.h"

extern char trampoline[], uservec[], userret[], kernelvec[];

void trap_init_hart(void)
{
    csr_write(stvec, (uint64)kernelvec);
    csr_set(sie, SIE_SEIE | SIE_STIE | SIE_SSIE);
    csr_write(scounteren, 7); /* user may read cycle, time, instret */
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

static int is_page_fault(uint64 scause)
{
    return scause == EXC_LOAD_PAGE_FAULT || scause == EXC_STORE_PAGE_FAULT ||
           scause == EXC_INST_PAGE_FAULT;
}

static enum fault_access fault_access(uint64 scause)
{
    return scause == EXC_STORE_PAGE_FAULT  ? FAULT_WRITE
           : scause == EXC_INST_PAGE_FAULT ? FAULT_EXEC
                                           : FAULT_READ;
}

void usertrap(void)
{
    csr_write(stvec, (uint64)kernelvec);
    KSTAT_INC(satp_write); /* uservec loaded this process's kernel table */
    struct proc *p = mycpu()->proc;
    struct trapframe *tf = p->tf;
    uint64 scause = csr_read(scause);

    if (scause == EXC_ECALL_U) {
        /* one event for the trap and the call: cause 8 goes without saying */
        TRACE(TR_SYSCALL, p->pid, tf->regs[REG_A7], tf->regs[REG_A0], tf->regs[REG_A1],
              tf->regs[REG_A1 + 1]);
        tf->epc += 4;
        intr_on();
        tf->regs[REG_A0] = syscall_dispatch(tf);
        TRACE(TR_SYSRET, p->pid, tf->regs[REG_A7], tf->regs[REG_A0], 0, 0);
    } else if (scause & SCAUSE_INTR) {
        TRACE(TR_TRAP, p->pid, scause, tf->epc, 0, 0);
        if (handle_interrupt(scause)) yield();
    } else {
        uint64 stval = csr_read(stval);
        TRACE(TR_TRAP, p->pid, scause, tf->epc, stval, 0);
        enum fault_access access = fault_access(scause);
        int what =
            trace_on() && is_page_fault(scause) ? trace_fault_what(&p->vm, stval, access) : 0;
        int r = is_page_fault(scause) ? vm_fault(&p->vm, stval, access) : -EFAULT;
        TRACE(TR_FAULT, p->pid, access, stval, what, r);
        if (r < 0) {
            kprintf("pid %d (%s): killed: %s at pc %p, address %p\n", p->pid, p->name,
                    r == -ENOMEM ? "out of memory" : cause_name(scause), (void *)tf->epc,
                    (void *)stval);
            p->killed = 1;
        }
    }
    if (p->killed) proc_exit(-1);
    usertrapret();
}

_Noreturn void usertrapret(void)
{
    struct proc *p = mycpu()->proc;
    struct trapframe *tf = p->tf;
    if (__builtin_expect(trace_on(), 0)) trace_trapret(); /* keeps no register live */
    intr_off(); /* until sret: a trap now would go to uservec with kernel state */
    csr_write(stvec, TRAMPOLINE + (uservec - trampoline));
    tf->kernel_satp = p->kernel_satp;
    tf->kernel_sp = KSTACK_TOP;
    tf->kernel_trap = (uint64)usertrap;
    tf->kernel_tp = r_tp();
    uint64 sstatus = csr_read(sstatus);
    sstatus &= ~SSTATUS_SPP; /* return to user mode */
    sstatus |= SSTATUS_SPIE; /* with interrupts on */
    csr_write(sstatus, sstatus);
    void (*ret)(uint64) = (void (*)(uint64))(TRAMPOLINE + (userret - trampoline));
    KSTAT_INC(satp_write); /* userret loads the user table */
    ret(vm_user_satp(&p->vm));
    __builtin_unreachable();
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
        if (!p || !is_page_fault(scause) ||
            !uaccess_fault(&p->vm, &sepc, stval, scause == EXC_STORE_PAGE_FAULT))
            panic("kernel trap: %s at pc %p, address %p", cause_name(scause), (void *)sepc,
                  (void *)stval);
    }
    csr_write(sepc, sepc);
    csr_write(sstatus, sstatus);
}
