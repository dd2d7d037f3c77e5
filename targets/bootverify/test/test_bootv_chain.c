/* Unit tests: chain container split and bootv_verify_chain links. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "bootv_test_util.h"

#define STAGES 3

/* Stage i trusts TEST keys 2i and 2i+1. */
static uint8_t images[BOOTV_CHAIN_MAX][2048];
static size_t image_len[BOOTV_CHAIN_MAX];
static uint8_t container[4 * 2048 + 64];

struct link {
    unsigned signer;
    uint32_t flags;
    uint32_t counter;
    const uint8_t *next; /* key hashes */
    size_t next_count;
};

static void build_link(size_t i, const struct link *l)
{
    struct bootv_build_params p;

    bt_params(&p, l->signer);
    p.body_len = 64 + 16 * i; /* distinct sizes per stage */
    p.flags = l->flags;
    p.security_counter = l->counter;
    p.next_keys = l->next;
    p.next_key_count = l->next_count;
    assert_true(bootv_build_image_len(&p) <= sizeof(images[i]));
    assert_int_equal(
        bootv_build_image(&p, images[i], sizeof(images[i]), &image_len[i]), 0);
}

/* The good chain: stage 0 (key 0) -> stage 1 (key 2) -> app (key 4), each
 * loader listing the first key of the next stage. count 2 or 3. */
static void build_good_chain(size_t count)
{
    struct link l;
    size_t i;

    for (i = 0; i < count; i++) {
        memset(&l, 0, sizeof(l));
        l.signer = 2 * (unsigned)i;
        l.counter = 10 + (uint32_t)i;
        if (i + 1 < count) {
            l.flags = BOOTV_FLAG_LOADER;
            l.next = bt_signer[2 * (i + 1)].key_hash;
            l.next_count = 1;
        }
        build_link(i, &l);
    }
}

static void stages_for(struct bootv_stage *st, size_t count, uint32_t stored)
{
    size_t i;

    for (i = 0; i < count; i++)
        bt_stage(&st[i], 2 * (unsigned)i, 2, stored);
}

static int all_zero(const void *p, size_t len)
{
    const uint8_t *b = p;
    size_t i;

    for (i = 0; i < len; i++) {
        if (b[i] != 0)
            return 0;
    }
    return 1;
}

/*
 * bootv_verify_chain over heap copies of images[0..count) (so ASan sees
 * reads past an image), with its contract checked.
 */
static int verify_chain(size_t count, const struct bootv_stage *st,
                        size_t stage_count, size_t *failed,
                        struct bootv_image_info *infos)
{
    struct bootv_slice s[BOOTV_CHAIN_MAX];
    struct bootv_image_info local[BOOTV_CHAIN_MAX];
    struct bootv_device dev;
    uint32_t verdict = BOOTV_ACCEPT;
    uint8_t *copy[BOOTV_CHAIN_MAX];
    size_t i;
    int rc;

    bt_device(&dev);
    if (infos == NULL)
        infos = local;
    memset(infos, 0xA5, sizeof(local));
    for (i = 0; i < count; i++) {
        copy[i] = malloc(image_len[i]);
        assert_non_null(copy[i]);
        memcpy(copy[i], images[i], image_len[i]);
        s[i].data = copy[i];
        s[i].len = image_len[i];
    }
    *failed = 999;
    rc = bootv_verify_chain(s, count, st, stage_count, &dev, &verdict, infos,
                            failed);
    if (rc == BOOTV_OK) {
        assert_int_equal(verdict, BOOTV_ACCEPT);
        assert_int_equal(*failed, BOOTV_NO_STAGE);
        for (i = 0; i < count; i++) {
            assert_ptr_equal(infos[i].body, copy[i] + infos[i].hdr.header_size);
            infos[i].body = images[i] + infos[i].hdr.header_size;
        }
    } else {
        assert_true(rc < 0);
        assert_int_equal(verdict, BOOTV_REJECT);
        if (rc != BOOTV_ERR_CHAIN_COUNT && rc != BOOTV_ERR_PARAM) {
            assert_true(*failed < count);
            assert_true(all_zero(infos, count * sizeof(infos[0])));
        } else {
            assert_int_equal(*failed, BOOTV_NO_STAGE);
        }
    }
    for (i = 0; i < count; i++)
        free(copy[i]);
    return rc;
}

