/*
 * Every fault class, each from a small Thumb function of progs.elf
 * (test/data/progs.s): the verdict, the exact PC and the faulting address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

#define ANY 0xFFFFFFFFu

struct fault_case {
    const char *entry;
    const char *input;
    enum emu_stop stop;
    enum emu_fault fault;
    uint32_t pc;     /* exact instruction, or ANY */
    uint32_t addr;   /* faulting address, or ANY */
    uint32_t detail; /* or ANY */
    int is_write;    /* or -1 */
};

/* Addresses from arm-none-eabi-nm/objdump of test/data/progs.elf. */
/* clang-format off */
static const struct fault_case cases[] = {
    /* input of "abc" lies at 0x60000FFD..0x60000FFF, the guard after it */
    {"read_past",      "abc", EMU_STOP_FAULT, EMU_FAULT_INPUT_OVERREAD,
     0x08000012, 0x60001000, ANY, 0},
    {"read_past",      "",    EMU_STOP_FAULT, EMU_FAULT_INPUT_OVERREAD,
     0x08000012, 0x60001000, ANY, 0},
    {"null_read",      "x",   EMU_STOP_FAULT, EMU_FAULT_NULL_DEREF,
     0x08000018, 0x00000004, ANY, 0},
    {"unmapped_read",  "x",   EMU_STOP_FAULT, EMU_FAULT_UNMAPPED_READ,
     0x08000020, 0x50000000, ANY, 0},
    {"unmapped_write", "x",   EMU_STOP_FAULT, EMU_FAULT_UNMAPPED_WRITE,
     0x08000026, 0x50000010, ANY, 1},
    {"write_flash",    "x",   EMU_STOP_FAULT, EMU_FAULT_WRITE_FLASH,
     0x0800002c, 0x08000001, ANY, 1},
    {"write_input",    "x",   EMU_STOP_FAULT, EMU_FAULT_WRITE_FLASH,
     0x08000030, 0x60000FFF, ANY, 1},
    {"exec_ram",       "x",   EMU_STOP_FAULT, EMU_FAULT_FETCH_OUTSIDE,
     0x20000100, 0x20000100, ANY, -1},
    {"exec_gap",       "x",   EMU_STOP_FAULT, EMU_FAULT_FETCH_OUTSIDE,
     0x0800F000, 0x0800F000, ANY, -1},
    {"call_null",      "x",   EMU_STOP_FAULT, EMU_FAULT_NULL_DEREF,
     0x00000000, 0x00000000, ANY, -1},
    {"undefined",      "x",   EMU_STOP_FAULT, EMU_FAULT_INVALID_INSN,
     0x08000044, ANY, ANY, -1},
    {"supervisor",     "x",   EMU_STOP_FAULT, EMU_FAULT_INVALID_INSN,
     0x08000048, ANY, 0x105, -1},
    {"recurse",        "x",   EMU_STOP_FAULT, EMU_FAULT_STACK_OVERFLOW,
     0x0800004c, ANY, ANY, -1},
    /* the leaf's first block moved SP 8 KiB down: the next one sees it */
    {"big_frame",      "x",   EMU_STOP_FAULT, EMU_FAULT_STACK_OVERFLOW,
     0x080001a8, 0x20006000, ANY, -1},
    /* SP below the limit for a block, nothing written there */
    {"sp_dip",         "x",   EMU_STOP_FAULT, EMU_FAULT_STACK_OVERFLOW,
     0x080001ea, ANY, ANY, -1},
    /* flash, but not code: .data's copy, a bx lr that would return */
    {"exec_data",      "x",   EMU_STOP_FAULT, EMU_FAULT_FETCH_OUTSIDE,
     0x08000228, 0x08000228, ANY, -1},
    /* the same by a load into SP, which the CPU's own limit misses */
    {"ldr_sp_dip",     "x",   EMU_STOP_FAULT, EMU_FAULT_STACK_OVERFLOW,
     ANY, ANY, ANY, -1},
    /* the shadow byte's granule, as KASan's inline check would guard it */
    {"kasan_wild",     "x",   EMU_STOP_FAULT, EMU_FAULT_UNMAPPED_READ,
     0x080001c0, 0x50000008, ANY, 0},
    /* ... but a peripheral's shadow reads as addressable */
    {"kasan_mmio",     "x",   EMU_STOP_RETURN, EMU_FAULT_NONE, ANY, ANY, ANY,
     -1},
    {"breakpoint",     "x",   EMU_STOP_FAULT, EMU_FAULT_BKPT,
     0x08000058, ANY, 0x42, -1},
    {"spin",           "x",   EMU_STOP_HANG,  EMU_FAULT_NONE,
     0x0800005c, ANY, ANY, -1},
    {"wait",           "x",   EMU_STOP_HANG,  EMU_FAULT_NONE,
     ANY, ANY, ANY, -1},
    {"call_abort",     "x",   EMU_STOP_FAULT, EMU_FAULT_ABORT,
     0x08000102, ANY, ANY, -1},
    {"call_stack_chk", "x",   EMU_STOP_FAULT, EMU_FAULT_STACK_PROTECTOR,
     0x08000106, ANY, ANY, -1},
    {"call_check",     "x",   EMU_STOP_FAULT, EMU_FAULT_ABORT,
     0x08000108, ANY, ANY, -1},
    {"call_assert",    "x",   EMU_STOP_FAULT, EMU_FAULT_ABORT,
     0x0800010a, ANY, ANY, -1},
    {"call_exit",      "x",   EMU_STOP_FAULT, EMU_FAULT_ABORT,
     0x0800010c, ANY, 3, -1},
    {"call_hardfault", "x",   EMU_STOP_FAULT, EMU_FAULT_HARDFAULT,
     0x0800010e, ANY, ANY, -1},
    /* KASan reports: call_asan passes data[0] as the shadow byte */
    {"call_asan", "\xF9", EMU_STOP_FAULT, EMU_FAULT_GLOBAL_OVERFLOW,
     0x08000104, 0x2000041c, 0xF9, 1},
    {"call_asan", "\xF6", EMU_STOP_FAULT, EMU_FAULT_GLOBAL_OVERFLOW,
     0x08000104, 0x2000041c, 0xF6, 1},
    {"call_asan", "\xF1", EMU_STOP_FAULT, EMU_FAULT_STACK_BUFFER,
     0x08000104, 0x2000041c, 0xF1, 1},
    {"call_asan", "\xF2", EMU_STOP_FAULT, EMU_FAULT_STACK_BUFFER,
     0x08000104, 0x2000041c, 0xF2, 1},
    {"call_asan", "\xF3", EMU_STOP_FAULT, EMU_FAULT_STACK_BUFFER,
     0x08000104, 0x2000041c, 0xF3, 1},
    {"call_asan", "\xF5", EMU_STOP_FAULT, EMU_FAULT_STACK_BUFFER,
     0x08000104, 0x2000041c, 0xF5, 1},
    {"call_asan", "\xF8", EMU_STOP_FAULT, EMU_FAULT_STACK_BUFFER,
     0x08000104, 0x2000041c, 0xF8, 1},
    {"call_asan", "\xFA", EMU_STOP_FAULT, EMU_FAULT_HEAP_OVERFLOW,
     0x08000104, 0x2000041c, 0xFA, 1},
    {"call_asan", "\xFB", EMU_STOP_FAULT, EMU_FAULT_HEAP_OVERFLOW,
     0x08000104, 0x2000041c, 0xFB, 1},
    {"call_asan", "\xFD", EMU_STOP_FAULT, EMU_FAULT_USE_AFTER_FREE,
     0x08000104, 0x2000041c, 0xFD, 1},
    {"call_asan", "\xFE", EMU_STOP_FAULT, EMU_FAULT_BAD_FREE,
     0x08000104, 0x2000041c, 0xFE, 1},
    /* a partial granule: victim+16 is outside the stack: a global */
    {"call_asan", "\x05", EMU_STOP_FAULT, EMU_FAULT_GLOBAL_OVERFLOW,
     0x08000104, 0x2000041c, 0x05, 1},
    /* clean runs, for contrast */
    {"sum_input",      "abc", EMU_STOP_RETURN, EMU_FAULT_NONE,
     ANY, ANY, ANY, -1},
    {"c_entry",        "Q",   EMU_STOP_RETURN, EMU_FAULT_NONE,
     ANY, ANY, ANY, -1},
};
/* clang-format on */

