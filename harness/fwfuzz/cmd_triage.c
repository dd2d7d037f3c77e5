/*
 * fwfuzz triage: the findings of earlier runs, reproduced, grouped into one
 * case per bug, minimised, classified and stored next to each target's
 * corpus; a table and triage.json (docs/triage.md).
 *
 * Which findings: every <reports>/<target>/findings and
 * <reports>/emu/<target>/findings (reports/fuzz by default), those of the
 * TARGETs named, or of the DIRs named (a fuzz output folder, its findings/
 * folder, or with --target any folder or file). A finding triaged once is
 * listed in its folder's .triaged file and not replayed again.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cmds.h"
#include "exitcode.h"
#include "fsutil.h"
#include "lfparse.h"
#include "proc.h"
#include "triage.h"
#include "util.h"

#define LEDGER_NAME ".triaged"

/* A folder (or file) of findings of one target in one mode. */
struct source {
    const struct manifest_target *t;
    enum fw_mode mode;
    char *path; /* a folder, or one file */
    int is_file;
    char *ledger; /* NULL: none (a single file, --no-store) */
};

struct sources {
    struct source *v;
    size_t n;
};

static void add_source(struct sources *s, const struct manifest_target *t,
                       enum fw_mode mode, const char *path, int is_file,
                       int ledger)
{
    struct source *x;

    s->v = fw_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
    x = &s->v[s->n++];
    x->t = t;
    x->mode = mode;
    x->path = fw_xstrdup(path);
    x->is_file = is_file;
    x->ledger = NULL;
    if (ledger && !is_file) {
        x->ledger = fs_join(path, LEDGER_NAME);
    } else if (ledger) {
        /* a finding named on its own: its folder's ledger */
        char *dir = fw_xstrdup(path);
        char *slash = strrchr(dir, '/');

        if (slash != NULL)
            *slash = '\0';
        x->ledger =
            slash != NULL ? fs_join(dir, LEDGER_NAME) : fw_xstrdup(LEDGER_NAME);
        free(dir);
    }
}

static void sources_free(struct sources *s)
{
    size_t i;

    for (i = 0; i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].ledger);
    }
    free(s->v);
}

/* The findings folders of t under reports, in both modes. */
static void add_target_sources(struct sources *s, const char *reports,
                               const struct manifest_target *t, int ledger)
{
    enum fw_mode modes[2] = {FW_MODE_NATIVE, FW_MODE_EMU};
    int i;

    for (i = 0; i < 2; i++) {
        char *out = cmd_target_out(reports, t->name, modes[i]);
        char *dir = fs_join(out, "findings");

        if (fs_is_dir(dir))
            add_source(s, t, modes[i], dir, 0, ledger);
        free(dir);
        free(out);
    }
}

/* The same, for a target named on the command line: say so when it has
 * no findings at all. */
static void add_named_target(struct sources *s, const char *reports,
                             const struct manifest_target *t, int ledger)
{
    size_t before = s->n;

    add_target_sources(s, reports, t, ledger);
    if (s->n == before)
        fw_msg("triage: %s has no findings under %s (%s/%s/findings, "
               "%s/emu/%s/findings)",
               t->name, reports, reports, t->name, reports, t->name);
}

/* target and mode of a fuzz output folder, from its summary.json. */
static int read_summary(const char *outdir, char *target, size_t tn,
                        enum fw_mode *mode)
{
    char *path = fs_join(outdir, "summary.json"), *text = NULL;
    size_t len;
    cJSON *o, *t, *m;
    int rc = -1;

    if (fs_read_file(path, 1024 * 1024, &text, &len) == 0 &&
        (o = cJSON_ParseWithLength(text, len)) != NULL) {
        t = cJSON_GetObjectItemCaseSensitive(o, "target");
        m = cJSON_GetObjectItemCaseSensitive(o, "mode");
        if (cJSON_IsString(t)) {
            snprintf(target, tn, "%s", t->valuestring);
            *mode = cJSON_IsString(m) && strcmp(m->valuestring, "emu") == 0
                        ? FW_MODE_EMU
                        : FW_MODE_NATIVE;
            rc = 0;
        }
        cJSON_Delete(o);
    }
    free(text);
    free(path);
    return rc;
}

