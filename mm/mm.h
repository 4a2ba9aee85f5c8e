/* Memory management: the physical page allocator, the global kernel page
 * table, per-process address spaces (user table + per-process kernel table)
 * and access to user memory from the kernel. */
#ifndef PAGODA_MM_H
#define PAGODA_MM_H

#include "arch/riscv/types.h"
#include "arch/riscv/memlayout.h"
#include "mm/pt.h"
#include "arch/riscv/riscv.h"
#include "arch/riscv/cpu.h"

/* Physical pages (kalloc.c). Pages are handed out by kernel VA (direct map). */
void kalloc_init(uint64 start_pa, uint64 end_pa);
void *kalloc(void);      /* one zeroed 4 KiB page (reference count 1), or NULL */
void *kalloc_mega(void); /* 512 zeroed contiguous pages, 2 MiB-aligned, or NULL */
/* The same, not zeroed: for a caller that overwrites every byte at once. */
void *kalloc_dirty(void);
void *kalloc_mega_dirty(void);
void kfree(void *page); /* drop a reference; the frame is free at zero */
/* One more reference on each frame; -1 (nothing taken) if a count would pass KREF_MAX. */
int kref_get(uint64 pa, uint64 nframes);
#define KREF_MAX 0x40000000U
int kref_count(uint64 pa);
/* One more (delta 1; -1 if a count would pass KREF_MAX) or one less (-1) reference
 * on each frame of a valid 4 KiB leaf in t[lo..hi) but devices', under one lock. */
int kref_table(const pte_t *t, int lo, int hi, int delta);
/* Megapages as one unit (kalloc.c): */
void kfree_mega(uint64 pa);                 /* drop a reference on a whole block */
int kref_shared(uint64 pa, uint64 nframes); /* does another mapping hold any? */
void kref_split(uint64 pa);                 /* counts per frame from now on */
int kalloc_is_unit(uint64 pa);              /* pa heads a block counted as one */
uint64 kalloc_free_pages(void);
/* Table pages that pt_alloc_page makes (or pt_free_page frees) on this hart
 * count in *counter, until it is set back to NULL. */
static inline void kalloc_count_tables(uint64 *counter)
{
    mycpu()->pt_tables = counter;
}
/* Fault injection: every `every`-th allocation for which here() says yes fails. */
void kalloc_fail_set(uint64 every, int (*here)(void));
long kalloc_frame(uint64 pa); /* index of a RAM frame, or -1 */
uint64 kalloc_nframes(void);
/* User mappings per frame, in pages of their own (no 2 MiB block needed):
 * frame f's count is maps[f / COUNTS_PER_PAGE][f % COUNTS_PER_PAGE]. */
#define COUNTS_PER_PAGE (PGSIZE / sizeof(uint32))
long kalloc_check(uint32 *const *maps); /* broken invariants, against those counts */

/* The global kernel table (kvm.c), used when no process runs. */
void kvm_init(uint64 ram_end_pa);
void kvm_init_hart(void); /* load it into satp on this hart */
extern pagetable_t kernel_pagetable;
extern uint64 kernel_satp;

/* An address space: the user table and the kernel table that goes with it. */
struct vm {
    pagetable_t upt;  /* user table: what the process sees in U-mode */
    pagetable_t kpt;  /* the table the kernel runs on for it (mm/kpt_*.c) */
    uint64 heap_base; /* end of the loaded program: where sbrk starts */
    uint64 brk;       /* current end of the heap */
    uint64 bytes;     /* user memory mapped, for ps */
    uint64 tables;    /* page-table pages made by vm_map (both tables), for ps */
    uint64 shm_pages; /* pages mapped in [SHM_BASE, SHM_TOP) */
    uint64 shm_hint;  /* no usable gap below this (shm.c) */
};

/* Per-address-space limits (docs/security.md): no process pins the machine's
 * memory through page tables or pages others share with it. */
