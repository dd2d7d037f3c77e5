/* The campaign's fuzzing phase: child `fwfuzz fuzz` processes, up to
 * --jobs at a time, each given its share of what is left of the budget,
 * with one progress line per running job. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "campaign.h"
#include "engine.h"
#include "exitcode.h"
#include "fsutil.h"
#include "progress.h"
#include "util.h"

/* Seconds after a job's own time and grace before the campaign kills it:
 * `fwfuzz fuzz` stops its engines itself; this is for a stuck child. */
#define CAMPAIGN_JOB_KILL_AFTER_S (ENGINE_GRACE_S + 60)

static int shown_lines; /* terminal lines of the progress block */

/* Clears the progress block before any other message (fw_msg_hook). */
static void clear_block(void)
{
    if (shown_lines > 0) {
        fprintf(stderr, "\033[%dA\r\033[J", shown_lines);
        shown_lines = 0;
    }
}

static const char *job_label(const struct campaign_job *j)
{
    struct fuzz_job fj;

    memset(&fj, 0, sizeof(fj));
    fj.mode = j->mode;
    fj.engine = j->engine;
    return engine_label(&fj);
}

static size_t count_state(const struct campaign *cp, enum campaign_job_state s)
{
    size_t i, n = 0;

    for (i = 0; i < cp->n_jobs; i++)
        n += cp->jobs[i].state == s;
    return n;
}

/* Mean seconds a finished job spent beyond its fuzzing time. */
static double overhead(const struct campaign *cp)
{
    double sum = 0;
    size_t i, n = 0;

    for (i = 0; i < cp->n_jobs; i++) {
        const struct campaign_job *j = &cp->jobs[i];

        if (j->state == CJ_DONE && j->exit_code >= 0 &&
            j->wall > (double)j->time_s) {
            sum += j->wall - (double)j->time_s;
            n++;
        }
    }
    return n > 0 ? sum / (double)n : CAMPAIGN_JOB_OVERHEAD_S;
}

/* Seconds the running jobs still need, by their allotments. */
static double running_left(const struct campaign *cp, double now, double ovh)
{
    double sum = 0;
    size_t i;

    for (i = 0; i < cp->n_jobs; i++) {
        const struct campaign_job *j = &cp->jobs[i];
        double end = j->started + (double)j->time_s + ovh;

        if (j->state == CJ_RUNNING && end > now)
            sum += end - now;
    }
    return sum;
}

/*
 * The fuzzing time of job j, started now: its weight's share of what the
 * budget has left over all slots, less what jobs spend outside fuzzing.
 * Re-computed at each start, so early overruns and underruns even out.
 */
static unsigned long allot(const struct campaign *cp,
                           const struct campaign_job *j, double now)
{
    double ovh = overhead(cp), w = 0, cap, share;
    size_t i;

    for (i = 0; i < cp->n_jobs; i++)
        if (cp->jobs[i].state == CJ_PENDING)
            w += cp->jobs[i].weight;
    cap = (cp->deadline - now) * (double)cp->jobs_at_once -
          running_left(cp, now, ovh);
    share = w > 0 ? cap * j->weight / w - ovh : 0;
    if (share < CAMPAIGN_MIN_JOB_S)
        return CAMPAIGN_MIN_JOB_S;
    return (unsigned long)share;
}

/* Seconds until the fuzzing phase ends, as planned now. */
static double eta(const struct campaign *cp, double now)
{
    double ovh = overhead(cp), need = running_left(cp, now, ovh);
    size_t i;

    for (i = 0; i < cp->n_jobs; i++)
        if (cp->jobs[i].state == CJ_PENDING)
            need += CAMPAIGN_MIN_JOB_S + ovh;
    need /= (double)cp->jobs_at_once;
    return cp->deadline - now > need ? cp->deadline - now : need;
}

static void header(const struct campaign *cp, double now, char *buf, size_t n)
{
    long left = (long)(eta(cp, now) + 0.5), el = (long)(now - cp->t0);
    size_t done = count_state(cp, CJ_DONE), run = count_state(cp, CJ_RUNNING);
    size_t total = cp->n_jobs - count_state(cp, CJ_SKIPPED);

    snprintf(buf, n,
             "campaign: %zu/%zu jobs done, %zu running | %ld:%02ld elapsed, "
             "fuzzing ends in ~%ld:%02ld",
             done, total, run, el / 60, el % 60, left / 60, left % 60);
}

