/* Unit tests: bootv_verify_image, one test per rule of docs/image-format.md. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "bootv_test_util.h"
#include "crypto/sha256.h"

/* Layout of the default image of bt_params (header 32, body 256). */
#define OFF_PROT    (BOOTV_HEADER_LEN + BT_BODY_LEN) /* 288 */
#define OFF_HW_ID   (OFF_PROT + 8)                   /* HW_ID value */
#define OFF_UNPROT  (OFF_PROT + 24)                  /* 312 */
#define OFF_SHA     (OFF_UNPROT + 8)                 /* SHA256 value */
#define OFF_KEYH    (OFF_SHA + 36)                   /* KEY_HASH value */
#define OFF_SIG     (OFF_KEYH + 36)                  /* ED25519 value */
#define DEFAULT_LEN (OFF_SIG + 64)                   /* 456 */

static uint8_t img[BT_MAX_IMAGE];
static uint8_t big_body[65536];

/* Device with the TEST hw id; stage with TEST keys 0 and 1, counter 5. */
static int verify(const uint8_t *buf, size_t len, struct bootv_image_info *info)
{
    struct bootv_device dev;
    struct bootv_stage st;

    bt_device(&dev);
    bt_stage(&st, 0, 2, 5);
    return bt_verify(buf, len, &st, &dev, info);
}

static size_t build_default(void)
{
    struct bootv_build_params p;

    bt_params(&p, 0);
    return bt_build(&p, img);
}

static int setup(void **state)
{
    (void)state;
    bt_init();
    return 0;
}

static void test_bootv_image_accepts_valid(void **state)
{
    struct bootv_image_info info;
    size_t len = build_default();

    (void)state;
    assert_int_equal(len, DEFAULT_LEN);
    assert_int_equal(verify(img, len, &info), BOOTV_OK);
    assert_int_equal(info.hdr.header_size, BOOTV_HEADER_LEN);
    assert_int_equal(info.hdr.image_size, BT_BODY_LEN);
    assert_int_equal(info.hdr.load_addr, 0x08004000u);
    assert_int_equal(info.hdr.version.major, 1);
    assert_int_equal(info.hdr.version.minor, 2);
    assert_int_equal(info.hdr.version.patch, 3);
    assert_int_equal(info.hdr.version.build, 4);
    assert_int_equal(info.hdr.security_counter, 7);
    assert_int_equal(info.hdr.flags, 0);
    assert_ptr_equal(info.body, img + BOOTV_HEADER_LEN);
    assert_memory_equal(info.body, bt_body, BT_BODY_LEN);
    assert_int_equal(info.key_index, 0);
    assert_null(info.next_keys);
    assert_int_equal(info.next_key_count, 0);
}

static void test_bootv_image_accepts_second_provisioned_key(void **state)
{
    struct bootv_build_params p;
    struct bootv_image_info info;
    size_t len;

    (void)state;
    bt_params(&p, 1);
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, &info), BOOTV_OK);
    assert_int_equal(info.key_index, 1);
}

static void test_bootv_image_accepts_empty_body(void **state)
{
    struct bootv_build_params p;
    struct bootv_image_info info;
    size_t len;

    (void)state;
    bt_params(&p, 0);
    p.body = NULL;
    p.body_len = 0;
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, &info), BOOTV_OK);
    assert_int_equal(info.hdr.image_size, 0);
    assert_ptr_equal(info.body, img + BOOTV_HEADER_LEN);
}

static void test_bootv_image_accepts_64k_body(void **state)
{
    struct bootv_build_params p;
    struct bootv_image_info info;
    size_t len, i;

    (void)state;
    for (i = 0; i < sizeof(big_body); i++)
        big_body[i] = (uint8_t)(i ^ (i >> 8));
    bt_params(&p, 0);
    p.body = big_body;
    p.body_len = sizeof(big_body);
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, &info), BOOTV_OK);
    assert_int_equal(info.hdr.image_size, sizeof(big_body));
    img[BOOTV_HEADER_LEN + 40000] ^= 0x10;
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_HASH);
}

static void test_bootv_image_accepts_padded_header(void **state)
{
    static const uint16_t sizes[] = {36, 64, 512, BOOTV_HEADER_MAX};
    struct bootv_build_params p;
    struct bootv_image_info info;
    size_t len, i;

    (void)state;
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        bt_params(&p, 0);
        p.header_size = sizes[i];
        len = bt_build(&p, img);
        assert_int_equal(verify(img, len, &info), BOOTV_OK);
        assert_int_equal(info.hdr.header_size, sizes[i]);
        assert_ptr_equal(info.body, img + sizes[i]);
    }
}

