/* Splitting child output into lines. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "linebuf.h"
#include "strvec.h"

static void collect(const char *line, void *ctx)
{
    strvec_push(ctx, line);
}

static void test_linebuf_joins_chunks_and_strips_crlf(void **state)
{
    struct linebuf lb;
    struct strvec lines = {0};

    (void)state;
    linebuf_init(&lb);
    linebuf_feed(&lb, "#2\tINI", 6, collect, &lines);
    assert_int_equal(lines.n, 0);
    linebuf_feed(&lb, "TED\r\nsecond\nthi", 15, collect, &lines);
    assert_int_equal(lines.n, 2);
    assert_string_equal(lines.v[0], "#2\tINITED");
    assert_string_equal(lines.v[1], "second");
    linebuf_flush(&lb, collect, &lines);
    assert_int_equal(lines.n, 3);
    assert_string_equal(lines.v[2], "thi");
    linebuf_flush(&lb, collect, &lines);
    assert_int_equal(lines.n, 3);
    strvec_free(&lines);
}

static void test_linebuf_cuts_overlong_lines(void **state)
{
    static char big[LINEBUF_MAX * 2 + 10];
    struct linebuf lb;
    struct strvec lines = {0};

    (void)state;
    memset(big, 'x', sizeof(big));
    big[sizeof(big) - 1] = '\n';
    linebuf_init(&lb);
    linebuf_feed(&lb, big, sizeof(big), collect, &lines);
    assert_int_equal(lines.n, 3);
    assert_int_equal(strlen(lines.v[0]), LINEBUF_MAX - 1);
    assert_int_equal(strlen(lines.v[0]) + strlen(lines.v[1]) +
                         strlen(lines.v[2]),
                     sizeof(big) - 1);
    strvec_free(&lines);
}

static void test_linebuf_drops_nul_bytes(void **state)
{
    struct linebuf lb;
    struct strvec lines = {0};

    (void)state;
    linebuf_init(&lb);
    linebuf_feed(&lb, "a\0b\n", 4, collect, &lines);
    assert_int_equal(lines.n, 1);
    assert_string_equal(lines.v[0], "ab");
    strvec_free(&lines);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linebuf_joins_chunks_and_strips_crlf),
        cmocka_unit_test(test_linebuf_cuts_overlong_lines),
        cmocka_unit_test(test_linebuf_drops_nul_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
