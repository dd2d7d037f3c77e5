/*
 * Independent reading of docs/image-format.md for the bootverify fuzz
 * properties. Shares no code with the verifier: its own constants (from the
 * document), its own parse with 64-bit offsets, its own duplicate bitmap.
 */
#ifndef BOOTV_FUZZ_ORACLE_H
#define BOOTV_FUZZ_ORACLE_H

#include <stddef.h>
#include <stdint.h>

/* How far an image got; every value but BVO_VALID is a reject. */
enum bvo_outcome {
    BVO_BAD_STRUCTURE, /* any rule before the hash */
    BVO_BAD_HASH,
    BVO_UNKNOWN_KEY,
    BVO_SIG_PENDING, /* only with bvo_policy.stop_before_sig */
    BVO_BAD_SIG,
    BVO_NOT_ALLOWED,
    BVO_BAD_HW_ID,
    BVO_ROLLBACK,
    BVO_DEBUG,
    BVO_VALID
};

struct bvo_policy {
    const uint8_t (*pubs)[32]; /* provisioned public keys */
    size_t pub_count;
    uint32_t stored_counter;
    uint8_t hw_id[16];
    int allow_debug;
    int restricted;         /* signer must be in allowed */
    const uint8_t *allowed; /* allowed_count 32-byte key hashes */
    size_t allowed_count;
    int stop_before_sig; /* return BVO_SIG_PENDING instead of verifying */
};

struct bvo_result {
    uint32_t flags;
    uint32_t counter;
    size_t key_index;
    const uint8_t *next_keys; /* into the image */
    size_t next_key_count;
    uint8_t digest[32]; /* valid from BVO_BAD_HASH on */
};

enum bvo_outcome bvo_image(const uint8_t *img, size_t len,
                           const struct bvo_policy *p, struct bvo_result *r);

/*
 * Records a (signature, digest, key) triple known to verify: a signature
 * the fuzz target just made, or one the oracle verified before. The
 * oracle answers such triples from this small memo instead of a second
 * Ed25519 verify, which keeps the targets fast; Ed25519 is deterministic.
 */
void bvo_remember(const uint8_t sig[64], const uint8_t digest[32],
                  const uint8_t pub[32]);

/* Offsets and lengths of the images of a chain container; 0 if invalid. */
int bvo_chain_split(const uint8_t *buf, size_t len, size_t off[4],
                    size_t lens[4], size_t *count);

/* Offset of the value of the first unprotected TLV of type and length
 * (for the fix-up), or 0 when there is none. */
size_t bvo_find_unprot(const uint8_t *img, size_t len, uint16_t type,
                       uint16_t vlen);

#endif
