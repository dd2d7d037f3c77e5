/* CoAP parser: RFC 7252 Appendix A messages, option encodings, format
 * errors of sections 3 and 4, usage table 1. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "coap/message.h"

#define S(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

/* Room for the header, the longest option (3-byte head + 65804) and a
 * payload. */
static uint8_t big[4 + 3 + COAP_OPTION_VALUE_MAX + 16];

static void expect_zeroed(const struct coap_message *msg)
{
    struct coap_message zero;

    memset(&zero, 0, sizeof(zero));
    assert_memory_equal(msg, &zero, sizeof(zero));
}

static void expect_error(const uint8_t *buf, size_t len, int want)
{
    struct coap_message msg;

    memset(&msg, 0xA5, sizeof(msg));
    assert_int_equal(coap_parse(buf, len, &msg), want);
    expect_zeroed(&msg);
}

/* A CON GET header (MID 1, no token) followed by the given option bytes. */
static size_t with_options(const uint8_t *opts, size_t n)
{
    big[0] = 0x40;
    big[1] = 0x01;
    big[2] = 0x00;
    big[3] = 0x01;
    memcpy(big + 4, opts, n);
    return 4 + n;
}

/* RFC 7252 Appendix A, figure 16: CON GET /temperature, MID 0x7d34, no
 * token, 16 bytes. */
static void test_message_rfc7252_fig16_request(void **state)
{
    static const uint8_t req[] = {0x40, 0x01, 0x7d, 0x34, 0xbb, 't', 'e', 'm',
                                  'p',  'e',  'r',  'a',  't',  'u', 'r', 'e'};
    struct coap_message msg;
    struct coap_option_iter it;
    struct coap_option opt;

    (void)state;
    assert_int_equal(sizeof(req), 16);
    assert_int_equal(coap_parse(req, sizeof(req), &msg), 0);
    assert_int_equal(msg.type, COAP_TYPE_CON);
    assert_int_equal(msg.code, COAP_CODE_GET);
    assert_int_equal(msg.message_id, 0x7d34);
    assert_int_equal(msg.token.len, 0);
    assert_int_equal(msg.option_count, 1);
    assert_int_equal(msg.payload.len, 0);
    assert_ptr_equal(msg.options.data, req + 4);
    assert_int_equal(msg.options.len, 12);
    coap_option_iter_init(&it, &msg);
    assert_int_equal(coap_option_next(&it, &opt), 1);
    assert_int_equal(opt.number, 11);
    assert_int_equal(opt.value.len, 11);
    assert_memory_equal(opt.value.data, "temperature", 11);
    assert_int_equal(coap_option_next(&it, &opt), 0);
    assert_int_equal(coap_message_check_usage(&msg), 0);
}

/* Figure 16: ACK 2.05 piggybacked response, payload "22.3 C", 11 bytes. */
static void test_message_rfc7252_fig16_response(void **state)
{
    static const uint8_t rsp[] = {0x60, 0x45, 0x7d, 0x34, 0xff, '2',
                                  '2',  '.',  '3',  ' ',  'C'};
    struct coap_message msg;

    (void)state;
    assert_int_equal(sizeof(rsp), 11);
    assert_int_equal(coap_parse(rsp, sizeof(rsp), &msg), 0);
    assert_int_equal(msg.type, COAP_TYPE_ACK);
    assert_int_equal(msg.code, COAP_CODE_CONTENT);
    assert_int_equal(COAP_CODE_CLASS(msg.code), 2);
    assert_int_equal(COAP_CODE_DETAIL(msg.code), 5);
    assert_int_equal(msg.message_id, 0x7d34);
    assert_int_equal(msg.option_count, 0);
    assert_int_equal(msg.options.len, 0);
    assert_ptr_equal(msg.payload.data, rsp + 5);
    assert_int_equal(msg.payload.len, 6);
    assert_memory_equal(msg.payload.data, "22.3 C", 6);
    assert_int_equal(coap_message_check_usage(&msg), 0);
}

