/* Shared fixtures for the bootverify tests: TEST keys, a device, builders. */
#ifndef BOOTV_TEST_UTIL_H
#define BOOTV_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "bootv_build.h"
#include "bootverify/chain.h"
#include "bootverify/image.h"

#define BT_KEYS      8
#define BT_MAX_IMAGE (70 * 1024)
#define BT_BODY_LEN  256

/* TEST keys 0..BT_KEYS-1 (bootv_build_test_signer). */
extern struct bootv_build_signer bt_signer[BT_KEYS];
extern struct bootv_key bt_key[BT_KEYS];
extern uint8_t bt_body[BT_BODY_LEN];

/* Derives the keys once; every test calls it first. */
void bt_init(void);

/* TEST hw id, debug not allowed. */
void bt_device(struct bootv_device *dev);

/* A stage trusting TEST keys first..first+count-1. */
void bt_stage(struct bootv_stage *st, unsigned first, size_t count,
              uint32_t counter);

/* Version 1.2.3+4, counter 7, load 0x08004000, no flags, bt_body, TEST
 * hw id, signed by TEST key signer. */
void bt_params(struct bootv_build_params *p, unsigned signer);

/* Builds into out (BT_MAX_IMAGE bytes) and fails the test on error. */
size_t bt_build(const struct bootv_build_params *p, uint8_t *out);

/* Re-hashes and re-signs with TEST key signer after an edit. */
void bt_resign(uint8_t *img, size_t len, unsigned signer);

/*
 * bootv_verify_image with its contract checked on the way: the verdict is
 * accept exactly on 0, info is zeroed on reject. The image is copied to a
 * heap block of exactly len bytes so ASan catches reads past it.
 */
int bt_verify(const uint8_t *img, size_t len, const struct bootv_stage *st,
              const struct bootv_device *dev, struct bootv_image_info *info);

void bt_put16(uint8_t *p, uint16_t v);
void bt_put32(uint8_t *p, uint32_t v);

#endif
