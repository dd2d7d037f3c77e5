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

#include "exitcode.h"
#include "fsutil.h"
#include "job.h"
#include "test_tmpdir.h"

/* An AFL++ job whose output folder is the test's temporary folder. */
struct job_case {
    char *dir;
    struct fuzz_job job;
    struct job_paths p;
    struct fuzz_report r;
    struct strvec before;
};

static int setup(void **state)
{
    struct job_case *c = calloc(1, sizeof(*c));
    void *dir = NULL;

    if (c == NULL || test_tmpdir_setup(&dir) != 0) {
        free(c);
        return -1;
    }
    c->dir = dir;
    c->job.engine = FW_ENGINE_AFL;
    c->job.out = c->dir;
    job_paths_init(&c->p, c->dir, "summary.json");
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    struct job_case *c = *state;
    void *dir;

    strvec_free(&c->before);
    report_free(&c->r);
    job_paths_free(&c->p);
    dir = c->dir;
    test_tmpdir_teardown(&dir);
    free(c);
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
    struct job_case *c = *state;

    assert_int_equal(fs_mkdirs(c->p.findings), 0);
    put(c->p.findings, "crash-old", "OLD");
    assert_int_equal(fs_list_files(c->p.findings, "", &c->before), 0);
    put(c->p.findings, "afl-hang-new", "NEW");

    assert_int_equal(job_collect_unreported(&c->job, &c->p, &c->before, &c->r),
                     0);
    assert_int_equal(c->r.findings.n, 1);
    assert_string_equal(c->r.findings.v[0].kind, "timeout");
    assert_string_equal(c->r.findings.v[0].engine, "afl");
    assert_non_null(strstr(c->r.findings.v[0].path, "afl-hang-new"));
    assert_int_equal(report_exit_code(&c->r), FW_EXIT_FINDINGS);
}

/* A folder listing that fails must not read as "no findings" (nor, with
 * an empty before-list, as "all findings new"). Permissions do not stop
 * root (CI containers) from listing a folder, so the findings path here is
 * a file: opendir fails with ENOTDIR for every user. */
static void test_job_collect_unreported_unlistable_is_io_error(void **state)
{
    struct job_case *c = *state;

    put(c->dir, "findings", "not a folder");

    assert_int_equal(job_collect_unreported(&c->job, &c->p, &c->before, &c->r),
                     -1);
    assert_int_equal(c->r.findings.n, 0);
    assert_int_equal(c->r.io_error, 1);
    assert_non_null(c->r.error);
    assert_non_null(strstr(c->r.error, "cannot list"));
    assert_string_equal(report_result(&c->r), "error");
    assert_int_equal(report_exit_code(&c->r), FW_EXIT_IO);
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