/* One word of the command line: a target, a fuzz output folder, a
 * findings folder, or (with --target) any folder or file. */
static int add_word(struct sources *s, const struct cli *c,
                    const struct manifest *m, const char *reports,
                    const char *w)
{
    const struct manifest_target *t = manifest_find(m, w);
    char name[256], *dir = NULL, *parent;
    enum fw_mode mode = c->mode;
    int ledger = !c->no_store;

    /* a target name wins over a folder of that name (write ./NAME) */
    if (t != NULL && strchr(w, '/') == NULL) {
        add_named_target(s, reports, t, ledger);
        return 0;
    }
    if (access(w, R_OK) != 0 && strchr(w, '/') == NULL) {
        cmd_find_target(m, w); /* names the known targets */
        return FW_EXIT_CONFIG;
    }
    if (access(w, R_OK) != 0) {
        fw_msg("triage: cannot read %s: %s", w, strerror(errno));
        return FW_EXIT_IO;
    }
    if (c->target != NULL) {
        int rc;

        t = cmd_find_target(m, c->target);
        if (t == NULL)
            return FW_EXIT_CONFIG;
        rc = cmd_target_mode(c, t, &mode);
        if (rc != 0)
            return rc;
        add_source(s, t, mode, w, !fs_is_dir(w), ledger);
        return 0;
    }
    /* a fuzz output folder, or its findings/ */
    dir = fs_join(w, "findings");
    parent = fw_xasprintf("%s/..", w);
    if (fs_is_dir(dir) && read_summary(w, name, sizeof(name), &mode) == 0) {
        /* w is the output folder */
    } else if (strcmp(fw_basename(w), "findings") == 0 &&
               read_summary(parent, name, sizeof(name), &mode) == 0) {
        free(dir);
        dir = fw_xstrdup(w);
    } else {
        fw_msg("triage: cannot tell which target %s belongs to (no "
               "summary.json of a fuzz run): name it with --target",
               w);
        free(dir);
        free(parent);
        return FW_EXIT_USAGE;
    }
    free(parent);
    t = cmd_find_target(m, name);
    if (t == NULL) {
        free(dir);
        return FW_EXIT_CONFIG;
    }
    add_source(s, t, mode, dir, 0, ledger);
    free(dir);
    return 0;
}

/*
 * SHA-1s already triaged in a folder (its ledger lines "SHA1 ID"); their
 * groups are reported as known without replaying them again.
 */
static void ledger_load(struct triage_target *tt, const char *path,
                        struct strvec *done)
{
    char *text = NULL, *line, *save = NULL;
    size_t len, k;

    if (path == NULL || fs_read_file(path, 64u * 1024 * 1024, &text, &len) != 0)
        return;
    for (line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        if (strlen(line) <= FS_SHA1_HEX_LEN || line[FS_SHA1_HEX_LEN] != ' ')
            continue;
        strvec_pushf(done, "%.*s", FS_SHA1_HEX_LEN, line);
        for (k = 0; k < tt->n_groups; k++)
            if (strcmp(tt->groups[k].c.id, line + FS_SHA1_HEX_LEN + 1) == 0 &&
                tt->groups[k].state == GROUP_UNTOUCHED)
                tt->groups[k].state =
                    tt->groups[k].c.open ? GROUP_KNOWN : GROUP_FIXED;
    }
    free(text);
}

/* One line, appended in one write: a kill loses at most this line. */
static void ledger_add(const char *path, const char *sha1, const char *id)
{
    char line[128];
    int fd, n;

    if (path == NULL)
        return;
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0)
        return;
    n = snprintf(line, sizeof(line), "%s %s\n", sha1, id);
    if (write(fd, line, (size_t)n) != n)
        fw_msg("warning: cannot write %s: %s", path, strerror(errno));
    close(fd);
}

