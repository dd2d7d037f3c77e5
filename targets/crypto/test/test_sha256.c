/* SHA-256 known answers (FIPS 180-4 / NIST CSRC examples) and streaming. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "crypto/sha256.h"

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
    uint8_t want[SHA256_DIGEST_LEN];
    uint8_t got[SHA256_DIGEST_LEN];

    unhex(want, sizeof(want), hex);
    sha256((const uint8_t *)msg, len, got);
    assert_memory_equal(got, want, sizeof(want));
}

/* NIST CSRC "SHA256.pdf" example: one-block message "abc". */
static void test_sha256_abc(void **state)
{
    (void)state;
    check_one_shot("abc", 3,
                   "ba7816bf8f01cfea414140de5dae2223"
                   "b00361a396177a9cb410ff61f20015ad");
}

/* SHA-256 of the empty string (NIST CSRC examples / FIPS 180-4 padding). */
static void test_sha256_empty(void **state)
{
    (void)state;
    check_one_shot("", 0,
                   "e3b0c44298fc1c149afbf4c8996fb924"
                   "27ae41e4649b934ca495991b7852b855");
    check_one_shot(NULL, 0,
                   "e3b0c44298fc1c149afbf4c8996fb924"
                   "27ae41e4649b934ca495991b7852b855");
}

static const char msg448[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char dig448[] = "248d6a61d20638b8e5c026930c3e6039"
                             "a33ce45964ff2167f6ecedd419db06c1";

/* NIST CSRC "SHA256.pdf" example: the 448-bit two-block message. */
static void test_sha256_two_block(void **state)
{
    (void)state;
    check_one_shot(msg448, strlen(msg448), dig448);
}

/* NIST example: one million repetitions of 'a', fed in uneven chunks. */
static void test_sha256_million_a(void **state)
{
    static uint8_t buf[1000];
    struct sha256_ctx ctx;
    uint8_t want[SHA256_DIGEST_LEN];
    uint8_t got[SHA256_DIGEST_LEN];
    size_t left = 1000000, chunk = 1;

    (void)state;
    memset(buf, 'a', sizeof(buf));
    unhex(want, sizeof(want),
          "cdc76e5c9914fb9281a1c7e284d73e67"
          "f1809a48a497200e046d39ccc7112cd0");
    sha256_init(&ctx);
    while (left > 0) {
        size_t n = chunk < left ? chunk : left;
        sha256_update(&ctx, buf, n);
        left -= n;
        chunk = chunk % 993 + 7; /* stays within buf */
    }
    sha256_final(&ctx, got);
    assert_memory_equal(got, want, sizeof(want));
}

/* 896-bit message (FIPS 180-2 appendix B.3 style long message). */
static const char msg896[] =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
static const char dig896[] = "cf5b16a778af8380036ce59e7b049237"
                             "0b249b11e8f07a51afac45037afee9d1";

/* Every split point of two multi-block vectors gives the known digest. */
static void test_sha256_streaming_every_split(void **state)
{
    const char *msgs[2] = {msg448, msg896};
    const char *digs[2] = {dig448, dig896};
    uint8_t want[SHA256_DIGEST_LEN];
    uint8_t got[SHA256_DIGEST_LEN];
    struct sha256_ctx ctx;
    size_t m, i, j, len;

    (void)state;
    for (m = 0; m < 2; m++) {
        const uint8_t *p = (const uint8_t *)msgs[m];

        len = strlen(msgs[m]);
        unhex(want, sizeof(want), digs[m]);
        for (i = 0; i <= len; i++) {
            for (j = i; j <= len; j += 13) {
                sha256_init(&ctx);
                sha256_update(&ctx, p, i);
                sha256_update(&ctx, p + i, j - i);
                sha256_update(&ctx, p + j, len - j);
                sha256_final(&ctx, got);
                assert_memory_equal(got, want, sizeof(want));
            }
        }
        sha256_init(&ctx);
        for (i = 0; i < len; i++)
            sha256_update(&ctx, p + i, 1);
        sha256_final(&ctx, got);
        assert_memory_equal(got, want, sizeof(want));
    }
}

/*
 * Padding boundaries (55, 56, 63, 64, 119, 120 bytes of 'a'): digests from
 * an independent implementation (Python hashlib / OpenSSL).
 */
static void test_sha256_padding_boundaries(void **state)
{
    static const struct {
        size_t len;
        const char *hex;
    } v[] = {
        {55,
         "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56,
         "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63,
         "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64,
         "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {119,
         "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120,
         "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
    };
    char buf[120];
    size_t i;

    (void)state;
    memset(buf, 'a', sizeof(buf));
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        check_one_shot(buf, v[i].len, v[i].hex);
}

/* final wipes the context (the header promises it). */
static void test_sha256_final_wipes_context(void **state)
{
    static const uint8_t zero[sizeof(struct sha256_ctx)];
    struct sha256_ctx ctx;
    uint8_t got[SHA256_DIGEST_LEN];

    (void)state;
    sha256_init(&ctx);
    sha256_update(&ctx, (const uint8_t *)"abc", 3);
    sha256_final(&ctx, got);
    assert_memory_equal(&ctx, zero, sizeof(ctx));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_abc),
        cmocka_unit_test(test_sha256_empty),
        cmocka_unit_test(test_sha256_two_block),
        cmocka_unit_test(test_sha256_million_a),
        cmocka_unit_test(test_sha256_streaming_every_split),
        cmocka_unit_test(test_sha256_padding_boundaries),
        cmocka_unit_test(test_sha256_final_wipes_context),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
