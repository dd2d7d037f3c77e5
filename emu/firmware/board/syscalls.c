/* newlib system calls on the board: console on the UART, heap, exit. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "board.h"
#include "uart.h"

int _write(int fd, const void *buf, size_t len);
int _read(int fd, void *buf, size_t len);
void *_sbrk(ptrdiff_t incr);
void _exit(int status);
int _close(int fd);
off_t _lseek(int fd, off_t off, int whence);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _kill(int pid, int sig);
int _getpid(void);
void __stack_chk_fail(void);

/*
 * stdout and stderr go to the UART, so code written for a host (a fuzz
 * target's fprintf(stderr, ...)) works unchanged.
 */
int _write(int fd, const void *buf, size_t len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    uart_write(buf, len);
    return (int)len;
}

/* stdin: waits for the first byte, then takes what has already arrived. */
int _read(int fd, void *buf, size_t len)
{
    uint8_t *out = buf;
    size_t n = 0;

    if (fd != 0) {
        errno = EBADF;
        return -1;
    }
    if (len == 0)
        return 0;
    out[n++] = uart_getc();
    while (n < len && uart_rx_ready())
        out[n++] = uart_getc();
    return (int)n;
}

/* The heap is what fwfuzz-m4.ld leaves between .bss and the stack limit. */
void *_sbrk(ptrdiff_t incr)
{
    static uint8_t *brk;
    uint8_t *prev;

    if (brk == NULL)
        brk = __heap_start;
    if (incr > __heap_end - brk || incr < __heap_start - brk) {
        errno = ENOMEM;
        return (void *)-1;
    }
    prev = brk;
    brk += incr;
    return prev;
}

/* Nothing to return to: stop where a debugger or the emulator sees it. */
void _exit(int status)
{
    (void)status;
    for (;;)
        BOARD_BKPT(BOARD_BKPT_EXIT);
}

int _close(int fd)
{
    (void)fd;
    errno = EBADF;
    return -1;
}

off_t _lseek(int fd, off_t off, int whence)
{
    (void)fd;
    (void)off;
    (void)whence;
    errno = ESPIPE;
    return -1;
}

int _fstat(int fd, struct stat *st)
{
    if (fd < 0 || fd > 2) {
        errno = EBADF;
        return -1;
    }
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd)
{
    return fd >= 0 && fd <= 2;
}

/* abort() raises SIGABRT through _kill; refusing it makes abort call _exit. */
int _kill(int pid, int sig)
{
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}

int _getpid(void)
{
    return 1;
}

/*
 * -fstack-protector-strong. The board has no random source, so the canary is
 * fixed: a terminator canary (bytes 0D FF 0A 00 in memory: CR, 0xFF, LF,
 * NUL) that a string copy cannot reproduce and continue past. It lives in
 * flash, where an overflow cannot change it.
 */
const uintptr_t __stack_chk_guard = 0x000AFF0Du;

void __stack_chk_fail(void)
{
    for (;;)
        BOARD_BKPT(BOARD_BKPT_STACK_CHK);
}
