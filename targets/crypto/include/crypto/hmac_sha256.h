/* HMAC-SHA-256 (RFC 2104, RFC 4231) and PBKDF2-HMAC-SHA-256 (RFC 8018). */
#ifndef CRYPTO_HMAC_SHA256_H
#define CRYPTO_HMAC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/sha256.h"

struct hmac_sha256_ctx {
    struct sha256_ctx inner;
    struct sha256_ctx outer;
};

/* key may be NULL when key_len is 0; keys longer than a block are hashed. */
void hmac_sha256_init(struct hmac_sha256_ctx *ctx, const uint8_t *key,
                      size_t key_len);
void hmac_sha256_update(struct hmac_sha256_ctx *ctx, const uint8_t *data,
                        size_t len);
/* Writes the MAC and wipes the context. */
void hmac_sha256_final(struct hmac_sha256_ctx *ctx,
                       uint8_t mac[SHA256_DIGEST_LEN]);
void hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *data,
                 size_t len, uint8_t mac[SHA256_DIGEST_LEN]);

/* iterations == 0, out_len == 0, NULL out, or out_len > (2^32 - 1) * 32 */
#define PBKDF2_ERR_PARAM (-1)

/*
 * Derives out_len bytes into out. password/salt may be NULL when their
 * length is 0. Returns 0 or PBKDF2_ERR_PARAM. Intermediate state is wiped.
 */
int pbkdf2_hmac_sha256(const uint8_t *password, size_t password_len,
                       const uint8_t *salt, size_t salt_len,
                       uint32_t iterations, uint8_t *out, size_t out_len);

#endif
