/*
 * The firmware image of this build (<build>/firmware/fwfuzz-fuzz.elf) on
 * its board (emu/boards/fwfuzz-m4.json): the board's init runs, and every
 * fwfuzz_entry_<target> runs its seed corpus to a clean return, the same
 * way every time. Without the image the test exits EMU_TEST_SKIP_CODE
 * (CTest's SKIP_RETURN_CODE), unless this build makes the image
 * (EMU_TEST_IMAGE_EXPECTED): then its absence is a failure.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../firmware/kasan/kasan_heap.h"
#include "../src/internal.h"
#include "helpers.h"

/* The heaviest seeds (Ed25519 under KASan) take 10-30 million blocks. */
#define SEEDS_PER_TARGET 2
#define SEED_BUDGET      200000000u
#define ENTRY_PREFIX     "fwfuzz_entry_"

struct image {
    struct emu_board *board;
    struct emu *emu;
};

/* Tests that found nothing to check: the whole test is then a skip. */
static unsigned skips;

static int image_setup(void **state)
{
    struct image *im = calloc(1, sizeof(*im));
    char err[256] = "";

    if (im == NULL)
        return -1;
    *state = im;
    if (emu_board_load(EMU_TEST_BOARD, &im->board, err, sizeof(err)) !=
            EMU_OK ||
        emu_open(im->board, &im->emu) != EMU_OK ||
        emu_load_elf(im->emu, EMU_TEST_IMAGE) != EMU_OK) {
        /* emu_last_error(NULL): why emu_open failed. */
        fprintf(stderr, "image setup: %s %s\n", err, emu_last_error(im->emu));
        return -1;
    }
    return 0;
}

static int image_teardown(void **state)
{
    struct image *im = *state;

    emu_close(im->emu);
    emu_board_free(im->board);
    free(im);
    return 0;
}

/* The entries of the image, in symbol order. */
static size_t entries(struct emu *e, const char **names, size_t max)
{
    size_t i, n = 0;

    for (i = 0; i < e->img.nsyms && n < max; i++) {
        const char *name = e->img.names + e->img.syms[i].name;

        if (e->img.syms[i].type == EMU_SYM_FUNC &&
            strncmp(name, ENTRY_PREFIX, strlen(ENTRY_PREFIX)) == 0)
            names[n++] = name;
    }
    return n;
}

/* The image's runtime and init are in place: the init ran and the stop
 * symbols of the contract are hooked. */
static void test_image_init(void **state)
{
    struct image *im = *state;
    const char *names[64];
    size_t n;

    n = entries(im->emu, names, 64);
    printf("image: %zu entries\n", n);
    assert_int_equal(
        emu_set_entry(im->emu, n > 0 ? names[0] : "fwfuzz_emu_init"), EMU_OK);
    assert_true(im->emu->init_done);
    assert_non_null(emu_sym_by_name(im->emu, "fwfuzz_asan_report"));
    assert_non_null(emu_sym_by_name(im->emu, "fwfuzz_check_failed"));
    assert_non_null(emu_sym_by_name(im->emu, "__stack_chk_fail"));
    assert_non_null(emu_sym_by_name(im->emu, "fwfuzz_check_message"));
    assert_non_null(emu_sym_by_name(im->emu, "fwfuzz_asan_pc"));
}