static void check_case(struct emu *e, const struct fault_case *c)
{
    struct emu_result res;
    size_t len = strlen(c->input);
    int rc;

    /* "" stands for the empty input, "\x05" etc. for one byte. */
    rc = emu_set_entry(e, c->entry);
    if (rc != EMU_OK)
        fail_msg("%s: emu_set_entry: %s", c->entry, emu_last_error(e));
    assert_int_equal(emu_run(e, (const uint8_t *)c->input, len, &res), EMU_OK);
    if (res.stop != c->stop || res.fault != c->fault)
        fail_msg("%s(\"%s\"): stop %d fault %s, expected stop %d fault %s",
                 c->entry, c->input, res.stop, emu_fault_name(res.fault),
                 c->stop, emu_fault_name(c->fault));
    if (c->pc != ANY && res.pc != c->pc)
        fail_msg("%s: pc 0x%08x, expected 0x%08x", c->entry, res.pc, c->pc);
    if (c->addr != ANY && res.addr != c->addr)
        fail_msg("%s: addr 0x%08x, expected 0x%08x", c->entry, res.addr,
                 c->addr);
    if (c->detail != ANY && res.detail != c->detail)
        fail_msg("%s: detail 0x%x, expected 0x%x", c->entry, res.detail,
                 c->detail);
    if (c->is_write >= 0 && res.is_write != c->is_write)
        fail_msg("%s: is_write %d", c->entry, res.is_write);
    if (res.stop != EMU_STOP_RETURN) {
        assert_true(res.nframes >= 1);
        assert_int_equal(res.frames[0], res.pc & ~1u);
        assert_int_equal(res.regs[15], res.pc);
    }
}