#define VM_TABLES_MAX 2048 /* page-table pages, user and kernel view together */
#define VM_SHM_MAX    8192 /* pages in the shared region (own, shared in, devices) */

/* Address spaces (vm.c). All user mappings go through these so that the
 * process's kernel table keeps its view of user memory in step. */
/* The frames a process keeps across exec, mapped into each new address space. */
struct kframes {
    uint64 kstack[KSTACK_PAGES];
    uint64 kstack_top; /* VA just above the kernel stack (kpt_stack_map) */
    uint64 trapframe;
    uint64 usyscall;
};
int vm_create(struct vm *vm, const struct kframes *f);

/* The kernel page-table design, one file each (docs/pagetables.md), chosen
 * by the CMake switch PAGODA_KPT:
 *   mm/kpt_perproc.c  a kernel table per process; copies dereference directly
 *   mm/kpt_global.c   one kernel table; copies walk the user table in software
 *   mm/kpt_shared.c   one table per process, user and kernel halves; sstatus.SUM
 * It decides which table the kernel runs on for an address space (vm->kpt),
 * where kernel stacks live, and how the kernel reaches user memory. */
extern const char kpt_design[];
void kpt_init(void); /* at boot, after the kernel table is built */
/* Map the kernel stack of process-table slot `slot` where this design keeps
 * it (sets f->kstack_top); unmap it before its frames are freed. */
int kpt_stack_map(struct kframes *f, int slot);
void kpt_stack_unmap(struct kframes *f, int slot);
int kpt_attach(struct vm *vm, const struct kframes *f); /* sets vm->kpt */
void kpt_detach(struct vm *vm);
/* A user PTE changed (0: unmapped); keep the kernel's view of it in step. */
int kpt_mirror(struct vm *vm, uint64 va, pte_t upte, int level);
/* The same for entries [lo, hi) of the user level-0 table ut that maps the
 * 2 MiB at va, in one walk (fork); only perproc keeps such a view. */
#ifdef PAGODA_KPT_PERPROC
int kpt_mirror_table(struct vm *vm, uint64 va, const pte_t *ut, int lo, int hi);
#else
#define kpt_mirror_table(vm, va, ut, lo, hi) ((void)(vm), (void)(ut), (void)(lo), (void)(hi), 0)
#endif
int kpt_split(struct vm *vm, uint64 va, pagetable_t table);         /* -1: table unused */
int vm_alloc(struct vm *vm, uint64 start, uint64 end, uint64 perm); /* zeroed pages, now */
/* The same, but the pages wholly below `filled` are not zeroed: the caller
 * (exec) writes every byte of them before anyone can see them. */
int vm_alloc_filled(struct vm *vm, uint64 start, uint64 end, uint64 filled, uint64 perm);
int vm_dealloc(struct vm *vm, uint64 start, uint64 end);
int vm_copy(struct vm *dst, struct vm *src); /* for fork */
long vm_sbrk(struct vm *vm, long delta);     /* old break, or -errno */
void vm_free_user(struct vm *vm);            /* user pages and user table */
void vm_destroy(struct vm *vm);              /* everything left */
/* ASID bits of the two satp values (0: none; set by kpt_init, perproc only). */
extern uint64 kpt_asid_user, kpt_asid_kernel;
static inline uint64 vm_user_satp(struct vm *vm)
{
    return MAKE_SATP(V2P(vm->upt)) | kpt_asid_user;
}
static inline uint64 vm_kernel_satp(struct vm *vm)
{
    return MAKE_SATP(V2P(vm->kpt)) | kpt_asid_kernel;
}
/* Resolve a page fault at va (lazy heap, copy-on-write): 0 if the access may
 * be retried, -EFAULT for a bad access, -ENOMEM when memory ran out. */
