/* bench_1MB: the program that `bench exec_1MB` execs: bench_nop with 1 MiB
 * of initialised data, so that the figure shows what exec costs per byte of
 * ELF it loads. main reads one byte of it and returns 0. */

/* Not all zero (zeros would go to .bss, which takes no room in the file);
 * main reads its first byte, so the linker keeps it. */
static const char image[1 << 20] = {1};

int main(void)
{
    return *(volatile const char *)image == 1 ? 0 : 1;
}
