/* HMAC-SHA-256 (RFC 4231) and PBKDF2-HMAC-SHA-256 (RFC 7914 section 11). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "crypto/hmac_sha256.h"

static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t i, n = strlen(hex) / 2;
    unsigned int byte;

    assert_int_equal(strlen(hex) % 2, 0);
    assert_true(n <= cap);
    for (i = 0; i < n; i++) {
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &byte), 1);
        out[i] = (uint8_t)byte;
    }
    return n;
}

struct hmac_vector {
    const char *name;
    size_t key_len;
    uint8_t key_byte; /* key is key_len copies of this, or ... */
    const char *key;  /* ... these literal bytes when not NULL */
    const char *data; /* hex */
    const char *mac;  /* hex; may be truncated (test case 5) */
};

/* RFC 4231 section 4, test cases 1-7, HMAC-SHA-256 outputs. */
static const struct hmac_vector rfc4231[] = {
    {"TC1", 20, 0x0b, NULL, "4869205468657265",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    {"TC2", 4, 0, "Jefe",
     "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {"TC3", 20, 0xaa, NULL,
     "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
     "dddddddddddddddddddddddddddddddd",
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
    {"TC4", 25, 0,
     "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d"
     "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19",
     "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
     "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
    {"TC5", 20, 0x0c, NULL, "546573742057697468205472756e636174696f6e",
     "a3b6167473100ee06e0c796c2955552b"},
    {"TC6", 131, 0xaa, NULL,
     "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
     "65204b6579202d2048617368204b6579204669727374",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
    {"TC7", 131, 0xaa, NULL,
     "5468697320697320612074657374207573696e672061206c6172676572207468"
     "616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074"
     "68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
     "647320746f20626520686173686564206265666f7265206265696e6720757365"
     "642062792074686520484d414320616c676f726974686d2e",
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
};

static size_t vector_key(const struct hmac_vector *v, uint8_t *key)
{
    if (v->key != NULL)
        memcpy(key, v->key, v->key_len);
    else
        memset(key, v->key_byte, v->key_len);
    return v->key_len;
}

/* One-shot MAC equals the RFC output (first 128 bits for TC5). */
static void test_hmac_sha256_rfc4231_one_shot(void **state)
{
    uint8_t key[131], data[160], want[32], got[32];
    size_t i, key_len, data_len, mac_len;

    (void)state;
    for (i = 0; i < sizeof(rfc4231) / sizeof(rfc4231[0]); i++) {
        key_len = vector_key(&rfc4231[i], key);
        data_len = unhex(data, sizeof(data), rfc4231[i].data);
        mac_len = unhex(want, sizeof(want), rfc4231[i].mac);
        hmac_sha256(key, key_len, data, data_len, got);
        print_message("%s\n", rfc4231[i].name);
        assert_memory_equal(got, want, mac_len);
    }
}

/* Streaming at every split point equals the RFC output. */
static void test_hmac_sha256_rfc4231_streaming(void **state)
{
    struct hmac_sha256_ctx ctx;
    uint8_t key[131], data[160], want[32], got[32];
    size_t i, split, key_len, data_len, mac_len;

    (void)state;
    for (i = 0; i < sizeof(rfc4231) / sizeof(rfc4231[0]); i++) {
        key_len = vector_key(&rfc4231[i], key);
        data_len = unhex(data, sizeof(data), rfc4231[i].data);
        mac_len = unhex(want, sizeof(want), rfc4231[i].mac);
        for (split = 0; split <= data_len; split++) {
            hmac_sha256_init(&ctx, key, key_len);
            hmac_sha256_update(&ctx, data, split);
            hmac_sha256_update(&ctx, data + split, data_len - split);
            hmac_sha256_final(&ctx, got);
            assert_memory_equal(got, want, mac_len);
        }
    }
}

/* A NULL key of length 0 is the empty key (zero-padded block). */
static void test_hmac_sha256_null_empty_key(void **state)
{
    static const uint8_t zero_key[1] = {0};
    uint8_t a[32], b[32];

    (void)state;
    hmac_sha256(NULL, 0, (const uint8_t *)"x", 1, a);
    /* A one-byte zero key pads to the same block as the empty key. */
    hmac_sha256(zero_key, 1, (const uint8_t *)"x", 1, b);
    assert_memory_equal(a, b, sizeof(a));
    hmac_sha256(zero_key, 0, NULL, 0, b);
    assert_memory_not_equal(a, b, sizeof(a));
}

/* RFC 7914 section 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1. */
static void test_hmac_sha256_pbkdf2_rfc7914_c1(void **state)
{
    uint8_t want[64], got[64];

    (void)state;
    unhex(want, sizeof(want),
          "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
          "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
    assert_int_equal(pbkdf2_hmac_sha256((const uint8_t *)"passwd", 6,
                                        (const uint8_t *)"salt", 4, 1, got,
                                        sizeof(got)),
                     0);
    assert_memory_equal(got, want, sizeof(want));
}

/* RFC 7914 section 11: P="Password", S="NaCl", c=80000, dkLen=64. */
static void test_hmac_sha256_pbkdf2_rfc7914_c80000(void **state)
{
    uint8_t want[64], got[64];

    (void)state;
    unhex(want, sizeof(want),
          "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
          "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
    assert_int_equal(pbkdf2_hmac_sha256((const uint8_t *)"Password", 8,
                                        (const uint8_t *)"NaCl", 4, 80000, got,
                                        sizeof(got)),
                     0);
    assert_memory_equal(got, want, sizeof(want));
}

/* A shorter dkLen is a prefix of the longer output (partial last block). */
static void test_hmac_sha256_pbkdf2_prefix(void **state)
{
    uint8_t full[64], part[45];

    (void)state;
    assert_int_equal(pbkdf2_hmac_sha256((const uint8_t *)"passwd", 6,
                                        (const uint8_t *)"salt", 4, 1, full,
                                        sizeof(full)),
                     0);
    memset(part, 0xee, sizeof(part));
    assert_int_equal(pbkdf2_hmac_sha256((const uint8_t *)"passwd", 6,
                                        (const uint8_t *)"salt", 4, 1, part,
                                        sizeof(part)),
                     0);
    assert_memory_equal(part, full, sizeof(part));
}

static void test_hmac_sha256_pbkdf2_rejects_bad_params(void **state)
{
    uint8_t out[32];

    (void)state;
    memset(out, 0xee, sizeof(out));
    assert_int_equal(pbkdf2_hmac_sha256((const uint8_t *)"p", 1,
                                        (const uint8_t *)"s", 1, 0, out,
                                        sizeof(out)),
                     PBKDF2_ERR_PARAM);
    assert_int_equal(pbkdf2_hmac_sha256((const uint8_t *)"p", 1,
                                        (const uint8_t *)"s", 1, 1, out, 0),
                     PBKDF2_ERR_PARAM);
    assert_int_equal(pbkdf2_hmac_sha256((const uint8_t *)"p", 1,
                                        (const uint8_t *)"s", 1, 1, NULL,
                                        sizeof(out)),
                     PBKDF2_ERR_PARAM);
    /* RFC 8018 5.2 step 1: more than (2^32 - 1) blocks is "derived key
     * too long". Rejected before anything is written, so out can be small. */
#if SIZE_MAX / 32 > 0xffffffffu
    assert_int_equal(pbkdf2_hmac_sha256((const uint8_t *)"p", 1,
                                        (const uint8_t *)"s", 1, 1, out,
                                        (size_t)0xffffffffu * 32 + 1),
                     PBKDF2_ERR_PARAM);
#endif
    /* Nothing written on rejection. */
    assert_int_equal(out[0], 0xee);
    /* NULL password and salt with length 0 are allowed. */
    assert_int_equal(pbkdf2_hmac_sha256(NULL, 0, NULL, 0, 1, out, sizeof(out)),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmac_sha256_rfc4231_one_shot),
        cmocka_unit_test(test_hmac_sha256_rfc4231_streaming),
        cmocka_unit_test(test_hmac_sha256_null_empty_key),
        cmocka_unit_test(test_hmac_sha256_pbkdf2_rfc7914_c1),
        cmocka_unit_test(test_hmac_sha256_pbkdf2_rfc7914_c80000),
        cmocka_unit_test(test_hmac_sha256_pbkdf2_prefix),
        cmocka_unit_test(test_hmac_sha256_pbkdf2_rejects_bad_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
