/* The libFuzzer line parser, on lines copied from real libFuzzer 14 runs of
 * the ringbuf_parse test target (ASan + UBSan build). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lfparse.h"

static void test_lfparse_inited(void **state)
{
    struct lf_line l;

    (void)state;
    assert_int_equal(lf_parse_line("#2\tINITED cov: 5 ft: 6 corp: 1/4b "
                                   "exec/s: 0 rss: 31Mb",
                                   &l),
                     LF_STATUS);
    assert_int_equal(l.execs, 2);
    assert_string_equal(l.event, "INITED");
    assert_true(l.has_cov);
    assert_int_equal(l.cov, 5);
    assert_int_equal(l.ft, 6);
    assert_true(l.has_corp);
    assert_int_equal(l.corp_units, 1);
    assert_int_equal(l.corp_bytes, 4);
    assert_int_equal(l.exec_per_sec, 0);
    assert_int_equal(l.rss_mb, 31);
}

static void test_lfparse_new_and_reduce(void **state)
{
    struct lf_line l;

    (void)state;
    assert_int_equal(
        lf_parse_line("#27827\tNEW    cov: 8 ft: 16 corp: 11/723b lim: 261 "
                      "exec/s: 0 rss: 34Mb L: 259/259 MS: 1 InsertByte-",
                      &l),
        LF_STATUS);
    assert_int_equal(l.execs, 27827);
    assert_string_equal(l.event, "NEW");
    assert_int_equal(l.cov, 8);
    assert_int_equal(l.ft, 16);
    assert_int_equal(l.corp_units, 11);
    assert_int_equal(l.corp_bytes, 723);
    assert_int_equal(
        lf_parse_line("#44532\tREDUCE cov: 9 ft: 17 corp: 12/727b lim: 405 "
                      "exec/s: 0 rss: 38Mb L: 258/259 MS: 5 "
                      "CMP-EraseBytes-InsertByte-CopyPart-InsertRepeatedBytes- "
                      "DE: \"\\001\\000`0\\000\\007\\346p\"-",
                      &l),
        LF_STATUS);
    assert_string_equal(l.event, "REDUCE");
    assert_int_equal(l.ft, 17);
}

static void test_lfparse_pulse_and_done(void **state)
{
    struct lf_line l;

    (void)state;
    assert_int_equal(lf_parse_line("#16777216\tpulse  cov: 9 ft: 14 corp: "
                                   "9/81b lim: 64 exec/s: 1398101 rss: 584Mb",
                                   &l),
                     LF_STATUS);
    assert_int_equal(l.execs, 16777216);
    assert_string_equal(l.event, "pulse");
    assert_int_equal(l.exec_per_sec, 1398101);
    assert_int_equal(l.rss_mb, 584);
    assert_int_equal(lf_parse_line("#17033715\tDONE   cov: 9 ft: 14 corp: "
                                   "9/81b lim: 64 exec/s: 1310285 rss: 584Mb",
                                   &l),
                     LF_STATUS);
    assert_string_equal(l.event, "DONE");
    /* merge runs print no corpus */
    assert_int_equal(
        lf_parse_line("#8\tDONE   cov: 7 ft: 13 exec/s: 0 rss: 30Mb", &l),
        LF_STATUS);
    assert_false(l.has_corp);
    assert_int_equal(l.cov, 7);
    /* sizes with units */
    assert_int_equal(lf_parse_line("#9\tNEW    cov: 1 ft: 1 corp: 300/12Kb "
                                   "exec/s: 0 rss: 30Mb",
                                   &l),
                     LF_STATUS);
    assert_int_equal(l.corp_bytes, 12 * 1024);
}

