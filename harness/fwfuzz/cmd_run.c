/* fwfuzz run: every target (or the chosen ones) with every engine, in
 * turn. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cmds.h"
#include "engine.h"
#include "exitcode.h"
#include "fsutil.h"
#include "progress.h"
#include "proc.h"
#include "summary.h"
#include "util.h"

struct run_item {
    struct fuzz_job job;
    struct fuzz_report report;
    struct manifest_target *view; /* job.target: native or emulated builds */
    char *out;
    char *summary_name;
};

/* Exit code of the whole run: the most important of the jobs'. */
static int run_exit_code(const struct run_item *items, size_t n,
                         int interrupted, int io_error)
{
    static const int order[] = {FW_EXIT_FINDINGS, FW_EXIT_IO, FW_EXIT_CONFIG,
                                FW_EXIT_ENGINE};
    size_t i, k;

    if (interrupted)
        return FW_EXIT_INTERRUPTED;
    for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
        if (order[k] == FW_EXIT_IO && io_error)
            return FW_EXIT_IO;
        for (i = 0; i < n; i++)
            if (items[i].report.skipped == NULL &&
                report_exit_code(&items[i].report) == order[k])
                return order[k];
    }
    return FW_EXIT_OK;
}

static void print_table(const struct run_item *items, size_t n)
{
    size_t i, wt = strlen("TARGET");

    for (i = 0; i < n; i++)
        if (strlen(items[i].job.target->name) > wt)
            wt = strlen(items[i].job.target->name);
    printf("%-*s  %-13s  %8s  %8s  %-22s  %8s  %s\n", (int)wt, "TARGET",
           "ENGINE", "EXECS", "EXEC/S", "COVERAGE", "FINDINGS", "RESULT");
    for (i = 0; i < n; i++) {
        const struct run_item *it = &items[i];
        const struct fuzz_report *r = &it->report;
        char execs[16], rate[16], cov[48];

        progress_human(execs, sizeof(execs), (double)r->execs);
        progress_human(rate, sizeof(rate),
                       r->fuzz_seconds > 0 ? (double)r->execs / r->fuzz_seconds
                                           : 0);
        if (r->skipped != NULL || r->execs == 0)
            snprintf(cov, sizeof(cov), "-");
        else if (it->job.engine == FW_ENGINE_AFL)
            snprintf(cov, sizeof(cov), "edges %lu/%lu", r->edges_found,
                     r->edges_total);
        else if (it->job.mode == FW_MODE_EMU)
            snprintf(cov, sizeof(cov), "ft %lu", r->ft);
        else
            snprintf(cov, sizeof(cov), "cov %lu ft %lu", r->cov, r->ft);
        printf("%-*s  %-13s  %8s  %8s  %-22s  %8zu  %s\n", (int)wt,
               it->job.target->name, engine_label(&it->job), execs, rate, cov,
               r->findings.n, report_result(r));
    }
    fflush(stdout);
}

/* The targets to run: all, or those named with --target (checked). */
static int select_targets(const struct cli *c, const struct manifest *m,
                          const struct manifest_target ***out, size_t *n)
{
    size_t i;

    *n = c->targets.n > 0 ? c->targets.n : m->n_targets;
    *out = fw_xmalloc(*n * sizeof(**out));
    for (i = 0; i < *n; i++) {
        if (c->targets.n == 0) {
            (*out)[i] = &m->targets[i];
            continue;
        }
        (*out)[i] = cmd_find_target(m, c->targets.v[i]);
        if ((*out)[i] == NULL)
            return -1;
    }
    return 0;
}

/* Adds the jobs of one target: one per mode and engine. A mode or engine
 * not built is a skipped entry when --mode or --engine is "both", a
 * configuration error when it was named; but a target with no emulated
 * builds at all (host-only code) is skipped under --mode emu unless it was
 * named with --target. */
