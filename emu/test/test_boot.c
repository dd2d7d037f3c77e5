/*
 * Whole images: the exception model, the boot's snapshot and runs from it,
 * on emu/test/sys/sys_test.S (thread mode on PSP, SVC, SysTick while the
 * core sleeps, PendSV tail-chained from SysTick, a polled UART).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "emu/boot.h"
#include "emu/emu.h"
#include "../src/internal.h"

struct fixture {
    struct emu_board *board;
    struct emu *e;
    struct emu_boot_report r;
};

static struct fixture fx;

static uint32_t sym(const char *name)
{
    const struct emu_sym *s = emu_sym_by_name(fx.e, name);

    assert_non_null(s);
    return s->addr & ~1u;
}

static uint32_t word_at(uint32_t addr)
{
    uint32_t v = 0;

    assert_int_equal(emu_mem_read(fx.e, addr, &v, 4), 0);
    return v;
}

static int setup(void **state)
{
    char err[512];

    (void)state;
    memset(&fx, 0, sizeof(fx));
    assert_int_equal(emu_board_load(EMU_TEST_DATA "/sys-board.json", &fx.board,
                                    err, sizeof(err)),
                     EMU_OK);
    assert_int_equal(emu_open(fx.board, &fx.e), EMU_OK);
    assert_int_equal(emu_load_elf(fx.e, EMU_TEST_SYS_IMAGE), EMU_OK);
    assert_int_equal(emu_boot(fx.e, &fx.r), EMU_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    emu_close(fx.e);
    emu_board_free(fx.board);
    return 0;
}

static void test_boot_waits_at_the_uart(void **state)
{
    (void)state;
    assert_int_equal(fx.r.end, EMU_BOOT_WAITING);
    assert_int_equal(fx.r.pc, sym("uart_loop"));
    assert_int_equal(fx.r.initial_sp, 0x20010000u);
    assert_true(fx.r.reg_is_uart);
    assert_true(emu_is_whole_image(fx.e));
}

static void test_boot_svc_on_psp(void **state)
{
    uint32_t seen = sym("svc_seen"), saved = sym("saved");

    (void)state;
    /* Entered from thread mode on PSP: EXC_RETURN says so. */
    assert_int_equal(word_at(seen), 0xFFFFFFFDu);
    assert_int_equal(word_at(seen + 4), 11u);
    /* The frame is on PSP: r0 and the return address after the SVC. */
    assert_int_equal(word_at(seen + 8), 0x11111111u);
    assert_true(word_at(seen + 12) > sym("reset") &&
                word_at(seen + 12) < sym("sleep_loop"));
    /* The handler runs on MSP, untouched by the frame. */
    assert_int_equal(word_at(seen + 16), 0x20010000u);
    /* The return restored what the handler clobbered, and PSP. */
    assert_int_equal(word_at(saved), 0x11111111u);
    assert_int_equal(word_at(saved + 4), 0x22222222u);
    assert_int_equal(word_at(saved + 8), 0xCCCCCCCCu);
    assert_int_equal(word_at(saved + 12), 0x20008000u);
}

static void test_boot_systick_and_pendsv(void **state)
{
    (void)state;
    /* Five ticks while it slept, each tail-chained into PendSV, which
     * returns to thread mode on PSP. */
    assert_int_equal(word_at(sym("ticks")), 5u);
    assert_int_equal(word_at(sym("pendsvs")), 5u);
    assert_int_equal(word_at(sym("pendsvs") + 4), 0xFFFFFFFDu);
    /* Enabled, but nothing raised it. */
    assert_int_equal(word_at(sym("irq0s")), 0u);
    assert_int_equal(fx.r.enabled[0], 1u << 16);
}

static void run_text(const char *in, struct emu_result *res, char *out,
                     size_t outlen)
{
    const uint8_t *o;
    size_t n;

    assert_int_equal(emu_run(fx.e, (const uint8_t *)in, strlen(in), res),
                     EMU_OK);
    o = emu_uart_output(fx.e, &n);
    assert_true(n < outlen);
    memcpy(out, o, n);
    out[n] = '\0';
}

