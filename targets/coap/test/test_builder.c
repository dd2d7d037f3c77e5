/* CoAP builder: byte-exact RFC 7252 Appendix A messages, option encoding
 * boundaries, ordering rule, no-space handling, randomized round trip. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coap/builder.h"
#include "coap/option.h"

#define S(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

static uint8_t out[4 + 3 + COAP_OPTION_VALUE_MAX + 64];
static uint8_t value[COAP_OPTION_VALUE_MAX + 1];

static void expect_bytes(const struct coap_builder *b, const uint8_t *want,
                         size_t want_len)
{
    size_t len = 0;

    assert_int_equal(coap_builder_finish(b, &len), 0);
    assert_int_equal(len, want_len);
    assert_memory_equal(b->buf, want, want_len);
}

/* RFC 7252 Appendix A figure 16, request and response. */
static void test_builder_rfc7252_fig16(void **state)
{
    static const uint8_t req[] = {0x40, 0x01, 0x7d, 0x34, 0xbb, 't', 'e', 'm',
                                  'p',  'e',  'r',  'a',  't',  'u', 'r', 'e'};
    static const uint8_t rsp[] = {0x60, 0x45, 0x7d, 0x34, 0xff, '2',
                                  '2',  '.',  '3',  ' ',  'C'};
    struct coap_builder b;

    (void)state;
    assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_CON,
                                       COAP_CODE_GET, 0x7d34, NULL, 0),
                     0);
    assert_int_equal(
        coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "temperature"), 0);
    expect_bytes(&b, req, sizeof(req));

    assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_ACK,
                                       COAP_CODE_CONTENT, 0x7d34, NULL, 0),
                     0);
    assert_int_equal(coap_builder_set_payload(&b, S("22.3 C")), 0);
    expect_bytes(&b, rsp, sizeof(rsp));
}

/* Figure 17 (token 0x20) and figure 20 (Empty ACK). */
static void test_builder_rfc7252_fig17_fig20(void **state)
{
    static const uint8_t req[] = {0x41, 0x01, 0x7d, 0x35, 0x20, 0xbb,
                                  't',  'e',  'm',  'p',  'e',  'r',
                                  'a',  't',  'u',  'r',  'e'};
    static const uint8_t rsp[] = {0x61, 0x45, 0x7d, 0x35, 0x20, 0xff,
                                  '2',  '2',  '.',  '3',  ' ',  'C'};
    static const uint8_t ack[] = {0x60, 0x00, 0x7d, 0x38};
    static const uint8_t tok[] = {0x20};
    struct coap_builder b;

    (void)state;
    assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_CON,
                                       COAP_CODE_GET, 0x7d35, tok, 1),
                     0);
    assert_int_equal(
        coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "temperature"), 0);
    expect_bytes(&b, req, sizeof(req));

    assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_ACK,
                                       COAP_CODE_CONTENT, 0x7d35, tok, 1),
                     0);
    assert_int_equal(coap_builder_set_payload(&b, S("22.3 C")), 0);
    expect_bytes(&b, rsp, sizeof(rsp));

    assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_ACK,
                                       COAP_CODE_EMPTY, 0x7d38, NULL, 0),
                     0);
    assert_int_equal(coap_builder_set_payload(&b, NULL, 0), 0);
    expect_bytes(&b, ack, sizeof(ack));
}

/* Section 3.1 delta boundaries: 12 nibble, 13 and 268 one byte, 269 and
 * 65535 two bytes. */
static void test_builder_delta_boundaries(void **state)
{
    static const struct {
        uint16_t number;
        const char *head;
        size_t head_len;
    } cases[] = {
        {12, "\xC0", 1},
        {13, "\xD0\x00", 2},
        {268, "\xD0\xFF", 2},
        {269, "\xE0\x00\x00", 3},
        {65535, "\xE0\xFE\xF2", 3},
    };
    struct coap_builder b;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_NON,
                                           COAP_CODE_GET, 1, NULL, 0),
                         0);
        assert_int_equal(coap_builder_add_option(&b, cases[i].number, NULL, 0),
                         0);
        assert_int_equal(b.len, 4 + cases[i].head_len);
        assert_memory_equal(out + 4, cases[i].head, cases[i].head_len);
    }
    /* Deltas are relative: 11 then 24 is delta 13. */
    assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_NON,
                                       COAP_CODE_GET, 1, NULL, 0),
                     0);
    assert_int_equal(coap_builder_add_option(&b, 11, NULL, 0), 0);
    assert_int_equal(coap_builder_add_option(&b, 24, NULL, 0), 0);
    assert_int_equal(b.len, 7);
    assert_memory_equal(out + 4, "\xB0\xD0\x00", 3);
}

