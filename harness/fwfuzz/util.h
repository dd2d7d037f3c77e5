/* Small helpers shared by the fwfuzz modules: allocation, strings, numbers,
 * clock and messages. */
#ifndef FWFUZZ_UTIL_H
#define FWFUZZ_UTIL_H

#include <stddef.h>

/* Allocation never returns NULL: out of memory prints a message and exits
 * with FW_EXIT_IO. */
void *fw_xmalloc(size_t n);
void *fw_xrealloc(void *p, size_t n);
char *fw_xstrdup(const char *s);
char *fw_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses a whole decimal number in [min, max]. 0 on success, -1 otherwise
 * (empty, sign, trailing characters, out of range). */
int fw_parse_ulong(const char *s, unsigned long min, unsigned long max,
                   unsigned long *out);

/* Seconds on the monotonic clock. */
double fw_now(void);

/* The current UTC time: "2026-12-04T03:10:00Z" (iso), else
 * "20261204T031000Z" (a file name). */
void fw_utc_stamp(char *buf, size_t n, int iso);

/* The part of path after the last '/'. */
const char *fw_basename(const char *path);

/* A one-line reason into err (size errlen), printf-style. */
void fw_set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "fwfuzz: <message>\n" on stderr. A hook (the progress line) may clear the
 * terminal line first. */
void fw_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern void (*fw_msg_hook)(void);

/* Copies src into dst (size dstlen), dropping ANSI escape sequences and
 * trailing white space; always NUL-terminates. */
void fw_strip_ansi(char *dst, size_t dstlen, const char *src);

#endif
