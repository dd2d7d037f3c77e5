/* fwfuzz bench: each target's seed corpus run natively (plain and with
 * ASan) and under emulation, side by side; and a soak test of the
 * emulator's memory over many runs. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "benchparse.h"
#include "cmds.h"
#include "engine.h"
#include "exitcode.h"
#include "fsutil.h"
#include "fwfuzz/protocol.h"
#include "linebuf.h"
#include "proc.h"
#include "progress.h"
#include "summary.h"
#include "util.h"

/*
 * native and asan: the host builds. emu: the plain firmware image (the
 * product's code and optimisation level, no KASan), what EMU/NATIVE
 * compares; emu_o2 the same built at -O2. emu_kasan: the KASan image that
 * fuzzing runs. The _hook kinds run the same image with every run on the
 * full block hook (FWFUZZ_EMU_HOOKS=full): the emulator before its fast
 * path, side by side in the same command (docs/emulation.md, "Speed").
 */
enum bench_kind {
    BENCH_NATIVE,
    BENCH_ASAN,
    BENCH_EMU_HOOK,
    BENCH_EMU,
    BENCH_EMU_O2,
    BENCH_EMU_KASAN_HOOK,
    BENCH_EMU_KASAN,
    BENCH_KINDS
};

static const char *const kind_names[BENCH_KINDS] = {
    "native", "asan",           "emu_hook", "emu",
    "emu_o2", "emu_kasan_hook", "emu_kasan"};

static int kind_is_emu(enum bench_kind k)
{
    return k >= BENCH_EMU_HOOK;
}

static int kind_is_kasan(enum bench_kind k)
{
    return k == BENCH_EMU_KASAN_HOOK || k == BENCH_EMU_KASAN;
}

static int kind_is_hook(enum bench_kind k)
{
    return k == BENCH_EMU_HOOK || k == BENCH_EMU_KASAN_HOOK;
}

/* One measurement: one child process. */
struct measure {
    int ran;     /* a result line arrived */
    char *skip;  /* why it did not run (build missing, ...), or NULL */
    char *error; /* why it failed, or NULL */
    struct bench_figures fig;
};

struct bench_row {
    const struct manifest_target *t;
    unsigned long seeds;
    struct measure m[BENCH_KINDS];
};

/* What the child printed and how it ended. */
struct child {
    struct bench_figures result;
    int has_result;
    char last_line[256];
    /* soak: called with every rss line */
    void (*on_rss)(const struct bench_figures *f, void *ctx);
    void *ctx;
};

static void on_line(const char *line, void *ctx)
{
    struct child *c = ctx;
    struct bench_figures f;

    switch (bench_parse_line(line, &f)) {
    case BENCH_LINE_RESULT:
        c->result = f;
        c->has_result = 1;
        break;
    case BENCH_LINE_RSS:
        if (c->on_rss != NULL)
            c->on_rss(&f, c->ctx);
        break;
    default:
        if (line[0] != '\0')
            snprintf(c->last_line, sizeof(c->last_line), "%s", line);
        break;
    }
}

/* Runs argv to its end with env set (NULL-terminated "NAME=value" list, or
 * NULL), reading its lines as they come. Returns 0 when it exited 0 with a
 * result line; otherwise -1 with the reason in err (malloc'd). SIGINT and
 * SIGTERM stop the child. */
static int run_child(char *const argv[], const struct strvec *env,
                     struct child *c, char **err)
{
    struct proc_opts o = {(const char *const *)env->v, NULL, NULL};
    struct proc p;
    struct linebuf lb;
    char buf[8192], st[96];
    double killed_at = 0;
    int seen = proc_interrupts();

    *err = NULL;
    if (proc_spawn(&p, argv, &o) != 0) {
        *err = fw_xasprintf("cannot run %s: %s", argv[0], strerror(errno));
        return -1;
    }
    linebuf_init(&lb);
    for (;;) {
        struct pollfd pfd = {p.fd, POLLIN, 0};
        ssize_t n;

        poll(&pfd, 1, 200);
        while ((n = proc_read(&p, buf, sizeof(buf))) > 0)
            linebuf_feed(&lb, buf, (size_t)n, on_line, c);
        if (p.fd < 0 && proc_reap(&p))
            break;
        if (proc_interrupts() != seen && killed_at == 0) {
            proc_kill(&p, SIGTERM);
            killed_at = fw_now();
        } else if (killed_at > 0 && fw_now() - killed_at > 5) {
            proc_kill(&p, SIGKILL);
        }
    }
    linebuf_flush(&lb, on_line, c);
    proc_close(&p);
    if (WIFEXITED(p.status) && WEXITSTATUS(p.status) == 0 && c->has_result)
        return 0;
    proc_status_text(p.status, st, sizeof(st));
    *err = fw_xasprintf("%s %s%s%s", fw_basename(argv[0]), st,
                        c->last_line[0] ? ": " : "", c->last_line);
    return -1;
}