static void test_faults_each_class(void **state)
{
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_case(e, &cases[i]);
    emu_close(e);
    emu_board_free(b);
}

/* The classes come back the same when runs alternate: nothing leaks. */
static void test_faults_repeatable(void **state)
{
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    size_t i, round;

    (void)state;
    for (round = 0; round < 3; round++)
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
            check_case(
                e,
                &cases[(i * 7 + round) % (sizeof(cases) / sizeof(cases[0]))]);
    emu_close(e);
    emu_board_free(b);
}

/*
 * Runs take the fast path by default: each case gives the result and the
 * edges the full hook gives, and each one that did not return ran a
 * second time (on the full hook, whose result that is). sp_dip and
 * big_frame are the CPU's stack limit at work, ldr_sp_dip the lean hook's
 * SP test after a load into SP, exec_data its test of code.
 */
static void test_faults_fast_path_agrees(void **state)
{
    struct emu_board *bf, *bs;
    struct emu *fast = test_open(&bf, NULL), *full = test_open(&bs, NULL);
    static uint8_t map_fast[4096], map_full[4096];
    uint64_t runs = 0, reruns = 0, before = 0;
    size_t i;

    (void)state;
    emu_set_fast(full, 0);
    assert_int_equal(emu_set_coverage(fast, map_fast, sizeof(map_fast)),
                     EMU_OK);
    assert_int_equal(emu_set_coverage(full, map_full, sizeof(map_full)),
                     EMU_OK);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct fault_case *c = &cases[i];
        size_t len = strlen(c->input);
        struct emu_result a, b;
        int again;

        /* as the engines do before each run */
        memset(map_fast, 0, sizeof(map_fast));
        memset(map_full, 0, sizeof(map_full));

        assert_int_equal(emu_set_entry(fast, c->entry), EMU_OK);
        assert_int_equal(emu_set_entry(full, c->entry), EMU_OK);
        (void)emu_fast_stats(fast, NULL, &before);
        assert_int_equal(emu_run(fast, (const uint8_t *)c->input, len, &a),
                         EMU_OK);
        assert_int_equal(emu_run(full, (const uint8_t *)c->input, len, &b),
                         EMU_OK);
        if (memcmp(&a, &b, sizeof(a)) != 0)
            fail_msg("%s: the fast path's result differs (stop %d/%d, "
                     "fault %s/%s, pc 0x%08x/0x%08x)",
                     c->entry, a.stop, b.stop, emu_fault_name(a.fault),
                     emu_fault_name(b.fault), a.pc, b.pc);
        if (memcmp(map_fast, map_full, sizeof(map_fast)) != 0)
            fail_msg("%s: the fast path counted other edges", c->entry);
        (void)emu_fast_stats(fast, NULL, &reruns);
        again = a.stop != EMU_STOP_RETURN;
        if (reruns - before != (uint64_t)again)
            fail_msg("%s: %llu runs again on the full hook, expected %d",
                     c->entry, (unsigned long long)(reruns - before), again);
    }
    assert_true(emu_fast_stats(fast, &runs, &reruns));
    assert_int_equal(runs, sizeof(cases) / sizeof(cases[0]));
    assert_false(emu_fast_stats(full, &runs, NULL));
    assert_int_equal(runs, 0);
    emu_close(fast);
    emu_close(full);
    emu_board_free(bf);
    emu_board_free(bs);
}