static void show(struct campaign *cp, double now)
{
    char line[256];
    size_t i;

    header(cp, now, line, sizeof(line));
    if (cp->tty)
        clear_block();
    fprintf(stderr, "%s%s\n", cp->tty ? "" : "fwfuzz: ", line);
    shown_lines = 1;
    for (i = 0; i < cp->n_jobs; i++) {
        const struct campaign_job *j = &cp->jobs[i];

        if (j->state != CJ_RUNNING)
            continue;
        if (j->status[0] != '\0')
            fprintf(stderr, "  %.*s\n", cp->tty ? 110 : 250, j->status);
        else
            fprintf(stderr, "  %s %s: starting\n", j->target->name,
                    job_label(j));
        shown_lines++;
    }
    if (!cp->tty)
        shown_lines = 0;
    fflush(stderr);
}

struct line_ctx {
    struct campaign *cp;
    struct campaign_job *j;
};

/* A line of a job's output: its progress line becomes its status; its
 * errors and warnings are passed on; everything is in its log. */
static void on_line(const char *line, void *ctx)
{
    struct line_ctx *lc = ctx;
    struct campaign_job *j = lc->j;
    const char *msg = strncmp(line, "fwfuzz: ", 8) == 0 ? line + 8 : NULL;
    size_t tl = strlen(j->target->name);
    char clean[512];

    if (msg == NULL)
        return;
    fw_strip_ansi(clean, sizeof(clean), msg);
    if (strncmp(clean, j->target->name, tl) == 0 && clean[tl] == ' ' &&
        strstr(clean, " left") != NULL) {
        snprintf(j->status, sizeof(j->status), "%s", clean);
        return;
    }
    if (strncmp(clean, "error", 5) == 0 || strncmp(clean, "warning", 7) == 0)
        fw_msg("%s %s: %s", j->target->name, job_label(j), clean);
}

static void pump(struct campaign *cp, struct campaign_job *j)
{
    struct line_ctx lc = {cp, j};

    proc_pump_lines(&j->proc, j->log, &j->lb, on_line, &lc);
}

static int start_job(struct campaign *cp, struct campaign_job *j, double now)
{
    struct strvec argv = {0};
    char *logs = fs_join(cp->report_dir, "logs");
    int rc;

    j->time_s = allot(cp, j, now);
    strvec_push(&argv, cp->self);
    strvec_push(&argv, "--manifest");
    strvec_push(&argv, cp->m->path);
    strvec_push(&argv, "fuzz");
    strvec_push(&argv, j->target->name);
    strvec_push(&argv, "--mode");
    strvec_push(&argv, fw_mode_name(j->mode));
    strvec_push(&argv, "--engine");
    strvec_push(&argv, fw_engine_name(j->engine));
    strvec_pushf(&argv, "--time=%lu", j->time_s);
    strvec_push(&argv, "--keep-going");
    strvec_push(&argv, "--status-interval=1");
    strvec_push(&argv, "--out");
    strvec_push(&argv, j->out);
    if (j->mode == FW_MODE_EMU && cp->c->emu_plain)
        strvec_push(&argv, "--emu-image=plain");
    fs_mkdirs(logs);
    j->log_path =
        fw_xasprintf("%s/%s-%s.log", logs, j->target->name, job_label(j));
    j->log = fopen(j->log_path, "ab");
    linebuf_init(&j->lb);
    j->started = now;
    j->status[0] = '\0';
    rc = proc_spawn(&j->proc, argv.v, NULL);
    if (rc != 0) {
        j->error =
            fw_xasprintf("cannot start %s: %s", cp->self, strerror(errno));
        j->state = CJ_DONE;
        fw_msg("%s %s: %s", j->target->name, job_label(j), j->error);
    } else {
        j->state = CJ_RUNNING;
    }
    strvec_free(&argv);
    free(logs);
    return rc;
}

/* Reads the job's summary.json and keeps it, also as summary-ENGINE.json
 * beside it (the jobs of a target and mode share the folder). */
static void collect(struct campaign_job *j)
{
    char *path = fs_join(j->out, "summary.json");
    char *keep =
        fw_xasprintf("%s/summary-%s.json", j->out, fw_engine_name(j->engine));
    char *text = NULL;
    size_t len = 0;

    if (fs_read_file(path, 16u << 20, &text, &len) == 0) {
        j->summary = cJSON_Parse(text);
        if (fs_write_atomic(keep, text, len) != 0)
            fw_msg("warning: cannot write %s: %s", keep, strerror(errno));
    }
    if (j->summary == NULL && j->error == NULL)
        j->error = fw_xasprintf("no summary from the job (%s): see %s", path,
                                j->log_path);
    free(text);
    free(path);
    free(keep);
}

