/* kmain: from OpenSBI to the first user process (docs/boot.md). The boot
 * hart sets everything up, then starts the other harts with SBI HSM; every
 * hart ends in its idle loop, taking processes from the run queue.
 *
 * kmain is the top of the kernel's layers: it calls into every folder below
 * (arch, drivers, mm, proc, trap) in the order they must come up, and
 * nothing calls it but entry.S. */
#include "arch/riscv/fdt.h"
#include "arch/riscv/sbi.h"
#include "drivers/console.h"
#include "drivers/devices.h"
#include "drivers/kprintf.h"
#include "drivers/plic.h"
#include "drivers/uart.h"
#include "proc/proc.h"
#include "trap/trap.h"

#define BOOTARGS_LEN 128 /* longer boot arguments are cut */
#define INIT_MAXARGS 8   /* words of boot arguments init gets, after its name */

extern char _end[], _secondary_entry[];
static char bootargs[BOOTARGS_LEN];

static void read_device_tree(uint64 dtb_pa, struct fdt_info *info)
{
    /* QEMU virt defaults, used when the tree is missing or says nothing */
    *info = (struct fdt_info){.mem_base = VIRT_RAM,
                              .mem_size = 128UL << 20,
                              .nharts = 1,
                              .timebase_hz = 10000000,
                              .uart_base = VIRT_UART,
                              .plic_base = VIRT_PLIC,
                              .uart_irq = VIRT_UART_IRQ};
    struct fdt_info dt;
    if (!dtb_pa || fdt_parse(P2V(dtb_pa), &dt) < 0) {
        kprintf("pagoda: no usable device tree, assuming QEMU virt defaults\n");
        info->hartids[0] = 0;
        return;
    }
    if (dt.mem_size) info->mem_base = dt.mem_base, info->mem_size = dt.mem_size;
    if (dt.nharts) {
        info->nharts = dt.nharts;
        for (int i = 0; i < dt.nharts; i++) info->hartids[i] = dt.hartids[i];
    }
    if (dt.timebase_hz) info->timebase_hz = dt.timebase_hz;
    if (dt.uart_base) info->uart_base = dt.uart_base, info->uart_irq = dt.uart_irq;
    if (dt.plic_base) info->plic_base = dt.plic_base;
    if (dt.bootargs) strlcpy(bootargs, dt.bootargs, sizeof(bootargs));
    devices_init(&dt);
}

/* Is word one of the space-separated boot arguments? */
static int boot_option(const char *word)
{
    uint64 n = strlen(word);
    for (const char *s = bootargs; *s;) {
        while (*s == ' ') s++;
        if (strncmp(s, word, n) == 0 && (s[n] == ' ' || s[n] == 0)) return 1;
        while (*s && *s != ' ') s++;
    }
    return 0;
}

static void start_first_process(void)
{
    struct proc *p = proc_alloc();
    if (!p) panic("no memory for init");
    initproc = p;
    p->ipc.privileged = 1; /* init starts the servers */
    /* init's arguments are the boot arguments, word by word */
    static char words[sizeof(bootargs)];
    char *args[1 + INIT_MAXARGS] = {"init"};
    int argc = 1;
    strlcpy(words, bootargs, sizeof(words));
    for (char *s = words; *s && argc < 1 + INIT_MAXARGS;) {
        while (*s == ' ') *s++ = 0;
        if (*s) args[argc++] = s;
        while (*s && *s != ' ') s++;
    }
    int r = exec_boot_module(p, "init", args, argc);
    if (r < 0) panic("cannot start init: error %d", r);
    if (boot_option("vmprint-init")) vmprint(p->vm.upt); /* the classic lab's first look */
    spin_lock(&sched_lock);
    make_runnable(p);
    spin_unlock(&sched_lock);
}

static void start_other_harts(struct fdt_info *info, uint32 boot_hartid)
{
    for (int i = 0; i < info->nharts && ncpu < NCPU; i++) {
        if (info->hartids[i] == boot_hartid) continue;
        int idx = ncpu++;
        cpus[idx].hartid = info->hartids[i];
        if (info->hartids[i] < NCPU) hart_index[info->hartids[i]] = idx; /* see entry.S */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (sbi_hart_start(info->hartids[i], V2P(_secondary_entry), idx) != 0) {
            kprintf("pagoda: hart %u did not start\n", info->hartids[i]);
            ncpu--;
        }
    }
}

static void init_this_hart(void)
{
    kvm_init_hart();
    trap_init_hart();
    plic_init_hart(mycpu()->hartid);
    timer_init_hart();
    __atomic_store_n(&mycpu()->started, 1, __ATOMIC_RELEASE);
}

_Noreturn void kmain(uint64 hartid, uint64 dtb_pa, uint64 index)
{
    asm volatile("mv tp, %0" ::"r"(&cpus[index])); /* mycpu() from now on */
    if (index != 0) {
        init_this_hart();
        scheduler();
    }
    cpus[0].hartid = hartid;
    struct fdt_info info;
    read_device_tree(dtb_pa, &info);
    uart_init(info.uart_base);
    uart_irq = info.uart_irq;
    timebase_hz = info.timebase_hz;
    uint64 ram_end = info.mem_base + info.mem_size;
    kprintf("\nPagoda: %d hart(s), %lu MiB RAM, booted on hart %lu, kernel page tables: %s\n",
            info.nharts, info.mem_size >> 20, hartid, kpt_design);
    if (bootargs[0]) kprintf("pagoda: boot arguments: %s\n", bootargs);
    fault_inject_init(bootargs); /* failpages=N (docs/security.md) */

    /* The device tree lies in RAM that kalloc hands out: read it first (above). */
    kalloc_init(V2P(_end), ram_end);
    kvm_init(ram_end);
    plic_init(info.plic_base);
    plic_enable(uart_irq);
    console_init();
    proc_init();
    init_this_hart();
    kprintf("pagoda: %lu free pages, starting init\n", kalloc_free_pages());
    start_first_process(); /* from here on the console belongs to user space */
    start_other_harts(&info, hartid);
    scheduler();
}
