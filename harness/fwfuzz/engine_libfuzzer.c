/* The libFuzzer driver: runs <target>_libfuzzer processes on the working
 * corpus and follows their output; with --keep-going one process in
 * libFuzzer's fork mode, whose jobs' findings it saves as they come. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "exitcode.h"
#include "fsutil.h"
#include "lfparse.h"
#include "linebuf.h"
#include "options.h"
#include "proc.h"
#include "progress.h"
#include "store.h"
#include "util.h"

#define LF_MAX_WORKERS 64

/* One libFuzzer process. */
struct lf_worker {
    unsigned index;
    struct proc proc;
    struct linebuf lb;
    FILE *log;
    char *log_path;
    int done;                        /* finished for good */
    int stop_sent;                   /* we asked it to stop */
    unsigned long long execs_before; /* runs that ended */
    unsigned long long execs_run;    /* current run: last "#N" or final */
    double run_start;
    double last_line_at;
    unsigned long cov;
    unsigned long ft;
    unsigned long corp;
    int finding_in_run;       /* current run wrote a finding */
    int fork_ended;           /* fork mode: "INFO: exiting:" came */
    struct lf_line fork_last; /* fork mode: the last "#N: ..." line */
    char *summary;            /* first SUMMARY: line of the current run */
    char *property;           /* first property line of the current run */
    char *emu;                /* first ==FWFUZZ-EMU== line of the current run */
    char *last_error;         /* last ERROR: text, for messages */
    char *pending;            /* artifact reported, description still coming */
    char last_line[256];
};

struct lf_state {
    const struct fuzz_job *job;
    const struct job_paths *paths;
    struct fuzz_report *r;
    struct strvec base_args; /* everything but the time and the seed */
    struct lf_worker w[LF_MAX_WORKERS];
    unsigned n;
    double start;
    double deadline;
    int stopping; /* we are stopping the processes */
    unsigned long seed_base;
    /* --keep-going: libFuzzer's fork mode (-fork=jobs). Its jobs write
     * their inputs into incoming, fwfuzz moves them into findings/; tmp is
     * the jobs' TMPDIR (libFuzzer leaves its folder there when stopped). */
    int fork;
    char *fork_dir; /* <out>/libfuzzer-fork */
    char *incoming; /* <fork_dir>/artifacts */
    char *tmp;      /* <fork_dir>/tmp */
};

static void set_str(char **dst, const char *src)
{
    free(*dst);
    *dst = src != NULL ? fw_xstrdup(src) : NULL;
}

/* Records the artifact of the current run. libFuzzer prints a crash's
 * SUMMARY before "Test unit written to", a timeout's after it, so this
 * runs when the process has ended (or writes another artifact). */
static void finish_artifact(struct lf_state *s, struct lf_worker *w)
{
    const char *path = w->pending;
    const char *kind, *desc;
    char hex[FS_SHA1_HEX_LEN + 1];

    if (path == NULL)
        return;
    kind = lf_artifact_kind(path);
    if (kind == NULL)
        kind = "crash"; /* e.g. -exact_artifact_path from the user */
    if (strcmp(kind, "crash") == 0 && w->property != NULL)
        kind = lf_property_kind(w->property);
    /* An emulated build aborts on every finding, hangs included. */
    if (strcmp(kind, "crash") == 0 && w->emu != NULL)
        kind = lf_emu_kind(w->emu);
    desc = w->property != NULL     ? w->property
           : w->emu != NULL        ? w->emu
           : w->summary != NULL    ? w->summary
           : w->last_error != NULL ? w->last_error
                                   : "";
    if (fs_sha1_file(path, hex) != 0)
        report_error(s->r, FW_EXIT_IO,
                     "libFuzzer reported %s but it cannot be read: %s", path,
                     strerror(errno));
    else if (findings_add(&s->r->findings, kind, path, "libfuzzer", desc, hex))
        fw_msg("finding: %s%s%s -> %s", kind, desc[0] ? ": " : "", desc, path);
    set_str(&w->pending, NULL);
    set_str(&w->summary, NULL);
    set_str(&w->property, NULL);
    set_str(&w->emu, NULL);
}