/* Length boundaries 12, 13, 268, 269, 65804, and 65805 refused. */
static void test_builder_length_boundaries(void **state)
{
    static const struct {
        size_t len;
        const char *head;
        size_t head_len;
    } cases[] = {
        {12, "\x1C", 1},
        {13, "\x1D\x00", 2},
        {268, "\x1D\xFF", 2},
        {269, "\x1E\x00\x00", 3},
        {COAP_OPTION_VALUE_MAX, "\x1E\xFF\xFF", 3},
    };
    struct coap_builder b;
    size_t i;

    (void)state;
    memset(value, 0x3C, sizeof(value));
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_NON,
                                           COAP_CODE_PUT, 1, NULL, 0),
                         0);
        assert_int_equal(coap_builder_add_option(&b, 1, value, cases[i].len),
                         0);
        assert_int_equal(b.len, 4 + cases[i].head_len + cases[i].len);
        assert_memory_equal(out + 4, cases[i].head, cases[i].head_len);
        assert_memory_equal(out + 4 + cases[i].head_len, value, cases[i].len);
    }
    assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_NON,
                                       COAP_CODE_PUT, 1, NULL, 0),
                     0);
    assert_int_equal(
        coap_builder_add_option(&b, 1, value, COAP_OPTION_VALUE_MAX + 1),
        COAP_ERR_VALUE_LENGTH);
    assert_int_equal(b.len, 4);
}

/* Ascending adds are required; equal numbers are repeats. */
static void test_builder_ordering_rule(void **state)
{
    struct coap_builder b;
    size_t len;

    (void)state;
    assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_CON,
                                       COAP_CODE_GET, 7, NULL, 0),
                     0);
    assert_int_equal(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "a"), 0);
    assert_int_equal(coap_builder_add_string(&b, COAP_OPTION_URI_HOST, "h"),
                     COAP_ERR_OPTION_ORDER);
    assert_int_equal(b.len, 6);
    assert_int_equal(coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "b"), 0);
    assert_int_equal(coap_builder_add_uint(&b, COAP_OPTION_CONTENT_FORMAT, 0),
                     0);
    assert_int_equal(coap_builder_add_uint(&b, COAP_OPTION_OBSERVE, 0),
                     COAP_ERR_OPTION_ORDER);
    assert_int_equal(coap_builder_finish(&b, &len), 0);
    assert_int_equal(len, 9);
    assert_memory_equal(out,
                        "\x40\x01\x00\x07\xB1"
                        "a"
                        "\x01"
                        "b"
                        "\x10",
                        9);
}

/* Section 3.2: minimal uint encoding. */
static void test_builder_uint_minimal(void **state)
{
    static const struct {
        uint32_t v;
        const char *bytes;
        size_t n;
    } cases[] = {
        {0, "", 0},
        {1, "\x01", 1},
        {255, "\xFF", 1},
        {256, "\x01\x00", 2},
        {60, "\x3C", 1},
        {65535, "\xFF\xFF", 2},
        {65536, "\x01\x00\x00", 3},
        {0x01000000u, "\x01\x00\x00\x00", 4},
        {0xFFFFFFFFu, "\xFF\xFF\xFF\xFF", 4},
    };
    struct coap_builder b;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_ACK,
                                           COAP_CODE_CONTENT, 1, NULL, 0),
                         0);
        /* Size1 (60): delta 13 form, then the length nibble. */
        assert_int_equal(
            coap_builder_add_uint(&b, COAP_OPTION_SIZE1, cases[i].v), 0);
        assert_int_equal(b.len, 4 + 2 + cases[i].n);
        assert_int_equal(out[4], 0xD0 | cases[i].n);
        assert_int_equal(out[5], 60 - 13);
        assert_memory_equal(out + 6, cases[i].bytes, cases[i].n);
    }
}

/* Builds figure 17's request with Observe and a payload into cap bytes;
 * returns the first error or 0. */
