/* exec: replace the calling process's memory with a program from an ELF64
 * image. The image is read either from the caller's own memory (the user
 * library loads the file first) or from the boot image, for the first
 * process. A new address space is built beside the old one and swapped in
 * only when everything has succeeded, so a failed exec returns an error to
 * a caller that is still intact. */
#include "proc/proc.h"
#include "proc/trace.h"

#define MAXARG 32

struct elf_header {
    uint8 ident[16];
    uint16 type, machine;
    uint32 version;
    uint64 entry, phoff, shoff;
    uint32 flags;
    uint16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
    uint32 type, flags;
    uint64 offset, vaddr, paddr, filesz, memsz, align;
};

#define ELF_MAGIC  0x464C457FU /* "\x7FELF" */
#define ELFCLASS64 2
#define ET_EXEC    2
#define EM_RISCV   243
#define PT_LOAD    1
#define PF_X       1
#define PF_W       2
#define PF_R       4

/* Where the image bytes are: the caller's memory (user: its address space),
 * or kernel memory (user NULL). */
struct image {
    uint64 base, len;
    struct vm *user;
};

static int image_read(const struct image *img, uint64 off, void *dst, uint64 n)
{
    if (off > img->len || n > img->len - off) return -ENOEXEC;
    if (img->user) return copyin(dst, img->base + off, n);
    memcpy(dst, (const void *)(img->base + off), n);
    return 0;
}

/* vm_fill source: kernel memory. */
static int fill_from_kernel(void *dst, uint64 n, void *arg)
{
    const char **src = arg;
    memcpy(dst, *src, n);
    *src += n;
    return 0;
}

static int vm_write(struct vm *vm, uint64 va, const void *ksrc, uint64 n)
{
    return vm_fill(vm, va, n, fill_from_kernel, &ksrc);
}

/* Pages va.. of the new program are the caller's own frames, not copies,
 * where the image holds them whole at a page boundary and no one else maps
 * a frame (count 1: not the fs server that filled it, not a fork sharer; no
 * one can add a mapping while its owner is here). Both address spaces map
 * them until the commit drops the old one: a failed exec leaves the caller
 * as it was. Up to n pages, a run in one level-0 table of each (vm_map_run);
 * the number taken, 0 if none. */
static uint64 take_frames(struct vm *vm, const struct image *img, uint64 off, uint64 va, uint64 n,
                          uint64 perm)
{
    uint64 src = img->base + off, k = 0;
    pte_t *pte = img->user && src % PGSIZE == 0 ? pt_walk(img->user->upt, src, 0, 0) : NULL;
    if (pte && n > VM_RUN_MAX(src)) n = VM_RUN_MAX(src);
    while (pte && k < n && (pte[k] & (PTE_V | PTE_U | PTE_DEV)) == (PTE_V | PTE_U) &&
           kref_count(PTE2PA(pte[k])) == 1)
        k++;
    return k ? vm_map_run(vm, va, pte, k, perm | PTE_U) : 0;
}

static int load_segments(struct vm *vm, const struct image *img, uint64 *entry)
{
    struct elf_header eh;
    if (image_read(img, 0, &eh, sizeof(eh)) < 0) return -ENOEXEC;
    if (*(uint32 *)eh.ident != ELF_MAGIC || eh.ident[4] != ELFCLASS64 || eh.type != ET_EXEC ||
        eh.machine != EM_RISCV || eh.phentsize != sizeof(struct elf_phdr))
        return -ENOEXEC;
    uint64 end = UTEXT_BASE;
    for (int i = 0; i < eh.phnum; i++) {
        struct elf_phdr ph;
        int r = image_read(img, eh.phoff + i * sizeof(ph), &ph, sizeof(ph));
        if (r < 0) return r;
        if (ph.type != PT_LOAD || ph.memsz == 0) continue;
        /* Page-aligned, inside the program area, below the heap limit. */
        if (ph.filesz > ph.memsz || ph.vaddr % PGSIZE || ph.vaddr < UTEXT_BASE ||
            ph.memsz > HEAP_LIMIT || ph.vaddr > HEAP_LIMIT - ph.memsz)
            return -ENOEXEC;
        /* W without R is a reserved PTE encoding, so writable implies readable */
        uint64 perm = (ph.flags & (PF_R | PF_W) ? PTE_R : 0) | (ph.flags & PF_W ? PTE_W : 0) |
                      (ph.flags & PF_X ? PTE_X : 0);
        if (ph.offset > img->len || ph.filesz > img->len - ph.offset) return -ENOEXEC;
        /* Runs of the caller's frames where they can be taken, else page by
         * page a new frame, not zeroed where the file's bytes go straight over
         * it whole. */
        uint64 filled = ph.vaddr + ph.filesz;
        for (uint64 va = ph.vaddr, took; va < ph.vaddr + ph.memsz; va += took * PGSIZE) {
            uint64 off = ph.offset + (va - ph.vaddr);
            uint64 whole = va + PGSIZE <= filled ? (filled - va) / PGSIZE : 0;
            if ((took = whole ? take_frames(vm, img, off, va, whole, perm) : 0)) continue;
            took = 1;
            if (vm_alloc_filled(vm, va, va + PGSIZE, filled, perm) < 0) return -ENOMEM;
            uint64 n = va >= filled ? 0 : filled - va < PGSIZE ? filled - va : PGSIZE;
            void *dst = P2V(PTE2PA(*pt_lookup(vm->upt, va, NULL)));
            if (n && (r = image_read(img, off, dst, n)) < 0) return r;
        }
        if (ph.vaddr + ph.memsz > end) end = ph.vaddr + ph.memsz;
    }
    if (eh.entry < UTEXT_BASE || eh.entry >= end) return -ENOEXEC;
    vm->heap_base = vm->brk = PGROUNDUP(end);
    *entry = eh.entry;
    return 0;
}

