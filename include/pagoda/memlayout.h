/* The user-visible Sv39 memory map: what the kernel and every user program
 * agree on (pictures in docs/memory.md). The kernel's private part of the
 * map (direct map, kernel stacks) is in arch/riscv/memlayout.h.
 *
 * User half (VA < 2^38):
 *   0x0000000000            page 0, never mapped (catches null pointers)
 *   0x0000001000            program text, data, bss, then the heap (sbrk)
 *   USTACK_TOP-USTACK_SIZE  user stack, with an unmapped guard page below
 *   SHM_BASE..SHM_TOP       shared pages and device registers
 *   USYSCALL                read-only page shared with the kernel (pid ...)
 *   TRAPFRAME               this process's saved registers (no PTE_U)
 *   TRAMPOLINE              trap entry/exit code, same VA in every table (no PTE_U)
 * Kernel half (VA >= KERNBASE): never accessible from user mode. */
#ifndef PAGODA_PUBLIC_MEMLAYOUT_H
#define PAGODA_PUBLIC_MEMLAYOUT_H

#define PGSIZE         4096UL
#define PGSHIFT        12
#define MEGAPAGE       (512UL * PGSIZE) /* 2 MiB leaf at level 1 */
#define PGROUNDUP(a)   (((a) + PGSIZE - 1) & ~(PGSIZE - 1))
#define PGROUNDDOWN(a) ((a) & ~(PGSIZE - 1))

#define MAXVA      (1UL << 38) /* top of the user half */
#define TRAMPOLINE (MAXVA - PGSIZE)
#define TRAPFRAME  (TRAMPOLINE - PGSIZE)
#define USYSCALL   (TRAPFRAME - PGSIZE)
#define USER_TOP   USYSCALL /* user buffers must end at or below this */

#define UTEXT_BASE   0x1000UL
#define USTACK_TOP   0x2000000000UL /* 128 GiB: the heap may grow to just below the stack */
#define USTACK_PAGES 16
#define USTACK_SIZE  (USTACK_PAGES * PGSIZE)
#define HEAP_LIMIT   (USTACK_TOP - USTACK_SIZE - PGSIZE) /* one guard page */

#define SHM_BASE 0x3000000000UL /* shared pages and device registers live here */
#define SHM_TOP  0x3F00000000UL

#define KERNBASE 0xFFFFFFC000000000UL /* first address of the kernel half */

/* The USYSCALL page: read-only in user mode at USYSCALL in every process,
 * so ugetpid() needs no trap. */
struct usyscall {
    int pid;
    int ppid; /* changes when the parent exits and init adopts the process */
};

#endif
