/* Polled driver for the board's UART at 0x40011000 (STM32F4 USART layout). */
#ifndef FWFUZZ_UART_H
#define FWFUZZ_UART_H

#include <stddef.h>
#include <stdint.h>

/*
 * Registers (docs/emulation.md, "UART registers"); offsets from UART_BASE.
 * Only these bits are used: the emulator models exactly them.
 */
/* clang-format off */
#define UART_BASE     0x40011000u
#define UART_SR       0x00u       /* status, read-only */
#define UART_DR       0x04u       /* data: read pops RX, write pushes TX */
#define UART_BRR      0x08u       /* baud rate divisor, written once */
#define UART_CR1      0x0Cu       /* control */
#define UART_SR_RXNE  (1u << 5)   /* a received byte waits in DR */
#define UART_SR_TC    (1u << 6)   /* transmission complete */
#define UART_SR_TXE   (1u << 7)   /* DR can take the next byte */
#define UART_CR1_RE   (1u << 2)   /* receiver enable */
#define UART_CR1_TE   (1u << 3)   /* transmitter enable */
#define UART_CR1_UE   (1u << 13)  /* UART enable */
#define UART_BRR_115200_16MHZ 0x008Bu /* 16 MHz / 115200 */
/* clang-format on */

/* Enables receiver and transmitter, 115200 8N1. */
void uart_init(void);

/* Waits for TXE, then sends one byte. */
void uart_putc(uint8_t c);

/* Waits for RXNE, then returns the received byte. */
uint8_t uart_getc(void);

/* Returns 1 when a received byte is waiting, else 0. */
int uart_rx_ready(void);

/* Sends len bytes (buf may be NULL when len is 0). */
void uart_write(const uint8_t *buf, size_t len);

/* Receives exactly len bytes into buf, waiting for each. */
void uart_read(uint8_t *buf, size_t len);

#endif
