/* Triage of one target's findings into its stored cases (triage.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "minimize.h"
#include "proc.h"
#include "repro.h"
#include "triage.h"
#include "util.h"

/* Biggest finding triaged (libFuzzer's default -max_len is far below). */
#define TRIAGE_INPUT_MAX (16u * 1024 * 1024)
/* Seconds a native hang gets per minimising run: an infinite loop shows
 * in one second as in twenty-five. */
#define TRIAGE_MIN_HANG_S 2

static int mode_index(enum fw_mode mode)
{
    return mode == FW_MODE_EMU ? STORE_EMU : STORE_NATIVE;
}

int triage_open(struct triage_target *tt, const struct manifest_target *t,
                const struct triage_opts *o, char *why, size_t n)
{
    struct store_case *cases;
    size_t i, nc;

    memset(tt, 0, sizeof(*tt));
    tt->t = t;
    tt->o = o;
    tt->regress = fs_join(t->corpus, "regress");
    if (store_load_all(tt->regress, &cases, &nc, why, n) != 0)
        return -1;
    tt->groups = fw_xmalloc((nc + 1) * sizeof(*tt->groups));
    memset(tt->groups, 0, (nc + 1) * sizeof(*tt->groups));
    for (i = 0; i < nc; i++) {
        /* targets may share a corpus folder: only t's cases */
        if (strcmp(cases[i].target, t->name) == 0)
            tt->groups[tt->n_groups++].c = cases[i]; /* strvecs move over */
        else
            store_case_free(&cases[i]);
    }
    free(cases);
    tt->tmpdir =
        fw_xasprintf("%s/fwfuzz-triage-XXXXXX",
                     getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(tt->tmpdir) == NULL) {
        snprintf(why, n, "cannot make a folder %s: %s", tt->tmpdir,
                 strerror(errno));
        return -1;
    }
    return 0;
}

void triage_close(struct triage_target *tt)
{
    size_t i;

    for (i = 0; i < tt->n_groups; i++) {
        store_case_free(&tt->groups[i].c);
        free(tt->groups[i].bin);
    }
    free(tt->groups);
    free(tt->regress);
    if (tt->tmpdir != NULL)
        fs_remove_tree(tt->tmpdir);
    free(tt->tmpdir);
    strvec_free(&tt->not_reproduced);
    strvec_free(&tt->errors);
    memset(tt, 0, sizeof(*tt));
}

/* path relative to the repository when it is inside it. */
static const char *repo_relative(const struct triage_opts *o, const char *p)
{
    size_t n = o->source_dir != NULL ? strlen(o->source_dir) : 0;

    if (n > 0 && strncmp(p, o->source_dir, n) == 0 && p[n] == '/')
        return p + n + 1;
    return p;
}

static void location_text(const struct triage_opts *o,
                          const struct crash_sig *s, char *buf, size_t n)
{
    const struct sig_frame *f = sig_location(s);

    if (f == NULL)
        snprintf(buf, n, "?");
    else
        snprintf(buf, n, "%s %s:%d", f->func, repo_relative(o, f->file),
                 f->line);
}

static struct group *find_group(struct triage_target *tt,
                                const struct crash_sig *s, int mi)
{
    size_t i;

    for (i = 0; i < tt->n_groups; i++) {
        const struct store_case *c = &tt->groups[i].c;

        if (c->sig[mi][0] != '\0') {
            if (sig_key_same_bug(c->sig[mi], s->key, 1))
                return &tt->groups[i];
            continue;
        }
        /* a bug known from the other mode only */
        if (sig_key_same_bug(c->sig[1 - mi], s->key, 0))
            return &tt->groups[i];
    }
    return NULL;
}

/*
 * Replays path up to o->runs times. Returns the number of runs that found
 * something; *sig is the first finding's signature, *flaky set when not
 * every run found that same signature. A first run that shows a bug
 * already known is enough: the runs after it would only tell whether
 * the finding is flaky, which matters for a new group (and a hang costs
 * its whole timeout per run).
 */
static unsigned long reproduce(struct triage_target *tt, const struct repro *r,
                               const char *path, struct crash_sig *sig,
                               int *flaky)
{
    unsigned long i, hits = 0, same = 0;
    char why[512];

    *flaky = 0;
    for (i = 0; i < tt->o->runs && proc_interrupts() == 0; i++) {
        struct crash_sig s;
        enum repro_verdict v = repro_run(r, path, &s, NULL, why, sizeof(why));

        if (v == REPRO_ERROR) {
            strvec_pushf(&tt->errors, "%s: %s", path, why);
            return 0;
        }
        if (v != REPRO_FINDING)
            continue;
        if (hits++ == 0)
            *sig = s;
        if (strcmp(s.key, sig->key) == 0)
            same++;
        if (i == 0 && find_group(tt, sig, mode_index(r->mode)) != NULL)
            return hits;
    }
    if (proc_interrupts() > 0)
        tt->interrupted = 1;
    *flaky = hits > 0 && same < tt->o->runs;
    return hits;
}

