# Kernel entry from OpenSBI. Harts arrive in S-mode with the MMU off, at the
# physical load address: a0 = hartid, a1 = device tree (boot hart) or our
# cpus[] index (harts started with SBI HSM). We turn on a boot page table that
# maps RAM at its physical address and at KERNBASE, jump to the linked
# high address, and call kmain(hartid, dtb, index) on this hart's boot stack.

    .section .text.entry, "ax"
    .globl _entry, _secondary_entry

_entry:
    la t0, boot_claimed     # only one hart may ever boot the kernel: a second
    li t1, 1                # one here would clear .bss under the first
    amoswap.w t1, t1, (t0)
    bnez t1, 7f
    mv s0, a0               # hartid
    mv s1, a1               # device tree
    li s2, 0                # the boot hart is cpus[0]
    j 1f
_secondary_entry:
    mv s0, a0
    li s1, 0
    mv s2, a1               # cpus[] index chosen by the boot hart
1:
    la t0, boot_pagetable   # PC-relative, so this is its physical address
    srli t0, t0, 12
    li t1, 8
    slli t1, t1, 60         # satp mode Sv39
    or t0, t0, t1
    sfence.vma zero, zero
    csrw satp, t0
    sfence.vma zero, zero
    li t1, 0xFFFFFFC000000000   # KERNBASE
    la t2, 2f
    add t2, t2, t1
    jr t2
2:                          # now running at the linked (high) address
    bnez s2, 4f
    la t0, _bss_start       # the boot hart clears .bss, before anyone uses it
    la t1, _bss_end
3:  bgeu t0, t1, 4f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 3b
4:
    la sp, boot_stacks
    addi t0, s2, 1
    slli t0, t0, 14         # 16 KiB per hart
    add sp, sp, t0
    mv a0, s0
    mv a1, s1
    mv a2, s2
    call kmain
5:  wfi
    j 5b
    # A second hart at _entry. Seen rarely with OpenSBI 1.1 on 4 harts: a hart
    # being started with HSM arrived at the firmware's first entry point (here,
    # with the firmware's argument) instead of at _secondary_entry. Send it on
    # with the index the boot hart chose for it (hart_index), or park it.
7:  li t1, 8                    # NCPU (cpu.h): the size of hart_index
    bgeu a0, t1, 6f
    la t0, hart_index
    add t0, t0, a0
    lbu a1, 0(t0)
    bnez a1, _secondary_entry
6:  wfi
    j 6b

    .section .data
boot_claimed:
    .word 0
    .globl hart_index
hart_index:                 # hartid -> cpus[] index, for harts 0..7
    .zero 8                 # NCPU (cpu.h)
    .balign 4096
boot_pagetable:
    .quad 0
    .quad 0
    .quad (0x80000 << 10) | 0xcf    # [2]   VA 0x80000000 -> PA 0x80000000, 1 GiB, RWX A D V
    .zero 8 * 253
    .quad (0x0 << 10) | 0xc7        # [256] KERNBASE -> devices (first GiB), RW A D V
    .quad 0
    .quad (0x80000 << 10) | 0xcf    # [258..261] KERNBASE + 0x80000000: 4 GiB of RAM,
    .quad (0xc0000 << 10) | 0xcf    # so the device tree is reachable wherever
    .quad (0x100000 << 10) | 0xcf   # the firmware put it
    .quad (0x140000 << 10) | 0xcf
    .zero 8 * 250

    .section .bss
    .balign 16
    .globl boot_stacks
boot_stacks:
    .zero 16384 * 8         # NCPU stacks of 16 KiB