static int plan_target(const struct cli *c, const struct manifest_target *t,
                       struct run_item **items, size_t *n)
{
    enum fw_engine engines[2];
    enum fw_mode modes[2];
    struct manifest_target views[2];
    int usable[2][2];
    size_t ne = 0, nm = 0, nu = 0, k, j;
    char why[2][2][512];

    if (c->engine == FW_ENGINE_BOTH) {
        engines[ne++] = FW_ENGINE_LIBFUZZER;
        engines[ne++] = FW_ENGINE_AFL;
    } else {
        engines[ne++] = c->engine;
    }
    if (c->mode == FW_MODE_BOTH) {
        modes[nm++] = FW_MODE_NATIVE;
        modes[nm++] = FW_MODE_EMU;
    } else {
        modes[nm++] = c->mode;
    }
    for (j = 0; j < nm; j++) {
        int has_mode = engine_mode_target(t, modes[j], &views[j], why[j][0],
                                          sizeof(why[j][0])) == 0;

        if (!has_mode && c->mode != FW_MODE_BOTH && c->targets.n > 0) {
            fw_msg("%s", why[j][0]);
            return -1;
        }
        for (k = 0; k < ne; k++) {
            if (!has_mode) {
                usable[j][k] = 0;
                if (k > 0)
                    memcpy(why[j][k], why[j][0], sizeof(why[j][k]));
                continue;
            }
            usable[j][k] = engine_check(&views[j], engines[k], why[j][k],
                                        sizeof(why[j][k])) == 0 &&
                           (modes[j] != FW_MODE_EMU ||
                            engine_emu_image(t, c->emu_plain, why[j][k],
                                             sizeof(why[j][k])) != NULL);
            if (!usable[j][k] && c->engine != FW_ENGINE_BOTH) {
                fw_msg("%s", why[j][k]);
                return -1;
            }
            nu += (size_t)usable[j][k];
        }
    }
    for (j = 0; j < nm; j++) {
        for (k = 0; k < ne; k++) {
            struct run_item *it;

            *items = fw_xrealloc(*items, (*n + 1) * sizeof(**items));
            it = &(*items)[(*n)++];
            memset(it, 0, sizeof(*it));
            it->view = fw_xmalloc(sizeof(*it->view));
            *it->view = views[j];
            it->out = cmd_target_out(c->out, t->name, modes[j]);
            it->summary_name =
                fw_xasprintf("summary-%s.json", fw_engine_name(engines[k]));
            it->job.target = it->view;
            it->job.engine = engines[k];
            it->job.mode = modes[j];
            if (modes[j] == FW_MODE_EMU && usable[j][k])
                it->job.emu_image = engine_emu_image(t, c->emu_plain, why[j][k],
                                                     sizeof(why[j][k]));
            /* the jobs share the target's time */
            it->job.time_s = nu > 0 && c->time_s / nu > 0 ? c->time_s / nu : 1;
            it->job.jobs = 1;
            it->job.out = it->out;
            it->job.keep_going = 1;
            it->job.status_interval = c->status_interval;
            it->job.tty = isatty(STDERR_FILENO);
            it->job.summary_name = it->summary_name;
            if (!usable[j][k])
                it->report.skipped = fw_xstrdup(why[j][k]);
        }
    }
    return 0;
}

static int any_emu(const struct manifest_target *const *targets, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (targets[i]->emu != NULL)
            return 1;
    return 0;
}

static void run_one(struct run_item *it)
{
    char *path;
    cJSON *json;

    if (it->report.skipped != NULL) {
        fw_msg("skipping %s with %s: %s", it->job.target->name,
               engine_label(&it->job), it->report.skipped);
        return;
    }
    job_run(&it->job, &it->report);
    path = fs_join(it->out, it->summary_name);
    json = summary_job_json(&it->job, &it->report);
    if (summary_write(path, json) != 0 && !it->report.io_error)
        report_error(&it->report, FW_EXIT_IO, "cannot write %s: %s", path,
                     strerror(errno));
    cJSON_Delete(json);
    free(path);
}

