/* The progress line's text. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "progress.h"

static void test_progress_human_numbers(void **state)
{
    char b[16];

    (void)state;
    progress_human(b, sizeof(b), 0);
    assert_string_equal(b, "0");
    progress_human(b, sizeof(b), 999);
    assert_string_equal(b, "999");
    progress_human(b, sizeof(b), 1000);
    assert_string_equal(b, "1.0k");
    progress_human(b, sizeof(b), 172742);
    assert_string_equal(b, "172.7k");
    progress_human(b, sizeof(b), 1310285);
    assert_string_equal(b, "1.3M");
    progress_human(b, sizeof(b), 4.2e9);
    assert_string_equal(b, "4.2G");
}

static void test_progress_line_has_every_figure(void **state)
{
    struct progress_figures f;
    char line[256];

    (void)state;
    memset(&f, 0, sizeof(f));
    f.execs = 2100000;
    f.execs_per_sec = 1300000;
    snprintf(f.coverage, sizeof(f.coverage), "cov 9 ft 14");
    f.corpus = 9;
    f.findings = 1;
    f.elapsed = 12.7;
    f.left = 47.4;
    progress_format(line, sizeof(line), "ringbuf_parse", "libfuzzer", &f);
    assert_string_equal(line, "ringbuf_parse libfuzzer 12s: 2.1M execs "
                              "1.3M/s | cov 9 ft 14 | corpus 9 | findings 1 "
                              "| 0:47 left");
    f.left = -3;
    f.elapsed = 75;
    progress_format(line, sizeof(line), "t", "afl", &f);
    assert_non_null(strstr(line, "| 0:00 left"));
    f.left = 3600;
    progress_format(line, sizeof(line), "t", "afl", &f);
    assert_non_null(strstr(line, "| 60:00 left"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_progress_human_numbers),
        cmocka_unit_test(test_progress_line_has_every_figure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
