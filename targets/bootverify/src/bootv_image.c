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

/*
 * Fault-injection hardening (docs/glitch.md): a single glitch (one skipped
 * instruction, one register read as 0) must not turn a failed check into
 * accept. Each check after the structure is computed twice, independently,
 * and both results are branched on and added to a tally; the verdict is
 * computed from the tally at the end, so a skipped branch or a skipped
 * update leaves it wrong, and BOOTV_ACCEPT appears nowhere in the code as
 * a constant a skip could leave behind. The second computation fails only
 * when the first was glitched: BOOTV_ERR_FAULT.
 */
/* clang-format off */
#define BOOTV_STEP_HASH_1 0x1F3D5B79u /* digest == SHA256 TLV */
#define BOOTV_STEP_HASH_2 0x2E4C6A88u
#define BOOTV_STEP_SIG_1  0x3D5B7997u /* Ed25519, verified twice */
#define BOOTV_STEP_SIG_2  0x4C6A88A6u
#define BOOTV_STEP_LINK_1 0x5B7997B5u /* key listed by the parent link */
#define BOOTV_STEP_LINK_2 0x6A88A6C4u
#define BOOTV_STEP_HWID_1 0x7997B5D3u /* HW_ID == the device's */
#define BOOTV_STEP_HWID_2 0x88A6C4E2u
#define BOOTV_STEP_CTR_1  0x97B5D3F1u /* counter >= stored */
#define BOOTV_STEP_CTR_2  0xA6C4E200u
#define BOOTV_STEP_DBG_1  0xB5D3F10Fu /* no DEBUG unless allowed */
#define BOOTV_STEP_DBG_2  0xC4E2001Eu
/* clang-format on */
#define BOOTV_TALLY_OK                                                         \
    ((uint32_t)BOOTV_STEP_HASH_1 + BOOTV_STEP_HASH_2 + BOOTV_STEP_SIG_1 +      \
     BOOTV_STEP_SIG_2 + BOOTV_STEP_LINK_1 + BOOTV_STEP_LINK_2 +                \
     BOOTV_STEP_HWID_1 + BOOTV_STEP_HWID_2 + BOOTV_STEP_CTR_1 +                \
     BOOTV_STEP_CTR_2 + BOOTV_STEP_DBG_1 + BOOTV_STEP_DBG_2)
/* What turns a full tally into BOOTV_ACCEPT (mod 2^32). */
#define BOOTV_TALLY_TO_ACCEPT ((uint32_t)(BOOTV_ACCEPT - BOOTV_TALLY_OK))
_Static_assert(BOOTV_TALLY_OK != 0 && BOOTV_TALLY_TO_ACCEPT != BOOTV_ACCEPT,
               "a skipped addition must not leave BOOTV_ACCEPT");

/* Adds a check to the tally: bad is 0 when it passed. */
static void bootv_tally(volatile uint32_t *tally, uint32_t step, uint32_t bad)
{
    *tally = *tally + (step ^ bad);
    BOOTV_BARRIER();
}

struct bootv_tlvs {
    const uint8_t *value[BOOTV_SLOT_COUNT]; /* NULL: not present */
    uint16_t len[BOOTV_SLOT_COUNT];
    uint16_t seen[BOOTV_MAX_TLVS]; /* every type so far, both areas */
    size_t seen_count;
};

/*
 * The verifier's one copy of everything it parses: the header, then the
 * protected and the unprotected TLV area, each read from the image once.
 * The body is not copied; it is read once, by the hash.
 */
struct bootv_meta {
    uint8_t buf[BOOTV_META_MAX];
    size_t used;       /* bytes copied so far */
    size_t body_len;   /* image_size: where the copy skips the body */
    size_t header_len; /* header_size */
};

_Static_assert(BOOTV_META_MAX >= BOOTV_HEADER_MAX + 2 * BOOTV_TLV_AREA_HDR_LEN,
               "a maximal header and both area headers fit the copy");

/* Copies n more image bytes from img + off; the caller checked both. */
static const uint8_t *bootv_meta_take(struct bootv_meta *m, const uint8_t *img,
                                      size_t off, size_t n)
{
    uint8_t *at = m->buf + m->used;

    memcpy(at, img + off, n);
    m->used += n;
    return at;
}

/* Where a byte of the copy's TLV areas lies in the image. */
static const uint8_t *bootv_meta_in_image(const struct bootv_meta *m,
                                          const uint8_t *img, const uint8_t *p)
{
    return img + (size_t)(p - m->buf) + m->body_len;
}

