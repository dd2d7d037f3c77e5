/*
 * A sensor's service console on the UART: one command per line, "\r" or
 * "\n" ends it. An example image for whole-image fuzzing, with one
 * planted bug (the "name" command); not product code.
 */
#include <stddef.h>
#include <stdint.h>

#include "uart.h"

/* clang-format off */
#define CONSOLE_LINE_MAX 80u  /* longest line kept; the rest is dropped */
#define CONSOLE_NAME_MAX 16u  /* device name, NUL included */
#define CONSOLE_LEDS     8u   /* LEDs 0-7 */
#define CONSOLE_ARGS_MAX 8u   /* numbers "sum" adds */
/* clang-format on */

static char console_name[CONSOLE_NAME_MAX] = "sensor";
static uint8_t console_leds;

static void console_puts(const char *s)
{
    while (*s != '\0')
        uart_putc((uint8_t)*s++);
}

static void console_put_uint(uint32_t v)
{
    char digits[10];
    size_t n = 0;

    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        uart_putc((uint8_t)digits[--n]);
}

static int console_is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Parses a decimal number at *s and moves *s past it; -1 when there is
 * none or it does not fit 32 bits. */
static int console_parse_uint(const char **s, uint32_t *out)
{
    const char *p = *s;
    uint32_t v = 0;

    while (console_is_space(*p))
        p++;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        uint32_t d = (uint32_t)(*p - '0');

        if (v > (UINT32_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *s = p;
    *out = v;
    return 0;
}

/* "led N on|off" */
static void console_led(const char *arg)
{
    uint32_t n;

    if (console_parse_uint(&arg, &n) != 0 || n >= CONSOLE_LEDS) {
        console_puts("led: give 0-7 and on or off\r\n");
        return;
    }
    while (console_is_space(*arg))
        arg++;
    if (arg[0] == 'o' && arg[1] == 'n' && arg[2] == '\0')
        console_leds |= (uint8_t)(1u << n);
    else if (arg[0] == 'o' && arg[1] == 'f' && arg[2] == 'f' && arg[3] == '\0')
        console_leds &= (uint8_t) ~(1u << n);
    else
        console_puts("led: on or off\r\n");
}

/* "sum A B ...": at most CONSOLE_ARGS_MAX numbers */
static void console_sum(const char *arg)
{
    uint32_t v[CONSOLE_ARGS_MAX], total = 0;
    size_t n = 0, i;

    while (n < CONSOLE_ARGS_MAX && console_parse_uint(&arg, &v[n]) == 0)
        n++;
    for (i = 0; i < n; i++)
        total += v[i];
    console_put_uint(total);
    console_puts("\r\n");
}

/*
 * "name NEW": renames the device. THE PLANTED BUG: the argument is copied
 * into name[] without checking its length against CONSOLE_NAME_MAX, so a
 * name of 16 characters or more overflows the stack buffer (a line holds
 * up to 80). The fix is to refuse an argument of CONSOLE_NAME_MAX bytes
 * or more before the copy. Not inlined: in main, which never returns, the
 * canary would never be checked.
 */
__attribute__((noinline)) static void console_rename(const char *arg)
{
    char name[CONSOLE_NAME_MAX];
    size_t i;

    for (i = 0; arg[i] != '\0'; i++)
        name[i] = arg[i];
    name[i] = '\0';
    for (i = 0; name[i] != '\0'; i++)
        if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] > 0x7e) {
            console_puts("name: printable characters only\r\n");
            return;
        }
    for (i = 0; i + 1 < CONSOLE_NAME_MAX && name[i] != '\0'; i++)
        console_name[i] = name[i];
    console_name[i] = '\0';
    console_puts("name: ");
    console_puts(name);
    console_puts("\r\n");
}

static void console_status(void)
{
    console_puts(console_name);
    console_puts(": leds 0x");
    uart_putc((uint8_t) "0123456789abcdef"[console_leds >> 4]);
    uart_putc((uint8_t) "0123456789abcdef"[console_leds & 0xf]);
    console_puts("\r\n");
}

/* 1 when line starts with the word cmd; *arg is what follows it. */
static int console_is(const char *line, const char *cmd, const char **arg)
{
    size_t i;

    for (i = 0; cmd[i] != '\0'; i++)
        if (line[i] != cmd[i])
            return 0;
    if (line[i] != '\0' && !console_is_space(line[i]))
        return 0;
    while (console_is_space(line[i]))
        i++;
    *arg = line + i;
    return 1;
}

static void console_run(const char *line)
{
    const char *arg;

    if (line[0] == '\0')
        return;
    if (console_is(line, "help", &arg))
        console_puts("help status led sum name\r\n");
    else if (console_is(line, "status", &arg))
        console_status();
    else if (console_is(line, "led", &arg))
        console_led(arg);
    else if (console_is(line, "sum", &arg))
        console_sum(arg);
    else if (console_is(line, "name", &arg))
        console_rename(arg);
    else
        console_puts("unknown command\r\n");
}

int main(void)
{
    static char line[CONSOLE_LINE_MAX + 1];
    size_t len = 0;

    uart_init();
    console_puts("console ready\r\n> ");
    for (;;) {
        char c = (char)uart_getc();

        if (c == '\r' || c == '\n') {
            line[len] = '\0';
            console_run(line);
            len = 0;
            console_puts("> ");
        } else if (len < CONSOLE_LINE_MAX) {
            line[len++] = c;
        }
    }
}
