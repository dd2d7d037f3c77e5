/* The shape of the JSON summaries, and the result/exit code a report
 * gives. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcode.h"
#include "fsutil.h"
#include "summary.h"

static struct manifest_target target = {"ringbuf_parse",
                                        "outside",
                                        "/s/fuzz.c",
                                        "/b/lf",
                                        "/b/replay",
                                        "/b/afl",
                                        "/s/corpus",
                                        NULL,
                                        NULL,
                                        NULL,
                                        NULL,
                                        NULL,
                                        NULL,
                                        NULL,
                                        0};

static void make_job(struct fuzz_job *job, enum fw_engine e)
{
    memset(job, 0, sizeof(*job));
    job->target = &target;
    job->engine = e;
    job->time_s = 60;
    job->jobs = 2;
    job->out = "reports/fuzz/ringbuf_parse";
    job->summary_name = "summary.json";
}

static const cJSON *member(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    if (v == NULL)
        fail_msg("summary lacks \"%s\"", key);
    return v;
}

static void test_summary_findings_shape(void **state)
{
    struct fuzz_job job;
    struct fuzz_report r;
    cJSON *o;
    const cJSON *f, *cov, *corpus;

    (void)state;
    make_job(&job, FW_ENGINE_LIBFUZZER);
    memset(&r, 0, sizeof(r));
    r.elapsed = 1.234;
    r.fuzz_seconds = 1.0;
    r.execs = 90735;
    r.cov = 8;
    r.ft = 16;
    r.corpus_before = 0;
    r.corpus_after = 10;
    findings_add(&r.findings, "crash", "o/findings/libfuzzer-crash-abc",
                 "libfuzzer", "SUMMARY: AddressSanitizer: heap-buffer-overflow",
                 "3671459656497f7e0f8edc87204ff075ffcd5de9");
    /* the same content again is not a second finding */
    assert_int_equal(findings_add(&r.findings, "crash", "other", "afl", "",
                                  "3671459656497f7e0f8edc87204ff075ffcd5de9"),
                     0);
    o = summary_job_json(&job, &r);
    assert_string_equal(member(o, "target")->valuestring, "ringbuf_parse");
    assert_string_equal(member(o, "component")->valuestring, "outside");
    assert_string_equal(member(o, "engine")->valuestring, "libfuzzer");
    assert_int_equal(member(o, "jobs")->valueint, 2);
    assert_int_equal(member(o, "time_budget_s")->valueint, 60);
    assert_true(member(o, "elapsed_s")->valuedouble > 1.22 &&
                member(o, "elapsed_s")->valuedouble < 1.24);
    assert_int_equal(member(o, "execs")->valueint, 90735);
    assert_int_equal(member(o, "execs_per_sec")->valueint, 90735);
    cov = member(o, "coverage");
    assert_int_equal(member(cov, "edges")->valueint, 8);
    assert_int_equal(member(cov, "features")->valueint, 16);
    corpus = member(o, "corpus");
    assert_string_equal(member(corpus, "dir")->valuestring,
                        "reports/fuzz/ringbuf_parse/corpus");
    assert_int_equal(member(corpus, "before")->valueint, 0);
    assert_int_equal(member(corpus, "after")->valueint, 10);
    assert_int_equal(cJSON_GetArraySize(member(o, "findings")), 1);
    f = cJSON_GetArrayItem(member(o, "findings"), 0);
    assert_string_equal(member(f, "kind")->valuestring, "crash");
    assert_string_equal(member(f, "file")->valuestring,
                        "o/findings/libfuzzer-crash-abc");
    assert_string_equal(member(f, "engine")->valuestring, "libfuzzer");
    assert_string_equal(member(f, "description")->valuestring,
                        "SUMMARY: AddressSanitizer: heap-buffer-overflow");
    assert_string_equal(member(f, "sha1")->valuestring,
                        "3671459656497f7e0f8edc87204ff075ffcd5de9");
    assert_string_equal(member(o, "result")->valuestring, "findings");
    assert_true(cJSON_IsNull(member(o, "error")));
    assert_true(cJSON_IsFalse(member(o, "interrupted")));
    assert_int_equal(member(o, "exit_code")->valueint, FW_EXIT_FINDINGS);
    assert_true(cJSON_IsArray(member(o, "notes")));
    assert_true(cJSON_IsArray(member(o, "logs")));
    cJSON_Delete(o);
    report_free(&r);
}

