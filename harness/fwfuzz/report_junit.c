/* junit.xml: one test suite per target, one test case per target and mode
 * (what CI test tabs show; GitLab reads testsuite@name, testcase@classname,
 * name, file, time and failure, error, skipped, system-out). */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xmlesc.h"

/* What one test case says. */
struct unit_verdict {
    size_t news; /* new or reopened groups in this mode */
    int error;   /* a run failed */
    int skipped; /* every run skipped (or none ran) */
    struct report_runs runs;
};

static void verdict(const cJSON *s, const struct report_unit *u,
                    struct unit_verdict *v)
{
    const cJSON *g;

    memset(v, 0, sizeof(*v));
    report_runs_of(s, u->target, u->mode, &v->runs);
    cJSON_ArrayForEach(g, report_arr(s, "groups"))
    {
        v->news +=
            report_group_new(g) && report_group_in(g, u->target, u->mode);
    }
    v->error = v->runs.errors > 0;
    v->skipped =
        v->news == 0 && !v->error &&
        (v->runs.n == 0 || v->runs.skipped + v->runs.not_run == v->runs.n);
}

/* "class ACCESS in function at file:line": the group's one-line name. */
static void put_group(FILE *f, const cJSON *g)
{
    double line;

    xmlesc_put(f, report_str_or(g, "class", "crash"));
    if (report_str(g, "access") != NULL && report_str(g, "access")[0] != '\0') {
        fputs(" ", f);
        xmlesc_put(f, report_str(g, "access"));
    }
    if (report_str(g, "function") != NULL &&
        report_str(g, "function")[0] != '\0') {
        fputs(" in ", f);
        xmlesc_put(f, report_str(g, "function"));
    }
    if (report_str(g, "file") != NULL && report_str(g, "file")[0] != '\0') {
        fputs(" at ", f);
        xmlesc_put(f, report_str(g, "file"));
        if (report_num(g, "line", &line) && line > 0 && line < 1e9)
            fprintf(f, ":%.0f", line);
    }
}

static void put_failure(FILE *f, const cJSON *s, const struct report_unit *u,
                        size_t news)
{
    const cJSON *g, *first = NULL;

    cJSON_ArrayForEach(g, report_arr(s, "groups"))
    {
        if (report_group_new(g) && report_group_in(g, u->target, u->mode)) {
            first = g;
            break;
        }
    }
    fprintf(f, "      <failure type=\"");
    xmlesc_put(f, report_str_or(first, "class", "crash"));
    fprintf(f, "\" message=\"%zu new crash group%s: ", news,
            news == 1 ? "" : "s");
    put_group(f, first);
    if (report_str(first, "reproducer") != NULL) {
        fputs("; reproduce: ", f);
        xmlesc_put(f, report_str(first, "reproducer"));
    }
    fputs("\">", f);
    cJSON_ArrayForEach(g, report_arr(s, "groups"))
    {
        if (!report_group_new(g) || !report_group_in(g, u->target, u->mode))
            continue;
        xmlesc_put(f, report_str_or(g, "id", "?"));
        fputs(" (", f);
        xmlesc_put(f, report_str_or(g, "state", "new"));
        fputs(", ", f);
        xmlesc_put(f, report_str_or(g, "severity", "?"));
        fputs("): ", f);
        put_group(f, g);
        fputs("\n", f);
        if (report_str(g, "message") != NULL) {
            fputs("  ", f);
            xmlesc_put(f, report_str(g, "message"));
            fputs("\n", f);
        }
        if (report_str(g, "reproducer") != NULL) {
            fputs("  reproduce: ", f);
            xmlesc_put(f, report_str(g, "reproducer"));
            fputs("\n", f);
        }
    }
    fputs("</failure>\n", f);
}

static void put_cov(FILE *f, const cJSON *cov, const char *what)
{
    char k[32], n[32], a[64], b[64];
    double have, total;

    snprintf(k, sizeof(k), "%s_covered", what);
    snprintf(n, sizeof(n), "%s_total", what);
    if (!report_num(cov, k, &have) || !report_num(cov, n, &total))
        return;
    report_fmt_count(a, sizeof(a), 1, have);
    report_fmt_count(b, sizeof(b), 1, total);
    fprintf(f, ", %s %s/%s", what, a, b);
    if (total > 0)
        fprintf(f, " (%.1f%%)", 100.0 * have / total);
}