static void test_bootv_image_accepts_loader_with_next_keys(void **state)
{
    uint8_t next[BOOTV_MAX_NEXT_KEYS][BOOTV_HASH_LEN];
    struct bootv_build_params p;
    struct bootv_image_info info;
    size_t len, n, k;

    (void)state;
    for (k = 0; k < BOOTV_MAX_NEXT_KEYS; k++)
        memcpy(next[k], bt_signer[2 + k].key_hash, BOOTV_HASH_LEN);
    for (n = 1; n <= BOOTV_MAX_NEXT_KEYS; n++) {
        bt_params(&p, 0);
        p.flags = BOOTV_FLAG_LOADER;
        p.next_keys = next[0];
        p.next_key_count = n;
        len = bt_build(&p, img);
        assert_int_equal(verify(img, len, &info), BOOTV_OK);
        assert_int_equal(info.next_key_count, n);
        /* Into the image (after HW_ID), not the verifier's copy. */
        assert_ptr_equal(info.next_keys, img + OFF_PROT + 28);
        assert_memory_equal(info.next_keys, next, n * BOOTV_HASH_LEN);
    }
}

static void test_bootv_image_ignores_unknown_noncritical_tlvs(void **state)
{
    /* type 0x0100 with 3 bytes; type 0x7FFF empty; type 0x0101 4 bytes */
    static const uint8_t prot[] = {0x00, 0x01, 3,    0, 'a', 'b',
                                   'c',  0xFF, 0x7F, 0, 0};
    static const uint8_t unprot[] = {0x01, 0x01, 4, 0, 1, 2, 3, 4};
    struct bootv_build_params p;
    size_t len;

    (void)state;
    bt_params(&p, 0);
    p.extra_prot = prot;
    p.extra_prot_len = sizeof(prot);
    p.extra_unprot = unprot;
    p.extra_unprot_len = sizeof(unprot);
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_OK);
    /* A protected one is covered by the hash ... */
    img[len - sizeof(unprot) - 144 - 5] ^= 1; /* 'c' */
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_HASH);
    img[len - sizeof(unprot) - 144 - 5] ^= 1;
    /* ... an unprotected one is not, and is ignored. */
    img[len - 1] ^= 0xFF;
    assert_int_equal(verify(img, len, NULL), BOOTV_OK);
}

/* Unknown non-critical entries that make count TLVs in all. */
static size_t unknown_tlvs(uint8_t *out, size_t count, uint16_t first_type)
{
    size_t i;

    for (i = 0; i < count; i++) {
        bt_put16(out + 4 * i, (uint16_t)(first_type + i));
        bt_put16(out + 4 * i + 2, 0);
    }
    return 4 * count;
}

static void test_bootv_image_accepts_max_tlv_count(void **state)
{
    uint8_t extra[4 * BOOTV_MAX_TLVS];
    struct bootv_build_params p;
    size_t len;

    (void)state;
    bt_params(&p, 0);
    p.extra_unprot = extra;
    /* 4 standard TLVs plus 12 unknown ones. */
    p.extra_unprot_len = unknown_tlvs(extra, BOOTV_MAX_TLVS - 4, 0x0200);
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_OK);
}

static void test_bootv_image_rejects_too_many_tlvs(void **state)
{
    uint8_t extra[4 * BOOTV_MAX_TLVS];
    struct bootv_build_params p;
    size_t len;

    (void)state;
    bt_params(&p, 0);
    p.extra_unprot = extra;
    p.extra_unprot_len = unknown_tlvs(extra, BOOTV_MAX_TLVS - 3, 0x0200);
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_COUNT);
}

/*
 * Header and TLV areas are copied to BOOTV_META_MAX bytes: a 1024-byte
 * header, the standard TLVs (24 + 144 bytes) and one unknown TLV fill it
 * exactly; one byte more is BOOTV_ERR_TOO_LARGE, in either area.
 */
static void test_bootv_image_bounds_header_and_tlvs(void **state)
{
    static uint8_t extra[BOOTV_META_MAX];
    size_t fill = BOOTV_META_MAX - BOOTV_HEADER_MAX - 24 - 144 - 4;
    struct bootv_build_params p;
    size_t len, vlen;
    int prot;

    (void)state;
    memset(extra, 0x11, sizeof(extra));
    bt_put16(extra, 0x0200);
    for (prot = 0; prot < 2; prot++) {
        for (vlen = fill; vlen <= fill + 1; vlen++) {
            bt_put16(extra + 2, (uint16_t)vlen);
            bt_params(&p, 0);
            p.header_size = BOOTV_HEADER_MAX;
            if (prot) {
                p.extra_prot = extra;
                p.extra_prot_len = 4 + vlen;
            } else {
                p.extra_unprot = extra;
                p.extra_unprot_len = 4 + vlen;
            }
            len = bt_build(&p, img);
            assert_int_equal(verify(img, len, NULL),
                             vlen == fill ? BOOTV_OK : BOOTV_ERR_TOO_LARGE);
        }
    }
    /* An area too long for the copy and for the image: truncated first. */
    len = build_default();
    bt_put16(img + OFF_UNPROT + 2, 0xFFFF);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TRUNCATED);
}