static void test_summary_afl_coverage_and_clean(void **state)
{
    struct fuzz_job job;
    struct fuzz_report r;
    cJSON *o;
    const cJSON *cov;

    (void)state;
    make_job(&job, FW_ENGINE_AFL);
    memset(&r, 0, sizeof(r));
    r.edges_found = 13;
    r.edges_total = 37;
    r.bitmap_cvg = 35.1351;
    o = summary_job_json(&job, &r);
    cov = member(o, "coverage");
    assert_int_equal(member(cov, "edges_found")->valueint, 13);
    assert_int_equal(member(cov, "edges_total")->valueint, 37);
    assert_true(member(cov, "bitmap_percent")->valuedouble > 35.13 &&
                member(cov, "bitmap_percent")->valuedouble < 35.15);
    assert_null(cJSON_GetObjectItemCaseSensitive(cov, "features"));
    assert_string_equal(member(o, "result")->valuestring, "clean");
    assert_int_equal(member(o, "exit_code")->valueint, FW_EXIT_OK);
    assert_int_equal(member(o, "execs_per_sec")->valueint, 0);
    cJSON_Delete(o);
}

static void test_summary_result_and_exit_code_order(void **state)
{
    struct fuzz_report r;

    (void)state;
    memset(&r, 0, sizeof(r));
    assert_string_equal(report_result(&r), "clean");
    assert_int_equal(report_exit_code(&r), FW_EXIT_OK);
    report_error(&r, FW_EXIT_ENGINE, "libFuzzer died");
    assert_string_equal(report_result(&r), "error");
    assert_int_equal(report_exit_code(&r), FW_EXIT_ENGINE);
    report_error(&r, FW_EXIT_CONFIG, "bad options");
    assert_int_equal(report_exit_code(&r), FW_EXIT_CONFIG);
    report_error(&r, FW_EXIT_IO, "disk full");
    assert_int_equal(report_exit_code(&r), FW_EXIT_IO);
    /* the first message is kept */
    assert_string_equal(r.error, "libFuzzer died");
    findings_add(&r.findings, "timeout", "p", "afl", "",
                 "0000000000000000000000000000000000000000");
    assert_string_equal(report_result(&r), "findings");
    assert_int_equal(report_exit_code(&r), FW_EXIT_FINDINGS);
    r.interrupted = 1;
    assert_int_equal(report_exit_code(&r), FW_EXIT_INTERRUPTED);
    report_free(&r);
}

static void test_summary_write_is_readable_json(void **state)
{
    char dir[] = "/tmp/test_fwfuzz_summary.XXXXXX";
    struct fuzz_job job;
    struct fuzz_report r;
    cJSON *o, *back;
    char *path, *text;
    size_t len;

    (void)state;
    assert_non_null(mkdtemp(dir));
    path = fs_join(dir, "summary.json");
    make_job(&job, FW_ENGINE_LIBFUZZER);
    memset(&r, 0, sizeof(r));
    findings_add(&r.findings, "property", "p\"q", "libfuzzer",
                 "==FWFUZZ== property violated: \"quoted\"\n",
                 "2222222222222222222222222222222222222222");
    o = summary_job_json(&job, &r);
    assert_int_equal(summary_write(path, o), 0);
    assert_int_equal(fs_read_file(path, 1 << 20, &text, &len), 0);
    assert_true(len > 0 && text[len - 1] == '\n');
    back = cJSON_Parse(text);
    assert_non_null(back);
    assert_string_equal(
        member(cJSON_GetArrayItem(member(back, "findings"), 0), "file")
            ->valuestring,
        "p\"q");
    cJSON_Delete(back);
    cJSON_Delete(o);
    free(text);
    report_free(&r);
    fs_remove_tree(dir);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_findings_shape),
        cmocka_unit_test(test_summary_afl_coverage_and_clean),
        cmocka_unit_test(test_summary_result_and_exit_code_order),
        cmocka_unit_test(test_summary_write_is_readable_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
