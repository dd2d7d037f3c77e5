/* Ed25519 (RFC 8032 section 5.1): pure variant, no context. */
#include <string.h>

#include "crypto/ed25519.h"
#include "crypto/sha512.h"
#include "crypto/util.h"

/*
 * GF(2^255 - 19) as ten signed limbs, alternately 26 and 25 bits wide: limb
 * i weighs 2^ceil(25.5 i). Every fe_* result is carried, so each limb is
 * below 2^25 (even) or 2^24 (odd) in magnitude plus a little, which keeps
 * all products and sums of fe_mul inside int64_t.
 *
 * Right shifts of negative values are arithmetic on every compiler we
 * build with (gcc, clang, arm-none-eabi-gcc); left shifts are written as
 * multiplications because shifting a negative value is undefined.
 */
struct fe {
    int32_t v[10];
};

/* Points in extended coordinates: x = X/Z, y = Y/Z, x*y = T/Z. */
struct ge {
    struct fe x, y, z, t;
};

/* A point prepared as the second operand of an addition. */
struct ge_cached {
    struct fe ypx; /* Y + X */
    struct fe ymx; /* Y - X */
    struct fe z;
    struct fe t2d; /* 2 * d * T */
};

#define FE_LIMB_BITS(i) (26 - ((i)&1))

/*
 * Constants as little-endian bytes, computed from the RFC 8032 section 5.1
 * definitions (p = 2^255 - 19).
 */
/* 2 * d, where d = -121665 / 121666 mod p. */
static const uint8_t fe_d2_bytes[32] = {
    0x59, 0xf1, 0xb2, 0x26, 0x94, 0x9b, 0xd6, 0xeb, 0x56, 0xb1, 0x83,
    0x82, 0x9a, 0x14, 0xe0, 0x00, 0x30, 0xd1, 0xf3, 0xee, 0xf2, 0x80,
    0x8e, 0x19, 0xe7, 0xfc, 0xdf, 0x56, 0xdc, 0xd9, 0x06, 0x24,
};
/* d. */
static const uint8_t fe_d_bytes[32] = {
    0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41,
    0x41, 0x4d, 0x0a, 0x70, 0x00, 0x98, 0xe8, 0x79, 0x77, 0x79, 0x40,
    0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52,
};
/* sqrt(-1) = 2^((p - 1) / 4) mod p. */
static const uint8_t fe_sqrtm1_bytes[32] = {
    0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f,
    0xad, 0x06, 0x18, 0x43, 0x2f, 0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00,
    0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b,
};
/* Base point B: x (even), y = 4/5, and t = x * y. */
static const uint8_t ge_base_x[32] = {
    0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25,
    0x95, 0x60, 0xc7, 0x2c, 0x69, 0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2,
    0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21,
};
static const uint8_t ge_base_y[32] = {
    0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
    0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
    0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
};
static const uint8_t ge_base_t[32] = {
    0xa3, 0xdd, 0xb7, 0xa5, 0xb3, 0x8a, 0xde, 0x6d, 0xf5, 0x52, 0x51,
    0x77, 0x80, 0x9f, 0xf0, 0x20, 0x7d, 0xe3, 0xab, 0x64, 0x8e, 0x4e,
    0xea, 0x66, 0x65, 0x76, 0x8b, 0xd7, 0x0f, 0x5f, 0x87, 0x67,
};

/* Group order L = 2^252 + 27742317777372353535851937790883648493. */
static const uint8_t sc_order[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
    0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};
/* 2 * L. */
static const uint8_t sc_order2[32] = {
    0xda, 0xa7, 0xeb, 0xb9, 0x34, 0xc6, 0x24, 0xb0, 0xac, 0x39, 0xef,
    0x45, 0xbd, 0xf3, 0xbd, 0x29, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20,
};
/* L - 2^252 in 21-bit limbs, least significant first. */
static const int32_t sc_delta[6] = {
    1430509, 1626855, 1442968, 997804, 1960495, 683900,
};

/* Rounded carry out of limb i into limb next (times mul): leaves t[i] in
 * [-2^(bits - 1), 2^(bits - 1)). The mask form needs no multiplication
 * by 2^bits (and no overflow check for it under UBSan). */
#define FE_CARRY(t, i, next, bits, mul)                                        \
    do {                                                                       \
        int64_t u_ = (t)[i] + ((int64_t)1 << ((bits)-1));                      \
        (t)[next] += (u_ >> (bits)) * (mul);                                   \
        (t)[i] =                                                               \
            (u_ & (((int64_t)1 << (bits)) - 1)) - ((int64_t)1 << ((bits)-1));  \
    } while (0)

/* Carries t into h; 2^255 = 19 mod p folds the top carry into limb 0. */
static void fe_carry(struct fe *h, int64_t t[10])
{
    struct fe r;

    FE_CARRY(t, 0, 1, 26, 1);
    FE_CARRY(t, 1, 2, 25, 1);
    FE_CARRY(t, 2, 3, 26, 1);
    FE_CARRY(t, 3, 4, 25, 1);
    FE_CARRY(t, 4, 5, 26, 1);
    FE_CARRY(t, 5, 6, 25, 1);
    FE_CARRY(t, 6, 7, 26, 1);
    FE_CARRY(t, 7, 8, 25, 1);
    FE_CARRY(t, 8, 9, 26, 1);
    FE_CARRY(t, 9, 0, 25, 19);
    FE_CARRY(t, 0, 1, 26, 1);
    r.v[0] = (int32_t)t[0];
    r.v[1] = (int32_t)t[1];
    r.v[2] = (int32_t)t[2];
    r.v[3] = (int32_t)t[3];
    r.v[4] = (int32_t)t[4];
    r.v[5] = (int32_t)t[5];
    r.v[6] = (int32_t)t[6];
    r.v[7] = (int32_t)t[7];
    r.v[8] = (int32_t)t[8];
    r.v[9] = (int32_t)t[9];
    *h = r;
}