static void test_bootv_image_rejects_null_arguments(void **state)
{
    struct bootv_device dev;
    struct bootv_stage st;
    uint32_t verdict = BOOTV_ACCEPT;
    size_t len = build_default();

    (void)state;
    bt_device(&dev);
    bt_stage(&st, 0, 2, 0);
    assert_int_equal(bootv_verify_image(img, len, &st, &dev, NULL, NULL),
                     BOOTV_ERR_PARAM);
    assert_int_equal(bootv_verify_image(NULL, len, &st, &dev, &verdict, NULL),
                     BOOTV_ERR_PARAM);
    assert_int_equal(verdict, BOOTV_REJECT);
    assert_int_equal(bt_verify(img, len, NULL, &dev, NULL), BOOTV_ERR_PARAM);
    assert_int_equal(bt_verify(img, len, &st, NULL, NULL), BOOTV_ERR_PARAM);
    st.key_count = 0;
    assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_ERR_PARAM);
    st.key_count = 2;
    st.keys = NULL;
    assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_ERR_PARAM);
    /* And a valid call still works with info NULL. */
    bt_stage(&st, 0, 2, 0);
    verdict = 0;
    assert_int_equal(bootv_verify_image(img, len, &st, &dev, &verdict, NULL),
                     BOOTV_OK);
    assert_int_equal(verdict, BOOTV_ACCEPT);
}

static void test_bootv_image_rejects_every_truncation(void **state)
{
    uint8_t next[BOOTV_HASH_LEN];
    struct bootv_build_params p;
    size_t len, cut, round;

    (void)state;
    memcpy(next, bt_signer[2].key_hash, sizeof(next));
    for (round = 0; round < 2; round++) {
        bt_params(&p, 0);
        if (round == 1) {
            p.header_size = 64;
            p.flags = BOOTV_FLAG_LOADER;
            p.next_keys = next;
            p.next_key_count = 1;
        }
        len = bt_build(&p, img);
        for (cut = 0; cut < len; cut++)
            assert_int_equal(verify(img, cut, NULL), BOOTV_ERR_TRUNCATED);
    }
}

static void test_bootv_image_rejects_trailing_bytes(void **state)
{
    size_t len = build_default();

    (void)state;
    img[len] = 0;
    assert_int_equal(verify(img, len + 1, NULL), BOOTV_ERR_TRAILING);
    memset(img + len, 0xFF, 64);
    assert_int_equal(verify(img, len + 64, NULL), BOOTV_ERR_TRAILING);
}

static void test_bootv_image_rejects_bad_magic(void **state)
{
    size_t len = build_default(), bit;

    (void)state;
    for (bit = 0; bit < 32; bit++) {
        img[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_BAD_MAGIC);
        img[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
}

/* bootv_image_length: where the image in a larger slot ends. */
static void test_bootv_image_length_finds_end_in_slot(void **state)
{
    size_t len = build_default(), got = 1, cut;

    (void)state;
    memset(img + len, 0xFF, 4096); /* erased flash after the image */
    assert_int_equal(bootv_image_length(img, len + 4096, &got), BOOTV_OK);
    assert_int_equal(got, len);
    assert_int_equal(bootv_image_length(img, len, &got), BOOTV_OK);
    assert_int_equal(got, len);
    for (cut = 0; cut < len; cut++) {
        got = 1;
        assert_int_equal(bootv_image_length(img, cut, &got),
                         BOOTV_ERR_TRUNCATED);
        assert_int_equal(got, 0);
    }
}

static void test_bootv_image_length_rejects_bad_input(void **state)
{
    size_t len = build_default(), got = 1;

    (void)state;
    assert_int_equal(bootv_image_length(img, len, NULL), BOOTV_ERR_PARAM);
    assert_int_equal(bootv_image_length(NULL, len, &got), BOOTV_ERR_PARAM);
    assert_int_equal(got, 0);
    img[OFF_PROT + 2] = 3; /* protected area shorter than its own header */
    img[OFF_PROT + 3] = 0;
    assert_int_equal(bootv_image_length(img, len, &got), BOOTV_ERR_TLV_AREA);
    memset(img, 0xFF, len); /* erased slot */
    assert_int_equal(bootv_image_length(img, len, &got), BOOTV_ERR_BAD_MAGIC);
    assert_int_equal(got, 0);
}

static void test_bootv_image_rejects_bad_header_size(void **state)
{
    static const uint16_t bad[] = {0,  4,    28,   31,     33,     34,
                                   35, 1025, 1028, 0x8000, 0xFFFC, 0xFFFF};
    size_t len = build_default(), i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        bt_put16(img + BOOTV_OFF_HEADER_SIZE, bad[i]);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_HEADER_SIZE);
    }
    /* In range but longer than the whole image. */
    bt_put16(img + BOOTV_OFF_HEADER_SIZE, BOOTV_HEADER_MAX);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TRUNCATED);
    /* In range, but the "padding" is body bytes, which are not zero. */
    bt_put16(img + BOOTV_OFF_HEADER_SIZE, 36);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_RESERVED);
}

static void test_bootv_image_rejects_nonzero_reserved(void **state)
{
    struct bootv_build_params p;
    size_t len = build_default(), bit, i;

    (void)state;
    for (bit = 0; bit < 16; bit++) {
        img[BOOTV_OFF_RESERVED + bit / 8] ^= (uint8_t)(1u << (bit % 8));
        bt_resign(img, len, 0);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_RESERVED);
        img[BOOTV_OFF_RESERVED + bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    bt_params(&p, 0);
    p.header_size = 64;
    len = bt_build(&p, img);
    for (i = BOOTV_HEADER_LEN; i < 64; i++) {
        img[i] = 0x80;
        bt_resign(img, len, 0);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_RESERVED);
        img[i] = 0;
    }
    bt_resign(img, len, 0);
    assert_int_equal(verify(img, len, NULL), BOOTV_OK);
}

