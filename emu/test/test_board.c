/* Board files: what parses, the defaults, and each mistake's message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../src/internal.h"
#include "helpers.h"

static int parse(const char *json, struct emu_board **b, char *err,
                 size_t errlen)
{
    return emu_board_parse(json, strlen(json), b, err, errlen);
}

/* The board file of the firmware images, as checked in. */
static void test_board_fwfuzz_m4_file(void **state)
{
    struct emu_board *b = NULL;
    char err[256];

    (void)state;
    assert_int_equal(emu_board_load(EMU_TEST_BOARD, &b, err, sizeof(err)),
                     EMU_OK);
    assert_string_equal(emu_board_name(b), "fwfuzz-m4");
    assert_int_equal(b->nregions, 3);
    assert_int_equal(b->regions[0].base, 0x08000000);
    assert_int_equal(b->regions[0].size, 1u << 20);
    assert_int_equal(b->regions[0].kind, EMU_KIND_FLASH);
    assert_int_equal(b->regions[0].perm, UC_PROT_READ | UC_PROT_EXEC);
    assert_int_equal(b->regions[1].size, 256u << 10);
    assert_int_equal(b->regions[2].kind, EMU_KIND_MMIO);
    assert_int_equal(b->stack_top, 0x20040000);
    assert_int_equal(b->stack_limit, 0x2003C000);
    assert_int_equal(b->input_base, 0x60000000);
    assert_int_equal(emu_board_input_max(b), 128u << 10);
    assert_string_equal(b->init, "fwfuzz_emu_init");
    assert_int_equal(b->budget_blocks, 2000000);
    assert_true(b->null_page);
    assert_int_equal(b->null_page_size, 0x1000);
    /*
     * Shadow (an eighth, at 0x30000000 + addr / 8, whole 1 KiB pages) of
     * flash, SRAM and the input area, each with 4 KiB more on either side,
     * and of the NULL page; peripherals get theirs on demand.
     */
    assert_int_equal(b->nshadows, 4);
    assert_int_equal(b->shadows[0].base, 0x30FFFC00); /* flash */
    assert_int_equal(b->shadows[0].size, 0x20800);
    assert_int_equal(b->shadows[1].base, 0x33FFFC00); /* SRAM */
    assert_int_equal(b->shadows[1].size, 0x8800);
    assert_int_equal(b->shadows[2].base, 0x3BFFFC00); /* input */
    assert_int_equal(b->shadows[2].size, 0x4800);
    assert_int_equal(b->shadows[3].base, 0x30000000); /* NULL page */
    assert_int_equal(b->shadows[3].size, 0x400);
    assert_null(emu_board_entry(b));
    emu_board_free(b);
}

/* Every board of the parser's seed corpus is valid. */
static void test_board_seed_corpus(void **state)
{
    static const char *const seeds[] = {
        "fwfuzz-m4.json", "emu-test.json", "stm32f103-minimal.json",
        "nrf52-flash-at-zero.json", "m0plus-kasan-sentinel.json"};
    char path[1024], err[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        struct emu_board *b = NULL;
        struct emu *e = NULL;

        snprintf(path, sizeof(path), "%s/emu_board/seed/%s", EMU_TEST_CORPORA,
                 seeds[i]);
        if (emu_board_load(path, &b, err, sizeof(err)) != EMU_OK)
            fail_msg("%s", err);
        assert_int_equal(emu_open(b, &e), EMU_OK);
        emu_close(e);
        emu_board_free(b);
    }
}

/* A foreign part: only regions; everything else takes its default. */
static void test_board_defaults(void **state)
{
    static const char json[] =
        "{\"regions\": [{\"name\": \"flash\", \"base\": 134217728, "
        "\"size\": \"128KiB\", \"perm\": \"rx\"},"
        "{\"name\": \"ram\", \"base\": \"0x20000000\", \"size\": 20480}]}";
    struct emu_board *b = NULL;
    char err[256];

    (void)state;
    assert_int_equal(parse(json, &b, err, sizeof(err)), EMU_OK);
    assert_string_equal(emu_board_name(b), "board");
    assert_int_equal(b->cpu_model, UC_CPU_ARM_CORTEX_M4);
    assert_int_equal(b->regions[0].kind, EMU_KIND_FLASH); /* no "w" */
    assert_int_equal(b->regions[1].kind, EMU_KIND_RAM);   /* perm rw */
    assert_int_equal(b->regions[1].perm, UC_PROT_READ | UC_PROT_WRITE);
    assert_int_equal(b->stack_top, 0x20005000);   /* end of the RAM */
    assert_int_equal(b->stack_limit, 0x20000000); /* its base */
    assert_int_equal(b->input_base, 0x60000000);
    assert_int_equal(b->input_max, 0x10000);
    assert_int_equal(b->budget_blocks, 1000000);
    assert_true(b->null_page);
    assert_false(b->kasan);
    assert_int_equal(b->nshadows, 0);
    assert_string_equal(b->init, "");
    /* The sentinel lands on a free page the core may execute from. */
    assert_int_equal(b->sentinel, 0x1FFFFC00);
    emu_board_free(b);
}

