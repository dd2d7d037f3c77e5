/* Shared fixtures for the bootverify tests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "bootv_test_util.h"

struct bootv_build_signer bt_signer[BT_KEYS];
struct bootv_key bt_key[BT_KEYS];
uint8_t bt_body[BT_BODY_LEN];

void bt_init(void)
{
    static int ready;
    unsigned i;

    if (ready)
        return;
    for (i = 0; i < BT_KEYS; i++) {
        bootv_build_test_signer(&bt_signer[i], i);
        memcpy(bt_key[i].pub, bt_signer[i].pub, BOOTV_KEY_LEN);
    }
    for (i = 0; i < BT_BODY_LEN; i++)
        bt_body[i] = (uint8_t)(i * 7 + 1);
    ready = 1;
}

void bt_device(struct bootv_device *dev)
{
    memset(dev, 0, sizeof(*dev));
    bootv_build_test_hw_id(dev->hw_id);
    dev->allow_debug = 0;
}

void bt_stage(struct bootv_stage *st, unsigned first, size_t count,
              uint32_t counter)
{
    st->keys = &bt_key[first];
    st->key_count = count;
    st->security_counter = counter;
}

void bt_params(struct bootv_build_params *p, unsigned signer)
{
    memset(p, 0, sizeof(*p));
    p->load_addr = 0x08004000u;
    p->version.major = 1;
    p->version.minor = 2;
    p->version.patch = 3;
    p->version.build = 4;
    p->security_counter = 7;
    p->body = bt_body;
    p->body_len = sizeof(bt_body);
    bootv_build_test_hw_id(p->hw_id);
    p->signer = &bt_signer[signer];
}

size_t bt_build(const struct bootv_build_params *p, uint8_t *out)
{
    size_t len = 0;

    assert_int_equal(bootv_build_image(p, out, BT_MAX_IMAGE, &len), 0);
    assert_int_equal(len, bootv_build_image_len(p));
    return len;
}

void bt_resign(uint8_t *img, size_t len, unsigned signer)
{
    assert_true(bootv_build_fix(img, len, &bt_signer[signer],
                                BOOTV_BUILD_FIX_ALL, NULL) >= 0);
}

static int bt_all_zero(const void *p, size_t len)
{
    const uint8_t *b = p;
    size_t i;

    for (i = 0; i < len; i++) {
        if (b[i] != 0)
            return 0;
    }
    return 1;
}

int bt_verify(const uint8_t *img, size_t len, const struct bootv_stage *st,
              const struct bootv_device *dev, struct bootv_image_info *info)
{
    struct bootv_image_info local;
    uint32_t verdict = BOOTV_ACCEPT; /* must be overwritten */
    uint8_t *copy = malloc(len > 0 ? len : 1);
    int rc;

    assert_non_null(copy);
    if (len > 0)
        memcpy(copy, img, len);
    if (info == NULL)
        info = &local;
    memset(info, 0xA5, sizeof(*info));
    rc = bootv_verify_image(copy, len, st, dev, &verdict, info);
    if (rc == BOOTV_OK) {
        assert_int_equal(verdict, BOOTV_ACCEPT);
        /* Report pointers into the caller's image, not the copy. */
        info->body = img + (info->body - copy);
        if (info->next_keys != NULL)
            info->next_keys = img + (info->next_keys - copy);
    } else {
        assert_true(rc < 0);
        assert_int_equal(verdict, BOOTV_REJECT);
        assert_true(bt_all_zero(info, sizeof(*info)));
    }
    free(copy);
    return rc;
}

void bt_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void bt_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
