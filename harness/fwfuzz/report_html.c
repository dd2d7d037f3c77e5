/* index.html: the campaign report for an auditor, one self-contained page
 * (inline CSS, no script, no external resource). */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xmlesc.h"

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;"
    "border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;"
    "vertical-align:top}"
    "th{background:#f0f0f0}td.n{text-align:right}"
    "code{font:12px monospace;background:#f6f6f6;word-break:break-all}"
    "dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}"
    "dt{font-weight:bold}dd{margin:0}"
    ".new,.reopened{background:#fdd}.error{background:#fdd}"
    ".fixed{color:#777}.skip{color:#777}"
    ".fwmiss{background:#ffe7b3}.emuonly{background:#d7ecff}"
    ".never{background:#eee;color:#666}"
    ".result-new{color:#b00}.result-clean{color:#070}";

/* Escaped text, "-" for NULL. */
static void h(FILE *f, const char *s)
{
    xmlesc_put(f, s != NULL ? s : "-");
}

static void td(FILE *f, const char *s)
{
    fputs("<td>", f);
    h(f, s);
    fputs("</td>", f);
}

static void td_count(FILE *f, int have, double v)
{
    char buf[64];

    report_fmt_count(buf, sizeof(buf), have, v);
    fprintf(f, "<td class=\"n\">%s</td>", buf);
}

static void td_pct(FILE *f, const cJSON *cov, const char *what)
{
    char k[32], n[32];
    double have, total;

    snprintf(k, sizeof(k), "%s_covered", what);
    snprintf(n, sizeof(n), "%s_total", what);
    if (!report_num(cov, k, &have) || !report_num(cov, n, &total) ||
        total <= 0) {
        fputs("<td class=\"n\">-</td>", f);
        return;
    }
    fprintf(f, "<td class=\"n\">%.1f%% <small>(%.0f/%.0f)</small></td>",
            100.0 * have / total, have, total);
}

/* A link to a file of the report folder, or the plain text when the path
 * could lead elsewhere (absolute, a scheme such as javascript:, ".."). */
static void link(FILE *f, const char *prefix, const char *path,
                 const char *text)
{
    if (!report_relative_ok(path) ||
        (prefix != NULL && !report_relative_ok(prefix))) {
        h(f, text);
        return;
    }
    fputs("<a href=\"", f);
    if (prefix != NULL) {
        h(f, prefix);
        fputs("/", f);
    }
    h(f, path);
    fputs("\">", f);
    h(f, text);
    fputs("</a>", f);
}

static void header(FILE *f, const cJSON *s)
{
    const char *result = report_str(s, "result");
    double v;

    fputs("<h1>fwfuzz campaign report</h1>\n<dl>\n", f);
    fputs("<dt>Started</dt><dd>", f);
    h(f, report_str(s, "started"));
    fputs("</dd>\n<dt>Finished</dt><dd>", f);
    h(f, report_str(s, "finished"));
    fputs("</dd>\n<dt>Budget</dt><dd>", f);
    if (report_num(s, "budget_s", &v))
        fprintf(f, "%.0f s", v);
    else
        fputs("-", f);
    fputs("</dd>\n<dt>Elapsed</dt><dd>", f);
    if (report_num(s, "elapsed_s", &v))
        fprintf(f, "%.1f s", v);
    else
        fputs("-", f);
    fputs("</dd>\n<dt>Jobs</dt><dd>", f);
    if (report_num(s, "jobs", &v))
        fprintf(f, "%.0f", v);
    else
        fputs("-", f);
    fputs("</dd>\n<dt>Revision</dt><dd><code>", f);
    h(f, report_str(s, "revision"));
    fputs("</code></dd>\n<dt>Source</dt><dd><code>", f);
    h(f, report_str(s, "source_dir"));
    fputs("</code></dd>\n<dt>Result</dt><dd id=\"result\" class=\"result-", f);
    h(f, result);
    fputs("\">", f);
    h(f, result);
    fputs("</dd>\n<dt>Exit code</dt><dd id=\"exit-code\">", f);
    if (report_num(s, "exit_code", &v))
        fprintf(f, "%.0f", v);
    else
        fputs("-", f);
    fputs("</dd>\n<dt>fwfuzz</dt><dd>", f);
    h(f, report_str(s, "fwfuzz_version"));
    fputs("</dd>\n</dl>\n", f);
}

