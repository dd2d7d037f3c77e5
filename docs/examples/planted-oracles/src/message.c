#include <string.h>

#include "devauth/devauth.h"
#include "fixes.h"

static size_t devauth_rd16(const uint8_t *p)
{
    return ((size_t)p[0] << 8) | p[1];
}

int devauth_parse_message(const uint8_t *buf, size_t len,
                          struct devauth_message *out)
{
#ifdef DEVAUTH_FIX_FETCH
    /* buf can change under us: every byte of it is read once, the header
     * into hdr, the body and tag straight into out. */
    uint8_t hdr[DEVAUTH_HEADER_LEN];
    size_t body_len;

    if (buf == NULL || out == NULL)
        return DEVAUTH_ERR_PARAM;
    if (len < DEVAUTH_HEADER_LEN + DEVAUTH_TAG_LEN)
        return DEVAUTH_ERR_FORMAT;
    memcpy(hdr, buf, sizeof(hdr));
    body_len = devauth_rd16(hdr + 4);
    if (hdr[0] != 'D' || hdr[1] != 'A' || hdr[2] != DEVAUTH_MESSAGE_VERSION ||
        body_len > DEVAUTH_BODY_MAX ||
        len != DEVAUTH_HEADER_LEN + body_len + DEVAUTH_TAG_LEN)
        return DEVAUTH_ERR_FORMAT;
    out->flags = hdr[3];
    out->body_len = body_len;
#else
    if (buf == NULL || out == NULL)
        return DEVAUTH_ERR_PARAM;
    if (len < DEVAUTH_HEADER_LEN + DEVAUTH_TAG_LEN)
        return DEVAUTH_ERR_FORMAT;
    if (buf[0] != 'D' || buf[1] != 'A' || buf[2] != DEVAUTH_MESSAGE_VERSION ||
        devauth_rd16(buf + 4) > DEVAUTH_BODY_MAX ||
        len != DEVAUTH_HEADER_LEN + devauth_rd16(buf + 4) + DEVAUTH_TAG_LEN)
        return DEVAUTH_ERR_FORMAT;
    out->flags = buf[3];
    /* Planted: body_len is fetched again after the check, for the copy
     * (the store to out->flags may alias buf: the compiler reloads it). */
    out->body_len = devauth_rd16(buf + 4);
#endif
    memcpy(out->body, buf + DEVAUTH_HEADER_LEN, out->body_len);
    memcpy(out->tag, buf + DEVAUTH_HEADER_LEN + out->body_len, DEVAUTH_TAG_LEN);
    return DEVAUTH_OK;
}