static void test_lfparse_final_stats(void **state)
{
    struct lf_line l;

    (void)state;
    assert_int_equal(
        lf_parse_line("stat::number_of_executed_units: 17033715", &l), LF_STAT);
    assert_string_equal(l.stat_name, "number_of_executed_units");
    assert_int_equal(l.stat_value, 17033715);
    assert_int_equal(
        lf_parse_line("stat::average_exec_per_sec:     1310285", &l), LF_STAT);
    assert_string_equal(l.stat_name, "average_exec_per_sec");
    assert_int_equal(l.stat_value, 1310285);
    assert_int_equal(lf_parse_line("stat::peak_rss_mb:              584", &l),
                     LF_STAT);
    assert_int_equal(lf_parse_line("stat::broken", &l), LF_OTHER);
}

static void test_lfparse_crash_report(void **state)
{
    struct lf_line l;

    (void)state;
    assert_int_equal(
        lf_parse_line("==5927==ERROR: AddressSanitizer: heap-buffer-overflow "
                      "on address 0x6020000dc3d5 at pc 0x55c9fb639c20 bp "
                      "0x7ffd9973f9c0 sp 0x7ffd9973f9b8",
                      &l),
        LF_ERROR);
    assert_true(strncmp(l.text, "AddressSanitizer: heap-buffer-overflow", 38) ==
                0);
    assert_int_equal(
        lf_parse_line("==10336== ERROR: libFuzzer: deadly signal", &l),
        LF_ERROR);
    assert_string_equal(l.text, "libFuzzer: deadly signal");
    assert_int_equal(
        lf_parse_line("SUMMARY: AddressSanitizer: heap-buffer-overflow "
                      "/tmp/outside-harness/src/ringbuf.c:16:15 in "
                      "ringbuf_parse",
                      &l),
        LF_SUMMARY);
    assert_true(strncmp(l.text, "SUMMARY: AddressSanitizer", 25) == 0);
    assert_int_equal(
        lf_parse_line("artifact_prefix='/tmp/fx/f/libfuzzer-'; Test unit "
                      "written to /tmp/fx/f/libfuzzer-crash-"
                      "3671459656497f7e0f8edc87204ff075ffcd5de9",
                      &l),
        LF_ARTIFACT);
    assert_string_equal(l.text, "/tmp/fx/f/libfuzzer-crash-"
                                "3671459656497f7e0f8edc87204ff075ffcd5de9");
    assert_int_equal(lf_parse_line("==FWFUZZ== property violated: decode "
                                   "then encode is not the identity",
                                   &l),
                     LF_PROPERTY);
    assert_string_equal(l.text, "==FWFUZZ== property violated: decode then "
                                "encode is not the identity");
}

static void test_lfparse_other_lines(void **state)
{
    static const char *const others[] = {
        "INFO: Running with entropic power schedule (0xFF, 100).",
        "INFO: Loaded 1 modules   (16 inline 8-bit counters): 16 "
        "[0x55c9fb679fa0, 0x55c9fb679fb0), ",
        "MS: 1 ChangeBit-; base unit: f6cb5089220a7c7870fe9b8fe9d6f1e8d48c8960",
        "0x52,0x42,0x58,0x21,",
        "RBX!",
        "Base64: UkJYIQ==",
        "    #0 0x55c9fb639c1f in ringbuf_parse "
        "/tmp/outside-harness/src/ringbuf.c:16:15",
        "==6634==ABORTING",
        "==FWFUZZ== check (x == y) failed at fuzz.c:12",
        "#",
        "#12",
        "#12\t",
        "Done 17033715 runs in 13 second(s)",
        "",
    };
    struct lf_line l;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
        if (lf_parse_line(others[i], &l) != LF_OTHER)
            fail_msg("\"%s\" parsed as kind %d", others[i], (int)l.kind);
}

static void test_lfparse_interrupted_and_seed(void **state)
{
    struct lf_line l;

    (void)state;
    assert_int_equal(
        lf_parse_line("==10878== libFuzzer: run interrupted; exiting", &l),
        LF_INTERRUPTED);
    assert_int_equal(lf_parse_line("INFO: Seed: 133619949", &l), LF_SEED);
    assert_int_equal(l.stat_value, 133619949);
}

