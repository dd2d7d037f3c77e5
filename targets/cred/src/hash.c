/* Password hashing and constant-time verification. */
#include <string.h>

#include "crypto/hmac_sha256.h"
#include "crypto/util.h"
#include "cred/hash.h"

/* See CRED_PASSWORD_MAX: these limits make the HMAC key one-to-one. */
static int password_ok(const uint8_t *password, size_t password_len)
{
    uint8_t all_nonzero = 1;
    size_t i;

    if (password == NULL && password_len > 0)
        return CRED_ERR_PARAM;
    if (password_len == 0 || password_len > CRED_PASSWORD_MAX)
        return CRED_ERR_PASSWORD_LEN;
    /* No early exit: the time depends on the length only. */
    for (i = 0; i < password_len; i++)
        all_nonzero &= (uint8_t)(((unsigned)password[i] + 0xffu) >> 8);
    if (!all_nonzero)
        return CRED_ERR_PASSWORD_NUL;
    return CRED_OK;
}

/* A source that wrote nothing (or is stuck) yields identical bytes. */
static int salt_is_degenerate(const uint8_t *salt, size_t len)
{
    uint8_t diff = 0;
    size_t i;

    for (i = 1; i < len; i++)
        diff |= (uint8_t)(salt[i] ^ salt[0]);
    return diff == 0;
}

int cred_hash_password(struct cred_record *rec, const uint8_t *password,
                       size_t password_len, const struct cred_hash_config *cfg)
{
    uint8_t salt[CRED_SALT_LEN];
    uint8_t key[CRED_HASH_LEN];
    int rc;

    if (rec == NULL)
        return CRED_ERR_PARAM;
    memset(rec, 0, sizeof(*rec));
    memset(salt, 0, sizeof(salt));
    memset(key, 0, sizeof(key));
    if (cfg == NULL || cfg->random == NULL ||
        cred_kdf_limits_check(&cfg->limits) != CRED_OK) {
        rc = CRED_ERR_PARAM;
        goto out;
    }
    rc = password_ok(password, password_len);
    if (rc != CRED_OK)
        goto out;
    if (cfg->iterations < cfg->limits.min_iterations ||
        cfg->iterations > cfg->limits.max_iterations) {
        rc = CRED_ERR_ITERATIONS;
        goto out;
    }
    if (cfg->random(cfg->random_ctx, salt, sizeof(salt)) != 0 ||
        salt_is_degenerate(salt, sizeof(salt))) {
        rc = CRED_ERR_RANDOM;
        goto out;
    }
    if (pbkdf2_hmac_sha256(password, password_len, salt, sizeof(salt),
                           cfg->iterations, key, sizeof(key)) != 0) {
        rc = CRED_ERR_KDF;
        goto out;
    }
    rec->version = CRED_RECORD_VERSION;
    rec->algorithm = CRED_ALG_PBKDF2_SHA256;
    rec->flags = 0;
    rec->iterations = cfg->iterations;
    rec->salt_len = CRED_SALT_LEN;
    memcpy(rec->salt, salt, sizeof(salt));
    rec->hash_len = CRED_HASH_LEN;
    memcpy(rec->hash, key, sizeof(key));
    rc = CRED_OK;
out:
    crypto_wipe(key, sizeof(key));
    crypto_wipe(salt, sizeof(salt));
    return rc;
}

int cred_verify_password(const struct cred_record *rec, const uint8_t *password,
                         size_t password_len,
                         const struct cred_kdf_limits *limits)
{
    uint8_t key[CRED_HASH_MAX];
    int rc = CRED_ERR_MISMATCH;

    memset(key, 0, sizeof(key));
    if (rec == NULL || limits == NULL) {
        rc = CRED_ERR_PARAM;
        goto out;
    }
    rc = password_ok(password, password_len);
    if (rc != CRED_OK)
        goto out;
    rc = cred_record_check(rec, limits);
    if (rc != CRED_OK)
        goto out;
    rc = CRED_ERR_MISMATCH;
    if (pbkdf2_hmac_sha256(password, password_len, rec->salt, rec->salt_len,
                           rec->iterations, key, rec->hash_len) != 0) {
        rc = CRED_ERR_KDF;
        goto out;
    }
    if (crypto_ct_compare(key, rec->hash, rec->hash_len) == 0)
        rc = CRED_OK;
out:
    crypto_wipe(key, sizeof(key));
    return rc;
}
