/* crypto_ct_compare and crypto_wipe. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/util.h"

static void test_util_compare_equal_returns_zero(void **state)
{
    static const uint8_t a[5] = {1, 2, 3, 4, 5};
    static const uint8_t b[5] = {1, 2, 3, 4, 5};

    (void)state;
    assert_int_equal(crypto_ct_compare(a, b, sizeof(a)), 0);
}

static void test_util_compare_zero_len_is_equal(void **state)
{
    static const uint8_t a[1] = {1};
    static const uint8_t b[1] = {2};

    (void)state;
    assert_int_equal(crypto_ct_compare(a, b, 0), 0);
}

/* Every single-bit difference at every position is detected. */
static void test_util_compare_any_bit_differs(void **state)
{
    uint8_t a[33];
    uint8_t b[33];
    size_t i;
    int bit;

    (void)state;
    for (i = 0; i < sizeof(a); i++)
        a[i] = (uint8_t)(i * 37 + 11);
    for (i = 0; i < sizeof(a); i++) {
        for (bit = 0; bit < 8; bit++) {
            memcpy(b, a, sizeof(a));
            b[i] ^= (uint8_t)(1u << bit);
            assert_int_equal(crypto_ct_compare(a, b, sizeof(a)), -1);
            assert_int_equal(crypto_ct_compare(b, a, sizeof(a)), -1);
        }
    }
}

/* Only the first len bytes take part. */
static void test_util_compare_ignores_bytes_past_len(void **state)
{
    static const uint8_t a[4] = {9, 9, 9, 1};
    static const uint8_t b[4] = {9, 9, 9, 2};

    (void)state;
    assert_int_equal(crypto_ct_compare(a, b, 3), 0);
    assert_int_equal(crypto_ct_compare(a, b, 4), -1);
}

/* Every start alignment and length: the byte head, words, byte tail. */
static void test_util_wipe_zeroes_exactly_len(void **state)
{
    uint32_t words[20]; /* 4-aligned */
    uint8_t *buf = (uint8_t *)words;
    size_t at, len, i;

    (void)state;
    for (at = 0; at < 8; at++) {
        for (len = 0; len <= 50; len++) {
            memset(buf, 0xa5, sizeof(words));
            crypto_wipe(buf + at, len);
            for (i = 0; i < sizeof(words); i++)
                assert_int_equal(buf[i], (i >= at && i < at + len) ? 0 : 0xa5);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_compare_equal_returns_zero),
        cmocka_unit_test(test_util_compare_zero_len_is_equal),
        cmocka_unit_test(test_util_compare_any_bit_differs),
        cmocka_unit_test(test_util_compare_ignores_bytes_past_len),
        cmocka_unit_test(test_util_wipe_zeroes_exactly_len),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
