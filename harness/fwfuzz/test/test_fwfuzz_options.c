/* The .options INI parser ([libfuzzer] section -> -key=value). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "options.h"
#include "target_options.h"

static void test_options_libfuzzer_section(void **state)
{
    static const char text[] = "# OSS-Fuzz style\n"
                               "[libfuzzer]\n"
                               "max_len = 4096\n"
                               "  timeout=5  \r\n"
                               "; comment\n"
                               "\n"
                               "only_ascii = 1";
    struct strvec flags = {0};
    char err[256];

    (void)state;
    assert_int_equal(
        options_parse(text, "/t/x.options", &flags, err, sizeof(err)), 0);
    assert_int_equal(flags.n, 3);
    assert_string_equal(flags.v[0], "-max_len=4096");
    assert_string_equal(flags.v[1], "-timeout=5");
    assert_string_equal(flags.v[2], "-only_ascii=1");
    strvec_free(&flags);
}

static void test_options_other_sections_ignored(void **state)
{
    static const char text[] = "[afl]\n"
                               "whatever without equals\n"
                               "[ libfuzzer ]\n"
                               "rss_limit_mb = 512\n"
                               "[asan]\n"
                               "detect_leaks = 0\n";
    struct strvec flags = {0};
    char err[256];

    (void)state;
    assert_int_equal(options_parse(text, "x.options", &flags, err, sizeof(err)),
                     0);
    assert_int_equal(flags.n, 1);
    assert_string_equal(flags.v[0], "-rss_limit_mb=512");
    strvec_free(&flags);
}

static void test_options_relative_dict_next_to_file(void **state)
{
    struct strvec flags = {0};
    char err[256];

    (void)state;
    assert_int_equal(options_parse("[libfuzzer]\ndict = mqtt.dict\n"
                                   "[libfuzzer]\ndict = /abs/a.dict\n",
                                   "/w/targets/mqtt/fuzz/mqtt.options", &flags,
                                   err, sizeof(err)),
                     0);
    assert_int_equal(flags.n, 2);
    assert_string_equal(flags.v[0], "-dict=/w/targets/mqtt/fuzz/mqtt.dict");
    assert_string_equal(flags.v[1], "-dict=/abs/a.dict");
    strvec_free(&flags);
}

static void test_options_no_section_gives_nothing(void **state)
{
    struct strvec flags = {0};
    char err[256];

    (void)state;
    assert_int_equal(
        options_parse("max_len = 3\n", "x", &flags, err, sizeof(err)), 0);
    assert_int_equal(flags.n, 0);
    assert_int_equal(options_parse("", "x", &flags, err, sizeof(err)), 0);
    assert_int_equal(flags.n, 0);
}

static void expect_error(const char *text, const char *needle)
{
    struct strvec flags = {0};
    char err[256];

    strvec_push(&flags, "-kept");
    err[0] = '\0';
    assert_int_equal(options_parse(text, "f.options", &flags, err, sizeof(err)),
                     -1);
    if (strstr(err, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err, needle);
    /* nothing half-parsed is added */
    assert_int_equal(flags.n, 1);
    strvec_free(&flags);
}

static void test_options_errors_name_the_line(void **state)
{
    (void)state;
    expect_error("[libfuzzer]\nmax_len = 1\nmax_len\n",
                 "f.options:3: expected \"key = value\"");
    expect_error("[libfuzzer\n", "f.options:1: malformed section header");
    expect_error("[libfuzzer] x\n", "f.options:1: malformed section header");
    expect_error("[libfuzzer]\n= 4\n", "f.options:2: bad key");
    expect_error("[libfuzzer]\nmax-len = 4\n", "f.options:2: bad key");
    expect_error("[libfuzzer]\nmax_len =\n", "f.options:2: no value");
    expect_error("[emu]\nbudget_block = 5\n",
                 "f.options:2: [emu] has no key \"budget_block\"");
    expect_error("[emu]\nbudget_blocks = 5k\n",
                 "f.options:2: [emu] budget_blocks must be a whole number");
    expect_error("[emu]\nbudget_blocks = 0\n", "budget_blocks must be");
    expect_error("[emu]\nbudget_blocks = -3\n", "budget_blocks must be");
}

