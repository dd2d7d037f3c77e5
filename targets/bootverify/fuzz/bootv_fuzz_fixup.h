/* Fix-up mode of the bootverify fuzz targets: re-hash and re-sign. */
#ifndef BOOTV_FUZZ_FIXUP_H
#define BOOTV_FUZZ_FIXUP_H

#include <stddef.h>
#include <stdint.h>

#include "bootv_build.h"
#include "bootv_fuzz_oracle.h"

/*
 * Rewrites the SHA256 and KEY_HASH values of img for signer, and the
 * ED25519 value too when the oracle says the signature is the next thing
 * the verifier will read (signing an image that fails earlier is wasted
 * time). Signatures are cached by (digest, key): an image the fuzzer did
 * not change is not signed again. Every signature made or reused is
 * remembered by the oracle (bvo_remember).
 */
/*
 * Makes image_size and the two area lengths agree with where the area
 * magics are (first 50 7B at or after header_size, first 55 7B after
 * that), so that entries the fuzzer inserted or removed keep the areas
 * well formed. Leaves the image alone when the magics are not found.
 */
void bvf_fix_lengths(uint8_t *img, size_t len);

/*
 * Makes the image lengths of a chain container agree with where the image
 * magics ("FWBV") are; leaves it alone when they are not found.
 */
void bvf_fix_container(uint8_t *buf, size_t len);

void bvf_fix_image(uint8_t *img, size_t len,
                   const struct bootv_build_signer *signer,
                   const struct bvo_policy *pol);

#endif
