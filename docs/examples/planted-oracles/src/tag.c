#include <string.h>

#include "crypto/hmac_sha256.h"
#include "crypto/util.h"
#include "devauth/devauth.h"
#include "fixes.h"

int devauth_message_tag(const uint8_t *key, size_t key_len, const uint8_t *msg,
                        size_t msg_len, uint8_t tag[DEVAUTH_TAG_LEN])
{
    uint8_t mac[SHA256_DIGEST_LEN];

    if (tag == NULL || (key == NULL && key_len > 0) ||
        (msg == NULL && msg_len > 0))
        return DEVAUTH_ERR_PARAM;
    hmac_sha256(key, key_len, msg, msg_len, mac);
    memcpy(tag, mac, DEVAUTH_TAG_LEN);
    crypto_wipe(mac, sizeof(mac));
    return DEVAUTH_OK;
}

int devauth_verify_tag(const uint8_t expected[DEVAUTH_TAG_LEN],
                       const uint8_t *tag, size_t tag_len)
{
    if (expected == NULL || (tag == NULL && tag_len > 0))
        return DEVAUTH_ERR_PARAM;
    if (tag_len != DEVAUTH_TAG_LEN)
        return DEVAUTH_ERR_TAG;
#ifdef DEVAUTH_FIX_COMPARE
    if (crypto_ct_compare(expected, tag, DEVAUTH_TAG_LEN) != 0)
        return DEVAUTH_ERR_TAG;
#else
    /* Planted: memcmp returns at the first byte that differs. */
    if (memcmp(expected, tag, DEVAUTH_TAG_LEN) != 0)
        return DEVAUTH_ERR_TAG;
#endif
    return DEVAUTH_OK;
}