/*
 * One campaign per output folder: an flock on <out>/.campaign.lock, which
 * holds the PID of its owner. The kernel drops the lock when the owner
 * dies (kill -9 included), so no stale lock is left behind. Returns the
 * open descriptor (kept until exit), or -1 after a message naming the
 * running campaign's PID.
 */
static int campaign_lock(const char *out)
{
    char *path = fs_join(out, ".campaign.lock");
    char pid[32] = "";
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    ssize_t r;

    if (fd < 0) {
        fw_msg("run: cannot open %s: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        r = pread(fd, pid, sizeof(pid) - 1, 0);
        pid[r > 0 ? r : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        fw_msg("run: another campaign (PID %s) is running on %s; wait for "
               "it, stop it, or give another --out",
               pid[0] ? pid : "unknown", out);
        close(fd);
        free(path);
        return -1;
    }
    snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, strlen(pid), 0) < 0)
        fw_msg("warning: cannot write %s: %s", path, strerror(errno));
    free(path);
    return fd;
}

int cmd_run(const struct cli *c)
{
    struct manifest m;
    const struct manifest_target **targets = NULL;
    struct run_item *items = NULL;
    struct summary_run_item *sitems;
    const char *out = c->out != NULL ? c->out : "reports/fuzz";
    size_t nt = 0, n = 0, done = 0, i;
    int rc = cmd_load_manifest(c, &m), interrupted = 0, io_error = 0;
    int lock = -1;
    char *path;
    cJSON *json;

    if (rc != 0)
        return rc;
    if (select_targets(c, &m, &targets, &nt) != 0) {
        rc = FW_EXIT_CONFIG;
        goto out;
    }
    for (i = 0; i < nt; i++) {
        if (plan_target(c, targets[i], &items, &n) != 0) {
            rc = FW_EXIT_CONFIG;
            goto out;
        }
    }
    if (c->mode == FW_MODE_EMU && !any_emu(targets, nt)) {
        fw_msg("no target of %s has emulated builds (configured with "
               "FWFUZZ_WITH_EMU=OFF, or without Unicorn or "
               "arm-none-eabi-gcc)",
               m.path);
        rc = FW_EXIT_CONFIG;
        goto out;
    }
    if (fs_mkdirs(out) != 0) {
        fw_msg("cannot create %s: %s", out, strerror(errno));
        rc = FW_EXIT_IO;
        goto out;
    }
    lock = campaign_lock(out);
    if (lock < 0) {
        rc = FW_EXIT_CONFIG;
        goto out;
    }
    proc_signals_install();
    fw_msg("run: %zu target%s, engines %s, mode %s, %lu s per target; "
           "output in %s",
           nt, nt == 1 ? "" : "s", fw_engine_name(c->engine),
           fw_mode_name(c->mode), c->time_s, out);
    for (i = 0; i < n && !interrupted; i++) {
        run_one(&items[i]);
        done = i + 1;
        interrupted = items[i].report.interrupted || proc_interrupts() > 0;
    }
    sitems = fw_xmalloc(done * sizeof(*sitems));
    for (i = 0; i < done; i++) {
        sitems[i].job = &items[i].job;
        sitems[i].report = &items[i].report;
    }
    path = fs_join(out, "summary.json");
    rc = run_exit_code(items, done, interrupted, 0);
    json = summary_run_json(sitems, done, c->time_s, fw_engine_name(c->engine),
                            fw_mode_name(c->mode), out, rc, interrupted);
    if (summary_write(path, json) != 0) {
        fw_msg("error: cannot write %s: %s", path, strerror(errno));
        io_error = 1;
        rc = run_exit_code(items, done, interrupted, io_error);
    }
    cJSON_Delete(json);
    print_table(items, done);
    fw_msg("run summary: %s", path);
    free(path);
    free(sitems);
out:
    for (i = 0; i < n; i++) {
        report_free(&items[i].report);
        free(items[i].view);
        free(items[i].out);
        free(items[i].summary_name);
    }
    free(items);
    free(targets);
    manifest_free(&m);
    if (lock >= 0)
        close(lock); /* and the lock with it */
    return rc;
}
