/* Reading the campaign summary for the report writers, and writing the
 * report files (report_write_all). */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "fsutil.h"
#include "util.h"

const char *report_str(const cJSON *o, const char *key)
{
    const cJSON *v;

    /* cJSON's lookup on an array would return its first element */
    if (!cJSON_IsObject(o))
        return NULL;
    v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring != NULL ? v->valuestring : NULL;
}

const char *report_str_or(const cJSON *o, const char *key, const char *dflt)
{
    const char *s = report_str(o, key);

    return s != NULL ? s : dflt;
}

int report_num(const cJSON *o, const char *key, double *v)
{
    const cJSON *j;

    *v = 0;
    if (!cJSON_IsObject(o))
        return 0;
    j = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble))
        return 0;
    *v = j->valuedouble;
    return 1;
}

const cJSON *report_arr(const cJSON *o, const char *key)
{
    const cJSON *j;

    if (!cJSON_IsObject(o))
        return NULL;
    j = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsArray(j) ? j : NULL;
}

const cJSON *report_obj(const cJSON *o, const char *key)
{
    const cJSON *j;

    if (!cJSON_IsObject(o))
        return NULL;
    j = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsObject(j) ? j : NULL;
}

int report_has_str(const cJSON *arr, const char *s)
{
    const cJSON *e;

    if (!cJSON_IsArray(arr) || s == NULL)
        return 0;
    cJSON_ArrayForEach(e, arr)
    {
        if (cJSON_IsString(e) && e->valuestring != NULL &&
            strcmp(e->valuestring, s) == 0)
            return 1;
    }
    return 0;
}

void report_fmt_count(char *buf, size_t n, int have, double v)
{
    if (!have)
        snprintf(buf, n, "-");
    else if (v >= 0 && v < 1e15)
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%g", v);
}

static int state_is(const cJSON *g, const char *a, const char *b)
{
    const char *s = report_str(g, "state");

    return s != NULL && (strcmp(s, a) == 0 || (b && strcmp(s, b) == 0));
}

int report_group_open(const cJSON *g)
{
    const char *status = report_str(g, "status");

    if (status != NULL && strcmp(status, "fixed") == 0)
        return 0;
    return state_is(g, "new", "known") || state_is(g, "reopened", "open");
}

int report_group_new(const cJSON *g)
{
    return state_is(g, "new", "reopened");
}

int report_group_in(const cJSON *g, const char *target, const char *mode)
{
    const char *t = report_str(g, "target");
    const cJSON *modes = report_arr(g, "modes");
    const cJSON *e;
    int strings = 0;

    if (t == NULL || target == NULL || strcmp(t, target) != 0)
        return 0;
    cJSON_ArrayForEach(e, modes)
    {
        strings += cJSON_IsString(e);
    }
    return strings == 0 || report_has_str(modes, mode);
}

static void add_unit(struct report_unit **v, size_t *n, size_t *cap,
                     const char *target, const char *mode, const cJSON *tgt,
                     const cJSON *stat)
{
    size_t i;

    for (i = 0; i < *n; i++)
        if (strcmp((*v)[i].target, target) == 0 &&
            strcmp((*v)[i].mode, mode) == 0)
            return;
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        *v = fw_xrealloc(*v, *cap * sizeof(**v));
    }
    (*v)[*n].target = target;
    (*v)[*n].mode = mode;
    (*v)[*n].tgt = tgt;
    (*v)[*n].stat = stat;
    (*n)++;
}