/*
 * Three RAM regions listed out of order: the shadow of the third joins
 * both others into one range (no two shadow ranges may overlap, or the
 * emulator could not map them).
 */
static void test_board_shadow_ranges_merge(void **state)
{
    static const char json[] =
        "{\"regions\": [{\"name\": \"flash\", \"base\": \"0x08000000\", "
        "\"size\": \"64K\", \"perm\": \"rx\"},"
        "{\"name\": \"sram1\", \"base\": \"0x20000000\", \"size\": \"64K\"},"
        "{\"name\": \"sram3\", \"base\": \"0x20020000\", \"size\": \"64K\"},"
        "{\"name\": \"sram2\", \"base\": \"0x20010000\", \"size\": \"64K\"}],"
        " \"kasan\": {\"shadow_offset\": \"0x30000000\"}}";
    struct emu_board *b = NULL;
    struct emu *e = NULL;
    char err[256];
    unsigned i, j;

    (void)state;
    assert_int_equal(parse(json, &b, err, sizeof(err)), EMU_OK);
    for (i = 0; i < b->nshadows; i++)
        for (j = i + 1; j < b->nshadows; j++)
            assert_false(
                b->shadows[i].base < b->shadows[j].base + b->shadows[j].size &&
                b->shadows[j].base < b->shadows[i].base + b->shadows[i].size);
    /* 0x20000000-0x2002FFFF and 4 KiB either side: one range */
    for (i = 0; i < b->nshadows; i++)
        if (b->shadows[i].base == 0x33FFFC00)
            break;
    assert_true(i < b->nshadows);
    assert_int_equal(b->shadows[i].size, 0x6800);
    assert_int_equal(emu_open(b, &e), EMU_OK);
    emu_close(e);
    emu_board_free(b);
}

static void test_board_number_forms(void **state)
{
    static const char json[] =
        "{\"name\": \"n\", \"cpu\": \"cortex-m0plus\", \"regions\": ["
        "{\"name\": \"f\", \"base\": \"0x0800_0000\", \"size\": \"1 M\","
        " \"perm\": \"rx\"},"
        "{\"name\": \"r\", \"base\": \"536870912\", \"size\": \"8k\"},"
        "{\"name\": \"io\", \"base\": \"0x40000000\", \"size\": \"1K\","
        " \"kind\": \"mmio\", \"read_value\": \"0xC0\"}],"
        " \"input\": {\"max_size\": 100, \"writable\": true},"
        " \"entry\": \"parse\", \"budget_blocks\": \"0x100\","
        " \"faults\": {\"null_page\": true, \"null_page_size\": \"2K\"},"
        " \"_note\": \"ignored\", \"comment\": [1, 2]}";
    struct emu_board *b = NULL;
    char err[256];

    (void)state;
    assert_int_equal(parse(json, &b, err, sizeof(err)), EMU_OK);
    assert_int_equal(b->cpu_model, UC_CPU_ARM_CORTEX_M0);
    assert_int_equal(b->regions[0].base, 0x08000000);
    assert_int_equal(b->regions[0].size, 0x100000);
    assert_int_equal(b->regions[1].size, 0x2000);
    assert_int_equal(b->regions[2].read_value, 0xC0);
    assert_int_equal(b->input_max, 100);
    assert_int_equal(b->input_map, 1024); /* whole pages */
    assert_true(b->input_writable);
    assert_string_equal(emu_board_entry(b), "parse");
    assert_int_equal(b->budget_blocks, 256);
    assert_int_equal(b->null_page_size, 2048);
    emu_board_free(b);
}

