/* Unit tests: the image builder (bootv_build) used by fwsign and the tests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "bootv_test_util.h"
#include "crypto/sha256.h"

static uint8_t img[BT_MAX_IMAGE];

static void from_hex(const char *hex, uint8_t *out, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned v;

        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

static int setup(void **state)
{
    (void)state;
    bt_init();
    return 0;
}

/*
 * Expected values computed by test/ref_image.py from docs/image-format.md
 * with Python hashlib and the `cryptography` package's Ed25519 (an
 * implementation independent of targets/crypto and of bootv_build).
 */
static void test_bootv_build_test_keys_match_reference(void **state)
{
    uint8_t want[32];

    (void)state;
    from_hex("ff3efffe44e487222c12046cd5b600b66f84bdca9c9c9dec43250fbd3f23aa64",
             want, 32);
    assert_memory_equal(bt_signer[0].seed, want, 32);
    from_hex("8ff6eec24890e579dc199f75478180a0b2d0876706aab2ade35e2334c8f273cc",
             want, 32);
    assert_memory_equal(bt_signer[0].pub, want, 32);
    from_hex("041830efbcdcbb557dfc7ffa4296d390c6773911ce231e3bf1e7177e1d261bec",
             want, 32);
    assert_memory_equal(bt_signer[1].pub, want, 32);
}

/* The whole image, byte for byte, against test/ref_image.py. */
static void test_bootv_build_image_matches_reference(void **state)
{
    struct bootv_build_params p;
    struct bootv_image_info info;
    struct bootv_device dev;
    struct bootv_stage st;
    uint8_t digest[32], want[32];
    size_t len;

    (void)state;
    bt_params(&p, 1);
    p.header_size = 64;
    p.flags = BOOTV_FLAG_LOADER;
    p.next_keys = bt_signer[2].key_hash;
    p.next_key_count = 1;
    len = bt_build(&p, img);
    assert_int_equal(len, 524);
    sha256(img, len, digest);
    from_hex("2d868d65a493169ae439b7b5c7e1ea2ab26b7defcf78dd3e43419bc4f011a1f9",
             want, 32);
    assert_memory_equal(digest, want, 32);

    bt_device(&dev);
    bt_stage(&st, 0, 2, 7);
    assert_int_equal(bt_verify(img, len, &st, &dev, &info), BOOTV_OK);
    assert_int_equal(info.key_index, 1);
}

static void test_bootv_build_rejects_bad_params(void **state)
{
    struct bootv_build_params p;
    size_t len;

    (void)state;
    bt_params(&p, 0);
    len = bootv_build_image_len(&p);
    assert_int_equal(bootv_build_image(&p, img, len - 1, &len),
                     BOOTV_BUILD_ERR_SPACE);
    p.next_key_count = BOOTV_MAX_NEXT_KEYS + 1;
    p.next_keys = img;
    assert_int_equal(bootv_build_image_len(&p), 0);
    assert_int_equal(bootv_build_image(&p, img, sizeof(img), &len),
                     BOOTV_BUILD_ERR_PARAM);
    bt_params(&p, 0);
    p.signer = NULL;
    assert_int_equal(bootv_build_image(&p, img, sizeof(img), &len),
                     BOOTV_BUILD_ERR_PARAM);
    bt_params(&p, 0);
    p.header_size = 16;
    assert_int_equal(bootv_build_image_len(&p), 0);
    bt_params(&p, 0);
    p.body = NULL;
    assert_int_equal(bootv_build_image_len(&p), 0);
    bt_params(&p, 0);
    p.extra_unprot = img;
    p.extra_unprot_len = 0xFFFF; /* the area would exceed its u16 length */
    assert_int_equal(bootv_build_image_len(&p), 0);
}

/* bootv_build_fix: an edited image verifies again; without FIX_SIG the
 * signature is stale. */
static void test_bootv_build_fix_resigns(void **state)
{
    struct bootv_device dev;
    struct bootv_stage st;
    struct bootv_build_params p;
    uint8_t digest[32];
    size_t len;

    (void)state;
    bt_device(&dev);
    bt_stage(&st, 0, 2, 0);
    bt_params(&p, 0);
    len = bt_build(&p, img);
    img[BOOTV_OFF_VER_MAJOR] = 42;
    assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_ERR_HASH);
    assert_int_equal(
        bootv_build_fix(img, len, NULL, BOOTV_BUILD_FIX_HASH, digest), 1);
    assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_ERR_SIGNATURE);
    assert_int_equal(
        bootv_build_fix(img, len, &bt_signer[1], BOOTV_BUILD_FIX_ALL, NULL), 3);
    assert_int_equal(bt_verify(img, len, &st, &dev, NULL), BOOTV_OK);
    assert_int_equal(
        bootv_build_fix(img, 10, &bt_signer[1], BOOTV_BUILD_FIX_ALL, NULL),
        BOOTV_BUILD_ERR_FORMAT);
    assert_int_equal(bootv_build_fix(img, len, NULL, BOOTV_BUILD_FIX_SIG, NULL),
                     BOOTV_BUILD_ERR_PARAM);
}

static void test_bootv_build_chain_layout(void **state)
{
    static const uint8_t a[] = {1, 2, 3};
    static const uint8_t want[] = {0x46, 0x57, 0x43, 0x48, 2, 0, 0, 0, 3, 0,
                                   0,    0,    1,    2,    3, 0, 0, 0, 0};
    struct bootv_slice s[2] = {{a, sizeof(a)}, {a, 0}};
    uint8_t out[64];
    size_t len = 0;

    (void)state;
    assert_int_equal(bootv_build_chain_len(s, 2), sizeof(want));
    assert_int_equal(bootv_build_chain(s, 2, out, sizeof(out), &len), 0);
    assert_int_equal(len, sizeof(want));
    assert_memory_equal(out, want, sizeof(want));
    assert_int_equal(bootv_build_chain(s, 2, out, sizeof(want) - 1, &len),
                     BOOTV_BUILD_ERR_SPACE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bootv_build_test_keys_match_reference),
        cmocka_unit_test(test_bootv_build_image_matches_reference),
        cmocka_unit_test(test_bootv_build_rejects_bad_params),
        cmocka_unit_test(test_bootv_build_fix_resigns),
        cmocka_unit_test(test_bootv_build_chain_layout),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