static void fe_copy(struct fe *h, const struct fe *f)
{
    *h = *f;
}

static void fe_set_small(struct fe *h, int32_t n)
{
    memset(h, 0, sizeof(*h));
    h->v[0] = n;
}

static void fe_add(struct fe *h, const struct fe *f, const struct fe *g)
{
    int64_t t[10];
    int i;

    for (i = 0; i < 10; i++)
        t[i] = (int64_t)f->v[i] + g->v[i];
    fe_carry(h, t);
}

static void fe_sub(struct fe *h, const struct fe *f, const struct fe *g)
{
    int64_t t[10];
    int i;

    for (i = 0; i < 10; i++)
        t[i] = (int64_t)f->v[i] - g->v[i];
    fe_carry(h, t);
}

static void fe_neg(struct fe *h, const struct fe *f)
{
    int i;

    for (i = 0; i < 10; i++)
        h->v[i] = -f->v[i];
}

#define FE_M(a, b) ((int64_t)(a) * (b))

/*
 * Limb products f_i * g_j land in limb (i + j) mod 10, times 2 when i and
 * j are both odd (the half bits of the 25.5-bit radix) and times 19 when
 * they wrap past 2^255. The terms are unrolled (generated from that rule)
 * so the limbs live in registers. Carried inputs keep every factor below
 * 2^31 and every sum below 2^60.
 */
static void fe_mul(struct fe *h, const struct fe *f, const struct fe *g)
{

    int32_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3];
    int32_t f4 = f->v[4], f5 = f->v[5], f6 = f->v[6], f7 = f->v[7];
    int32_t f8 = f->v[8], f9 = f->v[9];
    int32_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3];
    int32_t g4 = g->v[4], g5 = g->v[5], g6 = g->v[6], g7 = g->v[7];
    int32_t g8 = g->v[8], g9 = g->v[9];
    int32_t f1_2 = 2 * f1, f3_2 = 2 * f3, f5_2 = 2 * f5, f7_2 = 2 * f7;
    int32_t f9_2 = 2 * f9;
    int32_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3;
    int32_t g4_19 = 19 * g4, g5_19 = 19 * g5, g6_19 = 19 * g6;
    int32_t g7_19 = 19 * g7, g8_19 = 19 * g8, g9_19 = 19 * g9;
    int64_t t[10];

    t[0] = FE_M(f0, g0) + FE_M(f1_2, g9_19) + FE_M(f2, g8_19) +
           FE_M(f3_2, g7_19) + FE_M(f4, g6_19) + FE_M(f5_2, g5_19) +
           FE_M(f6, g4_19) + FE_M(f7_2, g3_19) + FE_M(f8, g2_19) +
           FE_M(f9_2, g1_19);
    t[1] = FE_M(f0, g1) + FE_M(f1, g0) + FE_M(f2, g9_19) + FE_M(f3, g8_19) +
           FE_M(f4, g7_19) + FE_M(f5, g6_19) + FE_M(f6, g5_19) +
           FE_M(f7, g4_19) + FE_M(f8, g3_19) + FE_M(f9, g2_19);
    t[2] = FE_M(f0, g2) + FE_M(f1_2, g1) + FE_M(f2, g0) + FE_M(f3_2, g9_19) +
           FE_M(f4, g8_19) + FE_M(f5_2, g7_19) + FE_M(f6, g6_19) +
           FE_M(f7_2, g5_19) + FE_M(f8, g4_19) + FE_M(f9_2, g3_19);
    t[3] = FE_M(f0, g3) + FE_M(f1, g2) + FE_M(f2, g1) + FE_M(f3, g0) +
           FE_M(f4, g9_19) + FE_M(f5, g8_19) + FE_M(f6, g7_19) +
           FE_M(f7, g6_19) + FE_M(f8, g5_19) + FE_M(f9, g4_19);
    t[4] = FE_M(f0, g4) + FE_M(f1_2, g3) + FE_M(f2, g2) + FE_M(f3_2, g1) +
           FE_M(f4, g0) + FE_M(f5_2, g9_19) + FE_M(f6, g8_19) +
           FE_M(f7_2, g7_19) + FE_M(f8, g6_19) + FE_M(f9_2, g5_19);
    t[5] = FE_M(f0, g5) + FE_M(f1, g4) + FE_M(f2, g3) + FE_M(f3, g2) +
           FE_M(f4, g1) + FE_M(f5, g0) + FE_M(f6, g9_19) + FE_M(f7, g8_19) +
           FE_M(f8, g7_19) + FE_M(f9, g6_19);
    t[6] = FE_M(f0, g6) + FE_M(f1_2, g5) + FE_M(f2, g4) + FE_M(f3_2, g3) +
           FE_M(f4, g2) + FE_M(f5_2, g1) + FE_M(f6, g0) + FE_M(f7_2, g9_19) +
           FE_M(f8, g8_19) + FE_M(f9_2, g7_19);
    t[7] = FE_M(f0, g7) + FE_M(f1, g6) + FE_M(f2, g5) + FE_M(f3, g4) +
           FE_M(f4, g3) + FE_M(f5, g2) + FE_M(f6, g1) + FE_M(f7, g0) +
           FE_M(f8, g9_19) + FE_M(f9, g8_19);
    t[8] = FE_M(f0, g8) + FE_M(f1_2, g7) + FE_M(f2, g6) + FE_M(f3_2, g5) +
           FE_M(f4, g4) + FE_M(f5_2, g3) + FE_M(f6, g2) + FE_M(f7_2, g1) +
           FE_M(f8, g0) + FE_M(f9_2, g9_19);
    t[9] = FE_M(f0, g9) + FE_M(f1, g8) + FE_M(f2, g7) + FE_M(f3, g6) +
           FE_M(f4, g5) + FE_M(f5, g4) + FE_M(f6, g3) + FE_M(f7, g2) +
           FE_M(f8, g1) + FE_M(f9, g0);
    fe_carry(h, t);
}