enum fault_access { FAULT_READ = PTE_R, FAULT_WRITE = PTE_W, FAULT_EXEC = PTE_X };
int vm_fault(struct vm *vm, uint64 va, enum fault_access access);
int vm_pgaccess(struct vm *vm, uint64 va, int npages, uint64 *mask);
/* Shared pages (shm.c): allocated in [SHM_BASE, SHM_TOP), not inherited by fork. */
long vm_shm_alloc(struct vm *vm, uint64 npages);
long vm_shm_share(struct vm *dst, struct vm *src, uint64 va, uint64 npages);
long vm_shm_free(struct vm *vm, uint64 va, uint64 npages);
long vm_map_device(struct vm *vm, uint64 pa, uint64 bytes);
void vm_stop_devices(struct vm *vm); /* reset every device mapped: stops DMA */
long vm_va2pa(struct vm *vm, uint64 va);
int vm_map(struct vm *vm, uint64 va, uint64 pa, int level, uint64 perm);
/* Runs of 4 KiB pages, a level-0 table at a time (vm_run.c). vm_map_run maps up
 * to n pages at va with perm: the frames of src[0..n) (valid entries of RAM
 * frames; one more reference each) or, src NULL, new zeroed frames. It stops
 * at the end of va's level-0 table, before a slot in use, or where memory runs
 * out, and returns the pages mapped (0: none). vm_unmap_run unmaps
 * [va, va + n pages), which lies in one level-0 table, and returns how many
 * were mapped. Neither flushes: the caller does, after an unmap. */
#define VM_RUN_MAX(va) ((uint64)PT_ENTRIES - PT_INDEX(0, va)) /* pages to the table's end */
uint64 vm_map_run(struct vm *vm, uint64 va, const pte_t *src, uint64 n, uint64 perm);
uint64 vm_unmap_run(struct vm *vm, uint64 va, uint64 n);
void vmprint(pagetable_t pt);

/* User memory access (uaccess.c): bounds check, then the design's copy
 * (kpt_copyin...). All return 0, -EFAULT, or -ENOMEM
 * when a lazy or copy-on-write page found no memory. */
int copyin(void *dst, uint64 usrc, uint64 n);
int copyout(uint64 udst, const void *src, uint64 n);
long copyinstr(char *dst, uint64 usrc, uint64 max); /* length, -EFAULT, -E2BIG */
/* Fill n bytes at va of vm, an address space that is not the running one
 * (exec builds the new one this way): fill(dst, len, arg) is called for each
 * piece within one page, with dst its kernel address. 0, -EFAULT if a page
 * is not mapped, or what fill returned when it failed (< 0). */
int vm_fill(struct vm *vm, uint64 va, uint64 n, int (*fill)(void *dst, uint64 len, void *arg),
            void *arg);
int user_range_ok(uint64 uva, uint64 n);
/* Check now that [uva, uva+n) can be written, before blocking for data. */
int user_writable(uint64 uva, uint64 n);

/* The copies behind copyin/copyout/copyinstr, range already checked: each
 * design reaches user memory its own way. */
int kpt_copyin(void *dst, uint64 usrc, uint64 n);
int kpt_copyout(uint64 udst, const void *src, uint64 n);
long kpt_copyinstr(char *dst, uint64 usrc, uint64 max); /* as uaccess_strcpy */
struct vm *vm_current(void); /* the running process's address space (proc/proc.c) */

/* Fault-safe copies (arch/riscv/uaccess.S). */
long uaccess_copy(void *dst, const void *src, uint64 n);
long uaccess_strcpy(char *dst, const char *src, uint64 max);
/* For the kernel trap handler: a page fault at user address va inside one of
 * the copies is resolved (vm_fault) or made to return -EFAULT. 0 if the fault
 * was not a user copy's. */
int uaccess_fault(struct vm *vm, uint64 *sepc, uint64 va, int write);

/* string.c */
void *memset(void *dst, int c, uint64 n);
void *memcpy(void *dst, const void *src, uint64 n);
void *memmove(void *dst, const void *src, uint64 n);
int memcmp(const void *a, const void *b, uint64 n);
uint64 strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, uint64 n);
void strlcpy(char *dst, const char *src, uint64 size);

#endif
