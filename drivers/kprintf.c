/* kprintf and panic. Output goes straight to the UART under a lock, so lines
 * from different harts do not interleave. */
#include <stdarg.h>
#include "drivers/kprintf.h"
#include "drivers/uart.h"
#include "arch/riscv/cpu.h"
#include "arch/riscv/sbi.h"

volatile int panicked;
static struct spinlock print_lock = {0, "print", NULL};

static void kputs_unlocked(const char *s)
{
    while (*s) {
        if (*s == '\n') uart_putc('\r');
        uart_putc(*s++);
    }
}

void console_puts(const char *s, uint64 n)
{
    spin_lock(&print_lock);
    for (uint64 i = 0; i < n; i++) {
        if (s[i] == '\n') uart_putc('\r');
        uart_putc(s[i]);
    }
    spin_unlock(&print_lock);
}

static void put_num(uint64 v, int base, int neg, int width, char pad)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg) buf[n++] = '-';
    for (int i = n; i < width; i++) uart_putc(pad);
    while (n > 0) uart_putc(buf[--n]);
}

static void vkprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            if (*fmt == '\n') uart_putc('\r');
            uart_putc(*fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, is_long = 0;
        if (*fmt == '0') pad = '0';
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') is_long = 1, fmt++;
        switch (*fmt) {
        case 'd': {
            int64 v = is_long ? va_arg(ap, int64) : va_arg(ap, int);
            put_num(v < 0 ? -(uint64)v : (uint64)v, 10, v < 0, width, pad);
            break;
        }
        case 'u':
            put_num(is_long ? va_arg(ap, uint64) : va_arg(ap, uint32), 10, 0, width, pad);
            break;
        case 'x':
            put_num(is_long ? va_arg(ap, uint64) : va_arg(ap, uint32), 16, 0, width, pad);
            break;
        case 'p':
            kputs_unlocked("0x");
            put_num(va_arg(ap, uint64), 16, 0, 16, '0');
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            kputs_unlocked(s ? s : "(null)");
            break;
        }
        case 'c':
            uart_putc(va_arg(ap, int));
            break;
        case '%':
            uart_putc('%');
            break;
        default:
            uart_putc('%');
            uart_putc(*fmt);
        }
    }
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int locking = !panicked;
    if (locking) spin_lock(&print_lock);
    vkprintf(fmt, ap);
    if (locking) spin_unlock(&print_lock);
    va_end(ap);
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    intr_off();
    panicked = 1;
    kputs_unlocked("\npanic: ");
    vkprintf(fmt, ap);
    kputs_unlocked("\n");
    va_end(ap);
    for (;;) asm volatile("wfi");
}
