/* The fuzz targets' second opinion, written from docs/image-format.md. */
#include <string.h>

#include "bootv_fuzz_oracle.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"

/* From the document, deliberately not from bootverify/image.h. */
#define DOC_MAGIC        0x56425746u
#define DOC_PROT_MAGIC   0x7B50u
#define DOC_UNPROT_MAGIC 0x7B55u
#define DOC_CHAIN_MAGIC  0x48435746u

static uint64_t rd(const uint8_t *p, int n)
{
    uint64_t v = 0;

    while (n-- > 0)
        v = (v << 8) | p[n];
    return v;
}

#define DOC_MEMO 8

static struct doc_memo {
    uint8_t triple[64 + 32 + 32];
} memo[DOC_MEMO];
static unsigned memo_next, memo_used;

void bvo_remember(const uint8_t sig[64], const uint8_t digest[32],
                  const uint8_t pub[32])
{
    uint8_t *m = memo[memo_next].triple;

    memcpy(m, sig, 64);
    memcpy(m + 64, digest, 32);
    memcpy(m + 96, pub, 32);
    memo_next = (memo_next + 1) % DOC_MEMO;
    if (memo_used < DOC_MEMO)
        memo_used++;
}

static int doc_recall(const uint8_t *sig, const uint8_t *digest,
                      const uint8_t *pub)
{
    unsigned i;

    for (i = 0; i < memo_used; i++) {
        const uint8_t *m = memo[i].triple;

        if (memcmp(m, sig, 64) == 0 && memcmp(m + 64, digest, 32) == 0 &&
            memcmp(m + 96, pub, 32) == 0)
            return 1;
    }
    return 0;
}

struct doc_tlvs {
    const uint8_t *hw_id, *next, *sha, *key_hash, *sig;
    uint64_t next_len;
    unsigned count;
    uint8_t seen[65536 / 8];
};

/* One area at img[at..]; returns its end, or 0 when it breaks a rule. */
static uint64_t doc_area(const uint8_t *img, uint64_t len, uint64_t at,
                         int prot, struct doc_tlvs *t)
{
    uint64_t total, q, vlen, end;
    unsigned type;

    if (at + 4 > len)
        return 0;
    if (rd(img + at, 2) != (prot ? DOC_PROT_MAGIC : DOC_UNPROT_MAGIC))
        return 0;
    total = rd(img + at + 2, 2);
    end = at + total;
    if (total < 4 || end > len)
        return 0;
    for (q = at + 4; q < end; q += 4 + vlen) {
        if (q + 4 > end)
            return 0;
        type = (unsigned)rd(img + q, 2);
        vlen = rd(img + q + 2, 2);
        if (q + 4 + vlen > end)
            return 0;
        if (++t->count > 16)
            return 0;
        if (t->seen[type / 8] & (1u << (type % 8)))
            return 0;
        t->seen[type / 8] |= (uint8_t)(1u << (type % 8));
        switch (type) {
        case 0x8001:
            if (!prot || vlen != 16)
                return 0;
            t->hw_id = img + q + 4;
            break;
        case 0x8002:
            if (!prot || vlen == 0 || vlen > 128 || vlen % 32 != 0)
                return 0;
            t->next = img + q + 4;
            t->next_len = vlen;
            break;
        case 0x0010:
            if (prot || vlen != 32)
                return 0;
            t->sha = img + q + 4;
            break;
        case 0x0011:
            if (prot || vlen != 32)
                return 0;
            t->key_hash = img + q + 4;
            break;
        case 0x0012:
            if (prot || vlen != 64)
                return 0;
            t->sig = img + q + 4;
            break;
        default:
            if (type & 0x8000)
                return 0;
        }
    }
    return end;
}

