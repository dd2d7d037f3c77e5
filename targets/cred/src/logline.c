/* Internal: the component's own log lines. */
#include <string.h>

#include "logline.h"

void cred_logline_init(struct cred_logline *l)
{
    l->len = 0;
    l->buf[0] = '\0';
}

static void put(struct cred_logline *l, char c)
{
    /* Keep one byte for the NUL. */
    if (l->len + 1 < sizeof(l->buf)) {
        l->buf[l->len++] = c;
        l->buf[l->len] = '\0';
    }
}

void cred_logline_text(struct cred_logline *l, const char *text)
{
    while (*text != '\0')
        put(l, *text++);
}

void cred_logline_u32(struct cred_logline *l, uint32_t v)
{
    char digits[10];
    size_t n = 0;

    do {
        digits[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    while (n > 0)
        put(l, digits[--n]);
}

void cred_logline_name(struct cred_logline *l, const uint8_t *name, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, shown = len;

    if (shown > CRED_LOGLINE_NAME_MAX)
        shown = CRED_LOGLINE_NAME_MAX;
    for (i = 0; i < shown; i++) {
        uint8_t c = name[i];

        if (c >= 0x20 && c <= 0x7e && c != '\\') {
            put(l, (char)c);
        } else {
            put(l, '\\');
            put(l, 'x');
            put(l, hex[c >> 4]);
            put(l, hex[c & 0x0f]);
        }
    }
    if (shown < len)
        cred_logline_text(l, "...");
}

void cred_logline_emit(struct cred_logline *l, const struct cred_log *log,
                       enum cred_log_level level)
{
    if (log != NULL && log->fn != NULL)
        log->fn(log->ctx, level, l->buf);
}
