/* Provisioning blob (cred/provision.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/sha256.h"
#include "cred/provision.h"

static const struct cred_kdf_limits limits = {1000, 100000};

/* The record bytes of a valid record (cred/record.h layout). */
static size_t record_bytes(uint8_t *buf)
{
    size_t pos = 0, i;

    buf[pos++] = 1;
    buf[pos++] = 1;
    buf[pos++] = 0;
    buf[pos++] = 0x00; /* 20000 iterations */
    buf[pos++] = 0x00;
    buf[pos++] = 0x4e;
    buf[pos++] = 0x20;
    buf[pos++] = 16;
    for (i = 0; i < 16; i++)
        buf[pos++] = (uint8_t)(0x40 + i);
    buf[pos++] = 32;
    for (i = 0; i < 32; i++)
        buf[pos++] = (uint8_t)(0xc0 + i);
    return pos;
}

/*
 * Builds a blob byte by byte from the header's table: device id
 * "SN-0042-AB", user "admin", the record above; body_len and digest are
 * fixed up unless the caller edits the body afterwards (see reseal).
 */
static size_t hand_blob(uint8_t *b)
{
    static const char id[] = "SN-0042-AB", user[] = "admin";
    size_t pos = 8, n;

    memcpy(b, "CRDP", 4);
    b[4] = 1;
    b[5] = 0;
    b[pos++] = 0x01;
    b[pos++] = (uint8_t)(sizeof(id) - 1);
    memcpy(b + pos, id, sizeof(id) - 1);
    pos += sizeof(id) - 1;
    b[pos++] = 0x02;
    b[pos++] = (uint8_t)(sizeof(user) - 1);
    memcpy(b + pos, user, sizeof(user) - 1);
    pos += sizeof(user) - 1;
    b[pos++] = 0x03;
    n = record_bytes(b + pos + 1);
    b[pos++] = (uint8_t)n;
    pos += n;
    b[6] = (uint8_t)((pos - 8) >> 8);
    b[7] = (uint8_t)(pos - 8);
    sha256(b, pos, b + pos);
    return pos + 32;
}

/* Recomputes body_len from len and the digest, after an edit. */
static void reseal(uint8_t *b, size_t len)
{
    size_t body = len - 8 - 32;

    b[6] = (uint8_t)(body >> 8);
    b[7] = (uint8_t)body;
    sha256(b, len - 32, b + len - 32);
}

static void expect(const uint8_t *b, size_t len, int want)
{
    struct cred_provision p, zero;

    memset(&p, 0xee, sizeof(p));
    memset(&zero, 0, sizeof(zero));
    assert_int_equal(cred_provision_parse(&p, b, len, &limits), want);
    if (want != 0)
        assert_memory_equal(&p, &zero, sizeof(p));
}

static void test_provision_parse_hand_built(void **state)
{
    uint8_t b[CRED_PROVISION_MAX_LEN];
    struct cred_provision p;
    size_t len = hand_blob(b);

    (void)state;
    assert_int_equal(len, 8 + 12 + 7 + 59 + 32);
    assert_int_equal(cred_provision_parse(&p, b, len, &limits), 0);
    assert_int_equal(p.device_id_len, 10);
    assert_memory_equal(p.device_id, "SN-0042-AB", 10);
    assert_int_equal(p.user_len, 5);
    assert_memory_equal(p.user, "admin", 5);
    assert_int_equal(p.record.iterations, 20000);
    assert_int_equal(p.record.salt[0], 0x40);
    assert_int_equal(p.record.hash[31], 0xdf);
}

static void test_provision_round_trip(void **state)
{
    uint8_t b[CRED_PROVISION_MAX_LEN], out[CRED_PROVISION_MAX_LEN];
    struct cred_provision p, again;
    size_t len = hand_blob(b);

    (void)state;
    assert_int_equal(cred_provision_parse(&p, b, len, &limits), 0);
    assert_int_equal(cred_provision_serialise(&p, out, sizeof(out)), (int)len);
    assert_memory_equal(out, b, len);
    assert_int_equal(cred_provision_parse(&again, out, len, &limits), 0);
    assert_memory_equal(&again, &p, sizeof(p));
}

