/* The Sv39 virtual memory map (see docs/memory.md for the pictures).
 *
 * User half (VA < 2^38):
 *   0x0000000000            page 0, never mapped (catches null pointers)
 *   0x0000001000            program text, data, bss, then the heap (sbrk)
 *   USTACK_TOP-USTACK_SIZE  user stack, with an unmapped guard page below
 *   SHM_BASE..SHM_TOP       shared pages and device registers (trap/abi.h)
 *   USYSCALL                read-only page shared with the kernel (pid ...)
 *   TRAPFRAME               this process's saved registers (no PTE_U)
 *   TRAMPOLINE              trap entry/exit code, same VA in every table (no PTE_U)
 *
 * Kernel half (VA >= 0xFFFFFFC000000000):
 *   KERNBASE + pa           direct map of devices and RAM; the kernel runs here
 *   KSTACK_BASE             per-process region: this process's kernel stack
 *                           (only in its own kernel table), guard page below
 */
#ifndef PAGODA_MEMLAYOUT_H
#define PAGODA_MEMLAYOUT_H

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

#define USTACK_TOP   0x2000000000UL /* 128 GiB: the heap may grow to just below the stack */
#define USTACK_PAGES 16
#define USTACK_SIZE  (USTACK_PAGES * PGSIZE)
#define HEAP_LIMIT   (USTACK_TOP - USTACK_SIZE - PGSIZE) /* one guard page */
#define UTEXT_BASE   0x1000UL

#define KERNBASE 0xFFFFFFC000000000UL /* VA = PA + KERNBASE for all of RAM and devices */
#define P2V(pa)  ((void *)((uint64)(pa) + KERNBASE))
#define V2P(va)  ((uint64)(va)-KERNBASE)

/* Top-level entry 511 belongs to each process's own kernel table. */
#define KPROC_REGION 0xFFFFFFFFC0000000UL
#define KSTACK_PAGES 4
#define KSTACK_BASE  (KPROC_REGION + PGSIZE) /* the page below is the guard */
#define KSTACK_TOP   (KSTACK_BASE + KSTACK_PAGES * PGSIZE)

/* QEMU virt fallbacks when the device tree says nothing */
#define VIRT_UART 0x10000000UL
#define VIRT_PLIC 0x0c000000UL
#define VIRT_RAM  0x80000000UL

#endif