static void test_boot_runs_echo_the_uart(void **state)
{
    struct emu_result res;
    char out[64];
    uint32_t ticks;

    (void)state;
    run_text("hello", &res, out, sizeof(out));
    assert_int_equal(res.stop, EMU_STOP_RETURN);
    assert_int_equal(res.detail, EMU_END_INPUT);
    assert_string_equal(out, "hello");
    /* The next run starts from the snapshot again, not after "hello":
     * SysTick goes on ticking in a run, the same way each time. */
    run_text("ab", &res, out, sizeof(out));
    assert_string_equal(out, "ab");
    ticks = word_at(sym("ticks"));
    assert_true(ticks >= 5);
    run_text("ab", &res, out, sizeof(out));
    assert_int_equal(word_at(sym("ticks")), ticks);
}

static void test_boot_fault_replays_bit_exactly(void **state)
{
    struct emu_result first, res;
    char out[64];
    int i;

    (void)state;
    run_text("ab!", &first, out, sizeof(out));
    assert_int_equal(first.stop, EMU_STOP_FAULT);
    assert_int_equal(first.fault, EMU_FAULT_NULL_DEREF);
    assert_int_equal(first.addr, 4u);
    assert_int_equal(first.pc, sym("crash") + 2);
    assert_string_equal(out, "ab!");
    for (i = 0; i < 100; i++) {
        run_text("ab!", &res, out, sizeof(out));
        assert_int_equal(res.stop, first.stop);
        assert_int_equal(res.fault, first.fault);
        assert_int_equal(res.pc, first.pc);
        assert_int_equal(res.blocks, first.blocks);
        assert_memory_equal(res.regs, first.regs, sizeof(res.regs));
    }
}

static void test_boot_models_by_trial(void **state)
{
    const struct emu_boot_model *sensor = NULL, *id = NULL;
    struct emu_result res;
    char out[64];
    unsigned i;

    (void)state;
    for (i = 0; i < fx.r.nmodels; i++) {
        if (fx.r.models[i].addr == 0x40020000u)
            sensor = &fx.r.models[i];
        if (fx.r.models[i].addr == 0x40020004u)
            id = &fx.r.models[i];
    }
    /* Only bit 0 of the sensor is tested: one input byte per read. */
    assert_non_null(sensor);
    assert_int_equal(sensor->mask, 1u);
    assert_int_equal(sensor->pc, 0u);
    /* The ID is never used: a constant, no input. */
    assert_non_null(id);
    assert_int_equal(id->mask, 0u);
    /* "s", then one byte for the sensor (odd: bit 0 set), then "b". */
    run_text("sAb", &res, out, sizeof(out));
    assert_string_equal(out, "sb");
    assert_int_equal(word_at(sym("sensor_hits")), 1u);
    run_text("sBb", &res, out, sizeof(out));
    assert_string_equal(out, "sb");
    assert_int_equal(word_at(sym("sensor_hits")), 0u);
}

static void test_boot_entry_must_match_the_board(void **state)
{
    struct emu_board *b = NULL;
    struct emu *e = NULL;
    char err[512];

    (void)state;
    /* A function-level board does not boot. */
    assert_int_equal(emu_board_load(EMU_TEST_BOARD, &b, err, sizeof(err)),
                     EMU_OK);
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_load_elf(e, EMU_TEST_SYS_IMAGE), EMU_OK);
    assert_int_equal(emu_boot(e, &fx.r), EMU_ERR_STATE);
    assert_int_equal(emu_set_entry(e, EMU_ENTRY_RESET), EMU_ERR_SYMBOL);
    assert_non_null(strstr(emu_last_error(e), "not a whole image"));
    emu_close(e);
    emu_board_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boot_waits_at_the_uart),
        cmocka_unit_test(test_boot_svc_on_psp),
        cmocka_unit_test(test_boot_systick_and_pendsv),
        cmocka_unit_test(test_boot_runs_echo_the_uart),
        cmocka_unit_test(test_boot_fault_replays_bit_exactly),
        cmocka_unit_test(test_boot_models_by_trial),
        cmocka_unit_test(test_boot_entry_must_match_the_board),
    };
    FILE *f = fopen(EMU_TEST_SYS_IMAGE, "rb");

    if (f == NULL) {
        fprintf(stderr, "%s missing (arm-none-eabi-gcc builds it): skip\n",
                EMU_TEST_SYS_IMAGE);
        return EMU_TEST_SKIP_CODE;
    }
    fclose(f);
    return cmocka_run_group_tests(tests, setup, teardown);
}
