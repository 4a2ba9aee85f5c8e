/* The console terminal: input is edited a line at a time (echo, backspace,
 * Ctrl-U erases the line, Ctrl-D ends input) and handed to readers a line at
 * a time; output goes to the UART. In raw mode (cons_mode, for sh's history
 * keys) bytes go to readers as they arrive, unechoed and unedited. */
#include "drivers/console.h"
#include "drivers/kprintf.h"
#include "drivers/uart.h"
#include "proc/proc.h" /* readers sleep until a line arrives (waitq, sleep/wakeup) */

#define INPUT_SIZE 256
#define CTRL(c)    ((c) - '@')

static struct spinlock cons_lock = {0, "console", NULL};
static struct waitq readers;
static char input[INPUT_SIZE];
/* ring indices: [rd, committed) can be read, [committed, edit) is being typed */
static uint64 rd, committed, edit;
static int raw; /* CONS_RAW: every byte is committed as it arrives */

void console_init(void)
{
    waitq_init(&readers);
}

static void echo(const char *s)
{
    console_puts(s, strlen(s));
}

static void console_input(int c)
{
    if (raw) {
        if (edit - rd >= INPUT_SIZE) return; /* full: drop until someone reads */
        input[edit++ % INPUT_SIZE] = (char)c;
        committed = edit;
        wake_all(&readers);
        return;
    }
    switch (c) {
    case CTRL('U'):
        while (edit != committed && input[(edit - 1) % INPUT_SIZE] != '\n') {
            edit--;
            echo("\b \b");
        }
        break;
    case '\b':
    case 0x7f:
        if (edit != committed) {
            edit--;
            echo("\b \b");
        }
        break;
    default:
        if (c == '\r') c = '\n';
        if (edit - rd >= INPUT_SIZE) break; /* full: drop until someone reads */
        input[edit++ % INPUT_SIZE] = (char)c;
        if (c != CTRL('D')) echo((char[]){(char)c, 0});
        if (c == '\n' || c == CTRL('D') || edit - rd == INPUT_SIZE) {
            committed = edit;
            wake_all(&readers);
        }
    }
}

void console_intr(void)
{
    int c;
    spin_lock(&cons_lock);
    while ((c = uart_getc()) >= 0) console_input(c);
    spin_unlock(&cons_lock);
}

long console_read_user(uint64 uva, long n)
{
    if (n < 0) return -EFAULT;
    int bad = user_writable(uva, n < INPUT_SIZE ? n : INPUT_SIZE);
    if (bad) return bad;
    struct proc *p = myproc();
    char line[INPUT_SIZE];
    long got = 0;
    spin_lock(&cons_lock);
    while (rd == committed) {
        if (p->killed) {
            spin_unlock(&cons_lock);
            return -EINTR;
        }
        sleep_on(&readers, &cons_lock);
    }
    /* Take at most one line; Ctrl-D at the start of a read means end of input.
     * Raw: whatever has arrived, bytes as they are. */
    uint64 pos = rd;
    while (raw && pos != committed && got < n && got < INPUT_SIZE)
        line[got++] = input[pos++ % INPUT_SIZE];
    while (pos != committed && got < n && got < INPUT_SIZE) {
        char c = input[pos % INPUT_SIZE];
        if (c == CTRL('D')) {
            if (got == 0) pos++;
            break;
        }
        line[got++] = c;
        pos++;
        if (c == '\n') break;
    }
    /* Consume the input only once the copy has succeeded: nothing is lost. */
    long r = copyout(uva, line, got);
    if (r == 0) rd = pos;
    spin_unlock(&cons_lock);
    return r < 0 ? r : got;
}

long console_set_mode(long mode)
{
    if (mode != CONS_COOKED && mode != CONS_RAW) return -EINVAL;
    spin_lock(&cons_lock);
    long old = raw ? CONS_RAW : CONS_COOKED;
    if (raw && mode == CONS_COOKED) {
        /* Bytes typed ahead in raw mode and not read yet (the next command's
         * input, typed while sh was starting it) go through the line editor
         * now, as if they had arrived in cooked mode. */
        char ahead[INPUT_SIZE];
        uint64 n = edit - rd;
        for (uint64 i = 0; i < n; i++) ahead[i] = input[(rd + i) % INPUT_SIZE];
        edit = committed = rd;
        raw = 0;
        for (uint64 i = 0; i < n; i++) console_input(ahead[i]);
    } else if (mode == CONS_RAW) {
        raw = 1;
        committed = edit; /* a half-typed line (already echoed) goes to readers as is */
        if (committed != rd) wake_all(&readers);
    }
    spin_unlock(&cons_lock);
    return old;
}

long console_write_user(uint64 uva, long n)
{
    char buf[128];
    if (n < 0 || !user_range_ok(uva, n)) return -EFAULT;
    for (long done = 0; done < n;) {
        long chunk = n - done < (long)sizeof(buf) ? n - done : (long)sizeof(buf);
        if (copyin(buf, uva + done, chunk) < 0) return done ? done : -EFAULT;
        console_puts(buf, chunk);
        done += chunk;
    }
    return n;
}