static void on_artifact(struct lf_state *s, struct lf_worker *w,
                        const char *path)
{
    const char *kind = lf_artifact_kind(path);

    if (kind != NULL && strcmp(kind, "slow-unit") == 0) {
        fw_msg("slow input (not a finding) saved as %s", path);
        return;
    }
    finish_artifact(s, w);
    set_str(&w->pending, path);
    w->finding_in_run = 1;
}

/* 1 if the file's content has the SHA-1 its libFuzzer name ends in, that
 * is, the job that writes it has finished writing. */
static int artifact_complete(const char *path, const char *name)
{
    char hex[FS_SHA1_HEX_LEN + 1];
    size_t n = strlen(name);

    return n > FS_SHA1_HEX_LEN && fs_sha1_file(path, hex) == 0 &&
           strcmp(name + n - FS_SHA1_HEX_LEN, hex) == 0;
}

/* Saves one input of the fork mode's incoming folder in findings/ (as
 * libfuzzer-KIND-SHA1, atomically, never replacing a file) and records it,
 * described by the replay build: fork mode keeps the jobs' reports to
 * itself. */
static void save_incoming(struct lf_state *s, const char *src, const char *kind)
{
    char hex[FS_SHA1_HEX_LEN + 1], prefix[32], fkind[16], desc[512];
    char *dst = NULL;
    int rc;

    snprintf(prefix, sizeof(prefix), "libfuzzer-%s-", kind);
    rc = fs_copy_unique(src, s->paths->findings, prefix, hex, &dst);
    if (rc < 0) {
        report_error(s->r, FW_EXIT_IO,
                     "cannot save %s in %s: %s (it stays "
                     "where it is)",
                     src, s->paths->findings, strerror(errno));
        return;
    }
    unlink(src);
    if (strcmp(kind, "slow-unit") == 0) {
        fw_msg("slow input (not a finding) saved as %s", dst);
    } else if (findings_by_sha1(&s->r->findings, hex) == NULL) {
        snprintf(fkind, sizeof(fkind), "%s", kind);
        if (strcmp(kind, "timeout") == 0) {
            snprintf(desc, sizeof(desc), "SUMMARY: libFuzzer: timeout");
        } else if (strcmp(kind, "oom") == 0) {
            snprintf(desc, sizeof(desc), "SUMMARY: libFuzzer: out-of-memory");
        } else {
            snprintf(desc, sizeof(desc), "libFuzzer: %s", kind);
            if (engine_describe_input(s->job, s->paths, dst, hex, fkind,
                                      sizeof(fkind), desc, sizeof(desc)) == 0)
                snprintf(desc, sizeof(desc),
                         "libFuzzer: %s; does not fail when replayed by %s",
                         kind, fw_basename(s->job->target->replay));
            /* a leak stays a leak; a crash may be a property or a hang */
            if (strcmp(kind, "crash") != 0)
                snprintf(fkind, sizeof(fkind), "%s", kind);
        }
        findings_add(&s->r->findings, fkind, dst, "libfuzzer", desc, hex);
        fw_msg("finding: %s%s%s -> %s", fkind, desc[0] ? ": " : "", desc, dst);
    }
    free(dst);
}

/* Moves what fork-mode jobs wrote into findings/. final: no job runs any
 * more, so take every file; otherwise only those completely written. */
static void harvest_incoming(struct lf_state *s, int final)
{
    struct strvec names = {0};
    size_t i;

    if (fs_list_files(s->incoming, "", &names) != 0) {
        report_error(s->r, FW_EXIT_IO, "cannot list %s: %s", s->incoming,
                     strerror(errno));
        return;
    }
    for (i = 0; i < names.n; i++) {
        char *src = fs_join(s->incoming, names.v[i]);
        const char *kind = lf_artifact_kind(names.v[i]);

        if (final || (kind != NULL && artifact_complete(src, names.v[i])))
            save_incoming(s, src, kind != NULL ? kind : "crash");
        free(src);
    }
    strvec_free(&names);
}

struct line_ctx {
    struct lf_state *s;
    struct lf_worker *w;
};