/* The largest blob: longest id, user and record. */
static void test_provision_maximum_size(void **state)
{
    uint8_t b[CRED_PROVISION_MAX_LEN];
    struct cred_provision p, again;

    (void)state;
    memset(&p, 0, sizeof(p));
    memset(p.device_id, '~', CRED_DEVICE_ID_MAX);
    p.device_id_len = CRED_DEVICE_ID_MAX;
    memset(p.user, '_', CRED_USER_MAX);
    p.user_len = CRED_USER_MAX;
    p.record.version = 1;
    p.record.algorithm = 1;
    p.record.iterations = 1000;
    p.record.salt_len = CRED_SALT_MAX;
    p.record.hash_len = CRED_HASH_MAX;
    assert_int_equal(cred_provision_serialise(&p, b, sizeof(b)),
                     CRED_PROVISION_MAX_LEN);
    assert_int_equal(cred_provision_parse(&again, b, sizeof(b), &limits), 0);
    assert_memory_equal(&again, &p, sizeof(p));
    assert_int_equal(cred_provision_serialise(&p, b, sizeof(b) - 1),
                     CRED_ERR_NO_SPACE);
}

static void test_provision_every_prefix_rejected(void **state)
{
    uint8_t b[CRED_PROVISION_MAX_LEN];
    size_t len = hand_blob(b), n;

    (void)state;
    for (n = 0; n < len; n++)
        expect(b, n, n < 40 ? CRED_ERR_TRUNCATED : CRED_ERR_LENGTH);
}

/* Any single flipped bit anywhere is caught (by a field or the digest). */
static void test_provision_every_bit_flip_rejected(void **state)
{
    uint8_t b[CRED_PROVISION_MAX_LEN];
    struct cred_provision p;
    size_t len = hand_blob(b), i;

    (void)state;
    for (i = 0; i < len * 8; i++) {
        b[i / 8] ^= (uint8_t)(1u << (i % 8));
        assert_true(cred_provision_parse(&p, b, len, &limits) < 0);
        b[i / 8] ^= (uint8_t)(1u << (i % 8));
    }
    assert_int_equal(cred_provision_parse(&p, b, len, &limits), 0);
}

static void test_provision_header_errors(void **state)
{
    uint8_t b[CRED_PROVISION_MAX_LEN + 1];
    size_t len = hand_blob(b);

    (void)state;
    b[0] = 'c';
    expect(b, len, CRED_ERR_MAGIC);
    hand_blob(b);
    b[4] = 2;
    expect(b, len, CRED_ERR_VERSION);
    hand_blob(b);
    b[5] = 0x80;
    expect(b, len, CRED_ERR_FLAGS);
    hand_blob(b);
    b[len] = 0; /* one trailing byte */
    expect(b, len + 1, CRED_ERR_LENGTH);
    b[6] = 0xff; /* body_len far above the maximum */
    expect(b, len, CRED_ERR_LENGTH);
}

static void test_provision_digest_mismatch(void **state)
{
    uint8_t b[CRED_PROVISION_MAX_LEN];
    size_t len = hand_blob(b);

    (void)state;
    b[len - 1] ^= 0x01;
    expect(b, len, CRED_ERR_INTEGRITY);
    hand_blob(b);
    b[8 + 2] = 'X'; /* still a valid device id character */
    expect(b, len, CRED_ERR_INTEGRITY);
    reseal(b, len);
    expect(b, len, 0);
}

/* Offsets in the hand-built blob. */
#define OFF_ID   8  /* device id TLV */
#define OFF_USER 20 /* user TLV */
#define OFF_REC  27 /* record TLV */