/* fe_mul(h, f, f) with each cross product taken once, doubled. */
static void fe_sq(struct fe *h, const struct fe *f)
{

    int32_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3];
    int32_t f4 = f->v[4], f5 = f->v[5], f6 = f->v[6], f7 = f->v[7];
    int32_t f8 = f->v[8], f9 = f->v[9];
    int32_t f1_2 = 2 * f1, f2_2 = 2 * f2, f3_2 = 2 * f3, f4_2 = 2 * f4;
    int32_t f5_2 = 2 * f5, f6_2 = 2 * f6, f7_2 = 2 * f7, f8_2 = 2 * f8;
    int32_t f9_2 = 2 * f9;
    int32_t f5_19 = 19 * f5, f6_19 = 19 * f6, f7_19 = 19 * f7;
    int32_t f8_19 = 19 * f8, f9_19 = 19 * f9;
    int32_t f6_38 = 38 * f6, f7_38 = 38 * f7, f8_38 = 38 * f8;
    int32_t f9_38 = 38 * f9;
    int64_t t[10];

    t[0] = FE_M(f0, f0) + FE_M(f1_2, f9_38) + FE_M(f2, f8_38) +
           FE_M(f3_2, f7_38) + FE_M(f4, f6_38) + FE_M(f5_2, f5_19);
    t[1] = FE_M(f0, f1_2) + FE_M(f2, f9_38) + FE_M(f3, f8_38) +
           FE_M(f4, f7_38) + FE_M(f5, f6_38);
    t[2] = FE_M(f0, f2_2) + FE_M(f1_2, f1) + FE_M(f3_2, f9_38) +
           FE_M(f4, f8_38) + FE_M(f5_2, f7_38) + FE_M(f6, f6_19);
    t[3] = FE_M(f0, f3_2) + FE_M(f1, f2_2) + FE_M(f4, f9_38) + FE_M(f5, f8_38) +
           FE_M(f6, f7_38);
    t[4] = FE_M(f0, f4_2) + FE_M(f1_2, f3_2) + FE_M(f2, f2) +
           FE_M(f5_2, f9_38) + FE_M(f6, f8_38) + FE_M(f7_2, f7_19);
    t[5] = FE_M(f0, f5_2) + FE_M(f1, f4_2) + FE_M(f2, f3_2) + FE_M(f6, f9_38) +
           FE_M(f7, f8_38);
    t[6] = FE_M(f0, f6_2) + FE_M(f1_2, f5_2) + FE_M(f2, f4_2) + FE_M(f3_2, f3) +
           FE_M(f7_2, f9_38) + FE_M(f8, f8_19);
    t[7] = FE_M(f0, f7_2) + FE_M(f1, f6_2) + FE_M(f2, f5_2) + FE_M(f3, f4_2) +
           FE_M(f8, f9_38);
    t[8] = FE_M(f0, f8_2) + FE_M(f1_2, f7_2) + FE_M(f2, f6_2) +
           FE_M(f3_2, f5_2) + FE_M(f4, f4) + FE_M(f9_2, f9_19);
    t[9] = FE_M(f0, f9_2) + FE_M(f1, f8_2) + FE_M(f2, f7_2) + FE_M(f3, f6_2) +
           FE_M(f4, f5_2);
    fe_carry(h, t);
}

static void fe_sqn(struct fe *h, const struct fe *f, int n)
{
    fe_sq(h, f);
    while (--n > 0)
        fe_sq(h, h);
}

/* Loads bits 0..254 of s; bit 255 is ignored (it is the sign of x). The
 * result is carried like every other fe so fe_sq's 38 * f fits. */
static void fe_frombytes(struct fe *h, const uint8_t s[32])
{
    int64_t t[10];
    uint64_t acc = 0;
    int bits = 0, pos = 0, i, w;

    for (i = 0; i < 10; i++) {
        w = FE_LIMB_BITS(i);
        while (bits < w) {
            acc |= (uint64_t)s[pos++] << bits;
            bits += 8;
        }
        t[i] = (int64_t)(acc & (((uint64_t)1 << w) - 1));
        acc >>= w;
        bits -= w;
    }
    fe_carry(h, t);
}

