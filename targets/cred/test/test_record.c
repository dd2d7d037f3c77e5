/* Stored record format (cred/record.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cred/record.h"

static const struct cred_kdf_limits limits = {1000, 100000};

/* A valid record: 20000 iterations, 16-byte salt, 32-byte hash. */
static size_t sample(uint8_t *buf, size_t salt_len, size_t hash_len)
{
    size_t pos = 0, i;

    buf[pos++] = 1;    /* version */
    buf[pos++] = 1;    /* PBKDF2-HMAC-SHA-256 */
    buf[pos++] = 0x01; /* must change */
    buf[pos++] = 0x00; /* iterations 20000 = 0x00004e20 */
    buf[pos++] = 0x00;
    buf[pos++] = 0x4e;
    buf[pos++] = 0x20;
    buf[pos++] = (uint8_t)salt_len;
    for (i = 0; i < salt_len; i++)
        buf[pos++] = (uint8_t)(0x10 + i);
    buf[pos++] = (uint8_t)hash_len;
    for (i = 0; i < hash_len; i++)
        buf[pos++] = (uint8_t)(0x80 + i);
    return pos;
}

static void assert_zeroed(const struct cred_record *rec)
{
    struct cred_record zero;

    memset(&zero, 0, sizeof(zero));
    assert_memory_equal(rec, &zero, sizeof(zero));
}

static void test_record_parse_fields(void **state)
{
    uint8_t buf[CRED_RECORD_MAX_LEN];
    struct cred_record rec;
    size_t len = sample(buf, 16, 32), i;

    (void)state;
    assert_int_equal(len, 57);
    assert_int_equal(cred_record_parse(&rec, buf, len, &limits), 57);
    assert_int_equal(rec.version, 1);
    assert_int_equal(rec.algorithm, CRED_ALG_PBKDF2_SHA256);
    assert_int_equal(rec.flags, CRED_FLAG_MUST_CHANGE);
    assert_int_equal(rec.iterations, 20000);
    assert_int_equal(rec.salt_len, 16);
    assert_int_equal(rec.hash_len, 32);
    for (i = 0; i < 16; i++)
        assert_int_equal(rec.salt[i], 0x10 + i);
    for (i = 0; i < 32; i++)
        assert_int_equal(rec.hash[i], 0x80 + i);
}

/* Every legal salt/hash length pair serialises back to the same bytes. */
static void test_record_round_trip_all_lengths(void **state)
{
    uint8_t buf[CRED_RECORD_MAX_LEN + 4], out[CRED_RECORD_MAX_LEN];
    struct cred_record rec, again;
    size_t s, h, len;

    (void)state;
    for (s = CRED_SALT_MIN; s <= CRED_SALT_MAX; s++) {
        for (h = CRED_HASH_MIN; h <= CRED_HASH_MAX; h++) {
            len = sample(buf, s, h);
            /* Trailing bytes are not consumed. */
            memset(buf + len, 0xcc, 4);
            assert_int_equal(cred_record_parse(&rec, buf, len + 4, &limits),
                             (int)len);
            assert_int_equal(cred_record_serialise(&rec, out, sizeof(out)),
                             (int)len);
            assert_memory_equal(out, buf, len);
            assert_int_equal(cred_record_parse(&again, out, len, &limits),
                             (int)len);
            assert_memory_equal(&again, &rec, sizeof(rec));
        }
    }
}

static void test_record_truncated_at_every_length(void **state)
{
    uint8_t buf[CRED_RECORD_MAX_LEN];
    struct cred_record rec;
    size_t len = sample(buf, 20, 24), n;

    (void)state;
    for (n = 0; n < len; n++) {
        memset(&rec, 0xee, sizeof(rec));
        assert_int_equal(cred_record_parse(&rec, buf, n, &limits),
                         CRED_ERR_TRUNCATED);
        assert_zeroed(&rec);
    }
    assert_int_equal(cred_record_parse(&rec, NULL, 0, &limits),
                     CRED_ERR_TRUNCATED);
}

static void expect_error(uint8_t *buf, size_t len, int want)
{
    struct cred_record rec;

    memset(&rec, 0xee, sizeof(rec));
    assert_int_equal(cred_record_parse(&rec, buf, len, &limits), want);
    assert_zeroed(&rec);
}

static void test_record_bad_version(void **state)
{
    uint8_t buf[CRED_RECORD_MAX_LEN];
    size_t len = sample(buf, 16, 32);
    static const uint8_t bad[] = {0, 2, 0x81, 0xff};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad); i++) {
        buf[0] = bad[i];
        expect_error(buf, len, CRED_ERR_VERSION);
        /* Reported before the input runs out. */
        expect_error(buf, 1, CRED_ERR_VERSION);
    }
}

