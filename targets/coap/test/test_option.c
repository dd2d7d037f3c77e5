/* CoAP option registry (RFC 7252 table 4, RFC 7641, RFC 7959 tables 1-2)
 * and the recipient's rules of RFC 7252 sections 5.4.1, 5.4.3, 5.4.5. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "coap/option.h"

#define S(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

/* Transcribed from the RFC tables: C, U, N (0 where the table has "-"),
 * R, name, format, length range. */
static const struct {
    uint16_t number;
    int c, u, n, r;
    const char *name;
    enum coap_option_format format;
    uint16_t min, max;
} table[] = {
    {1, 1, 0, 0, 1, "If-Match", COAP_FORMAT_OPAQUE, 0, 8},
    {3, 1, 1, 0, 0, "Uri-Host", COAP_FORMAT_STRING, 1, 255},
    {4, 0, 0, 0, 1, "ETag", COAP_FORMAT_OPAQUE, 1, 8},
    {5, 1, 0, 0, 0, "If-None-Match", COAP_FORMAT_EMPTY, 0, 0},
    {6, 0, 1, 0, 0, "Observe", COAP_FORMAT_UINT, 0, 3}, /* RFC 7641 */
    {7, 1, 1, 0, 0, "Uri-Port", COAP_FORMAT_UINT, 0, 2},
    {8, 0, 0, 0, 1, "Location-Path", COAP_FORMAT_STRING, 0, 255},
    {11, 1, 1, 0, 1, "Uri-Path", COAP_FORMAT_STRING, 0, 255},
    {12, 0, 0, 0, 0, "Content-Format", COAP_FORMAT_UINT, 0, 2},
    {14, 0, 1, 0, 0, "Max-Age", COAP_FORMAT_UINT, 0, 4},
    {15, 1, 1, 0, 1, "Uri-Query", COAP_FORMAT_STRING, 0, 255},
    {17, 1, 0, 0, 0, "Accept", COAP_FORMAT_UINT, 0, 2},
    {20, 0, 0, 0, 1, "Location-Query", COAP_FORMAT_STRING, 0, 255},
    {23, 1, 1, 0, 0, "Block2", COAP_FORMAT_UINT, 0, 3}, /* RFC 7959 */
    {27, 1, 1, 0, 0, "Block1", COAP_FORMAT_UINT, 0, 3}, /* RFC 7959 */
    {28, 0, 0, 1, 0, "Size2", COAP_FORMAT_UINT, 0, 4},  /* RFC 7959 */
    {35, 1, 1, 0, 0, "Proxy-Uri", COAP_FORMAT_STRING, 1, 1034},
    {39, 1, 1, 0, 0, "Proxy-Scheme", COAP_FORMAT_STRING, 1, 255},
    {60, 0, 0, 1, 0, "Size1", COAP_FORMAT_UINT, 0, 4},
};

#define TABLE_LEN (sizeof(table) / sizeof(table[0]))

static uint8_t msgbuf[2048];

/* A CON GET with the given option bytes after a 4-byte header. */
static void parse_with(const uint8_t *opts, size_t n, struct coap_message *msg)
{
    msgbuf[0] = 0x40;
    msgbuf[1] = 0x01;
    msgbuf[2] = 0x12;
    msgbuf[3] = 0x34;
    memcpy(msgbuf + 4, opts, n);
    assert_int_equal(coap_parse(msgbuf, 4 + n, msg), 0);
}

static void test_option_registry_matches_tables(void **state)
{
    const struct coap_option_def *def;
    size_t i;

    (void)state;
    for (i = 0; i < TABLE_LEN; i++) {
        def = coap_option_lookup(table[i].number);
        assert_non_null(def);
        assert_int_equal(def->number, table[i].number);
        assert_string_equal(def->name, table[i].name);
        assert_int_equal(def->format, table[i].format);
        assert_int_equal(def->min_len, table[i].min);
        assert_int_equal(def->max_len, table[i].max);
        assert_int_equal(def->repeatable, table[i].r);
    }
}

/* Every number: exactly the table's 19 entries are found, each under its
 * own number. */