static void on_line(const char *line, void *ctx)
{
    struct line_ctx *c = ctx;
    struct lf_worker *w = c->w;
    struct lf_line l;

    if (line[0] != '\0' && line[0] != ' ')
        snprintf(w->last_line, sizeof(w->last_line), "%s", line);
    switch (lf_parse_line(line, &l)) {
    case LF_STATUS:
        w->execs_run = l.execs;
        w->last_line_at = fw_now();
        if (l.has_cov) {
            w->cov = l.cov;
            w->ft = l.ft;
        }
        if (l.has_corp)
            w->corp = l.corp_units;
        break;
    case LF_FORK: /* a job ended: totals of all jobs so far */
        w->execs_run = l.execs;
        w->last_line_at = fw_now();
        w->cov = l.cov;
        w->ft = l.ft;
        w->corp = l.corp_units;
        w->fork_last = l;
        if (c->s->fork)
            harvest_incoming(c->s, 0);
        break;
    case LF_FORK_END:
        w->fork_ended = 1;
        break;
    case LF_STAT:
        if (strcmp(l.stat_name, "number_of_executed_units") == 0)
            w->execs_run = l.stat_value;
        break;
    case LF_PROPERTY:
        if (w->property == NULL)
            set_str(&w->property, l.text);
        break;
    case LF_SUMMARY:
        if (w->summary == NULL)
            set_str(&w->summary, l.text);
        break;
    case LF_EMU:
        if (w->emu == NULL)
            set_str(&w->emu, l.text);
        break;
    case LF_ERROR:
        set_str(&w->last_error, l.text);
        break;
    case LF_ARTIFACT:
        /* fork mode: the folder tells (this is a job's log it repeats) */
        if (!c->s->fork)
            on_artifact(c->s, w, l.text);
        break;
    default:
        break;
    }
}

static void pump_output(struct lf_state *s, struct lf_worker *w)
{
    struct line_ctx ctx = {s, w};

    proc_pump_lines(&w->proc, w->log, &w->lb, on_line, &ctx);
}

static int start_worker(struct lf_state *s, struct lf_worker *w)
{
    struct strvec argv = {0}, env = {0};
    struct proc_opts o = {NULL, NULL, NULL};
    double left = s->deadline - fw_now();
    size_t i;
    int rc;

    strvec_push(&argv, s->job->target->libfuzzer);
    /* 0 would mean "no limit" to libFuzzer */
    strvec_pushf(&argv, "-max_total_time=%lu",
                 left < 1.5 ? 1ul : (unsigned long)(left + 0.5));
    /* Several processes share the corpus: give each its own sequence. */
    if (s->n > 1)
        strvec_pushf(&argv, "-seed=%lu",
                     1 + (s->seed_base + w->index * 7919ul) % 4000000000ul);
    for (i = 0; i < s->base_args.n; i++)
        strvec_push(&argv, s->base_args.v[i]);
    if (w->log != NULL) {
        fprintf(w->log, "==fwfuzz== worker %u:", w->index);
        for (i = 0; i < argv.n; i++)
            fprintf(w->log, " %s", argv.v[i]);
        fputc('\n', w->log);
        fflush(w->log);
    }
    linebuf_init(&w->lb);
    w->execs_run = 0;
    w->finding_in_run = 0;
    set_str(&w->summary, NULL);
    set_str(&w->property, NULL);
    set_str(&w->emu, NULL);
    w->run_start = w->last_line_at = fw_now();
    engine_job_env(s->job, &env);
    if (s->fork)
        strvec_pushf(&env, "TMPDIR=%s", s->tmp);
    o.env_set = (const char *const *)env.v;
    rc = proc_spawn(&w->proc, argv.v, &o);
    if (rc != 0)
        report_error(s->r, FW_EXIT_ENGINE, "cannot run %s: %s",
                     s->job->target->libfuzzer, strerror(errno));
    strvec_free(&argv);
    strvec_free(&env);
    return rc;
}

static void stop_all(struct lf_state *s, int sig)
{
    unsigned i;

    s->stopping = 1;
    for (i = 0; i < s->n; i++) {
        if (s->w[i].proc.running) {
            s->w[i].stop_sent = 1;
            proc_kill(&s->w[i].proc, sig);
        }
    }
}

