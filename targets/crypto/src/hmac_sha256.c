/* HMAC-SHA-256 (RFC 2104) and PBKDF2-HMAC-SHA-256 (RFC 8018 section 5.2). */
#include <string.h>

#include "crypto/hmac_sha256.h"
#include "crypto/util.h"

#define HMAC_IPAD 0x36
#define HMAC_OPAD 0x5c

void hmac_sha256_init(struct hmac_sha256_ctx *ctx, const uint8_t *key,
                      size_t key_len)
{
    uint8_t k[SHA256_BLOCK_LEN];
    size_t i;

    memset(k, 0, sizeof(k));
    if (key_len > SHA256_BLOCK_LEN)
        sha256(key, key_len, k);
    else if (key_len > 0)
        memcpy(k, key, key_len);

    for (i = 0; i < sizeof(k); i++)
        k[i] ^= HMAC_IPAD;
    sha256_init(&ctx->inner);
    sha256_update(&ctx->inner, k, sizeof(k));
    for (i = 0; i < sizeof(k); i++)
        k[i] ^= HMAC_IPAD ^ HMAC_OPAD;
    sha256_init(&ctx->outer);
    sha256_update(&ctx->outer, k, sizeof(k));
    crypto_wipe(k, sizeof(k));
}

void hmac_sha256_update(struct hmac_sha256_ctx *ctx, const uint8_t *data,
                        size_t len)
{
    sha256_update(&ctx->inner, data, len);
}

void hmac_sha256_final(struct hmac_sha256_ctx *ctx,
                       uint8_t mac[SHA256_DIGEST_LEN])
{
    uint8_t inner[SHA256_DIGEST_LEN];

    sha256_final(&ctx->inner, inner);
    sha256_update(&ctx->outer, inner, sizeof(inner));
    sha256_final(&ctx->outer, mac);
    crypto_wipe(inner, sizeof(inner));
    crypto_wipe(ctx, sizeof(*ctx));
}

void hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *data,
                 size_t len, uint8_t mac[SHA256_DIGEST_LEN])
{
    struct hmac_sha256_ctx ctx;

    hmac_sha256_init(&ctx, key, key_len);
    hmac_sha256_update(&ctx, data, len);
    hmac_sha256_final(&ctx, mac);
}

int pbkdf2_hmac_sha256(const uint8_t *password, size_t password_len,
                       const uint8_t *salt, size_t salt_len,
                       uint32_t iterations, uint8_t *out, size_t out_len)
{
    /* The keyed state is computed once and copied per PRF call: the same
     * result as rekeying, at half the compressions. */
    struct hmac_sha256_ctx keyed;
    struct hmac_sha256_ctx ctx;
    uint8_t u[SHA256_DIGEST_LEN];
    uint8_t t[SHA256_DIGEST_LEN];
    uint8_t be_index[4];
    uint32_t block_index = 1;
    uint32_t iter;
    size_t take, i;

    if (iterations == 0 || out_len == 0 || out == NULL)
        return PBKDF2_ERR_PARAM;
    /* RFC 8018 5.2 step 1: at most 2^32 - 1 blocks, or the index wraps. */
    if ((out_len - 1) / SHA256_DIGEST_LEN >= 0xffffffffu)
        return PBKDF2_ERR_PARAM;

    hmac_sha256_init(&keyed, password, password_len);
    while (out_len > 0) {
        be_index[0] = (uint8_t)(block_index >> 24);
        be_index[1] = (uint8_t)(block_index >> 16);
        be_index[2] = (uint8_t)(block_index >> 8);
        be_index[3] = (uint8_t)block_index;

        ctx = keyed;
        hmac_sha256_update(&ctx, salt, salt_len);
        hmac_sha256_update(&ctx, be_index, sizeof(be_index));
        hmac_sha256_final(&ctx, u);
        memcpy(t, u, sizeof(t));
        for (iter = 1; iter < iterations; iter++) {
            ctx = keyed;
            hmac_sha256_update(&ctx, u, sizeof(u));
            hmac_sha256_final(&ctx, u);
            for (i = 0; i < sizeof(t); i++)
                t[i] ^= u[i];
        }

        take = out_len < sizeof(t) ? out_len : sizeof(t);
        memcpy(out, t, take);
        out += take;
        out_len -= take;
        block_index++;
    }

    crypto_wipe(&keyed, sizeof(keyed));
    crypto_wipe(&ctx, sizeof(ctx));
    crypto_wipe(u, sizeof(u));
    crypto_wipe(t, sizeof(t));
    return 0;
}