size_t report_units(const cJSON *summary, struct report_unit **out)
{
    struct report_unit *v = NULL;
    size_t n = 0, cap = 0;
    const cJSON *t, *r, *m;

    cJSON_ArrayForEach(t, report_arr(summary, "targets"))
    {
        const char *name = report_str(t, "name");
        const cJSON *modes = report_obj(t, "modes");

        if (name == NULL)
            continue;
        cJSON_ArrayForEach(m, modes)
        {
            if (m->string != NULL)
                add_unit(&v, &n, &cap, name, m->string, t,
                         cJSON_IsObject(m) ? m : NULL);
        }
    }
    cJSON_ArrayForEach(r, report_arr(summary, "runs"))
    {
        const char *name = report_str(r, "target");
        const char *mode = report_str_or(r, "mode", "native");
        const cJSON *tgt = NULL;

        if (name == NULL)
            continue;
        cJSON_ArrayForEach(t, report_arr(summary, "targets"))
        {
            const char *tn = report_str(t, "name");

            if (tn != NULL && strcmp(tn, name) == 0) {
                tgt = t;
                break;
            }
        }
        add_unit(&v, &n, &cap, name, mode, tgt, NULL);
    }
    *out = v;
    return n;
}

void report_runs_of(const cJSON *summary, const char *target, const char *mode,
                    struct report_runs *rs)
{
    const cJSON *r;

    memset(rs, 0, sizeof(*rs));
    cJSON_ArrayForEach(r, report_arr(summary, "runs"))
    {
        const char *t = report_str(r, "target");
        const char *m = report_str_or(r, "mode", "native");
        const char *result = report_str_or(r, "result", "");
        double v;

        if (t == NULL || strcmp(t, target) != 0 || strcmp(m, mode) != 0)
            continue;
        rs->n++;
        if (report_num(r, "fuzz_seconds", &v) && v > 0)
            rs->fuzz_s += v;
        if (report_num(r, "execs", &v) && v > 0)
            rs->execs += v;
        if (strcmp(result, "error") == 0) {
            rs->errors++;
            if (rs->first_error == NULL)
                rs->first_error = report_str_or(r, "error", "the run failed");
        } else if (strcmp(result, "skipped") == 0) {
            rs->skipped++;
            if (rs->first_skipped == NULL)
                rs->first_skipped = report_str_or(r, "skipped", "skipped");
        } else if (strcmp(result, "not-run") == 0) {
            rs->not_run++;
        }
    }
}

int report_relative_ok(const char *p)
{
    const char *s;

    if (p == NULL || p[0] == '\0' || p[0] == '/')
        return 0;
    for (s = p; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == ':' || *s == '\\')
            return 0;
    /* ".." as a whole component: the start, after a '/', up to '/' or end */
    for (s = p; (s = strstr(s, "..")) != NULL; s += 2)
        if ((s == p || s[-1] == '/') && (s[2] == '\0' || s[2] == '/'))
            return 0;
    return 1;
}

const char *report_security_severity(const char *cls, const char *access,
                                     const char *severity)
{
    /* CASR's classes: PC control 9.0, writes and use-after-free 8.0,
     * reads 6.0, NULL, stack exhaustion, aborts, hangs, OOM 3.0; secure
     * boot defeated (a tampered image accepted, a glitch) is critical for
     * us; the other oracles' classes score by their severity */
    static const struct {
        const char *cls;
        const char *score;
    } scores[] = {
        {"tampered-image-accepted", "9.0"},
        {"glitch-bypass", "9.0"},
        {"exec-outside", "9.0"},
        {"use-after-free", "8.0"},
        {"double-free", "8.0"},
        {"bad-free", "8.0"},
        {"stack-use-after-return", "8.0"},
        {"stack-use-after-scope", "8.0"},
        {"heap-buffer-overflow", "6.0"},
        {"stack-buffer-overflow", "6.0"},
        {"global-buffer-overflow", "6.0"},
        {"segv", "6.0"},
        {"index-out-of-bounds", "6.0"},
        {"pointer-overflow", "6.0"},
        {"signed-integer-overflow", "6.0"},
        {"unsigned-integer-overflow", "6.0"},
        {"invalid-insn", "6.0"},
        {"hardfault", "6.0"},
        {"null-deref", "3.0"},
        {"stack-overflow", "3.0"},
        {"timeout", "3.0"},
        {"oom", "3.0"},
        {"leak", "3.0"},
        {"abort", "3.0"},
        {"bkpt", "3.0"},
    };
    size_t i;

    if (access != NULL && strcmp(access, "EXEC") == 0)
        return "9.0";
    for (i = 0; cls != NULL && i < sizeof(scores) / sizeof(scores[0]); i++) {
        if (strcmp(scores[i].cls, cls) != 0)
            continue;
        if (strcmp(scores[i].score, "6.0") == 0 && access != NULL &&
            strcmp(access, "WRITE") == 0)
            return "8.0";
        return scores[i].score;
    }
    if (severity != NULL && strcmp(severity, "critical") == 0)
        return "9.0";
    if (severity != NULL && strcmp(severity, "high") == 0)
        return "8.0";
    if (severity != NULL && strcmp(severity, "low") == 0)
        return "3.0";
    return "6.0";
}

