/* The kernel's private part of the Sv39 memory map (see docs/memory.md for
 * the pictures). What user space also sees (the user half, SHM, USYSCALL,
 * TRAPFRAME, TRAMPOLINE) is in include/pagoda/memlayout.h.
 *
 * Kernel half (VA >= 0xFFFFFFC000000000):
 *   KERNBASE + pa           direct map of devices and RAM; the kernel runs here
 *   KSTACK_BASE             per-process region: this process's kernel stack
 *                           (only in its own kernel table), guard page below
 *   KSTACK_SLOT_TOP(i)      PAGODA_KPT=global: every process's kernel stack in
 *                           the one kernel table, slot i for process-table
 *                           index i, unmapped guard pages below each
 */
#ifndef PAGODA_MEMLAYOUT_H
#define PAGODA_MEMLAYOUT_H

#include "pagoda/memlayout.h"

#define P2V(pa) ((void *)((uint64)(pa) + KERNBASE))
#define V2P(va) ((uint64)(va)-KERNBASE)

/* Top-level entry 511 belongs to each process's own kernel table. */
#define KPROC_REGION 0xFFFFFFFFC0000000UL
#define KSTACK_PAGES 4
#define KSTACK_BASE  (KPROC_REGION + PGSIZE) /* the page below is the guard */
#define KSTACK_TOP   (KSTACK_BASE + KSTACK_PAGES * PGSIZE)
/* global: 64 slots of 8 pages (4 guard, 4 stack) fill one level-0 table */
#define KSTACK_SLOT_SIZE   (2 * KSTACK_PAGES * PGSIZE)
#define KSTACK_SLOTS       64
#define KSTACK_SLOT_TOP(i) (KPROC_REGION + ((uint64)(i) + 1) * KSTACK_SLOT_SIZE)

/* QEMU virt fallbacks when the device tree says nothing */
#define VIRT_UART     0x10000000UL
#define VIRT_UART_IRQ 10
#define VIRT_PLIC     0x0c000000UL
#define VIRT_RAM      0x80000000UL

#endif
