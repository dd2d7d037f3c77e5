/* Image verification: structure, hash, key, signature, then device policy. */
#include <string.h>

#include "bootv_internal.h"
#include "bootverify/image.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/util.h"

_Static_assert(BOOTV_KEY_LEN == ED25519_PUBLIC_KEY_LEN, "key size");
_Static_assert(BOOTV_SIG_LEN == ED25519_SIGNATURE_LEN, "signature size");
_Static_assert(BOOTV_HASH_LEN == SHA256_DIGEST_LEN, "digest size");
_Static_assert(BOOTV_OFF_FLAGS + 4 == BOOTV_HEADER_LEN, "header layout");
_Static_assert(BOOTV_HEADER_MAX <= UINT16_MAX &&
                   BOOTV_HEADER_MAX % BOOTV_HEADER_ALIGN == 0 &&
                   BOOTV_HEADER_LEN % BOOTV_HEADER_ALIGN == 0,
               "header size bounds");
_Static_assert(sizeof(struct bootv_key) == BOOTV_KEY_LEN,
               "keys are an array of raw public keys");

/* Known TLVs; also the index of their rule and of their remembered value. */
enum bootv_slot {
    BOOTV_SLOT_HW_ID,
    BOOTV_SLOT_NEXT_KEYS,
    BOOTV_SLOT_SHA256,
    BOOTV_SLOT_KEY_HASH,
    BOOTV_SLOT_SIG,
    BOOTV_SLOT_COUNT
};

enum bootv_area { BOOTV_UNPROT = 0, BOOTV_PROT = 1 };

/* A known TLV: its area, and a value length of n * unit, min <= n <= max. */
struct bootv_tlv_rule {
    uint16_t type;
    uint8_t area;
    uint8_t unit;
    uint8_t min_units;
    uint8_t max_units;
};

_Static_assert(BOOTV_HW_ID_LEN == 16 && BOOTV_HASH_LEN == 32 &&
                   BOOTV_SIG_LEN == 64 && BOOTV_MAX_NEXT_KEYS == 4,
               "the rule table below spells these out");

/* clang-format off */
static const struct bootv_tlv_rule bootv_tlv_rules[BOOTV_SLOT_COUNT] = {
    /* type               area          unit min max */
    {BOOTV_TLV_HW_ID,     BOOTV_PROT,   16,  1,  1}, /* device hardware id */
    {BOOTV_TLV_NEXT_KEYS, BOOTV_PROT,   32,  1,  4}, /* next-stage key hashes */
    {BOOTV_TLV_SHA256,    BOOTV_UNPROT, 32,  1,  1}, /* image digest */
    {BOOTV_TLV_KEY_HASH,  BOOTV_UNPROT, 32,  1,  1}, /* signer's key hash */
    {BOOTV_TLV_ED25519,   BOOTV_UNPROT, 64,  1,  1}, /* signature of digest */
};
/* clang-format on */

struct bootv_tlvs {
    const uint8_t *value[BOOTV_SLOT_COUNT]; /* NULL: not present */
    uint16_t len[BOOTV_SLOT_COUNT];
    uint16_t seen[BOOTV_MAX_TLVS]; /* every type so far, both areas */
    size_t seen_count;
};

static int bootv_parse_header(const uint8_t *img, size_t len,
                              struct bootv_header *h)
{
    size_t i;