static void test_option_lookup_exhaustive(void **state)
{
    const struct coap_option_def *def;
    uint32_t n;
    size_t hits = 0;

    (void)state;
    for (n = 0; n <= 65535; n++) {
        def = coap_option_lookup((uint16_t)n);
        if (def == NULL)
            continue;
        assert_int_equal(def->number, n);
        hits++;
    }
    assert_int_equal(hits, TABLE_LEN);
}

/* The C/U/N columns follow from the number bits (section 5.4.6). */
static void test_option_properties_from_number(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < TABLE_LEN; i++) {
        assert_int_equal(coap_option_is_critical(table[i].number), table[i].c);
        assert_int_equal(coap_option_is_unsafe(table[i].number), table[i].u);
        assert_int_equal(coap_option_is_no_cache_key(table[i].number),
                         table[i].n);
    }
    /* Figure 11 over a whole low byte: NoCacheKey iff 0x1c under 0x1e. */
    assert_int_equal(coap_option_is_no_cache_key(0x1c), 1);
    assert_int_equal(coap_option_is_no_cache_key(0xfc), 1);
    assert_int_equal(coap_option_is_no_cache_key(0x1d), 1); /* critical */
    assert_int_equal(coap_option_is_no_cache_key(0x1e), 0); /* unsafe */
    assert_int_equal(coap_option_is_no_cache_key(0x18), 0);
    assert_int_equal(coap_option_is_critical(65535), 1);
    assert_int_equal(coap_option_is_unsafe(65534), 1);
}

static void test_option_lookup_unknown(void **state)
{
    static const uint16_t unknown[] = {0, 2, 9, 13, 21, 29, 61, 258, 65535};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        assert_null(coap_option_lookup(unknown[i]));
}

/* Section 5.4.1: an unknown critical option stops validation and is
 * named (for a 4.02 answer); an unknown elective one is ignored. */
static void test_option_unknown_critical_vs_elective(void **state)
{
    struct coap_message msg;
    struct coap_option_report rep;

    (void)state;
    /* Uri-Path "a", then 2050 (elective, unknown), then 2051 (critical). */
    parse_with(S("\xB1"
                 "a"
                 "\xE0\x06\xEA"
                 "\x10"),
               &msg);
    assert_int_equal(coap_options_validate(&msg, NULL, 0, &rep),
                     COAP_ERR_BAD_OPTION);
    assert_int_equal(rep.number, 2051);
    assert_int_equal(rep.problem, COAP_OPTION_UNKNOWN);
    assert_int_equal(rep.ignored, 1);

    /* Only the elective one. */
    parse_with(S("\xB1"
                 "a"
                 "\xE0\x06\xEA"),
               &msg);
    assert_int_equal(coap_options_validate(&msg, NULL, 0, &rep), 0);
    assert_int_equal(rep.number, 0);
    assert_int_equal(rep.ignored, 1);
}

/* The application's own options make 2051 known. */
static void test_option_extra_definitions(void **state)
{
    static const struct coap_option_def extra[] = {
        {2051, 0, 4, COAP_FORMAT_UINT, 0, "Vendor"},
    };
    struct coap_message msg;
    struct coap_option_report rep;

    (void)state;
    parse_with(S("\xE0\x06\xF6"), &msg);
    assert_int_equal(coap_options_validate(&msg, extra, 1, &rep), 0);
    assert_int_equal(rep.ignored, 0);
    assert_int_equal(coap_options_validate(&msg, NULL, 0, &rep),
                     COAP_ERR_BAD_OPTION);
    assert_int_equal(coap_options_validate(&msg, NULL, 1, &rep),
                     COAP_ERR_INVALID_ARG);
}

