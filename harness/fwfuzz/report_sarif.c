/* results.sarif: SARIF 2.1.0 as GitHub code scanning reads it, one rule per
 * crash class, one result per open group, located at its top project frame
 * and fingerprinted by the group id so alerts do not multiply night after
 * night. */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "xmlesc.h"

#define SARIF_SCHEMA      "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_FINGERPRINT "fwfuzzGroup/v1"

#ifndef FWFUZZ_VERSION
#define FWFUZZ_VERSION "0"
#endif

/* An untrusted string added as valid UTF-8. */
static void add_str(cJSON *o, const char *key, const char *s)
{
    char *c = xmlesc_utf8_dup(s);

    cJSON_AddStringToObject(o, key, c);
    free(c);
}

static cJSON *text_obj(const char *s)
{
    cJSON *o = cJSON_CreateObject();

    add_str(o, "text", s);
    return o;
}

/* Percent-encodes what a URI path cannot hold as it is. Caller frees. */
static char *uri_encode(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    char *clean = xmlesc_utf8_dup(path);
    size_t n = strlen(clean), i, o = 0;
    char *out = fw_xmalloc(3 * n + 1);

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)clean[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || strchr("-._~/", c) != NULL) {
            out[o++] = (char)c;
        } else {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = '\0';
    free(clean);
    return out;
}

