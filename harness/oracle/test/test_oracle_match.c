/*
 * The secret matcher both modes' oracles share (secret_match.c): which
 * pieces of a secret it finds, in which forms, and which it must not
 * report (wiped memory, what the input holds anyway).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "secret_match.h"

static struct fwfuzz_matcher m;

static int find(const struct fwfuzz_secret_ref *s, unsigned n, const char *hay,
                struct fwfuzz_match *out)
{
    fwfuzz_matcher_init(&m, s, n);
    return fwfuzz_matcher_find(&m, (const uint8_t *)hay, strlen(hay), 0, out);
}

static void test_raw_piece(void **state)
{
    static const uint8_t key[] = "k3y-Material-42!";
    struct fwfuzz_secret_ref s = {key, 16};
    struct fwfuzz_match r;

    (void)state;
    /* 8 bytes from the middle of the secret, inside other text */
    assert_int_equal(find(&s, 1, "log: terial-42 end", &r), 1);
    assert_int_equal(r.secret, 0);
    assert_int_equal(r.at, 5);
    assert_int_equal(r.len, 8);
    assert_int_equal(r.offset, 6);
    assert_int_equal(r.form, FWFUZZ_MATCH_RAW);
    /* 7 bytes are not a piece */
    assert_int_equal(find(&s, 1, "log: erial-4 end", &r), 0);
}

static void test_hex_pieces(void **state)
{
    static const uint8_t key[] = {0xde, 0xad, 0xbe, 0xef, 0x01,
                                  0x23, 0x45, 0x67, 0x89, 0xab};
    struct fwfuzz_secret_ref s = {key, sizeof(key)};
    struct fwfuzz_match r;

    (void)state;
    assert_int_equal(find(&s, 1, "key=adbeef0123456789", &r), 1);
    assert_int_equal(r.form, FWFUZZ_MATCH_HEX);
    assert_int_equal(r.offset, 1);
    assert_int_equal(r.len, 16);
    assert_int_equal(find(&s, 1, "KEY=DEADBEEF01234567", &r), 1);
    assert_int_equal(r.form, FWFUZZ_MATCH_HEXU);
    assert_int_equal(find(&s, 1, "key=deadbeef0123456", &r), 0);
}

static void test_short_secret_whole(void **state)
{
    static const uint8_t pin[] = "9271";
    struct fwfuzz_secret_ref s = {pin, 4};
    struct fwfuzz_match r;

    (void)state;
    assert_int_equal(find(&s, 1, "pin 9271 ok", &r), 1);
    assert_int_equal(r.len, 4);
    assert_int_equal(find(&s, 1, "pin 927 ok", &r), 0);
}

/* Wiped memory holds runs of one byte: such pieces are not searched. */
static void test_plain_pieces_skipped(void **state)
{
    static const uint8_t key[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                    0, 0, 0, 0, 0, 0, 0, 7};
    static const uint8_t zeros[64];
    struct fwfuzz_secret_ref s = {key, sizeof(key)};
    struct fwfuzz_match r;

    (void)state;
    fwfuzz_matcher_init(&m, &s, 1);
    assert_int_equal(fwfuzz_matcher_find(&m, zeros, sizeof(zeros), 0, &r), 0);
}

static void test_second_secret_and_from(void **state)
{
    static const uint8_t a[] = "first-secret-AAAA", b[] = "other-token-BBBB";
    struct fwfuzz_secret_ref s[2] = {{a, 17}, {b, 16}};
    const char *hay = "xx other-to yy first-se";
    struct fwfuzz_match r;

    (void)state;
    assert_int_equal(find(s, 2, hay, &r), 1);
    assert_int_equal(r.secret, 1);
    assert_int_equal(fwfuzz_matcher_find(&m, (const uint8_t *)hay, strlen(hay),
                                         r.at + 1, &r),
                     1);
    assert_int_equal(r.secret, 0);
}

/* What the input holds elsewhere than in the secret is public. */
static void test_public_piece(void **state)
{
    /* the password, then a user name that repeats most of it */
    static const uint8_t input[] = "pw=Sw0rdfish-77!;user=Sw0rdfish-77";
    static const uint8_t key[] = {'S', 'w', '0', 'r', 'd', 'f', 'i',
                                  's', 'h', '-', '7', '7', '!'};
    struct fwfuzz_secret_ref s = {key, sizeof(key)};
    const char *log = "login ok for Sw0rdfish-77";
    struct fwfuzz_match r;

    (void)state;
    assert_int_equal(find(&s, 1, log, &r), 1);
    /* the input's user name holds the piece: the log shows the name */
    assert_true(fwfuzz_match_is_public((const uint8_t *)log, &r, input,
                                       sizeof(input) - 1, key, sizeof(key)));
    /* where the input holds only the whole secret: not public */
    assert_false(fwfuzz_match_is_public((const uint8_t *)log, &r, input, 17,
                                        key, sizeof(key)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_piece),
        cmocka_unit_test(test_hex_pieces),
        cmocka_unit_test(test_short_secret_whole),
        cmocka_unit_test(test_plain_pieces_skipped),
        cmocka_unit_test(test_second_secret_and_from),
        cmocka_unit_test(test_public_piece),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