static void put_system_out(FILE *f, const struct report_unit *u,
                           const struct unit_verdict *v)
{
    const cJSON *groups = report_obj(u->stat, "groups");
    const cJSON *cov = report_obj(u->stat, "coverage");
    char buf[64];
    double x;
    int have;

    fputs("      <system-out>", f);
    have = report_num(u->stat, "execs", &x);
    if (!have && v->runs.n > 0) {
        x = v->runs.execs;
        have = 1;
    }
    report_fmt_count(buf, sizeof(buf), have, x);
    fprintf(f, "execs: %s\n", buf);
    have = report_num(u->stat, "execs_per_sec", &x);
    if (have)
        fprintf(f, "exec/s: %.1f\n", x);
    else
        fputs("exec/s: -\n", f);
    fputs("coverage: ", f);
    if (cov == NULL) {
        fputs("-", f);
    } else {
        fputs("measured", f);
        put_cov(f, cov, "lines");
        put_cov(f, cov, "functions");
    }
    have = report_num(u->stat, "corpus", &x);
    report_fmt_count(buf, sizeof(buf), have, x);
    fprintf(f, "\ncorpus: %s\n", buf);
    report_num(groups, "new", &x);
    report_fmt_count(buf, sizeof(buf), 1, x);
    fprintf(f, "groups: %s new", buf);
    report_num(groups, "known", &x);
    report_fmt_count(buf, sizeof(buf), 1, x);
    fprintf(f, ", %s known", buf);
    report_num(groups, "fixed", &x);
    report_fmt_count(buf, sizeof(buf), 1, x);
    fprintf(f, ", %s fixed\n", buf);
    fprintf(f, "runs: %zu (%zu failed, %zu skipped), %.1f s of fuzzing\n",
            v->runs.n, v->runs.errors, v->runs.skipped, v->runs.fuzz_s);
    fputs("</system-out>\n", f);
}

static void put_case(FILE *f, const cJSON *s, const struct report_unit *u)
{
    struct unit_verdict v;
    const char *src = report_str(u->tgt, "source");

    verdict(s, u, &v);
    fputs("    <testcase classname=\"fwfuzz.", f);
    xmlesc_put(f, u->target);
    fputs("\" name=\"", f);
    xmlesc_put(f, u->mode);
    fputs("\"", f);
    if (src != NULL) {
        fputs(" file=\"", f);
        xmlesc_put(f, src);
        fputs("\"", f);
    }
    fprintf(f, " time=\"%.3f\">\n", v.runs.fuzz_s);
    if (v.news > 0) {
        put_failure(f, s, u, v.news);
    } else if (v.error) {
        fputs("      <error type=\"run\" message=\"", f);
        xmlesc_put(f, v.runs.first_error);
        fprintf(f, "\">%zu of %zu runs failed</error>\n", v.runs.errors,
                v.runs.n);
    } else if (v.skipped) {
        fputs("      <skipped message=\"", f);
        xmlesc_put(f, v.runs.first_skipped != NULL ? v.runs.first_skipped
                                                   : "not run");
        fputs("\"/>\n", f);
    }
    put_system_out(f, u, &v);
    if (v.news > 0 && v.error) {
        /* the failure took the test case's one verdict */
        fputs("      <system-err>run failed: ", f);
        xmlesc_put(f, v.runs.first_error);
        fputs("</system-err>\n", f);
    }
    fputs("    </testcase>\n", f);
}

int report_junit(FILE *f, const struct report_in *in)
{
    const cJSON *s = in->summary;
    struct report_unit *units = NULL;
    size_t n = report_units(s, &units), i, k;
    size_t tests = n, fails = 0, errors = 0, skips = 0;
    double time = 0;
    const char *started = report_str(s, "started");

    for (i = 0; i < n; i++) {
        struct unit_verdict v;

        verdict(s, &units[i], &v);
        fails += v.news > 0;
        errors += v.news == 0 && v.error;
        skips += v.news == 0 && !v.error && v.skipped;
        time += v.runs.fuzz_s;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f,
            "<testsuites name=\"fwfuzz\" tests=\"%zu\" failures=\"%zu\" "
            "errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
            tests, fails, errors, skips, time);
    for (i = 0; i < n; i++) {
        size_t t_tests = 0, t_fails = 0, t_err = 0, t_skip = 0;
        double t_time = 0;

        /* a suite per target, at its first unit */
        for (k = 0; k < i; k++)
            if (strcmp(units[k].target, units[i].target) == 0)
                break;
        if (k < i)
            continue;
        for (k = i; k < n; k++) {
            struct unit_verdict v;

            if (strcmp(units[k].target, units[i].target) != 0)
                continue;
            verdict(s, &units[k], &v);
            t_tests++;
            t_fails += v.news > 0;
            t_err += v.news == 0 && v.error;
            t_skip += v.news == 0 && !v.error && v.skipped;
            t_time += v.runs.fuzz_s;
        }
        fputs("  <testsuite name=\"", f);
        xmlesc_put(f, units[i].target);
        fprintf(f,
                "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                "skipped=\"%zu\" time=\"%.3f\"",
                t_tests, t_fails, t_err, t_skip, t_time);
        if (started != NULL) {
            fputs(" timestamp=\"", f);
            xmlesc_put(f, started);
            fputs("\"", f);
        }
        fputs(">\n", f);
        for (k = i; k < n; k++)
            if (strcmp(units[k].target, units[i].target) == 0)
                put_case(f, s, &units[k]);
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    free(units);
    return ferror(f) ? -1 : 0;
}
