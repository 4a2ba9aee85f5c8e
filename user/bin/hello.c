/* The smallest program: proves exec, the syscall path and printf work. */
#include "user.h"

int main(void)
{
    printf("hello from pid %d\n", getpid());
    return 0;
}
