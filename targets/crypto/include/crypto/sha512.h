/* SHA-512 (FIPS 180-4): streaming and one-shot; used by Ed25519. */
#ifndef CRYPTO_SHA512_H
#define CRYPTO_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define SHA512_DIGEST_LEN 64
#define SHA512_BLOCK_LEN  128

struct sha512_ctx {
    uint64_t state[8];
    uint64_t total_len; /* bytes hashed so far (< 2^64 suffices) */
    uint8_t block[SHA512_BLOCK_LEN];
    size_t block_len;
};

void sha512_init(struct sha512_ctx *ctx);
/* data may be NULL when len is 0. */
void sha512_update(struct sha512_ctx *ctx, const uint8_t *data, size_t len);
/* Writes the digest and wipes the context. */
void sha512_final(struct sha512_ctx *ctx, uint8_t digest[SHA512_DIGEST_LEN]);
void sha512(const uint8_t *data, size_t len, uint8_t digest[SHA512_DIGEST_LEN]);

#endif
