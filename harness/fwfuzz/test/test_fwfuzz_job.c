/* The job's safety net over findings/: new inputs are reported, earlier
 * ones are not, and a findings folder that cannot be listed is an I/O
 * error, never a verdict. Runs in a fresh temporary folder. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcode.h"
#include "fsutil.h"
#include "job.h"

static int setup(void **state)
{
    char tmpl[] = "/tmp/test_fwfuzz_job.XXXXXX";
    char *dir = mkdtemp(tmpl);

    if (dir == NULL)
        return -1;
    *state = strdup(dir);
    return 0;
}

static int teardown(void **state)
{
    fs_remove_tree(*state);
    free(*state);
    return 0;
}

static void put(const char *dir, const char *name, const char *text)
{
    char *path = fs_join(dir, name);

    assert_int_equal(fs_write_atomic(path, text, strlen(text)), 0);
    free(path);
}

static void test_job_collect_unreported_reports_only_new(void **state)
{
    struct fuzz_job job = {0};
    struct job_paths p;
    struct fuzz_report r = {0};
    struct strvec before = {0};

    job.engine = FW_ENGINE_AFL;
    job_paths_init(&p, *state, "summary.json");
    assert_int_equal(fs_mkdirs(p.findings), 0);
    put(p.findings, "crash-old", "OLD");
    assert_int_equal(fs_list_files(p.findings, "", &before), 0);
    put(p.findings, "afl-hang-new", "NEW");

    assert_int_equal(job_collect_unreported(&job, &p, &before, &r), 0);
    assert_int_equal(r.findings.n, 1);
    assert_string_equal(r.findings.v[0].kind, "timeout");
    assert_string_equal(r.findings.v[0].engine, "afl");
    assert_non_null(strstr(r.findings.v[0].path, "afl-hang-new"));
    assert_int_equal(report_exit_code(&r), FW_EXIT_FINDINGS);

    strvec_free(&before);
    report_free(&r);
    job_paths_free(&p);
}

/* A folder listing that fails must not read as "no findings" (nor, with
 * an empty before-list, as "all findings new"). Permissions do not stop
 * root (CI containers) from listing a folder, so the findings path here is
 * a file: opendir fails with ENOTDIR for every user. */
static void test_job_collect_unreported_unlistable_is_io_error(void **state)
{
    struct fuzz_job job = {0};
    struct job_paths p;
    struct fuzz_report r = {0};
    struct strvec before = {0};

    job.engine = FW_ENGINE_AFL;
    job_paths_init(&p, *state, "summary.json");
    put(*state, "findings", "not a folder");

    assert_int_equal(job_collect_unreported(&job, &p, &before, &r), -1);
    assert_int_equal(r.findings.n, 0);
    assert_int_equal(r.io_error, 1);
    assert_non_null(r.error);
    assert_non_null(strstr(r.error, "cannot list"));
    assert_string_equal(report_result(&r), "error");
    assert_int_equal(report_exit_code(&r), FW_EXIT_IO);

    report_free(&r);
    job_paths_free(&p);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_job_collect_unreported_reports_only_new),
        T(test_job_collect_unreported_unlistable_is_io_error),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
