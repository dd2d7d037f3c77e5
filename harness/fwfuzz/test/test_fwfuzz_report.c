/* The report writers' escaping and their reading of malformed summaries. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "xmlesc.h"

/* What xmlesc_put writes for s. Caller frees. */
static char *escaped(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    xmlesc_put(f, s);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void test_xmlesc_escapes_markup_and_quotes(void **state)
{
    char *e;

    (void)state;
    e = escaped("<script>alert(\"x\" & 'y')</script>");
    assert_string_equal(e, "&lt;script&gt;alert(&quot;x&quot; &amp; "
                           "&#39;y&#39;)&lt;/script&gt;");
    free(e);
    e = escaped(NULL);
    assert_string_equal(e, "");
    free(e);
}

static void test_xmlesc_drops_what_xml_cannot_hold(void **state)
{
    char *e;

    (void)state;
    /* controls but tab, newline and CR; U+FFFE; kept: U+00E9, U+1F600 */
    e = escaped("a\x01\x1b[31m\tb\nc\rd\x7f\xc3\xa9\xef\xbf\xbe"
                "\xf0\x9f\x98\x80");
    assert_string_equal(e, "a[31m\tb\nc\rd\x7f\xc3\xa9\xf0\x9f\x98\x80");
    free(e);
}

static void test_xmlesc_replaces_bad_utf8(void **state)
{
    char *e;

    (void)state;
    /* a stray byte, an overlong '/', a surrogate, a truncated sequence */
    e = escaped("x\xffy\xc0\xafz\xed\xa0\x80w\xe2\x82");
    assert_string_equal(e, "x\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbdz"
                           "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdw"
                           "\xef\xbf\xbd\xef\xbf\xbd");
    free(e);
    e = xmlesc_utf8_dup("ok\xff<\x01");
    assert_string_equal(e, "ok\xef\xbf\xbd<\x01");
    free(e);
    e = xmlesc_utf8_dup(NULL);
    assert_string_equal(e, "");
    free(e);
}

static void test_report_relative_paths(void **state)
{
    (void)state;
    assert_true(report_relative_ok("targets/mqtt/src/a.c"));
    assert_true(report_relative_ok("a..b/c..d.c"));
    assert_false(report_relative_ok(NULL));
    assert_false(report_relative_ok(""));
    assert_false(report_relative_ok("/etc/passwd"));
    assert_false(report_relative_ok("javascript:alert(1)"));
    assert_false(report_relative_ok("../x.c"));
    assert_false(report_relative_ok("a/../../x.c"));
    assert_false(report_relative_ok("a/.."));
    assert_false(report_relative_ok("a\\b"));
    assert_false(report_relative_ok("a\nb"));
}

static void test_report_security_severity(void **state)
{
    (void)state;
    assert_string_equal(
        report_security_severity("stack-buffer-overflow", "WRITE", "high"),
        "8.0");
    assert_string_equal(
        report_security_severity("heap-buffer-overflow", "READ", "medium"),
        "6.0");
    assert_string_equal(report_security_severity("use-after-free", "", "high"),
                        "8.0");
    assert_string_equal(report_security_severity("segv", "EXEC", "medium"),
                        "9.0");
    assert_string_equal(report_security_severity("property", "", "high"),
                        "8.0");
    assert_string_equal(
        report_security_severity("tampered-image-accepted", "", "critical"),
        "9.0");
    assert_string_equal(report_security_severity("secret-timing", "", "medium"),
                        "6.0");
    assert_string_equal(report_security_severity("timeout", "", "low"), "3.0");
    assert_string_equal(report_security_severity("null-deref", "READ", "low"),
                        "3.0");
    assert_string_equal(report_security_severity("new-class", NULL, "high"),
                        "8.0");
    assert_string_equal(report_security_severity(NULL, NULL, NULL), "6.0");
}

/* Runs every writer on the summary (and coverage); returns what each
 * wrote in out[3] (caller frees). */
static void render(const char *summary, const char *coverage, char *out[3])
{
    int (*writers[3])(FILE *, const struct report_in *) = {
        report_junit, report_sarif, report_html};
    struct report_in in;
    char why[128];
    size_t i, len;

    assert_int_equal(report_parse(&in, summary, strlen(summary), coverage,
                                  coverage ? strlen(coverage) : 0, why,
                                  sizeof(why)),
                     0);
    for (i = 0; i < 3; i++) {
        FILE *f = open_memstream(&out[i], &len);

        assert_non_null(f);
        assert_int_equal(writers[i](f, &in), 0);
        assert_int_equal(fclose(f), 0);
        assert_true(len > 0);
    }
    report_in_free(&in);
}

static void free3(char *out[3])
{
    free(out[0]);
    free(out[1]);
    free(out[2]);
}

static void test_report_refuses_what_is_no_summary(void **state)
{
    static const char *bad[] = {"",
                                "[]",
                                "null",
                                "\"x\"",
                                "{\"runs\": [",
                                "{\"format\": \"2\"}",
                                "{\"format\": 3}",
                                "{\"format\": 1e999}"};
    struct report_in in;
    char why[128];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        why[0] = '\0';
        assert_int_equal(report_parse(&in, bad[i], strlen(bad[i]), NULL, 0, why,
                                      sizeof(why)),
                         -1);
        assert_true(why[0] != '\0');
        assert_null(in.summary);
    }
}