/* "libfuzzer-crash-SHA1" -> libfuzzer; afl-*, merge-* -> afl. */
static const char *engine_of(const char *name)
{
    if (strncmp(name, "libfuzzer-", 10) == 0)
        return "libfuzzer";
    if (strncmp(name, "afl-", 4) == 0 || strncmp(name, "merge-", 6) == 0)
        return "afl";
    return NULL;
}

/* Files of a findings folder that are findings: not slow units, not
 * fwfuzz's temporary files. */
static int is_finding_name(const char *name)
{
    const char *kind = lf_artifact_kind(name);

    if (kind != NULL)
        return strcmp(kind, "slow-unit") != 0;
    return strstr(name, ".tmp") == NULL;
}

static struct triage_target *target_state(struct triage_target **tts, size_t *n,
                                          const struct manifest_target *t,
                                          const struct triage_opts *o, int *rc)
{
    size_t i;
    char why[1024];

    for (i = 0; i < *n; i++)
        if ((*tts)[i].t == t)
            return &(*tts)[i];
    *tts = fw_xrealloc(*tts, (*n + 1) * sizeof(**tts));
    if (triage_open(&(*tts)[*n], t, o, why, sizeof(why)) != 0) {
        fw_msg("triage: %s", why);
        *rc = FW_EXIT_CONFIG;
        return NULL;
    }
    return &(*tts)[(*n)++];
}

/* One finding (path, named name in its folder), unless the ledger has it. */
static void triage_one(struct triage_target *tt, const struct source *src,
                       const char *path, const char *name, struct strvec *done)
{
    char sha1[FS_SHA1_HEX_LEN + 1];
    struct group *g;

    if (fs_sha1_file(path, sha1) != 0) {
        strvec_pushf(&tt->errors, "cannot read %s: %s", path, strerror(errno));
        return;
    }
    if (strvec_contains(done, sha1))
        return;
    fw_msg("triage: %s (%s)", path, fw_mode_name(src->mode));
    g = triage_finding(tt, path, src->mode, engine_of(name));
    if (g != NULL) {
        ledger_add(src->ledger, sha1, g->c.id);
        strvec_push(done, sha1);
    }
}

static void triage_source(struct triage_target *tt, const struct source *src)
{
    struct strvec names = {0}, done = {0};
    size_t i;

    ledger_load(tt, src->ledger, &done);
    if (src->is_file) {
        triage_one(tt, src, src->path, fw_basename(src->path), &done);
        strvec_free(&done);
        return;
    }
    if (fs_list_files(src->path, "", &names) != 0) {
        strvec_pushf(&tt->errors, "cannot list %s: %s", src->path,
                     strerror(errno));
        strvec_free(&done);
        return;
    }
    for (i = 0; i < names.n && !tt->interrupted; i++) {
        char *path;

        if (!is_finding_name(names.v[i]))
            continue;
        path = fs_join(src->path, names.v[i]);
        triage_one(tt, src, path, names.v[i], &done);
        free(path);
    }
    strvec_free(&names);
    strvec_free(&done);
}

static const char *state_name(enum group_state s)
{
    switch (s) {
    case GROUP_NEW:
        return "new";
    case GROUP_KNOWN:
        return "known";
    case GROUP_REOPENED:
        return "reopened";
    case GROUP_FIXED:
        return "fixed";
    case GROUP_STILL_OPEN:
        return "open";
    default:
        return "-";
    }
}

static void modes_text(const struct store_case *c, char *buf, size_t n)
{
    size_t i, at = 0;

    buf[0] = '\0';
    for (i = 0; i < c->modes.n && at < n; i++)
        at += (size_t)snprintf(buf + at, n - at, "%s%s", i ? "," : "",
                               c->modes.v[i]);
    if (c->modes.n == 0)
        snprintf(buf, n, "-");
}