/* The distinct engines of one target and mode's runs. */
static void engines_of(FILE *f, const cJSON *s, const struct report_unit *u)
{
    const cJSON *r;
    const char *seen[8];
    size_t n = 0, i;

    cJSON_ArrayForEach(r, report_arr(s, "runs"))
    {
        const char *t = report_str(r, "target");
        const char *m = report_str_or(r, "mode", "native");
        const char *e = report_str(r, "engine");

        if (t == NULL || e == NULL || strcmp(t, u->target) != 0 ||
            strcmp(m, u->mode) != 0)
            continue;
        for (i = 0; i < n; i++)
            if (strcmp(seen[i], e) == 0)
                break;
        if (i < n || n == sizeof(seen) / sizeof(seen[0]))
            continue;
        fputs(n > 0 ? ", " : "", f);
        h(f, e);
        seen[n++] = e;
    }
    if (n == 0)
        fputs("-", f);
}

static void fuzzed(FILE *f, const cJSON *s)
{
    struct report_unit *u = NULL;
    size_t n = report_units(s, &u), i;

    fputs("<h2 id=\"fuzzed\">What was fuzzed</h2>\n", f);
    if (n == 0) {
        fputs("<p>No target was fuzzed.</p>\n", f);
        free(u);
        return;
    }
    fputs("<table id=\"fuzzed-table\">\n<tr><th>Target</th><th>Component"
          "</th><th>Mode</th><th>Engines</th><th>Execs</th><th>Exec/s</th>"
          "<th>Lines</th><th>Functions</th><th>Corpus</th><th>New</th>"
          "<th>Known</th><th>Fixed</th><th>Runs</th></tr>\n",
          f);
    for (i = 0; i < n; i++) {
        const cJSON *cov = report_obj(u[i].stat, "coverage");
        const cJSON *groups = report_obj(u[i].stat, "groups");
        struct report_runs rs;
        double v, news = 0;
        int have;

        report_runs_of(s, u[i].target, u[i].mode, &rs);
        report_num(groups, "new", &news);
        fprintf(f, "<tr class=\"%s\">",
                news > 0        ? "new"
                : rs.errors > 0 ? "error"
                                : "");
        td(f, u[i].target);
        td(f, report_str(u[i].tgt, "component"));
        td(f, u[i].mode);
        fputs("<td>", f);
        engines_of(f, s, &u[i]);
        fputs("</td>", f);
        have = report_num(u[i].stat, "execs", &v);
        if (!have && rs.n > 0) {
            v = rs.execs;
            have = 1;
        }
        td_count(f, have, v);
        if (report_num(u[i].stat, "execs_per_sec", &v))
            fprintf(f, "<td class=\"n\">%.0f</td>", v);
        else
            fputs("<td class=\"n\">-</td>", f);
        td_pct(f, cov, "lines");
        td_pct(f, cov, "functions");
        have = report_num(u[i].stat, "corpus", &v);
        td_count(f, have, v);
        td_count(f, report_num(groups, "new", &v), v);
        td_count(f, report_num(groups, "known", &v), v);
        td_count(f, report_num(groups, "fixed", &v), v);
        fprintf(f, "<td>%zu", rs.n);
        if (rs.errors > 0) {
            fprintf(f, ", %zu failed: ", rs.errors);
            h(f, rs.first_error);
        }
        if (rs.skipped > 0) {
            fprintf(f, ", <span class=\"skip\">%zu skipped: ", rs.skipped);
            h(f, rs.first_skipped);
            fputs("</span>", f);
        }
        if (rs.not_run > 0)
            fprintf(f, ", %zu not run", rs.not_run);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
    free(u);
}

/* Order of the crash groups: new ones first, fixed ones last. */
static int state_rank(const cJSON *g)
{
    static const char *order[] = {"new", "reopened", "known", "open", "fixed"};
    const char *st = report_str(g, "state");
    int i;

    for (i = 0; st != NULL && i < 5; i++)
        if (strcmp(st, order[i]) == 0)
            return i;
    return 5;
}

static void strings(FILE *f, const cJSON *arr)
{
    const cJSON *e;
    int n = 0;

    cJSON_ArrayForEach(e, arr)
    {
        if (!cJSON_IsString(e))
            continue;
        fputs(n++ > 0 ? ", " : "", f);
        h(f, e->valuestring);
    }
    if (n == 0)
        fputs("-", f);
}

static void group_row(FILE *f, const cJSON *g)
{
    const char *st = report_str(g, "state");
    const char *access = report_str(g, "access");
    double v;

    fputs("<tr class=\"", f);
    h(f, st);
    fputs("\">", f);
    td(f, st);
    fputs("<td><code>", f);
    h(f, report_str(g, "id"));
    fputs("</code></td>", f);
    td(f, report_str(g, "target"));
    fputs("<td>", f);
    h(f, report_str(g, "class"));
    if (access != NULL && access[0] != '\0') {
        fputs(" ", f);
        h(f, access);
    }
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g, "flaky")))
        fputs(" <small>(flaky)</small>", f);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g, "kasan_only")))
        fputs(" <small>(KASan only)</small>", f);
    fputs("</td>", f);
    td(f, report_str(g, "severity"));
    if (report_num(g, "cwe", &v) && v > 0 && v < 100000)
        fprintf(f,
                "<td><a href=\"https://cwe.mitre.org/data/definitions/"
                "%d.html\">CWE-%d</a></td>",
                (int)v, (int)v);
    else
        fputs("<td>-</td>", f);
    fputs("<td><code>", f);
    h(f, report_str(g, "function"));
    fputs("</code></td><td><code>", f);
    h(f, report_str(g, "file"));
    if (report_num(g, "line", &v) && v > 0 && v < 1e9)
        fprintf(f, ":%.0f", v);
    fputs("</code></td><td>", f);
    strings(f, report_arr(g, "modes"));
    fputs("</td><td>", f);
    strings(f, report_arr(g, "engines"));
    fputs("</td>", f);
    td_count(f, report_num(g, "count", &v), v);
    td_count(f, report_num(g, "size", &v), v);
    fputs("<td>", f);
    if (report_str(g, "message") != NULL) {
        h(f, report_str(g, "message"));
        fputs("<br>", f);
    }
    fputs("<code class=\"repro\">", f);
    h(f, report_str(g, "reproducer"));
    fputs("</code></td></tr>\n", f);
}

