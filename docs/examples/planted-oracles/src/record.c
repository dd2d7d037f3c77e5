#include <string.h>

#include "crypto/sha256.h"
#include "devauth/devauth.h"
#include "fixes.h"
#include "kdf.h"

#ifndef DEVAUTH_FIX_SALT
/* Planted: one salt for every record of every device. */
static const uint8_t devauth_constant_salt[DEVAUTH_SALT_LEN] = {
    'd', 'e', 'v', 'a', 'u', 't', 'h', '-',
    's', 'a', 'l', 't', '-', 'v', '1', 0,
};
#endif

/*
 * Unique per device and per record, which is what salting needs; a
 * product draws it from a TRNG as well (cred_hash_password), so that it
 * cannot be computed in advance either.
 */
static void devauth_make_salt(struct devauth_store *st,
                              uint8_t salt[DEVAUTH_SALT_LEN])
{
#ifdef DEVAUTH_FIX_SALT
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_LEN];
    uint8_t n[4];

    n[0] = (uint8_t)(st->records_made >> 24);
    n[1] = (uint8_t)(st->records_made >> 16);
    n[2] = (uint8_t)(st->records_made >> 8);
    n[3] = (uint8_t)st->records_made;
    sha256_init(&ctx);
    sha256_update(&ctx, st->device_id, st->device_id_len);
    sha256_update(&ctx, n, sizeof(n));
    sha256_final(&ctx, digest);
    memcpy(salt, digest, DEVAUTH_SALT_LEN);
#else
    memcpy(salt, devauth_constant_salt, DEVAUTH_SALT_LEN);
#endif
    st->records_made++;
}

int devauth_make_record(struct devauth_store *st, const uint8_t *password,
                        size_t len, struct devauth_record *rec)
{
    if (st == NULL || rec == NULL || (password == NULL && len > 0) ||
        len > DEVAUTH_PASSWORD_MAX)
        return DEVAUTH_ERR_PARAM;
    devauth_make_salt(st, rec->salt);
    return devauth_kdf(password, len, rec->salt, rec->hash);
}
