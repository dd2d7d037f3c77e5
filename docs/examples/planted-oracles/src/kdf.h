/* The stored hash of a password: shared by provisioning and login. */
#ifndef DEVAUTH_KDF_H
#define DEVAUTH_KDF_H

#include <string.h>

#include "crypto/hmac_sha256.h"
#include "crypto/util.h"
#include "devauth/devauth.h"

/*
 * PBKDF2 of the password's length byte and the password. HMAC pads its
 * key with zeros, so without the length "" and "\0\0" would be one key:
 * with it every password is a key of its own, and nothing here branches
 * on what the password holds. Returns 0 or DEVAUTH_ERR_PARAM.
 */
static inline int devauth_kdf(const uint8_t *password, size_t len,
                              const uint8_t salt[DEVAUTH_SALT_LEN],
                              uint8_t out[DEVAUTH_HASH_LEN])
{
    uint8_t key[1 + DEVAUTH_PASSWORD_MAX];
    int rc;

    if ((password == NULL && len > 0) || len > DEVAUTH_PASSWORD_MAX)
        return DEVAUTH_ERR_PARAM;
    key[0] = (uint8_t)len;
    if (len > 0)
        memcpy(key + 1, password, len);
    rc = pbkdf2_hmac_sha256(key, 1 + len, salt, DEVAUTH_SALT_LEN,
                            DEVAUTH_KDF_ITERATIONS, out, DEVAUTH_HASH_LEN);
    crypto_wipe(key, sizeof(key));
    return rc == 0 ? DEVAUTH_OK : DEVAUTH_ERR_PARAM;
}

#endif
