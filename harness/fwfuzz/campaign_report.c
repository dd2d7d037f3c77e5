/* The campaign's report folder: summary.json (format 2, described in
 * docs/reports.md), the files made from it (report.h), reports/latest and
 * reports/history.jsonl. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign.h"
#include "engine.h"
#include "exitcode.h"
#include "fsutil.h"
#include "report.h"
#include "summary.h"
#include "util.h"

#define SUMMARY_CAMPAIGN_FORMAT 2

static double num(const cJSON *o, const char *path1, const char *path2)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, path1);

    if (path2 != NULL)
        v = cJSON_GetObjectItemCaseSensitive(v, path2);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const char *job_result(const struct campaign_job *j)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(j->summary, "result");

    if (j->state == CJ_SKIPPED)
        return "skipped";
    if (j->state != CJ_DONE)
        return "not-run";
    if (j->error != NULL)
        return "error";
    return cJSON_IsString(r) ? r->valuestring : "error";
}

static cJSON *run_json(const struct campaign_job *j)
{
    cJSON *o = cJSON_CreateObject(), *cov;
    const cJSON *s = j->summary;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(s, "findings");

    cJSON_AddStringToObject(o, "target", j->target->name);
    cJSON_AddStringToObject(o, "component", j->target->component);
    cJSON_AddStringToObject(o, "mode", fw_mode_name(j->mode));
    cJSON_AddStringToObject(o, "engine", fw_engine_name(j->engine));
    cJSON_AddStringToObject(o, "result", job_result(j));
    if (j->error != NULL)
        cJSON_AddStringToObject(o, "error", j->error);
    else
        cJSON_AddNullToObject(o, "error");
    if (j->skipped != NULL)
        cJSON_AddStringToObject(o, "skipped", j->skipped);
    else
        cJSON_AddNullToObject(o, "skipped");
    cJSON_AddNumberToObject(o, "weight", j->weight);
    cJSON_AddNumberToObject(o, "budget_s", (double)j->time_s);
    cJSON_AddNumberToObject(o, "elapsed_s", (double)(long)(j->wall * 10) / 10);
    cJSON_AddNumberToObject(o, "fuzz_seconds", num(s, "fuzz_time_s", NULL));
    cJSON_AddNumberToObject(o, "execs", num(s, "execs", NULL));
    cJSON_AddNumberToObject(o, "execs_per_sec", num(s, "execs_per_sec", NULL));
    cov = cJSON_AddObjectToObject(o, "coverage");
    if (j->engine == FW_ENGINE_AFL) {
        cJSON_AddNumberToObject(cov, "edges_found",
                                num(s, "coverage", "edges_found"));
        cJSON_AddNumberToObject(cov, "edges_total",
                                num(s, "coverage", "edges_total"));
    } else {
        cJSON_AddNumberToObject(cov, "cov", num(s, "coverage", "edges"));
        cJSON_AddNumberToObject(cov, "ft", num(s, "coverage", "features"));
    }
    cJSON_AddNumberToObject(o, "corpus_before", num(s, "corpus", "before"));
    cJSON_AddNumberToObject(o, "corpus_after", num(s, "corpus", "after"));
    cJSON_AddNumberToObject(o, "findings", cJSON_GetArraySize(f));
    if (j->log_path != NULL) {
        /* relative to the report folder, which may be copied elsewhere */
        char *rel = fw_xasprintf("logs/%s", fw_basename(j->log_path));

        cJSON_AddStringToObject(o, "log", rel);
        free(rel);
    }
    return o;
}

static int str_is(const cJSON *o, const char *key, const char *value)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(v) && strcmp(v->valuestring, value) == 0;
}

static int has_string(const cJSON *arr, const char *value)
{
    const cJSON *v;

    cJSON_ArrayForEach(v, arr)
    {
        if (cJSON_IsString(v) && strcmp(v->valuestring, value) == 0)
            return 1;
    }
    return 0;
}

/* Groups of target t seen in mode: new (new or reopened), known, fixed. */
static void count_groups(const struct campaign *cp, const char *t,
                         const char *mode, double *n_new, double *n_known,
                         double *n_fixed)
{
    const cJSON *g;

    *n_new = *n_known = *n_fixed = 0;
    cJSON_ArrayForEach(g, cp->groups)
    {
        if (!str_is(g, "target", t))
            continue;
        if (mode != NULL &&
            !has_string(cJSON_GetObjectItemCaseSensitive(g, "modes"), mode))
            continue;
        if (str_is(g, "state", "new") || str_is(g, "state", "reopened"))
            (*n_new)++;
        else if (str_is(g, "state", "fixed"))
            (*n_fixed)++;
        else
            (*n_known)++;
    }
}