static int setup(void **state)
{
    (void)state;
    bt_init();
    return 0;
}

static void test_bootv_chain_accepts_three_stages(void **state)
{
    struct bootv_image_info infos[BOOTV_CHAIN_MAX];
    struct bootv_stage st[STAGES];
    size_t failed, i;

    (void)state;
    build_good_chain(3);
    stages_for(st, 3, 10);
    assert_int_equal(verify_chain(3, st, 3, &failed, infos), BOOTV_OK);
    for (i = 0; i < 3; i++) {
        assert_int_equal(infos[i].key_index, 0);
        assert_int_equal(infos[i].hdr.security_counter, 10 + i);
        assert_int_equal(infos[i].hdr.image_size, 64 + 16 * i);
        assert_int_equal(infos[i].next_key_count, i < 2 ? 1 : 0);
    }
    assert_memory_equal(infos[0].next_keys, bt_signer[2].key_hash, 32);
    assert_memory_equal(infos[1].next_keys, bt_signer[4].key_hash, 32);
}

static void test_bootv_chain_accepts_two_stages_and_one(void **state)
{
    struct bootv_stage st[STAGES];
    size_t failed;

    (void)state;
    build_good_chain(2);
    stages_for(st, 2, 0);
    assert_int_equal(verify_chain(2, st, 2, &failed, NULL), BOOTV_OK);
    build_good_chain(1);
    assert_int_equal(verify_chain(1, st, 1, &failed, NULL), BOOTV_OK);
}

static void test_bootv_chain_accepts_second_listed_key(void **state)
{
    uint8_t next[2][BOOTV_HASH_LEN];
    struct bootv_image_info infos[BOOTV_CHAIN_MAX];
    struct bootv_stage st[STAGES];
    struct link l = {0, BOOTV_FLAG_LOADER, 10, NULL, 2};
    size_t failed;

    (void)state;
    build_good_chain(3);
    memcpy(next[0], bt_signer[2].key_hash, BOOTV_HASH_LEN);
    memcpy(next[1], bt_signer[3].key_hash, BOOTV_HASH_LEN);
    l.next = next[0];
    build_link(0, &l);
    l.signer = 3;
    l.counter = 11;
    l.next = bt_signer[4].key_hash;
    l.next_count = 1;
    build_link(1, &l);
    stages_for(st, 3, 0);
    assert_int_equal(verify_chain(3, st, 3, &failed, infos), BOOTV_OK);
    assert_int_equal(infos[1].key_index, 1);
}

static void test_bootv_chain_rejects_signer_not_listed(void **state)
{
    struct bootv_stage st[STAGES];
    struct link l = {3, BOOTV_FLAG_LOADER, 11, NULL, 1};
    size_t failed;

    (void)state;
    build_good_chain(3);
    /* Key 3 is provisioned for stage 1, but stage 0 lists only key 2. */
    l.next = bt_signer[4].key_hash;
    build_link(1, &l);
    stages_for(st, 3, 0);
    assert_int_equal(verify_chain(3, st, 3, &failed, NULL),
                     BOOTV_ERR_KEY_NOT_ALLOWED);
    assert_int_equal(failed, 1);
}

static void test_bootv_chain_rejects_listed_but_unprovisioned(void **state)
{
    struct bootv_stage st[STAGES];
    struct link l = {0, BOOTV_FLAG_LOADER, 10, NULL, 1};
    size_t failed;

    (void)state;
    build_good_chain(3);
    /* Stage 0 lists key 6, and stage 1 is signed with it, but the device
     * never provisioned key 6 for stage 1: the listing alone is not trust. */
    l.next = bt_signer[6].key_hash;
    build_link(0, &l);
    l.signer = 6;
    l.counter = 11;
    l.next = bt_signer[4].key_hash;
    build_link(1, &l);
    stages_for(st, 3, 0);
    assert_int_equal(verify_chain(3, st, 3, &failed, NULL),
                     BOOTV_ERR_UNKNOWN_KEY);
    assert_int_equal(failed, 1);
}