static uint8_t *read_seed(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf != NULL && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Each entry on (a sample of) its seeds: clean, and the same twice. */
static void test_image_seeds(void **state)
{
    struct image *im = *state;
    const char *names[64];
    size_t n, i, total = 0;
    char text[8192];

    n = entries(im->emu, names, 64);
    if (n == 0) {
        skips++;
        skip();
    }
    emu_set_budget(im->emu, SEED_BUDGET);
    for (i = 0; i < n; i++) {
        const char *target = names[i] + strlen(ENTRY_PREFIX);
        char dir[1024];
        struct dirent **list = NULL;
        int k, m, ran = 0;

        assert_int_equal(emu_set_entry(im->emu, names[i]), EMU_OK);
        snprintf(dir, sizeof(dir), "%s/%s/seed", EMU_TEST_CORPORA, target);
        m = scandir(dir, &list, NULL, alphasort);
        for (k = 0; k < m; k++) {
            char path[2048];
            struct emu_result a, b;
            uint8_t *buf;
            size_t len;

            snprintf(path, sizeof(path), "%s/%s", dir, list[k]->d_name);
            if (list[k]->d_name[0] == '.' || ran >= SEEDS_PER_TARGET) {
                free(list[k]);
                continue;
            }
            free(list[k]);
            if ((buf = read_seed(path, &len)) == NULL)
                continue;
            assert_int_equal(emu_run(im->emu, buf, len, &a), EMU_OK);
            if (a.stop != EMU_STOP_RETURN) {
                emu_describe(im->emu, &a, text, sizeof(text));
                fail_msg("%s on %s:\n%s", names[i], path, text);
            }
            /* The same again (skipped for the multi-second ones). */
            if (a.blocks < 2000000) {
                assert_int_equal(emu_run(im->emu, buf, len, &b), EMU_OK);
                assert_int_equal(a.ret, b.ret);
                assert_int_equal(a.blocks, b.blocks);
            }
            free(buf);
            ran++;
        }
        free(list);
        printf("image: %s: %d seeds clean\n", names[i], ran);
        total += (size_t)ran;
    }
    emu_set_budget(im->emu, 0);
    assert_true(total > 0);
}

/* A thousand runs of one entry: the same blocks every time (RAM and the
 * KASan shadow come back), and the empty input never crashes. */
static void test_image_repeat(void **state)
{
    struct image *im = *state;
    const char *names[64];
    struct emu_result first, res;
    size_t n, i;
    int k;

    n = entries(im->emu, names, 64);
    if (n == 0) {
        skips++;
        skip();
    }
    for (i = 0; i < n; i++) {
        assert_int_equal(emu_set_entry(im->emu, names[i]), EMU_OK);
        assert_int_equal(emu_run(im->emu, NULL, 0, &first), EMU_OK);
        assert_int_equal(first.stop, EMU_STOP_RETURN);
    }
    assert_int_equal(emu_set_entry(im->emu, names[0]), EMU_OK);
    assert_int_equal(emu_run(im->emu, (const uint8_t *)"fwfuzz", 6, &first),
                     EMU_OK);
    for (k = 0; k < 1000; k++) {
        assert_int_equal(emu_run(im->emu, (const uint8_t *)"fwfuzz", 6, &res),
                         EMU_OK);
        assert_int_equal(res.stop, first.stop);
        assert_int_equal(res.blocks, first.blocks);
        assert_int_equal(res.ret, first.ret);
    }
}

/* Writes a KASan heap block header (kasan_heap.h) at user - 16. */
static void fake_block(struct emu *e, uint32_t user, uint32_t magic,
                       uint32_t size)
{
    uint32_t h[4] = {magic, size, user - 24, 0};
    uint8_t *p = emu_mem_host(e, user - 16, sizeof(h));
    uint8_t *sh =
        emu_mem_host(e, ((user - 16) >> 3) + e->board->shadow_offset, 2);

    assert_non_null(p);
    assert_non_null(sh);
    memcpy(p, h, sizeof(h));
    memset(sh, 0xFA, 2); /* a left redzone */
}

static const char *describe_at(struct emu *e, struct emu_result *res,
                               uint32_t addr)
{
    static char text[16384];
    const char *heap;

    res->addr = addr;
    emu_describe_full(e, res, text, sizeof(text));
    heap = strstr(text, "  heap: ");
    if (heap == NULL)
        fail_msg("no heap line:\n%s", text);
    return heap;
}

static void expect_prefix(const char *s, const char *want)
{
    if (strncmp(s, want, strlen(want)) != 0)
        fail_msg("\"%.120s\", expected \"%s\"", s, want);
}

/*
 * The full report names the KASan heap block of an address: the header
 * the runtime writes before each block, read from guest memory. The block
 * is a real one: the entry is the runtime's malloc, __wrap__malloc_r(reent,
 * size), which a run calls with (input, length).
 */
static void test_image_heap_block(void **state)
{
    static const uint8_t ten[10];
    struct image *im = *state;
    const struct emu_sym *lo = emu_sym_by_name(im->emu, "__heap_start");
    const struct emu_sym *hi = emu_sym_by_name(im->emu, "__heap_end");
    struct emu_result res;
    uint32_t user;
    char want[160];

    if (lo == NULL || hi == NULL ||
        emu_sym_by_name(im->emu, "__wrap__malloc_r") == NULL) {
        skips++;
        skip();
    }
    assert_int_equal(emu_set_entry(im->emu, "__wrap__malloc_r"), EMU_OK);
    assert_int_equal(emu_run(im->emu, ten, sizeof(ten), &res), EMU_OK);
    assert_int_equal(res.stop, EMU_STOP_RETURN);
    user = res.ret;
    assert_true(user > lo->addr && user < hi->addr);
    /* A report of a one-byte write, at addresses chosen below. */
    res.stop = EMU_STOP_FAULT;
    res.fault = EMU_FAULT_HEAP_OVERFLOW;
    res.access_size = 1;
    res.is_write = 1;
    snprintf(want, sizeof(want),
             "  heap: 3 bytes past the end of the 10-byte live block at "
             "0x%08x\n",
             (unsigned)user);
    expect_prefix(describe_at(im->emu, &res, user + 13), want);
    snprintf(want, sizeof(want),
             "  heap: 2 bytes before the 10-byte live block at 0x%08x\n",
             (unsigned)user);
    expect_prefix(describe_at(im->emu, &res, user - 2), want);
    snprintf(want, sizeof(want),
             "  heap: 4 bytes into the 10-byte live block at 0x%08x\n",
             (unsigned)user);
    expect_prefix(describe_at(im->emu, &res, user + 4), want);
    /* The header of a block in quarantine. */
    fake_block(im->emu, user, KASAN_CHUNK_FREED, 10);
    snprintf(want, sizeof(want),
             "  heap: 0 bytes into the 10-byte freed block at 0x%08x\n",
             (unsigned)user);
    expect_prefix(describe_at(im->emu, &res, user), want);
    /* Far from any header: only the heap's range. */
    snprintf(want, sizeof(want),
             "  heap: in no block this report can find (heap 0x%08x-0x%08x)",
             (unsigned)lo->addr, (unsigned)hi->addr - 1);
    expect_prefix(describe_at(im->emu, &res, (lo->addr + hi->addr) / 2), want);
    /* A word that is not a header (no redzone shadow) is not taken. */
    memset(emu_mem_host(im->emu,
                        ((user - 16) >> 3) + im->emu->board->shadow_offset, 2),
           0, 2);
    expect_prefix(describe_at(im->emu, &res, user + 4),
                  "  heap: in no block this report can find");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_init),
        cmocka_unit_test(test_image_seeds),
        cmocka_unit_test(test_image_repeat),
        cmocka_unit_test(test_image_heap_block),
    };
    struct stat st;
    int rc;

    if (stat(EMU_TEST_IMAGE, &st) != 0) {
#ifdef EMU_TEST_IMAGE_EXPECTED
        fprintf(stderr,
                "%s is missing, but this build makes it (the firmware "
                "sub-build): did it fail?\n",
                EMU_TEST_IMAGE);
        return 1;
#else
        printf("skipped: no firmware image %s (this build has no "
               "arm-none-eabi tools)\n",
               EMU_TEST_IMAGE);
        return EMU_TEST_SKIP_CODE;
#endif
    }
    rc = cmocka_run_group_tests(tests, image_setup, image_teardown);
    if (rc == 0 && skips > 0) {
        printf("skipped: the image has no " ENTRY_PREFIX "* functions\n");
        return EMU_TEST_SKIP_CODE;
    }
    return rc;
}