static void finish_job(struct campaign *cp, struct campaign_job *j, double now)
{
    char st[64];
    const cJSON *e;

    pump(cp, j);
    proc_close(&j->proc);
    if (j->log != NULL)
        fclose(j->log);
    j->log = NULL;
    j->wall = now - j->started;
    j->state = CJ_DONE;
    j->exit_code = WIFEXITED(j->proc.status) ? WEXITSTATUS(j->proc.status) : -1;
    collect(j);
    if (j->exit_code != FW_EXIT_OK && j->exit_code != FW_EXIT_FINDINGS &&
        j->exit_code != FW_EXIT_INTERRUPTED && j->error == NULL) {
        e = cJSON_GetObjectItemCaseSensitive(j->summary, "error");
        proc_status_text(j->proc.status, st, sizeof(st));
        j->error =
            fw_xasprintf("%s (%s; log %s)",
                         cJSON_IsString(e) ? e->valuestring : "the job failed",
                         st, j->log_path);
    }
    if (j->error != NULL)
        fw_msg("%s %s failed: %s", j->target->name, job_label(j), j->error);
}

/* A pending job whose target and mode is not running (two jobs of one
 * target and mode share its corpus and findings folders). */
static struct campaign_job *next_job(struct campaign *cp)
{
    size_t i, k;

    for (i = 0; i < cp->n_jobs; i++) {
        struct campaign_job *j = &cp->jobs[i];
        int busy = 0;

        if (j->state != CJ_PENDING)
            continue;
        for (k = 0; k < cp->n_jobs && !busy; k++)
            busy = cp->jobs[k].state == CJ_RUNNING &&
                   cp->jobs[k].target == j->target &&
                   cp->jobs[k].mode == j->mode;
        if (!busy)
            return j;
    }
    return NULL;
}

void campaign_fuzz(struct campaign *cp)
{
    double last_show = 0,
           interval = cp->tty ? 1.0 : (double)cp->c->status_interval;
    int stopping = 0;
    double stop_at = 0;

    if (cp->tty)
        fw_msg_hook = clear_block;
    for (;;) {
        struct pollfd pfd[CLI_MAX_JOBS];
        struct campaign_job *run[CLI_MAX_JOBS];
        size_t i, nr = 0;
        double now = fw_now();
        int timeout = 200;

        if (!stopping && proc_interrupts() > 0) {
            stopping = 1;
            stop_at = now;
            cp->interrupted = 1;
            fw_msg("run: interrupted: stopping the running jobs (their "
                   "findings and corpus are kept)");
        }
        while (!stopping && count_state(cp, CJ_RUNNING) < cp->jobs_at_once) {
            struct campaign_job *j = next_job(cp);

            if (j == NULL)
                break;
            start_job(cp, j, now);
        }
        for (i = 0; i < cp->n_jobs && nr < CLI_MAX_JOBS; i++) {
            struct campaign_job *j = &cp->jobs[i];

            if (j->state != CJ_RUNNING)
                continue;
            /* a stuck child, or the campaign stopping: the job's own
             * SIGTERM handling writes its summary */
            if ((stopping && now - stop_at < 0.5) ||
                now - j->started >
                    (double)(j->time_s + CAMPAIGN_JOB_KILL_AFTER_S))
                proc_kill(&j->proc, SIGTERM);
            if (stopping && now - stop_at > (double)ENGINE_GRACE_S)
                proc_kill(&j->proc, SIGKILL);
            pfd[nr].fd = j->proc.fd;
            pfd[nr].events = POLLIN;
            pfd[nr].revents = 0;
            if (j->proc.fd < 0)
                timeout = 10;
            run[nr++] = j;
        }
        if (nr == 0 && (stopping || next_job(cp) == NULL))
            break;
        poll(pfd, nr, timeout);
        now = fw_now();
        for (i = 0; i < nr; i++) {
            pump(cp, run[i]);
            if (run[i]->proc.fd < 0 && proc_reap(&run[i]->proc))
                finish_job(cp, run[i], now);
        }
        if (now - last_show >= interval) {
            show(cp, now);
            last_show = now;
        }
    }
    if (cp->tty)
        clear_block();
    fw_msg_hook = NULL;
}