static void test_bootv_chain_rejects_root_key_for_later_stage(void **state)
{
    struct bootv_stage st[STAGES];
    struct link l = {0, 0, 12, NULL, 0};
    size_t failed;

    (void)state;
    build_good_chain(3);
    build_link(2, &l); /* the app signed with the stage-0 key */
    stages_for(st, 3, 0);
    assert_int_equal(verify_chain(3, st, 3, &failed, NULL),
                     BOOTV_ERR_UNKNOWN_KEY);
    assert_int_equal(failed, 2);
}

static void test_bootv_chain_rejects_middle_rollback(void **state)
{
    struct bootv_stage st[STAGES];
    size_t failed;

    (void)state;
    build_good_chain(3); /* counters 10, 11, 12 */
    stages_for(st, 3, 0);
    st[1].security_counter = 12;
    assert_int_equal(verify_chain(3, st, 3, &failed, NULL), BOOTV_ERR_ROLLBACK);
    assert_int_equal(failed, 1);
    st[1].security_counter = 11;
    assert_int_equal(verify_chain(3, st, 3, &failed, NULL), BOOTV_OK);
    st[2].security_counter = 13;
    assert_int_equal(verify_chain(3, st, 3, &failed, NULL), BOOTV_ERR_ROLLBACK);
    assert_int_equal(failed, 2);
}

static void test_bootv_chain_rejects_loader_out_of_place(void **state)
{
    struct bootv_stage st[STAGES];
    struct link l = {2, 0, 11, NULL, 0};
    size_t failed;

    (void)state;
    build_good_chain(3);
    build_link(1, &l); /* middle stage that is not a loader */
    stages_for(st, 3, 0);
    assert_int_equal(verify_chain(3, st, 3, &failed, NULL),
                     BOOTV_ERR_CHAIN_LOADER);
    assert_int_equal(failed, 1);

    build_good_chain(3);
    l.signer = 4;
    l.flags = BOOTV_FLAG_LOADER;
    l.next = bt_signer[6].key_hash;
    l.next_count = 1;
    build_link(2, &l); /* last image claims to load something */
    assert_int_equal(verify_chain(3, st, 3, &failed, NULL),
                     BOOTV_ERR_CHAIN_LOADER);
    assert_int_equal(failed, 2);
}

static void test_bootv_chain_rejects_reordered_images(void **state)
{
    uint8_t tmp[sizeof(images[0])];
    size_t tmp_len, failed;
    struct bootv_stage st[STAGES];

    (void)state;
    build_good_chain(3);
    memcpy(tmp, images[0], sizeof(tmp));
    tmp_len = image_len[0];
    memcpy(images[0], images[1], sizeof(tmp));
    image_len[0] = image_len[1];
    memcpy(images[1], tmp, sizeof(tmp));
    image_len[1] = tmp_len;
    stages_for(st, 3, 0);
    assert_int_equal(verify_chain(3, st, 3, &failed, NULL),
                     BOOTV_ERR_UNKNOWN_KEY);
    assert_int_equal(failed, 0);
}

static void test_bootv_chain_rejects_hw_id_of_one_stage(void **state)
{
    struct bootv_build_params p;
    struct bootv_stage st[STAGES];
    size_t failed;

    (void)state;
    build_good_chain(3);
    bt_params(&p, 4);
    p.security_counter = 12;
    p.hw_id[0] ^= 0x40;
    assert_int_equal(
        bootv_build_image(&p, images[2], sizeof(images[2]), &image_len[2]), 0);
    stages_for(st, 3, 0);
    assert_int_equal(verify_chain(3, st, 3, &failed, NULL), BOOTV_ERR_HW_ID);
    assert_int_equal(failed, 2);
}

