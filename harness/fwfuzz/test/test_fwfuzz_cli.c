/* Command-line parsing: commands, options, defaults, and every kind of
 * usage error (exit code 2). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cli.h"
#include "exitcode.h"

#define ARGV(...)                                                              \
    char *argv[] = {"fwfuzz", __VA_ARGS__, NULL};                              \
    int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1

static void test_cli_fuzz_defaults(void **state)
{
    ARGV("fuzz", "ringbuf_parse");
    struct cli c;
    char err[256];

    (void)state;
    assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
    assert_int_equal(c.cmd, FW_CMD_FUZZ);
    assert_string_equal(c.target, "ringbuf_parse");
    assert_int_equal(c.engine, FW_ENGINE_LIBFUZZER);
    assert_int_equal(c.time_s, 60);
    assert_int_equal(c.jobs, 1);
    assert_null(c.out);
    assert_false(c.keep_going);
    assert_int_equal(c.status_interval, 10);
    assert_int_equal(c.n_engine_flags, 0);
    assert_null(c.manifest);
    cli_free(&c);
}

static void test_cli_fuzz_all_options(void **state)
{
    ARGV("--manifest", "m.json", "fuzz", "--engine=afl", "--time", "5", "t",
         "--jobs=2", "--out", "o", "--keep-going", "--status-interval", "3",
         "--", "-max_len=64", "--weird");
    struct cli c;
    char err[256];

    (void)state;
    assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
    assert_string_equal(c.manifest, "m.json");
    assert_int_equal(c.engine, FW_ENGINE_AFL);
    assert_int_equal(c.time_s, 5);
    assert_string_equal(c.target, "t");
    assert_int_equal(c.jobs, 2);
    assert_string_equal(c.out, "o");
    assert_true(c.keep_going);
    assert_int_equal(c.status_interval, 3);
    assert_int_equal(c.n_engine_flags, 2);
    assert_string_equal(c.engine_flags[0], "-max_len=64");
    assert_string_equal(c.engine_flags[1], "--weird");
    cli_free(&c);
}

static void test_cli_run_targets_and_both(void **state)
{
    ARGV("run", "--budget", "20", "--target", "a", "--target=b", "--target",
         "a", "--manifest=x", "--jobs", "3", "--coverage", "--reports", "r");
    struct cli c;
    char err[256];

    (void)state;
    assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
    assert_int_equal(c.cmd, FW_CMD_RUN);
    assert_int_equal(c.engine, FW_ENGINE_BOTH);
    assert_int_equal(c.time_s, 20);
    assert_int_equal(c.jobs, 3);
    assert_int_equal(c.coverage, 1);
    assert_string_equal(c.reports, "r");
    assert_int_equal(c.mode, FW_MODE_BOTH); /* run's default */
    assert_int_equal(c.targets.n, 2);
    assert_string_equal(c.targets.v[0], "a");
    assert_string_equal(c.targets.v[1], "b");
    assert_string_equal(c.manifest, "x");
    cli_free(&c);
}

static void test_cli_list_and_replay(void **state)
{
    struct cli c;
    char err[256];

    (void)state;
    {
        ARGV("list", "--json");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.cmd, FW_CMD_LIST);
        assert_true(c.json);
        cli_free(&c);
    }
    {
        /* after TARGET everything is a path, even "--json" */
        ARGV("replay", "t", "a/crash-1", "--json", "dir/");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.cmd, FW_CMD_REPLAY);
        assert_string_equal(c.target, "t");
        assert_int_equal(c.n_paths, 3);
        assert_string_equal(c.paths[1], "--json");
        cli_free(&c);
    }
}

static void test_cli_mode(void **state)
{
    struct cli c;
    char err[256];

    (void)state;
    {
        ARGV("fuzz", "t");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.mode, FW_MODE_NATIVE);
        cli_free(&c);
    }
    {
        ARGV("fuzz", "t", "--mode", "emu", "--engine=afl");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.mode, FW_MODE_EMU);
        assert_int_equal(c.engine, FW_ENGINE_AFL);
        cli_free(&c);
    }
    {
        ARGV("run", "--mode=both");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.mode, FW_MODE_BOTH);
        cli_free(&c);
    }
    {
        /* replay: --mode right after TARGET; later ones are paths */
        ARGV("replay", "t", "--mode", "emu", "crash", "--mode");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.mode, FW_MODE_EMU);
        assert_string_equal(c.target, "t");
        assert_int_equal(c.n_paths, 2);
        assert_string_equal(c.paths[0], "crash");
        assert_string_equal(c.paths[1], "--mode");
        cli_free(&c);
    }
    {
        ARGV("replay", "--mode=emu", "t", "crash");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.mode, FW_MODE_EMU);
        assert_int_equal(c.n_paths, 1);
        cli_free(&c);
    }
}

static void test_cli_bench(void **state)
{
    struct cli c;
    char err[256];

    (void)state;
    {
        ARGV("bench");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.cmd, FW_CMD_BENCH);
        assert_int_equal(c.targets.n, 0);
        assert_int_equal(c.time_s, CLI_DEFAULT_BENCH_TIME_S);
        assert_int_equal(c.runs, 0);
        assert_int_equal(c.soak, 0);
        assert_false(c.json);
        cli_free(&c);
    }
    {
        ARGV("bench", "a", "--runs", "5", "b", "--json", "a");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.targets.n, 2);
        assert_string_equal(c.targets.v[1], "b");
        assert_int_equal(c.runs, 5);
        assert_true(c.json);
        cli_free(&c);
    }
    {
        ARGV("bench", "a", "--soak=1000000", "--time", "3");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.soak, 1000000);
        assert_int_equal(c.time_s, 3);
        cli_free(&c);
    }
}

