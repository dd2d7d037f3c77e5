/* Fix-up mode of the bootverify fuzz targets. */
#include <string.h>

#include "bootv_fuzz_fixup.h"
#include "crypto/ed25519.h"

#define BVF_CACHE 8

static struct bvf_entry {
    uint8_t digest[32];
    uint8_t pub[32];
    uint8_t sig[64];
} bvf_cache[BVF_CACHE];
static unsigned bvf_next, bvf_used;

static void bvf_put16(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void bvf_put32(uint8_t *p, size_t v)
{
    bvf_put16(p, v);
    bvf_put16(p + 2, v >> 16);
}

/* First at >= from with buf[at..at+n) == pat, or len when there is none. */
static size_t bvf_find(const uint8_t *buf, size_t len, size_t from,
                       const uint8_t *pat, size_t n)
{
    size_t at;

    for (at = from; at < len && len - at >= n; at++) {
        if (memcmp(buf + at, pat, n) == 0)
            return at;
    }
    return len;
}

void bvf_fix_lengths(uint8_t *img, size_t len)
{
    static const uint8_t prot[2] = {0x50, 0x7B}, unprot[2] = {0x55, 0x7B};
    size_t hs, p, u;

    if (len < 32)
        return;
    hs = img[4] | (size_t)img[5] << 8;
    p = bvf_find(img, len, hs, prot, 2);
    if (p >= len)
        return;
    u = bvf_find(img, len, p + 4, unprot, 2);
    /* Both area headers (4 bytes each) must lie inside the image. */
    if (u >= len || len - u < 4 || u - p > 0xFFFF || len - u > 0xFFFF)
        return;
    bvf_put32(img + 8, p - hs);
    bvf_put16(img + p + 2, u - p);
    bvf_put16(img + u + 2, len - u);
}

void bvf_fix_container(uint8_t *buf, size_t len)
{
    static const uint8_t magic[4] = {0x46, 0x57, 0x42, 0x56};
    size_t start[4], count, i;

    if (len < 12)
        return;
    count = buf[4] | (size_t)buf[5] << 8 | (size_t)buf[6] << 16 |
            (size_t)buf[7] << 24;
    if (count < 1 || count > 4)
        return;
    start[0] = 12;
    for (i = 1; i < count; i++) {
        start[i] = bvf_find(buf, len, start[i - 1] + 8, magic, 4);
        if (start[i] >= len)
            return;
    }
    for (i = 0; i < count; i++) {
        size_t end = i + 1 < count ? start[i + 1] - 4 : len;

        bvf_put32(buf + start[i] - 4, end - start[i]);
    }
}

void bvf_fix_image(uint8_t *img, size_t len,
                   const struct bootv_build_signer *signer,
                   const struct bvo_policy *pol)
{
    struct bvo_policy pending = *pol;
    struct bvo_result r;
    struct bvf_entry *e;
    size_t at;
    unsigned i;

    bootv_build_fix(img, len, signer,
                    BOOTV_BUILD_FIX_HASH | BOOTV_BUILD_FIX_KEY_HASH, NULL);
    pending.stop_before_sig = 1;
    if (bvo_image(img, len, &pending, &r) != BVO_SIG_PENDING)
        return;
    at = bvo_find_unprot(img, len, 0x0012, 64);
    if (at == 0)
        return;
    for (i = 0; i < bvf_used; i++) {
        e = &bvf_cache[i];
        if (memcmp(e->digest, r.digest, 32) == 0 &&
            memcmp(e->pub, signer->pub, 32) == 0) {
            memcpy(img + at, e->sig, 64);
            bvo_remember(e->sig, e->digest, e->pub);
            return;
        }
    }
    e = &bvf_cache[bvf_next];
    bvf_next = (bvf_next + 1) % BVF_CACHE;
    if (bvf_used < BVF_CACHE)
        bvf_used++;
    memcpy(e->digest, r.digest, 32);
    memcpy(e->pub, signer->pub, 32);
    ed25519_sign(e->sig, e->digest, 32, signer->seed, signer->pub);
    memcpy(img + at, e->sig, 64);
    bvo_remember(e->sig, e->digest, e->pub);
}
