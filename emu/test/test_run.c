/*
 * Function-level runs: return values, the snapshot restored between runs,
 * the board's init, coverage, the block budget, inputs at the edges.
 */
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

static void test_run_returns_value(void **state)
{
    struct emu_board *b;
    struct emu *e = test_ready(&b, "sum_input");
    struct emu_result res;

    (void)state;
    res = test_run(e, "abc");
    assert_int_equal(res.stop, EMU_STOP_RETURN);
    assert_int_equal(res.fault, EMU_FAULT_NONE);
    assert_int_equal(res.ret, 'a' + 'b' + 'c');
    assert_int_equal(res.regs[0], res.ret);
    assert_true(res.blocks >= 3);
    /* The empty input: len 0, and the pointer is not dereferenced. */
    assert_int_equal(emu_run(e, NULL, 0, &res), EMU_OK);
    assert_int_equal(res.stop, EMU_STOP_RETURN);
    assert_int_equal(res.ret, 0);
    /* A C function through a call: n + 1. */
    assert_int_equal(emu_set_entry(e, "c_entry"), EMU_OK);
    res = test_run(e, "hello");
    assert_int_equal(res.stop, EMU_STOP_RETURN);
    assert_int_equal(res.ret, 6);
    emu_close(e);
    emu_board_free(b);
}

/* Entry by address (Thumb bit optional) works like by name. */
static void test_run_entry_by_address(void **state)
{
    struct emu_board *b;
    struct emu *e = test_ready(&b, "0x08000000"); /* sum_input */
    struct emu_result res;

    (void)state;
    res = test_run(e, "\x01\x02");
    assert_int_equal(res.ret, 3);
    assert_int_equal(emu_set_entry(e, "0x0800006d"), EMU_OK); /* branchy */
    res = test_run(e, "A");
    assert_int_equal(res.ret, 2);
    emu_close(e);
    emu_board_free(b);
}

/* No run sees what an earlier one wrote: RAM comes back every time. */
static void test_run_state_reset(void **state)
{
    struct emu_board *b;
    struct emu *e = test_ready(&b, "count");
    struct emu_result res;
    int i;

    (void)state;
    for (i = 0; i < 1000; i++) {
        res = test_run(e, "x");
        assert_int_equal(res.stop, EMU_STOP_RETURN);
        assert_int_equal(res.ret, 1);
    }
    /* 8 KiB written by each run: read back as zero by the next. */
    assert_int_equal(emu_set_entry(e, "scribble"), EMU_OK);
    for (i = 0; i < 50; i++) {
        res = test_run(e, "x");
        assert_int_equal(res.ret, 0);
    }
    /* Also after a fault in the middle of a run. */
    assert_int_equal(emu_set_entry(e, "count"), EMU_OK);
    res = test_run(e, "x");
    assert_int_equal(res.ret, 1);
    assert_int_equal(emu_set_entry(e, "recurse"), EMU_OK);
    res = test_run(e, "x");
    assert_int_equal(res.fault, EMU_FAULT_STACK_OVERFLOW);
    assert_int_equal(emu_set_entry(e, "count"), EMU_OK);
    res = test_run(e, "x");
    assert_int_equal(res.ret, 1);
    emu_close(e);
    emu_board_free(b);
}

/*
 * SP is read only after a block that may write it (spscan.c), symbols or
 * not: a deep recursion, a leaf's oversized frame, and a frame made after
 * a branch (shrink-wrapped) are all found.
 */
static void test_run_stack_limit_with_and_without_symbols(void **state)
{
    static const char *const entries[2][3] = {
        {"recurse", "big_frame", "late_frame"},
        {"0x0800004d", "0x080001a9", "0x080001d1"}, /* the same, by address */
    };
    struct emu_board *b;
    struct emu *e;
    struct emu_result res;
    int stripped, i;

    (void)state;
    for (stripped = 0; stripped < 2; stripped++) {
        e = test_open(&b, NULL);
        if (stripped) {
            assert_int_equal(emu_reset(e), EMU_OK);
            assert_int_equal(emu_load_elf(e, TEST_ELF_STRIPPED), EMU_OK);
        }
        for (i = 0; i < 3; i++) {
            assert_int_equal(emu_set_entry(e, entries[stripped][i]), EMU_OK);
            res = test_run(e, "x");
            assert_int_equal(res.stop, EMU_STOP_FAULT);
            assert_int_equal(res.fault, EMU_FAULT_STACK_OVERFLOW);
        }
        emu_close(e);
        emu_board_free(b);
    }
}