/* Floor carries: limbs become non-negative; the top carry wraps as 19. */
static void fe_carry_floor(int64_t t[10], int wrap)
{
    int64_t c;
    int i, bits;

    for (i = 0; i < 10; i++) {
        bits = FE_LIMB_BITS(i);
        c = t[i] >> bits;
        t[i] -= c * ((int64_t)1 << bits);
        if (i < 9)
            t[i + 1] += c;
        else if (wrap)
            t[0] += 19 * c;
    }
}

/* Canonical little-endian encoding (value reduced below p). */
static void fe_tobytes(uint8_t s[32], const struct fe *h)
{
    int64_t t[10], q;
    uint64_t acc = 0;
    int i, bits = 0, pos = 0;

    /* |h| < 2^255 (1 + e); adding 2p makes it positive and below 2^257.
     * Two floor passes then leave every limb in range and the value in
     * [0, 2^255): the second pass can only wrap if all limbs rippled. */
    for (i = 0; i < 10; i++)
        t[i] = (int64_t)h->v[i] + 2 * (((int64_t)1 << FE_LIMB_BITS(i)) - 1);
    t[0] -= 2 * 18;
    fe_carry_floor(t, 1);
    fe_carry_floor(t, 1);

    /* q = floor((t + 19) / 2^255) is 1 exactly when t >= p. */
    q = (t[0] + 19) >> 26;
    for (i = 1; i < 10; i++)
        q = (t[i] + q) >> FE_LIMB_BITS(i);
    t[0] += 19 * q;
    fe_carry_floor(t, 0);

    for (i = 0; i < 10; i++) {
        acc |= (uint64_t)t[i] << bits;
        bits += FE_LIMB_BITS(i);
        while (bits >= 8 && pos < 32) {
            s[pos++] = (uint8_t)acc;
            acc >>= 8;
            bits -= 8;
        }
    }
    s[31] = (uint8_t)acc;
}

static int fe_isnegative(const struct fe *f)
{
    uint8_t s[32];

    fe_tobytes(s, f);
    return s[0] & 1;
}

static int fe_equal(const struct fe *f, const struct fe *g)
{
    uint8_t a[32], b[32];

    fe_tobytes(a, f);
    fe_tobytes(b, g);
    return crypto_ct_compare(a, b, sizeof(a)) == 0;
}

static void fe_cmov(struct fe *f, const struct fe *g, uint32_t move)
{
    int32_t mask = -(int32_t)move;
    int i;

    for (i = 0; i < 10; i++)
        f->v[i] ^= mask & (f->v[i] ^ g->v[i]);
}

/* out = z^(2^250 - 1), z11 = z^11: the shared prefix of both powers. */
static void fe_pow250(struct fe *out, struct fe *z11, const struct fe *z)
{
    struct fe z2, z9, t0, t1, t2;

    fe_sq(&z2, z);
    fe_sqn(&t0, &z2, 2);
    fe_mul(&z9, &t0, z);
    fe_mul(z11, &z9, &z2);
    fe_sq(&t0, z11);
    fe_mul(&t0, &t0, &z9); /* 2^5 - 1 */
    fe_sqn(&t1, &t0, 5);
    fe_mul(&t0, &t1, &t0); /* 2^10 - 1 */
    fe_sqn(&t1, &t0, 10);
    fe_mul(&t1, &t1, &t0); /* 2^20 - 1 */
    fe_sqn(&t2, &t1, 20);
    fe_mul(&t1, &t2, &t1); /* 2^40 - 1 */
    fe_sqn(&t1, &t1, 10);
    fe_mul(&t0, &t1, &t0); /* 2^50 - 1 */
    fe_sqn(&t1, &t0, 50);
    fe_mul(&t1, &t1, &t0); /* 2^100 - 1 */
    fe_sqn(&t2, &t1, 100);
    fe_mul(&t1, &t2, &t1); /* 2^200 - 1 */
    fe_sqn(&t1, &t1, 50);
    fe_mul(out, &t1, &t0); /* 2^250 - 1 */
}

/* h = z^(p - 2) = 1/z (0 for z = 0). */
static void fe_invert(struct fe *h, const struct fe *z)
{
    struct fe t, z11;

    fe_pow250(&t, &z11, z);
    fe_sqn(&t, &t, 5);
    fe_mul(h, &t, &z11);
}

/* h = z^((p - 5) / 8) = z^(2^252 - 3), for the square root. */
static void fe_pow22523(struct fe *h, const struct fe *z)
{
    struct fe t, z11;

    fe_pow250(&t, &z11, z);
    fe_sqn(&t, &t, 2);
    fe_mul(h, &t, z);
}

static void ge_identity(struct ge *p)
{
    fe_set_small(&p->x, 0);
    fe_set_small(&p->y, 1);
    fe_set_small(&p->z, 1);
    fe_set_small(&p->t, 0);
}

static void ge_base(struct ge *p)
{
    fe_frombytes(&p->x, ge_base_x);
    fe_frombytes(&p->y, ge_base_y);
    fe_set_small(&p->z, 1);
    fe_frombytes(&p->t, ge_base_t);
}

static void ge_to_cached(struct ge_cached *c, const struct ge *p)
{
    struct fe d2;

    fe_frombytes(&d2, fe_d2_bytes);
    fe_add(&c->ypx, &p->y, &p->x);
    fe_sub(&c->ymx, &p->y, &p->x);
    fe_copy(&c->z, &p->z);
    fe_mul(&c->t2d, &p->t, &d2);
}