/* Prints the groups this run touched; returns how many. */
static int print_table(struct triage_target *tts, size_t n, int update)
{
    size_t i, k;
    int header = 0;

    for (i = 0; i < n; i++) {
        for (k = 0; k < tts[i].n_groups; k++) {
            const struct group *g = &tts[i].groups[k];
            char cls[64], modes[32];

            if (g->state == GROUP_UNTOUCHED)
                continue;
            if (!header++)
                printf("%-12s  %-18s %-30s %-8s %-10s %5s %6s  %-8s %s\n", "ID",
                       "TARGET", "CLASS", "SEVERITY", "MODES", "COUNT", "SIZE",
                       "STATUS", "WHERE");
            snprintf(cls, sizeof(cls), "%s%s%s", g->c.cls,
                     g->c.access[0] ? " " : "", g->c.access);
            modes_text(&g->c, modes, sizeof(modes));
            printf("%-12s  %-18s %-30s %-8s %-10s %5lu %6lu  %-8s %s%s\n",
                   g->c.id, g->c.target, cls, g->c.severity, modes, g->c.count,
                   g->c.size_minimised, state_name(g->state),
                   g->c.location[g->c.sig[STORE_NATIVE][0] ? STORE_NATIVE
                                                           : STORE_EMU],
                   g->c.flaky        ? " (flaky)"
                   : g->c.kasan_only ? " (KASan only)"
                                     : "");
        }
    }
    if (!header)
        fw_msg("triage: %s",
               update ? "no open cases to re-check" : "no findings to triage");
    for (i = 0; i < n; i++) {
        for (k = 0; k < tts[i].not_reproduced.n; k++)
            printf("not reproduced (kept): %s\n", tts[i].not_reproduced.v[k]);
        for (k = 0; k < tts[i].errors.n; k++)
            printf("error: %s\n", tts[i].errors.v[k]);
    }
    fflush(stdout);
    for (i = 0; i < n; i++)
        header += (int)(tts[i].not_reproduced.n + tts[i].errors.n);
    return header;
}

/*
 * The group's top project frame as fields ("function", "file" relative to
 * the repository when inside it, "line") and a one-line "message", for the
 * campaign summary and its reports. They come from the case's location
 * text, "FUNC FILE:LINE" ("?" when unknown), which location_text in
 * triage.c writes; the native one first.
 */
static void add_location(cJSON *j, const struct store_case *c,
                         const char *source_dir)
{
    const char *loc = c->location[STORE_NATIVE];
    char func[SIG_FUNC_MAX] = "", file[SIG_FILE_MAX] = "";
    const char *sp, *colon, *rel = file;
    unsigned long line = 0;
    size_t n = source_dir != NULL ? strlen(source_dir) : 0;
    char *msg;

    if (loc[0] == '\0' || strcmp(loc, "?") == 0)
        loc = c->location[STORE_EMU];
    sp = strchr(loc, ' ');
    if (sp != NULL) {
        snprintf(func, sizeof(func), "%.*s", (int)(sp - loc), loc);
        colon = strrchr(sp + 1, ':');
        if (colon != NULL && fw_parse_ulong(colon + 1, 1, 10000000, &line) == 0)
            snprintf(file, sizeof(file), "%.*s", (int)(colon - sp - 1), sp + 1);
        else
            snprintf(file, sizeof(file), "%s", sp + 1);
    }
    /* cases stored before locations were made relative */
    if (n > 0 && strncmp(file, source_dir, n) == 0 && file[n] == '/')
        rel = file + n + 1;
    cJSON_AddStringToObject(j, "function", func);
    cJSON_AddStringToObject(j, "file", rel);
    cJSON_AddNumberToObject(j, "line", (double)line);
    msg = fw_xasprintf("%s%s%s%s%s%s%s", c->cls, c->access[0] ? " " : "",
                       c->access, func[0] ? " in " : "", func,
                       c->message[0] ? ": " : "", c->message);
    cJSON_AddStringToObject(j, "message", msg);
    free(msg);
}