/* Memory at 0 is fine once the NULL page check is off. */
static void test_board_null_page_off(void **state)
{
    static const char json[] =
        "{\"regions\": [{\"name\": \"flash\", \"base\": 0, \"size\": \"256K\","
        " \"perm\": \"rx\"},"
        "{\"name\": \"ram\", \"base\": \"0x20000000\", \"size\": \"64K\"}],"
        " \"faults\": {\"null_page\": false}}";
    struct emu_board *b = NULL;
    char err[256];

    (void)state;
    assert_int_equal(parse(json, &b, err, sizeof(err)), EMU_OK);
    assert_false(b->null_page);
    emu_board_free(b);
}

/* Each mistake: its code and a message naming it. */
static void test_board_errors(void **state)
{
#define R2                                                                     \
    "{\"name\": \"flash\", \"base\": \"0x08000000\", \"size\": \"64K\", "      \
    "\"perm\": \"rx\"}, {\"name\": \"ram\", \"base\": \"0x20000000\", "        \
    "\"size\": \"32K\"}"
    static const struct {
        const char *json;
        const char *msg;
    } cases[] = {
        {"", "syntax error at line 1"},
        {"{\"regions\": [\n  {\"name\": \"x\",,}]}",
         "syntax error at line 2, column"},
        {"[]", "must be a JSON object"},
        {"{}", "\"regions\" is missing"},
        {"{\"regions\": []}", "non-empty array"},
        {"{\"regions\": [" R2 "], \"stak\": {}}", "unknown key \"stak\""},
        {"{\"regions\": [" R2 "], \"name\": \"a\", \"name\": \"b\"}",
         "key \"name\" given twice"},
        {"{\"regions\": [" R2 "], \"cpu\": \"cortex-a53\"}",
         "cpu: \"cortex-a53\" is not supported"},
        {"{\"regions\": [{\"base\": 0, \"size\": 1024}]}",
         "regions[0]: \"name\" is missing"},
        {"{\"regions\": [{\"name\": \"f\", \"size\": 1024}]}",
         "regions[0] (\"f\"): \"base\" is missing"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": \"0x8000000\"}]}",
         "\"size\" is missing"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": \"12Q\", \"size\": 1}]}",
         "regions[0] (\"f\").base: \"12Q\" is not a number"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": -4096, \"size\": 1}]}",
         "not a whole non-negative number"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": 4096.5, \"size\": 1}]}",
         "not a whole non-negative number"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": \"0x100000000\", "
         "\"size\": 1024}]}",
         "too large"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": true, \"size\": 1}]}",
         "must be a number or a string"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": \"0x08000000\", "
         "\"size\": 0}]}",
         "must not be 0"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": \"0x08000000\", "
         "\"size\": \"1G\", \"perm\": \"rx\"}]}",
         "absurd"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": \"0x08000100\", "
         "\"size\": \"1K\", \"perm\": \"rx\"}]}",
         "multiples of 1 KiB"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": \"0xFFFFFC00\", "
         "\"size\": \"2K\", \"perm\": \"rx\"}]}",
         "past the end of the 32-bit address space"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": \"0x08000000\", "
         "\"size\": \"1K\", \"perm\": \"rz\"}]}",
         "\"rz\" is not a set of r, w, x"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": \"0x08000000\", "
         "\"size\": \"1K\", \"perm\": \"wx\"}]}",
         "at least be readable"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": \"0x08000000\", "
         "\"size\": \"1K\", \"perm\": \"rwx\", \"kind\": \"flash\"}]}",
         "flash is read-only"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": \"0x08000000\", "
         "\"size\": \"1K\", \"perm\": \"rx\", \"kind\": \"ram\"}]}",
         "RAM must be writable"},
        {"{\"regions\": [{\"name\": \"f\", \"base\": \"0x08000000\", "
         "\"size\": \"1K\", \"perm\": \"rx\", \"kind\": \"eeprom\"}]}",
         "\"eeprom\" is not \"flash\", \"ram\" or \"mmio\""},
        {"{\"regions\": [{\"name\": \"f\", \"base\": \"0x08000000\", "
         "\"size\": \"1K\", \"perm\": \"rx\", \"read_value\": 1}]}",
         "only an \"mmio\" region has a read_value"},
        {"{\"regions\": [" R2 ", {\"name\": \"flash\", \"base\": "
         "\"0x30000000\", \"size\": \"1K\"}]}",
         "name \"flash\" is already used by regions[0]"},
        {"{\"regions\": [" R2 ", {\"name\": \"more\", \"base\": "
         "\"0x08008000\", \"size\": \"64K\", \"perm\": \"rx\"}]}",
         "regions[2] (\"more\", 0x08008000-0x08017fff) overlaps regions[0] "
         "(\"flash\""},
        {"{\"regions\": [{\"name\": \"ram\", \"base\": \"0x20000000\", "
         "\"size\": \"32K\"}]}",
         "none is executable"},
        {"{\"regions\": [{\"name\": \"flash\", \"base\": \"0x08000000\", "
         "\"size\": \"64K\", \"perm\": \"rx\"}]}",
         "no \"ram\" region for the stack"},
        {"{\"regions\": [" R2 "], \"stack\": {\"top\": \"0x08001000\"}}",
         "stack.top: 0x08001000 is not the end of or inside a \"ram\""},
        {"{\"regions\": [" R2 "], \"stack\": {\"top\": \"0x20000FFC\"}}",
         "not 8-byte aligned"},
        {"{\"regions\": [" R2 "], \"stack\": {\"limit\": \"0x1FFFF000\"}}",
         "stack.limit: 0x1ffff000 must lie below stack.top"},
        {"{\"regions\": [" R2 "], \"stack\": {\"limit\": \"0x20007FC0\"}}",
         "too small"},
        {"{\"regions\": [" R2 "], \"stack\": {\"top\": 1, \"size\": 2}}",
         "stack: unknown key \"size\""},
        {"{\"regions\": [" R2 "], \"input\": {\"base\": \"0x20000000\"}}",
         "region \"ram\" is there"},
        {"{\"regions\": [" R2 "], \"input\": {\"base\": \"0x60000200\"}}",
         "input.base: 0x60000200 is not a multiple of 1 KiB"},
        {"{\"regions\": [" R2 "], \"input\": {\"max_size\": \"32M\"}}",
         "input.max_size: 0x2000000 is too large"},
        {"{\"regions\": [" R2 "], \"input\": {\"max_size\": 0}}",
         "input.max_size: must not be 0"},
        {"{\"regions\": [" R2 "], \"input\": {\"base\": \"0xFFFFF000\"}}",
         "run past the end of the address space"},
        {"{\"regions\": [" R2 ", {\"name\": \"g\", \"base\": \"0x60010000\", "
         "\"size\": \"1K\"}], \"input\": {\"max_size\": \"64K\"}}",
         "region \"g\" is there"},
        {"{\"regions\": [" R2 "], \"input\": {\"writable\": 1}}",
         "input.writable: must be true or false"},
        {"{\"regions\": [" R2 "], \"budget_blocks\": 0}",
         "budget_blocks: must not be 0"},
        {"{\"regions\": [" R2 "], \"init\": 5}", "init: must be a string"},
        {"{\"regions\": [{\"name\": \"flash\", \"base\": 0, \"size\": "
         "\"64K\", \"perm\": \"rx\"}, {\"name\": \"ram\", \"base\": "
         "\"0x20000000\", \"size\": \"32K\"}]}",
         "faults.null_page: region \"flash\" maps address 0x00000000"},
        {"{\"regions\": [" R2 "], \"faults\": {\"null_page_size\": 100}}",
         "faults.null_page_size: 0x64 must be a multiple of 1 KiB"},
        {"{\"regions\": [" R2 "], \"kasan\": {}}",
         "kasan.shadow_offset is missing"},
        /* corpora/emu_board/regress/null-page-shadow-on-input.json */
        {"{\"regions\": [" R2 "], \"input\": {\"base\": \"0x60000000\"}, "
         "\"faults\": {\"null_page\": true}, "
         "\"kasan\": {\"shadow_offset\": \"0x60000000\"}}",
         "the shadow of the NULL page (0x60000000-0x600003ff) lands on the "
         "input area"},
        {"{\"regions\": [" R2 "], \"input\": {\"base\": \"0x60000000\"}, "
         "\"kasan\": {\"shadow_offset\": \"0x54000000\"}}",
         "the shadow of the input"},
        {"{\"regions\": [" R2 "], \"kasan\": {\"shadow_offset\": "
         "\"0x1C000000\"}}",
         "the shadow of region \"ram\" (0x1ffffc00-0x200013ff) lands on "
         "region \"ram\""},
        {"{\"regions\": [" R2 "], \"kasan\": {\"shadow_offset\": "
         "\"0xFC000000\"}}",
         "the shadow of region \"ram\" runs past the end of the address "
         "space"},
        {"{\"regions\": [" R2 "], \"sentinel\": \"0x08000000\"}",
         "sentinel: page 0x08000000 is not free"},
        {"{\"regions\": [" R2 "], \"sentinel\": \"0xE0000000\"}",
         "cannot hold code"},
    };
#undef R2
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct emu_board *b = (struct emu_board *)&b; /* must become NULL */
        char err[256];
        int rc = parse(cases[i].json, &b, err, sizeof(err));

        if (rc != EMU_ERR_BOARD || strstr(err, cases[i].msg) == NULL)
            fail_msg("case %zu: %s\n  rc %d, message: %s\n  expected: %s", i,
                     cases[i].json, rc, err, cases[i].msg);
        assert_null(b);
    }
}

