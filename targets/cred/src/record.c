/* Stored password record: strict parser and serialiser. */
#include <string.h>

#include "cred/record.h"

int cred_kdf_limits_check(const struct cred_kdf_limits *limits)
{
    if (limits == NULL || limits->min_iterations == 0 ||
        limits->min_iterations > limits->max_iterations ||
        limits->max_iterations > CRED_ITERATIONS_CAP)
        return CRED_ERR_PARAM;
    return CRED_OK;
}

/* The header checks shared by parse, check and serialise, in wire order. */
static int check_header(uint8_t version, uint8_t algorithm, uint8_t flags,
                        uint32_t iterations, uint32_t min_it, uint32_t max_it)
{
    if (version != CRED_RECORD_VERSION)
        return CRED_ERR_VERSION;
    if (algorithm != CRED_ALG_PBKDF2_SHA256)
        return CRED_ERR_ALGORITHM;
    if ((flags & (uint8_t)~CRED_FLAGS_KNOWN) != 0)
        return CRED_ERR_FLAGS;
    if (iterations < min_it || iterations > max_it)
        return CRED_ERR_ITERATIONS;
    return CRED_OK;
}

static int check_fields(const struct cred_record *rec, uint32_t min_it,
                        uint32_t max_it)
{
    int rc = check_header(rec->version, rec->algorithm, rec->flags,
                          rec->iterations, min_it, max_it);

    if (rc != CRED_OK)
        return rc;
    if (rec->salt_len < CRED_SALT_MIN || rec->salt_len > CRED_SALT_MAX)
        return CRED_ERR_SALT_LEN;
    if (rec->hash_len < CRED_HASH_MIN || rec->hash_len > CRED_HASH_MAX)
        return CRED_ERR_HASH_LEN;
    return CRED_OK;
}

int cred_record_check(const struct cred_record *rec,
                      const struct cred_kdf_limits *limits)
{
    if (rec == NULL || cred_kdf_limits_check(limits) != CRED_OK)
        return CRED_ERR_PARAM;
    return check_fields(rec, limits->min_iterations, limits->max_iterations);
}

int cred_record_parse(struct cred_record *rec, const uint8_t *buf, size_t len,
                      const struct cred_kdf_limits *limits)
{
    struct cred_record r;
    uint32_t iterations;
    size_t pos;

    if (rec == NULL)
        return CRED_ERR_PARAM;
    memset(rec, 0, sizeof(*rec));
    if ((buf == NULL && len > 0) || cred_kdf_limits_check(limits) != CRED_OK)
        return CRED_ERR_PARAM;
    memset(&r, 0, sizeof(r));

    /* Check each field as soon as it is complete, so the code names it. */
    if (len < 1)
        return CRED_ERR_TRUNCATED;
    if (buf[0] != CRED_RECORD_VERSION)
        return CRED_ERR_VERSION;
    if (len < 2)
        return CRED_ERR_TRUNCATED;
    if (buf[1] != CRED_ALG_PBKDF2_SHA256)
        return CRED_ERR_ALGORITHM;
    if (len < 3)
        return CRED_ERR_TRUNCATED;
    if ((buf[2] & (uint8_t)~CRED_FLAGS_KNOWN) != 0)
        return CRED_ERR_FLAGS;
    if (len < 7)
        return CRED_ERR_TRUNCATED;
    iterations = (uint32_t)buf[3] << 24 | (uint32_t)buf[4] << 16 |
                 (uint32_t)buf[5] << 8 | (uint32_t)buf[6];
    if (iterations < limits->min_iterations ||
        iterations > limits->max_iterations)
        return CRED_ERR_ITERATIONS;
    r.version = buf[0];
    r.algorithm = buf[1];
    r.flags = buf[2];
    r.iterations = iterations;

    if (len < CRED_RECORD_HEADER_LEN)
        return CRED_ERR_TRUNCATED;
    r.salt_len = buf[7];
    if (r.salt_len < CRED_SALT_MIN || r.salt_len > CRED_SALT_MAX)
        return CRED_ERR_SALT_LEN;
    pos = CRED_RECORD_HEADER_LEN;
    /* pos <= 8 and salt_len <= 32: no overflow; len - pos cannot wrap. */
    if (len - pos < (size_t)r.salt_len + 1)
        return CRED_ERR_TRUNCATED;
    memcpy(r.salt, buf + pos, r.salt_len);
    pos += r.salt_len;

    r.hash_len = buf[pos++];
    if (r.hash_len < CRED_HASH_MIN || r.hash_len > CRED_HASH_MAX)
        return CRED_ERR_HASH_LEN;
    if (len - pos < r.hash_len)
        return CRED_ERR_TRUNCATED;
    memcpy(r.hash, buf + pos, r.hash_len);
    pos += r.hash_len;

    *rec = r;
    return (int)pos;
}

int cred_record_serialise(const struct cred_record *rec, uint8_t *buf,
                          size_t cap)
{
    size_t need, pos;
    int rc;

    if (rec == NULL || buf == NULL)
        return CRED_ERR_PARAM;
    rc = check_fields(rec, 1, CRED_ITERATIONS_CAP);
    if (rc != CRED_OK)
        return rc;
    need = 9u + rec->salt_len + rec->hash_len;
    if (cap < need)
        return CRED_ERR_NO_SPACE;

    buf[0] = rec->version;
    buf[1] = rec->algorithm;
    buf[2] = rec->flags;
    buf[3] = (uint8_t)(rec->iterations >> 24);
    buf[4] = (uint8_t)(rec->iterations >> 16);
    buf[5] = (uint8_t)(rec->iterations >> 8);
    buf[6] = (uint8_t)rec->iterations;
    buf[7] = rec->salt_len;
    pos = CRED_RECORD_HEADER_LEN;
    memcpy(buf + pos, rec->salt, rec->salt_len);
    pos += rec->salt_len;
    buf[pos++] = rec->hash_len;
    memcpy(buf + pos, rec->hash, rec->hash_len);
    pos += rec->hash_len;
    return (int)pos;
}