static int write_json(const char *path, struct triage_target *tts, size_t n)
{
    cJSON *o = cJSON_CreateObject(), *groups = cJSON_CreateArray();
    cJSON *norepro = cJSON_CreateArray(), *errors = cJSON_CreateArray();
    char *text, *dir;
    size_t i, k;
    int rc;

    for (i = 0; i < n; i++) {
        for (k = 0; k < tts[i].n_groups; k++) {
            const struct group *g = &tts[i].groups[k];
            cJSON *j;
            char *file;

            if (g->state == GROUP_UNTOUCHED)
                continue;
            j = cJSON_CreateObject();
            cJSON_AddStringToObject(j, "id", g->c.id);
            cJSON_AddStringToObject(j, "target", g->c.target);
            cJSON_AddStringToObject(j, "state", state_name(g->state));
            cJSON_AddStringToObject(j, "status", g->c.open ? "open" : "fixed");
            cJSON_AddStringToObject(j, "class", g->c.cls);
            cJSON_AddStringToObject(j, "access", g->c.access);
            cJSON_AddStringToObject(j, "severity", g->c.severity);
            cJSON_AddNumberToObject(j, "cwe", g->c.cwe);
            cJSON_AddItemToObject(j, "modes", strvec_json(&g->c.modes));
            cJSON_AddItemToObject(j, "engines", strvec_json(&g->c.engines));
            cJSON_AddNumberToObject(j, "count", (double)g->c.count);
            cJSON_AddNumberToObject(j, "seen_now", (double)g->seen);
            cJSON_AddNumberToObject(j, "size", (double)g->c.size_minimised);
            cJSON_AddStringToObject(j, "native_signature",
                                    g->c.sig[STORE_NATIVE]);
            cJSON_AddStringToObject(j, "emu_signature", g->c.sig[STORE_EMU]);
            cJSON_AddStringToObject(j, "native_location",
                                    g->c.location[STORE_NATIVE]);
            cJSON_AddStringToObject(j, "emu_location",
                                    g->c.location[STORE_EMU]);
            add_location(j, &g->c, tts[i].o->source_dir);
            cJSON_AddBoolToObject(j, "flaky", g->c.flaky);
            cJSON_AddBoolToObject(j, "kasan_only", g->c.kasan_only);
            cJSON_AddStringToObject(j, "reproducer", g->c.reproducer);
            file = store_path(tts[i].regress, g->c.id, "json");
            cJSON_AddStringToObject(j, "case", file);
            free(file);
            cJSON_AddItemToArray(groups, j);
        }
        for (k = 0; k < tts[i].not_reproduced.n; k++)
            cJSON_AddItemToArray(
                norepro, cJSON_CreateString(tts[i].not_reproduced.v[k]));
        for (k = 0; k < tts[i].errors.n; k++)
            cJSON_AddItemToArray(errors,
                                 cJSON_CreateString(tts[i].errors.v[k]));
    }
    cJSON_AddNumberToObject(o, "version", 1);
    cJSON_AddItemToObject(o, "groups", groups);
    cJSON_AddItemToObject(o, "not_reproduced", norepro);
    cJSON_AddItemToObject(o, "errors", errors);
    text = cJSON_Print(o);
    cJSON_Delete(o);
    dir = fw_xstrdup(path);
    if (strrchr(dir, '/') != NULL)
        *strrchr(dir, '/') = '\0';
    else
        snprintf(dir, strlen(dir) + 1, ".");
    rc = fs_mkdirs(dir) == 0 && fs_write_atomic(path, text, strlen(text)) == 0
             ? 0
             : -1;
    if (rc != 0)
        fw_msg("triage: cannot write %s: %s", path, strerror(errno));
    free(dir);
    free(text);
    return rc;
}