    if (len < BOOTV_HEADER_LEN)
        return BOOTV_ERR_TRUNCATED;
    if (bootv_le32(img + BOOTV_OFF_MAGIC) != BOOTV_MAGIC)
        return BOOTV_ERR_BAD_MAGIC;
    h->header_size = bootv_le16(img + BOOTV_OFF_HEADER_SIZE);
    if (h->header_size < BOOTV_HEADER_LEN ||
        h->header_size > BOOTV_HEADER_MAX ||
        h->header_size % BOOTV_HEADER_ALIGN != 0)
        return BOOTV_ERR_HEADER_SIZE;
    if (h->header_size > len)
        return BOOTV_ERR_TRUNCATED;
    if (bootv_le16(img + BOOTV_OFF_RESERVED) != 0)
        return BOOTV_ERR_RESERVED;
    for (i = BOOTV_HEADER_LEN; i < h->header_size; i++) {
        if (img[i] != 0)
            return BOOTV_ERR_RESERVED;
    }
    h->flags = bootv_le32(img + BOOTV_OFF_FLAGS);
    if ((h->flags & ~BOOTV_FLAGS_KNOWN) != 0)
        return BOOTV_ERR_FLAGS;
    h->image_size = bootv_le32(img + BOOTV_OFF_IMAGE_SIZE);
    /* Compared with what is left rather than summed: no wrap on 32 bits. */
    if (h->image_size > len - h->header_size)
        return BOOTV_ERR_TRUNCATED;
    h->load_addr = bootv_le32(img + BOOTV_OFF_LOAD_ADDR);
    if (h->image_size > UINT32_MAX - h->load_addr)
        return BOOTV_ERR_LOAD_ADDR;
    h->version.major = img[BOOTV_OFF_VER_MAJOR];
    h->version.minor = img[BOOTV_OFF_VER_MINOR];
    h->version.patch = bootv_le16(img + BOOTV_OFF_VER_PATCH);
    h->version.build = bootv_le32(img + BOOTV_OFF_VER_BUILD);
    h->security_counter = bootv_le32(img + BOOTV_OFF_COUNTER);
    return BOOTV_OK;
}

static int bootv_note_tlv(struct bootv_tlvs *t, uint16_t type,
                          const uint8_t *value, uint16_t vlen,
                          enum bootv_area area)
{
    const struct bootv_tlv_rule *r;
    size_t i, units, slot = BOOTV_SLOT_COUNT;

    if (t->seen_count == BOOTV_MAX_TLVS)
        return BOOTV_ERR_TLV_COUNT;
    for (i = 0; i < t->seen_count; i++) {
        if (t->seen[i] == type)
            return BOOTV_ERR_DUPLICATE_TLV;
    }
    t->seen[t->seen_count++] = type;
    for (i = 0; i < BOOTV_SLOT_COUNT; i++) {
        if (bootv_tlv_rules[i].type == type)
            slot = i;
    }
    if (slot == BOOTV_SLOT_COUNT)
        return (type & BOOTV_TLV_CRITICAL) ? BOOTV_ERR_UNKNOWN_TLV : BOOTV_OK;
    r = &bootv_tlv_rules[slot];
    if (r->area != area)
        return BOOTV_ERR_TLV_PLACEMENT;
    units = vlen / r->unit;
    if (vlen % r->unit != 0 || units < r->min_units || units > r->max_units)
        return BOOTV_ERR_TLV_LEN;
    t->value[slot] = value;
    t->len[slot] = vlen;
    return BOOTV_OK;
}

/* The area starts at img + off (off <= len); *end is set past its end. */
static int bootv_parse_area(const uint8_t *img, size_t len, size_t off,
                            uint16_t magic, enum bootv_area area,
                            struct bootv_tlvs *t, size_t *end)
{
    const uint8_t *a = img + off;
    size_t total, pos;
    uint16_t type, vlen;
    int rc;

    if (len - off < BOOTV_TLV_AREA_HDR_LEN)
        return BOOTV_ERR_TRUNCATED;
    if (bootv_le16(a) != magic)
        return BOOTV_ERR_TLV_AREA;
    total = bootv_le16(a + 2);
    if (total < BOOTV_TLV_AREA_HDR_LEN)
        return BOOTV_ERR_TLV_AREA;
    if (total > len - off)
        return BOOTV_ERR_TRUNCATED;
    pos = BOOTV_TLV_AREA_HDR_LEN;
    while (pos < total) {
        if (total - pos < BOOTV_TLV_HDR_LEN)
            return BOOTV_ERR_TLV_BOUNDS;
        type = bootv_le16(a + pos);
        vlen = bootv_le16(a + pos + 2);
        pos += BOOTV_TLV_HDR_LEN;
        if (vlen > total - pos)
            return BOOTV_ERR_TLV_BOUNDS;
        rc = bootv_note_tlv(t, type, a + pos, vlen, area);
        if (rc != BOOTV_OK)
            return rc;
        pos += vlen;
    }
    *end = off + total;
    return BOOTV_OK;
}

