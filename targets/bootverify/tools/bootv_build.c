/* Image builder and signer: the writing side of docs/image-format.md. */
#include <string.h>

#include "bootv_build.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/util.h"

static void bootv_build_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void bootv_build_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* size_t may be 32 bits: shifting twice avoids both a shift by the full
 * width and an always-false comparison warning. */
static int bootv_build_fits_u32(size_t v)
{
    return (v >> 16 >> 16) == 0;
}

static uint16_t bootv_build_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t bootv_build_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

void bootv_build_signer_init(struct bootv_build_signer *s,
                             const uint8_t seed[BOOTV_BUILD_SEED_LEN])
{
    memcpy(s->seed, seed, BOOTV_BUILD_SEED_LEN);
    ed25519_public_key(s->pub, s->seed);
    sha256(s->pub, sizeof(s->pub), s->key_hash);
}

void bootv_build_test_signer(struct bootv_build_signer *s, unsigned n)
{
    static const char prefix[] = "fwfuzz bootverify TEST KEY ONLY #";
    uint8_t msg[sizeof(prefix) - 1 + 10];
    uint8_t digits[10];
    uint8_t seed[BOOTV_BUILD_SEED_LEN];
    size_t len = sizeof(prefix) - 1, nd = 0;

    memcpy(msg, prefix, len);
    do {
        digits[nd++] = (uint8_t)('0' + n % 10);
        n /= 10;
    } while (n != 0 && nd < sizeof(digits));
    while (nd > 0)
        msg[len++] = digits[--nd];
    sha256(msg, len, seed);
    bootv_build_signer_init(s, seed);
    crypto_wipe(seed, sizeof(seed));
}

void bootv_build_test_hw_id(uint8_t hw_id[BOOTV_HW_ID_LEN])
{
    memcpy(hw_id, "fwfuzz-test-hwid", BOOTV_HW_ID_LEN);
}

/* Lengths of the two areas, or 0 when one does not fit its u16 total. */
static int bootv_build_area_lens(const struct bootv_build_params *p,
                                 size_t *prot, size_t *unprot)
{
    *prot = BOOTV_TLV_AREA_HDR_LEN;
    *unprot = BOOTV_TLV_AREA_HDR_LEN;
    if (p->next_key_count > 0) {
        if (p->next_key_count > BOOTV_MAX_NEXT_KEYS || p->next_keys == NULL)
            return BOOTV_BUILD_ERR_PARAM;
        *prot += BOOTV_TLV_HDR_LEN + p->next_key_count * BOOTV_HASH_LEN;
    }
    if ((p->omit & BOOTV_BUILD_OMIT_HW_ID) == 0)
        *prot += BOOTV_TLV_HDR_LEN + BOOTV_HW_ID_LEN;
    if ((p->omit & BOOTV_BUILD_OMIT_SHA256) == 0)
        *unprot += BOOTV_TLV_HDR_LEN + BOOTV_HASH_LEN;
    if ((p->omit & BOOTV_BUILD_OMIT_KEY_HASH) == 0)
        *unprot += BOOTV_TLV_HDR_LEN + BOOTV_HASH_LEN;
    if ((p->omit & BOOTV_BUILD_OMIT_SIG) == 0)
        *unprot += BOOTV_TLV_HDR_LEN + BOOTV_SIG_LEN;
    if (p->extra_prot_len > UINT16_MAX || p->extra_unprot_len > UINT16_MAX)
        return BOOTV_BUILD_ERR_PARAM;
    *prot += p->extra_prot_len;
    *unprot += p->extra_unprot_len;
    if (*prot > UINT16_MAX || *unprot > UINT16_MAX)
        return BOOTV_BUILD_ERR_PARAM;
    return 0;
}

size_t bootv_build_image_len(const struct bootv_build_params *p)
{
    size_t hs, prot, unprot;

    if (p == NULL || (p->body == NULL && p->body_len > 0) ||
        !bootv_build_fits_u32(p->body_len) ||
        (p->extra_prot == NULL && p->extra_prot_len > 0) ||
        (p->extra_unprot == NULL && p->extra_unprot_len > 0) ||
        bootv_build_area_lens(p, &prot, &unprot) != 0)
        return 0;
    hs = p->header_size != 0 ? p->header_size : BOOTV_HEADER_LEN;
    if (hs < BOOTV_HEADER_LEN || p->body_len > SIZE_MAX - hs - prot - unprot)
        return 0;
    return hs + p->body_len + prot + unprot;
}

