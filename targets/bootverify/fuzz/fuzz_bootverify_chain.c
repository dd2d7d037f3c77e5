/*
 * Fuzz target: bootv_chain_split + bootv_verify_chain against an
 * independent recomputation of every link.
 *
 * Input: one mode byte, then a chain container (docs/image-format.md,
 * "Fuzz inputs").
 *   bit 0     fix-up: in every image, rewrite SHA256 and KEY_HASH and
 *             re-sign with the TEST key of its stage
 *   bit 1     fix-up signs stage i with its second key (TEST key 2i+1)
 *             instead of its first (TEST key 2i)
 *   bits 2-3  stored counters of stages 0..3: all 0; 2,3,4,5;
 *             0,0xFFFFFFFF,0,0; all 0xFFFFFFFF
 *   bit 4     allow_debug is BOOTV_ALLOW_DEBUG (else a one-bit near miss)
 *   bit 5     the device has 3 stages whatever the container holds
 *   bit 6     device hw id differs from the TEST hw id in one bit
 *   bit 7     with bit 0, first rewrite the container's image lengths and
 *             each image's image_size and area lengths from where the
 *             magics are (bvf_fix_container, bvf_fix_lengths)
 * Stage i is provisioned with TEST keys 2i and 2i+1.
 *
 * Properties: accept exactly when every link recomputes as valid; the
 * failing image and the code agree with the recomputation; verdict and
 * infos are consistent with the code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bootv_build.h"
#include "bootv_fuzz_fixup.h"
#include "bootv_fuzz_oracle.h"
#include "bootverify/chain.h"
#include "fwfuzz/check.h"
#include "fwfuzz/oracle.h"
#include "fwfuzz/target.h"

#define FUZZ_STAGES 4

static struct bootv_build_signer fuzz_signer[2 * FUZZ_STAGES];
static struct bootv_key fuzz_keys[2 * FUZZ_STAGES];
static uint8_t fuzz_pubs[2 * FUZZ_STAGES][32];
static int fuzz_ready;

static const uint32_t fuzz_counters[4][FUZZ_STAGES] = {
    {0, 0, 0, 0},
    {2, 3, 4, 5},
    {0, 0xFFFFFFFFu, 0, 0},
    {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu},
};

static void fuzz_setup(void)
{
    unsigned i;

    for (i = 0; i < 2 * FUZZ_STAGES; i++) {
        bootv_build_test_signer(&fuzz_signer[i], i);
        memcpy(fuzz_keys[i].pub, fuzz_signer[i].pub, 32);
        memcpy(fuzz_pubs[i], fuzz_signer[i].pub, 32);
    }
    fuzz_ready = 1;
}

/* What bootv_verify_chain must return for the oracle's failing link. */
int fuzz_link_code_matches(enum bvo_outcome o, int rc)
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
        /* Valid on its own, but the LOADER flag is out of place. */
        return rc == BOOTV_ERR_CHAIN_LOADER;
    case BVO_SIG_PENDING:
        break;
    }
    return 0;
}

int fuzz_chain_all_zero(const void *p, size_t len)
{
    const uint8_t *b = p;
    size_t i;

    for (i = 0; i < len; i++) {
        if (b[i] != 0)
            return 0;
    }
    return 1;
}

struct fuzz_chain_device {
    struct bvo_policy pol[FUZZ_STAGES];
    size_t stage_count;
};

/*
 * The recomputation: how far the chain gets. Returns the index of the
 * first failing image (count when all pass) and its outcome in *o.
 */
size_t fuzz_chain_oracle(const uint8_t *buf, const size_t off[],
                         const size_t lens[], size_t count,
                         struct fuzz_chain_device *d, enum bvo_outcome *o)
{
    struct bvo_result r, prev;
    size_t i;

    memset(&prev, 0, sizeof(prev));
    for (i = 0; i < count; i++) {
        d->pol[i].restricted = i > 0;
        d->pol[i].allowed = prev.next_keys;
        d->pol[i].allowed_count = prev.next_key_count;
        *o = bvo_image(buf + off[i], lens[i], &d->pol[i], &r);
        if (*o != BVO_VALID)
            return i;
        if (((r.flags & 1u) != 0) != (i + 1 < count))
            return i; /* *o stays BVO_VALID: a LOADER flag out of place */
        prev = r;
    }
    return count;
}

