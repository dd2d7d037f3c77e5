/*
 * Fuzz target: coap_parse on one datagram, then every reader of the
 * result (option iterator, registry rules, Block values and slicing,
 * Uri-Path join, Uri-Query lookup). Properties:
 *  - parse agrees with an independent reference walk of the options
 *    (same accept/reject, same error, same options and payload);
 *  - a failure returns one of coap_parse's declared codes and a zeroed
 *    message; every span of a success lies inside the input;
 *  - option numbers ascend; Block values decode or fail cleanly and
 *    re-encode to the same integer; slices stay inside the body;
 *  - validation names a critical option that is really unrecognized;
 *  - the joined path decodes back to the segments, never holds a dot
 *    segment, and a buffer one byte short fails without overflowing.
 * Helpers are not static so that the compiler keeps their buffers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coap/block.h"
#include "coap/message.h"
#include "coap/option.h"
#include "coap/uri.h"
#include "fwfuzz/check.h"
#include "fwfuzz/target.h"

#define REF_MAX_OPTIONS 4096

struct ref_option {
    uint32_t number;
    size_t value_at; /* offset of the value in the input */
    size_t len;
};

/* The independent reading of RFC 7252 section 3, kept deliberately
 * different in shape from the component (offsets, not pointers). */
struct ref_result {
    int rc;
    size_t count; /* options seen (up to REF_MAX_OPTIONS stored) */
    size_t options_end;
    size_t payload_at;
    struct ref_option opts[REF_MAX_OPTIONS];
};

static struct ref_result ref;

int ref_ext(const uint8_t *d, size_t size, size_t *at, unsigned int nib,
            uint32_t *out)
{
    if (nib <= 12) {
        *out = nib;
    } else if (nib == 13) {
        if (*at + 1 > size)
            return COAP_ERR_TRUNCATED;
        *out = 13u + d[*at];
        *at += 1;
    } else {
        if (*at + 2 > size)
            return COAP_ERR_TRUNCATED;
        *out = 269u + (uint32_t)d[*at] * 256u + d[*at + 1];
        *at += 2;
    }
    return 0;
}

void ref_parse(const uint8_t *d, size_t size)
{
    size_t at, tkl;
    uint32_t number = 0, delta, len;
    unsigned int dn, ln;

    /* The option array is only read up to ref.count: no need to clear. */
    ref.rc = 0;
    ref.count = 0;
    ref.options_end = 0;
    ref.payload_at = 0;
    if (size < 4) {
        ref.rc = COAP_ERR_TRUNCATED;
        return;
    }
    if ((d[0] & 0xC0) != 0x40) {
        ref.rc = COAP_ERR_VERSION;
        return;
    }
    tkl = d[0] & 0x0F;
    if (tkl >= 9) {
        ref.rc = COAP_ERR_TOKEN_LENGTH;
        return;
    }
    if (d[1] == 0 && size > 4) {
        ref.rc = COAP_ERR_EMPTY_MESSAGE;
        return;
    }
    if (d[1] == 0 && tkl != 0) {
        ref.rc = COAP_ERR_EMPTY_MESSAGE;
        return;
    }
    if (4 + tkl > size) {
        ref.rc = COAP_ERR_TRUNCATED;
        return;
    }
    at = 4 + tkl;
    while (at < size && d[at] != 0xFF) {
        dn = d[at] >> 4;
        ln = d[at] & 15;
        at++;
        if (dn == 15 || ln == 15) {
            ref.rc = COAP_ERR_OPTION_RESERVED;
            return;
        }
        if (ref_ext(d, size, &at, dn, &delta) != 0 ||
            ref_ext(d, size, &at, ln, &len) != 0) {
            ref.rc = COAP_ERR_TRUNCATED;
            return;
        }
        number += delta;
        if (number > 65535) {
            ref.rc = COAP_ERR_OPTION_NUMBER;
            return;
        }
        if (len > size - at) {
            ref.rc = COAP_ERR_TRUNCATED;
            return;
        }
        if (ref.count < REF_MAX_OPTIONS) {
            ref.opts[ref.count].number = number;
            ref.opts[ref.count].value_at = at;
            ref.opts[ref.count].len = len;
        }
        ref.count++;
        at += len;
    }
    ref.options_end = at;
    if (at == size) {
        ref.payload_at = size;
    } else if (at + 1 == size) {
        ref.rc = COAP_ERR_PAYLOAD_MARKER;
    } else {
        ref.payload_at = at + 1;
    }
}

int span_inside(const struct coap_span *s, const uint8_t *data, size_t size)
{
    uintptr_t lo = (uintptr_t)data, hi = (uintptr_t)data + size;
    uintptr_t p = (uintptr_t)s->data;

    return s->data != NULL && p >= lo && p <= hi && s->len <= hi - p;
}