/* argv of one measurement: the build, its options, the seed folder. */
static void bench_argv(const struct cli *c, const char *bin, int emu,
                       const char *seeds, struct strvec *argv)
{
    strvec_push(argv, bin);
    if (emu)
        strvec_push(argv, "--bench");
    strvec_push(argv, c->runs > 0 ? "--runs" : "--time");
    strvec_pushf(argv, "%lu", c->runs > 0 ? c->runs : c->time_s);
    strvec_push(argv, seeds);
}

static void measure_one(const struct cli *c, const struct bench_row *row,
                        enum bench_kind k, const char *seeds, struct measure *m)
{
    const struct manifest_target *t = row->t;
    int emu = kind_is_emu(k);
    const char *bin = k == BENCH_NATIVE ? t->bench
                      : k == BENCH_ASAN ? t->bench_asan
                      : t->emu != NULL  ? t->emu->replay
                                        : NULL;
    const char *image = NULL;
    struct strvec argv = {0}, env = {0};
    struct child ch;
    char why[512];
    char *err;

    if (bin == NULL) {
        m->skip = fw_xstrdup(emu                       ? "no emulated builds"
                             : !manifest_has_native(t) ? "a whole image: no "
                                                         "native builds"
                                                       : "no bench build in "
                                                         "manifest");
        return;
    }
    if (emu && t->whole_image) {
        /* A whole image is the one file it ships as, always on the full
         * hook: the EMU column only. */
        if (k != BENCH_EMU) {
            m->skip = fw_xstrdup("a whole image: one build, on the full "
                                 "hook");
            return;
        }
        image = t->emu->image;
    } else if (k == BENCH_EMU_O2) {
        image = t->emu->image_plain_o2;
        if (image == NULL || access(image, R_OK) != 0) {
            m->skip = fw_xstrdup(image == NULL ? "the manifest names no -O2 "
                                                 "image (\"image_plain_o2\")"
                                               : "the -O2 image is missing "
                                                 "(build first)");
            return;
        }
    } else if (emu && (image = engine_emu_image(t, !kind_is_kasan(k), why,
                                                sizeof(why))) == NULL) {
        m->skip = fw_xstrdup(why);
        return;
    }
    if (!fs_is_executable(bin)) {
        m->skip = fw_xasprintf("%s is missing (build first)", bin);
        return;
    }
    memset(&ch, 0, sizeof(ch));
    if (emu) {
        engine_emu_env(t, image, &env);
        strvec_pushf(&env, "%s=%s", FWFUZZ_ENV_EMU_HOOKS,
                     kind_is_hook(k) ? "full" : "fast");
    }
    bench_argv(c, bin, emu, seeds, &argv);
    fw_msg("bench %s: %s ...", t->name, kind_names[k]);
    if (run_child(argv.v, &env, &ch, &err) != 0) {
        m->error = err;
        fw_msg("bench %s: %s failed: %s", t->name, kind_names[k], err);
    } else {
        m->ran = 1;
        m->fig = ch.result;
    }
    strvec_free(&argv);
    strvec_free(&env);
}

static void rate_text(char *buf, size_t n, const struct measure *m)
{
    if (m->ran)
        progress_human(buf, n, bench_rate(&m->fig));
    else
        snprintf(buf, n, "%s", m->error != NULL ? "error" : "-");
}

static void rss_text(char *buf, size_t n, const struct measure *m)
{
    if (m->ran)
        snprintf(buf, n, "%.1f", (double)m->fig.maxrss_kb / 1024.0);
    else
        snprintf(buf, n, "-");
}

static double rate_of(const struct measure *m)
{
    return m->ran ? bench_rate(&m->fig) : 0;
}

