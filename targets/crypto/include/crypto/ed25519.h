/* Ed25519 signatures (RFC 8032, pure Ed25519, no context). */
#ifndef CRYPTO_ED25519_H
#define CRYPTO_ED25519_H

#include <stddef.h>
#include <stdint.h>

#define ED25519_SEED_LEN       32
#define ED25519_PUBLIC_KEY_LEN 32
#define ED25519_SIGNATURE_LEN  64

#define ED25519_OK          0
#define ED25519_ERR_BAD_SIG (-1) /* signature does not verify */
#define ED25519_ERR_BAD_KEY (-2) /* key not a point, or of small order */
#define ED25519_ERR_BAD_S   (-3) /* S >= group order L (malleable) */

/* Derives the public key from a 32-byte secret seed. */
void ed25519_public_key(uint8_t pub[ED25519_PUBLIC_KEY_LEN],
                        const uint8_t seed[ED25519_SEED_LEN]);

/*
 * Signs msg (msg may be NULL when len is 0; msg may overlap sig). Secret
 * material is wiped. pub is not trusted: the public key that goes into the
 * signature is re-derived from seed, because signing with a mismatched key
 * would leak the secret scalar. Costs one extra base-point multiplication.
 */
void ed25519_sign(uint8_t sig[ED25519_SIGNATURE_LEN], const uint8_t *msg,
                  size_t len, const uint8_t seed[ED25519_SEED_LEN],
                  const uint8_t pub[ED25519_PUBLIC_KEY_LEN]);

/*
 * Returns ED25519_OK only if sig is a valid signature of msg under pub;
 * otherwise one of the negative codes above. Never accepts on any error.
 * RFC 8032 section 5.1.7 with the cofactorless equation [S]B = R + [k]A.
 * ED25519_ERR_BAD_KEY also covers the eight points of small order: no
 * secret key exists for them and anyone could forge under them.
 * R is compared as bytes (so a non-canonical R is rejected). NULL sig or pub,
 * or NULL msg with len > 0, return ED25519_ERR_BAD_SIG. Checks run in the
 * order S, key, equation: the first failing one names the code. Not
 * constant time (all inputs are public).
 */
int ed25519_verify(const uint8_t sig[ED25519_SIGNATURE_LEN], const uint8_t *msg,
                   size_t len, const uint8_t pub[ED25519_PUBLIC_KEY_LEN]);

#endif
