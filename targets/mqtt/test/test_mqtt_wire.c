/* Unit tests: variable byte integers, UTF-8 strings, topic names/filters. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mqtt/mqtt.h"

struct varint_case {
    uint32_t value;
    uint8_t bytes[4];
    int len;
};

/* 3.1.1 section 2.2.3 table 2.4 and 5.0 section 1.5.5 table 1-1, plus the
 * worked examples 64 and 321 of 3.1.1 section 2.2.3. */
static const struct varint_case varint_cases[] = {
    {0, {0x00}, 1},
    {64, {0x40}, 1},
    {127, {0x7F}, 1},
    {128, {0x80, 0x01}, 2},
    {321, {0xC1, 0x02}, 2},
    {16383, {0xFF, 0x7F}, 2},
    {16384, {0x80, 0x80, 0x01}, 3},
    {2097151, {0xFF, 0xFF, 0x7F}, 3},
    {2097152, {0x80, 0x80, 0x80, 0x01}, 4},
    {268435455, {0xFF, 0xFF, 0xFF, 0x7F}, 4},
};

static void test_wire_varint_spec_table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(varint_cases) / sizeof(varint_cases[0]); i++) {
        const struct varint_case *c = &varint_cases[i];
        uint8_t out[4];
        uint32_t v = 0xDEADBEEF;

        assert_int_equal(mqtt_varint_encode(c->value, out, sizeof(out)),
                         c->len);
        assert_memory_equal(out, c->bytes, (size_t)c->len);
        assert_int_equal(mqtt_varint_decode(c->bytes, (size_t)c->len, &v),
                         c->len);
        assert_int_equal(v, c->value);
    }
}

static void test_wire_varint_five_bytes_rejected(void **state)
{
    static const uint8_t five[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x7F};
    static const uint8_t five_small[] = {0x80, 0x80, 0x80, 0x80, 0x01};
    uint32_t v;

    (void)state;
    assert_int_equal(mqtt_varint_decode(five, sizeof(five), &v),
                     MQTT_ERR_BAD_LENGTH);
    assert_int_equal(mqtt_varint_decode(five_small, sizeof(five_small), &v),
                     MQTT_ERR_BAD_LENGTH);
    /* Detected at the fourth byte: no fifth byte is needed to decide. */
    assert_int_equal(mqtt_varint_decode(five, 4, &v), MQTT_ERR_BAD_LENGTH);
}

static void test_wire_varint_non_minimal_rejected(void **state)
{
    static const uint8_t cases[][4] = {
        {0x80, 0x00},             /* 0 in two bytes */
        {0xFF, 0x00},             /* 127 in two bytes */
        {0x80, 0x80, 0x00},       /* 0 in three bytes */
        {0xFF, 0xFF, 0x00},       /* 16383 in three bytes */
        {0x80, 0x80, 0x80, 0x00}, /* 0 in four bytes */
    };
    static const size_t lens[] = {2, 2, 3, 3, 4};
    uint32_t v;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
        assert_int_equal(mqtt_varint_decode(cases[i], lens[i], &v),
                         MQTT_ERR_BAD_LENGTH);
}

static void test_wire_varint_incomplete(void **state)
{
    static const uint8_t b[] = {0x80, 0x80, 0x80, 0x01};
    uint32_t v;
    size_t n;

    (void)state;
    for (n = 0; n < sizeof(b); n++)
        assert_int_equal(mqtt_varint_decode(b, n, &v), MQTT_ERR_INCOMPLETE);
    assert_int_equal(mqtt_varint_decode(b, sizeof(b), &v), 4);
}

static void test_wire_varint_encode_limits(void **state)
{
    uint8_t out[4];

    (void)state;
    assert_int_equal(mqtt_varint_encode(268435456u, out, sizeof(out)),
                     MQTT_ERR_TOO_LARGE);
    assert_int_equal(mqtt_varint_encode(128, out, 1), MQTT_ERR_NO_SPACE);
    assert_int_equal(mqtt_varint_encode(0, NULL, 4), MQTT_ERR_ARG);
    assert_int_equal(mqtt_varint_decode(NULL, 1, (uint32_t *)out),
                     MQTT_ERR_ARG);
}