/* A process ended: account for it. */
static void worker_exited(struct lf_state *s, struct lf_worker *w)
{
    char status[96];
    int st = w->proc.status;

    pump_output(s, w);
    proc_close(&w->proc);
    finish_artifact(s, w);
    w->execs_before += w->execs_run;
    w->execs_run = 0;
    w->done = 1;
    proc_status_text(st, status, sizeof(status));
    if (s->fork) {
        const struct lf_line *l = &w->fork_last;

        harvest_incoming(s, 1);
        if (l->fork_job > 0)
            report_note(s->r,
                        "libFuzzer fork mode: %lu jobs (%lu crashed, %lu "
                        "timed out, %lu ran out of memory)",
                        l->fork_job, l->fork_crashes, l->fork_timeouts,
                        l->fork_ooms);
        /* Its exit status is that of the last job that failed. */
        if (w->stop_sent || s->stopping || w->fork_ended ||
            (WIFEXITED(st) && WEXITSTATUS(st) == 0))
            return;
    } else {
        if (w->stop_sent || s->stopping || w->finding_in_run)
            return;
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
            return;
    }
    report_error(s->r, FW_EXIT_ENGINE,
                 "libFuzzer stopped with %s without a finding (%s); see %s",
                 status, w->last_error != NULL ? w->last_error : w->last_line,
                 w->log_path);
    stop_all(s, SIGINT);
}

static void figures(struct lf_state *s, struct progress_figures *f)
{
    double now = fw_now();
    unsigned i;

    memset(f, 0, sizeof(*f));
    for (i = 0; i < s->n; i++) {
        struct lf_worker *w = &s->w[i];
        unsigned long long e = w->execs_before + w->execs_run;
        double ran = w->last_line_at - w->run_start;

        /* libFuzzer reports on new coverage and at powers of two only:
         * in between, go on at its last speed (for at most 30 s). */
        if (w->proc.running && ran > 0.5 && w->execs_run > 0) {
            double since = now - w->last_line_at;
            e += (unsigned long long)((double)w->execs_run / ran *
                                      (since < 30 ? since : 30));
        }
        f->execs += e;
        if (w->cov > s->r->cov)
            s->r->cov = w->cov;
        if (w->ft > s->r->ft)
            s->r->ft = w->ft;
        if (w->corp > f->corpus)
            f->corpus = w->corp;
    }
    f->elapsed = now - s->start;
    f->left = s->deadline - now;
    f->execs_per_sec = f->elapsed > 0 ? (double)f->execs / f->elapsed : 0;
    f->findings = (unsigned long)s->r->findings.n;
    if (s->job->mode == FW_MODE_EMU) /* extra counters: features only */
        snprintf(f->coverage, sizeof(f->coverage), "ft %lu", s->r->ft);
    else
        snprintf(f->coverage, sizeof(f->coverage), "cov %lu ft %lu", s->r->cov,
                 s->r->ft);
}

/* The regress inputs that are not crash cases, into the working corpus
 * (content names, so a second run adds nothing). */
static void copy_plain_inputs(struct lf_state *s, const char *regress)
{
    struct strvec names = {0};
    size_t i;

    if (fs_list_files(regress, "", &names) != 0)
        return;
    for (i = 0; i < names.n; i++) {
        char *src = fs_join(regress, names.v[i]);
        char hex[FS_SHA1_HEX_LEN + 1];

        if (!store_is_case_part(names.v[i]) &&
            fs_copy_unique(src, s->paths->corpus, "", hex, NULL) < 0)
            fw_msg("warning: cannot copy %s into %s: %s", src, s->paths->corpus,
                   strerror(errno));
        free(src);
    }
    strvec_free(&names);
}