static void ge_cached_neg(struct ge_cached *r, const struct ge_cached *c)
{
    fe_copy(&r->ypx, &c->ymx);
    fe_copy(&r->ymx, &c->ypx);
    fe_copy(&r->z, &c->z);
    fe_neg(&r->t2d, &c->t2d);
}

/*
 * r = p + q, "add-2008-hwcd-3" (Hisil, Wong, Carter, Dawson 2008) for
 * a = -1: complete on this curve, so doubling or the identity need no
 * special case. r may alias p.
 */
static void ge_add(struct ge *r, const struct ge *p, const struct ge_cached *q)
{
    struct fe a, b, c, d, e, f, g, h;

    fe_sub(&a, &p->y, &p->x);
    fe_mul(&a, &a, &q->ymx);
    fe_add(&b, &p->y, &p->x);
    fe_mul(&b, &b, &q->ypx);
    fe_mul(&c, &p->t, &q->t2d);
    fe_mul(&d, &p->z, &q->z);
    fe_add(&d, &d, &d);
    fe_sub(&e, &b, &a);
    fe_sub(&f, &d, &c);
    fe_add(&g, &d, &c);
    fe_add(&h, &b, &a);
    fe_mul(&r->x, &e, &f);
    fe_mul(&r->y, &g, &h);
    fe_mul(&r->z, &f, &g);
    fe_mul(&r->t, &e, &h);
}

/*
 * r = 2p, "dbl-2008-hwcd" for a = -1. r may alias p. T is computed only
 * with want_t: it is read by ge_add alone, so a doubling followed by
 * another doubling skips one multiplication.
 */
static void ge_double(struct ge *r, const struct ge *p, int want_t)
{
    struct fe a, b, c, e, f, g, h;

    fe_sq(&a, &p->x);
    fe_sq(&b, &p->y);
    fe_sq(&c, &p->z);
    fe_add(&c, &c, &c);
    fe_add(&e, &p->x, &p->y);
    fe_sq(&e, &e);
    fe_sub(&e, &e, &a);
    fe_sub(&e, &e, &b);
    fe_sub(&g, &b, &a); /* -A + B */
    fe_sub(&f, &g, &c);
    fe_add(&h, &a, &b);
    fe_neg(&h, &h); /* -A - B */
    fe_mul(&r->x, &e, &f);
    fe_mul(&r->y, &g, &h);
    fe_mul(&r->z, &f, &g);
    if (want_t)
        fe_mul(&r->t, &e, &h);
}

static void ge_tobytes(uint8_t s[32], const struct ge *p)
{
    struct fe zi, x, y;

    fe_invert(&zi, &p->z);
    fe_mul(&x, &p->x, &zi);
    fe_mul(&y, &p->y, &zi);
    fe_tobytes(s, &y);
    s[31] |= (uint8_t)(fe_isnegative(&x) << 7);
}

/*
 * RFC 8032 section 5.1.3, returning the negated point -A (verification
 * needs [S]B - [k]A). Public input only: not constant time. Returns 0, or
 * -1 for a non-canonical y, a y with no x, or x = 0 with the sign bit set.
 */
static int ge_frombytes_neg(struct ge *p, const uint8_t s[32])
{
    struct fe u, v, v3, vxx, t, one;
    uint8_t check[32];
    int sign = s[31] >> 7;

    fe_frombytes(&p->y, s);
    fe_tobytes(check, &p->y);
    if (memcmp(check, s, 31) != 0 || check[31] != (s[31] & 0x7f))
        return -1;

    fe_set_small(&one, 1);
    fe_set_small(&p->z, 1);
    fe_frombytes(&t, fe_d_bytes);
    fe_sq(&u, &p->y);
    fe_mul(&v, &u, &t);
    fe_sub(&u, &u, &one); /* u = y^2 - 1 */
    fe_add(&v, &v, &one); /* v = d y^2 + 1 */

    /* x = u v^3 (u v^7)^((p - 5) / 8) */
    fe_sq(&v3, &v);
    fe_mul(&v3, &v3, &v);
    fe_sq(&p->x, &v3);
    fe_mul(&p->x, &p->x, &v);
    fe_mul(&p->x, &p->x, &u);
    fe_pow22523(&p->x, &p->x);
    fe_mul(&p->x, &p->x, &v3);
    fe_mul(&p->x, &p->x, &u);

    fe_sq(&vxx, &p->x);
    fe_mul(&vxx, &vxx, &v);
    if (!fe_equal(&vxx, &u)) {
        fe_neg(&t, &u);
        if (!fe_equal(&vxx, &t))
            return -1;
        fe_frombytes(&t, fe_sqrtm1_bytes);
        fe_mul(&p->x, &p->x, &t);
    }
    fe_set_small(&t, 0);
    if (sign && fe_equal(&p->x, &t))
        return -1;
    /* Negated: keep the root whose parity differs from the sign bit. */
    if (fe_isnegative(&p->x) == sign)
        fe_neg(&p->x, &p->x);
    fe_mul(&p->t, &p->x, &p->y);
    return 0;
}

/*
 * 1 when p has order 1, 2, 4 or 8. Such a public key belongs to no secret
 * scalar, and [k]A vanishes, so anyone could forge under it. [8]p has
 * order dividing L, so it has x = 0 exactly when it is the identity.
 */