/* Replays data once in the other mode (or image); 1 with *sig when it
 * finds something there. */
static int try_other(struct triage_target *tt, enum fw_mode mode, int plain,
                     const unsigned char *data, size_t len,
                     struct crash_sig *sig)
{
    struct repro r;
    char why[512];
    enum repro_verdict v;

    if (repro_init(&r, tt->t, mode, plain, tt->o->timeout_s, why,
                   sizeof(why)) != 0)
        return 0;
    v = repro_run_data(&r, tt->tmpdir, data, len, sig, why, sizeof(why));
    repro_free(&r);
    return v == REPRO_FINDING;
}

/* Class, access, severity and CWE of a case from a signature. */
static void set_class(struct store_case *c, const struct crash_sig *s)
{
    struct sig_rating rate;

    snprintf(c->cls, sizeof(c->cls), "%s", s->cls);
    snprintf(c->access, sizeof(c->access), "%s", s->access);
    sig_rate(s->cls, s->access, &rate);
    snprintf(c->severity, sizeof(c->severity), "%s", rate.severity);
    c->cwe = rate.cwe;
}

static void set_mode_sig(struct triage_target *tt, struct store_case *c, int mi,
                         const struct crash_sig *s)
{
    snprintf(c->sig[mi], sizeof(c->sig[mi]), "%s", s->key);
    location_text(tt->o, s, c->location[mi], sizeof(c->location[mi]));
    /* UBSan's index-out-of-bounds stopped the native run before ASan
     * could say which buffer and which access: the other mode's class is
     * the more precise one */
    if (strcmp(c->cls, "index-out-of-bounds") == 0 &&
        strcmp(s->cls, "index-out-of-bounds") != 0)
        set_class(c, s);
}

static void record_seen(struct group *g, enum fw_mode mode, const char *engine)
{
    store_now(g->c.last_seen, sizeof(g->c.last_seen));
    g->c.count++;
    g->seen++;
    g->dirty = 1;
    if (engine != NULL && !strvec_contains(&g->c.engines, engine))
        strvec_push(&g->c.engines, engine);
    if (!strvec_contains(&g->c.modes, fw_mode_name(mode)))
        strvec_push(&g->c.modes, fw_mode_name(mode));
}

/* Minimises a new group's input in the mode that found it. */
static void minimise(struct triage_target *tt, const struct repro *r,
                     const struct crash_sig *s, struct group *g,
                     const unsigned char *data, size_t len)
{
    struct repro fast;
    const struct repro *use = r;
    struct min_result m;
    char why[512];

    /* a native hang: shorter runs, the same signature */
    if (r->mode == FW_MODE_NATIVE && strcmp(s->cls, "timeout") == 0 &&
        r->timeout_s > TRIAGE_MIN_HANG_S &&
        repro_init(&fast, tt->t, r->mode, r->plain, TRIAGE_MIN_HANG_S, why,
                   sizeof(why)) == 0)
        use = &fast;
    if (minimize(use, tt->tmpdir, data, len, s->key, tt->o->minimize_s, &m, why,
                 sizeof(why)) != 0)
        strvec_pushf(&tt->errors, "%s %s: minimising: %s", tt->t->name, g->c.id,
                     why);
    if (use == &fast)
        repro_free(&fast);
    g->bin = m.data;
    g->bin_len = m.len;
    g->c.size_minimised = m.len;
    if (proc_interrupts() > 0)
        tt->interrupted = 1;
}

/* The other mode and, for a stack overflow under KASan, the plain image:
 * where else the minimised input shows the bug. */
static void cross_check(struct triage_target *tt, const struct repro *r,
                        struct group *g)
{
    int mi = mode_index(r->mode);
    enum fw_mode other = r->mode == FW_MODE_EMU ? FW_MODE_NATIVE : FW_MODE_EMU;
    struct crash_sig s;