/* Copies the header and parses it from the copy. */
static int bootv_parse_header(const uint8_t *img, size_t len,
                              struct bootv_meta *m, struct bootv_header *h)
{
    const uint8_t *c;
    size_t i;

    if (len < BOOTV_HEADER_LEN)
        return BOOTV_ERR_TRUNCATED;
    c = bootv_meta_take(m, img, 0, BOOTV_HEADER_LEN);
    if (bootv_le32(c + BOOTV_OFF_MAGIC) != BOOTV_MAGIC)
        return BOOTV_ERR_BAD_MAGIC;
    h->header_size = bootv_le16(c + BOOTV_OFF_HEADER_SIZE);
    if (h->header_size < BOOTV_HEADER_LEN ||
        h->header_size > BOOTV_HEADER_MAX ||
        h->header_size % BOOTV_HEADER_ALIGN != 0)
        return BOOTV_ERR_HEADER_SIZE;
    if (h->header_size > len)
        return BOOTV_ERR_TRUNCATED;
    /* header_size <= BOOTV_HEADER_MAX: the padding fits (static assert). */
    (void)bootv_meta_take(m, img, BOOTV_HEADER_LEN,
                          h->header_size - BOOTV_HEADER_LEN);
    m->header_len = h->header_size;
    if (bootv_le16(c + BOOTV_OFF_RESERVED) != 0)
        return BOOTV_ERR_RESERVED;
    for (i = BOOTV_HEADER_LEN; i < h->header_size; i++) {
        if (c[i] != 0)
            return BOOTV_ERR_RESERVED;
    }
    h->flags = bootv_le32(c + BOOTV_OFF_FLAGS);
    if ((h->flags & ~BOOTV_FLAGS_KNOWN) != 0)
        return BOOTV_ERR_FLAGS;
    h->image_size = bootv_le32(c + BOOTV_OFF_IMAGE_SIZE);
    /* Compared with what is left rather than summed: no wrap on 32 bits. */
    if (h->image_size > len - h->header_size)
        return BOOTV_ERR_TRUNCATED;
    m->body_len = h->image_size;
    h->load_addr = bootv_le32(c + BOOTV_OFF_LOAD_ADDR);
    if (h->image_size > UINT32_MAX - h->load_addr)
        return BOOTV_ERR_LOAD_ADDR;
    h->version.major = c[BOOTV_OFF_VER_MAJOR];
    h->version.minor = c[BOOTV_OFF_VER_MINOR];
    h->version.patch = bootv_le16(c + BOOTV_OFF_VER_PATCH);
    h->version.build = bootv_le32(c + BOOTV_OFF_VER_BUILD);
    h->security_counter = bootv_le32(c + BOOTV_OFF_COUNTER);
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

/*
 * Copies the area at img + off (off <= len) and parses it from the copy;
 * *end is set past its end in the image, *total to its length.
 */
static int bootv_parse_area(const uint8_t *img, size_t len, size_t off,
                            uint16_t magic, enum bootv_area area,
                            struct bootv_meta *m, struct bootv_tlvs *t,
                            size_t *end, size_t *total)
{
    const uint8_t *a;
    size_t pos;
    uint16_t type, vlen;
    int rc;

    if (len - off < BOOTV_TLV_AREA_HDR_LEN)
        return BOOTV_ERR_TRUNCATED;
    /* Room for both area headers is kept (static assert above). */
    a = bootv_meta_take(m, img, off, BOOTV_TLV_AREA_HDR_LEN);
    if (bootv_le16(a) != magic)
        return BOOTV_ERR_TLV_AREA;
    *total = bootv_le16(a + 2);
    if (*total < BOOTV_TLV_AREA_HDR_LEN)
        return BOOTV_ERR_TLV_AREA;
    if (*total > len - off)
        return BOOTV_ERR_TRUNCATED;
    /* The unprotected area's header must still fit after this one. */
    if (*total - BOOTV_TLV_AREA_HDR_LEN >
        sizeof(m->buf) - m->used -
            (area == BOOTV_PROT ? BOOTV_TLV_AREA_HDR_LEN : 0))
        return BOOTV_ERR_TOO_LARGE;
    (void)bootv_meta_take(m, img, off + BOOTV_TLV_AREA_HDR_LEN,
                          *total - BOOTV_TLV_AREA_HDR_LEN);
    pos = BOOTV_TLV_AREA_HDR_LEN;
    while (pos < *total) {
        if (*total - pos < BOOTV_TLV_HDR_LEN)
            return BOOTV_ERR_TLV_BOUNDS;
        type = bootv_le16(a + pos);
        vlen = bootv_le16(a + pos + 2);
        pos += BOOTV_TLV_HDR_LEN;
        if (vlen > *total - pos)
            return BOOTV_ERR_TLV_BOUNDS;
        rc = bootv_note_tlv(t, type, a + pos, vlen, area);
        if (rc != BOOTV_OK)
            return rc;
        pos += vlen;
    }
    *end = off + *total;
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
                        const struct bootv_link *parent,
                        struct bootv_link *next, uint32_t *verdict,
                        struct bootv_image_info *info)
{
    struct bootv_image_info out;
    struct bootv_meta meta;
    struct bootv_tlvs tlvs;
    struct sha256_ctx hash;
    uint8_t digest[BOOTV_HASH_LEN];
    uint8_t key_hash[BOOTV_HASH_LEN];
    size_t prot_off, unprot_off, prot_len, unprot_len, end, key;
    volatile uint32_t tally = 0, accept;
    uint32_t bad, again;
    int rc;