static void crash_groups(FILE *f, const cJSON *s)
{
    const cJSON *g;
    int rank, n = 0;

    fputs("<h2 id=\"groups\">Crash groups</h2>\n", f);
    cJSON_ArrayForEach(g, report_arr(s, "groups"))
    {
        n += cJSON_IsObject(g);
    }
    if (n == 0) {
        fputs("<p>No crash groups.</p>\n", f);
        return;
    }
    fputs("<table id=\"groups-table\">\n<tr><th>State</th><th>Group</th>"
          "<th>Target</th><th>Class</th><th>Severity</th><th>CWE</th>"
          "<th>Function</th><th>Location</th><th>Modes</th><th>Engines</th>"
          "<th>Count</th><th>Size</th><th>Message and reproducer</th></tr>\n",
          f);
    for (rank = 0; rank <= 5; rank++)
        cJSON_ArrayForEach(g, report_arr(s, "groups"))
        {
            if (cJSON_IsObject(g) && state_rank(g) == rank)
                group_row(f, g);
        }
    fputs("</table>\n", f);
}

/* Covered lines of a per-mode coverage object: 1 some, 0 none, -1 no
 * data. */
static int reached(const cJSON *m)
{
    double v;

    if (!cJSON_IsObject(m) || !report_num(m, "lines_covered", &v))
        return -1;
    return v > 0;
}

static void td_lines(FILE *f, const cJSON *m)
{
    double c, t;

    if (!report_num(m, "lines_covered", &c) ||
        !report_num(m, "lines_total", &t))
        fputs("<td class=\"n\">-</td>", f);
    else
        fprintf(f, "<td class=\"n\">%.0f/%.0f</td>", c, t);
}

