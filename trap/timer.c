/* The timer: each hart asks SBI for an interrupt every 1/TICK_HZ s; hart 0
 * also counts ticks and wakes sleepers. */
#include "trap/trap.h"
#include "arch/riscv/sbi.h"
#include "proc/proc.h"

uint64 timebase_hz = 10000000; /* QEMU virt; the device tree may say otherwise */

static uint64 tick_interval(void)
{
    return timebase_hz / TICK_HZ;
}

void timer_init_hart(void)
{
    sbi_set_timer(csr_read(time) + tick_interval());
}

void timer_interrupt(void)
{
    sbi_set_timer(csr_read(time) + tick_interval());
    KSTAT_INC(timer_tick);
    /* Also when the tick lands in the kernel (a system call, a direct IPC
     * switch): the slice is over either way, and the process yields before it
     * goes back to user mode (usertrap). */
    mycpu()->resched = 1;
    if (cpu_index() == 0) {
        ticks++;
        timer_tick_wakeups(ticks);
    }
}