enum bvo_outcome bvo_image(const uint8_t *img, size_t size,
                           const struct bvo_policy *p, struct bvo_result *r)
{
    static struct doc_tlvs t; /* 8 KiB: off the stack */
    uint64_t len = size, hs, body, load, prot_at, unprot_at, end, i;
    uint8_t h[32];
    int sig_ok;

    memset(r, 0, sizeof(*r));
    memset(&t, 0, sizeof(t));
    if (len < 32 || rd(img, 4) != DOC_MAGIC)
        return BVO_BAD_STRUCTURE;
    hs = rd(img + 4, 2);
    body = rd(img + 8, 4);
    load = rd(img + 12, 4);
    r->counter = (uint32_t)rd(img + 24, 4);
    r->flags = (uint32_t)rd(img + 28, 4);
    if (hs < 32 || hs > 1024 || hs % 4 != 0 || hs + body > len ||
        rd(img + 6, 2) != 0 || (r->flags & ~3u) != 0 ||
        load + body > 0xFFFFFFFFu)
        return BVO_BAD_STRUCTURE;
    for (i = 32; i < hs; i++) {
        if (img[i] != 0)
            return BVO_BAD_STRUCTURE;
    }
    prot_at = hs + body;
    unprot_at = doc_area(img, len, prot_at, 1, &t);
    if (unprot_at == 0)
        return BVO_BAD_STRUCTURE;
    end = doc_area(img, len, unprot_at, 0, &t);
    if (end != len || !t.hw_id || !t.sha || !t.key_hash || !t.sig)
        return BVO_BAD_STRUCTURE;
    /* Header and both areas are copied to a 1536-byte buffer. */
    if (hs + (end - prot_at) > 1536)
        return BVO_BAD_STRUCTURE;
    if ((r->flags & 1u) != (t.next != NULL))
        return BVO_BAD_STRUCTURE;
    r->next_keys = t.next;
    r->next_key_count = (size_t)(t.next_len / 32);

    sha256(img, (size_t)unprot_at, r->digest);
    if (memcmp(r->digest, t.sha, 32) != 0)
        return BVO_BAD_HASH;
    for (i = 0; i < p->pub_count; i++) {
        sha256(p->pubs[i], 32, h);
        if (memcmp(h, t.key_hash, 32) == 0)
            break;
    }
    if (i == p->pub_count)
        return BVO_UNKNOWN_KEY;
    r->key_index = (size_t)i;
    if (p->stop_before_sig)
        return BVO_SIG_PENDING;
    sig_ok = doc_recall(t.sig, r->digest, p->pubs[i]);
    if (!sig_ok && ed25519_verify(t.sig, r->digest, 32, p->pubs[i]) == 0) {
        bvo_remember(t.sig, r->digest, p->pubs[i]);
        sig_ok = 1;
    }
    if (!sig_ok)
        return BVO_BAD_SIG;
    if (p->restricted) {
        for (i = 0; i < p->allowed_count; i++) {
            if (memcmp(p->allowed + 32 * i, h, 32) == 0)
                break;
        }
        if (i == p->allowed_count)
            return BVO_NOT_ALLOWED;
    }
    if (memcmp(t.hw_id, p->hw_id, 16) != 0)
        return BVO_BAD_HW_ID;
    if (r->counter < p->stored_counter)
        return BVO_ROLLBACK;
    if ((r->flags & 2u) && !p->allow_debug)
        return BVO_DEBUG;
    return BVO_VALID;
}

int bvo_chain_split(const uint8_t *buf, size_t size, size_t off[4],
                    size_t lens[4], size_t *count)
{
    uint64_t len = size, at = 8, n, i, l;

    *count = 0;
    if (len < 8 || rd(buf, 4) != DOC_CHAIN_MAGIC)
        return 0;
    n = rd(buf + 4, 4);
    if (n < 1 || n > 4)
        return 0;
    for (i = 0; i < n; i++) {
        if (at + 4 > len)
            return 0;
        l = rd(buf + at, 4);
        if (at + 4 + l > len)
            return 0;
        off[i] = (size_t)(at + 4);
        lens[i] = (size_t)l;
        at += 4 + l;
    }
    if (at != len)
        return 0;
    *count = (size_t)n;
    return 1;
}

size_t bvo_find_unprot(const uint8_t *img, size_t size, uint16_t type,
                       uint16_t vlen)
{
    uint64_t len = size, at, end, q, l;

    if (len < 32)
        return 0;
    at = rd(img + 4, 2) + rd(img + 8, 4);
    if (at + 4 > len)
        return 0;
    at += rd(img + at + 2, 2);
    if (at + 4 > len)
        return 0;
    end = at + rd(img + at + 2, 2);
    if (end > len)
        end = len;
    for (q = at + 4; q + 4 <= end; q += 4 + l) {
        l = rd(img + q + 2, 2);
        if (q + 4 + l > end)
            return 0;
        if (rd(img + q, 2) == type && l == vlen)
            return (size_t)(q + 4);
    }
    return 0;
}