/* 10 for a new or reopened group, 130, 4 for replays that failed, 0. */
static int exit_code(struct triage_target *tts, size_t n)
{
    size_t i, k;
    int news = 0, errors = 0, interrupted = 0;

    for (i = 0; i < n; i++) {
        for (k = 0; k < tts[i].n_groups; k++)
            news += tts[i].groups[k].state == GROUP_NEW ||
                    tts[i].groups[k].state == GROUP_REOPENED;
        errors += tts[i].errors.n > 0;
        interrupted |= tts[i].interrupted;
    }
    if (interrupted || proc_interrupts() > 0)
        return FW_EXIT_INTERRUPTED;
    if (news > 0)
        return FW_EXIT_FINDINGS;
    return errors > 0 ? FW_EXIT_ENGINE : FW_EXIT_OK;
}

/* --update: every case of the targets named (all by default). */
static int update(const struct cli *c, const struct manifest *m,
                  const struct triage_opts *o, struct triage_target **tts,
                  size_t *n)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < m->n_targets && rc == 0; i++) {
        const struct manifest_target *t = &m->targets[i];
        struct triage_target *tt;

        if (c->words.n > 0 && !strvec_contains(&c->words, t->name))
            continue;
        tt = target_state(tts, n, t, o, &rc);
        if (tt != NULL)
            triage_update(tt);
    }
    for (i = 0; i < c->words.n && rc == 0; i++)
        if (manifest_find(m, c->words.v[i]) == NULL) {
            cmd_find_target(m, c->words.v[i]);
            rc = FW_EXIT_CONFIG;
        }
    return rc;
}

/* Whether every word is a target name (its findings are under reports). */
static int no_paths(const struct cli *c, const struct manifest *m)
{
    size_t i;

    for (i = 0; i < c->words.n; i++)
        if (strchr(c->words.v[i], '/') != NULL ||
            manifest_find(m, c->words.v[i]) == NULL)
            return 0;
    return 1;
}

int cmd_triage(const struct cli *c)
{
    struct manifest m;
    struct sources s = {NULL, 0};
    struct triage_target *tts = NULL;
    struct triage_opts o;
    const char *reports = c->reports != NULL ? c->reports : "reports/fuzz";
    char *json = NULL;
    size_t i, n = 0;
    int rc = cmd_load_manifest(c, &m);

    if (rc != 0)
        return rc;
    proc_signals_install();
    memset(&o, 0, sizeof(o));
    o.runs = c->repro_runs;
    o.minimize_s = (double)c->minimize_time;
    o.timeout_s = c->timeout_s;
    o.no_store = c->no_store;
    o.source_dir = m.source_dir;
    if (c->update) {
        rc = update(c, &m, &o, &tts, &n);
    } else if (!fs_is_dir(reports) && no_paths(c, &m)) {
        fw_msg("triage: %s: no such folder (run triage where `fwfuzz fuzz` "
               "ran, or give --reports DIR)",
               reports);
        rc = FW_EXIT_CONFIG;
    } else {
        for (i = 0; i < c->words.n && rc == 0; i++)
            rc = add_word(&s, c, &m, reports, c->words.v[i]);
        for (i = 0; c->words.n == 0 && i < m.n_targets; i++)
            add_target_sources(&s, reports, &m.targets[i], !c->no_store);
        for (i = 0; i < s.n && rc == 0 && proc_interrupts() == 0; i++) {
            struct triage_target *tt =
                target_state(&tts, &n, s.v[i].t, &o, &rc);

            if (tt != NULL)
                triage_source(tt, &s.v[i]);
        }
    }
    if (rc == 0) {
        int touched = print_table(tts, n, c->update);

        json = c->out != NULL ? fw_xstrdup(c->out)
                              : fw_xasprintf("%s/triage.json", reports);
        /* nothing triaged: the last real triage.json stays */
        if (!c->no_store && touched && write_json(json, tts, n) != 0)
            rc = FW_EXIT_IO;
        else if (!c->no_store && touched)
            fw_msg("triage: %s", json);
        if (rc == 0)
            rc = exit_code(tts, n);
    }
    for (i = 0; i < n; i++)
        triage_close(&tts[i]);
    free(tts);
    free(json);
    sources_free(&s);
    manifest_free(&m);
    return rc;
}