int report_parse(struct report_in *in, const char *summary, size_t len,
                 const char *coverage, size_t cov_len, char *why, size_t n)
{
    double format;

    memset(in, 0, sizeof(*in));
    in->summary = cJSON_ParseWithLength(summary, len);
    if (!cJSON_IsObject(in->summary)) {
        snprintf(why, n, "not a JSON object");
        report_in_free(in);
        return -1;
    }
    if (cJSON_GetObjectItemCaseSensitive(in->summary, "format") != NULL &&
        (!report_num(in->summary, "format", &format) ||
         format != REPORT_FORMAT)) {
        snprintf(why, n, "\"format\" is not %d (this fwfuzz reads format %d)",
                 REPORT_FORMAT, REPORT_FORMAT);
        report_in_free(in);
        return -1;
    }
    if (coverage != NULL) {
        in->coverage = cJSON_ParseWithLength(coverage, cov_len);
        if (!cJSON_IsObject(in->coverage)) {
            cJSON_Delete(in->coverage);
            in->coverage = NULL;
            in->coverage_error = fw_xstrdup("coverage.json is not a JSON "
                                            "object");
        }
    }
    return 0;
}

void report_in_free(struct report_in *in)
{
    cJSON_Delete(in->summary);
    cJSON_Delete(in->coverage);
    free(in->coverage_error);
    memset(in, 0, sizeof(*in));
}

/* Renders one file in memory and writes it atomically. */
static int write_one(const char *dir, const char *name,
                     int (*writer)(FILE *, const struct report_in *),
                     const struct report_in *in)
{
    char *buf = NULL, *path;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc = -1, werr;

    if (f == NULL) {
        fw_msg("report: cannot render %s: %s", name, strerror(errno));
        return -1;
    }
    werr = writer(f, in);
    if (fclose(f) != 0 || werr != 0) {
        fw_msg("report: cannot render %s (out of memory?)", name);
        free(buf);
        return -1;
    }
    path = fs_join(dir, name);
    if (fs_write_atomic(path, buf, len) != 0)
        fw_msg("report: cannot write %s: %s", path, strerror(errno));
    else
        rc = 0;
    free(path);
    free(buf);
    return rc;
}

