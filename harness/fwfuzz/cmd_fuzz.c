/* fwfuzz fuzz: one target, one engine. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "engine.h"
#include "exitcode.h"
#include "fsutil.h"
#include "proc.h"
#include "summary.h"
#include "util.h"

/* Writes and prints the summary; a failed write is an I/O error. */
static void finish(const struct fuzz_job *job, struct fuzz_report *r)
{
    char *path = fs_join(job->out, job->summary_name);
    cJSON *json = summary_job_json(job, r);
    int written = 1;

    if (summary_write(path, json) != 0) {
        written = 0;
        int had_io_error = r->io_error;

        if (!had_io_error)
            report_error(r, FW_EXIT_IO, "cannot write %s: %s", path,
                         strerror(errno));
        r->io_error = 1;
        cJSON_Delete(json);
        json = summary_job_json(job, r);
    }
    summary_print(json);
    cJSON_Delete(json);
    fw_msg("%s with %s: %s, %zu finding%s, %.1f s; summary %s%s",
           job->target->name, engine_label(job), report_result(r),
           r->findings.n, r->findings.n == 1 ? "" : "s", r->elapsed,
           written ? "" : "NOT written to ", path);
    free(path);
}

int cmd_fuzz(const struct cli *c)
{
    struct manifest m;
    const struct manifest_target *t;
    struct manifest_target view;
    struct fuzz_job job;
    struct fuzz_report r;
    enum fw_mode mode;
    char why[512];
    char *out;
    int rc = cmd_load_manifest(c, &m);

    if (rc != 0)
        return rc;
    t = cmd_find_target(&m, c->target);
    if (t == NULL) {
        manifest_free(&m);
        return FW_EXIT_CONFIG;
    }
    memset(&job, 0, sizeof(job));
    rc = cmd_target_mode(c, t, &mode);
    if (rc != 0) {
        manifest_free(&m);
        return rc;
    }
    if (engine_mode_target(t, mode, &view, why, sizeof(why)) != 0 ||
        engine_check(&view, c->engine, why, sizeof(why)) != 0 ||
        (mode == FW_MODE_EMU &&
         (job.emu_image =
              engine_emu_image(t, c->emu_plain, why, sizeof(why))) == NULL)) {
        fw_msg("%s", why);
        manifest_free(&m);
        return FW_EXIT_CONFIG;
    }
    out = c->out != NULL ? fw_xstrdup(c->out)
                         : cmd_target_out(NULL, t->name, mode);
    job.target = &view;
    job.engine = c->engine;
    job.mode = mode;
    job.time_s = c->time_s;
    job.jobs = c->jobs;
    job.out = out;
    job.keep_going = c->keep_going;
    job.engine_flags = c->engine_flags;
    job.n_engine_flags = c->n_engine_flags;
    job.status_interval = c->status_interval;
    job.tty = isatty(STDERR_FILENO);
    job.summary_name = "summary.json";
    memset(&r, 0, sizeof(r));
    proc_signals_install();
    job_run(&job, &r);
    finish(&job, &r);
    rc = report_exit_code(&r);
    report_free(&r);
    free(out);
    manifest_free(&m);
    return rc;
}