static void test_report_survives_wrong_types(void **state)
{
    /* every member of the wrong type, arrays where objects belong (cJSON's
     * lookup on an array would hand back its first element) */
    static const char *odd[] = {
        "{}",
        "{\"format\": 2}",
        ("{\"runs\": {}, \"targets\": \"x\", \"groups\": [1, \"a\", null, "
         "{\"state\": 5}], \"totals\": [], \"coverage\": \"x\", \"errors\": "
         "{}}"),
        ("{\"targets\": [{\"name\": 1, \"modes\": []}, {\"name\": \"t\", "
         "\"modes\": {\"native\": 5, \"emu\": {\"coverage\": \"x\", "
         "\"groups\": []}}}], \"runs\": [{\"target\": \"t\", \"mode\": 3, "
         "\"fuzz_seconds\": \"x\"}, [\"target\", \"t\"], {\"target\": \"t\", "
         "\"result\": \"error\", \"error\": 5}], \"groups\": [{\"target\": "
         "\"t\", \"state\": \"new\", \"modes\": \"native\", \"line\": -5, "
         "\"cwe\": 1e300, \"count\": 1e300, \"class\": [\"a\"], \"file\": "
         "\"/abs\"}, [\"state\", \"new\"]], \"source_dir\": 7, \"started\": "
         "[]}"),
        ("{\"totals\": {\"targets\": -1e300, \"execs\": 1e308}, "
         "\"elapsed_s\": -3, \"groups\": [{\"state\": \"open\", \"target\": "
         "null}]}"),
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        char *out[3];
        cJSON *sarif;

        render(odd[i], "[1, 2]", out);
        assert_non_null(strstr(out[0], "<testsuites"));
        sarif = cJSON_Parse(out[1]);
        assert_non_null(sarif);
        cJSON_Delete(sarif);
        assert_non_null(strstr(out[2], "</html>"));
        free3(out);
    }
}

static void test_report_group_without_modes_fails_every_mode(void **state)
{
    static const char summary[] =
        "{\"targets\": [{\"name\": \"t\", \"modes\": {\"native\": {}, "
        "\"emu\": {}}}], \"groups\": [{\"id\": \"abc\", \"target\": \"t\", "
        "\"state\": \"new\", \"class\": \"oom\"}]}";
    char *out[3];
    const char *p;
    int n = 0;

    (void)state;
    render(summary, NULL, out);
    for (p = out[0]; (p = strstr(p, "<failure")) != NULL; p++)
        n++;
    assert_int_equal(n, 2);
    free3(out);
}

static void test_report_bad_coverage_is_reported(void **state)
{
    struct report_in in;
    char why[128];

    (void)state;
    assert_int_equal(report_parse(&in, "{}", 2, "{", 1, why, sizeof(why)), 0);
    assert_null(in.coverage);
    assert_non_null(in.coverage_error);
    report_in_free(&in);
}

static void test_report_final_lines(void **state)
{
    static const char summary[] =
        "{\"elapsed_s\": 61, \"runs\": [{\"mode\": \"native\", \"engine\": "
        "\"afl\"}, {\"mode\": \"emu\", \"engine\": \"afl\"}], \"totals\": "
        "{\"targets\": 2, \"execs\": 1000, \"groups_new\": 1, "
        "\"groups_known\": 0, \"groups_fixed\": 3}, \"groups\": [{\"state\": "
        "\"known\", \"reproducer\": \"old\"}, {\"state\": \"new\", "
        "\"reproducer\": \"fwfuzz repro t x\\u001b[2J\"}]}";
    cJSON *s = cJSON_Parse(summary);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    (void)state;
    report_print_final(f, s, "reports/x");
    fclose(f);
    assert_string_equal(
        buf, "fuzzed: 2 targets (modes native, emu; engines afl), "
             "1000 executions in 61 s\n"
             "found: 1 new / 0 known / 3 fixed crash groups\n"
             "report: reports/x/index.html\n"
             "to look at the first new crash: fwfuzz repro t x?[2J\n");
    free(buf);
    cJSON_Delete(s);
    /* nothing to read: still the lines, no crash */
    buf = NULL;
    f = open_memstream(&buf, &len);
    report_print_final(f, NULL, "d");
    fclose(f);
    assert_non_null(strstr(buf, "found: 0 new / 0 known / 0 fixed"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xmlesc_escapes_markup_and_quotes),
        cmocka_unit_test(test_xmlesc_drops_what_xml_cannot_hold),
        cmocka_unit_test(test_xmlesc_replaces_bad_utf8),
        cmocka_unit_test(test_report_relative_paths),
        cmocka_unit_test(test_report_security_severity),
        cmocka_unit_test(test_report_refuses_what_is_no_summary),
        cmocka_unit_test(test_report_survives_wrong_types),
        cmocka_unit_test(test_report_group_without_modes_fails_every_mode),
        cmocka_unit_test(test_report_bad_coverage_is_reported),
        cmocka_unit_test(test_report_final_lines),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