int is_parse_error(int rc)
{
    switch (rc) {
    case COAP_ERR_TRUNCATED:
    case COAP_ERR_VERSION:
    case COAP_ERR_TOKEN_LENGTH:
    case COAP_ERR_OPTION_RESERVED:
    case COAP_ERR_OPTION_NUMBER:
    case COAP_ERR_PAYLOAD_MARKER:
    case COAP_ERR_EMPTY_MESSAGE:
        return 1;
    default:
        return 0;
    }
}

void check_block(const struct coap_option *opt, const uint8_t *data,
                 size_t size)
{
    struct coap_block blk;
    struct coap_block2_slice sl;
    uint8_t enc[COAP_BLOCK_VALUE_MAX];
    uint32_t want = 0, got;
    size_t i, n, body;
    uint8_t max_szx;
    int rc;

    rc = coap_block_decode(opt->value.data, opt->value.len, &blk);
    if (opt->value.len > COAP_BLOCK_VALUE_MAX) {
        FWFUZZ_CHECK(rc == COAP_ERR_VALUE_LENGTH, "block: long value taken");
        return;
    }
    for (i = 0; i < opt->value.len; i++)
        want = (want << 8) | opt->value.data[i];
    if ((want & 7) == 7) {
        FWFUZZ_CHECK(rc == COAP_ERR_BLOCK_SZX, "block: SZX 7 taken");
        return;
    }
    FWFUZZ_CHECK(rc == 0, "block: valid value refused");
    FWFUZZ_CHECK(blk.num <= COAP_BLOCK_NUM_MAX && blk.more <= 1 &&
                     blk.szx <= COAP_BLOCK_SZX_MAX,
                 "block: field out of range");
    FWFUZZ_CHECK(coap_block_to_uint(&blk, &got) == 0 && got == want,
                 "block: decode/encode is not the identity");
    FWFUZZ_CHECK(coap_block_encode(&blk, enc, &n) == 0 && n <= opt->value.len,
                 "block: encoding not minimal");
    if (opt->value.len > 0 && opt->value.data[0] != 0)
        FWFUZZ_CHECK(n == opt->value.len &&
                         memcmp(enc, opt->value.data, n) == 0,
                     "block: canonical value not reproduced");

    /* Slice a body whose size comes from the input. */
    body = size > 0 ? (size_t)data[size - 1] * 61u + size : 0;
    max_szx = (uint8_t)(size % 7);
    rc = coap_block2_slice(body, &blk, max_szx, &sl);
    if (rc != 0) {
        FWFUZZ_CHECK(rc == COAP_ERR_BLOCK_RANGE || rc == COAP_ERR_BLOCK_NUM,
                     "slice: unexpected error");
        return;
    }
    FWFUZZ_CHECK(sl.offset <= body && sl.len <= body - sl.offset,
                 "slice: outside the body");
    FWFUZZ_CHECK(sl.len <= coap_block_size(sl.block.szx),
                 "slice: longer than a block");
    FWFUZZ_CHECK(sl.block.szx <= max_szx && sl.block.szx <= blk.szx,
                 "slice: block size grew");
    FWFUZZ_CHECK(sl.offset ==
                     (size_t)sl.block.num * coap_block_size(sl.block.szx),
                 "slice: offset is not NUM * size");
    FWFUZZ_CHECK(sl.offset == (size_t)blk.num * coap_block_size(blk.szx),
                 "slice: requested offset not kept");
    FWFUZZ_CHECK(sl.block.more == (sl.offset + sl.len < body),
                 "slice: M bit wrong");
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the joined path segment by segment and compares it with the
 * Uri-Path options, in order. */
void check_path_decodes(const struct coap_message *msg, const char *path,
                        size_t len)
{
    struct coap_option_iter it;
    struct coap_span seg;
    size_t at = 0, i;
    int hi, lo, segments = 0;

    coap_option_iter_init(&it, msg);
    while (coap_uri_path_next(&it, &seg) > 0) {
        segments++;
        FWFUZZ_CHECK(at < len && path[at] == '/', "path: missing slash");
        at++;
        for (i = 0; i < seg.len; i++) {
            FWFUZZ_CHECK(at < len, "path: segment cut short");
            if (path[at] == '%') {
                FWFUZZ_CHECK(len - at >= 3, "path: short escape");
                hi = hex_value(path[at + 1]);
                lo = hex_value(path[at + 2]);
                FWFUZZ_CHECK(hi >= 0 && lo >= 0, "path: bad escape");
                FWFUZZ_CHECK(seg.data[i] == (uint8_t)((hi << 4) | lo),
                             "path: escape decodes to another byte");
                at += 3;
            } else {
                FWFUZZ_CHECK(path[at] != '/' && path[at] != '\0' &&
                                 (uint8_t)path[at] == seg.data[i],
                             "path: byte changed or separator leaked");
                at++;
            }
        }
        FWFUZZ_CHECK(
            !(seg.len == 1 && seg.data[0] == '.') &&
                !(seg.len == 2 && seg.data[0] == '.' && seg.data[1] == '.'),
            "path: dot segment accepted");
    }
    if (segments == 0)
        FWFUZZ_CHECK(len == 1 && path[0] == '/', "path: empty path not /");
    else
        FWFUZZ_CHECK(at == len, "path: trailing bytes");
}

int has_dot_segment(const struct coap_message *msg)
{
    struct coap_option_iter it;
    struct coap_span seg;

    coap_option_iter_init(&it, msg);
    while (coap_uri_path_next(&it, &seg) > 0) {
        if ((seg.len == 1 || seg.len == 2) && seg.data[0] == '.' &&
            seg.data[seg.len - 1] == '.')
            return 1;
    }
    return 0;
}

void check_uri(const struct coap_message *msg, size_t size)
{
    size_t big = 3 * size + 2, len = 0, len2 = 0;
    char *out = malloc(big);
    char *exact = NULL;
    int rc;

    if (out == NULL)
        return;
    rc = coap_uri_path_join(msg, out, big, &len);
    if (rc != 0) {
        FWFUZZ_CHECK(rc == COAP_ERR_URI_SEGMENT && has_dot_segment(msg),
                     "path: refused without a dot segment");
        FWFUZZ_CHECK(out[0] == '\0', "path: partial path left on error");
        goto out;
    }
    FWFUZZ_CHECK(len < big && strlen(out) == len, "path: length wrong");
    check_path_decodes(msg, out, len);

    /* Exactly len bytes (no room for the NUL) must fail, len + 1 fit;
     * heap buffers of that size let ASan see any write past them. */
    exact = malloc(len + 1);
    if (exact == NULL)
        goto out;
    rc = coap_uri_path_join(msg, exact, len, &len2);
    FWFUZZ_CHECK(rc == COAP_ERR_NO_SPACE, "path: fitted without its NUL");
    FWFUZZ_CHECK(len == 0 || exact[0] == '\0', "path: partial path kept");
    rc = coap_uri_path_join(msg, exact, len + 1, &len2);
    FWFUZZ_CHECK(rc == 0 && len2 == len && memcmp(exact, out, len + 1) == 0,
                 "path: result depends on buffer size");
out:
    free(exact);
    free(out);
}

void check_query(const struct coap_message *msg, const uint8_t *data,
                 size_t size)
{
    struct coap_option_iter it;
    struct coap_span arg, v;
    char key[64];
    size_t k, n = 0;
    int rc;

    coap_option_iter_init(&it, msg);
    /* Each lookup walks from the start: bound them to stay linear. */
    while (n++ < 32 && coap_uri_query_next(&it, &arg) > 0) {
        for (k = 0; k < arg.len && arg.data[k] != '=' && arg.data[k] != 0; k++)
            ;
        if (k == 0 || k >= sizeof(key) || (k < arg.len && arg.data[k] == 0))
            continue;
        memcpy(key, arg.data, k);
        key[k] = '\0';
        rc = coap_uri_query_find(msg, key, &v);
        FWFUZZ_CHECK(rc == 0, "query: present key not found");
        FWFUZZ_CHECK(span_inside(&v, data, size) &&
                         (uintptr_t)v.data >= (uintptr_t)msg->options.data &&
                         (uintptr_t)v.data + v.len <=
                             (uintptr_t)msg->options.data + msg->options.len,
                     "query: value outside the options");
    }
}

/* Options an application might add to the registry. */
static const struct coap_option_def extra_defs[] = {
    {9, 0, 255, COAP_FORMAT_OPAQUE, 0, "OSCORE"},
    {2051, 0, 4, COAP_FORMAT_UINT, 1, "Vendor"},
    {11, 1, 4, COAP_FORMAT_STRING, 0, "Uri-Path override"},
};

void check_validate(const struct coap_message *msg,
                    const struct coap_option_def *extra, size_t n_extra)
{
    struct coap_option_report rep;
    struct coap_option_iter it;
    struct coap_option opt;
    uint32_t prev = 0x10000;
    size_t ignored = 0;
    int rc, problem, found = 0;

    rc = coap_options_validate(msg, extra, n_extra, &rep);
    FWFUZZ_CHECK(rc == 0 || rc == COAP_ERR_BAD_OPTION,
                 "validate: unexpected error");
    coap_option_iter_init(&it, msg);
    while (coap_option_next(&it, &opt) > 0) {
        problem = coap_option_check(&opt, prev == opt.number, extra, n_extra);
        prev = opt.number;
        if (problem == COAP_OPTION_OK)
            continue;
        if (!coap_option_is_critical(opt.number)) {
            ignored++;
            continue;
        }
        found = 1;
        FWFUZZ_CHECK(rc == COAP_ERR_BAD_OPTION && rep.number == opt.number &&
                         rep.problem == problem,
                     "validate: wrong first bad critical option");
        break;
    }
    if (!found)
        FWFUZZ_CHECK(rc == 0 && rep.number == 0,
                     "validate: rejected without a bad critical option");
    FWFUZZ_CHECK(rep.ignored == ignored, "validate: ignored count wrong");
}

void check_usage(const struct coap_message *msg)
{
    uint8_t cls = msg->code >> 5;
    int rc = coap_message_check_usage(msg), want;

    if (cls == 1 || cls == 6 || cls == 7)
        want = COAP_ERR_RESERVED_CLASS;
    else if (msg->code == 0)
        want = msg->type == COAP_TYPE_NON ? COAP_ERR_MESSAGE_USAGE : 0;
    else if (cls == 0)
        want = (msg->type == COAP_TYPE_CON || msg->type == COAP_TYPE_NON)
                   ? 0
                   : COAP_ERR_MESSAGE_USAGE;
    else
        want = msg->type == COAP_TYPE_RST ? COAP_ERR_MESSAGE_USAGE : 0;
    FWFUZZ_CHECK(rc == want, "usage: table 1 disagrees");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct coap_message zero;
    struct coap_message msg;
    struct coap_option_iter it;
    struct coap_option opt, found;
    uint32_t prev = 0, v;
    size_t count = 0, distinct = 0, tkl;
    int rc;

    rc = coap_parse(data, size, &msg);
    ref_parse(data, size);
    FWFUZZ_CHECK(rc == ref.rc, "parse: disagrees with the reference walk");
    if (rc != 0) {
        FWFUZZ_CHECK(is_parse_error(rc), "parse: undeclared error code");
        FWFUZZ_CHECK(memcmp(&msg, &zero, sizeof(msg)) == 0,
                     "parse: message not zeroed on failure");
        return 0;
    }

    tkl = data[0] & 0x0F;
    FWFUZZ_CHECK(span_inside(&msg.token, data, size) &&
                     msg.token.data == data + 4 && msg.token.len == tkl,
                 "parse: token span wrong");
    FWFUZZ_CHECK(span_inside(&msg.options, data, size) &&
                     msg.options.data == data + 4 + tkl &&
                     msg.options.len == ref.options_end - 4 - tkl,
                 "parse: option span wrong");
    FWFUZZ_CHECK(span_inside(&msg.payload, data, size) &&
                     msg.payload.data == data + ref.payload_at &&
                     msg.payload.len == size - ref.payload_at,
                 "parse: payload span wrong");
    FWFUZZ_CHECK(msg.option_count == ref.count, "parse: option count wrong");
    FWFUZZ_CHECK((int)msg.type == ((data[0] >> 4) & 3) && msg.code == data[1] &&
                     msg.message_id == ((data[2] << 8) | data[3]),
                 "parse: header fields wrong");

    coap_option_iter_init(&it, &msg);
    while ((rc = coap_option_next(&it, &opt)) > 0) {
        FWFUZZ_CHECK(opt.number >= prev, "iter: option numbers descend");
        FWFUZZ_CHECK(span_inside(&opt.value, msg.options.data, msg.options.len),
                     "iter: value outside the option span");
        if (count < REF_MAX_OPTIONS)
            FWFUZZ_CHECK(opt.number == ref.opts[count].number &&
                             opt.value.data ==
                                 data + ref.opts[count].value_at &&
                             opt.value.len == ref.opts[count].len,
                         "iter: option differs from the reference");
        /* Lookups walk from the start: bound them to stay linear. */
        if ((count == 0 || opt.number != prev) && distinct++ < 64) {
            FWFUZZ_CHECK(coap_option_find(&msg, opt.number, &found) == 0 &&
                             found.value.data == opt.value.data,
                         "find: not the first occurrence");
        }
        rc = coap_option_uint(&opt, &v);
        FWFUZZ_CHECK(rc == (opt.value.len > 4 ? COAP_ERR_VALUE_LENGTH : 0),
                     "uint: wrong length rule");
        if (opt.number == 23 || opt.number == 27)
            check_block(&opt, data, size);
        prev = opt.number;
        count++;
    }
    FWFUZZ_CHECK(rc == 0 && it.left == 0, "iter: did not end cleanly");
    FWFUZZ_CHECK(count == msg.option_count, "iter: count differs");

    check_usage(&msg);
    check_validate(&msg, NULL, 0);
    check_validate(&msg, extra_defs,
                   sizeof(extra_defs) / sizeof(extra_defs[0]));
    check_uri(&msg, size);
    check_query(&msg, data, size);
    return 0;
}