    if (verdict == NULL)
        return BOOTV_ERR_PARAM;
    *verdict = BOOTV_REJECT;
    memset(&out, 0, sizeof(out));
    memset(&tlvs, 0, sizeof(tlvs));
    meta.used = 0;
    meta.body_len = 0;
    meta.header_len = 0;
    if (info != NULL)
        memset(info, 0, sizeof(*info));
    if (next != NULL)
        memset(next, 0, sizeof(*next));
    if (img == NULL || stage == NULL || dev == NULL || stage->keys == NULL ||
        stage->key_count == 0) {
        rc = BOOTV_ERR_PARAM;
        goto out;
    }

    /* From here on the image is read once: into meta, or by the hash. */
    rc = bootv_parse_header(img, len, &meta, &out.hdr);
    if (rc != BOOTV_OK)
        goto out;
    /* Both terms were checked against len above: the sum is <= len. */
    prot_off = (size_t)out.hdr.header_size + out.hdr.image_size;
    rc = bootv_parse_area(img, len, prot_off, BOOTV_PROT_MAGIC, BOOTV_PROT,
                          &meta, &tlvs, &unprot_off, &prot_len);
    if (rc != BOOTV_OK)
        goto out;
    rc = bootv_parse_area(img, len, unprot_off, BOOTV_UNPROT_MAGIC,
                          BOOTV_UNPROT, &meta, &tlvs, &end, &unprot_len);
    if (rc != BOOTV_OK)
        goto out;
    if (end != len) {
        rc = BOOTV_ERR_TRAILING;
        goto out;
    }
    rc = bootv_check_required(&tlvs, out.hdr.flags);
    if (rc != BOOTV_OK)
        goto out;