static void test_bootv_image_rejects_unknown_flags(void **state)
{
    struct bootv_build_params p;
    size_t len, bit;

    (void)state;
    for (bit = 2; bit < 32; bit++) {
        bt_params(&p, 0);
        p.flags = 1u << bit;
        len = bt_build(&p, img);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_FLAGS);
    }
}

static void test_bootv_image_rejects_image_size_past_end(void **state)
{
    /* 0xFFFFFFE0 + header_size 32 wraps to 0 in 32-bit arithmetic. */
    static const uint32_t huge[] = {DEFAULT_LEN - BOOTV_HEADER_LEN + 1,
                                    0x7FFFFFFFu, 0xFFFFFFE0u, 0xFFFFFFFFu};
    size_t len = build_default(), i;

    (void)state;
    for (i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
        bt_put32(img + BOOTV_OFF_IMAGE_SIZE, huge[i]);
        bt_put32(img + BOOTV_OFF_LOAD_ADDR, 0);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TRUNCATED);
    }
    /* Inside the image but off by one: the area magic is not found. */
    bt_put32(img + BOOTV_OFF_IMAGE_SIZE, BT_BODY_LEN + 1);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_AREA);
    bt_put32(img + BOOTV_OFF_IMAGE_SIZE, BT_BODY_LEN - 1);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_AREA);
}

static void test_bootv_image_rejects_load_address_wrap(void **state)
{
    struct bootv_build_params p;
    size_t len;

    (void)state;
    bt_params(&p, 0);
    p.load_addr = 0xFFFFFFFFu - BT_BODY_LEN; /* last byte at 0xFFFFFFFE */
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_OK);
    p.load_addr++; /* would end exactly at 2^32 */
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_LOAD_ADDR);
    p.load_addr = 0xFFFFFFFFu;
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_LOAD_ADDR);
    p.body = NULL;
    p.body_len = 0;
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_OK);
}

static void test_bootv_image_rejects_bad_area_magic(void **state)
{
    size_t len = build_default(), bit;

    (void)state;
    for (bit = 0; bit < 16; bit++) {
        img[OFF_PROT + bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_AREA);
        img[OFF_PROT + bit / 8] ^= (uint8_t)(1u << (bit % 8));
        img[OFF_UNPROT + bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_AREA);
        img[OFF_UNPROT + bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    /* Areas in the wrong order. */
    bt_put16(img + OFF_PROT, BOOTV_UNPROT_MAGIC);
    bt_put16(img + OFF_UNPROT, BOOTV_PROT_MAGIC);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_AREA);
}

static void test_bootv_image_rejects_bad_area_length(void **state)
{
    size_t len = build_default();
    uint16_t total;

    (void)state;
    for (total = 0; total < BOOTV_TLV_AREA_HDR_LEN; total++) {
        bt_put16(img + OFF_PROT + 2, total);
        bt_resign(img, len, 0);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_AREA);
    }
    bt_put16(img + OFF_PROT + 2, 24);
    for (total = 0; total < BOOTV_TLV_AREA_HDR_LEN; total++) {
        bt_put16(img + OFF_UNPROT + 2, total);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_AREA);
    }
    /* Longer than what is left of the image. */
    bt_put16(img + OFF_UNPROT + 2, (uint16_t)(DEFAULT_LEN - OFF_UNPROT + 1));
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TRUNCATED);
    bt_put16(img + OFF_UNPROT + 2, 0xFFFF);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TRUNCATED);
    /* Shorter: the rest is trailing data (cut inside an entry first). */
    bt_put16(img + OFF_UNPROT + 2, DEFAULT_LEN - OFF_UNPROT - 64);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_BOUNDS);
    bt_put16(img + OFF_UNPROT + 2, DEFAULT_LEN - OFF_UNPROT - 68);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TRAILING);
    bt_put16(img + OFF_UNPROT + 2, DEFAULT_LEN - OFF_UNPROT);
    assert_int_equal(verify(img, len, NULL), BOOTV_OK);
}

static void test_bootv_image_rejects_tlv_past_area(void **state)
{
    static const uint8_t huge[] = {0x00, 0x01, 0xFF, 0xFF}; /* len 65535 */
    static const uint8_t one[] = {0x00, 0x01, 0x01, 0x00};  /* len 1, none */
    static const uint8_t half[] = {0x00, 0x01};             /* half header */
    static const uint8_t three[] = {0x00, 0x01, 0x00};      /* 3 bytes */
    static const uint8_t *const cases[] = {huge, one, half, three};
    static const size_t lens[] = {sizeof(huge), sizeof(one), sizeof(half),
                                  sizeof(three)};
    struct bootv_build_params p;
    size_t len, i;

    (void)state;
    for (i = 0; i < 4; i++) {
        bt_params(&p, 0);
        p.extra_unprot = cases[i];
        p.extra_unprot_len = lens[i];
        len = bt_build(&p, img);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_BOUNDS);
        bt_params(&p, 0);
        p.extra_prot = cases[i];
        p.extra_prot_len = lens[i];
        len = bt_build(&p, img);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_BOUNDS);
    }
    /* A known TLV whose length runs one byte past the area end. */
    len = build_default();
    bt_put16(img + OFF_SIG - 2, BOOTV_SIG_LEN + 1);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_BOUNDS);
}