static void test_board_text_limits(void **state)
{
    struct emu_board *b = NULL;
    char err[256], small[8];
    static const char nul[] = "{\"regions\"\0: []}";

    (void)state;
    assert_int_equal(
        emu_board_parse(nul, sizeof(nul) - 1, &b, err, sizeof(err)),
        EMU_ERR_BOARD);
    assert_non_null(strstr(err, "NUL byte"));
    /* A short error buffer is still terminated. */
    assert_int_equal(parse("{}", &b, small, sizeof(small)), EMU_ERR_BOARD);
    assert_int_equal(strlen(small), sizeof(small) - 1);
    /* No buffer at all is fine too. */
    assert_int_equal(parse("{}", &b, NULL, 0), EMU_ERR_BOARD);
    assert_int_equal(emu_board_parse(NULL, 0, &b, err, sizeof(err)),
                     EMU_ERR_ARG);
    assert_int_equal(emu_board_parse("{}", 2, NULL, err, sizeof(err)),
                     EMU_ERR_ARG);
}

static void test_board_load_errors(void **state)
{
    struct emu_board *b = NULL;
    char err[256];

    (void)state;
    assert_int_equal(
        emu_board_load("/nonexistent/board.json", &b, err, sizeof(err)),
        EMU_ERR_IO);
    assert_non_null(strstr(err, "/nonexistent/board.json"));
    assert_null(b);
    /* A folder is not a board, and the message names it. */
    assert_int_equal(emu_board_load(EMU_TEST_DATA, &b, err, sizeof(err)),
                     EMU_ERR_IO);
    assert_non_null(strstr(err, EMU_TEST_DATA));
    assert_non_null(strstr(err, "not a regular file"));
    /* An ELF file is not JSON. */
    assert_int_equal(emu_board_load(TEST_ELF, &b, err, sizeof(err)),
                     EMU_ERR_BOARD);
    assert_non_null(strstr(err, "not valid JSON"));
}