    /* Header and protected area from the copy, the body from the image. */
    sha256_init(&hash);
    sha256_update(&hash, meta.buf, meta.header_len);
    sha256_update(&hash, img + meta.header_len, meta.body_len);
    sha256_update(&hash, meta.buf + meta.header_len, prot_len);
    sha256_final(&hash, digest);
    bad = (uint32_t)crypto_ct_compare(digest, tlvs.value[BOOTV_SLOT_SHA256],
                                      BOOTV_HASH_LEN);
    bootv_tally(&tally, BOOTV_STEP_HASH_1, bad);
    if (bad != 0) {
        rc = BOOTV_ERR_HASH;
        goto out;
    }
    bad = (uint32_t)crypto_ct_compare(tlvs.value[BOOTV_SLOT_SHA256], digest,
                                      BOOTV_HASH_LEN);
    bootv_tally(&tally, BOOTV_STEP_HASH_2, bad);
    if (bad != 0) {
        rc = BOOTV_ERR_FAULT;
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

    /*
     * Twice: one glitch inside Ed25519 (its last compare, its return
     * value) could make one verification say yes. It doubles the cost.
     */
    bad = (uint32_t)ed25519_verify(tlvs.value[BOOTV_SLOT_SIG], digest,
                                   sizeof(digest), stage->keys[key].pub);
    bootv_tally(&tally, BOOTV_STEP_SIG_1, bad);
    if (bad != (uint32_t)ED25519_OK) {
        rc = BOOTV_ERR_SIGNATURE;
        goto out;
    }
    bad = (uint32_t)ed25519_verify(tlvs.value[BOOTV_SLOT_SIG], digest,
                                   sizeof(digest), stage->keys[key].pub);
    bootv_tally(&tally, BOOTV_STEP_SIG_2, bad);
    if (bad != (uint32_t)ED25519_OK) {
        rc = BOOTV_ERR_FAULT;
        goto out;
    }

    /* The image is authentic from here on; what follows is policy. */
    bad = parent != NULL &&
          !bootv_key_listed(key_hash, parent->keys[0], parent->count);
    bootv_tally(&tally, BOOTV_STEP_LINK_1, bad);
    if (bad != 0) {
        rc = BOOTV_ERR_KEY_NOT_ALLOWED;
        goto out;
    }
    bad = parent != NULL &&
          !bootv_key_listed(key_hash, parent->keys[0], parent->count);
    bootv_tally(&tally, BOOTV_STEP_LINK_2, bad);
    if (bad != 0) {
        rc = BOOTV_ERR_FAULT;
        goto out;
    }
    bad = (uint32_t)memcmp(tlvs.value[BOOTV_SLOT_HW_ID], dev->hw_id,
                           BOOTV_HW_ID_LEN);
    bootv_tally(&tally, BOOTV_STEP_HWID_1, bad);
    if (bad != 0) {
        rc = BOOTV_ERR_HW_ID;
        goto out;
    }
    bad = (uint32_t)crypto_ct_compare(dev->hw_id, tlvs.value[BOOTV_SLOT_HW_ID],
                                      BOOTV_HW_ID_LEN);
    bootv_tally(&tally, BOOTV_STEP_HWID_2, bad);
    if (bad != 0) {
        rc = BOOTV_ERR_FAULT;
        goto out;
    }
    /* The header's counter and flags, parsed once more from the copy. */
    again = bootv_le32(meta.buf + BOOTV_OFF_COUNTER);
    bad = out.hdr.security_counter < bootv_reread(&stage->security_counter);
    bootv_tally(&tally, BOOTV_STEP_CTR_1, bad);
    if (bad != 0) {
        rc = BOOTV_ERR_ROLLBACK;
        goto out;
    }
    bad = (again < bootv_reread(&stage->security_counter)) |
          (again != out.hdr.security_counter);
    bootv_tally(&tally, BOOTV_STEP_CTR_2, bad);
    if (bad != 0) {
        rc = BOOTV_ERR_FAULT;
        goto out;
    }
    again = bootv_le32(meta.buf + BOOTV_OFF_FLAGS);
    bad = (out.hdr.flags & BOOTV_FLAG_DEBUG) != 0 &&
          bootv_reread(&dev->allow_debug) != BOOTV_ALLOW_DEBUG;
    bootv_tally(&tally, BOOTV_STEP_DBG_1, bad);
    if (bad != 0) {
        rc = BOOTV_ERR_DEBUG;
        goto out;
    }
    bad = ((again & BOOTV_FLAG_DEBUG) != 0 &&
           bootv_reread(&dev->allow_debug) != BOOTV_ALLOW_DEBUG) |
          (again != out.hdr.flags);
    bootv_tally(&tally, BOOTV_STEP_DBG_2, bad);
    if (bad != 0) {
        rc = BOOTV_ERR_FAULT;
        goto out;
    }

    /* The one success path. */
    out.body = img + out.hdr.header_size;
    out.key_index = key;
    out.next_key_count = tlvs.len[BOOTV_SLOT_NEXT_KEYS] / BOOTV_HASH_LEN;
    if (tlvs.value[BOOTV_SLOT_NEXT_KEYS] != NULL) {
        /* The caller's pointer is into the image; the next link's keys
         * are the verified copy. */
        out.next_keys =
            bootv_meta_in_image(&meta, img, tlvs.value[BOOTV_SLOT_NEXT_KEYS]);
        if (next != NULL) {
            memcpy(next->keys, tlvs.value[BOOTV_SLOT_NEXT_KEYS],
                   tlvs.len[BOOTV_SLOT_NEXT_KEYS]);
            next->count = out.next_key_count;
        }
    }
    /*
     * Accept only as the sum of every check that passed; stored from
     * memory, so that the compiler cannot store the constant it compared
     * with (a skipped branch would then store it).
     */
    accept = tally + BOOTV_TALLY_TO_ACCEPT;
    if (accept != BOOTV_ACCEPT) {
        rc = BOOTV_ERR_FAULT;
        goto out;
    }
    if (info != NULL)
        *info = out;
    *verdict = accept;
    rc = BOOTV_OK;
out:
    return rc;
}

int bootv_verify_image(const uint8_t *img, size_t len,
                       const struct bootv_stage *stage,
                       const struct bootv_device *dev, uint32_t *verdict,
                       struct bootv_image_info *info)
{
    return bootv_verify_linked(img, len, stage, dev, NULL, NULL, verdict, info);
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
