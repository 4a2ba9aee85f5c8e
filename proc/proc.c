/* The process table: allocation and freeing of a process's kernel stack,
 * trapframe and page tables. Free slots sit on a list, so allocation does
 * not search the table. Slot i hands out pids i+1, i+1+NPROC, i+1+2*NPROC...
 * so a pid leads straight to its slot (proc_find), with no search either. */
#include "proc/proc.h"
#include "trap/trap.h" /* trap_init_frame */

static struct proc procs[NPROC];
_Static_assert(NPROC <= KSTACK_SLOTS, "a kernel stack slot per process (PAGODA_KPT=global)");
static struct list free_procs = LIST_INIT(free_procs);
static int nfree_procs = NPROC;
struct proc *initproc;

void proc_init(void)
{
    for (int i = 0; i < NPROC; i++) list_add_tail(&free_procs, &procs[i].qlink);
}

void proc_set_name(struct proc *p, const char *name)
{
    const char *base = name;
    for (const char *s = name; *s; s++)
        if (*s == '/') base = s + 1;
    strlcpy(p->name, base, sizeof(p->name));
}

struct proc *proc_alloc(void)
{
    spin_lock(&sched_lock);
    struct list *l = list_pop(&free_procs);
    struct proc *p = l ? list_entry(l, struct proc, qlink) : NULL;
    if (p) {
        nfree_procs--;
        p->state = EMBRYO;
        p->pid = p->last_pid ? p->last_pid + NPROC : (int)(p - procs) + 1;
        p->last_pid = p->pid;
    }
    spin_unlock(&sched_lock);
    if (!p) return NULL;

    p->killed = p->xstatus = 0;
    p->parent = NULL;
    list_init(&p->children);
    list_init(&p->sibling);
    waitq_init(&p->child_exit);
    p->name[0] = 0;
    p->vm = (struct vm){0};
    p->ipc = (struct ipc_state){0};
    int ok = 1;
    for (int i = 0; i < KSTACK_PAGES; i++) {
        void *page = kalloc_dirty(); /* a stack is written before it is read */
        p->frames.kstack[i] = page ? V2P(page) : 0;
        ok = ok && page;
    }
    p->tf = kalloc();
    p->usys = kalloc();
    p->frames.trapframe = p->tf ? V2P(p->tf) : 0;
    p->frames.usyscall = p->usys ? V2P(p->usys) : 0;
    if (!ok || !p->tf || !p->usys || kpt_stack_map(&p->frames, (int)(p - procs)) < 0 ||
        vm_create(&p->vm, &p->frames) < 0) {
        proc_free(p);
        return NULL;
    }
    p->kernel_satp = vm_kernel_satp(&p->vm);
    p->user_satp = vm_user_satp(&p->vm);
    trap_init_frame(p->tf, p->frames.kstack_top);
    /* LAB usyscall BEGIN */
    p->usys->pid = p->pid;
    /* LAB END */
    ipc_msg_bind(p);
    /* A new process starts in fork_return, on its own empty kernel stack (the
     * other saved registers are kernel ones, never read before written). */
    p->ctx.ra = (uint64)fork_return;
    p->ctx.sp = p->frames.kstack_top;
    return p;
}

/* Frees everything a process owns. It must not be running anywhere. */
void proc_free(struct proc *p)
{
    vm_destroy(&p->vm);
    kpt_stack_unmap(&p->frames, (int)(p - procs));
    for (int i = 0; i < KSTACK_PAGES; i++)
        if (p->frames.kstack[i]) kfree(P2V(p->frames.kstack[i]));
    if (p->tf) kfree(p->tf);
    if (p->usys) kfree(p->usys);
    p->frames = (struct kframes){0};
    p->tf = NULL;
    p->usys = NULL;
    spin_lock(&sched_lock);
    p->state = UNUSED;
    p->pid = 0;
    list_add_tail(&free_procs, &p->qlink);
    nfree_procs++;
    spin_unlock(&sched_lock);
}

struct vm *vm_current(void)
{
    return &myproc()->vm;
}

struct proc *proc_slot(int i)
{
    return &procs[i];
}

int proc_free_slots(void)
{
    return nfree_procs;
}

struct proc *proc_find(int pid)
{
    if (pid <= 0) return NULL;
    struct proc *p = &procs[(pid - 1) % NPROC];
    if (p->pid != pid || p->state == UNUSED || p->state == EMBRYO) return NULL;
    return p;
}

/* Fill *out from p; sched_lock held. */
static void fill_info(struct proc *p, struct procinfo *out)
{
    static const int ps_state[] = {[RUNNABLE] = PS_RUNNABLE,
                                   [RUNNING] = PS_RUNNING,
                                   [SLEEPING] = PS_SLEEPING,
                                   [ZOMBIE] = PS_ZOMBIE};
    *out = (struct procinfo){
        .pid = p->pid, .ppid = p->parent ? p->parent->pid : 0, .state = ps_state[p->state]};
    out->size = p->vm.bytes + p->vm.tables * PGSIZE; /* page tables count too */
    strlcpy(out->name, p->name, sizeof(out->name));
}

int proc_info(int index, struct procinfo *out)
{
    for (int i = 0; i < NPROC; i++) {
        struct proc *p = &procs[i];
        spin_lock(&sched_lock);
        int live = p->state != UNUSED && p->state != EMBRYO;
        if (live && index-- == 0) {
            fill_info(p, out);
            spin_unlock(&sched_lock);
            return 0;
        }
        spin_unlock(&sched_lock);
    }
    return -ENOENT;
}

int proc_info_pid(int pid, struct procinfo *out)
{
    spin_lock(&sched_lock);
    struct proc *p = proc_find(pid); /* the pid names its slot: no scan */
    if (p) fill_info(p, out);
    spin_unlock(&sched_lock);
    return p ? 0 : -ESRCH;
}
