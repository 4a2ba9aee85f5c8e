/* Fixed-width types used throughout the kernel. */
#ifndef PAGODA_TYPES_H
#define PAGODA_TYPES_H

typedef unsigned char uint8;
typedef unsigned short uint16;
typedef unsigned int uint32;
typedef unsigned long uint64;
typedef long int64;
typedef uint64 pte_t;
typedef pte_t *pagetable_t; /* kernel virtual address of a 512-entry table */

#define NULL          ((void *)0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
