/* SHA-512 known answers (FIPS 180-4 / NIST CSRC examples) and streaming. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "crypto/sha512.h"

static void unhex(uint8_t *out, size_t out_len, const char *hex)
{
    size_t i;
    unsigned int byte;

    assert_int_equal(strlen(hex), 2 * out_len);
    for (i = 0; i < out_len; i++) {
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &byte), 1);
        out[i] = (uint8_t)byte;
    }
}

static void check_one_shot(const char *msg, size_t len, const char *hex)
{
    uint8_t want[SHA512_DIGEST_LEN];
    uint8_t got[SHA512_DIGEST_LEN];

    unhex(want, sizeof(want), hex);
    sha512((const uint8_t *)msg, len, got);
    assert_memory_equal(got, want, sizeof(want));
}

/* NIST CSRC "SHA512.pdf" example: one-block message "abc". */
static void test_sha512_abc(void **state)
{
    (void)state;
    check_one_shot(
        "abc", 3,
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

/* SHA-512 of the empty string (NIST CSRC examples). */
static void test_sha512_empty(void **state)
{
    (void)state;
    check_one_shot(
        NULL, 0,
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
        "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
}

static const char msg448[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char dig448[] =
    "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
    "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445";

/* The 448-bit message of the NIST SHA-256 example, under SHA-512. */
static void test_sha512_448_bit(void **state)
{
    (void)state;
    check_one_shot(msg448, strlen(msg448), dig448);
}

/* NIST CSRC "SHA512.pdf" example: the 896-bit two-block message. */
static const char msg896[] =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
static const char dig896[] =
    "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
    "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909";

static void test_sha512_two_block(void **state)
{
    (void)state;
    check_one_shot(msg896, strlen(msg896), dig896);
}

/* NIST example: one million repetitions of 'a', fed in uneven chunks. */
static void test_sha512_million_a(void **state)
{
    static uint8_t buf[1000];
    struct sha512_ctx ctx;
    uint8_t want[SHA512_DIGEST_LEN];
    uint8_t got[SHA512_DIGEST_LEN];
    size_t left = 1000000, chunk = 1;

    (void)state;
    memset(buf, 'a', sizeof(buf));
    unhex(want, sizeof(want),
          "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
          "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
    sha512_init(&ctx);
    while (left > 0) {
        size_t n = chunk < left ? chunk : left;
        sha512_update(&ctx, buf, n);
        left -= n;
        chunk = chunk % 993 + 7; /* stays within buf */
    }
    sha512_final(&ctx, got);
    assert_memory_equal(got, want, sizeof(want));
}

/* Every split point of both multi-block vectors gives the known digest. */
static void test_sha512_streaming_every_split(void **state)
{
    const char *msgs[2] = {msg448, msg896};
    const char *digs[2] = {dig448, dig896};
    uint8_t want[SHA512_DIGEST_LEN];
    uint8_t got[SHA512_DIGEST_LEN];
    struct sha512_ctx ctx;
    size_t m, i, j, len;

    (void)state;
    for (m = 0; m < 2; m++) {
        const uint8_t *p = (const uint8_t *)msgs[m];

        len = strlen(msgs[m]);
        unhex(want, sizeof(want), digs[m]);
        for (i = 0; i <= len; i++) {
            for (j = i; j <= len; j += 13) {
                sha512_init(&ctx);
                sha512_update(&ctx, p, i);
                sha512_update(&ctx, p + i, j - i);
                sha512_update(&ctx, p + j, len - j);
                sha512_final(&ctx, got);
                assert_memory_equal(got, want, sizeof(want));
            }
        }
        sha512_init(&ctx);
        for (i = 0; i < len; i++)
            sha512_update(&ctx, p + i, 1);
        sha512_final(&ctx, got);
        assert_memory_equal(got, want, sizeof(want));
    }
}

/*
 * Padding boundaries (111, 112, 127, 128 and 239 bytes of 'a' put the
 * length field at the block edges): digests from an independent implementation
 * (Python hashlib / OpenSSL).
 */
static void test_sha512_padding_boundaries(void **state)
{
    static const struct {
        size_t len;
        const char *hex;
    } v[] = {
        {111,
         "fa9121c7b32b9e01733d034cfc78cbf67f926c7ed83e82200ef86818196921760b4be"
         "ff48404df811b953828274461673c68d04e297b0eb7b2b4d60fc6b566a2"},
        {112,
         "c01d080efd492776a1c43bd23dd99d0a2e626d481e16782e75d54c2503b5dc32bd05f"
         "0f1ba33e568b88fd2d970929b719ecbb152f58f130a407c8830604b70ca"},
        {127,
         "828613968b501dc00a97e08c73b118aa8876c26b8aac93df128502ab360f91bab50a5"
         "1e088769a5c1eff4782ace147dce3642554199876374291f5d921629502"},
        {128,
         "b73d1929aa615934e61a871596b3f3b33359f42b8175602e89f7e06e5f658a2436678"
         "07ed300314b95cacdd579f3e33abdfbe351909519a846d465c59582f321"},
        {239,
         "52c853cb8d907f3d4d6b889beb027985d7c273486d75f8baf26f80d24e90c74c6c3de"
         "3e22131582380a7d14d43f2941a31385439cd6ddc469f628015e50bf286"},
    };
    char buf[240];
    size_t i;

    (void)state;
    memset(buf, 'a', sizeof(buf));
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        check_one_shot(buf, v[i].len, v[i].hex);
}

static void test_sha512_final_wipes_context(void **state)
{
    static const uint8_t zero[sizeof(struct sha512_ctx)];
    struct sha512_ctx ctx;
    uint8_t got[SHA512_DIGEST_LEN];

    (void)state;
    sha512_init(&ctx);
    sha512_update(&ctx, (const uint8_t *)"abc", 3);
    sha512_final(&ctx, got);
    assert_memory_equal(&ctx, zero, sizeof(ctx));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha512_abc),
        cmocka_unit_test(test_sha512_empty),
        cmocka_unit_test(test_sha512_448_bit),
        cmocka_unit_test(test_sha512_two_block),
        cmocka_unit_test(test_sha512_million_a),
        cmocka_unit_test(test_sha512_streaming_every_split),
        cmocka_unit_test(test_sha512_padding_boundaries),
        cmocka_unit_test(test_sha512_final_wipes_context),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