/* .data starts with its initial value (load address copied to RAM). */
static void test_run_initialized_data(void **state)
{
    struct emu_board *b;
    struct emu *e = test_ready(&b, "read_data");

    (void)state;
    assert_int_equal(test_run(e, "").ret, 0x12345678);
    emu_close(e);
    emu_board_free(b);
}

/* The board's init runs once, before the snapshot. */
static void test_run_board_init(void **state)
{
    struct emu_board *b;
    struct emu *e = test_open(&b, ", \"init\": \"test_init\"");
    int i;

    (void)state;
    assert_int_equal(emu_set_entry(e, "read_init"), EMU_OK);
    for (i = 0; i < 3; i++)
        assert_int_equal(test_run(e, "").ret, 0xC0FFEE);
    emu_close(e);
    emu_board_free(b);
    /* Without init the flag stays 0. */
    e = test_ready(&b, "read_init");
    assert_int_equal(test_run(e, "").ret, 0);
    emu_close(e);
    emu_board_free(b);
}

static void test_run_board_init_fails(void **state)
{
    struct emu_board *b;
    struct emu *e = test_open(&b, ", \"init\": \"null_read\"");
    struct emu_result res;

    (void)state;
    assert_int_equal(emu_set_entry(e, "count"), EMU_ERR_INIT);
    assert_non_null(strstr(emu_last_error(e), "null_read"));
    assert_non_null(strstr(emu_last_error(e), "null-deref"));
    /* No retry on the half-initialised RAM; no run. */
    assert_int_equal(emu_set_entry(e, "count"), EMU_ERR_STATE);
    assert_int_equal(emu_run(e, NULL, 0, &res), EMU_ERR_STATE);
    emu_close(e);
    emu_board_free(b);

    e = test_open(&b, ", \"init\": \"no_such_init\"");
    assert_int_equal(emu_set_entry(e, "count"), EMU_ERR_SYMBOL);
    assert_non_null(strstr(emu_last_error(e), "no_such_init"));
    emu_close(e);
    emu_board_free(b);

    e = test_open(&b, ", \"init\": \"spin\"");
    assert_int_equal(emu_set_entry(e, "count"), EMU_ERR_INIT);
    assert_non_null(strstr(emu_last_error(e), "hang"));
    emu_close(e);
    emu_board_free(b);
}

static size_t nonzero(const uint8_t *map, size_t n)
{
    size_t i, c = 0;

    for (i = 0; i < n; i++)
        c += map[i] != 0;
    return c;
}

/* Different paths give different edges; the same path the same ones. */
static void test_run_coverage(void **state)
{
    static uint8_t a[4096], a2[4096], bb[4096];
    struct emu_board *b;
    struct emu *e = test_ready(&b, "branchy");

    (void)state;
    assert_int_equal(emu_set_coverage(e, a, sizeof(a)), EMU_OK);
    assert_int_equal(test_run(e, "A").ret, 2);
    assert_int_equal(emu_set_coverage(e, a2, sizeof(a2)), EMU_OK);
    assert_int_equal(test_run(e, "A").ret, 2);
    assert_int_equal(emu_set_coverage(e, bb, sizeof(bb)), EMU_OK);
    assert_int_equal(test_run(e, "B").ret, 1);
    assert_true(nonzero(a, sizeof(a)) >= 2);
    assert_memory_equal(a, a2, sizeof(a));
    assert_memory_not_equal(a, bb, sizeof(a));
    /* Counters add up over runs: a loop's edge counts its iterations. */
    assert_int_equal(emu_set_entry(e, "sum_input"), EMU_OK);
    memset(a, 0, sizeof(a));
    assert_int_equal(emu_set_coverage(e, a, sizeof(a)), EMU_OK);
    test_run(e, "abcdefghij");
    {
        size_t i, max = 0;

        for (i = 0; i < sizeof(a); i++)
            if (a[i] > max)
                max = a[i];
        assert_true(max >= 9); /* the loop's back edge */
    }
    /* Counters saturate instead of wrapping to zero. */
    {
        static uint8_t big[300];
        size_t i, max = 0;

        for (i = 0; i < sizeof(big); i++)
            big[i] = 'x';
        memset(a, 0, sizeof(a));
        assert_int_equal(emu_run(e, big, sizeof(big), NULL), EMU_ERR_ARG);
        {
            struct emu_result res;

            assert_int_equal(emu_run(e, big, sizeof(big), &res), EMU_OK);
        }
        for (i = 0; i < sizeof(a); i++)
            if (a[i] > max)
                max = a[i];
        assert_int_equal(max, 255);
    }
    /* Size must be a power of two; NULL turns coverage off. */
    assert_int_equal(emu_set_coverage(e, a, 3000), EMU_ERR_ARG);
    assert_int_equal(emu_set_coverage(e, NULL, 0), EMU_OK);
    emu_close(e);
    emu_board_free(b);
}