int report_write_all(const char *dir)
{
    char *spath = fs_join(dir, "summary.json");
    char *cpath = fs_join(dir, "coverage/coverage.json");
    char *stext = NULL, *ctext = NULL, why[256];
    size_t slen = 0, clen = 0;
    struct report_in in;
    int rc = FW_EXIT_OK, cov_errno = 0;

    if (fs_read_file(spath, FS_MAX_READ, &stext, &slen) != 0) {
        fw_msg("report: cannot read %s: %s", spath, strerror(errno));
        rc = FW_EXIT_CONFIG;
        goto out;
    }
    if (fs_read_file(cpath, FS_MAX_READ, &ctext, &clen) != 0) {
        cov_errno = errno;
        ctext = NULL;
    }
    if (report_parse(&in, stext, slen, ctext, clen, why, sizeof(why)) != 0) {
        fw_msg("report: %s: %s", spath, why);
        rc = FW_EXIT_CONFIG;
        goto out;
    }
    if (cov_errno != 0 && cov_errno != ENOENT)
        in.coverage_error = fw_xasprintf(
            "cannot read coverage/coverage.json: %s", strerror(cov_errno));
    if (write_one(dir, "junit.xml", report_junit, &in) != 0)
        rc = FW_EXIT_IO;
    if (write_one(dir, "results.sarif", report_sarif, &in) != 0)
        rc = FW_EXIT_IO;
    if (write_one(dir, "index.html", report_html, &in) != 0)
        rc = FW_EXIT_IO;
    report_in_free(&in);
out:
    free(stext);
    free(ctext);
    free(spath);
    free(cpath);
    return rc;
}

/* s with control characters as '?'. */
static void put_plain(FILE *f, const char *s)
{
    for (; s != NULL && *s != '\0'; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

/* The distinct strings of a member of each element of arr, joined. */
static void put_distinct(FILE *f, const cJSON *arr, const char *key)
{
    const cJSON *e, *p;
    int first = 1;

    cJSON_ArrayForEach(e, arr)
    {
        const char *s = report_str(e, key);
        int seen = 0;

        if (s == NULL)
            continue;
        for (p = arr->child; p != e && !seen; p = p->next) {
            const char *q = report_str(p, key);
            seen = q != NULL && strcmp(q, s) == 0;
        }
        if (seen)
            continue;
        fputs(first ? "" : ", ", f);
        put_plain(f, s);
        first = 0;
    }
    if (first)
        fputs("-", f);
}

void report_print_final(FILE *f, const cJSON *summary, const char *dir)
{
    const cJSON *totals = report_obj(summary, "totals");
    const cJSON *runs = report_arr(summary, "runs"), *g;
    double targets = 0, execs = 0, elapsed = 0, news = 0, known = 0, fixed = 0,
           errors = 0;
    char a[64], b[64];
    const char *first = NULL;

    if (!report_num(totals, "targets", &targets))
        targets = (double)cJSON_GetArraySize(report_arr(summary, "targets"));
    report_num(totals, "execs", &execs);
    report_num(summary, "elapsed_s", &elapsed);
    report_num(totals, "groups_new", &news);
    report_num(totals, "groups_known", &known);
    report_num(totals, "groups_fixed", &fixed);
    report_num(totals, "errors", &errors);
    report_fmt_count(a, sizeof(a), 1, targets);
    report_fmt_count(b, sizeof(b), 1, execs);
    fprintf(f, "fuzzed: %s target%s (modes ", a, targets == 1 ? "" : "s");
    put_distinct(f, runs, "mode");
    fputs("; engines ", f);
    put_distinct(f, runs, "engine");
    fprintf(f, "), %s executions in %.0f s\n", b, elapsed);
    report_fmt_count(a, sizeof(a), 1, news);
    fprintf(f, "found: %s new", a);
    report_fmt_count(a, sizeof(a), 1, known);
    fprintf(f, " / %s known", a);
    report_fmt_count(a, sizeof(a), 1, fixed);
    fprintf(f, " / %s fixed crash groups", a);
    if (errors > 0) {
        report_fmt_count(a, sizeof(a), 1, errors);
        fprintf(f, "; %s error%s", a, errors == 1 ? "" : "s");
    }
    fputs("\nreport: ", f);
    put_plain(f, dir);
    fputs("/index.html\n", f);
    cJSON_ArrayForEach(g, report_arr(summary, "groups"))
    {
        if (report_group_new(g) && report_str(g, "reproducer") != NULL) {
            first = report_str(g, "reproducer");
            break;
        }
    }
    if (first != NULL) {
        fputs("to look at the first new crash: ", f);
        put_plain(f, first);
        fputs("\n", f);
    }
}
