/* Multi-stage boot chains: each stage names the keys of the next (bootv_). */
#ifndef BOOTVERIFY_CHAIN_H
#define BOOTVERIFY_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "bootverify/image.h"

/*
 * Chain container (docs/image-format.md, "Chain container"), little-endian:
 *   u32 magic BOOTV_CHAIN_MAGIC, u32 count (1..BOOTV_CHAIN_MAX),
 *   then count times { u32 length, length bytes of image }, nothing after.
 */
#define BOOTV_CHAIN_MAGIC   0x48435746u /* bytes 46 57 43 48, "FWCH" */
#define BOOTV_CHAIN_HDR_LEN 8
#define BOOTV_CHAIN_MAX     4

/* Index reported when a chain failure belongs to no single image. */
#define BOOTV_NO_STAGE ((size_t)-1)

/* A view of caller-owned bytes. */
struct bootv_slice {
    const uint8_t *data;
    size_t len;
};

/*
 * Splits a chain container into views of its images (no copying; out
 * points into buf). Returns BOOTV_OK and sets *count, or
 * BOOTV_ERR_PARAM (NULL argument), BOOTV_ERR_TRUNCATED,
 * BOOTV_ERR_BAD_MAGIC, BOOTV_ERR_CHAIN_COUNT (count 0 or above
 * BOOTV_CHAIN_MAX), BOOTV_ERR_TRAILING. On error *count is 0.
 */
int bootv_chain_split(const uint8_t *buf, size_t len,
                      struct bootv_slice out[BOOTV_CHAIN_MAX], size_t *count);

/*
 * Verifies a boot chain: images[i] against stages[i] and dev for every i,
 * in order. Image 0 may be signed by any key of stages[0] (the root of
 * trust). Every later image must be signed by a key of its own stage whose
 * SHA-256 is also listed in the NEXT_KEYS TLV of the image before it.
 * Every image but the last must have BOOTV_FLAG_LOADER; the last must not.
 *
 * verdict must not be NULL: BOOTV_REJECT first, BOOTV_ACCEPT only if every
 * link verified. infos, if not NULL, has count entries: filled on accept,
 * zeroed on any other reject, untouched on BOOTV_ERR_PARAM and
 * BOOTV_ERR_CHAIN_COUNT. failed, if not NULL, receives the index of the
 * image that failed, or BOOTV_NO_STAGE (accept, or a count/parameter
 * error). Verification goes in chain order and stops at the first failure.
 *
 * Returns BOOTV_OK, BOOTV_ERR_PARAM, BOOTV_ERR_CHAIN_COUNT (count 0, above
 * BOOTV_CHAIN_MAX, or not stage_count), BOOTV_ERR_CHAIN_LOADER, or the
 * first error of bootv_verify_image, or BOOTV_ERR_KEY_NOT_ALLOWED.
 */
int bootv_verify_chain(const struct bootv_slice *images, size_t count,
                       const struct bootv_stage *stages, size_t stage_count,
                       const struct bootv_device *dev, uint32_t *verdict,
                       struct bootv_image_info *infos, size_t *failed);

#endif
