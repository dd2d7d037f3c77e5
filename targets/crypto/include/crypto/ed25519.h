/* Ed25519 signatures (RFC 8032, pure Ed25519, no context). */
#ifndef CRYPTO_ED25519_H
#define CRYPTO_ED25519_H

#include <stddef.h>
#include <stdint.h>

#define ED25519_SEED_LEN       32
#define ED25519_PUBLIC_KEY_LEN 32
#define ED25519_SIGNATURE_LEN  64

#define ED25519_OK            0
#define ED25519_ERR_BAD_SIG (-1) /* signature does not verify */
#define ED25519_ERR_BAD_KEY (-2) /* public key is not a valid point */
#define ED25519_ERR_BAD_S   (-3) /* S is not below the group order (malleable) */

/* Derives the public key from a 32-byte secret seed. */
void ed25519_public_key(uint8_t pub[ED25519_PUBLIC_KEY_LEN],
                        const uint8_t seed[ED25519_SEED_LEN]);

/* Signs msg (msg may be NULL when len is 0). Secret material is wiped. */
void ed25519_sign(uint8_t sig[ED25519_SIGNATURE_LEN], const uint8_t *msg,
                  size_t len, const uint8_t seed[ED25519_SEED_LEN],
                  const uint8_t pub[ED25519_PUBLIC_KEY_LEN]);

/*
 * Returns ED25519_OK only if sig is a valid signature of msg under pub;
 * otherwise one of the negative codes above. Never accepts on any error.
 */
int ed25519_verify(const uint8_t sig[ED25519_SIGNATURE_LEN], const uint8_t *msg,
                   size_t len, const uint8_t pub[ED25519_PUBLIC_KEY_LEN]);

#endif
