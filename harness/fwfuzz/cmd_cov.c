/*
 * fwfuzz cov [TARGET...] [--mode native|emu|both] [--out DIR]
 *            [--corpus [TARGET=]DIR]... [--timeout SECONDS]
 *
 * Line and function coverage of each target's corpus, natively (clang
 * source-based) and under emulation (executed blocks mapped through the
 * image's DWARF), restricted to the target's component, side by side:
 * DIR/<target>/{native,emu}.info, DIR/<component>/{native,emu}.info,
 * DIR/html/{native,emu}/ (genhtml), DIR/coverage.json and a table on
 * stdout (docs/coverage.md).
 */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cmds.h"
#include "covlcov.h"
#include "covrun.h"
#include "exitcode.h"
#include "fsutil.h"
#include "help.h"
#include "proc.h"
#include "repro.h"
#include "store.h"
#include "util.h"

#define COV_DEFAULT_OUT "reports/coverage"
#define COV_WALK_DEPTH  8

struct cov_opts {
    struct strvec targets;
    struct strvec corpora; /* "DIR" or "TARGET=DIR" */
    const char *out;
    const char *manifest;
    int native, emu;
    unsigned long timeout_s; /* 0: the target's */
};

/* One mode's result for a target: NULL trace when not run. */
struct cov_side {
    int run;
    struct covlcov trace;
    struct covrun_stats st;
};

struct cov_target {
    const struct manifest_target *t;
    struct strvec inputs;
    struct cov_side native, emu;
};

static int usage_error(const char *fmt, const char *arg)
{
    fputs("fwfuzz: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    help_usage(stderr, "cov");
    return FW_EXIT_USAGE;
}

static int parse_opts(const struct cli *c, struct cov_opts *o, int *help)
{
    size_t i;

    memset(o, 0, sizeof(*o));
    o->out = COV_DEFAULT_OUT;
    o->manifest = c->manifest;
    o->native = o->emu = 1;
    *help = 0;
    for (i = 0; i < c->n_paths; i++) {
        const char *a = c->paths[i];
        const char *v = i + 1 < c->n_paths ? c->paths[i + 1] : NULL;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            *help = 1;
            return 0;
        }
        if (strcmp(a, "--mode") == 0 || strcmp(a, "--out") == 0 ||
            strcmp(a, "--corpus") == 0 || strcmp(a, "--manifest") == 0 ||
            strcmp(a, "--timeout") == 0) {
            if (v == NULL || v[0] == '\0')
                return usage_error("%s needs a value", a);
            i++;
            if (strcmp(a, "--out") == 0) {
                o->out = v;
            } else if (strcmp(a, "--manifest") == 0) {
                o->manifest = v;
            } else if (strcmp(a, "--corpus") == 0) {
                strvec_push(&o->corpora, v);
            } else if (strcmp(a, "--timeout") == 0) {
                char *end;

                errno = 0;
                o->timeout_s = strtoul(v, &end, 10);
                if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 ||
                    o->timeout_s == 0 || o->timeout_s > 86400)
                    return usage_error("--timeout %s: give 1 to 86400 seconds",
                                       v);
            } else if (strcmp(v, "native") == 0) {
                o->native = 1;
                o->emu = 0;
            } else if (strcmp(v, "emu") == 0) {
                o->native = 0;
                o->emu = 1;
            } else if (strcmp(v, "both") == 0) {
                o->native = o->emu = 1;
            } else {
                return usage_error("--mode: unknown mode '%s' (native, emu "
                                   "or both)",
                                   v);
            }
            continue;
        }
        if (a[0] == '-')
            return usage_error("unknown option '%s'", a);
        if (!strvec_contains(&o->targets, a))
            strvec_push(&o->targets, a);
    }
    return 0;
}

/* Regular, non-hidden files under dir (sorted, depth-first). */
static int walk(const char *dir, int depth, const char *skip_file,
                struct strvec *out)
{
    struct strvec files = {0}, dirs = {0};
    int is_regress = strcmp(fw_basename(dir), "regress") == 0;
    size_t i;
    int rc = -1;

