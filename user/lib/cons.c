/* The console's input mode. sh switches to raw mode while it reads a command
 * line (to see arrow keys for its history) and back to cooked mode before it
 * runs anything, so programs always read edited lines. */
#include "user.h"
#include "syscall.h"
#include "sysret.h"

int cons_mode(int mode)
{
    printf_flush(); /* a prompt shows before the mode changes what typing does */
    return sysret(sys_cons_mode(mode));
}
