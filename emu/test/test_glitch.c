/*
 * Single-fault injection (emu/glitch.h) on emu/test/sys/glitch_test.S: the
 * trace of the boot without a fault, a skip inside an IT block, the zero
 * model, faults that crash, boots that all start from the same reset state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "emu/emu.h"
#include "emu/glitch.h"
#include "../src/internal.h"

#define SLOT      0x08010000u /* glitch_test.S's SLOT */
#define SLOT_SIZE 2u

struct fixture {
    struct emu_board *board;
    struct emu *e;
    struct emu_glitch *g;
};

static struct fixture fx;

static uint32_t sym(const char *name)
{
    const struct emu_sym *s = emu_sym_by_name(fx.e, name);

    assert_non_null(s);
    return s->addr & ~1u;
}

static int setup(void **state)
{
    static const uint8_t slot[SLOT_SIZE] = {0xFE, 0xE7}; /* b . */
    char err[512];

    (void)state;
    memset(&fx, 0, sizeof(fx));
    assert_int_equal(emu_board_load(EMU_TEST_DATA "/sys-board.json", &fx.board,
                                    err, sizeof(err)),
                     EMU_OK);
    assert_int_equal(emu_open(fx.board, &fx.e), EMU_OK);
    assert_int_equal(emu_load_elf(fx.e, EMU_TEST_GLITCH_IMAGE), EMU_OK);
    assert_int_equal(emu_load_bin_mem(fx.e, slot, sizeof(slot), SLOT), EMU_OK);
    assert_int_equal(emu_glitch_open(fx.e, SLOT, SLOT_SIZE, 0, &fx.g), EMU_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    emu_glitch_close(fx.g);
    emu_close(fx.e);
    emu_board_free(fx.board);
    return 0;
}

static enum emu_glitch_end run(uint32_t addr, uint32_t nth,
                               enum emu_glitch_model model,
                               struct emu_glitch_result *r)
{
    struct emu_glitch_fault f = {addr, nth, model};

    assert_int_equal(emu_glitch_run(fx.g, &f, r), EMU_OK);
    return r->end;
}

static void test_glitch_reference_refuses(void **state)
{
    const struct emu_glitch_result *ref = emu_glitch_reference(fx.g);

    (void)state;
    assert_int_equal(ref->end, EMU_GLITCH_SECURE);
    assert_int_equal(ref->pc, sym("fail") + 4); /* past the WFI */
    assert_int_equal(ref->boot->end, EMU_BOOT_IDLE);
}

static void test_glitch_trace(void **state)
{
    const struct emu_glitch_insn *t, *in;
    size_t n, i;

    (void)state;
    t = emu_glitch_trace(fx.g, &n);
    assert_non_null(t);
    /* In order of first execution, each once, the slot never. */
    assert_int_equal(t[0].addr, sym("reset"));
    assert_int_equal(t[0].first, 1);
    for (i = 1; i < n; i++) {
        assert_true(t[i].first > t[i - 1].first);
        assert_true(t[i].addr < SLOT || t[i].addr >= SLOT + SLOT_SIZE);
    }
    in = emu_glitch_insn_at(fx.g, sym("loop"));
    assert_non_null(in);
    assert_int_equal(in->runs, 2);
    assert_int_equal(in->size, 2);
    assert_int_equal(in->next, sym("loop") + 2);
    in = emu_glitch_insn_at(fx.g, sym("loop") + 2); /* bne.w */
    assert_non_null(in);
    assert_int_equal(in->size, 4);
    assert_int_equal(in->writes, 0);
    /* ite ne: firstcond 0001, mask 0100; the movne runs with 0x14. */
    in = emu_glitch_insn_at(fx.g, sym("verdict"));
    assert_non_null(in);
    assert_int_equal(in->itstate, 0x14);
    assert_int_equal(in->writes, 1u << 1);
    in = emu_glitch_insn_at(fx.g, sym("decide"));
    assert_non_null(in);
    assert_int_equal(in->itstate, 0);
    /* bl writes LR and PC: no zero fault there. */
    in = emu_glitch_insn_at(fx.g, sym("loop") + 8);
    assert_non_null(in);
    assert_int_equal(in->writes, 0);
    in = emu_glitch_insn_at(fx.g, sym("check"));
    assert_non_null(in);
    assert_int_equal(in->writes, 1u << 0);
    assert_null(emu_glitch_insn_at(fx.g, sym("boot")));
    /* itt ne: cmpne sets the flags movne then tests. */
    in = emu_glitch_insn_at(fx.g, sym("flags_it"));
    assert_non_null(in);
    assert_int_equal(in->no_skip, 0);
    in = emu_glitch_insn_at(fx.g, sym("flags_it") + 2);
    assert_non_null(in);
    assert_int_equal(in->no_skip, 1);
}

static void test_glitch_skip_in_it_block_bypasses(void **state)
{
    struct emu_glitch_result r;
    char text[64];

    (void)state;
    /* Its else slot is used up: moveq stays conditional and fails. */
    assert_int_equal(run(sym("verdict"), 1, EMU_GLITCH_SKIP, &r),
                     EMU_GLITCH_BYPASS);
    assert_true(r.applied);
    assert_int_equal(r.pc, SLOT);
    assert_int_equal(r.regs[1], 0);
    emu_glitch_insn_text(fx.g, sym("verdict"), text, sizeof(text));
    assert_string_equal(text, "movne r1, #1");
}

static void test_glitch_skips_that_crash_or_not(void **state)
{
    struct emu_glitch_result r;

    (void)state;
    /* The IT skipped: both movs run, r1 = 2. */
    assert_int_equal(run(sym("decide") + 2, 1, EMU_GLITCH_SKIP, &r),
                     EMU_GLITCH_CRASH);
    assert_int_equal(r.boot->res.fault, EMU_FAULT_INVALID_INSN);
    assert_int_equal(r.pc, sym("crash"));
    assert_int_equal(run(sym("to_fail"), 1, EMU_GLITCH_SKIP, &r),
                     EMU_GLITCH_CRASH);
    /* The compare: the flags of movs r1, #0 (Z) pick moveq. */
    assert_int_equal(run(sym("decide"), 1, EMU_GLITCH_SKIP, &r),
                     EMU_GLITCH_CRASH);
    /* r0 = 5 not set, or check not called: refused all the same. */
    assert_int_equal(run(sym("loop") + 6, 1, EMU_GLITCH_SKIP, &r),
                     EMU_GLITCH_SECURE);
    assert_int_equal(run(sym("loop") + 8, 1, EMU_GLITCH_SKIP, &r),
                     EMU_GLITCH_SECURE);
    assert_true(r.applied);
}

static void test_glitch_zero_model(void **state)
{
    struct emu_glitch_result r;
    struct emu_glitch_fault f = {0, 1, EMU_GLITCH_ZERO};

    (void)state;
    assert_int_equal(run(sym("verdict"), 1, EMU_GLITCH_ZERO, &r),
                     EMU_GLITCH_BYPASS);
    /* check returns 0: moveq runs, r1 = 2. */
    assert_int_equal(run(sym("check"), 1, EMU_GLITCH_ZERO, &r),
                     EMU_GLITCH_CRASH);
    /* The loop's counter reads 0 after its first subs: 2^32 rounds. */
    assert_int_equal(run(sym("loop"), 1, EMU_GLITCH_ZERO, &r), EMU_GLITCH_HANG);
    /* Nothing to zero in a branch. */
    f.addr = sym("to_fail");
    assert_int_equal(emu_glitch_run(fx.g, &f, &r), EMU_ERR_ARG);
}

static void test_glitch_nth_execution(void **state)
{
    struct emu_glitch_result r;
    struct emu_glitch_fault f = {0, 3, EMU_GLITCH_SKIP};

    (void)state;
    /* The second subs skipped: r2 stays 1, the loop runs once more. */
    assert_int_equal(run(sym("loop"), 2, EMU_GLITCH_SKIP, &r),
                     EMU_GLITCH_SECURE);
    assert_true(r.applied);
    f.addr = sym("loop");
    assert_int_equal(emu_glitch_run(fx.g, &f, &r), EMU_ERR_ARG);
    f.addr = sym("boot");
    f.nth = 1;
    assert_int_equal(emu_glitch_run(fx.g, &f, &r), EMU_ERR_ARG);
    f.addr = sym("flags_it") + 2;
    assert_int_equal(emu_glitch_run(fx.g, &f, &r), EMU_ERR_ARG);
    assert_int_equal(run(sym("flags_it"), 1, EMU_GLITCH_SKIP, &r),
                     EMU_GLITCH_SECURE);
}

/* Every boot starts at reset: the RAM counter reads 0 each time. */
static void test_glitch_boots_start_from_reset(void **state)
{
    struct emu_glitch_result r;
    const struct emu_glitch_insn *t;
    size_t n, i, bypasses = 0;

    (void)state;
    t = emu_glitch_trace(fx.g, &n);
    for (i = 0; i < n; i++)
        if (!t[i].no_skip)
            bypasses +=
                run(t[i].addr, 1, EMU_GLITCH_SKIP, &r) == EMU_GLITCH_BYPASS;
    assert_int_equal(bypasses, 1);
    /* A boot from RAM as the last one left it would crash at once. */
    assert_int_equal(run(sym("verdict"), 1, EMU_GLITCH_SKIP, &r),
                     EMU_GLITCH_BYPASS);
    assert_int_equal(run(sym("loop") + 6, 1, EMU_GLITCH_SKIP, &r),
                     EMU_GLITCH_SECURE);
}

static void test_glitch_needs_a_fresh_handle(void **state)
{
    struct emu_glitch *g = NULL;

    (void)state;
    /* fx.e has booted. */
    assert_int_equal(emu_glitch_open(fx.e, SLOT, SLOT_SIZE, 0, &g),
                     EMU_ERR_STATE);
    assert_null(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glitch_reference_refuses),
        cmocka_unit_test(test_glitch_trace),
        cmocka_unit_test(test_glitch_skip_in_it_block_bypasses),
        cmocka_unit_test(test_glitch_skips_that_crash_or_not),
        cmocka_unit_test(test_glitch_zero_model),
        cmocka_unit_test(test_glitch_nth_execution),
        cmocka_unit_test(test_glitch_boots_start_from_reset),
        cmocka_unit_test(test_glitch_needs_a_fresh_handle),
    };
    FILE *f = fopen(EMU_TEST_GLITCH_IMAGE, "rb");

    if (f == NULL) {
        printf("%s is missing (no arm-none-eabi-gcc): skipped\n",
               EMU_TEST_GLITCH_IMAGE);
        return EMU_TEST_SKIP_CODE;
    }
    fclose(f);
    return cmocka_run_group_tests(tests, setup, teardown);
}