/* Any flipped bit in any image breaks the chain at exactly that image. */
static void test_bootv_chain_rejects_bit_flip_in_every_link(void **state)
{
    struct bootv_stage st[STAGES];
    size_t failed, i, at;

    (void)state;
    build_good_chain(3);
    stages_for(st, 3, 0);
    for (i = 0; i < 3; i++) {
        for (at = 0; at < image_len[i]; at++) {
            images[i][at] ^= (uint8_t)(1u << (at % 8));
            assert_true(verify_chain(3, st, 3, &failed, NULL) < 0);
            assert_int_equal(failed, i);
            images[i][at] ^= (uint8_t)(1u << (at % 8));
        }
    }
    assert_int_equal(verify_chain(3, st, 3, &failed, NULL), BOOTV_OK);
}

static void test_bootv_chain_rejects_bad_counts(void **state)
{
    struct bootv_stage st[BOOTV_CHAIN_MAX + 1];
    struct bootv_slice s[BOOTV_CHAIN_MAX + 1];
    struct bootv_device dev;
    uint32_t verdict;
    size_t failed, i;

    (void)state;
    build_good_chain(3);
    stages_for(st, 3, 0);
    assert_int_equal(verify_chain(3, st, 2, &failed, NULL),
                     BOOTV_ERR_CHAIN_COUNT);
    assert_int_equal(verify_chain(2, st, 3, &failed, NULL),
                     BOOTV_ERR_CHAIN_COUNT);
    assert_int_equal(verify_chain(0, st, 0, &failed, NULL),
                     BOOTV_ERR_CHAIN_COUNT);
    bt_device(&dev);
    for (i = 0; i <= BOOTV_CHAIN_MAX; i++) {
        s[i].data = images[0];
        s[i].len = image_len[0];
        bt_stage(&st[i], 0, 2, 0);
    }
    verdict = BOOTV_ACCEPT;
    assert_int_equal(bootv_verify_chain(s, BOOTV_CHAIN_MAX + 1, st,
                                        BOOTV_CHAIN_MAX + 1, &dev, &verdict,
                                        NULL, &failed),
                     BOOTV_ERR_CHAIN_COUNT);
    assert_int_equal(verdict, BOOTV_REJECT);
    assert_int_equal(failed, BOOTV_NO_STAGE);
    assert_int_equal(
        bootv_verify_chain(NULL, 1, st, 1, &dev, &verdict, NULL, &failed),
        BOOTV_ERR_PARAM);
    assert_int_equal(
        bootv_verify_chain(s, 1, NULL, 1, &dev, &verdict, NULL, &failed),
        BOOTV_ERR_PARAM);
    assert_int_equal(
        bootv_verify_chain(s, 1, st, 1, NULL, &verdict, NULL, &failed),
        BOOTV_ERR_PARAM);
    assert_int_equal(bootv_verify_chain(s, 1, st, 1, &dev, NULL, NULL, NULL),
                     BOOTV_ERR_PARAM);
}

static size_t make_container(size_t count)
{
    struct bootv_slice s[BOOTV_CHAIN_MAX];
    size_t i, len = 0;

    for (i = 0; i < count; i++) {
        s[i].data = images[i];
        s[i].len = image_len[i];
    }
    assert_int_equal(
        bootv_build_chain(s, count, container, sizeof(container), &len), 0);
    return len;
}

static void test_bootv_chain_split_finds_images(void **state)
{
    struct bootv_slice s[BOOTV_CHAIN_MAX];
    struct bootv_stage st[STAGES];
    struct bootv_device dev;
    uint32_t verdict = 0;
    size_t len, count = 99, failed, i, off = BOOTV_CHAIN_HDR_LEN;

    (void)state;
    build_good_chain(3);
    len = make_container(3);
    assert_int_equal(len, 8 + 12 + image_len[0] + image_len[1] + image_len[2]);
    assert_int_equal(bootv_chain_split(container, len, s, &count), BOOTV_OK);
    assert_int_equal(count, 3);
    for (i = 0; i < 3; i++) {
        assert_ptr_equal(s[i].data, container + off + 4);
        assert_int_equal(s[i].len, image_len[i]);
        off += 4 + image_len[i];
    }
    stages_for(st, 3, 0);
    bt_device(&dev);
    assert_int_equal(
        bootv_verify_chain(s, count, st, 3, &dev, &verdict, NULL, &failed),
        BOOTV_OK);
    assert_int_equal(verdict, BOOTV_ACCEPT);
}

