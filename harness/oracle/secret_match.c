/* Finding a piece of a secret in a buffer (secret_match.h). */
#include "secret_match.h"

#include <string.h>

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

static uint32_t load32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint32_t slot_of(uint32_t key)
{
    return (key * 0x9E3779B1u) >> 20 & (FWFUZZ_MATCH_SLOTS - 1);
}

/* The first 4 hex digits of s[0..2) in one alphabet, as load32 reads. */
static uint32_t hex_key(const uint8_t *s, const char *digits)
{
    uint8_t d[4];

    d[0] = (uint8_t)digits[s[0] >> 4];
    d[1] = (uint8_t)digits[s[0] & 15];
    d[2] = (uint8_t)digits[s[1] >> 4];
    d[3] = (uint8_t)digits[s[1] & 15];
    return load32(d);
}

static void add(struct fwfuzz_matcher *m, uint32_t key, unsigned secret,
                size_t offset, enum fwfuzz_match_form form)
{
    uint32_t i = slot_of(key), n;

    for (n = 0; n < FWFUZZ_MATCH_SLOTS; n++) {
        struct fwfuzz_match_slot *s =
            &m->slot[(i + n) & (FWFUZZ_MATCH_SLOTS - 1)];

        if (s->form == 0) {
            s->key = key;
            s->secret = (uint16_t)secret;
            s->offset = (uint8_t)offset;
            s->form = (uint8_t)(form + 1);
            return;
        }
    }
    /* full: the table holds 8 secrets of 255 bytes in 3 forms at most */
}

/*
 * A piece must look like data, not like wiped or spilled memory: at least
 * MIN_DISTINCT different byte values, and no value in more than half of
 * it (six zero bytes and two of a key, a register pushed next to a zero
 * one, are not a copy of the key).
 */
#define MIN_DISTINCT 3

static int varied(const uint8_t *p, size_t n)
{
    size_t i, k, distinct = 0, most = 0;

    for (i = 0; i < n; i++) {
        size_t same = 0, first = 1;

        for (k = 0; k < n; k++)
            if (p[k] == p[i]) {
                same++;
                if (k < i)
                    first = 0;
            }
        distinct += first;
        if (same > most)
            most = same;
    }
    return distinct >= MIN_DISTINCT && most <= n / 2;
}

static size_t piece_len(const struct fwfuzz_secret_ref *s)
{
    return s->len < FWFUZZ_MATCH_WINDOW ? s->len : FWFUZZ_MATCH_WINDOW;
}

static size_t secret_len(const struct fwfuzz_secret_ref *s)
{
    return s->len > 255 ? 255 : s->len;
}

void fwfuzz_matcher_init(struct fwfuzz_matcher *m,
                         const struct fwfuzz_secret_ref *secrets,
                         unsigned count)
{
    unsigned k;
    size_t o;

    memset(m->slot, 0, sizeof(m->slot));
    m->secrets = secrets;
    m->count = count;
    for (k = 0; k < count; k++) {
        const struct fwfuzz_secret_ref *s = &secrets[k];
        size_t w = piece_len(s), len = secret_len(s);

        if (len < 4)
            continue;
        for (o = 0; o + w <= len; o++) {
            if (!varied(s->bytes + o, w))
                continue;
            add(m, load32(s->bytes + o), k, o, FWFUZZ_MATCH_RAW);
            add(m, hex_key(s->bytes + o, hex_lower), k, o, FWFUZZ_MATCH_HEX);
            add(m, hex_key(s->bytes + o, hex_upper), k, o, FWFUZZ_MATCH_HEXU);
        }
    }
}

/* Does buf[at..n) start with the piece s->bytes[offset..] in form? */
static size_t piece_at(const struct fwfuzz_secret_ref *s, size_t offset,
                       enum fwfuzz_match_form form, const uint8_t *buf,
                       size_t n, size_t at)
{
    size_t w = piece_len(s), i;
    const char *digits = form == FWFUZZ_MATCH_HEXU ? hex_upper : hex_lower;

    if (form == FWFUZZ_MATCH_RAW) {
        if (n - at < w || memcmp(buf + at, s->bytes + offset, w) != 0)
            return 0;
        return w;
    }
    if (n - at < 2 * w)
        return 0;
    for (i = 0; i < w; i++) {
        uint8_t b = s->bytes[offset + i];

        if (buf[at + 2 * i] != (uint8_t)digits[b >> 4] ||
            buf[at + 2 * i + 1] != (uint8_t)digits[b & 15])
            return 0;
    }
    return 2 * w;
}

int fwfuzz_matcher_find(const struct fwfuzz_matcher *m, const uint8_t *buf,
                        size_t n, size_t from, struct fwfuzz_match *out)
{
    size_t at;

    if (m->count == 0 || n < 4)
        return 0;
    for (at = from; at + 4 <= n; at++) {
        uint32_t key = load32(buf + at), i = slot_of(key), k;

        for (k = 0; k < FWFUZZ_MATCH_SLOTS; k++) {
            const struct fwfuzz_match_slot *s =
                &m->slot[(i + k) & (FWFUZZ_MATCH_SLOTS - 1)];
            size_t len;

            if (s->form == 0)
                break;
            if (s->key != key)
                continue;
            len = piece_at(&m->secrets[s->secret], s->offset,
                           (enum fwfuzz_match_form)(s->form - 1), buf, n, at);
            if (len == 0)
                continue;
            out->secret = s->secret;
            out->at = at;
            out->len = len;
            out->offset = s->offset;
            out->form = (enum fwfuzz_match_form)(s->form - 1);
            return 1;
        }
    }
    return 0;
}

int fwfuzz_match_is_public(const uint8_t *buf, const struct fwfuzz_match *m,
                           const uint8_t *pub, size_t n, const uint8_t *secret,
                           size_t secret_len)
{
    const uint8_t *piece = buf + m->at;
    size_t i, start;

    if (pub == NULL || m->len == 0 || n < m->len)
        return 0;
    for (i = 0; i + m->len <= n; i++) {
        if (pub[i] != piece[0] || memcmp(pub + i, piece, m->len) != 0)
            continue;
        /* the secret itself, where the input holds it whole */
        start = i - m->offset;
        if (m->form == FWFUZZ_MATCH_RAW && i >= m->offset &&
            start + secret_len <= n &&
            memcmp(pub + start, secret, secret_len) == 0)
            continue;
        return 1;
    }
    return 0;
}

const char *fwfuzz_match_form_name(enum fwfuzz_match_form form)
{
    switch (form) {
    case FWFUZZ_MATCH_RAW:
        return "raw bytes";
    case FWFUZZ_MATCH_HEX:
        return "hex digits";
    case FWFUZZ_MATCH_HEXU:
        return "HEX DIGITS";
    }
    return "?";
}