static void print_table(const struct bench_row *rows, size_t n)
{
    size_t i, wt = strlen("TARGET");

    for (i = 0; i < n; i++)
        if (strlen(rows[i].t->name) > wt)
            wt = strlen(rows[i].t->name);
    printf("%-*s  %6s  %8s  %8s  %10s  %8s  %9s  %12s  %9s  %10s  %12s  %s\n",
           (int)wt, "TARGET", "INPUTS", "NATIVE/S", "ASAN/S", "EMU HOOK/S",
           "EMU/S", "EMU-O2/S", "KASAN HOOK/S", "KASAN/S", "EMU/NATIVE",
           "KASAN/NATIVE", "PEAK RSS MB (NATIVE/ASAN/EMU/KASAN)");
    for (i = 0; i < n; i++) {
        const struct bench_row *r = &rows[i];
        char rate[BENCH_KINDS][16], rss[BENCH_KINDS][16], ratio[24];
        char kratio[24];
        size_t k;

        for (k = 0; k < BENCH_KINDS; k++) {
            rate_text(rate[k], sizeof(rate[k]), &r->m[k]);
            rss_text(rss[k], sizeof(rss[k]), &r->m[k]);
        }
        bench_ratio_text(ratio, sizeof(ratio), rate_of(&r->m[BENCH_EMU]),
                         rate_of(&r->m[BENCH_NATIVE]));
        bench_ratio_text(kratio, sizeof(kratio),
                         rate_of(&r->m[BENCH_EMU_KASAN]),
                         rate_of(&r->m[BENCH_NATIVE]));
        printf("%-*s  %6lu  %8s  %8s  %10s  %8s  %9s  %12s  %9s  %10s  %12s  "
               "%s / %s / %s / %s\n",
               (int)wt, r->t->name, r->seeds, rate[BENCH_NATIVE],
               rate[BENCH_ASAN], rate[BENCH_EMU_HOOK], rate[BENCH_EMU],
               rate[BENCH_EMU_O2], rate[BENCH_EMU_KASAN_HOOK],
               rate[BENCH_EMU_KASAN], ratio, kratio, rss[BENCH_NATIVE],
               rss[BENCH_ASAN], rss[BENCH_EMU], rss[BENCH_EMU_KASAN]);
    }
    fflush(stdout);
}

static cJSON *measure_json(const struct measure *m)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddBoolToObject(o, "ran", m->ran);
    if (m->ran) {
        cJSON_AddNumberToObject(o, "execs", (double)m->fig.execs);
        cJSON_AddNumberToObject(o, "seconds", m->fig.seconds);
        cJSON_AddNumberToObject(
            o, "execs_per_sec",
            (double)(unsigned long long)bench_rate(&m->fig));
        cJSON_AddNumberToObject(
            o, "median_execs_per_sec",
            (double)(unsigned long long)m->fig.median_per_s);
        cJSON_AddNumberToObject(o, "passes", (double)m->fig.passes);
        cJSON_AddNumberToObject(o, "faults", (double)m->fig.faults);
        cJSON_AddNumberToObject(o, "warmup_seconds", m->fig.warmup_seconds);
        cJSON_AddNumberToObject(o, "peak_rss_kb", (double)m->fig.maxrss_kb);
    }
    if (m->skip != NULL)
        cJSON_AddStringToObject(o, "skipped", m->skip);
    if (m->error != NULL)
        cJSON_AddStringToObject(o, "error", m->error);
    return o;
}

static cJSON *rows_json(const struct cli *c, const struct bench_row *rows,
                        size_t n, int exit_code)
{
    cJSON *o = cJSON_CreateObject(), *arr;
    size_t i, k;

    cJSON_AddNumberToObject(o, "format", SUMMARY_FORMAT);
    if (c->runs > 0)
        cJSON_AddNumberToObject(o, "runs", (double)c->runs);
    else
        cJSON_AddNumberToObject(o, "time_s", (double)c->time_s);
    arr = cJSON_AddArrayToObject(o, "targets");
    for (i = 0; i < n; i++) {
        const struct bench_row *r = &rows[i];
        cJSON *to = cJSON_CreateObject();
        double emu = rate_of(&r->m[BENCH_EMU]);
        double nat = rate_of(&r->m[BENCH_NATIVE]);

        cJSON_AddStringToObject(to, "name", r->t->name);
        cJSON_AddNumberToObject(to, "inputs", (double)r->seeds);
        for (k = 0; k < BENCH_KINDS; k++)
            cJSON_AddItemToObject(to, kind_names[k], measure_json(&r->m[k]));
        if (emu > 0 && nat > 0)
            cJSON_AddNumberToObject(to, "emu_native_ratio", emu / nat);
        else
            cJSON_AddNullToObject(to, "emu_native_ratio");
        cJSON_AddItemToArray(arr, to);
    }
    cJSON_AddNumberToObject(o, "exit_code", exit_code);
    return o;
}

