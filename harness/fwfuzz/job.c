/* Running one fuzzing job: output folders, engine dispatch, final
 * bookkeeping of findings and corpus. */
#define _POSIX_C_SOURCE 200809L
#include "job.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "exitcode.h"
#include "fsutil.h"
#include "lfparse.h"
#include "util.h"

/* mkdir succeeds on an existing read-only folder: try to write in it. */
static int check_writable(const char *dir)
{
    char *probe = fs_join(dir, ".fwfuzz-write-probe");
    int rc = fs_write_atomic(probe, "", 0);

    if (rc == 0)
        unlink(probe);
    free(probe);
    return rc;
}

static int prepare_dirs(const struct fuzz_job *job, const struct job_paths *p,
                        struct fuzz_report *r)
{
    const char *dirs[4];
    size_t i;

    dirs[0] = job->out;
    dirs[1] = p->corpus;
    dirs[2] = p->findings;
    dirs[3] = p->logs;
    for (i = 0; i < 4; i++) {
        if (fs_mkdirs(dirs[i]) != 0 || check_writable(dirs[i]) != 0) {
            report_error(r, FW_EXIT_IO, "cannot write to %s: %s", dirs[i],
                         strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* Kind of a file in findings/ from its name (engines name them). */
static const char *kind_from_name(const char *name)
{
    if (strncmp(name, "afl-crash-", 10) == 0)
        return "crash";
    if (strncmp(name, "afl-hang-", 9) == 0)
        return "timeout";
    return lf_artifact_kind(name);
}

int job_collect_unreported(const struct fuzz_job *job,
                           const struct job_paths *p,
                           const struct strvec *before, struct fuzz_report *r)
{
    struct strvec now = {0};
    size_t i;

    if (fs_list_files(p->findings, "", &now) != 0) {
        report_error(r, FW_EXIT_IO,
                     "cannot list %s: %s (findings of this job may be "
                     "missing from the report)",
                     p->findings, strerror(errno));
        return -1;
    }
    for (i = 0; i < now.n; i++) {
        const char *kind = kind_from_name(now.v[i]);
        char hex[FS_SHA1_HEX_LEN + 1];
        char *path;

        if (strvec_contains(before, now.v[i]) || kind == NULL ||
            strcmp(kind, "slow-unit") == 0)
            continue;
        path = fs_join(p->findings, now.v[i]);
        if (findings_by_path(&r->findings, path) == NULL &&
            fs_sha1_file(path, hex) == 0 &&
            findings_add(&r->findings, kind, path, fw_engine_name(job->engine),
                         "", hex))
            fw_msg("finding: %s saved as %s", kind, path);
        free(path);
    }
    strvec_free(&now);
    return 0;
}

void job_run(const struct fuzz_job *job, struct fuzz_report *r)
{
    struct job_paths p;
    struct strvec before = {0};
    double start = fw_now();

    job_paths_init(&p, job->out, job->summary_name);
    if (prepare_dirs(job, &p, r) != 0)
        goto out;
    r->corpus_before = fs_count_files(p.corpus);
    /* unlisted, every earlier finding would look new after the run */
    if (fs_list_files(p.findings, "", &before) != 0) {
        report_error(r, FW_EXIT_IO, "cannot list %s: %s", p.findings,
                     strerror(errno));
        goto out;
    }
    if (job->engine == FW_ENGINE_AFL)
        engine_afl_run(job, &p, r);
    else
        engine_libfuzzer_run(job, &p, r);
    job_collect_unreported(job, &p, &before, r);
    r->corpus_after = fs_count_files(p.corpus);
out:
    r->elapsed = fw_now() - start;
    strvec_free(&before);
    job_paths_free(&p);
}
