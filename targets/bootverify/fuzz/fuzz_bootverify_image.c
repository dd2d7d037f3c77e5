/*
 * Fuzz target: bootv_verify_image against an independent recomputation.
 *
 * Input: one mode byte, then the image (docs/image-format.md, "Fuzz
 * inputs").
 *   bit 0     fix-up: rewrite SHA256 and KEY_HASH and re-sign with a TEST
 *             key, so that mutations reach the checks after the signature
 *   bits 1-2  fix-up signer: TEST key 0 or 1 (provisioned), 2 or 3 (not)
 *   bits 3-4  stored security counter: 0, 5, 0x80000000, 0xFFFFFFFF
 *   bit 5     allow_debug is BOOTV_ALLOW_DEBUG (else a one-bit near miss)
 *   bit 6     device hw id differs from the TEST hw id in one bit
 *   bit 7     with bit 0, first rewrite image_size and the area lengths
 *             from where the area magics are (bvf_fix_lengths), so that
 *             inserted or removed TLVs keep the structure consistent
 * The device has TEST keys 0 and 1 and the TEST hardware id.
 *
 * Properties: accept exactly when the recomputation says valid; the code
 * names the same failure the recomputation found; verdict and info are
 * consistent with the code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bootv_build.h"
#include "bootv_fuzz_fixup.h"
#include "bootv_fuzz_oracle.h"
#include "bootverify/image.h"
#include "fwfuzz/check.h"
#include "fwfuzz/oracle.h"
#include "fwfuzz/target.h"

#define FUZZ_SIGNERS 4

static struct bootv_build_signer fuzz_signer[FUZZ_SIGNERS];
static struct bootv_key fuzz_keys[2];
static uint8_t fuzz_pubs[2][32];
static int fuzz_ready;

static const uint32_t fuzz_counters[4] = {0, 5, 0x80000000u, 0xFFFFFFFFu};

static void fuzz_setup(void)
{
    unsigned i;

    for (i = 0; i < FUZZ_SIGNERS; i++)
        bootv_build_test_signer(&fuzz_signer[i], i);
    for (i = 0; i < 2; i++) {
        memcpy(fuzz_keys[i].pub, fuzz_signer[i].pub, 32);
        memcpy(fuzz_pubs[i], fuzz_signer[i].pub, 32);
    }
    fuzz_ready = 1;
}

/* What bootv_verify_image must return for what the oracle found. */
int fuzz_code_matches(enum bvo_outcome o, int rc)
{
    switch (o) {
    case BVO_BAD_STRUCTURE:
        return (rc <= BOOTV_ERR_TRUNCATED && rc >= BOOTV_ERR_TRAILING) ||
               rc == BOOTV_ERR_TOO_LARGE;
    case BVO_BAD_HASH:
        return rc == BOOTV_ERR_HASH;
    case BVO_UNKNOWN_KEY:
        return rc == BOOTV_ERR_UNKNOWN_KEY;
    case BVO_BAD_SIG:
        return rc == BOOTV_ERR_SIGNATURE;
    case BVO_NOT_ALLOWED:
        return rc == BOOTV_ERR_KEY_NOT_ALLOWED;
    case BVO_BAD_HW_ID:
        return rc == BOOTV_ERR_HW_ID;
    case BVO_ROLLBACK:
        return rc == BOOTV_ERR_ROLLBACK;
    case BVO_DEBUG:
        return rc == BOOTV_ERR_DEBUG;
    case BVO_VALID:
        return rc == BOOTV_OK;
    case BVO_SIG_PENDING:
        break;
    }
    return 0;
}

int fuzz_all_zero(const void *p, size_t len)
{
    const uint8_t *b = p;
    size_t i;

    for (i = 0; i < len; i++) {
        if (b[i] != 0)
            return 0;
    }
    return 1;
}

/*
 * The bootloader finds the image in its flash slot with bootv_image_length
 * before verifying it: what it measures lies inside the slot, a failure
 * leaves 0, and an image the verifier accepts can be measured.
 */
