/* Polled UART driver: no interrupts, no buffering beyond the data register. */
#include "uart.h"

static inline volatile uint32_t *uart_reg(uint32_t off)
{
    return (volatile uint32_t *)(UART_BASE + off);
}

void uart_init(void)
{
    *uart_reg(UART_BRR) = UART_BRR_115200_16MHZ;
    *uart_reg(UART_CR1) = UART_CR1_UE | UART_CR1_TE | UART_CR1_RE;
}

void uart_putc(uint8_t c)
{
    while ((*uart_reg(UART_SR) & UART_SR_TXE) == 0)
        ;
    *uart_reg(UART_DR) = c;
}

uint8_t uart_getc(void)
{
    while (!uart_rx_ready())
        ;
    return (uint8_t)*uart_reg(UART_DR);
}

int uart_rx_ready(void)
{
    return (*uart_reg(UART_SR) & UART_SR_RXNE) != 0;
}

void uart_write(const uint8_t *buf, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        uart_putc(buf[i]);
}

void uart_read(uint8_t *buf, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        buf[i] = uart_getc();
}