/* Figure 17: the same exchange with token 0x20, 17 and 12 bytes. */
static void test_message_rfc7252_fig17_token(void **state)
{
    static const uint8_t req[] = {0x41, 0x01, 0x7d, 0x35, 0x20, 0xbb,
                                  't',  'e',  'm',  'p',  'e',  'r',
                                  'a',  't',  'u',  'r',  'e'};
    static const uint8_t rsp[] = {0x61, 0x45, 0x7d, 0x35, 0x20, 0xff,
                                  '2',  '2',  '.',  '3',  ' ',  'C'};
    struct coap_message msg;

    (void)state;
    assert_int_equal(sizeof(req), 17);
    assert_int_equal(sizeof(rsp), 12);
    assert_int_equal(coap_parse(req, sizeof(req), &msg), 0);
    assert_int_equal(msg.message_id, 0x7d35);
    assert_int_equal(msg.token.len, 1);
    assert_int_equal(msg.token.data[0], 0x20);
    assert_int_equal(msg.option_count, 1);
    assert_int_equal(coap_parse(rsp, sizeof(rsp), &msg), 0);
    assert_int_equal(msg.type, COAP_TYPE_ACK);
    assert_int_equal(msg.token.len, 1);
    assert_int_equal(msg.token.data[0], 0x20);
    assert_int_equal(msg.payload.len, 6);
}

/* Figures 20 and 21: Empty ACK, separate CON response, Empty RST. */
static void test_message_rfc7252_fig20_fig21_empty(void **state)
{
    static const uint8_t ack[] = {0x60, 0x00, 0x7d, 0x38};
    static const uint8_t sep[] = {0x41, 0x45, 0xad, 0x7b, 0x53, 0xff,
                                  '2',  '2',  '.',  '3',  ' ',  'C'};
    static const uint8_t rst[] = {0x70, 0x00, 0xad, 0x7c};
    struct coap_message msg;

    (void)state;
    assert_int_equal(coap_parse(ack, sizeof(ack), &msg), 0);
    assert_int_equal(msg.type, COAP_TYPE_ACK);
    assert_int_equal(msg.code, COAP_CODE_EMPTY);
    assert_int_equal(msg.message_id, 0x7d38);
    assert_int_equal(coap_message_check_usage(&msg), 0);
    assert_int_equal(coap_parse(sep, sizeof(sep), &msg), 0);
    assert_int_equal(msg.type, COAP_TYPE_CON);
    assert_int_equal(msg.message_id, 0xad7b);
    assert_int_equal(msg.token.data[0], 0x53);
    assert_int_equal(coap_parse(rst, sizeof(rst), &msg), 0);
    assert_int_equal(msg.type, COAP_TYPE_RST);
    assert_int_equal(msg.message_id, 0xad7c);
    assert_int_equal(coap_message_check_usage(&msg), 0);
}

/* Figures 22 and 23: NON GET and a NON 4.04 without payload. */
static void test_message_rfc7252_fig22_fig23_non(void **state)
{
    static const uint8_t get[] = {0x51, 0x01, 0x7d, 0x40, 0x75, 0xbb,
                                  't',  'e',  'm',  'p',  'e',  'r',
                                  'a',  't',  'u',  'r',  'e'};
    static const uint8_t nf[] = {0x51, 0x84, 0x95, 0x2a, 0x86};
    struct coap_message msg;

    (void)state;
    assert_int_equal(coap_parse(get, sizeof(get), &msg), 0);
    assert_int_equal(msg.type, COAP_TYPE_NON);
    assert_int_equal(msg.message_id, 0x7d40);
    assert_int_equal(coap_parse(nf, sizeof(nf), &msg), 0);
    assert_int_equal(msg.code, COAP_CODE_NOT_FOUND);
    assert_int_equal(msg.message_id, 0x952a);
    assert_int_equal(msg.token.data[0], 0x86);
    assert_int_equal(msg.option_count, 0);
    assert_int_equal(msg.payload.len, 0);
    assert_ptr_equal(msg.payload.data, nf + sizeof(nf));
}