    if ((other == FW_MODE_NATIVE || tt->t->emu != NULL) &&
        try_other(tt, other, 0, g->bin, g->bin_len, &s) &&
        sig_key_same_bug(g->c.sig[mi], s.key, 0))
        set_mode_sig(tt, &g->c, 1 - mi, &s);
    /* KASan's redzones make frames larger: does the product overflow? */
    if (strcmp(g->c.cls, "stack-overflow") == 0 && tt->t->emu != NULL &&
        tt->t->emu->image_plain != NULL) {
        int hit = r->mode == FW_MODE_EMU && !r->plain
                      ? try_other(tt, FW_MODE_EMU, 1, g->bin, g->bin_len, &s)
                      : 1;

        g->c.kasan_only = !hit;
    }
}

static struct group *new_group(struct triage_target *tt, const struct repro *r,
                               const struct crash_sig *s, int flaky,
                               const unsigned char *data, size_t len)
{
    struct group *g;
    char hex[FS_SHA1_HEX_LEN + 1], *bin;
    int mi = mode_index(r->mode);

    tt->groups =
        fw_xrealloc(tt->groups, (tt->n_groups + 1) * sizeof(*tt->groups));
    g = &tt->groups[tt->n_groups++];
    memset(g, 0, sizeof(*g));
    g->state = GROUP_NEW;
    fs_sha1_hex(s->key, strlen(s->key), hex);
    snprintf(g->c.id, sizeof(g->c.id), "%.*s", STORE_ID_LEN, hex);
    snprintf(g->c.target, sizeof(g->c.target), "%s", tt->t->name);
    set_class(&g->c, s);
    snprintf(g->c.message, sizeof(g->c.message), "%s", s->message);
    set_mode_sig(tt, &g->c, mi, s);
    store_now(g->c.first_seen, sizeof(g->c.first_seen));
    g->c.size_original = len;
    g->c.flaky = flaky;
    g->c.open = 1;
    bin = store_path(tt->regress, g->c.id, "bin");
    snprintf(g->c.reproducer, sizeof(g->c.reproducer),
             "fwfuzz repro %s %s --mode %s", tt->t->name,
             repo_relative(tt->o, bin), fw_mode_name(r->mode));
    free(bin);
    minimise(tt, r, s, g, data, len);
    cross_check(tt, r, g);
    return g;
}

/* Keeps a smaller input of a known group when it shows the bug in every
 * mode the case has a signature for. */
static void maybe_smaller(struct triage_target *tt, struct group *g,
                          enum fw_mode mode, const unsigned char *data,
                          size_t len)
{
    int other = 1 - mode_index(mode);
    struct crash_sig s;

    if (len >= g->c.size_minimised || g->c.size_minimised == 0)
        return;
    if (g->c.sig[other][0] != '\0' &&
        !(try_other(tt, other == STORE_EMU ? FW_MODE_EMU : FW_MODE_NATIVE, 0,
                    data, len, &s) &&
          strcmp(s.key, g->c.sig[other]) == 0))
        return;
    free(g->bin);
    g->bin = fw_xmalloc(len + 1);
    memcpy(g->bin, data, len);
    g->bin_len = len;
    g->c.size_minimised = len;
}

static int save_group(struct triage_target *tt, struct group *g)
{
    if (tt->o->no_store || !g->dirty)
        return 0;
    if (store_save(tt->regress, &g->c, g->bin, g->bin_len) != 0) {
        strvec_pushf(&tt->errors, "%s: cannot save case %s in %s", tt->t->name,
                     g->c.id, tt->regress);
        return -1;
    }
    free(g->bin);
    g->bin = NULL;
    g->dirty = 0;
    return 0;
}

struct group *triage_finding(struct triage_target *tt, const char *path,
                             enum fw_mode mode, const char *engine)
{
    struct repro r;
    struct crash_sig s;
    struct group *g;
    char why[512], *data = NULL;
    size_t len = 0;
    int flaky = 0;
    unsigned long hits;