/* --- soak --------------------------------------------------------- */

struct soak {
    const char *target;
    unsigned long long total;
    cJSON *samples;
    unsigned long long first_kb, last_kb, peak_kb;
    int have_first;
};

static void on_soak_rss(const struct bench_figures *f, void *ctx)
{
    struct soak *s = ctx;
    cJSON *o = cJSON_CreateObject();

    /* the sample at 0 runs is taken after the warm-up pass */
    if (!s->have_first) {
        s->first_kb = f->rss_kb;
        s->have_first = 1;
    }
    s->last_kb = f->rss_kb;
    if (f->maxrss_kb > s->peak_kb)
        s->peak_kb = f->maxrss_kb;
    fw_msg("soak %s: %llu/%llu runs, %.1f s: RSS %.1f MB (peak %.1f MB)",
           s->target, f->execs, s->total, f->seconds,
           (double)f->rss_kb / 1024.0, (double)f->maxrss_kb / 1024.0);
    cJSON_AddNumberToObject(o, "execs", (double)f->execs);
    cJSON_AddNumberToObject(o, "seconds", f->seconds);
    cJSON_AddNumberToObject(o, "rss_kb", (double)f->rss_kb);
    cJSON_AddNumberToObject(o, "maxrss_kb", (double)f->maxrss_kb);
    cJSON_AddItemToArray(s->samples, o);
}

static int soak(const struct cli *c, const struct manifest_target *t)
{
    struct strvec argv = {0}, env = {0};
    struct soak s;
    struct child ch;
    char *seeds, *err = NULL;
    int rc;

    if (t->emu == NULL || !fs_is_executable(t->emu->replay)) {
        fw_msg("%s: %s", t->name,
               t->emu == NULL ? "no emulated builds"
                              : "emulated replay build is missing (build "
                                "first)");
        return FW_EXIT_CONFIG;
    }
    seeds = fs_join(t->corpus, "seed");
    if (fs_count_files(seeds) == 0) {
        fw_msg("%s: no seeds in %s to soak with", t->name, seeds);
        free(seeds);
        return FW_EXIT_CONFIG;
    }
    memset(&s, 0, sizeof(s));
    s.target = t->name;
    s.total = c->soak;
    s.samples = cJSON_CreateArray();
    memset(&ch, 0, sizeof(ch));
    ch.on_rss = on_soak_rss;
    ch.ctx = &s;
    engine_emu_env(t, engine_emu_image(t, 0, NULL, 0), &env);
    strvec_push(&argv, t->emu->replay);
    strvec_push(&argv, "--bench");
    strvec_push(&argv, "--execs");
    strvec_pushf(&argv, "%lu", c->soak);
    strvec_push(&argv, "--rss-every");
    strvec_pushf(&argv, "%lu", c->soak >= 20 ? c->soak / 20 : 1);
    strvec_push(&argv, seeds);
    fw_msg("soak %s: %lu emulated runs over %s", t->name, c->soak, seeds);
    rc = run_child(argv.v, &env, &ch, &err);
    if (c->json) {
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "target", t->name);
        cJSON_AddNumberToObject(o, "runs", (double)ch.result.execs);
        cJSON_AddNumberToObject(o, "seconds", ch.result.seconds);
        cJSON_AddNumberToObject(
            o, "execs_per_sec",
            (double)(unsigned long long)bench_rate(&ch.result));
        cJSON_AddNumberToObject(o, "faults", (double)ch.result.faults);
        cJSON_AddNumberToObject(o, "rss_first_kb", (double)s.first_kb);
        cJSON_AddNumberToObject(o, "rss_last_kb", (double)s.last_kb);
        cJSON_AddNumberToObject(o, "peak_rss_kb",
                                (double)(ch.result.maxrss_kb > s.peak_kb
                                             ? ch.result.maxrss_kb
                                             : s.peak_kb));
        cJSON_AddItemToObject(o, "samples", s.samples);
        if (err != NULL)
            cJSON_AddStringToObject(o, "error", err);
        summary_print(o);
        cJSON_Delete(o);
    } else {
        cJSON_Delete(s.samples);
        if (rc == 0)
            printf("soak %s: %llu runs in %.1f s (%.0f/s), %llu faulted; "
                   "RSS after warm-up %.1f MB, at the end %.1f MB "
                   "(%+.1f MB), peak %.1f MB\n",
                   t->name, ch.result.execs, ch.result.seconds,
                   bench_rate(&ch.result), ch.result.faults,
                   (double)s.first_kb / 1024.0,
                   (double)ch.result.rss_kb / 1024.0,
                   ((double)ch.result.rss_kb - (double)s.first_kb) / 1024.0,
                   (double)ch.result.maxrss_kb / 1024.0);
    }
    if (rc != 0)
        fw_msg("soak %s failed: %s", t->name, err);
    free(err);
    free(seeds);
    strvec_free(&argv);
    strvec_free(&env);
    if (proc_interrupts() > 0)
        return FW_EXIT_INTERRUPTED;
    return rc == 0 ? FW_EXIT_OK : FW_EXIT_ENGINE;
}

