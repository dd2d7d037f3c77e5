#include <string.h>

#include "crypto/hmac_sha256.h"
#include "crypto/util.h"
#include "devauth/devauth.h"
#include "fixes.h"

int devauth_session_key(const uint8_t device_key[DEVAUTH_KEY_LEN],
                        const uint8_t *nonce, size_t nonce_len,
                        uint8_t out[DEVAUTH_KEY_LEN])
{
    uint8_t key[DEVAUTH_KEY_LEN];

    if (device_key == NULL || out == NULL || (nonce == NULL && nonce_len > 0))
        return DEVAUTH_ERR_PARAM;
    /* out may be device_key, and hmac_sha256 does not say that its mac may
     * overlap its key: it is keyed from a copy. */
    memcpy(key, device_key, sizeof(key));
    hmac_sha256(key, sizeof(key), nonce, nonce_len, out);
#ifdef DEVAUTH_FIX_KEY_WIPE
    crypto_wipe(key, sizeof(key));
#endif
    /* Planted (without DEVAUTH_FIX_KEY_WIPE): the copy stays on the stack. */
    return DEVAUTH_OK;
}