static int bootv_check_required(const struct bootv_tlvs *t, uint32_t flags)
{
    if (t->value[BOOTV_SLOT_HW_ID] == NULL ||
        t->value[BOOTV_SLOT_SHA256] == NULL ||
        t->value[BOOTV_SLOT_KEY_HASH] == NULL ||
        t->value[BOOTV_SLOT_SIG] == NULL)
        return BOOTV_ERR_MISSING_TLV;
    if ((flags & BOOTV_FLAG_LOADER) != 0 &&
        t->value[BOOTV_SLOT_NEXT_KEYS] == NULL)
        return BOOTV_ERR_MISSING_TLV;
    if ((flags & BOOTV_FLAG_LOADER) == 0 &&
        t->value[BOOTV_SLOT_NEXT_KEYS] != NULL)
        return BOOTV_ERR_UNEXPECTED_TLV;
    return BOOTV_OK;
}

static int bootv_key_listed(const uint8_t hash[BOOTV_HASH_LEN],
                            const uint8_t *list, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++) {
        if (crypto_ct_compare(hash, list + i * BOOTV_HASH_LEN,
                              BOOTV_HASH_LEN) == 0)
            return 1;
    }
    return 0;
}

int bootv_verify_linked(const uint8_t *img, size_t len,
                        const struct bootv_stage *stage,
                        const struct bootv_device *dev,
                        const struct bootv_image_info *parent,
                        uint32_t *verdict, struct bootv_image_info *info)
{
    struct bootv_image_info out;
    struct bootv_tlvs tlvs;
    uint8_t digest[BOOTV_HASH_LEN];
    uint8_t key_hash[BOOTV_HASH_LEN];
    size_t prot_off, unprot_off, end, key;
    int rc;

    if (verdict == NULL)
        return BOOTV_ERR_PARAM;
    *verdict = BOOTV_REJECT;
    memset(&out, 0, sizeof(out));
    memset(&tlvs, 0, sizeof(tlvs));
    if (info != NULL)
        memset(info, 0, sizeof(*info));
    if (img == NULL || stage == NULL || dev == NULL || stage->keys == NULL ||
        stage->key_count == 0) {
        rc = BOOTV_ERR_PARAM;
        goto out;
    }

    rc = bootv_parse_header(img, len, &out.hdr);
    if (rc != BOOTV_OK)
        goto out;
    /* Both terms were checked against len above: the sum is <= len. */
    prot_off = (size_t)out.hdr.header_size + out.hdr.image_size;
    rc = bootv_parse_area(img, len, prot_off, BOOTV_PROT_MAGIC, BOOTV_PROT,
                          &tlvs, &unprot_off);
    if (rc != BOOTV_OK)
        goto out;
    rc = bootv_parse_area(img, len, unprot_off, BOOTV_UNPROT_MAGIC,
                          BOOTV_UNPROT, &tlvs, &end);
    if (rc != BOOTV_OK)
        goto out;
    if (end != len) {
        rc = BOOTV_ERR_TRAILING;
        goto out;
    }
    rc = bootv_check_required(&tlvs, out.hdr.flags);
    if (rc != BOOTV_OK)
        goto out;

    sha256(img, unprot_off, digest);
    if (crypto_ct_compare(digest, tlvs.value[BOOTV_SLOT_SHA256],
                          BOOTV_HASH_LEN) != 0) {
        rc = BOOTV_ERR_HASH;
        goto out;
    }

    for (key = 0; key < stage->key_count; key++) {
        sha256(stage->keys[key].pub, BOOTV_KEY_LEN, key_hash);
        if (crypto_ct_compare(key_hash, tlvs.value[BOOTV_SLOT_KEY_HASH],
                              BOOTV_HASH_LEN) == 0)
            break;
    }
    if (key == stage->key_count) {
        rc = BOOTV_ERR_UNKNOWN_KEY;
        goto out;
    }

    if (ed25519_verify(tlvs.value[BOOTV_SLOT_SIG], digest, sizeof(digest),
                       stage->keys[key].pub) != ED25519_OK) {
        rc = BOOTV_ERR_SIGNATURE;
        goto out;
    }

    /* The image is authentic from here on; what follows is policy. */
    if (parent != NULL && !bootv_key_listed(key_hash, parent->next_keys,
                                            parent->next_key_count)) {
        rc = BOOTV_ERR_KEY_NOT_ALLOWED;
        goto out;
    }
    if (memcmp(tlvs.value[BOOTV_SLOT_HW_ID], dev->hw_id, BOOTV_HW_ID_LEN) !=
        0) {
        rc = BOOTV_ERR_HW_ID;
        goto out;
    }
    if (out.hdr.security_counter < stage->security_counter) {
        rc = BOOTV_ERR_ROLLBACK;
        goto out;
    }
    if ((out.hdr.flags & BOOTV_FLAG_DEBUG) != 0 &&
        dev->allow_debug != BOOTV_ALLOW_DEBUG) {
        rc = BOOTV_ERR_DEBUG;
        goto out;
    }

    /* The one success path. */
    out.body = img + out.hdr.header_size;
    out.key_index = key;
    out.next_keys = tlvs.value[BOOTV_SLOT_NEXT_KEYS];
    out.next_key_count = tlvs.len[BOOTV_SLOT_NEXT_KEYS] / BOOTV_HASH_LEN;
    if (info != NULL)
        *info = out;
    *verdict = BOOTV_ACCEPT;
    rc = BOOTV_OK;
out:
    return rc;
}