/* Fixes the links in order, stopping at the first that fails anyway. */
void fuzz_fix_chain(uint8_t *buf, const size_t off[], const size_t lens[],
                    size_t count, struct fuzz_chain_device *d, int second)
{
    struct bvo_result r, prev;
    size_t i;

    memset(&prev, 0, sizeof(prev));
    for (i = 0; i < count; i++) {
        d->pol[i].restricted = i > 0;
        d->pol[i].allowed = prev.next_keys;
        d->pol[i].allowed_count = prev.next_key_count;
        bvf_fix_image(buf + off[i], lens[i],
                      &fuzz_signer[2 * i + (second ? 1 : 0)], &d->pol[i]);
        if (bvo_image(buf + off[i], lens[i], &d->pol[i], &r) != BVO_VALID)
            return;
        prev = r;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bootv_stage stages[FUZZ_STAGES];
    struct bootv_device dev;
    struct bootv_slice slices[BOOTV_CHAIN_MAX];
    struct bootv_image_info infos[BOOTV_CHAIN_MAX];
    struct fuzz_chain_device d;
    size_t off[4], lens[4], count = 0, ocount = 0, failed, ofail = 0, i;
    enum bvo_outcome o = BVO_VALID;
    int split_ok, rc, orc;
    uint32_t verdict;
    uint8_t *buf;
    size_t len;
    uint8_t mode;

    if (size < 1)
        return 0;
    if (!fuzz_ready)
        fuzz_setup();
    mode = data[0];
    len = size - 1;
    buf = malloc(len > 0 ? len : 1);
    if (buf == NULL)
        return 0;
    if (len > 0)
        memcpy(buf, data + 1, len);

    bootv_build_test_hw_id(dev.hw_id);
    if (mode & 0x40)
        dev.hw_id[BOOTV_HW_ID_LEN - 1] ^= 1;
    dev.allow_debug = (mode & 0x10) ? BOOTV_ALLOW_DEBUG : BOOTV_ALLOW_DEBUG ^ 1;
    memset(&d, 0, sizeof(d));
    for (i = 0; i < FUZZ_STAGES; i++) {
        stages[i].keys = &fuzz_keys[2 * i];
        stages[i].key_count = 2;
        stages[i].security_counter = fuzz_counters[(mode >> 2) & 3][i];
        d.pol[i].pubs = (const uint8_t(*)[32]) & fuzz_pubs[2 * i];
        d.pol[i].pub_count = 2;
        d.pol[i].stored_counter = stages[i].security_counter;
        memcpy(d.pol[i].hw_id, dev.hw_id, sizeof(d.pol[i].hw_id));
        d.pol[i].allow_debug = dev.allow_debug == 0x5A3C0FF0u;
    }

    if ((mode & 0x81) == 0x81)
        bvf_fix_container(buf, len);
    split_ok = bvo_chain_split(buf, len, off, lens, &ocount);
    if (split_ok && (mode & 0x81) == 0x81) {
        for (i = 0; i < ocount; i++)
            bvf_fix_lengths(buf + off[i], lens[i]);
    }
    d.stage_count = (mode & 0x20) ? 3 : ocount;
    if (split_ok && (mode & 1) && ocount == d.stage_count)
        fuzz_fix_chain(buf, off, lens, ocount, &d, mode & 2);

    /* The verifier under test. */
    verdict = BOOTV_ACCEPT; /* poisoned: must be overwritten */
    failed = 12345;
    memset(infos, 0xA5, sizeof(infos));
    rc = bootv_chain_split(buf, len, slices, &count);
    FWFUZZ_CHECK((rc == BOOTV_OK) == (split_ok != 0),
                 "chain split agrees with the recomputation");
    FWFUZZ_CHECK(rc != BOOTV_OK || count == ocount,
                 "chain split finds as many images as the recomputation");
    if (rc != BOOTV_OK) {
        FWFUZZ_CHECK(rc < 0 && count == 0, "failed split reports no images");
        goto out;
    }
    for (i = 0; i < count; i++) {
        FWFUZZ_CHECK(slices[i].data == buf + off[i] && slices[i].len == lens[i],
                     "chain split finds the documented image bounds");
    }
    /* The chain can lie in external flash: every byte is read once. */
    fwfuzz_untrusted(buf, len, "boot chain");
    rc = bootv_verify_chain(slices, count, stages, d.stage_count, &dev,
                            &verdict, infos, &failed);
    fwfuzz_under_test_end();

    /* The recomputation. */
    if (count != d.stage_count) {
        orc = 0;
    } else {
        ofail = fuzz_chain_oracle(buf, off, lens, count, &d, &o);
        orc = ofail == count;
    }

    FWFUZZ_CHECK(rc <= 0 && rc >= BOOTV_ERR_FAULT,
                 "bootv_verify_chain returns 0 or a declared error code");
    FWFUZZ_CHECK((rc == BOOTV_OK) == (verdict == BOOTV_ACCEPT),
                 "chain verdict is accept exactly when the code is 0");
    FWFUZZ_CHECK(verdict == BOOTV_ACCEPT || verdict == BOOTV_REJECT,
                 "chain verdict is one of the two hardened values");
    FWFUZZ_CHECK_SECURITY(rc != BOOTV_OK || orc, "tampered-image-accepted",
                          "chain accepted though a link recomputes as invalid");
    FWFUZZ_CHECK(!orc || rc == BOOTV_OK,
                 "chain rejected though every link recomputes as valid");
    if (count != d.stage_count) {
        FWFUZZ_CHECK(rc == BOOTV_ERR_CHAIN_COUNT && failed == BOOTV_NO_STAGE,
                     "stage count mismatch is reported as such");
    } else if (!orc) {
        FWFUZZ_CHECK(failed == ofail,
                     "chain blames the link the recomputation blames");
        FWFUZZ_CHECK(fuzz_link_code_matches(o, rc),
                     "chain error code names the failure the recomputation "
                     "found");
    } else {
        FWFUZZ_CHECK(failed == BOOTV_NO_STAGE, "accept blames no link");
    }
    if (rc != BOOTV_OK) {
        /* On a count error infos is not written at all. */
        if (rc != BOOTV_ERR_CHAIN_COUNT)
            FWFUZZ_CHECK(fuzz_chain_all_zero(infos, count * sizeof(infos[0])),
                         "chain infos are zeroed on reject");
    } else {
        for (i = 0; i < count; i++) {
            FWFUZZ_CHECK(infos[i].body ==
                                 slices[i].data + infos[i].hdr.header_size &&
                             ((infos[i].hdr.flags & BOOTV_FLAG_LOADER) != 0) ==
                                 (i + 1 < count),
                         "chain infos on accept describe each image");
        }
    }
out:
    free(buf);
    return 0;
}