static void test_bootv_chain_split_rejects_bad_containers(void **state)
{
    struct bootv_slice s[BOOTV_CHAIN_MAX];
    static const uint32_t counts[] = {0, BOOTV_CHAIN_MAX + 1, 0x80000000u,
                                      0xFFFFFFFFu};
    size_t len, count, cut, i;
    uint8_t *copy;

    (void)state;
    build_good_chain(3);
    len = make_container(3);
    for (cut = 0; cut < len; cut++) {
        /* Exact-size heap copy: a read past the cut is an ASan error. */
        copy = malloc(cut > 0 ? cut : 1);
        assert_non_null(copy);
        memcpy(copy, container, cut);
        count = 99;
        assert_int_equal(bootv_chain_split(copy, cut, s, &count),
                         BOOTV_ERR_TRUNCATED);
        assert_int_equal(count, 0);
        free(copy);
    }
    container[len] = 0;
    assert_int_equal(bootv_chain_split(container, len + 1, s, &count),
                     BOOTV_ERR_TRAILING);
    for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        bt_put32(container + 4, counts[i]);
        assert_int_equal(bootv_chain_split(container, len, s, &count),
                         BOOTV_ERR_CHAIN_COUNT);
    }
    bt_put32(container + 4, 2); /* fewer images than the bytes hold */
    assert_int_equal(bootv_chain_split(container, len, s, &count),
                     BOOTV_ERR_TRAILING);
    bt_put32(container + 4, 3);
    bt_put32(container + 8, 0xFFFFFFFFu); /* would wrap a 32-bit offset */
    assert_int_equal(bootv_chain_split(container, len, s, &count),
                     BOOTV_ERR_TRUNCATED);
    bt_put32(container + 8, (uint32_t)image_len[0]);
    container[0] ^= 1;
    assert_int_equal(bootv_chain_split(container, len, s, &count),
                     BOOTV_ERR_BAD_MAGIC);
    container[0] ^= 1;
    assert_int_equal(bootv_chain_split(NULL, len, s, &count), BOOTV_ERR_PARAM);
    assert_int_equal(bootv_chain_split(container, len, NULL, &count),
                     BOOTV_ERR_PARAM);
    assert_int_equal(bootv_chain_split(container, len, s, NULL),
                     BOOTV_ERR_PARAM);
    assert_int_equal(bootv_chain_split(container, len, s, &count), BOOTV_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bootv_chain_accepts_three_stages),
        cmocka_unit_test(test_bootv_chain_accepts_two_stages_and_one),
        cmocka_unit_test(test_bootv_chain_accepts_second_listed_key),
        cmocka_unit_test(test_bootv_chain_rejects_signer_not_listed),
        cmocka_unit_test(test_bootv_chain_rejects_listed_but_unprovisioned),
        cmocka_unit_test(test_bootv_chain_rejects_root_key_for_later_stage),
        cmocka_unit_test(test_bootv_chain_rejects_middle_rollback),
        cmocka_unit_test(test_bootv_chain_rejects_loader_out_of_place),
        cmocka_unit_test(test_bootv_chain_rejects_reordered_images),
        cmocka_unit_test(test_bootv_chain_rejects_hw_id_of_one_stage),
        cmocka_unit_test(test_bootv_chain_rejects_bit_flip_in_every_link),
        cmocka_unit_test(test_bootv_chain_rejects_bad_counts),
        cmocka_unit_test(test_bootv_chain_split_finds_images),
        cmocka_unit_test(test_bootv_chain_split_rejects_bad_containers),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