static void expect_single_option(const uint8_t *opts, size_t n, uint16_t number,
                                 size_t vlen)
{
    struct coap_message msg;
    struct coap_option opt;

    assert_int_equal(coap_parse(big, with_options(opts, n), &msg), 0);
    assert_int_equal(msg.option_count, 1);
    assert_int_equal(coap_option_find(&msg, number, &opt), 0);
    assert_int_equal(opt.number, number);
    assert_int_equal(opt.value.len, vlen);
}

/* Section 3.1: deltas 12, 13, 268, 269 and the largest number 65535 use
 * the nibble, the 13 form and the 14 form at their boundaries. */
static void test_message_option_delta_boundaries(void **state)
{
    (void)state;
    expect_single_option(S("\xC0"), 12, 0);
    expect_single_option(S("\xD0\x00"), 13, 0);
    expect_single_option(S("\xD0\xFF"), 268, 0);
    expect_single_option(S("\xE0\x00\x00"), 269, 0);
    expect_single_option(S("\xE0\xFE\xF2"), 65535, 0);
}

/* Lengths 12, 13, 268, 269 and the largest 65804 (0xFFFF + 269). */
static void test_message_option_length_boundaries(void **state)
{
    static const size_t lens[] = {12, 13, 268, 269, COAP_OPTION_VALUE_MAX};
    uint8_t head[3];
    size_t i, n, hl;
    struct coap_message msg;
    struct coap_option opt;

    (void)state;
    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        n = lens[i];
        if (n < 13) {
            head[0] = (uint8_t)(0x10 | n);
            hl = 1;
        } else if (n < 269) {
            head[0] = 0x1D;
            head[1] = (uint8_t)(n - 13);
            hl = 2;
        } else {
            head[0] = 0x1E;
            head[1] = (uint8_t)((n - 269) >> 8);
            head[2] = (uint8_t)(n - 269);
            hl = 3;
        }
        with_options(head, hl);
        memset(big + 4 + hl, 0x5A, n);
        assert_int_equal(coap_parse(big, 4 + hl + n, &msg), 0);
        assert_int_equal(coap_option_find(&msg, 1, &opt), 0);
        assert_int_equal(opt.value.len, n);
        assert_ptr_equal(opt.value.data, big + 4 + hl);
        /* One byte short of the value. */
        expect_error(big, 4 + hl + n - 1, COAP_ERR_TRUNCATED);
    }
}

/* Option numbers are 16-bit: 65535 + 1 and a first delta of 65804
 * overflow; a repeat of 65535 (delta 0) does not. */
static void test_message_option_number_overflow(void **state)
{
    (void)state;
    expect_error(big, with_options(S("\xE0\xFE\xF3")), COAP_ERR_OPTION_NUMBER);
    expect_error(big, with_options(S("\xE0\xFF\xFF")), COAP_ERR_OPTION_NUMBER);
    expect_error(big, with_options(S("\xE0\xFE\xF2\x10")),
                 COAP_ERR_OPTION_NUMBER);
    expect_single_option(S("\xE0\xFE\xF2"), 65535, 0);
    {
        struct coap_message msg;

        assert_int_equal(
            coap_parse(big, with_options(S("\xE0\xFE\xF2\x00")), &msg), 0);
        assert_int_equal(msg.option_count, 2);
    }
}

/* Section 3: versions 0, 2 and 3 are not 1. */
static void test_message_version(void **state)
{
    (void)state;
    expect_error(S("\x00\x01\x00\x01"), COAP_ERR_VERSION);
    expect_error(S("\x80\x01\x00\x01"), COAP_ERR_VERSION);
    expect_error(S("\xC0\x01\x00\x01"), COAP_ERR_VERSION);
}