static int build_args(struct lf_state *s)
{
    const struct manifest_target *t = s->job->target;
    char err[512];
    char *dir;
    size_t i;

    strvec_pushf(&s->base_args, "-artifact_prefix=%s/libfuzzer-",
                 s->fork ? s->incoming : s->paths->findings);
    strvec_push(&s->base_args, "-print_final_stats=1");
    strvec_pushf(&s->base_args, "-timeout=%d", ENGINE_LF_TIMEOUT_S);
    if (s->fork) {
        strvec_pushf(&s->base_args, "-fork=%lu", s->job->jobs);
        strvec_push(&s->base_args, "-ignore_crashes=1");
        strvec_push(&s->base_args, "-ignore_timeouts=1");
        strvec_push(&s->base_args, "-ignore_ooms=1");
    }
    if (t->dict != NULL) {
        if (access(t->dict, R_OK) != 0) {
            report_error(s->r, FW_EXIT_CONFIG, "dictionary %s: %s", t->dict,
                         strerror(errno));
            return -1;
        }
        strvec_pushf(&s->base_args, "-dict=%s", t->dict);
    }
    if (t->options != NULL &&
        options_load(t->options, &s->base_args, err, sizeof(err)) != 0) {
        report_error(s->r, FW_EXIT_CONFIG, "%s", err);
        return -1;
    }
    for (i = 0; i < s->job->n_engine_flags; i++)
        strvec_push(&s->base_args, s->job->engine_flags[i]);
    /* New inputs go to the first folder only: the working corpus. */
    strvec_push(&s->base_args, s->paths->corpus);
    dir = fs_join(t->corpus, "seed");
    if (fs_is_dir(dir))
        strvec_push(&s->base_args, dir);
    free(dir);
    dir = fs_join(t->corpus, CORPUS_MERGED_DIR);
    if (fs_is_dir(dir))
        strvec_push(&s->base_args, dir);
    free(dir);
    /* a regress folder with crash cases is not a corpus (libFuzzer would
     * stop on them at once): its plain inputs go to the working corpus */
    dir = fs_join(t->corpus, "regress");
    if (fs_is_dir(dir) && !store_has_cases(dir))
        strvec_push(&s->base_args, dir);
    else if (fs_is_dir(dir))
        copy_plain_inputs(s, dir);
    free(dir);
    return 0;
}

static void run_loop(struct lf_state *s)
{
    struct progress prog;
    struct progress_figures f;
    int first_interrupts = proc_interrupts();
    int seen_interrupts = first_interrupts;
    double forced_at = 0;

    progress_start(&prog, s->job->tty, (double)s->job->status_interval,
                   s->job->target->name, engine_label(s->job));
    for (;;) {
        struct pollfd pfd[LF_MAX_WORKERS];
        unsigned i, live = 0;
        double now;

        int timeout = 200;

        for (i = 0; i < s->n; i++) {
            pfd[i].fd = s->w[i].proc.fd;
            pfd[i].events = POLLIN;
            pfd[i].revents = 0;
            /* output closed, exit not reaped yet: look again soon */
            if (pfd[i].fd < 0 && s->w[i].proc.running)
                timeout = 10;
        }
        poll(pfd, s->n, timeout);
        for (i = 0; i < s->n; i++) {
            struct lf_worker *w = &s->w[i];

            if (w->done)
                continue;
            pump_output(s, w);
            if (proc_reap(&w->proc))
                worker_exited(s, w);
            if (!w->done)
                live++;
        }
        if (live == 0)
            break;
        now = fw_now();
        if (proc_interrupts() != seen_interrupts) {
            s->r->interrupted = 1;
            if (!s->stopping)
                fw_msg("interrupted: stopping libFuzzer (again to kill)");
            stop_all(s, proc_interrupts() - first_interrupts == 1 ? SIGINT
                                                                  : SIGKILL);
            seen_interrupts = proc_interrupts();
        }
        if (!s->job->keep_going && s->r->findings.n > 0 && !s->stopping) {
            fw_msg("stopping at the first finding (--keep-going to go on)");
            stop_all(s, SIGINT);
        }
        /* Fork mode's jobs run to their own limits (up to 300 s): stopping
         * them is the normal end, not worth a note. */
        if (forced_at == 0 &&
            now > s->deadline +
                      (s->fork ? ENGINE_LF_FORK_GRACE_S : ENGINE_GRACE_S)) {
            if (!s->fork)
                report_note(s->r, "libFuzzer did not stop at the end of its "
                                  "time budget; stopping it");
            stop_all(s, SIGINT);
            forced_at = now;
        } else if (forced_at > 0 && now > forced_at + 10) {
            stop_all(s, SIGKILL);
        }
        figures(s, &f);
        progress_update(&prog, &f, 0);
    }
    figures(s, &f);
    progress_update(&prog, &f, 1);
    progress_stop(&prog);
}