/* Section 5.4.3: length outside the range = unrecognized. */
static void test_option_length_out_of_range(void **state)
{
    struct coap_message msg;
    struct coap_option_report rep;

    (void)state;
    /* Uri-Host (3, critical) empty: min is 1. */
    parse_with(S("\x30"), &msg);
    assert_int_equal(coap_options_validate(&msg, NULL, 0, &rep),
                     COAP_ERR_BAD_OPTION);
    assert_int_equal(rep.number, 3);
    assert_int_equal(rep.problem, COAP_OPTION_BAD_LENGTH);
    /* If-None-Match (5, critical) with one byte: format empty. */
    parse_with(S("\x51\x00"), &msg);
    assert_int_equal(coap_options_validate(&msg, NULL, 0, &rep),
                     COAP_ERR_BAD_OPTION);
    assert_int_equal(rep.number, 5);
    /* ETag (4, elective) of 9 bytes and Content-Format (12) of 3. */
    parse_with(S("\x49"
                 "123456789"
                 "\x83\x00\x00\x2a"),
               &msg);
    assert_int_equal(coap_options_validate(&msg, NULL, 0, &rep), 0);
    assert_int_equal(rep.ignored, 2);
    /* Block2 (23, critical) of 4 bytes. */
    parse_with(S("\xD4\x0A\x00\x00\x00\x0B"), &msg);
    assert_int_equal(coap_options_validate(&msg, NULL, 0, &rep),
                     COAP_ERR_BAD_OPTION);
    assert_int_equal(rep.number, 23);
    assert_int_equal(rep.problem, COAP_OPTION_BAD_LENGTH);
    /* At the bounds: ETag 1 and 8 bytes, Proxy-Uri 1 byte. */
    parse_with(S("\x41"
                 "x"
                 "\x08"
                 "12345678"
                 "\xD1\x12"
                 "c"),
               &msg);
    assert_int_equal(coap_options_validate(&msg, NULL, 0, &rep), 0);
    assert_int_equal(rep.ignored, 0);
}

/* Section 5.4.5: supernumerary occurrences of non-repeatable options are
 * unrecognized; repeatable ones may repeat. */
static void test_option_repeated(void **state)
{
    struct coap_message msg;
    struct coap_option_report rep;

    (void)state;
    /* Uri-Host twice: critical. */
    parse_with(S("\x31"
                 "a"
                 "\x01"
                 "b"),
               &msg);
    assert_int_equal(coap_options_validate(&msg, NULL, 0, &rep),
                     COAP_ERR_BAD_OPTION);
    assert_int_equal(rep.number, 3);
    assert_int_equal(rep.problem, COAP_OPTION_REPEATED);
    /* Content-Format three times: two ignored. */
    parse_with(S("\xC0\x00\x00"), &msg);
    assert_int_equal(coap_options_validate(&msg, NULL, 0, &rep), 0);
    assert_int_equal(rep.ignored, 2);
    /* Uri-Path, Uri-Query, ETag, If-Match repeated: all fine. */
    parse_with(S("\x10\x00\x31"
                 "e"
                 "\x01"
                 "f"
                 "\x71"
                 "a"
                 "\x01"
                 "b"
                 "\x41"
                 "q"
                 "\x01"
                 "r"),
               &msg);
    assert_int_equal(msg.option_count, 8);
    assert_int_equal(coap_options_validate(&msg, NULL, 0, &rep), 0);
    assert_int_equal(rep.ignored, 0);
}

static void test_option_check_single(void **state)
{
    struct coap_option opt;

    (void)state;
    opt.number = COAP_OPTION_OBSERVE;
    opt.value.data = (const uint8_t *)"\x01\x02\x03\x04";
    opt.value.len = 3;
    assert_int_equal(coap_option_check(&opt, 0, NULL, 0), COAP_OPTION_OK);
    assert_int_equal(coap_option_check(&opt, 1, NULL, 0), COAP_OPTION_REPEATED);
    opt.value.len = 4;
    assert_int_equal(coap_option_check(&opt, 0, NULL, 0),
                     COAP_OPTION_BAD_LENGTH);
    opt.number = 0;
    assert_int_equal(coap_option_check(&opt, 0, NULL, 0), COAP_OPTION_UNKNOWN);
    assert_int_equal(coap_option_check(NULL, 0, NULL, 0), COAP_OPTION_UNKNOWN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_option_registry_matches_tables),
        cmocka_unit_test(test_option_properties_from_number),
        cmocka_unit_test(test_option_lookup_unknown),
        cmocka_unit_test(test_option_lookup_exhaustive),
        cmocka_unit_test(test_option_unknown_critical_vs_elective),
        cmocka_unit_test(test_option_extra_definitions),
        cmocka_unit_test(test_option_length_out_of_range),
        cmocka_unit_test(test_option_repeated),
        cmocka_unit_test(test_option_check_single),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
