/* The JSON summaries of jobs and runs. */
#define _POSIX_C_SOURCE 200809L
#include "summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "util.h"

#ifndef FWFUZZ_VERSION
#define FWFUZZ_VERSION "0"
#endif

/* Rounded so summaries stay readable (all figures are >= 0). */
static double round_to(double v, double step)
{
    if (v <= 0)
        return 0;
    return (double)(unsigned long long)(v / step + 0.5) * step;
}

static double exec_rate(const struct fuzz_report *r)
{
    return r->fuzz_seconds > 0 ? (double)r->execs / r->fuzz_seconds : 0;
}

cJSON *summary_job_json(const struct fuzz_job *job, const struct fuzz_report *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *cov, *corpus, *findings;
    size_t i;

    cJSON_AddNumberToObject(o, "format", SUMMARY_FORMAT);
    cJSON_AddStringToObject(o, "fwfuzz_version", FWFUZZ_VERSION);
    cJSON_AddStringToObject(o, "target", job->target->name);
    cJSON_AddStringToObject(o, "component", job->target->component);
    cJSON_AddStringToObject(o, "engine", fw_engine_name(job->engine));
    cJSON_AddStringToObject(o, "mode", fw_mode_name(job->mode));
    if (job->mode == FW_MODE_EMU && job->emu_image != NULL)
        cJSON_AddStringToObject(o, "emu_image", job->emu_image);
    cJSON_AddNumberToObject(o, "jobs", (double)job->jobs);
    cJSON_AddNumberToObject(o, "time_budget_s", (double)job->time_s);
    cJSON_AddNumberToObject(o, "elapsed_s", round_to(r->elapsed, 0.01));
    cJSON_AddNumberToObject(o, "fuzz_time_s", round_to(r->fuzz_seconds, 0.01));
    cJSON_AddNumberToObject(o, "execs", (double)r->execs);
    cJSON_AddNumberToObject(o, "execs_per_sec", round_to(exec_rate(r), 1));
    cov = cJSON_AddObjectToObject(o, "coverage");
    if (job->engine == FW_ENGINE_AFL) {
        cJSON_AddNumberToObject(cov, "edges_found", (double)r->edges_found);
        cJSON_AddNumberToObject(cov, "edges_total", (double)r->edges_total);
        cJSON_AddNumberToObject(cov, "bitmap_percent",
                                round_to(r->bitmap_cvg, 0.01));
    } else {
        cJSON_AddNumberToObject(cov, "edges", (double)r->cov);
        cJSON_AddNumberToObject(cov, "features", (double)r->ft);
    }
    corpus = cJSON_AddObjectToObject(o, "corpus");
    {
        char *dir = fs_join(job->out, "corpus");
        cJSON_AddStringToObject(corpus, "dir", dir);
        free(dir);
    }
    cJSON_AddNumberToObject(corpus, "before", (double)r->corpus_before);
    cJSON_AddNumberToObject(corpus, "after", (double)r->corpus_after);
    findings = cJSON_AddArrayToObject(o, "findings");
    for (i = 0; i < r->findings.n; i++) {
        const struct finding *f = &r->findings.v[i];
        cJSON *fo = cJSON_CreateObject();

        cJSON_AddStringToObject(fo, "kind", f->kind);
        cJSON_AddStringToObject(fo, "file", f->path);
        cJSON_AddStringToObject(fo, "engine", f->engine);
        cJSON_AddStringToObject(fo, "description", f->description);
        cJSON_AddStringToObject(fo, "sha1", f->sha1);
        cJSON_AddItemToArray(findings, fo);
    }
    cJSON_AddNumberToObject(o, "restarts", r->restarts);
    cJSON_AddItemToObject(o, "notes", strvec_json(&r->notes));
    cJSON_AddItemToObject(o, "logs", strvec_json(&r->logs));
    cJSON_AddStringToObject(o, "out_dir", job->out);
    cJSON_AddStringToObject(o, "result", report_result(r));
    if (r->skipped != NULL)
        cJSON_AddStringToObject(o, "error", r->skipped);
    else if (r->error != NULL)
        cJSON_AddStringToObject(o, "error", r->error);
    else
        cJSON_AddNullToObject(o, "error");
    cJSON_AddBoolToObject(o, "interrupted", r->interrupted);
    cJSON_AddNumberToObject(o, "exit_code", report_exit_code(r));
    return o;
}

int summary_write(const char *path, const cJSON *obj)
{
    char *text = cJSON_Print(obj);
    char *withnl;
    int rc;

    if (text == NULL)
        return -1;
    withnl = fw_xasprintf("%s\n", text);
    cJSON_free(text);
    rc = fs_write_atomic(path, withnl, strlen(withnl));
    free(withnl);
    return rc;
}

void summary_print(const cJSON *obj)
{
    char *text = cJSON_Print(obj);

    if (text != NULL) {
        printf("%s\n", text);
        cJSON_free(text);
    }
    fflush(stdout);
}
