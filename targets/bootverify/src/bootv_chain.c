/* Boot chains: container split and link-by-link verification. */
#include <string.h>

#include "bootv_internal.h"
#include "bootverify/chain.h"

int bootv_chain_split(const uint8_t *buf, size_t len,
                      struct bootv_slice out[BOOTV_CHAIN_MAX], size_t *count)
{
    uint32_t n, ilen, i;
    size_t off;

    if (count == NULL)
        return BOOTV_ERR_PARAM;
    *count = 0;
    if (buf == NULL || out == NULL)
        return BOOTV_ERR_PARAM;
    if (len < BOOTV_CHAIN_HDR_LEN)
        return BOOTV_ERR_TRUNCATED;
    if (bootv_le32(buf) != BOOTV_CHAIN_MAGIC)
        return BOOTV_ERR_BAD_MAGIC;
    n = bootv_le32(buf + 4);
    if (n == 0 || n > BOOTV_CHAIN_MAX)
        return BOOTV_ERR_CHAIN_COUNT;
    off = BOOTV_CHAIN_HDR_LEN;
    for (i = 0; i < n; i++) {
        if (len - off < 4) /* off <= len holds throughout */
            return BOOTV_ERR_TRUNCATED;
        ilen = bootv_le32(buf + off);
        off += 4;
        if (ilen > len - off)
            return BOOTV_ERR_TRUNCATED;
        out[i].data = buf + off;
        out[i].len = ilen;
        off += ilen;
    }
    if (off != len)
        return BOOTV_ERR_TRAILING;
    *count = n;
    return BOOTV_OK;
}

int bootv_verify_chain(const struct bootv_slice *images, size_t count,
                       const struct bootv_stage *stages, size_t stage_count,
                       const struct bootv_device *dev, uint32_t *verdict,
                       struct bootv_image_info *infos, size_t *failed)
{
    struct bootv_image_info cur;
    struct bootv_link prev, keys;
    uint32_t link_verdict;
    /* ACCEPT as long as every link's verdict was (a fold, not a flag). */
    volatile uint32_t chain = BOOTV_ACCEPT ^ BOOTV_REJECT;
    size_t i = 0;
    int rc;

    if (failed != NULL)
        *failed = BOOTV_NO_STAGE;
    if (verdict == NULL)
        return BOOTV_ERR_PARAM;
    *verdict = BOOTV_REJECT;
    if (images == NULL || stages == NULL || dev == NULL)
        return BOOTV_ERR_PARAM;
    if (count == 0 || count > BOOTV_CHAIN_MAX || count != stage_count)
        return BOOTV_ERR_CHAIN_COUNT;
    if (infos != NULL)
        memset(infos, 0, count * sizeof(*infos));
    memset(&prev, 0, sizeof(prev));

    for (i = 0; i < count; i++) {
        /* Image 0 answers to the root keys alone; later ones also to the
         * NEXT_KEYS of the image that verified them. */
        rc = bootv_verify_linked(images[i].data, images[i].len, &stages[i], dev,
                                 i == 0 ? NULL : &prev, &keys, &link_verdict,
                                 &cur);
        if (rc != BOOTV_OK)
            goto fail;
        /* Both the code and the verdict (docs/glitch.md). */
        chain = chain ^ (bootv_reread(&link_verdict) ^ BOOTV_ACCEPT);
        if (bootv_reread(&link_verdict) != BOOTV_ACCEPT) {
            rc = BOOTV_ERR_FAULT;
            goto fail;
        }
        if (((cur.hdr.flags & BOOTV_FLAG_LOADER) != 0) != (i + 1 < count)) {
            rc = BOOTV_ERR_CHAIN_LOADER;
            goto fail;
        }
        if (infos != NULL)
            infos[i] = cur;
        prev = keys;
    }

    /* The one success path: every link above returned BOOTV_OK. */
    chain = chain ^ BOOTV_REJECT;
    if (chain != BOOTV_ACCEPT) {
        rc = BOOTV_ERR_FAULT;
        goto fail;
    }
    *verdict = chain;
    return BOOTV_OK;
fail:
    if (infos != NULL)
        memset(infos, 0, count * sizeof(*infos));
    if (failed != NULL)
        *failed = i;
    return rc;
}
