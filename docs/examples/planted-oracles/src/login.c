#include "account.h"
#include "crypto/util.h"
#include "devauth/devauth.h"
#include "fixes.h"
#include "kdf.h"

int devauth_login(struct devauth_store *st, const uint8_t *user,
                  size_t user_len, const uint8_t *password, size_t password_len)
{
    struct devauth_account *a;
    uint8_t hash[DEVAUTH_HASH_LEN];
    int rc = DEVAUTH_ERR_DENIED;

    if (st == NULL || (password == NULL && password_len > 0))
        return DEVAUTH_ERR_PARAM;
    a = devauth_find_account(st, user, user_len);
    if (a == NULL)
        return DEVAUTH_ERR_DENIED;
    if (a->lockout.failures >= DEVAUTH_MAX_FAILURES)
        return DEVAUTH_ERR_LOCKED;
#ifdef DEVAUTH_FIX_LOCKOUT
    /* Counted before the check: a power cut from here on costs the guess. */
    a->lockout.failures++;
#endif
    /* On a match hash is the stored hash: it is wiped before anything
     * else, and compared in constant time. */
    if (devauth_kdf(password, password_len, a->record.salt, hash) == 0 &&
        crypto_ct_compare(hash, a->record.hash, sizeof(hash)) == 0)
        rc = DEVAUTH_OK;
    crypto_wipe(hash, sizeof(hash));
    if (rc == DEVAUTH_OK) {
        a->lockout.failures = 0;
        return DEVAUTH_OK;
    }
#ifndef DEVAUTH_FIX_LOCKOUT
    /* Planted: counted only once the check has failed. */
    a->lockout.failures++;
#endif
    return DEVAUTH_ERR_DENIED;
}