/* The budget stops an endless loop, and emu_set_budget changes it. */
static void test_run_budget(void **state)
{
    struct emu_board *b;
    struct emu *e = test_ready(&b, "spin");
    struct emu_result res;

    (void)state;
    res = test_run(e, "x");
    assert_int_equal(res.stop, EMU_STOP_HANG);
    assert_int_equal(res.fault, EMU_FAULT_NONE);
    assert_int_equal(res.blocks, 10001); /* the board's 10000, then stop */
    emu_set_budget(e, 50);
    res = test_run(e, "x");
    assert_int_equal(res.stop, EMU_STOP_HANG);
    assert_int_equal(res.blocks, 51);
    /* A long but finite run under a budget that is too small hangs. */
    assert_int_equal(emu_set_entry(e, "scribble"), EMU_OK);
    res = test_run(e, "x");
    assert_int_equal(res.stop, EMU_STOP_HANG);
    emu_set_budget(e, 0); /* back to the board's */
    res = test_run(e, "x");
    assert_int_equal(res.stop, EMU_STOP_RETURN);
    emu_close(e);
    emu_board_free(b);
}

/* Inputs longer than input.max_size are cut; the last byte abuts the guard
 * whatever the length. */
static void test_run_input_sizes(void **state)
{
    static uint8_t big[5000];
    struct emu_board *b;
    struct emu *e = test_ready(&b, "sum_input");
    struct emu_result res;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(big); i++)
        big[i] = 1;
    assert_int_equal(emu_run(e, big, sizeof(big), &res), EMU_OK);
    assert_int_equal(res.ret, 4096); /* max_size 4K */
    assert_int_equal(emu_set_entry(e, "read_past"), EMU_OK);
    for (i = 0; i <= 4096; i += 512) {
        assert_int_equal(emu_run(e, big, i, &res), EMU_OK);
        assert_int_equal(res.fault, EMU_FAULT_INPUT_OVERREAD);
        assert_int_equal(res.addr, 0x60001000);
        assert_int_equal(res.regs[0], 0x60001000 - (i ? i : 0));
    }
    /* A shorter input after a longer one: zeros before it, not the old
     * bytes. */
    assert_int_equal(emu_set_entry(e, "sum_input"), EMU_OK);
    assert_int_equal(emu_run(e, big, 4096, &res), EMU_OK);
    assert_int_equal(emu_run(e, big, 100, &res), EMU_OK);
    assert_int_equal(res.ret, 100);
    {
        const uint8_t *area = emu_mem_host(e, 0x60000000, 4096);

        assert_non_null(area);
        for (i = 0; i < 4096 - 100; i++)
            assert_int_equal(area[i], 0);
        for (; i < 4096; i++)
            assert_int_equal(area[i], 1);
    }
    emu_close(e);
    emu_board_free(b);
}

static void test_run_api_misuse(void **state)
{
    struct emu_board *b = test_board(NULL);
    struct emu *e = NULL;
    struct emu_result res;

    (void)state;
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_run(e, NULL, 0, &res), EMU_ERR_STATE);
    assert_int_equal(emu_set_entry(e, "sum_input"), EMU_ERR_STATE);
    assert_non_null(strstr(emu_last_error(e), "load an image"));
    assert_int_equal(emu_load_elf(e, TEST_ELF), EMU_OK);
    assert_int_equal(emu_run(e, NULL, 0, &res), EMU_ERR_STATE);
    assert_int_equal(emu_set_entry(e, NULL), EMU_ERR_ARG);
    assert_int_equal(emu_set_entry(e, ""), EMU_ERR_ARG);
    assert_int_equal(emu_set_entry(e, "no_such_function"), EMU_ERR_SYMBOL);
    assert_non_null(strstr(emu_last_error(e), "no_such_function"));
    assert_int_equal(emu_set_entry(e, "initialized"), EMU_ERR_SYMBOL);
    assert_non_null(strstr(emu_last_error(e), "not a function"));
    assert_int_equal(emu_set_entry(e, "0x20000000"), EMU_ERR_SYMBOL);
    assert_int_equal(emu_set_entry(e, "0x1234567890"), EMU_ERR_SYMBOL);
    assert_int_equal(emu_set_entry(e, "sum_input"), EMU_OK);
    assert_int_equal(emu_run(e, NULL, 5, &res), EMU_ERR_ARG);
    assert_int_equal(emu_run(NULL, NULL, 0, &res), EMU_ERR_ARG);
    /* Loading after the entry is set is out of order. */
    assert_int_equal(emu_load_elf(e, TEST_ELF), EMU_ERR_STATE);
    emu_close(e);
    emu_close(NULL);
    emu_board_free(b);
}

