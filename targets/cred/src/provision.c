/* Provisioning blob: strict parser and serialiser. */
#include <string.h>

#include "crypto/sha256.h"
#include "crypto/util.h"
#include "cred/provision.h"

/* Every value's length fits the 1-byte TLV length, the body its 2 bytes. */
_Static_assert(CRED_DEVICE_ID_MAX <= 255 && CRED_USER_MAX <= 255 &&
                   CRED_RECORD_MAX_LEN <= 255,
               "TLV lengths are one byte");
_Static_assert(CRED_PROVISION_BODY_MAX <= 0xffff, "body_len is two bytes");

static const uint8_t tlv_order[] = {
    CRED_TLV_DEVICE_ID,
    CRED_TLV_USER,
    CRED_TLV_RECORD,
};

static int device_id_ok(const uint8_t *id, size_t len)
{
    size_t i;

    if (len < 1 || len > CRED_DEVICE_ID_MAX)
        return 0;
    for (i = 0; i < len; i++)
        if (id[i] < 0x21 || id[i] > 0x7e)
            return 0;
    return 1;
}

static int user_char_ok(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
           c == '@';
}

static int user_ok(const uint8_t *user, size_t len)
{
    size_t i;

    if (len < 1 || len > CRED_USER_MAX)
        return 0;
    for (i = 0; i < len; i++)
        if (!user_char_ok(user[i]))
            return 0;
    return 1;
}

static int parse_value(struct cred_provision *p, uint8_t type, const uint8_t *v,
                       size_t len, const struct cred_kdf_limits *limits)
{
    int rc;

    switch (type) {
    case CRED_TLV_DEVICE_ID:
        if (!device_id_ok(v, len))
            return CRED_ERR_FIELD;
        memcpy(p->device_id, v, len);
        p->device_id_len = len;
        return CRED_OK;
    case CRED_TLV_USER:
        if (!user_ok(v, len))
            return CRED_ERR_FIELD;
        memcpy(p->user, v, len);
        p->user_len = len;
        return CRED_OK;
    default: /* CRED_TLV_RECORD, the only other type in tlv_order */
        rc = cred_record_parse(&p->record, v, len, limits);
        if (rc < 0)
            return rc;
        return (size_t)rc == len ? CRED_OK : CRED_ERR_FIELD;
    }
}

int cred_provision_parse(struct cred_provision *out, const uint8_t *buf,
                         size_t len, const struct cred_kdf_limits *limits)
{
    struct cred_provision p;
    uint8_t digest[CRED_PROVISION_DIGEST_LEN];
    size_t body_len, body_end, pos, i, vlen;
    int rc;

    if (out == NULL)
        return CRED_ERR_PARAM;
    memset(out, 0, sizeof(*out));
    if ((buf == NULL && len > 0) || cred_kdf_limits_check(limits) != CRED_OK)
        return CRED_ERR_PARAM;
    memset(&p, 0, sizeof(p));

    if (len < CRED_PROVISION_HEADER_LEN + CRED_PROVISION_DIGEST_LEN)
        return CRED_ERR_TRUNCATED;
    if (memcmp(buf, CRED_PROVISION_MAGIC, CRED_PROVISION_MAGIC_LEN) != 0)
        return CRED_ERR_MAGIC;
    if (buf[4] != CRED_PROVISION_VERSION)
        return CRED_ERR_VERSION;
    if (buf[5] != 0)
        return CRED_ERR_FLAGS;
    body_len = (size_t)buf[6] << 8 | buf[7];
    /* body_len <= BODY_MAX, so the sum below cannot overflow. */
    if (body_len > CRED_PROVISION_BODY_MAX ||
        len != CRED_PROVISION_HEADER_LEN + body_len + CRED_PROVISION_DIGEST_LEN)
        return CRED_ERR_LENGTH;
    body_end = CRED_PROVISION_HEADER_LEN + body_len;

    pos = CRED_PROVISION_HEADER_LEN;
    for (i = 0; i < sizeof(tlv_order); i++) {
        /* pos <= body_end throughout: each step checks before advancing. */
        if (body_end - pos < 2 || buf[pos] != tlv_order[i])
            return CRED_ERR_TLV;
        vlen = buf[pos + 1];
        pos += 2;
        if (body_end - pos < vlen)
            return CRED_ERR_TLV;
        rc = parse_value(&p, tlv_order[i], buf + pos, vlen, limits);
        if (rc != CRED_OK)
            return rc;
        pos += vlen;
    }
    if (pos != body_end)
        return CRED_ERR_TLV;

    sha256(buf, body_end, digest);
    if (crypto_ct_compare(digest, buf + body_end, sizeof(digest)) != 0)
        return CRED_ERR_INTEGRITY;
    *out = p;
    return CRED_OK;
}

int cred_provision_serialise(const struct cred_provision *p, uint8_t *buf,
                             size_t cap)
{
    uint8_t rec[CRED_RECORD_MAX_LEN];
    size_t body_len, total, pos;
    int rec_len;

    if (p == NULL || buf == NULL)
        return CRED_ERR_PARAM;
    if (!device_id_ok(p->device_id, p->device_id_len) ||
        !user_ok(p->user, p->user_len))
        return CRED_ERR_FIELD;
    rec_len = cred_record_serialise(&p->record, rec, sizeof(rec));
    if (rec_len < 0)
        return rec_len;
    body_len = 2 + p->device_id_len + 2 + p->user_len + 2 + (size_t)rec_len;
    total = CRED_PROVISION_HEADER_LEN + body_len + CRED_PROVISION_DIGEST_LEN;
    if (cap < total)
        return CRED_ERR_NO_SPACE;

    memcpy(buf, CRED_PROVISION_MAGIC, CRED_PROVISION_MAGIC_LEN);
    buf[4] = CRED_PROVISION_VERSION;
    buf[5] = 0;
    buf[6] = (uint8_t)(body_len >> 8);
    buf[7] = (uint8_t)body_len;
    pos = CRED_PROVISION_HEADER_LEN;
    buf[pos++] = CRED_TLV_DEVICE_ID;
    buf[pos++] = (uint8_t)p->device_id_len;
    memcpy(buf + pos, p->device_id, p->device_id_len);
    pos += p->device_id_len;
    buf[pos++] = CRED_TLV_USER;
    buf[pos++] = (uint8_t)p->user_len;
    memcpy(buf + pos, p->user, p->user_len);
    pos += p->user_len;
    buf[pos++] = CRED_TLV_RECORD;
    buf[pos++] = (uint8_t)rec_len;
    memcpy(buf + pos, rec, (size_t)rec_len);
    pos += (size_t)rec_len;
    sha256(buf, pos, buf + pos);
    return (int)total;
}

int cred_provision_to_account(const struct cred_provision *p,
                              struct cred_account *acct)
{
    if (p == NULL || acct == NULL)
        return CRED_ERR_PARAM;
    if (p->user_len < 1 || p->user_len > CRED_USER_MAX)
        return CRED_ERR_FIELD;
    memset(acct, 0, sizeof(*acct));
    memcpy(acct->user, p->user, p->user_len);
    acct->user_len = p->user_len;
    acct->record = p->record;
    cred_lockout_init(&acct->lockout);
    return CRED_OK;
}
