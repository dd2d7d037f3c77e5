/* The benchmark builds' result lines (harness/engine/bench.c prints them)
 * and the figures fwfuzz bench derives. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "benchparse.h"

static void test_benchparse_result_line(void **state)
{
    struct bench_figures f;

    (void)state;
    assert_int_equal(
        bench_parse_line("==FWFUZZ-BENCH== result inputs=44 bytes=1612 "
                         "passes=10262 execs=451528 seconds=1.000010 "
                         "faults=2 warmup_seconds=0.000091 rss_kb=1600 "
                         "maxrss_kb=1488",
                         &f),
        BENCH_LINE_RESULT);
    assert_int_equal(f.inputs, 44);
    assert_int_equal(f.bytes, 1612);
    assert_int_equal(f.passes, 10262);
    assert_int_equal(f.execs, 451528);
    assert_int_equal(f.faults, 2);
    assert_int_equal(f.rss_kb, 1600);
    assert_int_equal(f.maxrss_kb, 1488);
    assert_true(f.seconds > 1.0000 && f.seconds < 1.0001);
    assert_true(f.warmup_seconds > 0.00009 && f.warmup_seconds < 0.0001);
    assert_true(bench_rate(&f) > 451523 && bench_rate(&f) < 451524);
    assert_true(f.median_per_s == 0); /* older builds print none */
    assert_int_equal(bench_parse_line("==FWFUZZ-BENCH== result inputs=3 "
                                      "execs=9 seconds=1.5 "
                                      "median_per_s=26912.5",
                                      &f),
                     BENCH_LINE_RESULT);
    assert_true(f.median_per_s > 26912.4 && f.median_per_s < 26912.6);
}

static void test_benchparse_rss_line(void **state)
{
    struct bench_figures f;

    (void)state;
    assert_int_equal(bench_parse_line("==FWFUZZ-BENCH== rss execs=50000 "
                                      "seconds=0.004 rss_kb=1640 "
                                      "maxrss_kb=1532",
                                      &f),
                     BENCH_LINE_RSS);
    assert_int_equal(f.execs, 50000);
    assert_int_equal(f.rss_kb, 1640);
    assert_int_equal(f.maxrss_kb, 1532);
    /* fields may be missing: they stay 0 */
    assert_int_equal(bench_parse_line("==FWFUZZ-BENCH== rss execs=7", &f),
                     BENCH_LINE_RSS);
    assert_int_equal(f.execs, 7);
    assert_int_equal(f.rss_kb, 0);
    assert_true(bench_rate(&f) == 0);
}

static void test_benchparse_other_lines(void **state)
{
    static const char *const other[] = {
        "",
        "replay: 44 inputs ran without a finding",
        "==FWFUZZ-BENCH==",
        "==FWFUZZ-BENCH== total execs=1",
        "==FWFUZZ-BENCH==result execs=1",
        "x ==FWFUZZ-BENCH== result execs=1",
        "==FWFUZZ-BENCH== result execs=1 colour=blue",
        "==FWFUZZ-BENCH== result execs=-1",
        "==FWFUZZ-BENCH== result execs=12x",
        "==FWFUZZ-BENCH== result execs=",
        "==FWFUZZ-BENCH== result execs",
        "==FWFUZZ-BENCH== result seconds=1e",
        "==FWFUZZ-BENCH== result execs=99999999999999999999999",
    };
    struct bench_figures f;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        if (bench_parse_line(other[i], &f) != BENCH_LINE_OTHER)
            fail_msg("\"%s\" was taken for a bench line", other[i]);
        assert_int_equal(f.execs, 0);
    }
}

static void test_benchparse_ratio_text(void **state)
{
    char buf[24];

    (void)state;
    bench_ratio_text(buf, sizeof(buf), 50000, 2170000);
    assert_string_equal(buf, "1/43.4");
    bench_ratio_text(buf, sizeof(buf), 300, 200);
    assert_string_equal(buf, "1.5");
    bench_ratio_text(buf, sizeof(buf), 0, 200);
    assert_string_equal(buf, "-");
    bench_ratio_text(buf, sizeof(buf), 10, 0);
    assert_string_equal(buf, "-");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_benchparse_result_line),
        cmocka_unit_test(test_benchparse_rss_line),
        cmocka_unit_test(test_benchparse_other_lines),
        cmocka_unit_test(test_benchparse_ratio_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
