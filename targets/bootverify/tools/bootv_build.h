/* Image builder and signer for the bootverify format (fwsign, tests). */
#ifndef BOOTV_BUILD_H
#define BOOTV_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "bootverify/chain.h"
#include "bootverify/image.h"

#define BOOTV_BUILD_SEED_LEN 32

#define BOOTV_BUILD_ERR_PARAM  (-1) /* NULL argument or field out of range */
#define BOOTV_BUILD_ERR_SPACE  (-2) /* output buffer too small */
#define BOOTV_BUILD_ERR_FORMAT (-3) /* bootv_build_fix: areas not found */

/* An Ed25519 signing key with its public key and key hash precomputed. */
struct bootv_build_signer {
    uint8_t seed[BOOTV_BUILD_SEED_LEN];
    uint8_t pub[BOOTV_KEY_LEN];
    uint8_t key_hash[BOOTV_HASH_LEN]; /* SHA-256 of pub: the KEY_HASH TLV */
};

#define BOOTV_BUILD_OMIT_HW_ID    0x1u
#define BOOTV_BUILD_OMIT_SHA256   0x2u
#define BOOTV_BUILD_OMIT_KEY_HASH 0x4u
#define BOOTV_BUILD_OMIT_SIG      0x8u

struct bootv_build_params {
    uint16_t header_size; /* 0 means BOOTV_HEADER_LEN; padding is zero */
    uint32_t load_addr;
    struct bootv_version version;
    uint32_t security_counter;
    uint32_t flags;
    const uint8_t *body; /* may be NULL when body_len is 0 */
    size_t body_len;
    uint8_t hw_id[BOOTV_HW_ID_LEN];
    const uint8_t *next_keys; /* next_key_count key hashes; 0 means no TLV */
    size_t next_key_count;
    unsigned omit; /* BOOTV_BUILD_OMIT_*: leave standard TLVs out (tests) */
    /* Raw TLV entries appended to each area, unchecked (for tests). */
    const uint8_t *extra_prot;
    size_t extra_prot_len;
    const uint8_t *extra_unprot;
    size_t extra_unprot_len;
    const struct bootv_build_signer *signer; /* must not be NULL */
};

/* Derives pub and key_hash from seed. */
void bootv_build_signer_init(struct bootv_build_signer *s,
                             const uint8_t seed[BOOTV_BUILD_SEED_LEN]);

/*
 * TEST KEYS ONLY: seed = SHA-256("fwfuzz bootverify TEST KEY ONLY #<n>"),
 * n in decimal. Public knowledge; never provision these on a device.
 */
void bootv_build_test_signer(struct bootv_build_signer *s, unsigned n);

/* The TEST hardware id: bytes "fwfuzz-test-hwid" (16 bytes, no NUL). */
void bootv_build_test_hw_id(uint8_t hw_id[BOOTV_HW_ID_LEN]);

/* Bytes bootv_build_image writes for p, or 0 if p is invalid. */
size_t bootv_build_image_len(const struct bootv_build_params *p);

/*
 * Writes a signed image: header, body, protected area (HW_ID, NEXT_KEYS if
 * any, extra_prot), unprotected area (SHA256, KEY_HASH, ED25519,
 * extra_unprot), minus what omit leaves out; then bootv_build_fix. Returns 0
 * and sets *out_len, or BOOTV_BUILD_ERR_PARAM / BOOTV_BUILD_ERR_SPACE.
 */
int bootv_build_image(const struct bootv_build_params *p, uint8_t *out,
                      size_t cap, size_t *out_len);

/* What bootv_build_fix rewrites. */
#define BOOTV_BUILD_FIX_HASH     0x1u /* SHA256 TLV := digest */
#define BOOTV_BUILD_FIX_KEY_HASH 0x2u /* KEY_HASH TLV := signer's key hash */
#define BOOTV_BUILD_FIX_SIG      0x4u /* ED25519 TLV := signature of digest */
#define BOOTV_BUILD_FIX_ALL      0x7u

/*
 * Rewrites, in place, the values of the first SHA256, KEY_HASH and ED25519
 * TLVs of the right length in the unprotected area, so that a header,
 * body or protected area edited by a test verifies again. Lenient: other
 * rules of the format are not checked. signer may be NULL without FIX_SIG
 * and FIX_KEY_HASH. digest, if not NULL, receives the SHA-256 the image
 * is signed over. Returns the number of values rewritten, or
 * BOOTV_BUILD_ERR_PARAM / BOOTV_BUILD_ERR_FORMAT.
 */
int bootv_build_fix(uint8_t *img, size_t len,
                    const struct bootv_build_signer *signer, unsigned what,
                    uint8_t digest[BOOTV_HASH_LEN]);

/* Bytes of a chain container holding images. */
size_t bootv_build_chain_len(const struct bootv_slice *images, size_t count);

/*
 * Writes a chain container (count may be anything up to UINT32_MAX, so
 * tests can build invalid ones). Returns 0 and sets *out_len, or
 * BOOTV_BUILD_ERR_PARAM / BOOTV_BUILD_ERR_SPACE.
 */
int bootv_build_chain(const struct bootv_slice *images, size_t count,
                      uint8_t *out, size_t cap, size_t *out_len);

#endif