static void test_cli_help_and_version(void **state)
{
    struct cli c;
    char err[256];

    (void)state;
    {
        ARGV("--help");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.cmd, FW_CMD_HELP);
        assert_null(c.help_topic);
    }
    {
        ARGV("help", "run");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.cmd, FW_CMD_HELP);
        assert_string_equal(c.help_topic, "run");
    }
    {
        /* --help wins over a missing TARGET */
        ARGV("fuzz", "--help");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.cmd, FW_CMD_HELP);
        assert_string_equal(c.help_topic, "fuzz");
    }
    {
        ARGV("--version");
        assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)), 0);
        assert_int_equal(c.cmd, FW_CMD_VERSION);
    }
}

static void expect_usage(int argc, char **argv, const char *needle)
{
    struct cli c;
    char err[256];

    assert_int_equal(cli_parse(argc, argv, &c, err, sizeof(err)),
                     FW_EXIT_USAGE);
    if (strstr(err, needle) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err, needle);
    cli_free(&c);
}

#define USAGE(needle, ...)                                                     \
    do {                                                                       \
        ARGV(__VA_ARGS__);                                                     \
        expect_usage(argc, argv, needle);                                      \
    } while (0)

static void test_cli_usage_errors(void **state)
{
    char *none[] = {"fwfuzz", NULL};

    (void)state;
    expect_usage(1, none, "missing command");
    USAGE("unknown command 'frobnicate'", "frobnicate");
    USAGE("unknown option '--frobnicate'", "--frobnicate", "list");
    USAGE("unknown option '--frobnicate'", "fuzz", "t", "--frobnicate");
    USAGE("missing TARGET", "fuzz");
    USAGE("missing TARGET", "fuzz", "--time", "3");
    USAGE("unexpected argument 'u'", "fuzz", "t", "u");
    USAGE("--time: 'abc' is not a whole number", "fuzz", "t", "--time", "abc");
    USAGE("--time: '-5'", "fuzz", "t", "--time", "-5");
    USAGE("--time: '0'", "fuzz", "t", "--time", "0");
    USAGE("--time: '10s'", "fuzz", "t", "--time", "10s");
    USAGE("--time: '99999999999999999999'", "fuzz", "t", "--time",
          "99999999999999999999");
    USAGE("--jobs: '65'", "fuzz", "t", "--jobs", "65");
    USAGE("--jobs: '0'", "fuzz", "t", "--jobs=0");
    USAGE("--time needs a value", "fuzz", "t", "--time");
    USAGE("--out needs a non-empty value", "fuzz", "t", "--out=");
    USAGE("unknown engine 'honggfuzz'", "fuzz", "t", "--engine", "honggfuzz");
    USAGE("unknown engine 'both'", "fuzz", "t", "--engine", "both");
    USAGE("--keep-going takes no value", "fuzz", "t", "--keep-going=1");
    USAGE("run takes --budget SECONDS for the whole campaign", "run", "--time",
          "20");
    USAGE("--budget: '0'", "run", "--budget", "0");
    USAGE("--jobs: '65'", "run", "--jobs", "65");
    USAGE("unknown option '--keep-going'", "run", "--keep-going");
    USAGE("unknown option '--json'", "fuzz", "t", "--json");
    USAGE("missing TARGET", "replay");
    USAGE("missing PATH", "replay", "t");
    USAGE("no help on 'frob'", "help", "frob");
    USAGE("unexpected argument 'x'", "list", "x");
    USAGE("--mode: unknown mode 'qemu' (native or emu)", "fuzz", "t", "--mode",
          "qemu");
    USAGE("--mode: unknown mode 'both' (native or emu)", "fuzz", "t",
          "--mode=both");
    USAGE("--mode: unknown mode 'x' (native, emu or both)", "run", "--mode",
          "x");
    USAGE("--mode needs a value", "fuzz", "t", "--mode");
    USAGE("--mode needs a value", "replay", "t", "--mode");
    USAGE("missing PATH", "replay", "t", "--mode", "emu");
    USAGE("unknown option '--mode'", "list", "--mode", "emu");
    USAGE("unknown option '--mode'", "bench", "--mode", "emu");
    USAGE("--runs and --time exclude each other", "bench", "--runs", "2",
          "--time", "1");
    USAGE("--runs: '0'", "bench", "--runs", "0");
    USAGE("--soak needs exactly one TARGET", "bench", "--soak", "10");
    USAGE("--soak needs exactly one TARGET", "bench", "a", "b", "--soak", "10");
    USAGE("unknown option '--soak'", "fuzz", "t", "--soak", "10");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_fuzz_defaults),
        cmocka_unit_test(test_cli_fuzz_all_options),
        cmocka_unit_test(test_cli_run_targets_and_both),
        cmocka_unit_test(test_cli_list_and_replay),
        cmocka_unit_test(test_cli_mode),
        cmocka_unit_test(test_cli_bench),
        cmocka_unit_test(test_cli_help_and_version),
        cmocka_unit_test(test_cli_usage_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