/* The verdict on one function, native against emulated. */
static const char *fn_verdict(int native, int emu, int has_emu,
                              const char **cls)
{
    *cls = "";
    if (native == 1 && emu == 1)
        return "reached in both";
    if (native == 1 && !has_emu)
        return "reached natively (no emulated build)";
    if (native == 1) {
        *cls = "fwmiss";
        return "never reached in the firmware build";
    }
    if (emu == 1) {
        *cls = "emuonly";
        return "reached only under emulation";
    }
    *cls = "never";
    return "never reached";
}

static void coverage_target(FILE *f, const cJSON *t)
{
    const cJSON *fn;
    int has_emu = cJSON_IsObject(report_obj(t, "emu"));
    size_t total = 0, fwmiss = 0, emuonly = 0, never = 0;

    cJSON_ArrayForEach(fn, report_arr(t, "functions"))
    {
        const char *cls;

        if (!cJSON_IsObject(fn))
            continue;
        fn_verdict(reached(report_obj(fn, "native")),
                   reached(report_obj(fn, "emu")), has_emu, &cls);
        total++;
        fwmiss += strcmp(cls, "fwmiss") == 0;
        emuonly += strcmp(cls, "emuonly") == 0;
        never += strcmp(cls, "never") == 0;
    }
    fputs("<details class=\"cov-target\"><summary>", f);
    h(f, report_str(t, "name"));
    fprintf(f,
            ": %zu functions, %zu never reached in the firmware build, "
            "%zu reached only under emulation, %zu never reached",
            total, fwmiss, emuonly, never);
    fputs("</summary>\n", f);
    if (total == 0) {
        fputs("<p>No per-function data.</p></details>\n", f);
        return;
    }
    fputs("<table class=\"functions\">\n<tr><th>Function</th><th>File</th>"
          "<th>Native lines</th><th>Emulated lines</th><th>Verdict</th>"
          "</tr>\n",
          f);
    cJSON_ArrayForEach(fn, report_arr(t, "functions"))
    {
        const char *cls, *verdict;
        double line;

        if (!cJSON_IsObject(fn))
            continue;
        verdict = fn_verdict(reached(report_obj(fn, "native")),
                             reached(report_obj(fn, "emu")), has_emu, &cls);
        fprintf(f, "<tr class=\"%s\"><td><code>", cls);
        h(f, report_str(fn, "name"));
        fputs("</code></td><td><code>", f);
        h(f, report_str(fn, "file"));
        if (report_num(fn, "line", &line) && line > 0 && line < 1e9)
            fprintf(f, ":%.0f", line);
        fputs("</code></td>", f);
        td_lines(f, report_obj(fn, "native"));
        td_lines(f, report_obj(fn, "emu"));
        fprintf(f, "<td>%s</td></tr>\n", verdict);
    }
    fputs("</table>\n</details>\n", f);
}

static void coverage(FILE *f, const struct report_in *in)
{
    const cJSON *sc = report_obj(in->summary, "coverage");
    const cJSON *c = in->coverage, *t;
    const char *dir = report_str_or(sc, "dir", "coverage");

    fputs("<h2 id=\"coverage\">Coverage</h2>\n", f);
    if (in->coverage_error != NULL) {
        fputs("<p class=\"error\">", f);
        h(f, in->coverage_error);
        fputs("</p>\n", f);
    }
    if (c == NULL) {
        fputs("<p>No coverage was measured in this campaign.</p>\n", f);
        return;
    }
    fputs("<p>Line-level pages (genhtml): ", f);
    link(f, NULL, report_str(sc, "html"), "native");
    fputs(", ", f);
    link(f, NULL, report_str(sc, "html_emu"), "emulated");
    fputs(".</p>\n", f);
    fputs("<table id=\"coverage-table\">\n<tr><th>Target</th><th>Component"
          "</th><th>Inputs</th><th>Native lines</th><th>Native functions</th>"
          "<th>Emulated lines</th><th>Emulated functions</th><th>Pages</th>"
          "</tr>\n",
          f);
    cJSON_ArrayForEach(t, report_arr(c, "targets"))
    {
        const cJSON *nat = report_obj(t, "native"), *emu = report_obj(t, "emu");
        double v;

        if (!cJSON_IsObject(t))
            continue;
        fputs("<tr>", f);
        td(f, report_str(t, "name"));
        td(f, report_str(t, "component"));
        td_count(f, report_num(t, "inputs", &v), v);
        td_pct(f, nat, "lines");
        td_pct(f, nat, "functions");
        td_pct(f, emu, "lines");
        td_pct(f, emu, "functions");
        fputs("<td>", f);
        link(f, dir, report_str(nat, "html"), "native");
        fputs(" ", f);
        link(f, dir, report_str(emu, "html"), "emulated");
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<p>Per function: <span class=\"fwmiss\">never reached "
          "in the firmware build</span> (reached natively: code compiled out "
          "for the MCU, or paths that depend on host behaviour), <span "
          "class=\"emuonly\">reached only under emulation</span>, <span "
          "class=\"never\">never reached</span>.</p>\n",
          f);
    cJSON_ArrayForEach(t, report_arr(c, "targets"))
    {
        if (cJSON_IsObject(t))
            coverage_target(f, t);
    }
}