static uint8_t *bootv_build_tlv(uint8_t *at, uint16_t type, const uint8_t *v,
                                size_t len)
{
    bootv_build_put16(at, type);
    bootv_build_put16(at + 2, (uint16_t)len);
    if (len > 0)
        memcpy(at + BOOTV_TLV_HDR_LEN, v, len);
    return at + BOOTV_TLV_HDR_LEN + len;
}

int bootv_build_image(const struct bootv_build_params *p, uint8_t *out,
                      size_t cap, size_t *out_len)
{
    uint8_t zero[BOOTV_SIG_LEN];
    size_t total, hs, prot, unprot;
    uint8_t *at;
    int rc;

    if (out == NULL || out_len == NULL || p == NULL || p->signer == NULL)
        return BOOTV_BUILD_ERR_PARAM;
    total = bootv_build_image_len(p);
    if (total == 0)
        return BOOTV_BUILD_ERR_PARAM;
    if (total > cap)
        return BOOTV_BUILD_ERR_SPACE;
    bootv_build_area_lens(p, &prot, &unprot);
    hs = p->header_size != 0 ? p->header_size : BOOTV_HEADER_LEN;

    memset(out, 0, hs);
    bootv_build_put32(out + BOOTV_OFF_MAGIC, BOOTV_MAGIC);
    bootv_build_put16(out + BOOTV_OFF_HEADER_SIZE, (uint16_t)hs);
    bootv_build_put32(out + BOOTV_OFF_IMAGE_SIZE, (uint32_t)p->body_len);
    bootv_build_put32(out + BOOTV_OFF_LOAD_ADDR, p->load_addr);
    out[BOOTV_OFF_VER_MAJOR] = p->version.major;
    out[BOOTV_OFF_VER_MINOR] = p->version.minor;
    bootv_build_put16(out + BOOTV_OFF_VER_PATCH, p->version.patch);
    bootv_build_put32(out + BOOTV_OFF_VER_BUILD, p->version.build);
    bootv_build_put32(out + BOOTV_OFF_COUNTER, p->security_counter);
    bootv_build_put32(out + BOOTV_OFF_FLAGS, p->flags);
    at = out + hs;
    if (p->body_len > 0)
        memcpy(at, p->body, p->body_len);
    at += p->body_len;

    bootv_build_put16(at, BOOTV_PROT_MAGIC);
    bootv_build_put16(at + 2, (uint16_t)prot);
    at += BOOTV_TLV_AREA_HDR_LEN;
    if ((p->omit & BOOTV_BUILD_OMIT_HW_ID) == 0)
        at = bootv_build_tlv(at, BOOTV_TLV_HW_ID, p->hw_id, BOOTV_HW_ID_LEN);
    if (p->next_key_count > 0)
        at = bootv_build_tlv(at, BOOTV_TLV_NEXT_KEYS, p->next_keys,
                             p->next_key_count * BOOTV_HASH_LEN);
    if (p->extra_prot_len > 0)
        memcpy(at, p->extra_prot, p->extra_prot_len);
    at += p->extra_prot_len;

    memset(zero, 0, sizeof(zero));
    bootv_build_put16(at, BOOTV_UNPROT_MAGIC);
    bootv_build_put16(at + 2, (uint16_t)unprot);
    at += BOOTV_TLV_AREA_HDR_LEN;
    if ((p->omit & BOOTV_BUILD_OMIT_SHA256) == 0)
        at = bootv_build_tlv(at, BOOTV_TLV_SHA256, zero, BOOTV_HASH_LEN);
    if ((p->omit & BOOTV_BUILD_OMIT_KEY_HASH) == 0)
        at = bootv_build_tlv(at, BOOTV_TLV_KEY_HASH, zero, BOOTV_HASH_LEN);
    if ((p->omit & BOOTV_BUILD_OMIT_SIG) == 0)
        at = bootv_build_tlv(at, BOOTV_TLV_ED25519, zero, BOOTV_SIG_LEN);
    if (p->extra_unprot_len > 0)
        memcpy(at, p->extra_unprot, p->extra_unprot_len);

    rc = bootv_build_fix(out, total, p->signer, BOOTV_BUILD_FIX_ALL, NULL);
    if (rc < 0)
        return rc;
    *out_len = total;
    return 0;
}

