# Copies between kernel and user memory that may fault. The trap handler
# (uaccess_fault in mm/uaccess.c) sends a fault inside [uaccess_begin, uaccess_end) to
# uaccess_efault, which returns -EFAULT to the caller. These are leaf
# functions, so ra is still the caller's when the fixup runs.

    .section .text
    .globl uaccess_begin, uaccess_end, uaccess_efault, uaccess_enomem
    .globl uaccess_copy, uaccess_strcpy

uaccess_begin:

# long uaccess_copy(void *dst, const void *src, uint64 n): 0 or -EFAULT
uaccess_copy:
    beqz a2, 3f
    or t0, a0, a1
    or t0, t0, a2
    andi t0, t0, 7
    bnez t0, 2f
1:  ld t1, 0(a1)            # all three 8-byte aligned: copy words
    sd t1, 0(a0)
    addi a0, a0, 8
    addi a1, a1, 8
    addi a2, a2, -8
    bnez a2, 1b
    j 3f
2:  lbu t1, 0(a1)
    sb t1, 0(a0)
    addi a0, a0, 1
    addi a1, a1, 1
    addi a2, a2, -1
    bnez a2, 2b
3:  li a0, 0
    ret

# long uaccess_strcpy(char *dst, const char *src, uint64 max):
# length without the NUL, -E2BIG if no NUL in max bytes, or -EFAULT
uaccess_strcpy:
    li t0, 0
1:  beq t0, a2, 3f
    add t1, a1, t0
    lbu t2, 0(t1)
    add t1, a0, t0
    sb t2, 0(t1)
    beqz t2, 2f
    addi t0, t0, 1
    j 1b
2:  mv a0, t0
    ret
3:  li a0, -7               # -E2BIG
    ret

uaccess_end:

uaccess_efault:
    li a0, -14              # -EFAULT
    ret
uaccess_enomem:             # a lazy or copy-on-write page found no memory
    li a0, -12              # -ENOMEM
    ret
