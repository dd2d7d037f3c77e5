/* Uri-Path and Uri-Query options (RFC 7252 sections 5.10.1 and 6.5). */
#include <string.h>

#include "coap/option.h"
#include "coap/uri.h"

int coap_uri_path_next(struct coap_option_iter *it, struct coap_span *seg)
{
    struct coap_option opt;
    int rc;

    if (seg == NULL)
        return COAP_ERR_INVALID_ARG;
    rc = coap_option_next_number(it, COAP_OPTION_URI_PATH, &opt);
    if (rc > 0)
        *seg = opt.value;
    return rc;
}

int coap_uri_query_next(struct coap_option_iter *it, struct coap_span *arg)
{
    struct coap_option opt;
    int rc;

    if (arg == NULL)
        return COAP_ERR_INVALID_ARG;
    rc = coap_option_next_number(it, COAP_OPTION_URI_QUERY, &opt);
    if (rc > 0)
        *arg = opt.value;
    return rc;
}

/* RFC 3986 unreserved and sub-delims, plus ":" and "@" (section 6.5 step
 * 6): the bytes a path segment keeps as they are. */
static int coap_uri_path_char_ok(uint8_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9'))
        return 1;
    switch (c) {
    case '-':
    case '.':
    case '_':
    case '~': /* unreserved */
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')': /* sub-delims */
    case '*':
    case '+':
    case ',':
    case ';':
    case '=': /* sub-delims */
    case ':':
    case '@':
        return 1;
    default:
        return 0;
    }
}

static int coap_uri_dot_segment(const struct coap_span *seg)
{
    if (seg->len == 1)
        return seg->data[0] == '.';
    if (seg->len == 2)
        return seg->data[0] == '.' && seg->data[1] == '.';
    return 0;
}

int coap_uri_path_join(const struct coap_message *msg, char *out, size_t size,
                       size_t *len)
{
    static const char hex[] = "0123456789ABCDEF";
    struct coap_option_iter it;
    struct coap_span seg;
    size_t n = 0, i;
    uint8_t c;
    int rc;

    if (out == NULL && size > 0)
        return COAP_ERR_INVALID_ARG;
    if (size > 0)
        out[0] = '\0';
    if (msg == NULL)
        return COAP_ERR_INVALID_ARG;
    coap_option_iter_init(&it, msg);
    while ((rc = coap_uri_path_next(&it, &seg)) > 0) {
        if (coap_uri_dot_segment(&seg)) {
            rc = COAP_ERR_URI_SEGMENT;
            goto fail;
        }
        /* Each write below first checks that it leaves room for the NUL:
         * n < size holds throughout. */
        if (size - n < 2) {
            rc = COAP_ERR_NO_SPACE;
            goto fail;
        }
        out[n++] = '/';
        for (i = 0; i < seg.len; i++) {
            c = seg.data[i];
            if (coap_uri_path_char_ok(c)) {
                if (size - n < 2) {
                    rc = COAP_ERR_NO_SPACE;
                    goto fail;
                }
                out[n++] = (char)c;
            } else {
                if (size - n < 4) {
                    rc = COAP_ERR_NO_SPACE;
                    goto fail;
                }
                out[n++] = '%';
                out[n++] = hex[c >> 4];
                out[n++] = hex[c & 0x0F];
            }
        }
    }
    if (rc < 0)
        goto fail;
    if (n == 0) {
        if (size < 2) {
            rc = COAP_ERR_NO_SPACE;
            goto fail;
        }
        out[n++] = '/';
    }
    out[n] = '\0';
    if (len != NULL)
        *len = n;
    return 0;
fail:
    if (size > 0)
        out[0] = '\0';
    return rc;
}

int coap_uri_query_find(const struct coap_message *msg, const char *key,
                        struct coap_span *value)
{
    struct coap_option_iter it;
    struct coap_span arg;
    size_t klen;
    int rc;

    if (msg == NULL || key == NULL || key[0] == '\0')
        return COAP_ERR_INVALID_ARG;
    klen = strlen(key);
    coap_option_iter_init(&it, msg);
    while ((rc = coap_uri_query_next(&it, &arg)) > 0) {
        if (arg.len < klen || memcmp(arg.data, key, klen) != 0)
            continue;
        if (arg.len == klen) {
            if (value != NULL) {
                value->data = arg.data + klen;
                value->len = 0;
            }
            return 0;
        }
        if (arg.data[klen] == '=') {
            if (value != NULL) {
                value->data = arg.data + klen + 1;
                value->len = arg.len - klen - 1;
            }
            return 0;
        }
    }
    return rc < 0 ? rc : COAP_ERR_NOT_FOUND;
}
