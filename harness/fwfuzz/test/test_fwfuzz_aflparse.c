/* Reading afl-fuzz 4.04c's fuzzer_stats, StatsD datagrams and messages
 * (texts copied from real runs on this machine). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "aflparse.h"

static const char stats_file[] =
    "start_time        : 1795236228\n"
    "last_update       : 1795236243\n"
    "run_time          : 15\n"
    "fuzzer_pid        : 8777\n"
    "cycles_done       : 224\n"
    "cycles_wo_finds   : 190\n"
    "execs_done        : 916267\n"
    "execs_per_sec     : 61068.18\n"
    "execs_ps_last_min : 0.00\n"
    "corpus_count      : 12\n"
    "corpus_favored    : 5\n"
    "corpus_found      : 11\n"
    "stability         : 92.31%\n"
    "bitmap_cvg        : 35.14%\n"
    "saved_crashes     : 2\n"
    "saved_hangs       : 1\n"
    "edges_found       : 13\n"
    "total_edges       : 37\n"
    "afl_banner        : /tmp/build-harness/afl/bin/ringclean_parse_afl\n"
    "afl_version       : ++4.04c\n"
    "target_mode       : persistent shmem_testcase deferred \n"
    "command_line      : afl-fuzz -i ain -o /tmp/fx/aout -V 15 -M main -- "
    "/tmp/build-harness/afl/bin/ringclean_parse_afl\n";

static void test_aflparse_stats_file(void **state)
{
    struct afl_stats st;

    (void)state;
    memset(&st, 0, sizeof(st));
    assert_int_equal(afl_parse_stats_file(stats_file, &st), 8);
    assert_int_equal(st.execs_done, 916267);
    assert_true(st.execs_per_sec > 61068.1 && st.execs_per_sec < 61068.2);
    assert_int_equal(st.corpus_count, 12);
    assert_int_equal(st.saved_crashes, 2);
    assert_int_equal(st.saved_hangs, 1);
    assert_int_equal(st.edges_found, 13);
    assert_int_equal(st.total_edges, 37);
    assert_true(st.bitmap_cvg > 35.13 && st.bitmap_cvg < 35.15);
}

static void test_aflparse_foreign_text(void **state)
{
    struct afl_stats st;

    (void)state;
    memset(&st, 0, sizeof(st));
    assert_int_equal(afl_parse_stats_file("", &st), 0);
    assert_int_equal(afl_parse_stats_file("hello\nexecs_done : x\n", &st), 0);
    assert_int_equal(afl_parse_statsd("garbage", &st), 0);
    assert_int_equal(st.execs_done, 0);
}

static void test_aflparse_statsd(void **state)
{
    static const char datagram[] = "fuzzing.cycle_done:5|g\n"
                                   "fuzzing.cycles_wo_finds:4|g\n"
                                   "fuzzing.execs_done:60829|g\n"
                                   "fuzzing.execs_per_sec:59812.19|g\n"
                                   "fuzzing.corpus_count:12|g\n"
                                   "fuzzing.saved_crashes:1|g\n"
                                   "fuzzing.saved_hangs:0|g\n"
                                   "fuzzing.edges_found:13|g\n";
    struct afl_stats st;

    (void)state;
    memset(&st, 0, sizeof(st));
    assert_int_equal(afl_parse_statsd(datagram, &st), 6);
    assert_int_equal(st.execs_done, 60829);
    assert_true(st.execs_per_sec > 59812.1 && st.execs_per_sec < 59812.2);
    assert_int_equal(st.corpus_count, 12);
    assert_int_equal(st.saved_crashes, 1);
    assert_int_equal(st.edges_found, 13);
    /* the first datagram says "inf" */
    assert_int_equal(afl_parse_statsd("fuzzing.execs_per_sec:inf|g\n", &st), 0);
}

static void test_aflparse_abort_messages(void **state)
{
    char text[256];

    (void)state;
    assert_int_equal(
        afl_parse_log_line("\033[?25h\033[0m\033[1;91m", text, sizeof(text)),
        AFL_LOG_OTHER);
    assert_int_equal(afl_parse_log_line("[-] PROGRAM ABORT : \033[0mNo "
                                        "instrumentation detected\033[1;91m",
                                        text, sizeof(text)),
                     AFL_LOG_ABORT);
    assert_string_equal(text, "No instrumentation detected");
    assert_int_equal(
        afl_parse_log_line("\033[1;91m[-]  SYSTEM ERROR : \033[0mUnable to "
                           "create './out/main'\033[1;91m",
                           text, sizeof(text)),
        AFL_LOG_ABORT);
    assert_string_equal(text, "Unable to create './out/main'");
    assert_int_equal(afl_parse_log_line("       OS message : \033[0mRead-only "
                                        "file system",
                                        text, sizeof(text)),
                     AFL_LOG_OS_MESSAGE);
    assert_string_equal(text, "Read-only file system");
    assert_int_equal(afl_parse_log_line("         Location : "
                                        "\033[0mcheck_binary(), "
                                        "src/afl-fuzz-init.c:2793",
                                        text, sizeof(text)),
                     AFL_LOG_OTHER);
}

static void test_aflparse_seed_problems(void **state)
{
    char text[256];

    (void)state;
    assert_int_equal(
        afl_parse_log_line("\033[1;93m[!] \033[0mWARNING: Test case "
                           "'id:000001,time:0,execs:0,orig:crashy' results in "
                           "a crash, skipping",
                           text, sizeof(text)),
        AFL_LOG_SEED_CRASH);
    assert_string_equal(text, "id:000001,time:0,execs:0,orig:crashy");
    assert_int_equal(afl_parse_log_line("[!] WARNING: Test case 'id:000002' "
                                        "results in a timeout",
                                        text, sizeof(text)),
                     AFL_LOG_SEED_HANG);
    assert_string_equal(text, "id:000002");
    assert_int_equal(afl_parse_log_line("[*] Fuzzing test case #2 (12 total, "
                                        "0 crashes saved, perf_score=114)",
                                        text, sizeof(text)),
                     AFL_LOG_OTHER);
    assert_int_equal(afl_parse_log_line("Test case 'x' does *NOT* crash", text,
                                        sizeof(text)),
                     AFL_LOG_OTHER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aflparse_stats_file),
        cmocka_unit_test(test_aflparse_foreign_text),
        cmocka_unit_test(test_aflparse_statsd),
        cmocka_unit_test(test_aflparse_abort_messages),
        cmocka_unit_test(test_aflparse_seed_problems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