static int ge_has_small_order(const struct ge *p)
{
    static const uint8_t zero[32];
    struct ge q;
    uint8_t x[32];

    ge_double(&q, p, 0);
    ge_double(&q, &q, 0);
    ge_double(&q, &q, 0);
    fe_tobytes(x, &q.x);
    return memcmp(x, zero, sizeof(x)) == 0;
}

/* Rounded signed carries from limb from up to (not including) limb to. */
static void sc_carry(int64_t *s, int from, int to)
{
    int64_t c;
    int i;

    for (i = from; i < to; i++) {
        c = (s[i] + ((int64_t)1 << 20)) >> 21;
        s[i + 1] += c;
        s[i] -= c * ((int64_t)1 << 21);
    }
}

/* Folds limb k (weight 2^(21 k), k >= 12) down: 2^252 = -delta mod L. */
static void sc_fold(int64_t *s, int k)
{
    int j;

    for (j = 0; j < 6; j++)
        s[k - 12 + j] -= s[k] * sc_delta[j];
    s[k] = 0;
}

/* v = v - m if v >= m, in constant time. */
static void sc_sub_if_ge(uint8_t v[32], const uint8_t m[32])
{
    uint8_t t[32];
    uint32_t borrow = 0, x;
    uint8_t keep;
    int i;

    for (i = 0; i < 32; i++) {
        x = (uint32_t)v[i] - m[i] - borrow;
        t[i] = (uint8_t)x;
        borrow = x >> 31;
    }
    keep = (uint8_t)(borrow - 1); /* 0xff when there was no borrow */
    for (i = 0; i < 32; i++)
        v[i] = (uint8_t)(v[i] ^ (keep & (v[i] ^ t[i])));
}

/*
 * Reduces s = sum s[i] 2^(21 i) (25 limbs, each below 2^47 in magnitude,
 * value below 2^512) modulo L into 32 canonical bytes. Fixed sequence of
 * operations: secret scalars go through here.
 */
static void sc_reduce_limbs(uint8_t out[32], int64_t s[25])
{
    uint64_t acc = 0;
    int k, i, bits = 0, pos = 0;

    sc_carry(s, 0, 24);
    for (k = 24; k >= 12; k--) {
        sc_fold(s, k);
        sc_carry(s, 0, k - 1);
    }
    /* s[11] may still hold a few bits above 2^252: fold once more. */
    sc_carry(s, 11, 12);
    sc_fold(s, 12);
    sc_carry(s, 0, 11);

    /* Now |s| < 2^252 (1 + e). Add 2L to make it positive, below 2^254. */
    s[12] = 2;
    for (i = 0; i < 6; i++)
        s[i] += 2 * (int64_t)sc_delta[i];
    for (i = 0; i < 12; i++) {
        int64_t c = s[i] >> 21;
        s[i] -= c * ((int64_t)1 << 21);
        s[i + 1] += c;
    }
    for (i = 0; i < 13; i++) {
        acc |= (uint64_t)s[i] << bits;
        bits += 21;
        while (bits >= 8 && pos < 32) {
            out[pos++] = (uint8_t)acc;
            acc >>= 8;
            bits -= 8;
        }
    }
    /* Below 4L: two conditional subtractions land in [0, L). */
    sc_sub_if_ge(out, sc_order2);
    sc_sub_if_ge(out, sc_order);
}

/* Splits n bytes into 21-bit limbs s[0..count). */
static void sc_load(int64_t *s, int count, const uint8_t *in, int n)
{
    uint64_t acc = 0;
    int bits = 0, pos = 0, i;

    for (i = 0; i < count; i++) {
        while (bits < 21 && pos < n) {
            acc |= (uint64_t)in[pos++] << bits;
            bits += 8;
        }
        s[i] = (int64_t)(acc & 0x1fffff);
        acc >>= 21;
        bits = bits > 21 ? bits - 21 : 0;
    }
}

/* out = in mod L for a 64-byte little-endian number (a SHA-512 digest). */
static void sc_reduce64(uint8_t out[32], const uint8_t in[64])
{
    int64_t s[25];

    sc_load(s, 25, in, 64);
    sc_reduce_limbs(out, s);
    crypto_wipe(s, sizeof(s));
}

/* out = a * b + c mod L, all 32-byte little-endian numbers. */
static void sc_muladd(uint8_t out[32], const uint8_t a[32], const uint8_t b[32],
                      const uint8_t c[32])
{
    int64_t al[13], bl[13], s[25];
    int i, j;

    sc_load(al, 13, a, 32);
    sc_load(bl, 13, b, 32);
    sc_load(s, 13, c, 32);
    for (i = 13; i < 25; i++)
        s[i] = 0;
    for (i = 0; i < 13; i++)
        for (j = 0; j < 13; j++)
            s[i + j] += al[i] * bl[j];
    sc_reduce_limbs(out, s);
    crypto_wipe(al, sizeof(al));
    crypto_wipe(bl, sizeof(bl));
    crypto_wipe(s, sizeof(s));
}

/* 1 when s < L. Public input: not constant time. */
static int sc_is_canonical(const uint8_t s[32])
{
    int i;

    for (i = 31; i >= 0; i--) {
        if (s[i] != sc_order[i])
            return s[i] < sc_order[i];
    }
    return 0;
}

static uint32_t ct_eq_small(uint32_t a, uint32_t b)
{
    return ((a ^ b) - 1) >> 31;
}