/* A rule id from a class: letters, digits, '-', '.', '_' only. */
static void rule_id(char *buf, size_t n, const char *cls)
{
    size_t o;

    o = (size_t)snprintf(buf, n, "FWFUZZ-");
    for (; cls != NULL && *cls != '\0' && o + 1 < n; cls++) {
        char c = *cls;

        buf[o++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                           c == '_'
                       ? c
                       : '_';
    }
    buf[o] = '\0';
}

/* p relative to the repository: as it is, or with source_dir/ cut off. */
static const char *repo_path(const cJSON *s, const char *p)
{
    const char *root = report_str(s, "source_dir");
    size_t n = root != NULL ? strlen(root) : 0;

    while (n > 1 && root[n - 1] == '/')
        n--;
    if (p != NULL && n > 0 && p[0] == '/' && strncmp(p, root, n) == 0 &&
        p[n] == '/')
        p += n + 1;
    return report_relative_ok(p) ? p : NULL;
}

/* A group's class; one without a usable class still gets a rule. */
static const char *group_class(const cJSON *g)
{
    const char *c = report_str(g, "class");

    return c != NULL && c[0] != '\0' ? c : "unknown";
}

/* A copy of an array member, or an empty array. */
static cJSON *dup_arr(const cJSON *g, const char *key)
{
    const cJSON *a = report_arr(g, key);
    cJSON *d = a != NULL ? cJSON_Duplicate(a, 1) : NULL;

    return d != NULL ? d : cJSON_CreateArray();
}

static const cJSON *target_of(const cJSON *s, const char *name)
{
    const cJSON *t;

    cJSON_ArrayForEach(t, report_arr(s, "targets"))
    {
        const char *tn = report_str(t, "name");

        if (name != NULL && tn != NULL && strcmp(tn, name) == 0)
            return t;
    }
    return NULL;
}

/* Where a result is shown: the group's top project frame, else its fuzz
 * target's source (GitHub needs a location), else none. */
static cJSON *location(const cJSON *s, const cJSON *g)
{
    const char *p = repo_path(s, report_str(g, "file"));
    double line = 0;
    cJSON *loc, *phys, *art, *region;
    char *uri;

    if (p != NULL) {
        if (!report_num(g, "line", &line) || line < 1 || line > 1e9)
            line = 1;
    } else {
        p = repo_path(
            s, report_str(target_of(s, report_str(g, "target")), "source"));
        line = 1;
    }
    if (p == NULL)
        return NULL;
    loc = cJSON_CreateObject();
    phys = cJSON_AddObjectToObject(loc, "physicalLocation");
    art = cJSON_AddObjectToObject(phys, "artifactLocation");
    uri = uri_encode(p);
    cJSON_AddStringToObject(art, "uri", uri);
    free(uri);
    cJSON_AddStringToObject(art, "uriBaseId", "%SRCROOT%");
    region = cJSON_AddObjectToObject(phys, "region");
    cJSON_AddNumberToObject(region, "startLine", (double)(long)line);
    return loc;
}

static const char *level_of(const char *score)
{
    if (strcmp(score, "7.0") >= 0)
        return "error";
    return strcmp(score, "4.0") >= 0 ? "warning" : "note";
}

/* The rule of a class, with the highest score and every CWE of its open
 * groups. */
static cJSON *rule(const cJSON *s, const char *cls)
{
    cJSON *r = cJSON_CreateObject(), *props, *tags, *help;
    const char *score = "0.0";
    const cJSON *g;
    char id[96], *text;
    int cwe = 0;

    rule_id(id, sizeof(id), cls);
    cJSON_AddStringToObject(r, "id", id);
    add_str(r, "name", cls);
    tags = cJSON_CreateArray();
    cJSON_AddItemToArray(tags, cJSON_CreateString("security"));
    cJSON_AddItemToArray(tags, cJSON_CreateString("fuzzing"));
    cJSON_ArrayForEach(g, report_arr(s, "groups"))
    {
        const char *c = group_class(g);
        const char *sc;
        double v;

        if (!report_group_open(g) || strcmp(c, cls) != 0)
            continue;
        sc = report_security_severity(c, report_str(g, "access"),
                                      report_str(g, "severity"));
        if (strcmp(sc, score) > 0)
            score = sc;
        if (report_num(g, "cwe", &v) && v > 0 && v < 100000) {
            char tag[48];

            snprintf(tag, sizeof(tag), "external/cwe/cwe-%d", (int)v);
            if (!report_has_str(tags, tag))
                cJSON_AddItemToArray(tags, cJSON_CreateString(tag));
            if (cwe == 0)
                cwe = (int)v;
        }
    }
    text = fw_xasprintf("Fuzzing found inputs that cause a %s.", cls);
    cJSON_AddItemToObject(r, "shortDescription", text_obj(text));
    free(text);
    if (cwe > 0)
        text = fw_xasprintf(
            "An input makes the code perform a %s (CWE-%d). fwfuzz found it "
            "by fuzzing, reproduced it and stored a minimised input as a "
            "regression case.",
            cls, cwe);
    else
        text = fw_xasprintf("An input makes the code perform a %s. fwfuzz "
                            "found it by fuzzing, reproduced it and stored a "
                            "minimised input as a regression case.",
                            cls);
    cJSON_AddItemToObject(r, "fullDescription", text_obj(text));
    help = text_obj(text);
    free(text);
    cJSON_AddStringToObject(
        help, "markdown",
        "Run the `reproducer` command of the alert's message: it shows the "
        "sanitizer or emulator report, the stack and the source around the "
        "faulting line (add `--gdb` for a debugger). The input is stored "
        "under `corpora/<target>/regress/`; it becomes a regression test "
        "once the bug is fixed. See docs/reproducing.md and docs/triage.md.");
    cJSON_AddItemToObject(r, "help", help);
    props = cJSON_AddObjectToObject(r, "properties");
    cJSON_AddItemToObject(props, "tags", tags);
    cJSON_AddStringToObject(props, "security-severity", score);
    cJSON_AddStringToObject(props, "precision", "high");
    cJSON_AddStringToObject(props, "problem.severity",
                            strcmp(score, "7.0") >= 0 ? "error" : "warning");
    return r;
}

/* "class ACCESS in function (modes; n findings). Reproduce: cmd" */
static char *message(const cJSON *g)
{
    const char *access = report_str_or(g, "access", "");
    const char *fn = report_str_or(g, "function", "");
    const char *msg = report_str_or(g, "message", "");
    const char *repro = report_str(g, "reproducer");
    const cJSON *m;
    char modes[128] = "", *text, *clean;
    double count = 0;
    size_t o = 0;

    cJSON_ArrayForEach(m, report_arr(g, "modes"))
    {
        if (cJSON_IsString(m) && o < sizeof(modes))
            o += (size_t)snprintf(modes + o, sizeof(modes) - o, "%s%s",
                                  o > 0 ? ", " : "", m->valuestring);
    }
    report_num(g, "count", &count);
    text = fw_xasprintf(
        "%s%s%s%s%s (%s; %s; %.0f finding%s)%s%s.%s%s", group_class(g),
        access[0] ? " " : "", access, fn[0] ? " in " : "", fn,
        report_str_or(g, "state", "open"), modes[0] ? modes : "mode unknown",
        count, count == 1 ? "" : "s", msg[0] ? ": " : "", msg,
        repro ? " Reproduce: " : "", repro ? repro : "");
    clean = xmlesc_utf8_dup(text);
    free(text);
    return clean;
}

static cJSON *result(const cJSON *s, const cJSON *g)
{
    cJSON *r = cJSON_CreateObject(), *msg, *locs, *loc, *fp, *props;
    char id[96], *text;
    double count;

    rule_id(id, sizeof(id), group_class(g));
    cJSON_AddStringToObject(r, "ruleId", id);
    cJSON_AddStringToObject(r, "level",
                            level_of(report_security_severity(
                                group_class(g), report_str(g, "access"),
                                report_str(g, "severity"))));
    msg = cJSON_AddObjectToObject(r, "message");
    text = message(g);
    cJSON_AddStringToObject(msg, "text", text);
    free(text);
    loc = location(s, g);
    if (loc != NULL) {
        locs = cJSON_AddArrayToObject(r, "locations");
        cJSON_AddItemToArray(locs, loc);
    }
    fp = cJSON_AddObjectToObject(r, "partialFingerprints");
    if (report_str(g, "id") != NULL && report_str(g, "id")[0] != '\0') {
        add_str(fp, SARIF_FINGERPRINT, report_str(g, "id"));
    } else {
        /* no id (a summary written by hand): what names the bug */
        text = fw_xasprintf("%s|%s|%s", report_str_or(g, "target", ""),
                            group_class(g), report_str_or(g, "function", ""));
        add_str(fp, SARIF_FINGERPRINT, text);
        free(text);
    }
    props = cJSON_AddObjectToObject(r, "properties");
    add_str(props, "group", report_str(g, "id"));
    add_str(props, "target", report_str(g, "target"));
    add_str(props, "state", report_str_or(g, "state", "open"));
    add_str(props, "severity", report_str_or(g, "severity", ""));
    cJSON_AddItemToObject(props, "modes", dup_arr(g, "modes"));
    cJSON_AddItemToObject(props, "engines", dup_arr(g, "engines"));
    if (report_num(g, "count", &count))
        cJSON_AddNumberToObject(props, "count", count);
    if (report_str(g, "reproducer") != NULL)
        add_str(props, "reproducer", report_str(g, "reproducer"));
    return r;
}

int report_sarif(FILE *f, const struct report_in *in)
{
    const cJSON *s = in->summary, *g, *e;
    cJSON *doc = cJSON_CreateObject(), *runs, *run, *tool, *driver, *rules,
          *results, *auto_, *bases;
    const char *root = report_str(s, "source_dir");
    char *text;
    int rc;

    cJSON_AddStringToObject(doc, "$schema", SARIF_SCHEMA);
    cJSON_AddStringToObject(doc, "version", "2.1.0");
    runs = cJSON_AddArrayToObject(doc, "runs");
    run = cJSON_CreateObject();
    cJSON_AddItemToArray(runs, run);
    tool = cJSON_AddObjectToObject(run, "tool");
    driver = cJSON_AddObjectToObject(tool, "driver");
    cJSON_AddStringToObject(driver, "name", "fwfuzz");
    add_str(driver, "version",
            report_str_or(s, "fwfuzz_version", FWFUZZ_VERSION));
    rules = cJSON_AddArrayToObject(driver, "rules");
    cJSON_ArrayForEach(g, report_arr(s, "groups"))
    {
        const char *cls = group_class(g);
        int seen = 0;

        if (!report_group_open(g))
            continue;
        for (e = report_arr(s, "groups")->child; e != g && !seen; e = e->next)
            seen = report_group_open(e) && strcmp(group_class(e), cls) == 0;
        if (!seen)
            cJSON_AddItemToArray(rules, rule(s, cls));
    }
    if (root != NULL && root[0] == '/') {
        char *enc = uri_encode(root);
        char *uri = fw_xasprintf("file://%s%s", enc,
                                 enc[strlen(enc) - 1] == '/' ? "" : "/");

        bases = cJSON_AddObjectToObject(run, "originalUriBaseIds");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(bases, "%SRCROOT%"),
                                "uri", uri);
        free(uri);
        free(enc);
    }
    auto_ = cJSON_AddObjectToObject(run, "automationDetails");
    text = fw_xasprintf("fwfuzz/nightly/%s", report_str_or(s, "started", ""));
    add_str(auto_, "id", text);
    free(text);
    results = cJSON_AddArrayToObject(run, "results");
    cJSON_ArrayForEach(g, report_arr(s, "groups"))
    {
        if (report_group_open(g))
            cJSON_AddItemToArray(results, result(s, g));
    }
    text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (text == NULL)
        return -1;
    fputs(text, f);
    fputs("\n", f);
    cJSON_free(text);
    rc = ferror(f) ? -1 : 0;
    return rc;
}