/* Section 3: TKL 9..15 is a format error, even with enough bytes. */
static void test_message_token_length_reserved(void **state)
{
    uint8_t buf[4 + 15];
    unsigned int tkl;
    struct coap_message msg;

    (void)state;
    memset(buf, 0x11, sizeof(buf));
    buf[1] = COAP_CODE_GET;
    for (tkl = 0; tkl <= 15; tkl++) {
        buf[0] = (uint8_t)(0x40 | tkl);
        if (tkl <= COAP_TOKEN_MAX) {
            assert_int_equal(coap_parse(buf, 4 + tkl, &msg), 0);
            assert_int_equal(msg.token.len, tkl);
        } else {
            expect_error(buf, 4 + tkl, COAP_ERR_TOKEN_LENGTH);
            expect_error(buf, sizeof(buf), COAP_ERR_TOKEN_LENGTH);
        }
    }
}

static void test_message_truncated(void **state)
{
    (void)state;
    expect_error(NULL, 0, COAP_ERR_TRUNCATED);
    expect_error(S("\x40"), COAP_ERR_TRUNCATED);
    expect_error(S("\x40\x01\x00"), COAP_ERR_TRUNCATED);
    /* TKL 2 with one token byte. */
    expect_error(S("\x42\x01\x00\x01\xAA"), COAP_ERR_TRUNCATED);
    /* Extension bytes missing. */
    expect_error(big, with_options(S("\xD0")), COAP_ERR_TRUNCATED);
    expect_error(big, with_options(S("\xE0\x00")), COAP_ERR_TRUNCATED);
    expect_error(big, with_options(S("\x0D")), COAP_ERR_TRUNCATED);
    expect_error(big, with_options(S("\x0E\x01")), COAP_ERR_TRUNCATED);
    /* Value of 3 bytes with 2 present. */
    expect_error(big,
                 with_options(S("\xB3"
                                "ab")),
                 COAP_ERR_TRUNCATED);
}

/* Section 3.1: nibble 15 is reserved in delta (unless the byte is the
 * marker) and in length. */
static void test_message_option_nibble_15(void **state)
{
    (void)state;
    expect_error(big, with_options(S("\xF0")), COAP_ERR_OPTION_RESERVED);
    expect_error(big, with_options(S("\xFE\x00\x00")),
                 COAP_ERR_OPTION_RESERVED);
    expect_error(big, with_options(S("\x0F")), COAP_ERR_OPTION_RESERVED);
    expect_error(big,
                 with_options(S("\xBF"
                                "abc")),
                 COAP_ERR_OPTION_RESERVED);
    expect_error(big, with_options(S("\xB1x\x1F")), COAP_ERR_OPTION_RESERVED);
}

/* Section 3: a marker followed by a zero-length payload is a format
 * error; a marker with one byte is fine; 0xFF inside a value is data. */
static void test_message_payload_marker(void **state)
{
    struct coap_message msg;

    (void)state;
    expect_error(big, with_options(S("\xFF")), COAP_ERR_PAYLOAD_MARKER);
    expect_error(big, with_options(S("\xB1x\xFF")), COAP_ERR_PAYLOAD_MARKER);
    assert_int_equal(coap_parse(big, with_options(S("\xFF\x00")), &msg), 0);
    assert_int_equal(msg.payload.len, 1);
    assert_int_equal(msg.option_count, 0);
    /* Option 1 whose one-byte value is 0xFF, then no payload. */
    assert_int_equal(coap_parse(big, with_options(S("\x11\xFF")), &msg), 0);
    assert_int_equal(msg.option_count, 1);
    assert_int_equal(msg.payload.len, 0);
    assert_int_equal(msg.options.len, 2);
}