/* r = tab[|digit| - 1], negated when digit < 0, identity for 0; digit in
 * [-8, 8]. Reads every entry so the access pattern hides the digit. */
static void ge_select(struct ge_cached *r, const struct ge_cached tab[8],
                      int32_t digit)
{
    struct ge_cached neg;
    uint32_t is_neg = (uint32_t)digit >> 31;
    int32_t m = -(int32_t)is_neg;
    uint32_t abs_digit = (uint32_t)((digit ^ m) - m);
    uint32_t j;

    fe_set_small(&r->ypx, 1);
    fe_set_small(&r->ymx, 1);
    fe_set_small(&r->z, 1);
    fe_set_small(&r->t2d, 0);
    for (j = 1; j <= 8; j++) {
        uint32_t hit = ct_eq_small(abs_digit, j);

        fe_cmov(&r->ypx, &tab[j - 1].ypx, hit);
        fe_cmov(&r->ymx, &tab[j - 1].ymx, hit);
        fe_cmov(&r->z, &tab[j - 1].z, hit);
        fe_cmov(&r->t2d, &tab[j - 1].t2d, hit);
    }
    ge_cached_neg(&neg, r);
    fe_cmov(&r->ypx, &neg.ypx, is_neg);
    fe_cmov(&r->ymx, &neg.ymx, is_neg);
    fe_cmov(&r->t2d, &neg.t2d, is_neg);
    crypto_wipe(&neg, sizeof(neg));
}

/*
 * r = [s]B for a secret s < 2^255, in constant time: 64 signed radix-16
 * digits in [-8, 8], four doublings and one table addition per digit, the
 * table (1B..8B) built at run time so no flash is spent on it.
 */
static void ge_scalarmult_base(struct ge *r, const uint8_t s[32])
{
    struct ge_cached tab[8], sel;
    struct ge b;
    int8_t e[64];
    int32_t carry = 0;
    int i;

    for (i = 0; i < 32; i++) {
        e[2 * i] = (int8_t)(s[i] & 15);
        e[2 * i + 1] = (int8_t)(s[i] >> 4);
    }
    /* Recentre each digit into [-8, 8) moving the excess up; the top
     * digit ends in [0, 8] because s < 2^255. */
    for (i = 0; i < 63; i++) {
        int32_t d = e[i] + carry;

        carry = (d + 8) >> 4;
        e[i] = (int8_t)(d - carry * 16);
    }
    e[63] = (int8_t)(e[63] + carry);

    ge_base(&b);
    ge_to_cached(&tab[0], &b);
    for (i = 1; i < 8; i++) {
        ge_add(&b, &b, &tab[0]);
        ge_to_cached(&tab[i], &b);
    }

    ge_identity(r);
    for (i = 63; i >= 0; i--) {
        ge_double(r, r, 0);
        ge_double(r, r, 0);
        ge_double(r, r, 0);
        ge_double(r, r, 1);
        ge_select(&sel, tab, e[i]);
        ge_add(r, r, &sel);
    }
    crypto_wipe(e, sizeof(e));
    crypto_wipe(&sel, sizeof(sel));
}

/*
 * Window of the verifier's wNAF digits. Width 4 needs two tables of four
 * points (1.3 KB less stack than width 5, measured 4.8 -> 3.6 KB on a
 * Cortex-M4 build) for about 3% more instructions per verify.
 */
#ifndef ED25519_WNAF_WIDTH
#define ED25519_WNAF_WIDTH 4
#endif
#if ED25519_WNAF_WIDTH < 2 || ED25519_WNAF_WIDTH > 7
#error "ED25519_WNAF_WIDTH must be in 2..7 (digits are int8_t)"
#endif
#define ED25519_WNAF_TABLE (1 << (ED25519_WNAF_WIDTH - 2))

static int sc_bit(const uint8_t s[32], int i)
{
    return i < 256 ? (s[i >> 3] >> (i & 7)) & 1 : 0;
}

/*
 * Width-w non-adjacent form of s < 2^253: odd digits below 2^(w - 1) in
 * magnitude, each followed by at least w - 1 zeros. A carry out of the
 * last window lands at bit 253 at most, inside naf[]. Public scalars only
 * (variable time).
 */
static void sc_wnaf(int8_t naf[256], const uint8_t s[32])
{
    int i = 0, j, carry = 0, w;

    memset(naf, 0, 256);
    while (i < 256) {
        if (sc_bit(s, i) == carry) {
            i++; /* bit + carry is 0 or 2: a zero digit, carry stays */
            continue;
        }
        w = carry;
        for (j = 0; j < ED25519_WNAF_WIDTH; j++)
            w += sc_bit(s, i + j) << j;
        if (w > (1 << (ED25519_WNAF_WIDTH - 1))) {
            naf[i] = (int8_t)(w - (1 << ED25519_WNAF_WIDTH));
            carry = 1;
        } else {
            naf[i] = (int8_t)w;
            carry = 0;
        }
        i += ED25519_WNAF_WIDTH;
    }
}

/* tab[i] = (2 i + 1) p for i in [0, ED25519_WNAF_TABLE). */
static void ge_odd_multiples(struct ge_cached *tab, const struct ge *p)
{
    struct ge_cached p2c;
    struct ge q;
    int i;

    ge_double(&q, p, 1);
    ge_to_cached(&p2c, &q);
    q = *p;
    ge_to_cached(&tab[0], &q);
    for (i = 1; i < ED25519_WNAF_TABLE; i++) {
        ge_add(&q, &q, &p2c);
        ge_to_cached(&tab[i], &q);
    }
}

