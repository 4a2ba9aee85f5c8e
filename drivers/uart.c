/* NS16550A UART, polled for output and interrupt-driven for input. */
#include "drivers/uart.h"
#include "arch/riscv/memlayout.h"

#define RBR          0 /* receive buffer (read) */
#define THR          0 /* transmit holding (write) */
#define IER          1 /* interrupt enable */
#define FCR          2 /* FIFO control */
#define LCR          3 /* line control */
#define LSR          5 /* line status */
#define LSR_RX_READY (1 << 0)
#define LSR_TX_EMPTY (1 << 5)

static volatile uint8 *uart = (volatile uint8 *)(VIRT_UART + KERNBASE);
uint32 uart_irq = VIRT_UART_IRQ; /* kmain sets it from the device tree */

void uart_init(uint64 base_pa)
{
    uart = P2V(base_pa);
    uart[IER] = 0;
    uart[LCR] = 0x03; /* 8 data bits, no parity, one stop bit */
    uart[FCR] = 0x07; /* enable and clear the FIFOs */
    uart[IER] = 0x01; /* interrupt when a byte arrives */
}

void uart_putc(int c)
{
    while (!(uart[LSR] & LSR_TX_EMPTY)) {
    }
    uart[THR] = (uint8)c;
}

int uart_getc(void)
{
    if (!(uart[LSR] & LSR_RX_READY)) return -1;
    return uart[RBR];
}
