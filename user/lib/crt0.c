/* Program entry. The kernel starts us with a0 = argc, a1 = argv and a valid,
 * 16-byte aligned sp, so plain C will do. */
#include "user.h"

int main(int argc, char **argv);
void _start(int argc, char **argv);

void _start(int argc, char **argv)
{
    exit(main(argc, argv)); /* exit() flushes buffered printf output */
}