static void test_record_bad_algorithm(void **state)
{
    uint8_t buf[CRED_RECORD_MAX_LEN];
    size_t len = sample(buf, 16, 32);
    static const uint8_t bad[] = {0, 2, 0x7f, 0xff};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad); i++) {
        buf[1] = bad[i];
        expect_error(buf, len, CRED_ERR_ALGORITHM);
    }
}

static void test_record_reserved_flags(void **state)
{
    uint8_t buf[CRED_RECORD_MAX_LEN];
    size_t len = sample(buf, 16, 32);
    unsigned bit;

    (void)state;
    for (bit = 1; bit < 8; bit++) {
        buf[2] = (uint8_t)(1u << bit);
        expect_error(buf, len, CRED_ERR_FLAGS);
    }
    buf[2] = 0;
    assert_int_equal(
        cred_record_parse(&(struct cred_record){0}, buf, len, &limits),
        (int)len);
}

static void set_iterations(uint8_t *buf, uint32_t it)
{
    buf[3] = (uint8_t)(it >> 24);
    buf[4] = (uint8_t)(it >> 16);
    buf[5] = (uint8_t)(it >> 8);
    buf[6] = (uint8_t)it;
}

static void test_record_iterations_out_of_range(void **state)
{
    uint8_t buf[CRED_RECORD_MAX_LEN];
    struct cred_record rec;
    size_t len = sample(buf, 16, 32);

    (void)state;
    set_iterations(buf, 0);
    expect_error(buf, len, CRED_ERR_ITERATIONS);
    set_iterations(buf, limits.min_iterations - 1);
    expect_error(buf, len, CRED_ERR_ITERATIONS);
    set_iterations(buf, limits.max_iterations + 1);
    expect_error(buf, len, CRED_ERR_ITERATIONS);
    set_iterations(buf, 0xffffffffu);
    expect_error(buf, len, CRED_ERR_ITERATIONS);
    /* Checked as soon as the field is complete. */
    expect_error(buf, 7, CRED_ERR_ITERATIONS);
    set_iterations(buf, limits.min_iterations);
    assert_int_equal(cred_record_parse(&rec, buf, len, &limits), (int)len);
    set_iterations(buf, limits.max_iterations);
    assert_int_equal(cred_record_parse(&rec, buf, len, &limits), (int)len);
}

static void test_record_salt_len_out_of_range(void **state)
{
    uint8_t buf[CRED_RECORD_MAX_LEN + 8] = {0};
    size_t len = sample(buf, 16, 32);

    (void)state;
    buf[7] = 0;
    expect_error(buf, len, CRED_ERR_SALT_LEN);
    buf[7] = CRED_SALT_MIN - 1;
    expect_error(buf, len, CRED_ERR_SALT_LEN);
    buf[7] = CRED_SALT_MAX + 1;
    expect_error(buf, sizeof(buf), CRED_ERR_SALT_LEN);
    buf[7] = 0xff;
    expect_error(buf, 8, CRED_ERR_SALT_LEN);
}

static void test_record_hash_len_out_of_range(void **state)
{
    uint8_t buf[CRED_RECORD_MAX_LEN + 8] = {0};
    size_t len = sample(buf, 16, 32);

    (void)state;
    buf[8 + 16] = 0;
    expect_error(buf, len, CRED_ERR_HASH_LEN);
    buf[8 + 16] = CRED_HASH_MIN - 1;
    expect_error(buf, len, CRED_ERR_HASH_LEN);
    buf[8 + 16] = CRED_HASH_MAX + 1;
    expect_error(buf, sizeof(buf), CRED_ERR_HASH_LEN);
    buf[8 + 16] = 0xff;
    expect_error(buf, 8 + 16 + 1, CRED_ERR_HASH_LEN);
}

static void test_record_bad_arguments(void **state)
{
    uint8_t buf[CRED_RECORD_MAX_LEN];
    struct cred_record rec;
    struct cred_kdf_limits bad;
    size_t len = sample(buf, 16, 32);

    (void)state;
    assert_int_equal(cred_record_parse(NULL, buf, len, &limits),
                     CRED_ERR_PARAM);
    assert_int_equal(cred_record_parse(&rec, NULL, len, &limits),
                     CRED_ERR_PARAM);
    assert_int_equal(cred_record_parse(&rec, buf, len, NULL), CRED_ERR_PARAM);
    bad.min_iterations = 0;
    bad.max_iterations = 10;
    assert_int_equal(cred_record_parse(&rec, buf, len, &bad), CRED_ERR_PARAM);
    bad.min_iterations = 11;
    assert_int_equal(cred_record_parse(&rec, buf, len, &bad), CRED_ERR_PARAM);
    bad.min_iterations = 1;
    bad.max_iterations = CRED_ITERATIONS_CAP + 1;
    assert_int_equal(cred_record_parse(&rec, buf, len, &bad), CRED_ERR_PARAM);
    assert_int_equal(cred_kdf_limits_check(NULL), CRED_ERR_PARAM);
    assert_int_equal(cred_kdf_limits_check(&limits), 0);
}

