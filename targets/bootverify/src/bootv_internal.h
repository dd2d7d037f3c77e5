/* Internal entry shared by image and chain verification. */
#ifndef BOOTV_INTERNAL_H
#define BOOTV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "bootverify/image.h"

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
