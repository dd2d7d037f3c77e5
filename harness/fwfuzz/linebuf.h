/* Splits a byte stream (a child's output pipe) into lines. */
#ifndef FWFUZZ_LINEBUF_H
#define FWFUZZ_LINEBUF_H

#include <stddef.h>

#define LINEBUF_MAX 4096

/* Called with each line, without its '\n' (and '\r'), NUL-terminated. */
typedef void linebuf_line_fn(const char *line, void *ctx);

struct linebuf {
    char buf[LINEBUF_MAX];
    size_t len;
};

void linebuf_init(struct linebuf *lb);
/* Feeds bytes; a line longer than LINEBUF_MAX - 1 is delivered in pieces. */
void linebuf_feed(struct linebuf *lb, const char *data, size_t n,
                  linebuf_line_fn *fn, void *ctx);
/* Delivers a last line that had no '\n'. */
void linebuf_flush(struct linebuf *lb, linebuf_line_fn *fn, void *ctx);

#endif