static void test_provision_tlv_errors(void **state)
{
    uint8_t b[CRED_PROVISION_MAX_LEN + 8];
    uint8_t tmp[16];
    size_t len = hand_blob(b);

    (void)state;
    assert_int_equal(b[OFF_USER], 0x02);
    assert_int_equal(b[OFF_REC], 0x03);
    /* unknown type in the first slot */
    b[OFF_ID] = 0x04;
    reseal(b, len);
    expect(b, len, CRED_ERR_TLV);
    /* duplicate: second TLV is a device id again */
    len = hand_blob(b);
    b[OFF_USER] = 0x01;
    reseal(b, len);
    expect(b, len, CRED_ERR_TLV);
    /* out of order: user first, then device id */
    len = hand_blob(b);
    memcpy(tmp, b + OFF_ID, 12);
    memmove(b + OFF_ID, b + OFF_USER, 7);
    memcpy(b + OFF_ID + 7, tmp, 12);
    reseal(b, len);
    expect(b, len, CRED_ERR_TLV);
    /* record missing: body ends after the user */
    len = hand_blob(b);
    len = OFF_REC + 32;
    reseal(b, len);
    expect(b, len, CRED_ERR_TLV);
    /* body ends inside the record TLV header */
    len = hand_blob(b);
    len = OFF_REC + 1 + 32;
    reseal(b, len);
    expect(b, len, CRED_ERR_TLV);
    /* a value runs past the body */
    len = hand_blob(b);
    b[OFF_REC + 1] = 60;
    reseal(b, len);
    expect(b, len, CRED_ERR_TLV);
    /* bytes after the last TLV */
    len = hand_blob(b);
    memmove(b + len - 32 + 1, b + len - 32, 32);
    b[len - 32] = 0;
    len++;
    reseal(b, len);
    expect(b, len, CRED_ERR_TLV);
}

static void test_provision_field_errors(void **state)
{
    uint8_t b[CRED_PROVISION_MAX_LEN + 8];
    size_t len;

    (void)state;
    len = hand_blob(b);
    b[OFF_ID + 2 + 3] = ' ';
    reseal(b, len);
    expect(b, len, CRED_ERR_FIELD);
    len = hand_blob(b);
    b[OFF_ID + 2] = 0x7f;
    reseal(b, len);
    expect(b, len, CRED_ERR_FIELD);
    len = hand_blob(b);
    b[OFF_USER + 2 + 1] = ':';
    reseal(b, len);
    expect(b, len, CRED_ERR_FIELD);
    /* empty device id: TLV 01 00, then the rest moved up */
    len = hand_blob(b);
    memmove(b + OFF_ID + 2, b + OFF_USER, len - OFF_USER);
    b[OFF_ID + 1] = 0;
    len -= 10;
    reseal(b, len);
    expect(b, len, CRED_ERR_FIELD);
    /* record TLV one byte longer than the record it holds */
    len = hand_blob(b);
    memmove(b + len - 32 + 1, b + len - 32, 32);
    b[len - 32] = 0;
    len++;
    b[OFF_REC + 1]++;
    reseal(b, len);
    expect(b, len, CRED_ERR_FIELD);
}

static void test_provision_record_errors_propagate(void **state)
{
    uint8_t b[CRED_PROVISION_MAX_LEN];
    size_t len = hand_blob(b);
    const struct cred_kdf_limits narrow = {30000, 40000};
    struct cred_provision p;

    (void)state;
    b[OFF_REC + 2] = 2; /* record version */
    reseal(b, len);
    expect(b, len, CRED_ERR_VERSION);
    len = hand_blob(b);
    assert_int_equal(cred_provision_parse(&p, b, len, &narrow),
                     CRED_ERR_ITERATIONS);
    b[OFF_REC + 2 + 7] = 8; /* salt length */
    reseal(b, len);
    expect(b, len, CRED_ERR_SALT_LEN);
}