/* --- the side-by-side benchmark ------------------------------------ */

int cmd_bench(const struct cli *c)
{
    struct manifest m;
    struct bench_row *rows = NULL;
    size_t n = 0, i, k;
    int rc = cmd_load_manifest(c, &m), failed = 0;

    if (rc != 0)
        return rc;
    proc_signals_install();
    n = c->targets.n > 0 ? c->targets.n : m.n_targets;
    rows = fw_xmalloc((n > 0 ? n : 1) * sizeof(*rows));
    memset(rows, 0, (n > 0 ? n : 1) * sizeof(*rows));
    for (i = 0; i < n; i++) {
        rows[i].t = c->targets.n > 0 ? cmd_find_target(&m, c->targets.v[i])
                                     : &m.targets[i];
        if (rows[i].t == NULL) {
            rc = FW_EXIT_CONFIG;
            goto out;
        }
    }
    if (c->soak > 0) {
        rc = soak(c, rows[0].t);
        goto out;
    }
    for (i = 0; i < n && proc_interrupts() == 0; i++) {
        struct bench_row *r = &rows[i];
        char *seeds = fs_join(r->t->corpus, "seed");

        r->seeds = fs_count_files(seeds);
        for (k = 0; k < BENCH_KINDS && proc_interrupts() == 0; k++) {
            if (r->seeds == 0) {
                r->m[k].skip = fw_xasprintf("no seeds in %s", seeds);
                continue;
            }
            measure_one(c, r, (enum bench_kind)k, seeds, &r->m[k]);
            failed |= r->m[k].error != NULL;
        }
        for (k = BENCH_EMU_HOOK; k < BENCH_KINDS; k++)
            if (r->m[k].ran && r->m[k].fig.faults > 0)
                fw_msg("note: %s: %llu of %llu emulated runs (%s) of the "
                       "seeds ended in a fault or hang (%sfwfuzz replay %s "
                       "--mode emu --emu-image %s %s)",
                       r->t->name, r->m[k].fig.faults, r->m[k].fig.execs,
                       kind_names[k],
                       k == BENCH_EMU_O2 ? "FWFUZZ_EMU_IMAGE=<the -O2 image> "
                                         : "",
                       r->t->name,
                       kind_is_kasan((enum bench_kind)k) ? "kasan" : "plain",
                       seeds);
        free(seeds);
    }
    rc = proc_interrupts() > 0 ? FW_EXIT_INTERRUPTED
         : failed              ? FW_EXIT_ENGINE
                               : FW_EXIT_OK;
    if (c->json) {
        cJSON *o = rows_json(c, rows, n, rc);

        summary_print(o);
        cJSON_Delete(o);
    } else {
        print_table(rows, n);
    }
out:
    for (i = 0; i < n; i++) {
        for (k = 0; k < BENCH_KINDS; k++) {
            free(rows[i].m[k].skip);
            free(rows[i].m[k].error);
        }
    }
    free(rows);
    manifest_free(&m);
    return rc;
}