static void errors(FILE *f, const cJSON *s, const cJSON *cov)
{
    const cJSON *e, *r;
    int n = 0;

    fputs("<h2 id=\"errors\">Errors</h2>\n<ul id=\"errors-list\">\n", f);
    cJSON_ArrayForEach(e, report_arr(s, "errors"))
    {
        if (!cJSON_IsString(e))
            continue;
        fputs("<li>", f);
        h(f, e->valuestring);
        fputs("</li>\n", f);
        n++;
    }
    cJSON_ArrayForEach(r, report_arr(s, "runs"))
    {
        const char *err = report_str(r, "error");

        if (err == NULL)
            continue;
        fputs("<li>", f);
        h(f, report_str(r, "target"));
        fputs(" (", f);
        h(f, report_str(r, "mode"));
        fputs(", ", f);
        h(f, report_str(r, "engine"));
        fputs("): ", f);
        h(f, err);
        fputs("</li>\n", f);
        n++;
    }
    cJSON_ArrayForEach(e, report_arr(cov, "errors"))
    {
        if (!cJSON_IsString(e))
            continue;
        fputs("<li>coverage: ", f);
        h(f, e->valuestring);
        fputs("</li>\n", f);
        n++;
    }
    fputs("</ul>\n", f);
    if (n == 0)
        fputs("<p>None.</p>\n", f);
}

int report_html(FILE *f, const struct report_in *in)
{
    const cJSON *s = in->summary, *t = report_obj(s, "totals");
    double v;

    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
          "charset=\"utf-8\">\n",
          f);
    /* nothing runs, nothing is fetched, even if a string got through */
    fputs("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
          "'none'; style-src 'unsafe-inline'\">\n",
          f);
    fputs("<title>fwfuzz report ", f);
    h(f, report_str(s, "started"));
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
    header(f, s);
    fputs("<p id=\"totals\">", f);
    report_num(t, "targets", &v);
    fprintf(f, "%.0f target%s, ", v, v == 1 ? "" : "s");
    report_num(t, "runs", &v);
    fprintf(f, "%.0f runs, ", v);
    report_num(t, "execs", &v);
    fprintf(f, "%.0f executions; crash groups: ", v);
    report_num(t, "groups_new", &v);
    fprintf(f, "<b>%.0f new</b>, ", v);
    report_num(t, "groups_known", &v);
    fprintf(f, "%.0f known, ", v);
    report_num(t, "groups_fixed", &v);
    fprintf(f, "%.0f fixed; ", v);
    report_num(t, "errors", &v);
    fprintf(f, "errors: %.0f.</p>\n", v);
    fuzzed(f, s);
    crash_groups(f, s);
    coverage(f, in);
    errors(f, s, in->coverage);
    fputs("<h2 id=\"files\">Files</h2>\n<ul>\n"
          "<li><a href=\"junit.xml\">junit.xml</a>: one test case per target "
          "and mode (CI test tabs)</li>\n"
          "<li><a href=\"results.sarif\">results.sarif</a>: the open crash "
          "groups for code scanning</li>\n"
          "<li><a href=\"summary.json\">summary.json</a>: everything above, "
          "for programs</li>\n</ul>\n</body>\n</html>\n",
          f);
    return ferror(f) ? -1 : 0;
}