/* Every value in [0, 2^21] and a stride over the rest survive a round
 * trip and use the length table 2.4 gives. */
static void test_wire_varint_roundtrip(void **state)
{
    uint32_t v;

    (void)state;
    for (v = 0; v <= MQTT_MAX_REMAINING_LENGTH;
         v += v < (1u << 21) ? 1u : 997u) {
        uint8_t out[4];
        uint32_t back;
        int n = mqtt_varint_encode(v, out, sizeof(out));
        int want = v < 128 ? 1 : v < 16384 ? 2 : v < 2097152 ? 3 : 4;

        assert_int_equal(n, want);
        assert_int_equal(mqtt_varint_decode(out, (size_t)n, &back), n);
        assert_int_equal(back, v);
    }
}

static void test_wire_utf8_spec_example(void **state)
{
    /* 3.1.1 section 1.5.3.1 / 5.0 section 1.5.4: "A" U+2A6D4. */
    static const uint8_t s[] = {0x41, 0xF0, 0xAA, 0x9B, 0x94};

    (void)state;
    assert_int_equal(mqtt_utf8_check(s, sizeof(s)), 0);
}

static void test_wire_utf8_accepts_boundaries(void **state)
{
    static const struct {
        uint8_t b[4];
        size_t n;
    } ok[] = {
        {{0x01}, 1},                   /* U+0001: SHOULD NOT, accepted */
        {{0x7F}, 1},                   /* U+007F */
        {{0xC2, 0x80}, 2},             /* U+0080 */
        {{0xDF, 0xBF}, 2},             /* U+07FF */
        {{0xE0, 0xA0, 0x80}, 3},       /* U+0800 */
        {{0xED, 0x9F, 0xBF}, 3},       /* U+D7FF */
        {{0xEE, 0x80, 0x80}, 3},       /* U+E000 */
        {{0xEF, 0xBB, 0xBF}, 3},       /* U+FEFF kept [MQTT-1.5.4-3] */
        {{0xEF, 0xBF, 0xBF}, 3},       /* U+FFFF non-character */
        {{0xF0, 0x90, 0x80, 0x80}, 4}, /* U+10000 */
        {{0xF4, 0x8F, 0xBF, 0xBF}, 4}, /* U+10FFFF */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        assert_int_equal(mqtt_utf8_check(ok[i].b, ok[i].n), 0);
    assert_int_equal(mqtt_utf8_check(NULL, 0), 0);
}

static void test_wire_utf8_rejects(void **state)
{
    static const struct {
        uint8_t b[4];
        size_t n;
    } bad[] = {
        {{0x00}, 1},                   /* U+0000 [MQTT-1.5.4-2] */
        {{'a', 0x00}, 2},              /* U+0000 inside */
        {{0xED, 0xA0, 0x80}, 3},       /* U+D800 [MQTT-1.5.4-1] */
        {{0xED, 0xBF, 0xBF}, 3},       /* U+DFFF */
        {{0xC0, 0x80}, 2},             /* overlong U+0000 */
        {{0xC1, 0xBF}, 2},             /* overlong U+007F */
        {{0xE0, 0x9F, 0xBF}, 3},       /* overlong U+07FF */
        {{0xF0, 0x8F, 0xBF, 0xBF}, 4}, /* overlong U+FFFF */
        {{0xF4, 0x90, 0x80, 0x80}, 4}, /* U+110000 */
        {{0xF5, 0x80, 0x80, 0x80}, 4}, /* invalid lead byte */
        {{0xFF}, 1},                   /* invalid byte */
        {{0x80}, 1},                   /* lone continuation */
        {{0xE2, 0x82}, 2},             /* truncated sequence */
        {{0xE2, 0x28, 0xA1}, 3},       /* bad continuation */
        {{0xF0, 0x90, 0x80, 0x7F}, 4}, /* bad last continuation */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(mqtt_utf8_check(bad[i].b, bad[i].n),
                         MQTT_ERR_BAD_UTF8);
}

static int name_check(const char *s)
{
    return mqtt_topic_name_check((const uint8_t *)s, strlen(s));
}

static int filter_check(const char *s, enum mqtt_version v)
{
    return mqtt_topic_filter_check((const uint8_t *)s, strlen(s), v);
}

static void test_wire_topic_name(void **state)
{
    static const uint8_t nul[] = {'a', 0x00};

    (void)state;
    assert_int_equal(name_check("a/b"), 0);
    assert_int_equal(name_check("/"), 0);
    assert_int_equal(name_check("$SYS/x"), 0);
    assert_int_equal(name_check(""), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(name_check("a/+"), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(name_check("#"), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(mqtt_topic_name_check(nul, sizeof(nul)),
                     MQTT_ERR_BAD_UTF8);
}

/* Valid and invalid filters, including the examples of section 4.7.1. */
static void test_wire_topic_filter_wildcards(void **state)
{
    static const char *const ok[] = {
        "#",
        "+",
        "a/#",
        "+/+",
        "a/+/b",
        "/",
        "//",
        "sport/tennis/#",
        "sport/#",
        "+/tennis/#",
        "sport/+/player1",
        "/+",
        "$SYS/#",
        "a",
    };
    static const char *const bad[] = {
        "",
        "a#",
        "a/#/b",
        "a+",
        "+a",
        "a/b+",
        "##",
        "sport/tennis#",
        "sport/tennis/#/ranking",
        "sport+",
        "#/",
        "++",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_int_equal(filter_check(ok[i], MQTT_V311), 0);
        assert_int_equal(filter_check(ok[i], MQTT_V5), 0);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(filter_check(bad[i], MQTT_V311), MQTT_ERR_BAD_TOPIC);
        assert_int_equal(filter_check(bad[i], MQTT_V5), MQTT_ERR_BAD_TOPIC);
    }
    assert_int_equal(filter_check("a", (enum mqtt_version)3), MQTT_ERR_ARG);
}

/* 5.0 section 4.8.2: "$share/" ShareName "/" filter; plain text in 3.1.1. */
static void test_wire_topic_filter_shared(void **state)
{
    (void)state;
    assert_int_equal(filter_check("$share/g/a/b", MQTT_V5), 0);
    assert_int_equal(filter_check("$share/g/#", MQTT_V5), 0);
    assert_int_equal(filter_check("$share/g/+", MQTT_V5), 0);
    assert_int_equal(filter_check("$share//a", MQTT_V5), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(filter_check("$share/g", MQTT_V5), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(filter_check("$share/g/", MQTT_V5), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(filter_check("$share/+/a", MQTT_V5), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(filter_check("$share/g+/a", MQTT_V5), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(filter_check("$share/#/a", MQTT_V5), MQTT_ERR_BAD_TOPIC);
    assert_int_equal(filter_check("$share/g/a#", MQTT_V5), MQTT_ERR_BAD_TOPIC);
    /* In 3.1.1 these are ordinary filters. */
    assert_int_equal(filter_check("$share/g", MQTT_V311), 0);
    assert_int_equal(filter_check("$share//a", MQTT_V311), 0);
    assert_int_equal(filter_check("$share/+/a", MQTT_V311), 0);
    assert_int_equal(mqtt_topic_is_shared((const uint8_t *)"$share/", 7), 1);
    assert_int_equal(mqtt_topic_is_shared((const uint8_t *)"$share", 6), 0);
    assert_int_equal(mqtt_topic_is_shared((const uint8_t *)"$SHARE/g/a", 10),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wire_varint_spec_table),
        cmocka_unit_test(test_wire_varint_five_bytes_rejected),
        cmocka_unit_test(test_wire_varint_non_minimal_rejected),
        cmocka_unit_test(test_wire_varint_incomplete),
        cmocka_unit_test(test_wire_varint_encode_limits),
        cmocka_unit_test(test_wire_varint_roundtrip),
        cmocka_unit_test(test_wire_utf8_spec_example),
        cmocka_unit_test(test_wire_utf8_accepts_boundaries),
        cmocka_unit_test(test_wire_utf8_rejects),
        cmocka_unit_test(test_wire_topic_name),
        cmocka_unit_test(test_wire_topic_filter_wildcards),
        cmocka_unit_test(test_wire_topic_filter_shared),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