/*
 * The test board with one piece of its text swapped for another of the
 * same length, and progs.elf loaded: boards TEST_BOARD_FMT cannot make.
 */
static struct emu *open_edited_board(struct emu_board **b, const char *from,
                                     const char *to)
{
    char json[2048], err[256];
    struct emu *e = NULL;
    char *at;
    int n = snprintf(json, sizeof(json), TEST_BOARD_FMT, "");

    assert_true(n > 0 && (size_t)n < sizeof(json));
    assert_int_equal(strlen(from), strlen(to));
    at = strstr(json, from);
    assert_non_null(at);
    memcpy(at, to, strlen(to));
    *b = NULL;
    if (emu_board_parse(json, strlen(json), b, err, sizeof(err)) != EMU_OK)
        fail_msg("board: %s\n%s", err, json);
    assert_int_equal(emu_open(*b, &e), EMU_OK);
    assert_int_equal(emu_load_elf(e, TEST_ELF), EMU_OK);
    return e;
}

/* RAM that may hold code: no fetch there faults, so every run takes the
 * full hook. */
static void test_faults_no_fast_path_with_executable_ram(void **state)
{
    struct emu_board *b;
    struct emu *e = open_edited_board(&b, "\"perm\": \"rw\", \"kind\": \"ram\"",
                                      "\"perm\": \"rwx\",\"kind\": \"ram\"");
    struct emu_result res;

    (void)state;
    assert_int_equal(emu_set_entry(e, "exec_ram"), EMU_OK);
    assert_int_equal(emu_run(e, (const uint8_t *)"x", 1, &res), EMU_OK);
    assert_false(emu_fast_stats(e, NULL, NULL));
    emu_close(e);
    emu_board_free(b);
}

/* The site a report names is the caller, not the runtime function. */
static void test_faults_site_is_caller(void **state)
{
    static const struct {
        const char *entry;
        uint32_t site;
    } sites[] = {
        {"call_abort", 0x080000ac},     /* the bl abort */
        {"call_stack_chk", 0x080000ca}, /* the bl __stack_chk_fail */
        {"call_check", 0x080000da},
        {"call_assert", 0x080000ea},
        {"call_exit", 0x080000f4},
        {"call_asan", 0x08000004}, /* from fwfuzz_asan_pc */
        {"call_null", 0x08000040}, /* the blx r1 */
        {"null_read", 0x08000018}, /* the load itself */
    };
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    struct emu_result res;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(sites) / sizeof(sites[0]); i++) {
        assert_int_equal(emu_set_entry(e, sites[i].entry), EMU_OK);
        assert_int_equal(emu_run(e, (const uint8_t *)"x", 1, &res), EMU_OK);
        if (res.site != sites[i].site)
            fail_msg("%s: site 0x%08x, expected 0x%08x", sites[i].entry,
                     res.site, sites[i].site);
    }
    emu_close(e);
    emu_board_free(b);
}

/* With the NULL page check off (memory at 0 on many parts), a read of an
 * unmapped address near 0 is an ordinary unmapped read. */
static void test_faults_null_page_off(void **state)
{
    struct emu_board *b;
    struct emu *e = test_open(&b, ", \"faults\": {\"null_page\": false}");
    struct emu_result res;

    (void)state;
    assert_int_equal(emu_set_entry(e, "null_read"), EMU_OK);
    res = test_run(e, "x");
    assert_int_equal(res.fault, EMU_FAULT_UNMAPPED_READ);
    assert_int_equal(res.addr, 4);
    emu_close(e);
    emu_board_free(b);
}

/* A writable input (a board for firmware that parses in place). */
static void test_faults_writable_input(void **state)
{
    struct emu_board *b;
    /* "max_size": "4K" swapped for "writable": true */
    struct emu *e =
        open_edited_board(&b, "\"max_size\": \"4K\"", "\"writable\": true");
    struct emu_result res;

    (void)state;
    assert_int_equal(emu_set_entry(e, "write_input"), EMU_OK);
    res = test_run(e, "x");
    assert_int_equal(res.stop, EMU_STOP_RETURN);
    emu_close(e);
    emu_board_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_faults_each_class),
        cmocka_unit_test(test_faults_repeatable),
        cmocka_unit_test(test_faults_fast_path_agrees),
        cmocka_unit_test(test_faults_no_fast_path_with_executable_ram),
        cmocka_unit_test(test_faults_site_is_caller),
        cmocka_unit_test(test_faults_null_page_off),
        cmocka_unit_test(test_faults_writable_input),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
