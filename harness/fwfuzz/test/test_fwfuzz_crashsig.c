/*
 * Crash signatures, on reports copied from real runs of the five planted
 * bugs of docs/examples/planted-firmware (test/reports/): the native replay
 * build, the libFuzzer build and the emulated replay build must give the
 * same bug the same signature, with project frames only.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crashsig.h"

static char *read_report(const char *name)
{
    char path[512];
    FILE *f;
    char *buf = malloc(1 << 16);
    size_t n;

    assert_non_null(buf);
    snprintf(path, sizeof(path), "%s/%s", FWFUZZ_TEST_REPORTS, name);
    f = fopen(path, "r");
    assert_non_null(f);
    n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void parse(const char *name, struct crash_sig *s)
{
    char *text = read_report(name);

    assert_int_equal(sig_parse(text, strncmp(name, "emu-", 4) == 0, s), 1);
    free(text);
}

/* bug -> key natively (replay and libFuzzer builds) and under emulation */
static const struct {
    const char *bug, *native, *emu;
} keys[] = {
    {"checksum", "heap-buffer-overflow READ|sensor_checksum",
     "heap-buffer-overflow READ|sensor_checksum"},
    {"calibrate", "index-out-of-bounds|sensor_calibrate",
     "global-buffer-overflow WRITE|sensor_calibrate"},
    {"rename", "stack-buffer-overflow WRITE|sensor_rename",
     "stack-buffer-overflow WRITE|sensor_rename"},
    {"command", "null-deref|sensor_command", "null-deref READ|sensor_command"},
    {"records", "timeout|sensor_records", "timeout|sensor_records"},
};

static void test_keys_per_build(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        struct crash_sig r, l, e;
        char name[64];

        snprintf(name, sizeof(name), "native-%s.txt", keys[i].bug);
        parse(name, &r);
        snprintf(name, sizeof(name), "lf-%s.txt", keys[i].bug);
        parse(name, &l);
        snprintf(name, sizeof(name), "emu-%s.txt", keys[i].bug);
        parse(name, &e);
        assert_string_equal(r.key, keys[i].native);
        assert_string_equal(l.key, keys[i].native); /* libFuzzer = replay */
        assert_string_equal(e.key, keys[i].emu);
        assert_true(sig_same_bug(&r, &l, 1));
        assert_true(sig_same_bug(&r, &e, 0)); /* one bug across modes */
    }
}

/* Every project frame is symbolised: a function and a file:line. */
static void test_project_frames_symbolised(void **state)
{
    static const char *const names[] = {"native-rename.txt", "lf-checksum.txt",
                                        "emu-rename.txt"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        struct crash_sig s;
        const struct sig_frame *top;

        parse(names[i], &s);
        top = sig_top(&s);
        assert_non_null(top);
        assert_non_null(strstr(top->file, "planted-firmware/src/sensor.c"));
        assert_true(top->line > 0);
    }
}

/* The sanitizer, libc, engine and entry frames are shown, not used. */
static void test_runtime_frames_skipped(void **state)
{
    struct crash_sig s;

    (void)state;
    parse("native-rename.txt", &s);
    assert_string_equal(s.frames[0].func, "__asan_memcpy");
    assert_false(s.frames[0].project);
    assert_string_equal(s.frames[1].func, "sensor_rename");
    assert_true(s.frames[1].project);
    assert_string_equal(s.frames[2].func, "LLVMFuzzerTestOneInput");
    assert_false(s.frames[2].project);
    assert_int_equal(s.size, 32);
    parse("emu-rename.txt", &s);
    assert_string_equal(s.frames[0].func, "fwfuzz_asan_report");
    assert_false(s.frames[0].project);
    assert_string_equal(s.frames[3].func, "__wrap_memcpy");
    assert_false(s.frames[3].project);
    assert_string_equal(s.frames[4].func, "sensor_rename");
    assert_int_equal(s.frames[4].line, 58);
}

static void test_distinct_bugs_apart(void **state)
{
    (void)state;
    /* same function, other class or access */
    assert_false(sig_key_same_bug("heap-buffer-overflow READ|f|g",
                                  "heap-buffer-overflow WRITE|f|g", 0));
    assert_false(sig_key_same_bug("timeout|f", "null-deref|f", 0));
    /* same class, other function */
    assert_false(sig_key_same_bug("null-deref|f", "null-deref|g", 0));
    /* in one mode, the three frames */
    assert_false(sig_key_same_bug("null-deref|f|a", "null-deref|f|b", 1));
    assert_true(sig_key_same_bug("null-deref|f|a", "null-deref|f|b", 0));
}

static void test_not_a_report(void **state)
{
    struct crash_sig s;

    (void)state;
    assert_int_equal(
        sig_parse("replay: 1 inputs ran without a finding\n", 0, &s), 0);
    assert_int_equal(sig_parse("", 1, &s), 0);
}