/* Section 4.1: an Empty message is exactly the 4-byte header. */
static void test_message_empty_rules(void **state)
{
    (void)state;
    expect_error(S("\x41\x00\x00\x01\xAA"), COAP_ERR_EMPTY_MESSAGE);
    expect_error(S("\x41\x00\x00\x01"), COAP_ERR_EMPTY_MESSAGE);
    expect_error(S("\x60\x00\x00\x01\xB1x"), COAP_ERR_EMPTY_MESSAGE);
    expect_error(S("\x60\x00\x00\x01\xFF\x01"), COAP_ERR_EMPTY_MESSAGE);
    expect_error(S("\x70\x00\x00\x01\xFF"), COAP_ERR_EMPTY_MESSAGE);
}

static void test_message_null_args(void **state)
{
    struct coap_message msg;

    (void)state;
    assert_int_equal(coap_parse(S("\x40\x01\x00\x01"), NULL),
                     COAP_ERR_INVALID_ARG);
    assert_int_equal(coap_parse(NULL, 4, &msg), COAP_ERR_INVALID_ARG);
    expect_zeroed(&msg);
}

/* Table 1 of section 4.3, and reserved classes 1, 6, 7. */
static void test_message_check_usage(void **state)
{
    static const struct {
        enum coap_type type;
        uint8_t code;
        int want;
    } cases[] = {
        {COAP_TYPE_CON, COAP_CODE_GET, 0},
        {COAP_TYPE_CON, COAP_CODE_CONTENT, 0},
        {COAP_TYPE_CON, COAP_CODE_EMPTY, 0}, /* CoAP ping */
        {COAP_TYPE_NON, COAP_CODE_POST, 0},
        {COAP_TYPE_NON, COAP_CODE_NOT_FOUND, 0},
        {COAP_TYPE_NON, COAP_CODE_EMPTY, COAP_ERR_MESSAGE_USAGE},
        {COAP_TYPE_ACK, COAP_CODE_CONTENT, 0},
        {COAP_TYPE_ACK, COAP_CODE_EMPTY, 0},
        {COAP_TYPE_ACK, COAP_CODE_GET, COAP_ERR_MESSAGE_USAGE},
        {COAP_TYPE_RST, COAP_CODE_EMPTY, 0},
        {COAP_TYPE_RST, COAP_CODE_CONTENT, COAP_ERR_MESSAGE_USAGE},
        {COAP_TYPE_RST, COAP_CODE_GET, COAP_ERR_MESSAGE_USAGE},
        {COAP_TYPE_CON, COAP_CODE(1, 0), COAP_ERR_RESERVED_CLASS},
        {COAP_TYPE_ACK, COAP_CODE(6, 1), COAP_ERR_RESERVED_CLASS},
        {COAP_TYPE_NON, COAP_CODE(7, 31), COAP_ERR_RESERVED_CLASS},
    };
    struct coap_message msg;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memset(&msg, 0, sizeof(msg));
        msg.type = cases[i].type;
        msg.code = cases[i].code;
        assert_int_equal(coap_message_check_usage(&msg), cases[i].want);
    }
    assert_int_equal(coap_message_check_usage(NULL), COAP_ERR_INVALID_ARG);
}

/* Section 3.2: uint values, with leading zeros, at most 4 bytes. */
static void test_message_option_uint(void **state)
{
    struct coap_option opt;
    uint32_t v = 7;

    (void)state;
    opt.number = 14;
    opt.value.data = (const uint8_t *)"\x00\x00\x01\x02\x03";
    opt.value.len = 0;
    assert_int_equal(coap_option_uint(&opt, &v), 0);
    assert_int_equal(v, 0);
    opt.value.len = 4;
    assert_int_equal(coap_option_uint(&opt, &v), 0);
    assert_int_equal(v, 0x102);
    opt.value.data = (const uint8_t *)"\xFF\xFF\xFF\xFF";
    assert_int_equal(coap_option_uint(&opt, &v), 0);
    assert_int_equal(v, 0xFFFFFFFFu);
    opt.value.len = 5;
    assert_int_equal(coap_option_uint(&opt, &v), COAP_ERR_VALUE_LENGTH);
}

