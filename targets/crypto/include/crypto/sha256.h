/* SHA-256 (FIPS 180-4): streaming and one-shot. */
#ifndef CRYPTO_SHA256_H
#define CRYPTO_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
#define SHA256_BLOCK_LEN  64

/* Caller-owned context; no heap. Valid after sha256_init. */
struct sha256_ctx {
    uint32_t state[8];
    uint64_t total_len; /* bytes hashed so far */
    uint8_t block[SHA256_BLOCK_LEN];
    size_t block_len; /* bytes buffered in block */
};

void sha256_init(struct sha256_ctx *ctx);
/* data may be NULL when len is 0. */
void sha256_update(struct sha256_ctx *ctx, const uint8_t *data, size_t len);
/* Writes the digest and wipes the context. */
void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_LEN]);
void sha256(const uint8_t *data, size_t len, uint8_t digest[SHA256_DIGEST_LEN]);

#endif