static void test_lfparse_artifact_kinds(void **state)
{
    static const char h[] = "3671459656497f7e0f8edc87204ff075ffcd5de9";
    char name[128];

    (void)state;
    snprintf(name, sizeof(name), "out/findings/libfuzzer-crash-%s", h);
    assert_string_equal(lf_artifact_kind(name), "crash");
    snprintf(name, sizeof(name), "libfuzzer-timeout-%s", h);
    assert_string_equal(lf_artifact_kind(name), "timeout");
    snprintf(name, sizeof(name), "/a/libfuzzer-oom-%s", h);
    assert_string_equal(lf_artifact_kind(name), "oom");
    snprintf(name, sizeof(name), "merge-leak-%s", h);
    assert_string_equal(lf_artifact_kind(name), "leak");
    snprintf(name, sizeof(name), "libfuzzer-slow-unit-%s", h);
    assert_string_equal(lf_artifact_kind(name), "slow-unit");
    snprintf(name, sizeof(name), "crash-%s", h);
    assert_string_equal(lf_artifact_kind(name), "crash");
    snprintf(name, sizeof(name), "libfuzzer-xcrash-%s", h);
    assert_null(lf_artifact_kind(name));
    snprintf(name, sizeof(name), "libfuzzer-crash-%.39s", h);
    assert_null(lf_artifact_kind(name));
    snprintf(name, sizeof(name), "libfuzzer-crash-%.39sg", h);
    assert_null(lf_artifact_kind(name));
    assert_null(lf_artifact_kind("summary.json"));
    assert_null(lf_artifact_kind(""));
}

/* An emulated build: extra counters only, so "ft:" without "cov:". */
static void test_lfparse_features_without_cov(void **state)
{
    struct lf_line l;

    (void)state;
    assert_int_equal(lf_parse_line("#64881\tNEW    ft: 5 corp: 4/90b lim: 634 "
                                   "exec/s: 0 rss: 27Mb L: 86/86 MS: 1 "
                                   "InsertRepeatedBytes-",
                                   &l),
                     LF_STATUS);
    assert_true(l.has_cov);
    assert_int_equal(l.cov, 0);
    assert_int_equal(l.ft, 5);
    assert_int_equal(l.corp_units, 4);
    assert_int_equal(lf_parse_line("#45\tINITED exec/s: 0 rss: 27Mb", &l),
                     LF_STATUS);
    assert_false(l.has_cov);
}

static void test_lfparse_emu_report(void **state)
{
    static const char overflow[] =
        "==FWFUZZ-EMU== global-buffer-overflow at coap_parse "
        "targets/coap/src/coap.c:211";
    struct lf_line l;

    (void)state;
    assert_int_equal(lf_parse_line(overflow, &l), LF_EMU);
    assert_string_equal(l.text, overflow);
    assert_string_equal(lf_emu_kind(overflow), "crash");
    assert_string_equal(lf_emu_kind("==FWFUZZ-EMU== hang at loop x.c:3"),
                        "timeout");
    assert_string_equal(lf_emu_kind("==FWFUZZ-EMU== hang"), "timeout");
    assert_string_equal(lf_emu_kind("==FWFUZZ-EMU== hangover at f x.c:1"),
                        "crash");
    assert_string_equal(
        lf_emu_kind("==FWFUZZ-EMU== property violated: accepts bad sig"),
        "property");
    /* only at the start of a line, and with the space */
    assert_int_equal(lf_parse_line("x ==FWFUZZ-EMU== hang", &l), LF_OTHER);
    assert_int_equal(lf_parse_line("==FWFUZZ-EMU==hang", &l), LF_OTHER);
    assert_int_equal(lf_parse_line("==FWFUZZ== property violated: p", &l),
                     LF_PROPERTY);
}