    if (fs_list_files(dir, "", &files) != 0 || fs_list_dirs(dir, &dirs) != 0)
        goto out;
    for (i = 0; i < files.n; i++) {
        char *p = fs_join(dir, files.v[i]);
        size_t n = strlen(files.v[i]);

        /* a stored case's .json is its metadata; its .bin is an input */
        if ((is_regress && store_is_case_part(files.v[i]) && n > 5 &&
             strcmp(files.v[i] + n - 5, ".json") == 0) ||
            (skip_file != NULL && strcmp(p, skip_file) == 0)) {
            free(p);
            continue;
        }
        strvec_push(out, p);
        free(p);
    }
    for (i = 0; i < dirs.n && depth < COV_WALK_DEPTH; i++) {
        char *p = fs_join(dir, dirs.v[i]);

        if (dirs.v[i][0] != '.' && walk(p, depth + 1, skip_file, out) != 0) {
            free(p);
            goto out;
        }
        free(p);
    }
    rc = 0;
out:
    strvec_free(&files);
    strvec_free(&dirs);
    return rc;
}

/* The target's corpus folder and every --corpus that applies to it. */
static int collect_inputs(const struct cov_opts *o,
                          const struct manifest_target *t, struct strvec *in)
{
    size_t i, n = strlen(t->name);

    if (walk(t->corpus, 0, t->dict, in) != 0) {
        fw_msg("%s: cannot read %s: %s", t->name, t->corpus, strerror(errno));
        return -1;
    }
    for (i = 0; i < o->corpora.n; i++) {
        const char *d = o->corpora.v[i];
        const char *eq = strchr(d, '=');

        if (eq != NULL && !fs_is_dir(d)) {
            if ((size_t)(eq - d) != n || strncmp(d, t->name, n) != 0)
                continue;
            d = eq + 1;
        }
        if (!fs_is_dir(d))
            continue; /* checked up front: gone since */
        if (walk(d, 0, NULL, in) != 0) {
            fw_msg("%s: cannot read %s: %s", t->name, d, strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* The component's source folder and its fuzz folder (NULL when the entry
 * lives in the component folder itself), normalised. */
static void component_dirs(const struct manifest_target *t, char **comp,
                           char **fuzz)
{
    char *src = t->source != NULL ? covlcov_normalize(t->source) : NULL;
    char *fdir = NULL;

    if (src != NULL) {
        char *slash = strrchr(src, '/');

        if (slash != NULL) {
            *slash = '\0';
            fdir = fw_xstrdup(src);
        }
    }
    if (t->component_dir != NULL) {
        *comp = covlcov_normalize(t->component_dir);
    } else if (fdir != NULL) {
        /* an older manifest: targets/<component>/fuzz/<entry>.c */
        char *up = fw_xasprintf("%s/..", fdir);

        *comp = covlcov_normalize(up);
        free(up);
    } else {
        *comp = fw_xstrdup("/nonexistent");
    }
    *fuzz = NULL;
    if (fdir != NULL && strcmp(fdir, *comp) != 0)
        *fuzz = fw_xstrdup(fdir);
    free(fdir);
    free(src);
}

/* Writes a trace atomically; -1 after a message. */
static int write_trace(const char *path, const struct covlcov *t,
                       const char *tn)
{
    size_t len;
    char *text = covlcov_format(t, tn, &len);
    int rc = fs_write_atomic(path, text, len);

    if (rc != 0)
        fw_msg("cannot write %s: %s", path, strerror(errno));
    free(text);
    return rc;
}

static const char *rel(const char *path, const char *root)
{
    size_t n = root != NULL ? strlen(root) : 0;

    if (n > 0 && strncmp(path, root, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

static cJSON *totals_json(const struct covlcov *t, const char *lcov,
                          const char *html)
{
    struct covlcov_totals k;
    cJSON *o = cJSON_CreateObject();

    covlcov_totals(t, &k);
    cJSON_AddNumberToObject(o, "lines_covered", (double)k.lines_covered);
    cJSON_AddNumberToObject(o, "lines_total", (double)k.lines_total);
    cJSON_AddNumberToObject(o, "functions_covered", (double)k.fns_covered);
    cJSON_AddNumberToObject(o, "functions_total", (double)k.fns_total);
    if (lcov != NULL)
        cJSON_AddStringToObject(o, "lcov", lcov);
    if (html != NULL)
        cJSON_AddStringToObject(o, "html", html);
    else
        cJSON_AddNullToObject(o, "html");
    return o;
}

/* The function named name in file of trace, or NULL. */
static const struct covlcov_fn *find_fn(const struct covlcov_file *f,
                                        const char *name)
{
    size_t i;

    for (i = 0; f != NULL && i < f->nfns; i++)
        if (strcmp(f->fns[i].name, name) == 0)
            return &f->fns[i];
    return NULL;
}

static cJSON *fn_side_json(const struct cov_side *s, const char *path,
                           const char *name)
{
    const struct covlcov_file *f;
    const struct covlcov_fn *fn;
    unsigned long total, covered;
    cJSON *o;

    if (!s->run)
        return cJSON_CreateNull();
    f = covlcov_find(&s->trace, path);
    fn = find_fn(f, name);
    if (fn == NULL)
        return cJSON_CreateNull();
    covlcov_fn_lines(f, fn, &total, &covered);
    o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "lines_covered", (double)covered);
    cJSON_AddNumberToObject(o, "lines_total", (double)total);
    cJSON_AddBoolToObject(o, "covered", fn->count > 0);
    return o;
}

/* One entry per (file, function) found in either mode. */
struct fn_row {
    const char *path;
    const char *name;
    int line;
    int in_native, in_emu; /* in that build (and mode run) */
    int hit_native, hit_emu;
};

static int cmp_row(const void *a, const void *b)
{
    const struct fn_row *x = a, *y = b;
    int d = strcmp(x->path, y->path);

    if (d == 0)
        d = (x->line > y->line) - (x->line < y->line);
    return d != 0 ? d : strcmp(x->name, y->name);
}

static void add_rows(struct fn_row **rows, size_t *n, const struct cov_side *s,
                     int is_emu)
{
    size_t i, j, k;

    if (!s->run)
        return;
    for (i = 0; i < s->trace.nfiles; i++) {
        const struct covlcov_file *f = &s->trace.files[i];

        for (j = 0; j < f->nfns; j++) {
            struct fn_row *r = NULL;

            for (k = 0; k < *n; k++)
                if (strcmp((*rows)[k].path, f->path) == 0 &&
                    strcmp((*rows)[k].name, f->fns[j].name) == 0)
                    r = &(*rows)[k];
            if (r == NULL) {
                *rows = fw_xrealloc(*rows, (*n + 1) * sizeof(**rows));
                r = &(*rows)[(*n)++];
                memset(r, 0, sizeof(*r));
                r->path = f->path;
                r->name = f->fns[j].name;
                r->line = f->fns[j].line;
            }
            if (is_emu) {
                r->in_emu = 1;
                r->hit_emu = f->fns[j].count > 0;
            } else {
                r->in_native = 1;
                r->hit_native = f->fns[j].count > 0;
                r->line = f->fns[j].line; /* the native line first */
            }
        }
    }
}

static void fn_rows(const struct cov_target *ct, struct fn_row **rows,
                    size_t *n)
{
    *rows = NULL;
    *n = 0;
    add_rows(rows, n, &ct->native, 0);
    add_rows(rows, n, &ct->emu, 1);
    if (*n > 0)
        qsort(*rows, *n, sizeof(**rows), cmp_row);
}

static cJSON *target_json(const struct cov_target *ct, const char *root,
                          const char *html_native, const char *html_emu)
{
    cJSON *o = cJSON_CreateObject(), *fns;
    struct fn_row *rows;
    size_t n, i;
    char *p;

    cJSON_AddStringToObject(o, "name", ct->t->name);
    cJSON_AddStringToObject(o, "component", ct->t->component);
    cJSON_AddNumberToObject(o, "inputs", (double)ct->inputs.n);
    if (ct->native.run) {
        p = fw_xasprintf("%s/native.info", ct->t->name);
        cJSON_AddItemToObject(o, "native",
                              totals_json(&ct->native.trace, p, html_native));
        free(p);
    } else {
        cJSON_AddNullToObject(o, "native");
    }
    if (ct->emu.run) {
        p = fw_xasprintf("%s/emu.info", ct->t->name);
        cJSON_AddItemToObject(o, "emu",
                              totals_json(&ct->emu.trace, p, html_emu));
        free(p);
    } else {
        cJSON_AddNullToObject(o, "emu");
    }
    if (ct->native.run)
        cJSON_AddNumberToObject(o, "native_lost_inputs",
                                (double)ct->native.st.lost);
    fns = cJSON_AddArrayToObject(o, "functions");
    fn_rows(ct, &rows, &n);
    for (i = 0; i < n; i++) {
        cJSON *f = cJSON_CreateObject();

        cJSON_AddStringToObject(f, "name", rows[i].name);
        cJSON_AddStringToObject(f, "file", rel(rows[i].path, root));
        cJSON_AddNumberToObject(f, "line", rows[i].line);
        cJSON_AddItemToObject(
            f, "native", fn_side_json(&ct->native, rows[i].path, rows[i].name));
        cJSON_AddItemToObject(
            f, "emu", fn_side_json(&ct->emu, rows[i].path, rows[i].name));
        cJSON_AddItemToArray(fns, f);
    }
    free(rows);
    return o;
}

static void pct(char *buf, size_t n, unsigned long a, unsigned long b)
{
    if (b == 0)
        snprintf(buf, n, "%lu/%lu", a, b);
    else
        snprintf(buf, n, "%lu/%lu %5.1f%%", a, b,
                 100.0 * (double)a / (double)b);
}

static void side_cells(const struct cov_side *s, char *lines, char *fns,
                       size_t n)
{
    struct covlcov_totals k;

    if (!s->run) {
        snprintf(lines, n, "-");
        snprintf(fns, n, "-");
        return;
    }
    covlcov_totals(&s->trace, &k);
    pct(lines, n, k.lines_covered, k.lines_total);
    pct(fns, n, k.fns_covered, k.fns_total);
}

/* The terminal's side by side: totals, then the functions that differ. */
static void print_table(const struct cov_target *v, size_t nt, const char *root)
{
    size_t i, j;

    printf("%-20s %7s  %-20s %-20s %-18s %-18s\n", "TARGET", "INPUTS",
           "NATIVE LINES", "EMU LINES", "NATIVE FUNCTIONS", "EMU FUNCTIONS");
    for (i = 0; i < nt; i++) {
        char nl[48], nf[48], el[48], ef[48];

        side_cells(&v[i].native, nl, nf, sizeof(nl));
        side_cells(&v[i].emu, el, ef, sizeof(el));
        printf("%-20s %7zu  %-20s %-20s %-18s %-18s\n", v[i].t->name,
               v[i].inputs.n, nl, el, nf, ef);
    }
    for (i = 0; i < nt; i++) {
        struct fn_row *rows;
        size_t n, shown = 0;

        if (!v[i].native.run || !v[i].emu.run)
            continue;
        fn_rows(&v[i], &rows, &n);
        for (j = 0; j < n; j++) {
            const struct fn_row *r = &rows[j];
            const char *what;

            if (r->in_native && r->in_emu && r->hit_native && !r->hit_emu)
                what = "native only";
            else if (r->in_native && r->in_emu && !r->hit_native && r->hit_emu)
                what = "emu only";
            else if (r->in_native && !r->in_emu)
                what = r->hit_native ? "native only, not in image"
                                     : "never reached, not in image";
            else if (!r->in_native && r->in_emu)
                what = r->hit_emu ? "emu only, not in native build"
                                  : "never reached, not in native build";
            else if (!r->hit_native && !r->hit_emu)
                what = "never reached";
            else
                continue;
            if (shown++ == 0)
                printf("\n%s: functions that differ or were never reached\n",
                       v[i].t->name);
            printf("  %-34s %-28s %s:%d\n", what, r->name, rel(r->path, root),
                   r->line);
        }
        free(rows);
    }
}

/* genhtml of trace into DIR/html/<mode>, through a temporary folder. */
static int run_genhtml(const char *out, const char *mode, const char *info,
                       const char *root, struct strvec *errors)
{
    char *genhtml = fs_which("genhtml");
    char *html = fw_xasprintf("%s/html", out);
    char *dst = fw_xasprintf("%s/%s", html, mode);
    char *tmp = fw_xasprintf("%s/.%s.tmp", html, mode);
    char *old = fw_xasprintf("%s/.%s.old", html, mode);
    char *log = fw_xasprintf("%s/.genhtml-%s.log", html, mode);
    char *title = fw_xasprintf("fwfuzz coverage, %s", mode);
    int status, rc = -1;

    if (genhtml == NULL) {
        strvec_pushf(errors, "genhtml not found (Debian lcov): no %s HTML",
                     mode);
        goto out;
    }
    if (fs_mkdirs(html) != 0 || fs_remove_tree(tmp) != 0) {
        strvec_pushf(errors, "cannot prepare %s: %s", tmp, strerror(errno));
        goto out;
    }
    {
        char *const argv[] = {genhtml,
                              (char *)"--quiet",
                              (char *)"--ignore-errors",
                              (char *)"source",
                              (char *)"--prefix",
                              (char *)root,
                              (char *)"--title",
                              title,
                              (char *)"--output-directory",
                              tmp,
                              (char *)info,
                              NULL};

        if (proc_run(argv, NULL, log, 600, NULL, 0, &status) != 0 ||
            !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            strvec_pushf(errors, "genhtml failed on %s (see %s)", info, log);
            goto out;
        }
    }
    /* the old report stays whole until the new one is complete */
    fs_remove_tree(old);
    if ((fs_is_dir(dst) && rename(dst, old) != 0) || rename(tmp, dst) != 0) {
        strvec_pushf(errors, "cannot move %s to %s: %s", tmp, dst,
                     strerror(errno));
        goto out;
    }
    fs_remove_tree(old);
    rc = 0;
out:
    free(genhtml);
    free(html);
    free(dst);
    free(tmp);
    free(old);
    free(log);
    free(title);
    if (rc != 0)
        fw_msg("%s", errors->v[errors->n - 1]);
    return rc;
}

/*
 * The "sources" the replay wrote into the work folder (the address ranges
 * of an image without DWARF, emu/include/emu/linecov.h) move to
 * OUT/TARGET, which is kept, and the trace names them there: genhtml reads
 * them after the work folder is gone.
 */
static void keep_sources(struct covlcov *t, const char *work, const char *out,
                         const char *target)
{
    size_t i, n = strlen(work);

    for (i = 0; i < t->nfiles; i++) {
        char *path = t->files[i].path, *to;
        const char *base;

        if (strncmp(path, work, n) != 0 || path[n] != '/')
            continue;
        base = strrchr(path, '/') + 1;
        to = fw_xasprintf("%s/%s/%s", out, target, base);
        if (rename(path, to) == 0) {
            free(path);
            t->files[i].path = to;
        } else {
            free(to);
        }
    }
}

/* One mode of one target; 0, or -1 after noting the error. */
static int run_side(struct cov_target *ct, int is_emu, const char *out,
                    unsigned long timeout_s, const char *comp, const char *fuzz,
                    struct strvec *errors)
{
    struct cov_side *s = is_emu ? &ct->emu : &ct->native;
    const char *mode = is_emu ? "emu" : "native";
    char *work = fw_xasprintf("%s/%s/.work-%s", out, ct->t->name, mode);
    char *info = fw_xasprintf("%s/%s/%s.info", out, ct->t->name, mode);
    char err[1024];
    int rc;

    fw_msg("%s: %s coverage of %zu inputs", ct->t->name, mode, ct->inputs.n);
    rc = is_emu ? covrun_emu(ct->t, &ct->inputs, work, timeout_s, &s->trace,
                             &s->st, err, sizeof(err))
                : covrun_native(ct->t, &ct->inputs, work, timeout_s, &s->trace,
                                &s->st, err, sizeof(err));
    if (rc != 0) {
        fw_msg("%s: %s coverage: %s", ct->t->name, mode, err);
        strvec_pushf(errors, "%s: %s coverage: %s", ct->t->name, mode, err);
        goto out;
    }
    /* a whole image is the code under test: every file of its DWARF */
    if (!ct->t->whole_image)
        covlcov_restrict(&s->trace, comp, fuzz);
    /*
     * The image holds every target's code, the native build only what this
     * target links: when both ran, the emulated side counts the files the
     * native build has, so that the other targets' files do not count.
     */
    if (is_emu && ct->native.run)
        covlcov_keep_common(&s->trace, &ct->native.trace);
    if (s->st.lost > 0)
        strvec_pushf(errors,
                     "%s: %zu of %zu inputs crashed or hung natively: their "
                     "coverage is not counted",
                     ct->t->name, s->st.lost, s->st.inputs);
    if (s->st.lost > 0)
        fw_msg("%s", errors->v[errors->n - 1]);
    keep_sources(&s->trace, work, out, ct->t->name);
    if (write_trace(info, &s->trace, ct->t->name) != 0) {
        strvec_pushf(errors, "cannot write %s", info);
        rc = -1;
        goto out;
    }
    s->run = 1;
    fs_remove_tree(work);
out:
    free(work);
    free(info);
    return rc;
}

int cmd_cov(const struct cli *c)
{
    struct cov_opts o;
    struct manifest m;
    struct cli mc;
    struct cov_target *v = NULL;
    struct strvec errors = {0}, comps = {0};
    struct covlcov all_native = {0}, all_emu = {0};
    const char *root;
    char *html_native = NULL, *html_emu = NULL;
    size_t i, j, nt = 0;
    int help, rc, config_err = 0, usage_err = 0, run_err = 0, io_err = 0;
    cJSON *doc = NULL, *arr;

    if ((rc = parse_opts(c, &o, &help)) != 0)
        return rc;
    if (help) {
        help_print(stdout, "cov");
        rc = FW_EXIT_OK;
        goto done;
    }
    mc = *c;
    mc.manifest = o.manifest;
    if ((rc = cmd_load_manifest(&mc, &m)) != 0)
        goto done;
    root = m.source_dir;
    for (i = 0; i < o.corpora.n; i++) {
        const char *d = o.corpora.v[i], *eq = strchr(d, '=');

        if (!fs_is_dir(d) && (eq == NULL || !fs_is_dir(eq + 1))) {
            fw_msg("--corpus %s: not a folder", d);
            rc = FW_EXIT_CONFIG;
            goto free_manifest;
        }
        if (!fs_is_dir(d)) {
            /* TARGET=DIR: a mistyped target would be silently unused */
            char *name = fw_xstrdup(d);

            name[eq - d] = '\0';
            if (cmd_find_target(&m, name) == NULL) {
                free(name);
                rc = FW_EXIT_CONFIG;
                goto free_manifest;
            }
            free(name);
        }
    }
    /* the targets: named, else all */
    v = fw_xmalloc((m.n_targets + 1) * sizeof(*v));
    if (o.targets.n > 0) {
        for (i = 0; i < o.targets.n; i++) {
            const struct manifest_target *t =
                cmd_find_target(&m, o.targets.v[i]);

            if (t == NULL) {
                rc = FW_EXIT_CONFIG;
                goto free_manifest;
            }
            memset(&v[nt], 0, sizeof(v[nt]));
            v[nt++].t = t;
        }
    } else {
        for (i = 0; i < m.n_targets; i++) {
            memset(&v[nt], 0, sizeof(v[nt]));
            v[nt++].t = &m.targets[i];
        }
    }
    if (fs_mkdirs(o.out) != 0) {
        fw_msg("cannot create %s: %s", o.out, strerror(errno));
        rc = FW_EXIT_IO;
        goto free_manifest;
    }
    proc_signals_install();
    for (i = 0; i < nt && proc_interrupts() == 0; i++) {
        struct cov_target *ct = &v[i];
        const struct manifest_target *t = ct->t;
        unsigned long timeout = o.timeout_s;
        char *comp, *fuzz, *tdir;
        char why[512];
        const char *from;

        if (collect_inputs(&o, t, &ct->inputs) != 0) {
            io_err = 1;
            strvec_pushf(&errors, "%s: cannot read its corpus", t->name);
            continue;
        }
        if (repro_timeout(t, o.timeout_s, &timeout, &from, why, sizeof(why)) !=
            0) {
            fw_msg("%s: %s", t->name, why);
            strvec_pushf(&errors, "%s: %s", t->name, why);
            config_err = 1;
            continue;
        }
        tdir = fw_xasprintf("%s/%s", o.out, t->name);
        if (fs_mkdirs(tdir) != 0) {
            fw_msg("cannot create %s: %s", tdir, strerror(errno));
            free(tdir);
            rc = FW_EXIT_IO;
            goto free_targets;
        }
        free(tdir);
        component_dirs(t, &comp, &fuzz);
        if (o.native && !manifest_has_native(t) && !o.emu) {
            fw_msg("%s is a whole firmware image: it has no native builds; "
                   "leave out --mode or give --mode emu",
                   t->name);
            strvec_pushf(&errors, "%s: a whole image, no native coverage",
                         t->name);
            usage_err = 1;
        } else if (o.native && manifest_has_native(t)) {
            if (t->cov == NULL || !fs_is_executable(t->cov->binary)) {
                fw_msg("%s: no native coverage build%s%s (build with clang "
                       "and llvm-profdata/llvm-cov installed)",
                       t->name, t->cov != NULL ? ": " : "",
                       t->cov != NULL ? t->cov->binary : "");
                strvec_pushf(&errors, "%s: no native coverage build", t->name);
                config_err = 1;
            } else if (run_side(ct, 0, o.out, timeout, comp, fuzz, &errors) !=
                       0) {
                run_err = 1;
            }
        }
        if (o.emu && t->emu != NULL) {
            if (!fs_is_executable(t->emu->replay)) {
                fw_msg("%s: emulated replay build missing: %s", t->name,
                       t->emu->replay);
                strvec_pushf(&errors, "%s: emulated replay build missing",
                             t->name);
                config_err = 1;
            } else if (run_side(ct, 1, o.out, timeout, comp, fuzz, &errors) !=
                       0) {
                run_err = 1;
            }
        } else if (o.emu && !o.native) {
            /* asked for emulation only, and there is none */
            fw_msg("%s: no emulated build (a host-only target, or a build "
                   "without emulation)",
                   t->name);
            strvec_pushf(&errors, "%s: no emulated build", t->name);
            config_err = 1;
        }
        free(comp);
        free(fuzz);
        if (ct->native.run)
            covlcov_merge(&all_native, &ct->native.trace);
        if (ct->emu.run)
            covlcov_merge(&all_emu, &ct->emu.trace);
        if (!strvec_contains(&comps, t->component))
            strvec_push(&comps, t->component);
    }
    if (proc_interrupts() > 0)
        strvec_push(&errors, "interrupted: the report covers the targets "
                             "done so far");
    if (proc_interrupts() > 0)
        fw_msg("%s", errors.v[errors.n - 1]);

    /* per component, and everything for genhtml */
    doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", 1);
    if (root != NULL)
        cJSON_AddStringToObject(doc, "source_dir", root);
    else
        cJSON_AddNullToObject(doc, "source_dir");
    {
        const char *modes[2] = {"native", "emu"};
        struct covlcov *alls[2] = {&all_native, &all_emu};
        char **htmls[2] = {&html_native, &html_emu};
        int k;

        for (k = 0; k < 2; k++) {
            char *info;

            if (alls[k]->nfiles == 0)
                continue;
            info = fw_xasprintf("%s/%s.info", o.out, modes[k]);
            if (write_trace(info, alls[k], "all") != 0) {
                io_err = 1;
            } else if (run_genhtml(o.out, modes[k], info,
                                   root != NULL ? root : "/", &errors) == 0) {
                *htmls[k] = fw_xasprintf("html/%s/index.html", modes[k]);
            }
            free(info);
        }
    }
    arr = cJSON_AddArrayToObject(doc, "targets");
    for (i = 0; i < nt; i++)
        cJSON_AddItemToArray(arr,
                             target_json(&v[i], root, html_native, html_emu));
    arr = cJSON_AddArrayToObject(doc, "components");
    for (j = 0; j < comps.n; j++) {
        struct covlcov cn = {0}, ce = {0};
        int any_n = 0, any_e = 0;
        cJSON *co = cJSON_CreateObject();

        for (i = 0; i < nt; i++) {
            if (strcmp(v[i].t->component, comps.v[j]) != 0)
                continue;
            if (v[i].native.run) {
                covlcov_merge(&cn, &v[i].native.trace);
                any_n = 1;
            }
            if (v[i].emu.run) {
                covlcov_merge(&ce, &v[i].emu.trace);
                any_e = 1;
            }
        }
        cJSON_AddStringToObject(co, "name", comps.v[j]);
        for (i = 0; i < 2; i++) {
            int any = i == 0 ? any_n : any_e;
            const char *mode = i == 0 ? "native" : "emu";
            struct covlcov *tr = i == 0 ? &cn : &ce;
            char *dir, *path, *relp;

            if (!any) {
                cJSON_AddNullToObject(co, mode);
                continue;
            }
            /* a component folder beside the target folders: a target may
             * share the component's name */
            dir = fw_xasprintf("%s/%s", o.out, comps.v[j]);
            relp = fw_xasprintf("%s/%s.info", comps.v[j], mode);
            path = fw_xasprintf("%s/%s", o.out, relp);
            if (fs_mkdirs(dir) != 0 || write_trace(path, tr, comps.v[j]) != 0)
                io_err = 1;
            cJSON_AddItemToObject(
                co, mode,
                totals_json(tr, relp, i == 0 ? html_native : html_emu));
            free(dir);
            free(path);
            free(relp);
        }
        covlcov_free(&cn);
        covlcov_free(&ce);
        cJSON_AddItemToArray(arr, co);
    }
    cJSON_AddItemToObject(doc, "errors", strvec_json(&errors));
    {
        char *text = cJSON_Print(doc);
        char *path = fw_xasprintf("%s/coverage.json", o.out);
        size_t n = strlen(text);

        text = fw_xrealloc(text, n + 2);
        text[n++] = '\n';
        if (fs_write_atomic(path, text, n) != 0) {
            fw_msg("cannot write %s: %s", path, strerror(errno));
            io_err = 1;
        }
        free(text);
        free(path);
    }
    print_table(v, nt, root);
    rc = proc_interrupts() > 0 ? FW_EXIT_INTERRUPTED
         : io_err              ? FW_EXIT_IO
         : usage_err           ? FW_EXIT_USAGE
         : config_err          ? FW_EXIT_CONFIG
         : run_err             ? FW_EXIT_ENGINE
                               : FW_EXIT_OK;
free_targets:
    for (i = 0; i < nt; i++) {
        strvec_free(&v[i].inputs);
        covlcov_free(&v[i].native.trace);
        covlcov_free(&v[i].emu.trace);
    }
free_manifest:
    free(v);
    cJSON_Delete(doc);
    covlcov_free(&all_native);
    covlcov_free(&all_emu);
    free(html_native);
    free(html_emu);
    strvec_free(&comps);
    strvec_free(&errors);
    manifest_free(&m);
done:
    strvec_free(&o.targets);
    strvec_free(&o.corpora);
    return rc;
}