/* An image whose TLV of type (left out of the standard set by omit) is
 * given by hand with vlen value bytes, in the protected area or not. */
static size_t build_custom_tlv(unsigned omit, uint16_t type, size_t vlen,
                               int prot, uint32_t flags)
{
    uint8_t extra[4 + 256];
    struct bootv_build_params p;

    assert_true(vlen <= 256);
    bt_put16(extra, type);
    bt_put16(extra + 2, (uint16_t)vlen);
    memset(extra + 4, 0x11, vlen);
    bt_params(&p, 0);
    p.omit = omit;
    p.flags = flags;
    if (prot) {
        p.extra_prot = extra;
        p.extra_prot_len = 4 + vlen;
    } else {
        p.extra_unprot = extra;
        p.extra_unprot_len = 4 + vlen;
    }
    return bt_build(&p, img);
}

static void test_bootv_image_rejects_wrong_tlv_length(void **state)
{
    static const size_t hw[] = {0, 15, 17, 32};
    static const size_t next[] = {0, 1, 31, 33, 64 + 16, 5 * 32};
    static const size_t hash[] = {0, 31, 33, 64};
    static const size_t sig[] = {0, 32, 63, 65, 128};
    size_t len, i;

    (void)state;
    for (i = 0; i < sizeof(hw) / sizeof(hw[0]); i++) {
        len = build_custom_tlv(BOOTV_BUILD_OMIT_HW_ID, BOOTV_TLV_HW_ID, hw[i],
                               1, 0);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_LEN);
    }
    for (i = 0; i < sizeof(next) / sizeof(next[0]); i++) {
        len = build_custom_tlv(0, BOOTV_TLV_NEXT_KEYS, next[i], 1,
                               BOOTV_FLAG_LOADER);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_LEN);
    }
    for (i = 0; i < sizeof(hash) / sizeof(hash[0]); i++) {
        len = build_custom_tlv(BOOTV_BUILD_OMIT_SHA256, BOOTV_TLV_SHA256,
                               hash[i], 0, 0);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_LEN);
        len = build_custom_tlv(BOOTV_BUILD_OMIT_KEY_HASH, BOOTV_TLV_KEY_HASH,
                               hash[i], 0, 0);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_LEN);
    }
    for (i = 0; i < sizeof(sig) / sizeof(sig[0]); i++) {
        len = build_custom_tlv(BOOTV_BUILD_OMIT_SIG, BOOTV_TLV_ED25519, sig[i],
                               0, 0);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_LEN);
    }
}

static void test_bootv_image_rejects_misplaced_tlv(void **state)
{
    size_t len;

    (void)state;
    len = build_custom_tlv(BOOTV_BUILD_OMIT_HW_ID, BOOTV_TLV_HW_ID,
                           BOOTV_HW_ID_LEN, 0, 0);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_PLACEMENT);
    len = build_custom_tlv(0, BOOTV_TLV_NEXT_KEYS, BOOTV_HASH_LEN, 0,
                           BOOTV_FLAG_LOADER);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_PLACEMENT);
    len = build_custom_tlv(BOOTV_BUILD_OMIT_SHA256, BOOTV_TLV_SHA256,
                           BOOTV_HASH_LEN, 1, 0);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_PLACEMENT);
    len = build_custom_tlv(BOOTV_BUILD_OMIT_KEY_HASH, BOOTV_TLV_KEY_HASH,
                           BOOTV_HASH_LEN, 1, 0);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_PLACEMENT);
    len = build_custom_tlv(BOOTV_BUILD_OMIT_SIG, BOOTV_TLV_ED25519,
                           BOOTV_SIG_LEN, 1, 0);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_TLV_PLACEMENT);
}

