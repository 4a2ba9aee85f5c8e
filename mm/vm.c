/* User address spaces. Every change to a user mapping goes through here so
 * the process's kernel table (kpt.c) keeps an exact view of user memory. */
#include "mm/mm.h"
#include "trap/abi.h"
#include "arch/riscv/riscv.h"

extern char trampoline[];

uint64 vm_user_satp(struct vm *vm)
{
    return MAKE_SATP(V2P(vm->upt));
}

uint64 vm_kernel_satp(struct vm *vm)
{
    return MAKE_SATP(V2P(vm->kpt));
}

int vm_create(struct vm *vm, uint64 kstack_pa[KSTACK_PAGES], uint64 trapframe_pa)
{
    vm->heap_base = vm->brk = vm->bytes = 0;
    vm->kpt = NULL;
    vm->upt = kalloc();
    if (!vm->upt) return -ENOMEM;
    if (pt_map(vm->upt, TRAMPOLINE, V2P(trampoline), 0, PTE_R | PTE_X | PTE_A) < 0 ||
        pt_map(vm->upt, TRAPFRAME, trapframe_pa, 0, PTE_R | PTE_W | PTE_A | PTE_D) < 0)
        goto fail;
    vm->kpt = kpt_create(kstack_pa);
    if (!vm->kpt) goto fail;
    return 0;
fail:
    vm_destroy(vm);
    return -ENOMEM;
}

/* Map one page in the user table and mirror it into the kernel table. */
static int vm_map(struct vm *vm, uint64 va, uint64 pa, int level, uint64 perm)
{
    if (pt_map(vm->upt, va, pa, level, perm) < 0) return -1;
    if (kpt_mirror(vm->kpt, va, PA2PTE(pa) | perm | PTE_V, level) < 0) {
        pt_unmap(vm->upt, va);
        return -1;
    }
    vm->bytes += PT_LEVEL_SIZE(level);
    return 0;
}

int vm_alloc(struct vm *vm, uint64 start, uint64 end, uint64 perm)
{
    for (uint64 va = PGROUNDDOWN(start); va < end; va += PGSIZE) {
        void *page = kalloc();
        if (!page || vm_map(vm, va, V2P(page), 0, perm | PTE_U) < 0) {
            if (page) kfree(page);
            vm_dealloc(vm, start, va);
            return -ENOMEM;
        }
    }
    return 0;
}

struct unmap_ctx {
    struct vm *vm;
    int free_frames;
};

static void unmap_leaf(void *arg, uint64 va, pte_t *pte, int level)
{
    struct unmap_ctx *ctx = arg;
    uint64 pa = PTE2PA(*pte);
    *pte = 0;
    ctx->vm->bytes -= PT_LEVEL_SIZE(level);
    if (ctx->vm->kpt) kpt_mirror(ctx->vm->kpt, va, 0, 0);
    if (ctx->free_frames) kfree(P2V(pa));
}

void vm_dealloc(struct vm *vm, uint64 start, uint64 end)
{
    struct unmap_ctx ctx = {vm, 1};
    pt_for_each_leaf(vm->upt, PGROUNDDOWN(start), end, unmap_leaf, &ctx);
    sfence_vma();
}

struct copy_ctx {
    struct vm *dst;
    int failed;
};

static void copy_leaf(void *arg, uint64 va, pte_t *pte, int level)
{
    struct copy_ctx *ctx = arg;
    (void)level;
    if (ctx->failed) return;
    void *page = kalloc();
    if (!page) {
        ctx->failed = 1;
        return;
    }
    memcpy(page, P2V(PTE2PA(*pte)), PGSIZE);
    if (vm_map(ctx->dst, va, V2P(page), 0, PTE_FLAGS(*pte) & ~(PTE_V | PTE_A | PTE_D)) < 0) {
        kfree(page);
        ctx->failed = 1;
    }
}

int vm_copy(struct vm *dst, struct vm *src)
{
    struct copy_ctx ctx = {dst, 0};
    pt_for_each_leaf(src->upt, 0, USER_TOP, copy_leaf, &ctx);
    dst->heap_base = src->heap_base;
    dst->brk = src->brk;
    return ctx.failed ? -ENOMEM : 0;
}

long vm_sbrk(struct vm *vm, long delta)
{
    uint64 old = vm->brk, new = old + delta;
    if (delta > 0) {
        if (new < old || new > HEAP_LIMIT) return -ENOMEM;
        if (vm_alloc(vm, PGROUNDUP(old), new, PTE_R | PTE_W) < 0) return -ENOMEM;
    } else if (delta < 0) {
        if (new > old || new < vm->heap_base) return -EINVAL;
        vm_dealloc(vm, PGROUNDUP(new), PGROUNDUP(old));
    }
    vm->brk = new;
    return old;
}

void vm_free_user(struct vm *vm)
{
    if (!vm->upt) return;
    struct unmap_ctx ctx = {vm, 1};
    /* The kernel table's view is left alone: the caller may be running on it. */
    ctx.vm = &(struct vm){.upt = vm->upt};
    pt_for_each_leaf(vm->upt, 0, USER_TOP, unmap_leaf, &ctx);
    pt_free_tables(vm->upt, 0, PT_ENTRIES / 2);
    kfree(vm->upt);
    vm->upt = NULL;
    vm->bytes = 0;
}

void vm_destroy(struct vm *vm)
{
    vm_free_user(vm);
    if (vm->kpt) kpt_destroy(vm->kpt);
    vm->kpt = NULL;
}

int vm_fault(struct vm *vm, uint64 va, int write)
{
    (void)vm, (void)va, (void)write;
    return -1; /* no lazy or copy-on-write pages yet */
}
