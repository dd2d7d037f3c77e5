/* Small helpers shared by the fwfuzz modules. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exitcode.h"

void (*fw_msg_hook)(void);

static void out_of_memory(void)
{
    fputs("fwfuzz: out of memory\n", stderr);
    exit(FW_EXIT_IO);
}

void *fw_xmalloc(size_t n)
{
    void *p = malloc(n > 0 ? n : 1);

    if (p == NULL)
        out_of_memory();
    return p;
}

void *fw_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n > 0 ? n : 1);

    if (q == NULL)
        out_of_memory();
    return q;
}

char *fw_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = fw_xmalloc(n);

    memcpy(d, s, n);
    return d;
}

char *fw_xasprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *s;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        out_of_memory(); /* only an encoding error; treat as fatal */
    s = fw_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

int fw_parse_ulong(const char *s, unsigned long min, unsigned long max,
                   unsigned long *out)
{
    char *end;
    unsigned long v;

    if (s == NULL || !isdigit((unsigned char)s[0]))
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

double fw_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *fw_basename(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash != NULL ? slash + 1 : path;
}

void fw_msg(const char *fmt, ...)
{
    va_list ap;

    if (fw_msg_hook != NULL)
        fw_msg_hook();
    fputs("fwfuzz: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

void fw_strip_ansi(char *dst, size_t dstlen, const char *src)
{
    size_t n = 0;

    if (dstlen == 0)
        return;
    while (*src != '\0' && n + 1 < dstlen) {
        if (*src == '\033') {
            /* CSI: ESC [ params final-byte; other escapes: ESC + 1 char */
            src++;
            if (*src == '[') {
                src++;
                while (*src != '\0' && !(*src >= '@' && *src <= '~'))
                    src++;
            }
            if (*src != '\0')
                src++;
            continue;
        }
        if ((unsigned char)*src < 0x20 && *src != '\t') {
            src++; /* shift-in/out and other control bytes */
            continue;
        }
        dst[n++] = *src++;
    }
    while (n > 0 && isspace((unsigned char)dst[n - 1]))
        n--;
    dst[n] = '\0';
}

void fw_utc_stamp(char *buf, size_t n, int iso)
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(buf, n, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y%m%dT%H%M%SZ", &tm);
}

void fw_set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}