static void test_bootv_image_rejects_duplicate_tlv(void **state)
{
    static const struct {
        uint16_t type;
        size_t len;
        int prot;
    } dup[] = {
        {BOOTV_TLV_HW_ID, BOOTV_HW_ID_LEN, 1},
        {BOOTV_TLV_SHA256, BOOTV_HASH_LEN, 0},
        {BOOTV_TLV_KEY_HASH, BOOTV_HASH_LEN, 0},
        {BOOTV_TLV_ED25519, BOOTV_SIG_LEN, 0},
        /* A second copy in the other area is a duplicate too (the
         * protected area is read first). */
        {BOOTV_TLV_HW_ID, BOOTV_HW_ID_LEN, 0},
    };
    static const uint8_t twice[] = {0x00, 0x01, 0, 0, 0x00, 0x01, 1, 0, 9};
    static const uint8_t once[] = {0x00, 0x01, 0, 0};
    uint8_t next2[4 + BOOTV_HASH_LEN];
    struct bootv_build_params p;
    size_t len, i;

    (void)state;
    for (i = 0; i < sizeof(dup) / sizeof(dup[0]); i++) {
        len = build_custom_tlv(0, dup[i].type, dup[i].len, dup[i].prot, 0);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_DUPLICATE_TLV);
    }
    /* NEXT_KEYS twice, both well formed. */
    bt_put16(next2, BOOTV_TLV_NEXT_KEYS);
    bt_put16(next2 + 2, BOOTV_HASH_LEN);
    memcpy(next2 + 4, bt_signer[3].key_hash, BOOTV_HASH_LEN);
    bt_params(&p, 0);
    p.flags = BOOTV_FLAG_LOADER;
    p.next_keys = bt_signer[2].key_hash;
    p.next_key_count = 1;
    p.extra_prot = next2;
    p.extra_prot_len = sizeof(next2);
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_DUPLICATE_TLV);
    /* Unknown non-critical types: twice in one area, once in each. */
    bt_params(&p, 0);
    p.extra_unprot = twice;
    p.extra_unprot_len = sizeof(twice);
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_DUPLICATE_TLV);
    bt_params(&p, 0);
    p.extra_prot = once;
    p.extra_prot_len = sizeof(once);
    p.extra_unprot = once;
    p.extra_unprot_len = sizeof(once);
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_DUPLICATE_TLV);
}

static void test_bootv_image_rejects_unknown_critical_tlv(void **state)
{
    static const uint16_t types[] = {0x8000, 0x8003, 0x9000, 0xFFFF};
    size_t len, i;

    (void)state;
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        len = build_custom_tlv(0, types[i], 5, 1, 0);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_UNKNOWN_TLV);
        len = build_custom_tlv(0, types[i], 0, 0, 0);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_UNKNOWN_TLV);
    }
}

static void test_bootv_image_rejects_missing_tlv(void **state)
{
    static const unsigned omit[] = {
        BOOTV_BUILD_OMIT_HW_ID, BOOTV_BUILD_OMIT_SHA256,
        BOOTV_BUILD_OMIT_KEY_HASH, BOOTV_BUILD_OMIT_SIG,
        BOOTV_BUILD_OMIT_HW_ID | BOOTV_BUILD_OMIT_SHA256 |
            BOOTV_BUILD_OMIT_KEY_HASH | BOOTV_BUILD_OMIT_SIG};
    uint8_t next[BOOTV_HASH_LEN];
    struct bootv_build_params p;
    size_t len, i;

    (void)state;
    for (i = 0; i < sizeof(omit) / sizeof(omit[0]); i++) {
        bt_params(&p, 0);
        p.omit = omit[i];
        len = bt_build(&p, img);
        assert_int_equal(verify(img, len, NULL), BOOTV_ERR_MISSING_TLV);
    }
    /* A loader must say which keys its next stage may use ... */
    bt_params(&p, 0);
    p.flags = BOOTV_FLAG_LOADER;
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_MISSING_TLV);
    /* ... and only a loader may. */
    memcpy(next, bt_signer[2].key_hash, sizeof(next));
    bt_params(&p, 0);
    p.next_keys = next;
    p.next_key_count = 1;
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_UNEXPECTED_TLV);
}

/* No single flipped bit anywhere in a signed image is accepted, and the
 * code says which part it hit. */
static void test_bootv_image_rejects_every_bit_flip(void **state)
{
    size_t len = build_default(), i, bit;
    int rc;

    (void)state;
    for (i = 0; i < len; i++) {
        for (bit = 0; bit < 8; bit++) {
            img[i] ^= (uint8_t)(1u << bit);
            rc = verify(img, len, NULL);
            assert_true(rc < 0);
            if (i >= BOOTV_HEADER_LEN && i < OFF_PROT)
                assert_int_equal(rc, BOOTV_ERR_HASH); /* body */
            if (i >= OFF_HW_ID && i < OFF_HW_ID + BOOTV_HW_ID_LEN)
                assert_int_equal(rc, BOOTV_ERR_HASH); /* protected TLV */
            if (i >= OFF_SHA && i < OFF_SHA + BOOTV_HASH_LEN)
                assert_int_equal(rc, BOOTV_ERR_HASH);
            if (i >= OFF_KEYH && i < OFF_KEYH + BOOTV_HASH_LEN)
                assert_int_equal(rc, BOOTV_ERR_UNKNOWN_KEY);
            if (i >= OFF_SIG)
                assert_int_equal(rc, BOOTV_ERR_SIGNATURE);
            img[i] ^= (uint8_t)(1u << bit);
        }
    }
    assert_int_equal(verify(img, len, NULL), BOOTV_OK);
}

