/* SHA-1 against the FIPS 180-4 examples (NIST CSRC "Examples with
 * Intermediate Values", SHA1.pdf / SHA1-2.pdf) and the usual empty and
 * million-'a' vectors (RFC 3174 section 7.3, TEST3 and TEST4 material). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "sha1.h"

static void test_sha1_abc(void **state)
{
    char hex[SHA1_HEX_LEN + 1];

    (void)state;
    sha1_hex("abc", 3, hex);
    assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
}

static void test_sha1_two_blocks(void **state)
{
    static const char msg[] =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[SHA1_HEX_LEN + 1];

    (void)state;
    sha1_hex(msg, strlen(msg), hex);
    assert_string_equal(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

static void test_sha1_empty(void **state)
{
    char hex[SHA1_HEX_LEN + 1];

    (void)state;
    sha1_hex("", 0, hex);
    assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

static void test_sha1_million_a_in_odd_pieces(void **state)
{
    static const char hexd[] = "0123456789abcdef";
    struct sha1_ctx ctx;
    uint8_t chunk[997], d[SHA1_DIGEST_LEN];
    char hex[SHA1_HEX_LEN + 1];
    size_t left = 1000000, i;

    (void)state;
    memset(chunk, 'a', sizeof(chunk));
    sha1_init(&ctx);
    while (left > 0) {
        size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
        sha1_update(&ctx, chunk, n);
        left -= n;
    }
    sha1_final(&ctx, d);
    for (i = 0; i < SHA1_DIGEST_LEN; i++) {
        hex[2 * i] = hexd[d[i] >> 4];
        hex[2 * i + 1] = hexd[d[i] & 15];
    }
    hex[SHA1_HEX_LEN] = '\0';
    assert_string_equal(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

/* libFuzzer names its artifacts by the same digest: this is the name it
 * gave the input "RBX!" (seen in a real run). */
static void test_sha1_matches_libfuzzer_artifact_name(void **state)
{
    char hex[SHA1_HEX_LEN + 1];

    (void)state;
    sha1_hex("RBX!", 4, hex);
    assert_string_equal(hex, "3671459656497f7e0f8edc87204ff075ffcd5de9");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha1_abc),
        cmocka_unit_test(test_sha1_two_blocks),
        cmocka_unit_test(test_sha1_empty),
        cmocka_unit_test(test_sha1_million_a_in_odd_pieces),
        cmocka_unit_test(test_sha1_matches_libfuzzer_artifact_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
