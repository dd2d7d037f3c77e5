/* SHA-256 (FIPS 180-4). */
#include <string.h>

#include "crypto/sha256.h"
#include "crypto/util.h"

/* FIPS 180-4 section 4.2.2: first 32 bits of the fractional parts of the
 * cube roots of the first 64 primes. */
static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* FIPS 180-4 section 5.3.3. */
static const uint32_t sha256_iv[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

#define SHA256_ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static uint32_t sha256_load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void sha256_store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* A 16-word rolling schedule keeps the stack small on Cortex-M0+. */
static void sha256_compress(uint32_t state[8], const uint8_t block[64])
{
    uint32_t w[16];
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    uint32_t t1, t2, s0, s1;
    int i;

    for (i = 0; i < 16; i++)
        w[i] = sha256_load_be32(block + 4 * i);
    for (i = 0; i < 64; i++) {
        if (i >= 16) {
            s0 = w[(i + 1) & 15];
            s0 = SHA256_ROTR(s0, 7) ^ SHA256_ROTR(s0, 18) ^ (s0 >> 3);
            s1 = w[(i + 14) & 15];
            s1 = SHA256_ROTR(s1, 17) ^ SHA256_ROTR(s1, 19) ^ (s1 >> 10);
            w[i & 15] += s0 + s1 + w[(i + 9) & 15];
        }
        t1 = h + (SHA256_ROTR(e, 6) ^ SHA256_ROTR(e, 11) ^ SHA256_ROTR(e, 25)) +
             ((e & f) ^ (~e & g)) + sha256_k[i] + w[i & 15];
        t2 = (SHA256_ROTR(a, 2) ^ SHA256_ROTR(a, 13) ^ SHA256_ROTR(a, 22)) +
             ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
    crypto_wipe(w, sizeof(w));
}

void sha256_init(struct sha256_ctx *ctx)
{
    memcpy(ctx->state, sha256_iv, sizeof(ctx->state));
    ctx->total_len = 0;
    ctx->block_len = 0;
}

void sha256_update(struct sha256_ctx *ctx, const uint8_t *data, size_t len)
{
    size_t take;

    if (len == 0)
        return;
    ctx->total_len += len;
    if (ctx->block_len > 0) {
        take = SHA256_BLOCK_LEN - ctx->block_len;
        if (take > len)
            take = len;
        memcpy(ctx->block + ctx->block_len, data, take);
        ctx->block_len += take;
        data += take;
        len -= take;
        if (ctx->block_len < SHA256_BLOCK_LEN)
            return;
        sha256_compress(ctx->state, ctx->block);
        ctx->block_len = 0;
    }
    while (len >= SHA256_BLOCK_LEN) {
        sha256_compress(ctx->state, data);
        data += SHA256_BLOCK_LEN;
        len -= SHA256_BLOCK_LEN;
    }
    if (len > 0) {
        memcpy(ctx->block, data, len);
        ctx->block_len = len;
    }
}

void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_LEN])
{
    uint64_t bits = ctx->total_len << 3;
    size_t n = ctx->block_len;
    int i;

    ctx->block[n++] = 0x80;
    if (n > SHA256_BLOCK_LEN - 8) {
        memset(ctx->block + n, 0, SHA256_BLOCK_LEN - n);
        sha256_compress(ctx->state, ctx->block);
        n = 0;
    }
    memset(ctx->block + n, 0, SHA256_BLOCK_LEN - 8 - n);
    sha256_store_be32(ctx->block + 56, (uint32_t)(bits >> 32));
    sha256_store_be32(ctx->block + 60, (uint32_t)bits);
    sha256_compress(ctx->state, ctx->block);
    for (i = 0; i < 8; i++)
        sha256_store_be32(digest + 4 * i, ctx->state[i]);
    crypto_wipe(ctx, sizeof(*ctx));
}

void sha256(const uint8_t *data, size_t len, uint8_t digest[SHA256_DIGEST_LEN])
{
    struct sha256_ctx ctx;

    sha256_init(&ctx);
    sha256_update(&ctx, data, len);
    sha256_final(&ctx, digest);
}