static void ge_add_digit(struct ge *r, const struct ge_cached *tab, int digit)
{
    struct ge_cached neg;

    if (digit > 0) {
        ge_add(r, r, &tab[digit / 2]);
    } else if (digit < 0) {
        ge_cached_neg(&neg, &tab[-digit / 2]);
        ge_add(r, r, &neg);
    }
}

/*
 * r = [a]A + [b]B (Straus: one shared doubling chain, wNAF digits of both
 * scalars). Variable time: verification handles public values only.
 */
static void ge_double_scalarmult(struct ge *r, const uint8_t a[32],
                                 const struct ge *pa, const uint8_t b[32])
{
    struct ge_cached atab[ED25519_WNAF_TABLE], btab[ED25519_WNAF_TABLE];
    int8_t anaf[256], bnaf[256];
    struct ge base;
    int i;

    sc_wnaf(anaf, a);
    sc_wnaf(bnaf, b);
    ge_odd_multiples(atab, pa);
    ge_base(&base);
    ge_odd_multiples(btab, &base);

    ge_identity(r);
    for (i = 255; i >= 0 && anaf[i] == 0 && bnaf[i] == 0; i--)
        ;
    for (; i >= 0; i--) {
        ge_double(r, r, anaf[i] != 0 || bnaf[i] != 0);
        ge_add_digit(r, atab, anaf[i]);
        ge_add_digit(r, btab, bnaf[i]);
    }
}

/* a = clamped first half of SHA-512(seed), prefix = second half. */
static void ed25519_expand(uint8_t h[64], const uint8_t seed[32])
{
    sha512(seed, ED25519_SEED_LEN, h);
    h[0] &= 248;
    h[31] &= 127;
    h[31] |= 64;
}

void ed25519_public_key(uint8_t pub[ED25519_PUBLIC_KEY_LEN],
                        const uint8_t seed[ED25519_SEED_LEN])
{
    uint8_t h[64];
    struct ge a;

    ed25519_expand(h, seed);
    ge_scalarmult_base(&a, h);
    ge_tobytes(pub, &a);
    crypto_wipe(h, sizeof(h));
    crypto_wipe(&a, sizeof(a));
}

void ed25519_sign(uint8_t sig[ED25519_SIGNATURE_LEN], const uint8_t *msg,
                  size_t len, const uint8_t seed[ED25519_SEED_LEN],
                  const uint8_t pub[ED25519_PUBLIC_KEY_LEN])
{
    struct sha512_ctx hs;
    struct ge p;
    uint8_t h[64], digest[64];
    uint8_t a_pub[32], r[32], k[32], rs[32];

    /* The key hashed into k is derived from seed, never taken from the
     * caller: signing with a mismatched public key would leak the secret
     * scalar (two signatures of one message under two keys). */
    (void)pub;
    ed25519_expand(h, seed);
    ge_scalarmult_base(&p, h);
    ge_tobytes(a_pub, &p);

    sha512_init(&hs);
    sha512_update(&hs, h + 32, 32);
    sha512_update(&hs, msg, len);
    sha512_final(&hs, digest);
    sc_reduce64(r, digest);

    ge_scalarmult_base(&p, r);
    ge_tobytes(rs, &p);

    sha512_init(&hs);
    sha512_update(&hs, rs, 32);
    sha512_update(&hs, a_pub, 32);
    sha512_update(&hs, msg, len);
    sha512_final(&hs, digest);
    sc_reduce64(k, digest);

    /* Written last so msg may overlap sig. */
    sc_muladd(sig + 32, k, h, r);
    memcpy(sig, rs, 32);

    crypto_wipe(h, sizeof(h));
    crypto_wipe(digest, sizeof(digest));
    crypto_wipe(r, sizeof(r));
    crypto_wipe(&p, sizeof(p));
}

int ed25519_verify(const uint8_t sig[ED25519_SIGNATURE_LEN], const uint8_t *msg,
                   size_t len, const uint8_t pub[ED25519_PUBLIC_KEY_LEN])
{
    struct sha512_ctx hs;
    struct ge neg_a, r;
    uint8_t digest[64], k[32], check[32];
    int ret = ED25519_ERR_BAD_SIG;

    if (sig == NULL || pub == NULL || (msg == NULL && len > 0))
        goto out;
    /* S >= L would make (R, S + L) a second valid signature. */
    if (!sc_is_canonical(sig + 32)) {
        ret = ED25519_ERR_BAD_S;
        goto out;
    }
    if (ge_frombytes_neg(&neg_a, pub) != 0 || ge_has_small_order(&neg_a)) {
        ret = ED25519_ERR_BAD_KEY;
        goto out;
    }

    sha512_init(&hs);
    sha512_update(&hs, sig, 32);
    sha512_update(&hs, pub, 32);
    sha512_update(&hs, msg, len);
    sha512_final(&hs, digest);
    sc_reduce64(k, digest);

    /* R' = [S]B - [k]A; its encoding must equal R byte for byte. A
     * non-canonical R can never match the canonical encoding of R'. */
    ge_double_scalarmult(&r, k, &neg_a, sig + 32);
    ge_tobytes(check, &r);
    if (crypto_ct_compare(check, sig, 32) == 0)
        ret = ED25519_OK;
out:
    return ret;
}