/* emu_reset forgets the image: a handle serves image after image. */
static void test_run_reset(void **state)
{
    struct emu_board *b;
    struct emu *e = test_ready(&b, "count");
    struct emu_result res;
    int i;

    (void)state;
    for (i = 0; i < 20; i++) {
        assert_int_equal(test_run(e, "x").ret, 1);
        assert_int_equal(emu_reset(e), EMU_OK);
        assert_int_equal(emu_run(e, NULL, 0, &res), EMU_ERR_STATE);
        assert_int_equal(emu_load_elf(e, i % 2 ? TEST_ELF_STRIPPED : TEST_ELF),
                         EMU_OK);
        assert_int_equal(emu_set_entry(e, "0x08000063"), EMU_OK); /* count */
    }
    emu_close(e);
    emu_board_free(b);
}

/* With Unicorn 2.0.1 the store-path work-around is on (emu/src/ucfix.c):
 * the test executable exports the replacement functions, and a run that
 * writes 8 KiB traps once per 1 KiB page, not once per store. */
static void test_run_ucfix(void **state)
{
    unsigned major, minor;
    unsigned v = uc_version(&major, &minor);
    struct emu_board *b;
    struct emu *e;
    unsigned long before;

    (void)state;
    if ((v & 0xFFFFFF00u) != 0x02000100u ||
        getenv("FWFUZZ_EMU_UC_SLOW_WRITES") != NULL)
        skip();
    /* Stores go through the replacement while scribble writes 8 KiB. */
    e = test_ready(&b, "scribble");
    before = emu_ucfix_traps();
    assert_int_equal(test_run(e, "").ret, 0);
    assert_true(emu_ucfix_traps() >= before + 8);
    assert_true(emu_ucfix_traps() <= before + 8 + 4);
    emu_close(e);
    emu_board_free(b);
}

/*
 * Bit-exact replays: faulting cases of each kind run 100 times in turn in
 * one process, each time the same verdict, PC, block count, registers,
 * call stack, last blocks and report.
 */
static void test_run_bit_exact_replays(void **state)
{
    static const struct {
        const char *entry, *input;
    } cases[] = {
        {"c_entry", "N\x08"}, /* data fault: PC from the re-run */
        {"read_past", "abc"}, {"call_asan", "\xF9"},
        {"recurse", ""},      {"spin", ""},
    };
    enum { NCASES = sizeof(cases) / sizeof(cases[0]), RUNS = 100 };
    static char first_text[NCASES][16384], text[16384];
    struct emu_result first[NCASES], res;
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    unsigned i, k;

    (void)state;
    for (k = 0; k < RUNS; k++) {
        for (i = 0; i < NCASES; i++) {
            assert_int_equal(emu_set_entry(e, cases[i].entry), EMU_OK);
            res = test_run(e, cases[i].input);
            emu_describe(e, &res, text, sizeof(text));
            if (k == 0) {
                assert_int_not_equal(res.stop, EMU_STOP_RETURN);
                first[i] = res;
                memcpy(first_text[i], text, sizeof(text));
                continue;
            }
            assert_int_equal(res.stop, first[i].stop);
            assert_int_equal(res.fault, first[i].fault);
            assert_int_equal(res.pc, first[i].pc);
            assert_int_equal(res.blocks, first[i].blocks);
            /* Every field: registers, frames, last blocks, site. */
            assert_memory_equal(&res, &first[i], sizeof(res));
            assert_string_equal(text, first_text[i]);
        }
    }
    emu_close(e);
    emu_board_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_returns_value),
        cmocka_unit_test(test_run_entry_by_address),
        cmocka_unit_test(test_run_state_reset),
        cmocka_unit_test(test_run_initialized_data),
        cmocka_unit_test(test_run_board_init),
        cmocka_unit_test(test_run_board_init_fails),
        cmocka_unit_test(test_run_coverage),
        cmocka_unit_test(test_run_budget),
        cmocka_unit_test(test_run_input_sizes),
        cmocka_unit_test(test_run_api_misuse),
        cmocka_unit_test(test_run_reset),
        cmocka_unit_test(test_run_ucfix),
        cmocka_unit_test(test_run_bit_exact_replays),
        cmocka_unit_test(test_run_stack_limit_with_and_without_symbols),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
