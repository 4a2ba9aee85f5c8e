/* bench_nop: the program that `bench fork_exec_wait` execs. It does nothing,
 * so the benchmark measures fork, exec and wait, not the program. */

int main(void)
{
    return 0;
}
