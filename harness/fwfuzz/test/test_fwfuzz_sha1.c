/* Content names: fs_sha1_hex (nettle's SHA-1) against the FIPS 180-4
 * examples (NIST CSRC "Examples with Intermediate Values", SHA1.pdf /
 * SHA1-2.pdf) and the usual empty and million-'a' vectors (RFC 3174
 * section 7.3, TEST3 and TEST4 material), and the file names of findings,
 * which must not change from one fwfuzz version to the next (earlier
 * findings would be saved a second time). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "test_tmpdir.h"
#include "util.h"

static void test_sha1_abc(void **state)
{
    char hex[FS_SHA1_HEX_LEN + 1];

    (void)state;
    fs_sha1_hex("abc", 3, hex);
    assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
}

static void test_sha1_two_blocks(void **state)
{
    static const char msg[] =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[FS_SHA1_HEX_LEN + 1];

    (void)state;
    fs_sha1_hex(msg, strlen(msg), hex);
    assert_string_equal(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

static void test_sha1_empty(void **state)
{
    char hex[FS_SHA1_HEX_LEN + 1];

    (void)state;
    fs_sha1_hex("", 0, hex);
    assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

static void test_sha1_million_a(void **state)
{
    size_t n = 1000000;
    char *a = malloc(n);
    char hex[FS_SHA1_HEX_LEN + 1];

    (void)state;
    assert_non_null(a);
    memset(a, 'a', n);
    fs_sha1_hex(a, n, hex);
    free(a);
    assert_string_equal(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

/* libFuzzer names its artifacts by the same digest: this is the name it
 * gave the input "RBX!" (seen in a real run). */
static void test_sha1_matches_libfuzzer_artifact_name(void **state)
{
    char hex[FS_SHA1_HEX_LEN + 1];

    (void)state;
    fs_sha1_hex("RBX!", 4, hex);
    assert_string_equal(hex, "3671459656497f7e0f8edc87204ff075ffcd5de9");
}

/* The name an AFL++ crash "AFL-CRASH" is saved under in findings/, as
 * fwfuzz named it before it used nettle (digest: coreutils sha1sum). */
static void test_sha1_names_an_afl_finding(void **state)
{
    const char *dir = *state;
    char hex[FS_SHA1_HEX_LEN + 1], again[FS_SHA1_HEX_LEN + 1];
    char *path = NULL;

    assert_int_equal(
        fs_store_unique("AFL-CRASH", 9, dir, "afl-crash-", hex, &path), 1);
    assert_string_equal(fw_basename(path),
                        "afl-crash-74466d8d4be0d850fee7e3558a3001c2e6c01670");
    assert_int_equal(fs_sha1_file(path, again), 0);
    assert_string_equal(again, hex);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha1_abc),
        cmocka_unit_test(test_sha1_two_blocks),
        cmocka_unit_test(test_sha1_empty),
        cmocka_unit_test(test_sha1_million_a),
        cmocka_unit_test(test_sha1_matches_libfuzzer_artifact_name),
        cmocka_unit_test_setup_teardown(test_sha1_names_an_afl_finding,
                                        test_tmpdir_setup,
                                        test_tmpdir_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
