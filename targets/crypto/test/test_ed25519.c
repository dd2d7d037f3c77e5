/* Ed25519: RFC 8032 section 7.1 vectors, rejection codes, sign/verify. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/ed25519.h"

struct ed_vector {
    const char *name;
    const char *seed;
    const char *pub;
    const char *msg;
    const char *sig;
};

/* RFC 8032 section 7.1: TEST 1, 2, 3, 1024 and SHA(abc). */
static const struct ed_vector rfc8032[] = {
    {"TEST 1",
     "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2",
     "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3",
     "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    {"TEST 1024",
     "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
     "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
     "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
     "fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
     "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
     "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
     "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
     "ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
     "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
     "efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
     "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
     "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
     "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
     "554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
     "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
     "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
     "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
     "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
     "ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
     "c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
     "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
     "42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
     "ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
     "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
     "d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
     "de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
     "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
     "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
     "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
     "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
     "0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
     "369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
     "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
     "0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0",
     "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
     "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
    {"TEST SHA(abc)",
     "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
     "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

#define N_VECTORS (sizeof(rfc8032) / sizeof(rfc8032[0]))

/* Group order L, little-endian (RFC 8032 section 5.1). */
static const uint8_t order_l[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
    0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

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

struct ed_case {
    uint8_t seed[32], pub[32], sig[64];
    uint8_t msg[1024];
    size_t len;
};

static void load(struct ed_case *c, const struct ed_vector *v)
{
    unhex(c->seed, sizeof(c->seed), v->seed);
    unhex(c->pub, sizeof(c->pub), v->pub);
    unhex(c->sig, sizeof(c->sig), v->sig);
    c->len = unhex(c->msg, sizeof(c->msg), v->msg);
}

/* 1 when the little-endian S is at least L. */
static int s_at_least_l(const uint8_t s[32])
{
    int i;

    for (i = 31; i >= 0; i--) {
        if (s[i] != order_l[i])
            return s[i] > order_l[i];
    }
    return 1;
}

static void test_ed25519_rfc8032_public_key(void **state)
{
    struct ed_case c;
    uint8_t pub[32];
    size_t i;

    (void)state;
    for (i = 0; i < N_VECTORS; i++) {
        load(&c, &rfc8032[i]);
        ed25519_public_key(pub, c.seed);
        print_message("%s\n", rfc8032[i].name);
        assert_memory_equal(pub, c.pub, sizeof(pub));
    }
}

static void test_ed25519_rfc8032_sign(void **state)
{
    struct ed_case c;
    uint8_t sig[64];
    size_t i;

    (void)state;
    for (i = 0; i < N_VECTORS; i++) {
        load(&c, &rfc8032[i]);
        ed25519_sign(sig, c.len ? c.msg : NULL, c.len, c.seed, c.pub);
        print_message("%s\n", rfc8032[i].name);
        assert_memory_equal(sig, c.sig, sizeof(sig));
    }
}

static void test_ed25519_rfc8032_verify(void **state)
{
    struct ed_case c;
    size_t i;

    (void)state;
    for (i = 0; i < N_VECTORS; i++) {
        load(&c, &rfc8032[i]);
        assert_int_equal(ed25519_verify(c.sig, c.msg, c.len, c.pub),
                         ED25519_OK);
    }
}

/* Every message bit of the short vectors, a spread of TEST 1024's. */
static void test_ed25519_rejects_flipped_message_bit(void **state)
{
    struct ed_case c;
    size_t i, bit, step;

    (void)state;
    for (i = 0; i < N_VECTORS; i++) {
        load(&c, &rfc8032[i]);
        step = c.len > 64 ? 61 : 1;
        for (bit = 0; bit < 8 * c.len; bit += step) {
            c.msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            assert_int_equal(ed25519_verify(c.sig, c.msg, c.len, c.pub),
                             ED25519_ERR_BAD_SIG);
            c.msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        /* One byte more or less is a different message too. */
        if (c.len > 0)
            assert_int_equal(ed25519_verify(c.sig, c.msg, c.len - 1, c.pub),
                             ED25519_ERR_BAD_SIG);
    }
}

/* Each of the 512 signature bits of TEST 2: BAD_S when S lands at or
 * above L, BAD_SIG otherwise. */
static void test_ed25519_rejects_flipped_signature_bit(void **state)
{
    struct ed_case c;
    size_t bit;
    int want;

    (void)state;
    load(&c, &rfc8032[1]);
    for (bit = 0; bit < 512; bit++) {
        c.sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        want = (bit >= 256 && s_at_least_l(c.sig + 32)) ? ED25519_ERR_BAD_S
                                                        : ED25519_ERR_BAD_SIG;
        assert_int_equal(ed25519_verify(c.sig, c.msg, c.len, c.pub), want);
        c.sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
}

/* (R, S + L) satisfies the group equation but is the malleable twin. */
static void test_ed25519_rejects_s_plus_l(void **state)
{
    struct ed_case c;
    unsigned int sum, carry;
    size_t i, v;

    (void)state;
    for (v = 0; v < N_VECTORS; v++) {
        load(&c, &rfc8032[v]);
        carry = 0;
        for (i = 0; i < 32; i++) {
            sum = c.sig[32 + i] + order_l[i] + carry;
            c.sig[32 + i] = (uint8_t)sum;
            carry = sum >> 8;
        }
        assert_int_equal(carry, 0); /* S < L < 2^253: no overflow */
        assert_int_equal(ed25519_verify(c.sig, c.msg, c.len, c.pub),
                         ED25519_ERR_BAD_S);
    }
    /* S = L exactly and S = 2^256 - 1. */
    memcpy(c.sig + 32, order_l, 32);
    assert_int_equal(ed25519_verify(c.sig, c.msg, c.len, c.pub),
                     ED25519_ERR_BAD_S);
    memset(c.sig + 32, 0xff, 32);
    assert_int_equal(ed25519_verify(c.sig, c.msg, c.len, c.pub),
                     ED25519_ERR_BAD_S);
}

/*
 * Keys that must not decode: y = 2 (no x exists), y = p and y = p + 1
 * (non-canonical), y = 1 with the sign bit (x = 0 cannot be negative),
 * and the eight points of small order (computed with the RFC 8032
 * section 6 reference arithmetic as the torsion subgroup [L]P).
 */
static void test_ed25519_rejects_bad_public_key(void **state)
{
    static const char *const bad_keys[] = {
        "0200000000000000000000000000000000000000000000000000000000000000",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0100000000000000000000000000000000000000000000000000000000000080",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    };
    struct ed_case c;
    uint8_t pub[32];
    size_t i;

    (void)state;
    load(&c, &rfc8032[0]);
    for (i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++) {
        unhex(pub, sizeof(pub), bad_keys[i]);
        print_message("key %zu\n", i);
        assert_int_equal(ed25519_verify(c.sig, c.msg, c.len, pub),
                         ED25519_ERR_BAD_KEY);
    }
    /* A small-order key with an identity R and S = 0 would verify every
     * message under a cofactorless check without the small-order test. */
    memset(c.sig, 0, sizeof(c.sig));
    c.sig[0] = 1;
    unhex(pub, sizeof(pub), bad_keys[4]);
    assert_int_equal(ed25519_verify(c.sig, c.msg, c.len, pub),
                     ED25519_ERR_BAD_KEY);
}

static void test_ed25519_rejects_other_key(void **state)
{
    struct ed_case a, b;

    (void)state;
    load(&a, &rfc8032[1]);
    load(&b, &rfc8032[2]);
    assert_int_equal(ed25519_verify(a.sig, a.msg, a.len, b.pub),
                     ED25519_ERR_BAD_SIG);
}

static void test_ed25519_rejects_null_arguments(void **state)
{
    struct ed_case c;

    (void)state;
    load(&c, &rfc8032[1]);
    assert_int_equal(ed25519_verify(NULL, c.msg, c.len, c.pub),
                     ED25519_ERR_BAD_SIG);
    assert_int_equal(ed25519_verify(c.sig, c.msg, c.len, NULL),
                     ED25519_ERR_BAD_SIG);
    assert_int_equal(ed25519_verify(c.sig, NULL, c.len, c.pub),
                     ED25519_ERR_BAD_SIG);
    load(&c, &rfc8032[0]);
    assert_int_equal(ed25519_verify(c.sig, NULL, 0, c.pub), ED25519_OK);
}

/* The signer re-derives the key: a wrong pub cannot change the output. */
static void test_ed25519_sign_ignores_mismatched_pub(void **state)
{
    struct ed_case a, b;
    uint8_t sig[64];

    (void)state;
    load(&a, &rfc8032[1]);
    load(&b, &rfc8032[2]);
    ed25519_sign(sig, a.msg, a.len, a.seed, b.pub);
    assert_memory_equal(sig, a.sig, sizeof(sig));
}

/* sig and msg may overlap: sign a message held in the sig buffer. */
static void test_ed25519_sign_msg_overlaps_sig(void **state)
{
    struct ed_case c;
    uint8_t buf[64];

    (void)state;
    load(&c, &rfc8032[2]);
    memcpy(buf, c.msg, c.len);
    ed25519_sign(buf, buf, c.len, c.seed, c.pub);
    assert_memory_equal(buf, c.sig, sizeof(buf));
}

static uint64_t rng_state;

static uint8_t rng_byte(void)
{
    /* xorshift64*: reproducible from the printed seed. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint8_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 56);
}

/* Random keys and messages: sign, verify, then one flipped bit fails.
 * Seed from ED25519_TEST_SEED if set, else the clock; always printed. */
static void test_ed25519_random_sign_verify(void **state)
{
    const char *env = getenv("ED25519_TEST_SEED");
    uint8_t seed[32], pub[32], sig[64], msg[200];
    size_t round, i, len, bit;
    int ret;

    (void)state;
    rng_state = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL);
    if (rng_state == 0)
        rng_state = 1;
    print_message("ED25519_TEST_SEED=%llu\n", (unsigned long long)rng_state);
    for (round = 0; round < 32; round++) {
        for (i = 0; i < sizeof(seed); i++)
            seed[i] = rng_byte();
        len = rng_byte() % sizeof(msg);
        for (i = 0; i < len; i++)
            msg[i] = rng_byte();
        ed25519_public_key(pub, seed);
        ed25519_sign(sig, msg, len, seed, pub);
        assert_int_equal(ed25519_verify(sig, msg, len, pub), ED25519_OK);

        bit = ((size_t)rng_byte() << 8 | rng_byte()) % (8 * (64 + len));
        if (bit < 512)
            sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        else
            msg[(bit - 512) / 8] ^= (uint8_t)(1u << (bit % 8));
        ret = ed25519_verify(sig, msg, len, pub);
        assert_true(ret == ED25519_ERR_BAD_SIG || ret == ED25519_ERR_BAD_S);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ed25519_rfc8032_public_key),
        cmocka_unit_test(test_ed25519_rfc8032_sign),
        cmocka_unit_test(test_ed25519_rfc8032_verify),
        cmocka_unit_test(test_ed25519_rejects_flipped_message_bit),
        cmocka_unit_test(test_ed25519_rejects_flipped_signature_bit),
        cmocka_unit_test(test_ed25519_rejects_s_plus_l),
        cmocka_unit_test(test_ed25519_rejects_bad_public_key),
        cmocka_unit_test(test_ed25519_rejects_other_key),
        cmocka_unit_test(test_ed25519_rejects_null_arguments),
        cmocka_unit_test(test_ed25519_sign_ignores_mismatched_pub),
        cmocka_unit_test(test_ed25519_sign_msg_overlaps_sig),
        cmocka_unit_test(test_ed25519_random_sign_verify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