/* Build the initial stack: the argument strings, then argv[], 16-byte aligned. */
static int push_args(struct vm *vm, char *args[], int argc, uint64 *sp_out, uint64 *argv_out)
{
    uint64 uargv[MAXARG + 1];
    uint64 sp = USTACK_TOP;
    for (int i = 0; i < argc; i++) {
        uint64 len = strlen(args[i]) + 1;
        sp -= len;
        if (vm_write(vm, sp, args[i], len) < 0) return -ENOMEM;
        uargv[i] = sp;
    }
    uargv[argc] = 0;
    sp = (sp - (argc + 1) * sizeof(uint64)) & ~15UL;
    if (vm_write(vm, sp, uargv, (argc + 1) * sizeof(uint64)) < 0) return -ENOMEM;
    *sp_out = sp;
    *argv_out = sp;
    return 0;
}

static int exec_load(struct proc *p, const struct image *img, char *args[], int argc)
{
    struct vm nvm, old;
    uint64 entry, sp, uargv;
    int r = vm_create(&nvm, &p->frames);
    if (r < 0) return r;
    if ((r = load_segments(&nvm, img, &entry)) < 0 ||
        (r = vm_alloc(&nvm, USTACK_TOP - USTACK_SIZE, USTACK_TOP, PTE_R | PTE_W)) < 0 ||
        (r = push_args(&nvm, args, argc, &sp, &uargv)) < 0) {
        vm_destroy(&nvm);
        return r;
    }
    /* Commit: the new kernel table maps the same kernel stack we are on. */
    intr_push();
    old = p->vm;
    p->vm = nvm;
    p->kernel_satp = p->tf->kernel_satp = vm_kernel_satp(&nvm); /* the next trap's table */
    p->user_satp = vm_user_satp(&nvm);
    if (p == mycpu()->proc) {
        /* LAB kpt BEGIN */
        csr_write(satp, p->kernel_satp);
        KSTAT_INC(satp_write);
        sfence_vma();
        /* LAB END */
    }
    intr_pop();
    vm_destroy(&old);

    memset(p->tf->regs, 0, sizeof(p->tf->regs));
    p->tf->epc = entry;
    p->tf->regs[REG_SP] = sp;
    p->tf->regs[REG_A0] = argc; /* exec's return value too */
    p->tf->regs[REG_A1] = uargv;
    proc_set_name(p, argc > 0 ? args[0] : "?");
    uint64 name[2]; /* the trace carries the new name in two words */
    memcpy(name, p->name, sizeof name);
    TRACE(TR_EXEC, p->pid, name[0], name[1], 0, 0);
    return argc; /* becomes a0: main's argc */
}

/* Copy a user argv[] and its strings into argbuf (one page). Returns argc. */
static int copy_args(uint64 uargv, char *argbuf, char *args[MAXARG])
{
    uint64 used = 0;
    for (int argc = 0;; argc++) {
        uint64 uarg;
        int r = copyin(&uarg, uargv + argc * sizeof(uint64), sizeof(uarg));
        if (r < 0) return r;
        if (uarg == 0) return argc;
        if (argc == MAXARG || used == PGSIZE) return -E2BIG;
        long n = copyinstr(argbuf + used, uarg, PGSIZE - used);
        if (n < 0) return n;
        args[argc] = argbuf + used;
        used += n + 1;
    }
}

int exec_image(struct proc *p, uint64 uimage, uint64 len, uint64 uargv)
{
    if (!user_range_ok(uimage, len)) return -EFAULT;
    char *argbuf = kalloc(); /* all argument strings, packed */
    if (!argbuf) return -ENOMEM;
    char *args[MAXARG];
    int r = copy_args(uargv, argbuf, args);
    if (r >= 0) {
        struct image img = {uimage, len, &p->vm};
        r = exec_load(p, &img, args, r);
    }
    kfree(argbuf);
    return r;
}

int exec_boot_module(struct proc *p, const char *name, char *args[], int argc)
{
    const struct bootmod *m = bootmod_find(name);
    if (!m) return -ENOENT;
    struct image img = {(uint64)m->data, m->size, NULL};
    return exec_load(p, &img, args, argc);
}

/* spawn(name, argv): a new child running a boot-image program, with the
 * device and DMA rights that only boot-image programs may have. Only a
 * privileged process (init) may do this. */
int exec_spawn(uint64 uname, uint64 uargv)
{
    struct proc *p = myproc();
    if (!p->ipc.privileged) return -EPERM;
    char name[BOOTMOD_NAME_MAX];
    long n = copyinstr(name, uname, sizeof(name));
    if (n < 0) return n == -E2BIG ? -ENOENT : n;
    char *argbuf = kalloc();
    if (!argbuf) return -ENOMEM;
    char *args[MAXARG];
    struct proc *c = NULL;
    int r = copy_args(uargv, argbuf, args);
    if (r >= 0 && !(c = proc_alloc())) r = -EAGAIN;
    if (r >= 0) r = exec_boot_module(c, name, args, r);
    kfree(argbuf);
    if (r < 0) {
        if (c) proc_free(c);
        return r;
    }
    c->ipc.privileged = 1;
    return proc_start_child(p, c);
}