static void test_record_serialise_no_space(void **state)
{
    uint8_t buf[CRED_RECORD_MAX_LEN], out[CRED_RECORD_MAX_LEN];
    uint8_t untouched[CRED_RECORD_MAX_LEN];
    struct cred_record rec;
    size_t len = sample(buf, 32, 32), cap;

    (void)state;
    assert_int_equal(len, CRED_RECORD_MAX_LEN);
    assert_int_equal(cred_record_parse(&rec, buf, len, &limits), (int)len);
    memset(untouched, 0x5a, sizeof(untouched));
    for (cap = 0; cap < len; cap++) {
        memset(out, 0x5a, sizeof(out));
        assert_int_equal(cred_record_serialise(&rec, out, cap),
                         CRED_ERR_NO_SPACE);
        assert_memory_equal(out, untouched, sizeof(out));
    }
    assert_int_equal(cred_record_serialise(&rec, out, len), (int)len);
    assert_int_equal(cred_record_serialise(NULL, out, len), CRED_ERR_PARAM);
    assert_int_equal(cred_record_serialise(&rec, NULL, len), CRED_ERR_PARAM);
}

static void test_record_serialise_rejects_bad_fields(void **state)
{
    uint8_t buf[CRED_RECORD_MAX_LEN], out[CRED_RECORD_MAX_LEN + 64];
    struct cred_record rec, bad;
    size_t len = sample(buf, 16, 32);

    (void)state;
    assert_int_equal(cred_record_parse(&rec, buf, len, &limits), (int)len);
    bad = rec;
    bad.version = 9;
    assert_int_equal(cred_record_serialise(&bad, out, sizeof(out)),
                     CRED_ERR_VERSION);
    bad = rec;
    bad.algorithm = 9;
    assert_int_equal(cred_record_serialise(&bad, out, sizeof(out)),
                     CRED_ERR_ALGORITHM);
    bad = rec;
    bad.flags = 0x80;
    assert_int_equal(cred_record_serialise(&bad, out, sizeof(out)),
                     CRED_ERR_FLAGS);
    bad = rec;
    bad.iterations = 0;
    assert_int_equal(cred_record_serialise(&bad, out, sizeof(out)),
                     CRED_ERR_ITERATIONS);
    bad.iterations = CRED_ITERATIONS_CAP + 1;
    assert_int_equal(cred_record_serialise(&bad, out, sizeof(out)),
                     CRED_ERR_ITERATIONS);
    bad = rec;
    bad.salt_len = 200;
    assert_int_equal(cred_record_serialise(&bad, out, sizeof(out)),
                     CRED_ERR_SALT_LEN);
    bad = rec;
    bad.hash_len = 33;
    assert_int_equal(cred_record_serialise(&bad, out, sizeof(out)),
                     CRED_ERR_HASH_LEN);
}

static void test_record_check_matches_parse(void **state)
{
    uint8_t buf[CRED_RECORD_MAX_LEN];
    struct cred_record rec, bad;
    const struct cred_kdf_limits narrow = {30000, 40000};
    size_t len = sample(buf, 16, 32);

    (void)state;
    assert_int_equal(cred_record_parse(&rec, buf, len, &limits), (int)len);
    assert_int_equal(cred_record_check(&rec, &limits), 0);
    assert_int_equal(cred_record_check(&rec, &narrow), CRED_ERR_ITERATIONS);
    assert_int_equal(cred_record_parse(&bad, buf, len, &narrow),
                     CRED_ERR_ITERATIONS);
    assert_int_equal(cred_record_check(NULL, &limits), CRED_ERR_PARAM);
    assert_int_equal(cred_record_check(&rec, NULL), CRED_ERR_PARAM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_parse_fields),
        cmocka_unit_test(test_record_round_trip_all_lengths),
        cmocka_unit_test(test_record_truncated_at_every_length),
        cmocka_unit_test(test_record_bad_version),
        cmocka_unit_test(test_record_bad_algorithm),
        cmocka_unit_test(test_record_reserved_flags),
        cmocka_unit_test(test_record_iterations_out_of_range),
        cmocka_unit_test(test_record_salt_len_out_of_range),
        cmocka_unit_test(test_record_hash_len_out_of_range),
        cmocka_unit_test(test_record_bad_arguments),
        cmocka_unit_test(test_record_serialise_no_space),
        cmocka_unit_test(test_record_serialise_rejects_bad_fields),
        cmocka_unit_test(test_record_check_matches_parse),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
