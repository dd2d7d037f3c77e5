/* SHA-512 (FIPS 180-4). */
#include <string.h>

#include "crypto/sha512.h"
#include "crypto/util.h"

/* FIPS 180-4 section 4.2.3: first 64 bits of the fractional parts of the
 * cube roots of the first 80 primes. */
static const uint64_t sha512_k[80] = {
    0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL,
    0xe9b5dba58189dbbcULL, 0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL,
    0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL, 0xd807aa98a3030242ULL,
    0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
    0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL,
    0xc19bf174cf692694ULL, 0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL,
    0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL, 0x2de92c6f592b0275ULL,
    0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
    0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL,
    0xbf597fc7beef0ee4ULL, 0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL,
    0x06ca6351e003826fULL, 0x142929670a0e6e70ULL, 0x27b70a8546d22ffcULL,
    0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
    0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL,
    0x92722c851482353bULL, 0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL,
    0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL, 0xd192e819d6ef5218ULL,
    0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
    0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL,
    0x34b0bcb5e19b48a8ULL, 0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL,
    0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL, 0x748f82ee5defb2fcULL,
    0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
    0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL,
    0xc67178f2e372532bULL, 0xca273eceea26619cULL, 0xd186b8c721c0c207ULL,
    0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL, 0x06f067aa72176fbaULL,
    0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
    0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL,
    0x431d67c49c100d4cULL, 0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL,
    0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

/* FIPS 180-4 section 5.3.5. */
static const uint64_t sha512_iv[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
    0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
    0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

#define SHA512_ROTR(x, n) (((x) >> (n)) | ((x) << (64 - (n))))

static uint64_t sha512_load_be64(const uint8_t *p)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static void sha512_store_be64(uint8_t *p, uint64_t v)
{
    int i;

    for (i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

static void sha512_compress(uint64_t state[8], const uint8_t block[128])
{
    uint64_t w[16];
    uint64_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint64_t e = state[4], f = state[5], g = state[6], h = state[7];
    uint64_t t1, t2, s0, s1;
    int i;

    for (i = 0; i < 16; i++)
        w[i] = sha512_load_be64(block + 8 * i);
    for (i = 0; i < 80; i++) {
        if (i >= 16) {
            s0 = w[(i + 1) & 15];
            s0 = SHA512_ROTR(s0, 1) ^ SHA512_ROTR(s0, 8) ^ (s0 >> 7);
            s1 = w[(i + 14) & 15];
            s1 = SHA512_ROTR(s1, 19) ^ SHA512_ROTR(s1, 61) ^ (s1 >> 6);
            w[i & 15] += s0 + s1 + w[(i + 9) & 15];
        }
        t1 = h +
             (SHA512_ROTR(e, 14) ^ SHA512_ROTR(e, 18) ^ SHA512_ROTR(e, 41)) +
             ((e & f) ^ (~e & g)) + sha512_k[i] + w[i & 15];
        t2 = (SHA512_ROTR(a, 28) ^ SHA512_ROTR(a, 34) ^ SHA512_ROTR(a, 39)) +
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

void sha512_init(struct sha512_ctx *ctx)
{
    memcpy(ctx->state, sha512_iv, sizeof(ctx->state));
    ctx->total_len = 0;
    ctx->block_len = 0;
}

void sha512_update(struct sha512_ctx *ctx, const uint8_t *data, size_t len)
{
    size_t take;

    if (len == 0)
        return;
    ctx->total_len += len;
    if (ctx->block_len > 0) {
        take = SHA512_BLOCK_LEN - ctx->block_len;
        if (take > len)
            take = len;
        memcpy(ctx->block + ctx->block_len, data, take);
        ctx->block_len += take;
        data += take;
        len -= take;
        if (ctx->block_len < SHA512_BLOCK_LEN)
            return;
        sha512_compress(ctx->state, ctx->block);
        ctx->block_len = 0;
    }
    while (len >= SHA512_BLOCK_LEN) {
        sha512_compress(ctx->state, data);
        data += SHA512_BLOCK_LEN;
        len -= SHA512_BLOCK_LEN;
    }
    if (len > 0) {
        memcpy(ctx->block, data, len);
        ctx->block_len = len;
    }
}

void sha512_final(struct sha512_ctx *ctx, uint8_t digest[SHA512_DIGEST_LEN])
{
    size_t n = ctx->block_len;
    int i;

    ctx->block[n++] = 0x80;
    if (n > SHA512_BLOCK_LEN - 16) {
        memset(ctx->block + n, 0, SHA512_BLOCK_LEN - n);
        sha512_compress(ctx->state, ctx->block);
        n = 0;
    }
    memset(ctx->block + n, 0, SHA512_BLOCK_LEN - 16 - n);
    /* 128-bit big-endian bit count; the byte count fits in 64 bits. */
    sha512_store_be64(ctx->block + 112, ctx->total_len >> 61);
    sha512_store_be64(ctx->block + 120, ctx->total_len << 3);
    sha512_compress(ctx->state, ctx->block);
    for (i = 0; i < 8; i++)
        sha512_store_be64(digest + 8 * i, ctx->state[i]);
    crypto_wipe(ctx, sizeof(*ctx));
}

void sha512(const uint8_t *data, size_t len, uint8_t digest[SHA512_DIGEST_LEN])
{
    struct sha512_ctx ctx;

    sha512_init(&ctx);
    sha512_update(&ctx, data, len);
    sha512_final(&ctx, digest);
}
