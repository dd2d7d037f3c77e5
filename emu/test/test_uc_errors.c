/*
 * Unicorn failing under the emulator: a failed register read or
 * uc_emu_start is an EMU_ERR_UNICORN with a message, never a verdict.
 * The calls are wrapped at link time (-Wl,--wrap, emu/CMakeLists.txt) so
 * that a test can make them fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <unicorn/unicorn.h>

#include "helpers.h"

/* The register whose reads fail (-1: none) and how often one did. */
static int fail_reg = -1;
static unsigned fail_reads;
/* What uc_emu_start returns without running (UC_ERR_OK: it runs). */
static uc_err fail_start = UC_ERR_OK;

uc_err __real_uc_reg_read(uc_engine *uc, int regid, void *value);
uc_err __wrap_uc_reg_read(uc_engine *uc, int regid, void *value);
uc_err __real_uc_reg_read_batch(uc_engine *uc, int *regs, void **vals,
                                int count);
uc_err __wrap_uc_reg_read_batch(uc_engine *uc, int *regs, void **vals,
                                int count);
uc_err __real_uc_emu_start(uc_engine *uc, uint64_t begin, uint64_t until,
                           uint64_t timeout, size_t count);
uc_err __wrap_uc_emu_start(uc_engine *uc, uint64_t begin, uint64_t until,
                           uint64_t timeout, size_t count);

uc_err __wrap_uc_reg_read(uc_engine *uc, int regid, void *value)
{
    if (regid == fail_reg) {
        fail_reads++;
        return UC_ERR_ARG;
    }
    return __real_uc_reg_read(uc, regid, value);
}

uc_err __wrap_uc_reg_read_batch(uc_engine *uc, int *regs, void **vals,
                                int count)
{
    int i;

    for (i = 0; i < count; i++)
        if (regs[i] == fail_reg) {
            fail_reads++;
            return UC_ERR_ARG;
        }
    return __real_uc_reg_read_batch(uc, regs, vals, count);
}

uc_err __wrap_uc_emu_start(uc_engine *uc, uint64_t begin, uint64_t until,
                           uint64_t timeout, size_t count)
{
    if (fail_start != UC_ERR_OK)
        return fail_start;
    return __real_uc_emu_start(uc, begin, until, timeout, count);
}

static int reset_faults(void **state)
{
    (void)state;
    fail_reg = -1;
    fail_reads = 0;
    fail_start = UC_ERR_OK;
    return 0;
}

static void expect_error(struct emu *e, int rc, const struct emu_result *res,
                         const char *what)
{
    assert_int_equal(rc, EMU_ERR_UNICORN);
    if (strstr(emu_last_error(e), what) == NULL)
        fail_msg("error \"%s\" lacks \"%s\"", emu_last_error(e), what);
    if (res != NULL) {
        assert_int_equal(res->stop, EMU_STOP_RETURN);
        assert_int_equal(res->fault, EMU_FAULT_NONE);
        assert_int_equal(res->nframes, 0);
    }
}

/* SP read as 0 would be a stack overflow: an error instead. The full
 * hook reads SP; the fast path never does (emu_set_fast). */
static void test_uc_errors_sp_read(void **state)
{
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    struct emu_result res;
    int rc;

    (void)state;
    emu_set_fast(e, 0);
    assert_int_equal(emu_set_entry(e, "c_entry"), EMU_OK);
    fail_reg = UC_ARM_REG_SP;
    rc = emu_run(e, (const uint8_t *)"hello", 5, &res);
    assert_true(fail_reads > 0);
    expect_error(e, rc, &res, "reading SP");
    /* The handle still runs once Unicorn behaves. */
    fail_reg = -1;
    res = test_run(e, "hello");
    assert_int_equal(res.stop, EMU_STOP_RETURN);
    assert_int_equal(res.ret, 6);
    emu_close(e);
    emu_board_free(b);
}

/* PC read as 0 after a clean return would be a WFI hang. */
static void test_uc_errors_pc_read(void **state)
{
    struct emu_board *b;
    struct emu *e = test_ready(&b, "sum_input");
    struct emu_result res;
    int rc;

    (void)state;
    fail_reg = UC_ARM_REG_PC;
    rc = emu_run(e, (const uint8_t *)"abc", 3, &res);
    assert_true(fail_reads > 0);
    expect_error(e, rc, &res, "reading PC");
    emu_close(e);
    emu_board_free(b);
}

/* A fault whose registers cannot be read has no verdict either. */
static void test_uc_errors_fault_regs(void **state)
{
    struct emu_board *b;
    struct emu *e = test_ready(&b, "null_read");
    struct emu_result res;
    int rc;

    (void)state;
    fail_reg = UC_ARM_REG_XPSR; /* only emu_capture_regs reads it */
    rc = emu_run(e, NULL, 0, &res);
    assert_true(fail_reads > 0);
    expect_error(e, rc, &res, "reading the registers");
    fail_reg = -1;
    res = test_run(e, "");
    assert_int_equal(res.fault, EMU_FAULT_NULL_DEREF);
    emu_close(e);
    emu_board_free(b);
}

/* Unicorn's own trouble in uc_emu_start is not a HardFault of the guest. */
static void test_uc_errors_emu_start_run(void **state)
{
    struct emu_board *b;
    struct emu *e = test_ready(&b, "sum_input");
    struct emu_result res;
    int rc;

    (void)state;
    fail_start = UC_ERR_NOMEM;
    rc = emu_run(e, (const uint8_t *)"abc", 3, &res);
    expect_error(e, rc, &res, "uc_emu_start");
    fail_start = UC_ERR_OK;
    res = test_run(e, "abc");
    assert_int_equal(res.ret, 'a' + 'b' + 'c');
    emu_close(e);
    emu_board_free(b);
}

/* emu_reset's uc_emu_start frees the deleted hooks: its failure counts. */
static void test_uc_errors_emu_start_reset(void **state)
{
    struct emu_board *b;
    struct emu *e = test_ready(&b, "sum_input");

    (void)state;
    fail_start = UC_ERR_HOOK;
    expect_error(e, emu_reset(e), NULL, "freeing the hooks");
    fail_start = UC_ERR_OK;
    emu_close(e);
    emu_board_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_uc_errors_sp_read, reset_faults),
        cmocka_unit_test_setup(test_uc_errors_pc_read, reset_faults),
        cmocka_unit_test_setup(test_uc_errors_fault_regs, reset_faults),
        cmocka_unit_test_setup(test_uc_errors_emu_start_run, reset_faults),
        cmocka_unit_test_setup(test_uc_errors_emu_start_reset, reset_faults),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