    if (fs_read_file(path, TRIAGE_INPUT_MAX, &data, &len) != 0) {
        strvec_pushf(&tt->errors, "%s: cannot read", path);
        return NULL;
    }
    if (repro_init(&r, tt->t, mode, 0, tt->o->timeout_s, why, sizeof(why)) !=
        0) {
        strvec_pushf(&tt->errors, "%s: %s", path, why);
        free(data);
        return NULL;
    }
    hits = reproduce(tt, &r, path, &s, &flaky);
    if (hits == 0 && mode == FW_MODE_EMU && tt->t->emu->image_plain != NULL &&
        !tt->interrupted) {
        /* found with the plain image, where KASan's checks do not stop it
         * earlier (a deeper stack, another path) */
        repro_free(&r);
        if (repro_init(&r, tt->t, mode, 1, tt->o->timeout_s, why,
                       sizeof(why)) == 0)
            hits = reproduce(tt, &r, path, &s, &flaky);
        else
            memset(&r, 0, sizeof(r));
    }
    if (hits == 0) {
        if (!tt->interrupted)
            strvec_push(&tt->not_reproduced, path);
        repro_free(&r);
        free(data);
        return NULL;
    }
    g = find_group(tt, &s, mode_index(mode));
    if (g == NULL) {
        g = new_group(tt, &r, &s, flaky, (unsigned char *)data, len);
    } else {
        if (g->c.sig[mode_index(mode)][0] == '\0')
            set_mode_sig(tt, &g->c, mode_index(mode), &s);
        if (!g->c.open) {
            g->c.open = 1;
            g->c.fixed_date[0] = '\0';
            g->c.fixed_revision[0] = '\0';
            g->state = GROUP_REOPENED;
        } else if (g->state == GROUP_UNTOUCHED) {
            g->state = GROUP_KNOWN;
        }
        g->c.flaky |= flaky;
        maybe_smaller(tt, g, mode, (unsigned char *)data, len);
    }
    record_seen(g, mode, engine);
    repro_free(&r);
    free(data);
    if (tt->interrupted)
        return NULL; /* a half-minimised group is not saved */
    return save_group(tt, g) == 0 ? g : NULL;
}

/* Does the case's input still show its bug in mode? */
static int still_fails(struct triage_target *tt, struct group *g, int mi)
{
    enum fw_mode mode = mi == STORE_EMU ? FW_MODE_EMU : FW_MODE_NATIVE;
    char *bin = store_path(tt->regress, g->c.id, "bin"), why[512];
    struct repro r;
    struct crash_sig s;
    int flaky, rc = 0;

    if (repro_init(&r, tt->t, mode, 0, tt->o->timeout_s, why, sizeof(why)) !=
        0) {
        strvec_pushf(&tt->errors, "%s %s: %s", tt->t->name, g->c.id, why);
        free(bin);
        return 1; /* cannot tell: keep it open */
    }
    if (reproduce(tt, &r, bin, &s, &flaky) > 0 &&
        sig_key_same_bug(g->c.sig[mi], s.key, 1))
        rc = 1;
    repro_free(&r);
    free(bin);
    return rc;
}

void triage_update(struct triage_target *tt)
{
    size_t i;
    char rev[48];

    triage_revision(tt->o->source_dir, rev, sizeof(rev));
    for (i = 0; i < tt->n_groups && !tt->interrupted; i++) {
        struct group *g = &tt->groups[i];
        int mi, fails = 0;

        if (!g->c.open)
            continue;
        for (mi = 0; mi < STORE_MODES && !fails; mi++)
            if (g->c.sig[mi][0] != '\0')
                fails = still_fails(tt, g, mi);
        if (tt->interrupted || proc_interrupts() > 0) {
            tt->interrupted = 1;
            break;
        }
        if (fails) {
            g->state = GROUP_STILL_OPEN;
            continue;
        }
        g->state = GROUP_FIXED;
        g->c.open = 0;
        store_now(g->c.fixed_date, sizeof(g->c.fixed_date));
        snprintf(g->c.fixed_revision, sizeof(g->c.fixed_revision), "%s", rev);
        g->dirty = 1;
        save_group(tt, g);
    }
}

void triage_revision(const char *dir, char *buf, size_t n)
{
    char *argv[] = {"git",       "-C",   (char *)(dir != NULL ? dir : "."),
                    "rev-parse", "HEAD", NULL,
                    NULL};
    struct proc_opts o = {NULL, NULL, NULL};
    char *out = NULL;
    int status = 0;

    snprintf(buf, n, "unknown");
    if (proc_run(argv, &o, NULL, 10, &out, 256, &status) == 0 && status == 0 &&
        out != NULL && strlen(out) >= 40)
        snprintf(buf, n, "%.40s", out);
    free(out);
    out = NULL;
    /* the fix is not in HEAD yet while tracked files are changed */
    argv[3] = "status";
    argv[4] = "--porcelain";
    argv[5] = "-uno";
    if (strcmp(buf, "unknown") != 0 &&
        proc_run(argv, &o, NULL, 10, &out, 4096, &status) == 0 && status == 0 &&
        out != NULL && out[0] != '\0')
        snprintf(buf + strlen(buf), n - strlen(buf), "-dirty");
    free(out);
}