/* Header fields edited and re-signed: each reaches its own rule. */
static void test_bootv_image_checks_resigned_header_fields(void **state)
{
    struct bootv_image_info info;
    size_t len = build_default();

    (void)state;
    bt_put32(img + BOOTV_OFF_LOAD_ADDR, 0x20000000u);
    img[BOOTV_OFF_VER_MAJOR] = 9;
    img[BOOTV_OFF_VER_MINOR] = 8;
    bt_put16(img + BOOTV_OFF_VER_PATCH, 0xBEEF);
    bt_put32(img + BOOTV_OFF_VER_BUILD, 0xCAFEF00Du);
    bt_resign(img, len, 0);
    assert_int_equal(verify(img, len, &info), BOOTV_OK);
    assert_int_equal(info.hdr.load_addr, 0x20000000u);
    assert_int_equal(info.hdr.version.major, 9);
    assert_int_equal(info.hdr.version.minor, 8);
    assert_int_equal(info.hdr.version.patch, 0xBEEF);
    assert_int_equal(info.hdr.version.build, 0xCAFEF00Du);

    bt_put32(img + BOOTV_OFF_COUNTER, 4);
    bt_resign(img, len, 0);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_ROLLBACK);
    bt_put32(img + BOOTV_OFF_COUNTER, 5);
    bt_resign(img, len, 0);
    assert_int_equal(verify(img, len, NULL), BOOTV_OK);

    bt_put32(img + BOOTV_OFF_FLAGS, BOOTV_FLAG_DEBUG);
    bt_resign(img, len, 0);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_DEBUG);
    bt_put32(img + BOOTV_OFF_FLAGS, BOOTV_FLAG_LOADER);
    bt_resign(img, len, 0);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_MISSING_TLV);
}

static void test_bootv_image_rejects_unprovisioned_key(void **state)
{
    struct bootv_build_params p;
    size_t len;

    (void)state;
    bt_params(&p, 2);
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_UNKNOWN_KEY);
}

static void test_bootv_image_rejects_key_hash_of_other_key(void **state)
{
    size_t len = build_default();

    (void)state;
    /* Signed by key 0 but claims key 1, which is provisioned. */
    memcpy(img + OFF_KEYH, bt_signer[1].key_hash, BOOTV_HASH_LEN);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_SIGNATURE);
}

/* RFC 8032 section 5.1.7: S must be below L; S + L is the same signature
 * modulo L and must still be rejected (malleability). */
static void test_bootv_image_rejects_noncanonical_s(void **state)
{
    static const uint8_t l[32] = {
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
        0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
    size_t len = build_default(), i;
    unsigned carry = 0;
    uint8_t *s = img + OFF_SIG + 32;

    (void)state;
    for (i = 0; i < 32; i++) {
        unsigned v = s[i] + l[i] + carry;
        s[i] = (uint8_t)v;
        carry = v >> 8;
    }
    assert_int_equal(carry, 0);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_SIGNATURE);
}

static void test_bootv_image_rejects_invalid_provisioned_key(void **state)
{
    struct bootv_device dev;
    struct bootv_stage st;
    struct bootv_key bogus;
    size_t len = build_default();

    (void)state;
    /* y = 2, which is not on the curve (no square root for x^2). */
    memset(&bogus, 0, sizeof(bogus));
    bogus.pub[0] = 2;
    sha256(bogus.pub, BOOTV_KEY_LEN, img + OFF_KEYH);
    bt_device(&dev);
    st.keys = &bogus;
    st.key_count = 1;
    st.security_counter = 0;
    assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_ERR_SIGNATURE);
}

static void test_bootv_image_rejects_hw_id_mismatch(void **state)
{
    struct bootv_build_params p;
    struct bootv_device dev;
    struct bootv_stage st;
    size_t len = build_default(), i;

    (void)state;
    bt_stage(&st, 0, 2, 0);
    for (i = 0; i < BOOTV_HW_ID_LEN; i++) {
        bt_device(&dev);
        dev.hw_id[i] ^= 0x01;
        assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_ERR_HW_ID);
    }
    bt_params(&p, 0);
    memset(p.hw_id, 0, sizeof(p.hw_id));
    len = bt_build(&p, img);
    assert_int_equal(verify(img, len, NULL), BOOTV_ERR_HW_ID);
}

static void test_bootv_image_rejects_rollback(void **state)
{
    static const struct {
        uint32_t image, stored;
        int rc;
    } cases[] = {
        {7, 8, BOOTV_ERR_ROLLBACK},
        {7, 7, BOOTV_OK},
        {7, 0, BOOTV_OK},
        {0, 1, BOOTV_ERR_ROLLBACK},
        {0xFFFFFFFEu, 0xFFFFFFFFu, BOOTV_ERR_ROLLBACK},
        {0xFFFFFFFFu, 0xFFFFFFFFu, BOOTV_OK},
        {0x7FFFFFFFu, 0x80000000u, BOOTV_ERR_ROLLBACK}, /* no signed compare */
    };
    struct bootv_build_params p;
    struct bootv_device dev;
    struct bootv_stage st;
    size_t len, i;

    (void)state;
    bt_device(&dev);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bt_params(&p, 0);
        p.security_counter = cases[i].image;
        len = bt_build(&p, img);
        bt_stage(&st, 0, 2, cases[i].stored);
        assert_int_equal(bt_verify(img, len, &st, &dev, NULL), cases[i].rc);
    }
}