static int build_sample(uint8_t *buf, size_t cap, size_t *len)
{
    static const uint8_t tok[] = {0x20, 0x21};
    struct coap_builder b;
    int rc;

    rc = coap_builder_init(&b, buf, cap, COAP_TYPE_CON, COAP_CODE_PUT, 0x7d35,
                           tok, sizeof(tok));
    if (rc == 0)
        rc = coap_builder_add_uint(&b, COAP_OPTION_OBSERVE, 62350);
    if (rc == 0)
        rc = coap_builder_add_string(&b, COAP_OPTION_URI_PATH, "temperature");
    if (rc == 0)
        rc = coap_builder_add_uint(&b, COAP_OPTION_BLOCK1, 0x0B);
    if (rc == 0)
        rc = coap_builder_set_payload(&b, (const uint8_t *)"22.3 C", 6);
    if (rc == 0)
        rc = coap_builder_finish(&b, len);
    return rc;
}

/* Every capacity below the full size fails with COAP_ERR_NO_SPACE and
 * writes nothing past the capacity. */
static void test_builder_no_space(void **state)
{
    uint8_t buf[64];
    size_t full = 0, len, cap, i;

    (void)state;
    assert_int_equal(build_sample(buf, sizeof(buf), &full), 0);
    assert_int_equal(full, 4 + 2 + 3 + 12 + 3 + 7);
    for (cap = 0; cap < full; cap++) {
        memset(buf, 0xEE, sizeof(buf));
        assert_int_equal(build_sample(buf, cap, &len), COAP_ERR_NO_SPACE);
        for (i = cap; i < sizeof(buf); i++)
            assert_int_equal(buf[i], 0xEE);
    }
    assert_int_equal(build_sample(buf, full, &len), 0);
    assert_int_equal(len, full);
}

/* Section 4.1: nothing follows the header of an Empty message. */
static void test_builder_empty_message(void **state)
{
    static const uint8_t tok[] = {1};
    struct coap_builder b;

    (void)state;
    assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_CON,
                                       COAP_CODE_EMPTY, 1, tok, 1),
                     COAP_ERR_EMPTY_MESSAGE);
    assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_RST,
                                       COAP_CODE_EMPTY, 1, NULL, 0),
                     0);
    assert_int_equal(coap_builder_add_option(&b, 1, NULL, 0),
                     COAP_ERR_EMPTY_MESSAGE);
    assert_int_equal(coap_builder_set_payload(&b, S("x")),
                     COAP_ERR_EMPTY_MESSAGE);
    assert_int_equal(b.len, 4);
}

static void test_builder_state_and_args(void **state)
{
    static const uint8_t tok[9] = {0};
    struct coap_builder b;
    size_t len;

    (void)state;
    assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_CON,
                                       COAP_CODE_GET, 1, tok, 9),
                     COAP_ERR_TOKEN_LENGTH);
    assert_int_equal(coap_builder_add_option(&b, 1, NULL, 0),
                     COAP_ERR_BUILDER_STATE);
    assert_int_equal(coap_builder_set_payload(&b, NULL, 0),
                     COAP_ERR_BUILDER_STATE);
    assert_int_equal(coap_builder_finish(&b, &len), COAP_ERR_BUILDER_STATE);
    assert_int_equal(coap_builder_init(&b, out, sizeof(out), (enum coap_type)4,
                                       COAP_CODE_GET, 1, NULL, 0),
                     COAP_ERR_INVALID_ARG);
    assert_int_equal(coap_builder_init(&b, NULL, 8, COAP_TYPE_CON,
                                       COAP_CODE_GET, 1, NULL, 0),
                     COAP_ERR_INVALID_ARG);
    assert_int_equal(
        coap_builder_init(&b, out, 3, COAP_TYPE_CON, COAP_CODE_GET, 1, NULL, 0),
        COAP_ERR_NO_SPACE);
    assert_int_equal(coap_builder_init(NULL, out, 3, COAP_TYPE_CON,
                                       COAP_CODE_GET, 1, NULL, 0),
                     COAP_ERR_INVALID_ARG);

    assert_int_equal(coap_builder_init(&b, out, sizeof(out), COAP_TYPE_CON,
                                       COAP_CODE_POST, 1, NULL, 0),
                     0);
    assert_int_equal(coap_builder_add_option(&b, 1, NULL, 3),
                     COAP_ERR_INVALID_ARG);
    assert_int_equal(coap_builder_set_payload(&b, S("p")), 0);
    assert_int_equal(coap_builder_add_option(&b, 60, NULL, 0),
                     COAP_ERR_BUILDER_STATE);
    assert_int_equal(coap_builder_set_payload(&b, S("q")),
                     COAP_ERR_BUILDER_STATE);
    assert_int_equal(coap_builder_finish(&b, &len), 0);
    assert_int_equal(len, 6);
}

