/* What image and chain verification share (not part of the API). */
#ifndef BOOTV_INTERNAL_H
#define BOOTV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "bootverify/image.h"

/*
 * Keeps the compiler from merging or dropping the redundant checks of the
 * fault-injection hardening (docs/glitch.md): memory is assumed changed.
 */
#if defined(__GNUC__)
#define BOOTV_BARRIER() __asm__ volatile("" ::: "memory")
#else
#define BOOTV_BARRIER() ((void)0)
#endif

/* The value at p, read again from memory (not from a register). */
static inline uint32_t bootv_reread(const uint32_t *p)
{
    return *(const volatile uint32_t *)p;
}

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

/* The NEXT_KEYS of an accepted link, copied: what the next link trusts. */
struct bootv_link {
    uint8_t keys[BOOTV_MAX_NEXT_KEYS][BOOTV_HASH_LEN];
    size_t count;
};

/*
 * bootv_verify_image with one more rule: when parent (the link accepted
 * before) is not NULL, the signer's key hash must be one of parent's keys,
 * else BOOTV_ERR_KEY_NOT_ALLOWED (checked after the signature). A parent
 * without keys allows no key at all. next, if not NULL, is zeroed, and on
 * accept gets this image's NEXT_KEYS from the verified copy: the next
 * link does not read this image again.
 */
int bootv_verify_linked(const uint8_t *img, size_t len,
                        const struct bootv_stage *stage,
                        const struct bootv_device *dev,
                        const struct bootv_link *parent,
                        struct bootv_link *next, uint32_t *verdict,
                        struct bootv_image_info *info);

#endif