static void test_provision_serialise_errors(void **state)
{
    uint8_t b[CRED_PROVISION_MAX_LEN], out[CRED_PROVISION_MAX_LEN];
    uint8_t untouched[CRED_PROVISION_MAX_LEN];
    struct cred_provision p, bad;
    size_t len = hand_blob(b), cap;

    (void)state;
    assert_int_equal(cred_provision_parse(&p, b, len, &limits), 0);
    memset(untouched, 0x33, sizeof(untouched));
    for (cap = 0; cap < len; cap++) {
        memset(out, 0x33, sizeof(out));
        assert_int_equal(cred_provision_serialise(&p, out, cap),
                         CRED_ERR_NO_SPACE);
        assert_memory_equal(out, untouched, sizeof(out));
    }
    bad = p;
    bad.user[0] = ' ';
    assert_int_equal(cred_provision_serialise(&bad, out, sizeof(out)),
                     CRED_ERR_FIELD);
    bad = p;
    bad.device_id_len = 0;
    assert_int_equal(cred_provision_serialise(&bad, out, sizeof(out)),
                     CRED_ERR_FIELD);
    bad = p;
    bad.user_len = CRED_USER_MAX + 1;
    assert_int_equal(cred_provision_serialise(&bad, out, sizeof(out)),
                     CRED_ERR_FIELD);
    bad = p;
    bad.record.hash_len = 0;
    assert_int_equal(cred_provision_serialise(&bad, out, sizeof(out)),
                     CRED_ERR_HASH_LEN);
    assert_int_equal(cred_provision_serialise(NULL, out, sizeof(out)),
                     CRED_ERR_PARAM);
}

static void test_provision_to_account(void **state)
{
    uint8_t b[CRED_PROVISION_MAX_LEN];
    struct cred_provision p;
    struct cred_account acct;
    size_t len = hand_blob(b);

    (void)state;
    assert_int_equal(cred_provision_parse(&p, b, len, &limits), 0);
    memset(&acct, 0xee, sizeof(acct));
    assert_int_equal(cred_provision_to_account(&p, &acct), 0);
    assert_int_equal(acct.user_len, 5);
    assert_memory_equal(acct.user, "admin", 5);
    assert_memory_equal(&acct.record, &p.record, sizeof(p.record));
    assert_int_equal(acct.lockout.failures, 0);
    assert_int_equal(acct.lockout.lock_ticks, 0);
    assert_int_equal(cred_provision_to_account(NULL, &acct), CRED_ERR_PARAM);
    p.user_len = 0;
    assert_int_equal(cred_provision_to_account(&p, &acct), CRED_ERR_FIELD);
}

static void test_provision_bad_arguments(void **state)
{
    uint8_t b[CRED_PROVISION_MAX_LEN];
    struct cred_provision p;
    const struct cred_kdf_limits bad = {0, 1};
    size_t len = hand_blob(b);

    (void)state;
    assert_int_equal(cred_provision_parse(NULL, b, len, &limits),
                     CRED_ERR_PARAM);
    assert_int_equal(cred_provision_parse(&p, NULL, len, &limits),
                     CRED_ERR_PARAM);
    assert_int_equal(cred_provision_parse(&p, b, len, NULL), CRED_ERR_PARAM);
    assert_int_equal(cred_provision_parse(&p, b, len, &bad), CRED_ERR_PARAM);
    assert_int_equal(cred_provision_parse(&p, NULL, 0, &limits),
                     CRED_ERR_TRUNCATED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_provision_parse_hand_built),
        cmocka_unit_test(test_provision_round_trip),
        cmocka_unit_test(test_provision_maximum_size),
        cmocka_unit_test(test_provision_every_prefix_rejected),
        cmocka_unit_test(test_provision_every_bit_flip_rejected),
        cmocka_unit_test(test_provision_header_errors),
        cmocka_unit_test(test_provision_digest_mismatch),
        cmocka_unit_test(test_provision_tlv_errors),
        cmocka_unit_test(test_provision_field_errors),
        cmocka_unit_test(test_provision_record_errors_propagate),
        cmocka_unit_test(test_provision_serialise_errors),
        cmocka_unit_test(test_provision_to_account),
        cmocka_unit_test(test_provision_bad_arguments),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