static uint32_t rng_state;

static uint32_t rng_next(void)
{
    /* xorshift32 */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Random option lists built and parsed back. Seed: COAP_TEST_SEED or 1. */
static void test_builder_random_roundtrip(void **state)
{
    static uint8_t buf[16384];
    uint16_t numbers[32];
    size_t lens[32], count, i, j, len, round;
    uint8_t tok[8];
    size_t tkl, plen;
    const char *env = getenv("COAP_TEST_SEED");
    struct coap_builder b;
    struct coap_message msg;
    struct coap_option_iter it;
    struct coap_option opt;

    (void)state;
    rng_state = env != NULL ? (uint32_t)strtoul(env, NULL, 0) : 1u;
    if (rng_state == 0)
        rng_state = 1;
    printf("test_builder_random_roundtrip: seed %lu\n",
           (unsigned long)rng_state);
    for (i = 0; i < sizeof(value); i++)
        value[i] = (uint8_t)rng_next();
    for (round = 0; round < 2000; round++) {
        count = rng_next() % 32;
        numbers[0] = 0;
        for (i = 0; i < count; i++) {
            uint32_t step =
                rng_next() % 4 == 0 ? rng_next() % 2000 : rng_next() % 14;
            uint32_t prev = i == 0 ? 0 : numbers[i - 1];

            numbers[i] = (uint16_t)(prev + step > 65535 ? 65535 : prev + step);
            lens[i] = rng_next() % 8 == 0 ? rng_next() % 300 : rng_next() % 14;
        }
        tkl = rng_next() % 9;
        for (i = 0; i < tkl; i++)
            tok[i] = (uint8_t)rng_next();
        plen = rng_next() % 3 == 0 ? 0 : rng_next() % 100;
        assert_int_equal(coap_builder_init(&b, buf, sizeof(buf), COAP_TYPE_NON,
                                           COAP_CODE_POST, (uint16_t)round, tok,
                                           tkl),
                         0);
        for (i = 0; i < count; i++)
            assert_int_equal(
                coap_builder_add_option(&b, numbers[i], value + i, lens[i]), 0);
        assert_int_equal(coap_builder_set_payload(&b, value + 7, plen), 0);
        assert_int_equal(coap_builder_finish(&b, &len), 0);

        assert_int_equal(coap_parse(buf, len, &msg), 0);
        assert_int_equal(msg.message_id, (uint16_t)round);
        assert_int_equal(msg.token.len, tkl);
        assert_memory_equal(msg.token.data, tok, tkl);
        assert_int_equal(msg.option_count, count);
        assert_int_equal(msg.payload.len, plen);
        assert_memory_equal(msg.payload.data, value + 7, plen);
        coap_option_iter_init(&it, &msg);
        for (j = 0; j < count; j++) {
            assert_int_equal(coap_option_next(&it, &opt), 1);
            assert_int_equal(opt.number, numbers[j]);
            assert_int_equal(opt.value.len, lens[j]);
            assert_memory_equal(opt.value.data, value + j, lens[j]);
        }
        assert_int_equal(coap_option_next(&it, &opt), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builder_rfc7252_fig16),
        cmocka_unit_test(test_builder_rfc7252_fig17_fig20),
        cmocka_unit_test(test_builder_delta_boundaries),
        cmocka_unit_test(test_builder_length_boundaries),
        cmocka_unit_test(test_builder_ordering_rule),
        cmocka_unit_test(test_builder_uint_minimal),
        cmocka_unit_test(test_builder_no_space),
        cmocka_unit_test(test_builder_empty_message),
        cmocka_unit_test(test_builder_state_and_args),
        cmocka_unit_test(test_builder_random_roundtrip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
