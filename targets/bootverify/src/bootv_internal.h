/* What image and chain verification share (not part of the API). */
#ifndef BOOTV_INTERNAL_H
#define BOOTV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "bootverify/image.h"

/* The one reader of the little-endian fields of the image and chain formats. */
static inline uint16_t bootv_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t bootv_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

/*
 * bootv_verify_image with one more rule: when parent (the accepted image
 * of the stage before) is not NULL, the signer's key hash must be one of
 * parent's NEXT_KEYS, else BOOTV_ERR_KEY_NOT_ALLOWED (checked after the
 * signature). A parent without NEXT_KEYS allows no key at all.
 */
int bootv_verify_linked(const uint8_t *img, size_t len,
                        const struct bootv_stage *stage,
                        const struct bootv_device *dev,
                        const struct bootv_image_info *parent,
                        uint32_t *verdict, struct bootv_image_info *info);

#endif