/* -fork=1 -ignore_crashes=1 ... of libFuzzer 14, on docs/examples/
 * planted-firmware's sensor_frame (native, ASan + UBSan). */
static void test_lfparse_fork_status(void **state)
{
    struct lf_line l;

    (void)state;
    assert_int_equal(lf_parse_line("#1886: cov: 66 ft: 51 corp: 18 exec/s 3 "
                                   "oom/timeout/crash: 0/1/3 time: 11s job: "
                                   "4 dft_time: 0",
                                   &l),
                     LF_FORK);
    assert_int_equal(l.execs, 1886);
    assert_true(l.has_cov);
    assert_int_equal(l.cov, 66);
    assert_int_equal(l.ft, 51);
    assert_true(l.has_corp);
    assert_int_equal(l.corp_units, 18);
    assert_int_equal(l.exec_per_sec, 3);
    assert_int_equal(l.fork_ooms, 0);
    assert_int_equal(l.fork_timeouts, 1);
    assert_int_equal(l.fork_crashes, 3);
    assert_int_equal(l.fork_seconds, 11);
    assert_int_equal(l.fork_job, 4);
    assert_int_equal(lf_parse_line("#2410587: cov: 65 ft: 73 corp: 43 exec/s "
                                   "99260 oom/timeout/crash: 12/340/7 time: "
                                   "34s job: 6 dft_time: 0",
                                   &l),
                     LF_FORK);
    assert_int_equal(l.execs, 2410587);
    assert_int_equal(l.exec_per_sec, 99260);
    assert_int_equal(l.fork_ooms, 12);
    assert_int_equal(l.fork_timeouts, 340);
    assert_int_equal(l.fork_crashes, 7);
    assert_int_equal(l.fork_seconds, 34);
    /* not status lines */
    assert_int_equal(lf_parse_line("#12: something else", &l), LF_OTHER);
    assert_int_equal(lf_parse_line("#: cov: 1", &l), LF_OTHER);
    assert_int_equal(lf_parse_line("# -5: cov: 1", &l), LF_OTHER);
}

static void test_lfparse_fork_messages(void **state)
{
    struct lf_line l;

    (void)state;
    assert_int_equal(lf_parse_line("INFO: exiting: 70 time: 31s", &l),
                     LF_FORK_END);
    assert_int_equal(l.stat_value, 70);
    assert_int_equal(lf_parse_line("INFO: exiting: 0 time: 10s", &l),
                     LF_FORK_END);
    assert_int_equal(l.stat_value, 0);
    assert_int_equal(
        lf_parse_line("INFO: fuzzed for 31 seconds, wrapping up soon", &l),
        LF_OTHER);
    assert_int_equal(lf_parse_line("INFO: -fork=1: fuzzing in separate "
                                   "process(s)",
                                   &l),
                     LF_OTHER);
    /* what the parent repeats from a crashed job's log */
    assert_int_equal(lf_parse_line("==16796==ERROR: AddressSanitizer: "
                                   "heap-buffer-overflow on address "
                                   "0x602000001d34 at pc 0x5565c407aab8 bp "
                                   "0x7fff8f882da0 sp 0x7fff8f882d98",
                                   &l),
                     LF_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lfparse_inited),
        cmocka_unit_test(test_lfparse_new_and_reduce),
        cmocka_unit_test(test_lfparse_pulse_and_done),
        cmocka_unit_test(test_lfparse_final_stats),
        cmocka_unit_test(test_lfparse_crash_report),
        cmocka_unit_test(test_lfparse_other_lines),
        cmocka_unit_test(test_lfparse_interrupted_and_seed),
        cmocka_unit_test(test_lfparse_artifact_kinds),
        cmocka_unit_test(test_lfparse_features_without_cov),
        cmocka_unit_test(test_lfparse_emu_report),
        cmocka_unit_test(test_lfparse_fork_status),
        cmocka_unit_test(test_lfparse_fork_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