/* The board a handle maps: every region at its place, with its rights. */
static void test_board_open_maps(void **state)
{
    struct emu_board *b = test_board(NULL);
    struct emu *e = NULL;

    (void)state;
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_non_null(emu_mem_find(e, 0x08000000));
    assert_non_null(emu_mem_find(e, 0x20007FFF));
    assert_non_null(emu_mem_find(e, 0x34000000)); /* SRAM's shadow */
    assert_non_null(emu_mem_find(e, 0x31000000)); /* flash's shadow */
    assert_non_null(emu_mem_find(e, 0x60000FFF)); /* input */
    assert_null(emu_mem_find(e, 0x60001000));     /* its guard */
    assert_null(emu_mem_find(e, 0));              /* the NULL page */
    emu_close(e);
    emu_board_free(b);
    assert_int_equal(emu_open(NULL, &e), EMU_ERR_ARG);
    assert_non_null(strstr(emu_last_error(NULL), "no board"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_board_fwfuzz_m4_file),
        cmocka_unit_test(test_board_defaults),
        cmocka_unit_test(test_board_seed_corpus),
        cmocka_unit_test(test_board_shadow_ranges_merge),
        cmocka_unit_test(test_board_number_forms),
        cmocka_unit_test(test_board_null_page_off),
        cmocka_unit_test(test_board_errors),
        cmocka_unit_test(test_board_text_limits),
        cmocka_unit_test(test_board_load_errors),
        cmocka_unit_test(test_board_open_maps),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
