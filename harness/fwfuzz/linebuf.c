/* Splits a byte stream into lines. */
#define _POSIX_C_SOURCE 200809L
#include "linebuf.h"

void linebuf_init(struct linebuf *lb)
{
    lb->len = 0;
}

static void emit(struct linebuf *lb, linebuf_line_fn *fn, void *ctx)
{
    if (lb->len > 0 && lb->buf[lb->len - 1] == '\r')
        lb->len--;
    lb->buf[lb->len] = '\0';
    fn(lb->buf, ctx);
    lb->len = 0;
}

void linebuf_feed(struct linebuf *lb, const char *data, size_t n,
                  linebuf_line_fn *fn, void *ctx)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (data[i] == '\n') {
            emit(lb, fn, ctx);
            continue;
        }
        if (data[i] == '\0')
            continue; /* would end the C string early */
        lb->buf[lb->len++] = data[i];
        if (lb->len == LINEBUF_MAX - 1)
            emit(lb, fn, ctx);
    }
}

void linebuf_flush(struct linebuf *lb, linebuf_line_fn *fn, void *ctx)
{
    if (lb->len > 0)
        emit(lb, fn, ctx);
}