static void test_property_and_segv(void **state)
{
    struct crash_sig s;

    (void)state;
    assert_int_equal(
        sig_parse("==FWFUZZ== property violated: tampered image accepted\n"
                  "==FWFUZZ== check (ok == 0) failed at /src/f.c:9\n"
                  "==1==ERROR: AddressSanitizer: ABRT on unknown address "
                  "0x00001\n"
                  "    #0 0x1 in abort (/lib/libc.so.6+0x1)\n"
                  "    #1 0x2 in fwfuzz_check_failed /s/harness/include/"
                  "fwfuzz/check.h:33:5\n"
                  "    #2 0x3 in verify_chain /s/targets/bv/bv.c:40:3\n",
                  0, &s),
        1);
    assert_string_equal(s.key, "property:tampered_image_accepted|verify_chain");
    assert_string_equal(s.message, "tampered image accepted");
    assert_int_equal(
        sig_parse("==1==ERROR: AddressSanitizer: SEGV on unknown address "
                  "0x000000000008 (pc 0x55 bp 0x1 sp 0x2 T0)\n"
                  "==1==The signal is caused by a WRITE memory access.\n"
                  "==1==Hint: address points to the zero page.\n"
                  "    #0 0x55 in put /s/src/a.c:3:7\n",
                  0, &s),
        1);
    assert_string_equal(s.key, "null-deref WRITE|put");
}

/* A security oracle's finding: its class natively (the oracle runtime's
 * frames are not the project's) and under emulation, where the class is
 * the first line's. */
static void test_oracle_finding(void **state)
{
    struct crash_sig n, e;

    (void)state;
    assert_int_equal(
        sig_parse(
            "==FWFUZZ== finding secret-in-output: password (8 bytes) "
            "appears in stdout\n"
            "==1==ERROR: AddressSanitizer: ABRT on unknown address "
            "0x00001\n"
            "    #0 0x1 in abort (/lib/libc.so.6+0x1)\n"
            "    #1 0x2 in fwfuzz_finding /s/harness/oracle/oracle.c:9:5\n"
            "    #2 0x3 in cookie_write /s/harness/oracle/oracle.c:90:5\n"
            "    #3 0x4 in printf (/lib/libc.so.6+0x5)\n"
            "    #4 0x5 in dev_login /s/docs/ex/src/dev.c:40:3\n"
            "    #5 0x6 in fwfuzz_target_one_input /s/docs/ex/fuzz/f.c:9\n",
            0, &n),
        1);
    assert_string_equal(n.cls, "secret-in-output");
    assert_string_equal(n.key, "secret-in-output|dev_login");
    assert_string_equal(n.message, "password (8 bytes) appears in stdout");
    assert_int_equal(
        sig_parse(
            "==FWFUZZ-EMU== secret-in-output at dev_login "
            "/s/docs/ex/src/dev.c:40\n"
            "==FWFUZZ== finding secret-in-output: password (8 bytes) "
            "appears in the UART output\n"
            "call stack:\n"
            "  #0 0x08001000 in uart_write /s/emu/firmware/board/uart.c:40\n"
            "  #1 0x08002000 in dev_login /s/docs/ex/src/dev.c:40\n",
            1, &e),
        1);
    assert_string_equal(e.cls, "secret-in-output");
    assert_true(sig_same_bug(&n, &e, 0));
}

static void test_ratings(void **state)
{
    struct sig_rating r;

    (void)state;
    sig_rate("heap-buffer-overflow", "WRITE", &r);
    assert_string_equal(r.severity, "high");
    assert_int_equal(r.cwe, 122);
    sig_rate("heap-buffer-overflow", "READ", &r);
    assert_string_equal(r.severity, "medium");
    assert_int_equal(r.cwe, 125);
    sig_rate("property", "", &r);
    assert_string_equal(r.severity, "high");
    assert_int_equal(r.cwe, 754);
    sig_rate("tampered-image-accepted", "", &r);
    assert_string_equal(r.severity, "critical");
    assert_int_equal(r.cwe, 347);
    sig_rate("lockout-power-cut", "", &r);
    assert_int_equal(r.cwe, 307);
    sig_rate("timeout", "", &r);
    assert_int_equal(r.cwe, 835);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_per_build),
        cmocka_unit_test(test_project_frames_symbolised),
        cmocka_unit_test(test_runtime_frames_skipped),
        cmocka_unit_test(test_distinct_bugs_apart),
        cmocka_unit_test(test_not_a_report),
        cmocka_unit_test(test_property_and_segv),
        cmocka_unit_test(test_oracle_finding),
        cmocka_unit_test(test_ratings),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