/* The emulated builds' budget: the one reader both sides use. */
static void test_options_emu_budget(void **state)
{
    static const char path[] = "test_fwfuzz_options.emu.options";
    unsigned long long blocks = 7;
    struct strvec flags = {0};
    char err[256];
    FILE *f = fopen(path, "w");

    (void)state;
    assert_non_null(f);
    fputs("[libfuzzer]\nmax_len = 64\n[emu]\nbudget_blocks = 10000000\n", f);
    fclose(f);
    assert_int_equal(target_options_emu_budget(path, &blocks, err, sizeof(err)),
                     0);
    assert_int_equal(blocks, 10000000ull);
    /* fwfuzz reads the same file: [emu] gives no libFuzzer flag */
    assert_int_equal(options_load(path, &flags, err, sizeof(err)), 0);
    assert_int_equal(flags.n, 1);
    assert_string_equal(flags.v[0], "-max_len=64");
    strvec_free(&flags);
    remove(path);
    assert_int_equal(target_options_emu_budget(NULL, &blocks, err, sizeof(err)),
                     0);
    assert_int_equal(blocks, 0);
    assert_int_equal(target_options_emu_budget("/nonexistent.options", &blocks,
                                               err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "/nonexistent.options"));
}

/* The campaign's weights: [fwfuzz] weight times weight_native or
 * weight_emu; checked values; no libFuzzer flag from that section. */
static void test_options_fwfuzz_weights(void **state)
{
    static const char path[] = "test_fwfuzz_options.weights.options";
    struct strvec flags = {0};
    double native = 0, emu = 0;
    char err[256];
    FILE *f = fopen(path, "w");

    (void)state;
    assert_non_null(f);
    fputs("[libfuzzer]\nmax_len = 64\n[fwfuzz]\nweight = 2\n"
          "weight_emu = 0.25\n",
          f);
    fclose(f);
    assert_int_equal(
        target_options_weights(path, &native, &emu, err, sizeof(err)), 0);
    assert_true(native == 2.0);
    assert_true(emu == 0.5);
    assert_int_equal(options_load(path, &flags, err, sizeof(err)), 0);
    assert_int_equal(flags.n, 1);
    strvec_free(&flags);
    remove(path);
    assert_int_equal(
        target_options_weights(NULL, &native, &emu, err, sizeof(err)), 0);
    assert_true(native == 1.0 && emu == 1.0);
    assert_int_equal(target_options_parse("[fwfuzz]\nweight = -1\n", "w", NULL,
                                          NULL, err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "w:2: [fwfuzz] weight must be a number"));
    assert_int_equal(target_options_parse("[fwfuzz]\nweight = 1001\n", "w",
                                          NULL, NULL, err, sizeof(err)),
                     -1);
    assert_int_equal(target_options_parse("[fwfuzz]\nspeed = 2\n", "w", NULL,
                                          NULL, err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "[fwfuzz] has no key \"speed\""));
    assert_int_equal(target_options_parse("[fwfuzz]\nweight_native = 0\n", "w",
                                          NULL, NULL, err, sizeof(err)),
                     0);
}

static void test_options_load_missing_file(void **state)
{
    struct strvec flags = {0};
    char err[256];

    (void)state;
    assert_int_equal(
        options_load("/nonexistent.options", &flags, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "/nonexistent.options"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_libfuzzer_section),
        cmocka_unit_test(test_options_other_sections_ignored),
        cmocka_unit_test(test_options_relative_dict_next_to_file),
        cmocka_unit_test(test_options_no_section_gives_nothing),
        cmocka_unit_test(test_options_errors_name_the_line),
        cmocka_unit_test(test_options_load_missing_file),
        cmocka_unit_test(test_options_emu_budget),
        cmocka_unit_test(test_options_fwfuzz_weights),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