static void test_bootv_image_rejects_debug_image(void **state)
{
    static const uint32_t no[] = {0,
                                  1,
                                  0xFFFFFFFFu,
                                  BOOTV_ACCEPT,
                                  BOOTV_ALLOW_DEBUG ^ 1u,
                                  BOOTV_ALLOW_DEBUG ^ 0x80000000u};
    struct bootv_build_params p;
    struct bootv_device dev;
    struct bootv_stage st;
    size_t len, i;

    (void)state;
    bt_params(&p, 0);
    p.flags = BOOTV_FLAG_DEBUG;
    len = bt_build(&p, img);
    bt_stage(&st, 0, 2, 0);
    bt_device(&dev);
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        dev.allow_debug = no[i];
        assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_ERR_DEBUG);
    }
    dev.allow_debug = BOOTV_ALLOW_DEBUG;
    assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_OK);
}

/* docs/image-format.md fixes the order: hash, key, signature, hw id,
 * counter, debug. An image failing several reports the first. */
static void test_bootv_image_reports_first_failure(void **state)
{
    struct bootv_build_params p;
    struct bootv_device dev;
    struct bootv_stage st;
    size_t len;

    (void)state;
    bt_params(&p, 0);
    p.flags = BOOTV_FLAG_DEBUG;
    p.security_counter = 1;
    memset(p.hw_id, 0x77, sizeof(p.hw_id));
    len = bt_build(&p, img);
    bt_device(&dev);
    bt_stage(&st, 0, 2, 2);
    assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_ERR_HW_ID);
    memcpy(dev.hw_id, p.hw_id, sizeof(dev.hw_id));
    assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_ERR_ROLLBACK);
    st.security_counter = 1;
    assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_ERR_DEBUG);
    img[OFF_SIG] ^= 1;
    assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_ERR_SIGNATURE);
    img[OFF_KEYH] ^= 1;
    assert_int_equal(bt_verify(img, len, &st, &dev, NULL),
                     BOOTV_ERR_UNKNOWN_KEY);
    img[BOOTV_HEADER_LEN] ^= 1;
    assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_ERR_HASH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bootv_image_accepts_valid),
        cmocka_unit_test(test_bootv_image_accepts_second_provisioned_key),
        cmocka_unit_test(test_bootv_image_accepts_empty_body),
        cmocka_unit_test(test_bootv_image_accepts_64k_body),
        cmocka_unit_test(test_bootv_image_accepts_padded_header),
        cmocka_unit_test(test_bootv_image_accepts_loader_with_next_keys),
        cmocka_unit_test(test_bootv_image_ignores_unknown_noncritical_tlvs),
        cmocka_unit_test(test_bootv_image_accepts_max_tlv_count),
        cmocka_unit_test(test_bootv_image_rejects_too_many_tlvs),
        cmocka_unit_test(test_bootv_image_bounds_header_and_tlvs),
        cmocka_unit_test(test_bootv_image_rejects_null_arguments),
        cmocka_unit_test(test_bootv_image_rejects_every_truncation),
        cmocka_unit_test(test_bootv_image_rejects_trailing_bytes),
        cmocka_unit_test(test_bootv_image_rejects_bad_magic),
        cmocka_unit_test(test_bootv_image_length_finds_end_in_slot),
        cmocka_unit_test(test_bootv_image_length_rejects_bad_input),
        cmocka_unit_test(test_bootv_image_rejects_bad_header_size),
        cmocka_unit_test(test_bootv_image_rejects_nonzero_reserved),
        cmocka_unit_test(test_bootv_image_rejects_unknown_flags),
        cmocka_unit_test(test_bootv_image_rejects_image_size_past_end),
        cmocka_unit_test(test_bootv_image_rejects_load_address_wrap),
        cmocka_unit_test(test_bootv_image_rejects_bad_area_magic),
        cmocka_unit_test(test_bootv_image_rejects_bad_area_length),
        cmocka_unit_test(test_bootv_image_rejects_tlv_past_area),
        cmocka_unit_test(test_bootv_image_rejects_wrong_tlv_length),
        cmocka_unit_test(test_bootv_image_rejects_misplaced_tlv),
        cmocka_unit_test(test_bootv_image_rejects_duplicate_tlv),
        cmocka_unit_test(test_bootv_image_rejects_unknown_critical_tlv),
        cmocka_unit_test(test_bootv_image_rejects_missing_tlv),
        cmocka_unit_test(test_bootv_image_rejects_every_bit_flip),
        cmocka_unit_test(test_bootv_image_checks_resigned_header_fields),
        cmocka_unit_test(test_bootv_image_rejects_unprovisioned_key),
        cmocka_unit_test(test_bootv_image_rejects_key_hash_of_other_key),
        cmocka_unit_test(test_bootv_image_rejects_noncanonical_s),
        cmocka_unit_test(test_bootv_image_rejects_invalid_provisioned_key),
        cmocka_unit_test(test_bootv_image_rejects_hw_id_mismatch),
        cmocka_unit_test(test_bootv_image_rejects_rollback),
        cmocka_unit_test(test_bootv_image_rejects_debug_image),
        cmocka_unit_test(test_bootv_image_reports_first_failure),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
