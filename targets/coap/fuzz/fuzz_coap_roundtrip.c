/*
 * Fuzz target: coap_parse -> rebuild with coap_builder -> coap_parse.
 * Properties, for every input the parser accepts:
 *  - copying the parsed fields and option values (as opaque bytes) into
 *    the builder reproduces the input byte for byte, in a buffer of
 *    exactly the input's size. CoAP's option header has one encoding per
 *    (delta, length) -- the 13 form starts at 13, the 14 form at 269 -- so
 *    nothing may differ; and the second parse equals the first field by
 *    field and option by option;
 *  - the same rebuild one byte short fails with COAP_ERR_NO_SPACE and
 *    writes nothing past its capacity;
 *  - re-encoding the registry's uint options (up to 4 bytes) with
 *    coap_builder_add_uint gives the input exactly when none had a leading
 *    zero byte (the only non-canonical encoding the format allows), and
 *    otherwise a message shorter by those zero bytes whose parse has the
 *    same numeric values.
 * Helpers are not static so that the compiler keeps their buffers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coap/builder.h"
#include "coap/message.h"
#include "coap/option.h"
#include "fwfuzz/check.h"
#include "fwfuzz/target.h"

/* 1 if the option is a registry uint the rebuild re-encodes. */
int is_uint_option(const struct coap_option *opt)
{
    const struct coap_option_def *def = coap_option_lookup(opt->number);

    return def != NULL && def->format == COAP_FORMAT_UINT &&
           opt->value.len <= 4;
}

int rebuild(const struct coap_message *m, uint8_t *buf, size_t cap, int as_uint,
            size_t *len)
{
    struct coap_builder b;
    struct coap_option_iter it;
    struct coap_option opt;
    uint32_t v;
    int rc;

    rc = coap_builder_init(&b, buf, cap, m->type, m->code, m->message_id,
                           m->token.data, m->token.len);
    if (rc != 0)
        return rc;
    coap_option_iter_init(&it, m);
    while ((rc = coap_option_next(&it, &opt)) > 0) {
        if (as_uint && is_uint_option(&opt)) {
            FWFUZZ_CHECK(coap_option_uint(&opt, &v) == 0,
                         "uint: short value refused");
            rc = coap_builder_add_uint(&b, opt.number, v);
        } else {
            rc = coap_builder_add_option(&b, opt.number, opt.value.data,
                                         opt.value.len);
        }
        if (rc != 0)
            return rc;
    }
    FWFUZZ_CHECK(rc == 0, "iter: failed on a parsed message");
    rc = coap_builder_set_payload(&b, m->payload.data, m->payload.len);
    if (rc != 0)
        return rc;
    return coap_builder_finish(&b, len);
}

void expect_same(const struct coap_message *a, const struct coap_message *b,
                 int as_uint)
{
    struct coap_option_iter ia, ib;
    struct coap_option oa, ob;
    uint32_t va, vb;
    int ra, rb;

    FWFUZZ_CHECK(a->type == b->type && a->code == b->code &&
                     a->message_id == b->message_id,
                 "roundtrip: header differs");
    FWFUZZ_CHECK(a->token.len == b->token.len &&
                     memcmp(a->token.data, b->token.data, a->token.len) == 0,
                 "roundtrip: token differs");
    FWFUZZ_CHECK(a->option_count == b->option_count,
                 "roundtrip: option count differs");
    FWFUZZ_CHECK(
        a->payload.len == b->payload.len &&
            (a->payload.len == 0 ||
             memcmp(a->payload.data, b->payload.data, a->payload.len) == 0),
        "roundtrip: payload differs");
    coap_option_iter_init(&ia, a);
    coap_option_iter_init(&ib, b);
    for (;;) {
        ra = coap_option_next(&ia, &oa);
        rb = coap_option_next(&ib, &ob);
        FWFUZZ_CHECK(ra == rb, "roundtrip: option lists differ in length");
        if (ra <= 0)
            break;
        FWFUZZ_CHECK(oa.number == ob.number, "roundtrip: option number");
        if (as_uint && is_uint_option(&oa)) {
            FWFUZZ_CHECK(coap_option_uint(&oa, &va) == 0 &&
                             coap_option_uint(&ob, &vb) == 0 && va == vb,
                         "roundtrip: uint value changed");
        } else {
            FWFUZZ_CHECK(
                oa.value.len == ob.value.len &&
                    (oa.value.len == 0 ||
                     memcmp(oa.value.data, ob.value.data, oa.value.len) == 0),
                "roundtrip: option value differs");
        }
    }
    FWFUZZ_CHECK(ra == 0, "roundtrip: iteration failed");
}

/* Leading zero bytes of the re-encoded uint options. */
size_t uint_leading_zeros(const struct coap_message *m)
{
    struct coap_option_iter it;
    struct coap_option opt;
    size_t zeros = 0, i;

    coap_option_iter_init(&it, m);
    while (coap_option_next(&it, &opt) > 0) {
        if (!is_uint_option(&opt))
            continue;
        for (i = 0; i < opt.value.len && opt.value.data[i] == 0; i++)
            zeros++;
    }
    return zeros;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct coap_message first, second;
    uint8_t *out = NULL;
    size_t len = 0, zeros;
    int rc;

    if (coap_parse(data, size, &first) != 0)
        return 0;
    /* Accepted messages have at least the 4-byte header. */
    out = malloc(size);
    if (out == NULL)
        return 0;

    rc = rebuild(&first, out, size, 0, &len);
    FWFUZZ_CHECK(rc == 0, "rebuild: builder refused a parsed message");
    FWFUZZ_CHECK(len == size && memcmp(out, data, size) == 0,
                 "rebuild: bytes differ from the input");
    rc = coap_parse(out, len, &second);
    FWFUZZ_CHECK(rc == 0, "rebuild: output does not parse");
    expect_same(&first, &second, 0);

    /* One byte short, ending at the heap block's end. */
    rc = rebuild(&first, out + 1, size - 1, 0, &len);
    FWFUZZ_CHECK(rc == COAP_ERR_NO_SPACE, "rebuild: fitted in fewer bytes");

    zeros = uint_leading_zeros(&first);
    rc = rebuild(&first, out, size, 1, &len);
    FWFUZZ_CHECK(rc == 0, "rebuild: uint re-encoding refused");
    FWFUZZ_CHECK(len == size - zeros, "rebuild: uint re-encoding length");
    if (zeros == 0)
        FWFUZZ_CHECK(memcmp(out, data, size) == 0,
                     "rebuild: canonical input not reproduced");
    rc = coap_parse(out, len, &second);
    FWFUZZ_CHECK(rc == 0, "rebuild: uint re-encoding does not parse");
    expect_same(&first, &second, 1);

    free(out);
    return 0;
}