/* The raw iterator stops at a marker; after a format error it is done. */
static void test_message_iterator_raw(void **state)
{
    struct coap_option_iter it;
    struct coap_option opt;

    (void)state;
    coap_option_iter_init_raw(&it, S("\x11\x01\x21\x02\xFF\x05"));
    assert_int_equal(coap_option_next(&it, &opt), 1);
    assert_int_equal(opt.number, 1);
    assert_int_equal(coap_option_next(&it, &opt), 1);
    assert_int_equal(opt.number, 3);
    assert_int_equal(opt.value.data[0], 0x02);
    assert_int_equal(coap_option_next(&it, &opt), 0);
    assert_int_equal(it.pos[0], 0xFF);
    assert_int_equal(it.left, 2);

    coap_option_iter_init_raw(&it, S("\x11\x01\xF0\x11\x01"));
    assert_int_equal(coap_option_next(&it, &opt), 1);
    assert_int_equal(coap_option_next(&it, &opt), COAP_ERR_OPTION_RESERVED);
    assert_int_equal(coap_option_next(&it, &opt), 0);

    coap_option_iter_init_raw(&it, NULL, 5);
    assert_int_equal(coap_option_next(&it, &opt), 0);
    assert_int_equal(coap_option_next(NULL, &opt), COAP_ERR_INVALID_ARG);
}

/* Options 4 (twice), 11 (twice), 60: finding by number. */
static void test_message_find_and_next_number(void **state)
{
    struct coap_message msg;
    struct coap_option_iter it;
    struct coap_option opt;

    (void)state;
    assert_int_equal(coap_parse(big,
                                with_options(S("\x41\x02\x02\x03\x04"
                                               "\x71"
                                               "a"
                                               "\x01"
                                               "b"
                                               "\xD1\x24\x05")),
                                &msg),
                     0);
    assert_int_equal(msg.option_count, 5);
    coap_option_iter_init(&it, &msg);
    assert_int_equal(coap_option_next_number(&it, 11, &opt), 1);
    assert_int_equal(opt.value.data[0], 'a');
    assert_int_equal(coap_option_next_number(&it, 11, &opt), 1);
    assert_int_equal(opt.value.data[0], 'b');
    assert_int_equal(coap_option_next_number(&it, 11, &opt), 0);
    assert_int_equal(coap_option_find(&msg, 60, &opt), 0);
    assert_int_equal(opt.value.data[0], 0x05);
    assert_int_equal(coap_option_find(&msg, 4, &opt), 0);
    assert_int_equal(opt.value.data[0], 0x02);
    assert_int_equal(coap_option_find(&msg, 12, &opt), COAP_ERR_NOT_FOUND);
    assert_int_equal(coap_option_find(&msg, 61, &opt), COAP_ERR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_rfc7252_fig16_request),
        cmocka_unit_test(test_message_rfc7252_fig16_response),
        cmocka_unit_test(test_message_rfc7252_fig17_token),
        cmocka_unit_test(test_message_rfc7252_fig20_fig21_empty),
        cmocka_unit_test(test_message_rfc7252_fig22_fig23_non),
        cmocka_unit_test(test_message_option_delta_boundaries),
        cmocka_unit_test(test_message_option_length_boundaries),
        cmocka_unit_test(test_message_option_number_overflow),
        cmocka_unit_test(test_message_version),
        cmocka_unit_test(test_message_token_length_reserved),
        cmocka_unit_test(test_message_truncated),
        cmocka_unit_test(test_message_option_nibble_15),
        cmocka_unit_test(test_message_payload_marker),
        cmocka_unit_test(test_message_empty_rules),
        cmocka_unit_test(test_message_null_args),
        cmocka_unit_test(test_message_check_usage),
        cmocka_unit_test(test_message_option_uint),
        cmocka_unit_test(test_message_iterator_raw),
        cmocka_unit_test(test_message_find_and_next_number),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