static void check_image_length(const uint8_t *img, size_t len, int verify_rc)
{
    size_t img_len = 1;
    int rc = bootv_image_length(img, len, &img_len);

    FWFUZZ_CHECK(rc == BOOTV_OK || rc == BOOTV_ERR_TRUNCATED ||
                     rc == BOOTV_ERR_BAD_MAGIC || rc == BOOTV_ERR_TLV_AREA,
                 "bootv_image_length returns 0 or a declared error code");
    FWFUZZ_CHECK(rc == BOOTV_OK ? img_len > 0 && img_len <= len : img_len == 0,
                 "bootv_image_length measures inside the slot, or 0");
    FWFUZZ_CHECK(verify_rc != BOOTV_OK || rc == BOOTV_OK,
                 "an image the verifier accepts can be measured");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bootv_stage stage;
    struct bootv_device dev;
    struct bootv_image_info info;
    struct bvo_policy pol;
    struct bvo_result res;
    enum bvo_outcome outcome;
    uint32_t verdict;
    uint8_t *img;
    size_t len;
    uint8_t mode;
    int rc;

    if (size < 1)
        return 0;
    if (!fuzz_ready)
        fuzz_setup();
    mode = data[0];
    len = size - 1;
    /* Exactly len bytes on the heap, so ASan sees any read past the end. */
    img = malloc(len > 0 ? len : 1);
    if (img == NULL)
        return 0;
    if (len > 0)
        memcpy(img, data + 1, len);

    stage.keys = fuzz_keys;
    stage.key_count = 2;
    stage.security_counter = fuzz_counters[(mode >> 3) & 3];
    bootv_build_test_hw_id(dev.hw_id);
    if (mode & 0x40)
        dev.hw_id[BOOTV_HW_ID_LEN - 1] ^= 1;
    dev.allow_debug = (mode & 0x20) ? BOOTV_ALLOW_DEBUG : BOOTV_ALLOW_DEBUG ^ 1;

    memset(&pol, 0, sizeof(pol));
    pol.pubs = (const uint8_t(*)[32])fuzz_pubs;
    pol.pub_count = 2;
    pol.stored_counter = stage.security_counter;
    memcpy(pol.hw_id, dev.hw_id, sizeof(pol.hw_id));
    pol.allow_debug = dev.allow_debug == 0x5A3C0FF0u; /* from the document */

    if ((mode & 0x81) == 0x81)
        bvf_fix_lengths(img, len);
    if (mode & 1)
        bvf_fix_image(img, len, &fuzz_signer[(mode >> 1) & 3], &pol);

    verdict = BOOTV_ACCEPT; /* poisoned: the verifier must overwrite it */
    memset(&info, 0xA5, sizeof(info));
    /* The slot can be external flash: the verifier must read it once. */
    fwfuzz_untrusted(img, len, "slot image");
    rc = bootv_verify_image(img, len, &stage, &dev, &verdict, &info);
    fwfuzz_under_test_end();
    outcome = bvo_image(img, len, &pol, &res);

    FWFUZZ_CHECK(rc <= 0 && rc >= BOOTV_ERR_FAULT,
                 "bootv_verify_image returns 0 or a declared error code");
    FWFUZZ_CHECK((rc == BOOTV_OK) == (verdict == BOOTV_ACCEPT),
                 "verdict is accept exactly when the code is 0");
    FWFUZZ_CHECK(verdict == BOOTV_ACCEPT || verdict == BOOTV_REJECT,
                 "verdict is one of the two hardened values");
    FWFUZZ_CHECK_SECURITY(
        rc != BOOTV_OK || outcome == BVO_VALID, "tampered-image-accepted",
        "verifier accepted an image the recomputation rejects");
    FWFUZZ_CHECK(outcome != BVO_VALID || rc == BOOTV_OK,
                 "verifier rejected an image the recomputation accepts");
    FWFUZZ_CHECK(fuzz_code_matches(outcome, rc),
                 "error code names a different failure than the "
                 "recomputation found");
    if (rc != BOOTV_OK) {
        FWFUZZ_CHECK(fuzz_all_zero(&info, sizeof(info)),
                     "image info is zeroed on reject");
    } else {
        FWFUZZ_CHECK(info.hdr.security_counter == res.counter &&
                         info.hdr.flags == res.flags &&
                         info.key_index == res.key_index &&
                         info.body == img + info.hdr.header_size &&
                         info.next_keys == res.next_keys &&
                         info.next_key_count == res.next_key_count,
                     "image info on accept matches the recomputation");
    }
    check_image_length(img, len, rc);
    free(img);
    return 0;
}