/* Line and function figures of target t in mode from coverage.json. */
static cJSON *mode_coverage(const cJSON *cov, const char *t, const char *mode)
{
    const cJSON *e;

    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(cov, "targets"))
    {
        const cJSON *m;
        cJSON *o;
        static const char *const keys[] = {"lines_covered", "lines_total",
                                           "functions_covered",
                                           "functions_total"};
        size_t k;

        if (!str_is(e, "name", t))
            continue;
        m = cJSON_GetObjectItemCaseSensitive(e, mode);
        if (!cJSON_IsObject(m))
            return cJSON_CreateNull();
        o = cJSON_CreateObject();
        for (k = 0; k < 4; k++)
            cJSON_AddNumberToObject(o, keys[k], num(m, keys[k], NULL));
        return o;
    }
    return cJSON_CreateNull();
}

static cJSON *targets_json(const struct campaign *cp, const cJSON *cov)
{
    cJSON *arr = cJSON_CreateArray();
    size_t i, k, mi;

    for (i = 0; i < cp->n_targets; i++) {
        const struct manifest_target *t = cp->targets[i];
        cJSON *o = cJSON_CreateObject(), *modes;
        const char *src = t->source, *root = cp->m->source_dir;
        size_t sl = root != NULL ? strlen(root) : 0;

        /* relative to the repository root, as SARIF wants it; a whole
         * image has no source file (null) */
        if (src != NULL && sl > 0 && strncmp(src, root, sl) == 0 &&
            src[sl] == '/')
            src += sl + 1;
        cJSON_AddStringToObject(o, "name", t->name);
        cJSON_AddStringToObject(o, "component", t->component);
        if (src != NULL)
            cJSON_AddStringToObject(o, "source", src);
        else
            cJSON_AddNullToObject(o, "source");
        modes = cJSON_AddObjectToObject(o, "modes");
        for (mi = 0; mi < 2; mi++) {
            enum fw_mode mode = mi == 0 ? FW_MODE_NATIVE : FW_MODE_EMU;
            double execs = 0, secs = 0, nn, nk, nf;
            cJSON *mo = NULL, *g;
            char *dir = NULL;

            for (k = 0; k < cp->n_jobs; k++) {
                const struct campaign_job *j = &cp->jobs[k];

                if (j->target != t || j->mode != mode)
                    continue;
                if (mo == NULL) {
                    mo = cJSON_CreateObject();
                    dir = fs_join(j->out, "corpus");
                }
                execs += num(j->summary, "execs", NULL);
                secs += num(j->summary, "fuzz_time_s", NULL);
            }
            if (mo == NULL)
                continue;
            cJSON_AddNumberToObject(mo, "execs", execs);
            cJSON_AddNumberToObject(mo, "execs_per_sec",
                                    secs > 0 ? (double)(long)(execs / secs)
                                             : 0);
            cJSON_AddNumberToObject(mo, "corpus", (double)fs_count_files(dir));
            cJSON_AddItemToObject(
                mo, "coverage",
                mode_coverage(cov, t->name, fw_mode_name(mode)));
            count_groups(cp, t->name, fw_mode_name(mode), &nn, &nk, &nf);
            g = cJSON_AddObjectToObject(mo, "groups");
            cJSON_AddNumberToObject(g, "new", nn);
            cJSON_AddNumberToObject(g, "known", nk);
            cJSON_AddNumberToObject(g, "fixed", nf);
            cJSON_AddItemToObject(modes, fw_mode_name(mode), mo);
            free(dir);
        }
        {
            char *merged = fs_join(t->corpus, CORPUS_MERGED_DIR);

            cJSON_AddNumberToObject(o, "merged_corpus",
                                    (double)fs_count_files(merged));
            free(merged);
        }
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

int campaign_exit_code(const struct campaign *cp)
{
    const cJSON *g;
    size_t i;
    int findings = 0, failed = 0;

    if (cp->interrupted)
        return FW_EXIT_INTERRUPTED;
    cJSON_ArrayForEach(g, cp->groups)
    {
        if (str_is(g, "state", "new") || str_is(g, "state", "reopened"))
            return FW_EXIT_FINDINGS;
    }
    for (i = 0; i < cp->n_jobs; i++) {
        const struct campaign_job *j = &cp->jobs[i];

        findings |= j->exit_code == FW_EXIT_FINDINGS;
        if (j->state == CJ_DONE && j->error != NULL &&
            (failed == 0 || j->exit_code == FW_EXIT_IO))
            failed =
                j->exit_code == FW_EXIT_IO || j->exit_code == FW_EXIT_CONFIG
                    ? j->exit_code
                    : FW_EXIT_ENGINE;
    }
    /* findings that triage could not look at may be new */
    if (findings && cp->triage_failed)
        return FW_EXIT_FINDINGS;
    if (failed != 0)
        return failed;
    return cp->errors.n > 0 ? FW_EXIT_ENGINE : FW_EXIT_OK;
}

static const char *result_name(int rc)
{
    switch (rc) {
    case FW_EXIT_OK:
        return "clean";
    case FW_EXIT_FINDINGS:
        return "new";
    case FW_EXIT_INTERRUPTED:
        return "interrupted";
    default:
        return "error";
    }
}

/* The source tree's revision (git), or NULL. */
static char *revision(const struct campaign *cp)
{
    char *argv[] = {"git",     "-C", cp->m->source_dir, "describe", "--always",
                    "--dirty", NULL};
    char *out = NULL;
    int status = 0;

    if (cp->m->source_dir == NULL)
        return NULL;
    if (proc_run(argv, NULL, NULL, 10, &out, 128, &status) != 0 ||
        !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(out);
        return NULL;
    }
    out[strcspn(out, "\r\n")] = '\0';
    return out;
}

static cJSON *load_json(const char *path)
{
    char *text = NULL;
    size_t len;
    cJSON *o = NULL;

    if (fs_read_file(path, 256u << 20, &text, &len) == 0)
        o = cJSON_Parse(text);
    free(text);
    return o;
}

static void totals(const struct campaign *cp, cJSON *o)
{
    double execs = 0, findings = 0, runs = 0, errors = 0, nn = 0, nk = 0,
           nf = 0, a, b, c;
    size_t i;

    for (i = 0; i < cp->n_jobs; i++) {
        execs += num(cp->jobs[i].summary, "execs", NULL);
        findings += cJSON_GetArraySize(
            cJSON_GetObjectItemCaseSensitive(cp->jobs[i].summary, "findings"));
        runs += cp->jobs[i].state == CJ_DONE;
        errors += cp->jobs[i].error != NULL;
    }
    for (i = 0; i < cp->n_targets; i++) {
        count_groups(cp, cp->targets[i]->name, NULL, &a, &b, &c);
        nn += a;
        nk += b;
        nf += c;
    }
    cJSON_AddNumberToObject(o, "targets", (double)cp->n_targets);
    cJSON_AddNumberToObject(o, "runs", runs);
    cJSON_AddNumberToObject(o, "execs", execs);
    cJSON_AddNumberToObject(o, "findings", findings);
    cJSON_AddNumberToObject(o, "groups_new", nn);
    cJSON_AddNumberToObject(o, "groups_known", nk);
    cJSON_AddNumberToObject(o, "groups_fixed", nf);
    cJSON_AddNumberToObject(o, "errors", errors + (double)cp->errors.n);
}

static cJSON *summary_json(const struct campaign *cp, int rc, char *rev)
{
    cJSON *o = cJSON_CreateObject(), *runs = cJSON_CreateArray(), *cov;
    char *cov_path = fw_xasprintf("%s/coverage/coverage.json", cp->report_dir);
    size_t i;

    cov = cp->coverage_done ? load_json(cov_path) : NULL;
    cJSON_AddNumberToObject(o, "format", SUMMARY_CAMPAIGN_FORMAT);
    cJSON_AddStringToObject(o, "fwfuzz_version", FWFUZZ_VERSION);
    cJSON_AddStringToObject(o, "started", cp->started);
    cJSON_AddStringToObject(o, "finished", cp->finished);
    cJSON_AddNumberToObject(o, "elapsed_s",
                            (double)(long)((fw_now() - cp->t0) * 10) / 10);
    cJSON_AddNumberToObject(o, "budget_s", (double)cp->budget_s);
    cJSON_AddNumberToObject(o, "jobs", (double)cp->jobs_at_once);
    cJSON_AddNumberToObject(o, "exit_code", rc);
    cJSON_AddStringToObject(o, "result", result_name(rc));
    if (cp->m->source_dir != NULL)
        cJSON_AddStringToObject(o, "source_dir", cp->m->source_dir);
    else
        cJSON_AddNullToObject(o, "source_dir");
    if (rev != NULL)
        cJSON_AddStringToObject(o, "revision", rev);
    else
        cJSON_AddNullToObject(o, "revision");
    cJSON_AddStringToObject(o, "report_dir", cp->report_dir);
    cJSON_AddStringToObject(o, "fuzz_dir", cp->out);
    for (i = 0; i < cp->n_jobs; i++)
        cJSON_AddItemToArray(runs, run_json(&cp->jobs[i]));
    cJSON_AddItemToObject(o, "runs", runs);
    cJSON_AddItemToObject(o, "targets", targets_json(cp, cov));
    cJSON_AddItemToObject(o, "groups", cJSON_Duplicate(cp->groups, 1));
    if (cov != NULL) {
        cJSON *c = cJSON_AddObjectToObject(o, "coverage");

        cJSON_AddStringToObject(c, "dir", "coverage");
        cJSON_AddStringToObject(c, "json", "coverage/coverage.json");
        cJSON_AddStringToObject(c, "html", "coverage/html/native/index.html");
        cJSON_AddStringToObject(c, "html_emu", "coverage/html/emu/index.html");
    } else {
        cJSON_AddNullToObject(o, "coverage");
    }
    totals(cp, cJSON_AddObjectToObject(o, "totals"));
    cJSON_AddItemToObject(o, "errors", strvec_json(&cp->errors));
    cJSON_Delete(cov);
    free(cov_path);
    return o;
}

/* reports/latest -> <stamp>, replaced atomically. */
static int point_latest(const struct campaign *cp)
{
    char *tmp = fw_xasprintf("%s/.latest.%ld", cp->reports, (long)getpid());
    char *latest = fs_join(cp->reports, "latest");
    int rc;

    unlink(tmp);
    rc = symlink(cp->stamp, tmp) == 0 && rename(tmp, latest) == 0 ? 0 : -1;
    if (rc != 0) {
        fw_msg("run: cannot point %s at %s: %s", latest, cp->stamp,
               strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    free(latest);
    return rc;
}

/* One line per campaign in reports/history.jsonl, appended whole. */
static int append_history(const struct campaign *cp, const cJSON *summary)
{
    static const char *const keys[] = {
        "started",   "finished", "elapsed_s", "budget_s",   "jobs",
        "exit_code", "result",   "revision",  "report_dir", "totals"};
    cJSON *o = cJSON_CreateObject();
    char *path = fs_join(cp->reports, "history.jsonl"), *text, *line;
    size_t k;
    ssize_t w;
    int fd, rc = -1;

    for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(summary, keys[k]);

        if (v != NULL)
            cJSON_AddItemToObject(o, keys[k], cJSON_Duplicate(v, 1));
    }
    text = cJSON_PrintUnformatted(o);
    line = fw_xasprintf("%s\n", text);
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        w = write(fd, line, strlen(line));
        rc = w == (ssize_t)strlen(line) && fsync(fd) == 0 ? 0 : -1;
        close(fd);
    }
    if (rc != 0)
        fw_msg("run: cannot append to %s: %s", path, strerror(errno));
    cJSON_Delete(o);
    free(text);
    free(line);
    free(path);
    return rc;
}

int campaign_report(struct campaign *cp)
{
    char *path = fs_join(cp->report_dir, "summary.json");
    char *rev = revision(cp);
    int rc = campaign_exit_code(cp), io = 0;
    cJSON *s;

    fw_utc_stamp(cp->finished, sizeof(cp->finished), 1);
    s = summary_json(cp, rc, rev);
    if (summary_write(path, s) != 0) {
        fw_msg("run: cannot write %s: %s", path, strerror(errno));
        io = 1;
    } else if (report_write_all(cp->report_dir) != 0) {
        io = 1;
    }
    if (!io)
        report_print_final(stdout, s, cp->report_dir);
    io |= point_latest(cp) != 0;
    io |= append_history(cp, s) != 0;
    cJSON_Delete(s);
    free(path);
    free(rev);
    if (io && rc != FW_EXIT_INTERRUPTED && rc != FW_EXIT_FINDINGS)
        rc = FW_EXIT_IO;
    return rc;
}