int bootv_verify_image(const uint8_t *img, size_t len,
                       const struct bootv_stage *stage,
                       const struct bootv_device *dev, uint32_t *verdict,
                       struct bootv_image_info *info)
{
    return bootv_verify_linked(img, len, stage, dev, NULL, verdict, info);
}

int bootv_image_length(const uint8_t *buf, size_t len, size_t *img_len)
{
    size_t off;
    uint32_t n;
    int area;

    if (img_len == NULL)
        return BOOTV_ERR_PARAM;
    *img_len = 0;
    if (buf == NULL)
        return BOOTV_ERR_PARAM;
    if (len < BOOTV_HEADER_LEN)
        return BOOTV_ERR_TRUNCATED;
    if (bootv_le32(buf + BOOTV_OFF_MAGIC) != BOOTV_MAGIC)
        return BOOTV_ERR_BAD_MAGIC;
    off = bootv_le16(buf + BOOTV_OFF_HEADER_SIZE);
    if (off > len)
        return BOOTV_ERR_TRUNCATED;
    n = bootv_le32(buf + BOOTV_OFF_IMAGE_SIZE);
    if (n > len - off)
        return BOOTV_ERR_TRUNCATED;
    off += n;
    /* The protected TLV area, then the unprotected one. */
    for (area = 0; area < 2; area++) {
        if (len - off < BOOTV_TLV_AREA_HDR_LEN)
            return BOOTV_ERR_TRUNCATED;
        n = bootv_le16(buf + off + 2);
        if (n < BOOTV_TLV_AREA_HDR_LEN)
            return BOOTV_ERR_TLV_AREA;
        if (n > len - off)
            return BOOTV_ERR_TRUNCATED;
        off += n;
    }
    *img_len = off;
    return BOOTV_OK;
}