int bootv_build_fix(uint8_t *img, size_t len,
                    const struct bootv_build_signer *signer, unsigned what,
                    uint8_t digest[BOOTV_HASH_LEN])
{
    uint8_t d[BOOTV_HASH_LEN];
    size_t off, total, pos;
    uint16_t type, vlen;
    unsigned done = 0;
    int fixed = 0;

    if (img == NULL ||
        (signer == NULL &&
         (what & (BOOTV_BUILD_FIX_SIG | BOOTV_BUILD_FIX_KEY_HASH)) != 0))
        return BOOTV_BUILD_ERR_PARAM;
    if (len < BOOTV_HEADER_LEN)
        return BOOTV_BUILD_ERR_FORMAT;
    off = bootv_build_get16(img + BOOTV_OFF_HEADER_SIZE);
    if (off > len || bootv_build_get32(img + BOOTV_OFF_IMAGE_SIZE) > len - off)
        return BOOTV_BUILD_ERR_FORMAT;
    off += bootv_build_get32(img + BOOTV_OFF_IMAGE_SIZE);
    /* Skip the protected area by its declared length. */
    if (len - off < BOOTV_TLV_AREA_HDR_LEN ||
        bootv_build_get16(img + off + 2) > len - off)
        return BOOTV_BUILD_ERR_FORMAT;
    off += bootv_build_get16(img + off + 2);
    sha256(img, off, d);
    if (digest != NULL)
        memcpy(digest, d, sizeof(d));
    if (len - off < BOOTV_TLV_AREA_HDR_LEN)
        return BOOTV_BUILD_ERR_FORMAT;
    total = bootv_build_get16(img + off + 2);
    if (total > len - off)
        total = len - off;
    for (pos = BOOTV_TLV_AREA_HDR_LEN;
         pos < total && total - pos >= BOOTV_TLV_HDR_LEN; pos += vlen) {
        uint8_t *v = img + off + pos + BOOTV_TLV_HDR_LEN;

        type = bootv_build_get16(img + off + pos);
        vlen = bootv_build_get16(img + off + pos + 2);
        pos += BOOTV_TLV_HDR_LEN;
        if (vlen > total - pos)
            break;
        if (type == BOOTV_TLV_SHA256 && vlen == BOOTV_HASH_LEN &&
            (what & ~done & BOOTV_BUILD_FIX_HASH) != 0) {
            memcpy(v, d, sizeof(d));
            done |= BOOTV_BUILD_FIX_HASH;
            fixed++;
        } else if (type == BOOTV_TLV_KEY_HASH && vlen == BOOTV_HASH_LEN &&
                   (what & ~done & BOOTV_BUILD_FIX_KEY_HASH) != 0) {
            memcpy(v, signer->key_hash, BOOTV_HASH_LEN);
            done |= BOOTV_BUILD_FIX_KEY_HASH;
            fixed++;
        } else if (type == BOOTV_TLV_ED25519 && vlen == BOOTV_SIG_LEN &&
                   (what & ~done & BOOTV_BUILD_FIX_SIG) != 0) {
            ed25519_sign(v, d, sizeof(d), signer->seed, signer->pub);
            done |= BOOTV_BUILD_FIX_SIG;
            fixed++;
        }
    }
    return fixed;
}

size_t bootv_build_chain_len(const struct bootv_slice *images, size_t count)
{
    size_t total = BOOTV_CHAIN_HDR_LEN, i;

    if (images == NULL && count > 0)
        return 0;
    for (i = 0; i < count; i++) {
        if (!bootv_build_fits_u32(images[i].len) ||
            images[i].len > SIZE_MAX - 4 - total)
            return 0;
        total += 4 + images[i].len;
    }
    return total;
}

int bootv_build_chain(const struct bootv_slice *images, size_t count,
                      uint8_t *out, size_t cap, size_t *out_len)
{
    size_t total, i, off;

    if (out == NULL || out_len == NULL || !bootv_build_fits_u32(count))
        return BOOTV_BUILD_ERR_PARAM;
    total = bootv_build_chain_len(images, count);
    if (total == 0)
        return BOOTV_BUILD_ERR_PARAM;
    if (total > cap)
        return BOOTV_BUILD_ERR_SPACE;
    bootv_build_put32(out, BOOTV_CHAIN_MAGIC);
    bootv_build_put32(out + 4, (uint32_t)count);
    off = BOOTV_CHAIN_HDR_LEN;
    for (i = 0; i < count; i++) {
        bootv_build_put32(out + off, (uint32_t)images[i].len);
        off += 4;
        if (images[i].len > 0)
            memcpy(out + off, images[i].data, images[i].len);
        off += images[i].len;
    }
    *out_len = total;
    return 0;
}