/* --keep-going: one process in fork mode, with its folders ready; what an
 * earlier run that was killed left in incoming is saved first. */
static int fork_prepare(struct lf_state *s)
{
    s->fork = 1;
    s->n = 1; /* --jobs N is -fork=N */
    s->fork_dir = fs_join(s->job->out, "libfuzzer-fork");
    s->incoming = fs_join(s->fork_dir, "artifacts");
    s->tmp = fs_join(s->fork_dir, "tmp");
    if (fs_remove_tree(s->tmp) != 0 || fs_mkdirs(s->incoming) != 0 ||
        fs_mkdirs(s->tmp) != 0) {
        report_error(s->r, FW_EXIT_IO, "cannot prepare %s: %s", s->fork_dir,
                     strerror(errno));
        return -1;
    }
    harvest_incoming(s, 1);
    return 0;
}

/* The jobs' temporary folders go; the rest only if empty (an input that
 * could not be saved stays in incoming). */
static void fork_cleanup(struct lf_state *s)
{
    fs_remove_tree(s->tmp);
    rmdir(s->incoming);
    rmdir(s->fork_dir);
}

void engine_libfuzzer_run(const struct fuzz_job *job, const struct job_paths *p,
                          struct fuzz_report *r)
{
    struct lf_state *s = fw_xmalloc(sizeof(*s));
    unsigned i;

    memset(s, 0, sizeof(*s));
    s->job = job;
    s->paths = p;
    s->r = r;
    s->n = job->jobs < LF_MAX_WORKERS ? (unsigned)job->jobs : LF_MAX_WORKERS;
    if (s->n == 0)
        s->n = 1;
    s->seed_base = (unsigned long)time(NULL) ^ (unsigned long)getpid();
    if (job->keep_going && fork_prepare(s) != 0)
        goto out;
    if (build_args(s) != 0)
        goto out;
    if (s->fork)
        fw_msg("fuzzing %s%s with libFuzzer for %lu s (fork mode, %lu job%s "
               "at a time); output in %s",
               job->target->name, job->mode == FW_MODE_EMU ? " (emulated)" : "",
               job->time_s, job->jobs, job->jobs > 1 ? "s" : "", job->out);
    else
        fw_msg("fuzzing %s%s with libFuzzer for %lu s (%u process%s); output "
               "in %s",
               job->target->name, job->mode == FW_MODE_EMU ? " (emulated)" : "",
               job->time_s, s->n, s->n > 1 ? "es" : "", job->out);
    s->start = fw_now();
    s->deadline = s->start + (double)job->time_s;
    for (i = 0; i < s->n; i++) {
        struct lf_worker *w = &s->w[i];
        char name[64];

        w->index = i;
        snprintf(name, sizeof(name), "libfuzzer-%u.log", i);
        w->log_path = fs_join(p->logs, name);
        w->log = fopen(w->log_path, "w");
        if (w->log == NULL) {
            report_error(r, FW_EXIT_IO, "cannot write %s: %s", w->log_path,
                         strerror(errno));
            w->done = 1;
            continue;
        }
        strvec_push(&r->logs, w->log_path);
        if (start_worker(s, w) != 0)
            w->done = 1;
    }
    run_loop(s);
    r->fuzz_seconds = fw_now() - s->start;
    for (i = 0; i < s->n; i++)
        r->execs += s->w[i].execs_before;
out:
    if (s->fork)
        fork_cleanup(s);
    for (i = 0; i < s->n; i++) {
        struct lf_worker *w = &s->w[i];

        if (w->log != NULL)
            fclose(w->log);
        free(w->log_path);
        free(w->summary);
        free(w->property);
        free(w->emu);
        free(w->last_error);
        free(w->pending);
    }
    strvec_free(&s->base_args);
    free(s->fork_dir);
    free(s->incoming);
    free(s->tmp);
    free(s);
}
