/* fwfuzz run: the campaign (campaign.h), one per output folder. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campaign.h"
#include "cmds.h"
#include "exitcode.h"
#include "fsutil.h"
#include "util.h"

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

/* The running fwfuzz binary, which the campaign runs for each job. */
static char *self_path(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    return fw_xstrdup(buf);
}

/* reports/<UTC timestamp>, made new (a suffix when two campaigns start in
 * the same second). */
static int make_report_dir(struct campaign *cp)
{
    int k;

    if (fs_mkdirs(cp->reports) != 0) {
        fw_msg("run: cannot create %s: %s", cp->reports, strerror(errno));
        return -1;
    }
    for (k = 1; k < 100; k++) {
        char name[48];

        if (k == 1)
            snprintf(name, sizeof(name), "%s", cp->stamp);
        else
            snprintf(name, sizeof(name), "%s-%d", cp->stamp, k);
        free(cp->report_dir);
        cp->report_dir = fs_join(cp->reports, name);
        if (mkdir(cp->report_dir, 0755) == 0) {
            snprintf(cp->stamp, sizeof(cp->stamp), "%s", name);
            return 0;
        }
        if (errno != EEXIST)
            break;
    }
    fw_msg("run: cannot create %s: %s", cp->report_dir, strerror(errno));
    return -1;
}

void campaign_free(struct campaign *cp)
{
    size_t i;

    for (i = 0; i < cp->n_jobs; i++) {
        struct campaign_job *j = &cp->jobs[i];

        free(j->out);
        free(j->skipped);
        free(j->log_path);
        free(j->error);
        if (j->log != NULL)
            fclose(j->log);
        cJSON_Delete(j->summary);
    }
    free(cp->jobs);
    free(cp->targets);
    free(cp->self);
    free(cp->report_dir);
    strvec_free(&cp->errors);
    cJSON_Delete(cp->groups);
}

int cmd_run(const struct cli *c)
{
    struct manifest m;
    struct campaign cp;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int rc = cmd_load_manifest(c, &m), lock = -1;
    size_t i, runnable = 0;

    if (rc != 0)
        return rc;
    memset(&cp, 0, sizeof(cp));
    cp.c = c;
    cp.m = &m;
    cp.out = c->out != NULL ? c->out : "reports/fuzz";
    cp.reports = c->reports != NULL ? c->reports : "reports";
    cp.budget_s = c->time_s;
    cp.jobs_at_once = c->jobs > 0 ? c->jobs
                      : cores > 0 ? (unsigned long)cores
                                  : 1;
    if (cp.jobs_at_once > CLI_MAX_JOBS)
        cp.jobs_at_once = CLI_MAX_JOBS;
    cp.tty = isatty(STDERR_FILENO);
    cp.groups = cJSON_CreateArray();
    rc = campaign_plan(&cp);
    if (rc != 0)
        goto out;
    cp.self = self_path();
    if (cp.self == NULL) {
        fw_msg("run: cannot find the fwfuzz binary (/proc/self/exe): %s",
               strerror(errno));
        rc = FW_EXIT_CONFIG;
        goto out;
    }
    if (fs_mkdirs(cp.out) != 0) {
        fw_msg("run: cannot create %s: %s", cp.out, strerror(errno));
        rc = FW_EXIT_IO;
        goto out;
    }
    lock = campaign_lock(cp.out);
    if (lock < 0) {
        rc = FW_EXIT_CONFIG;
        goto out;
    }
    fw_utc_stamp(cp.stamp, sizeof(cp.stamp), 0);
    fw_utc_stamp(cp.started, sizeof(cp.started), 1);
    if (make_report_dir(&cp) != 0) {
        rc = FW_EXIT_IO;
        goto out;
    }
    proc_signals_install();
    for (i = 0; i < cp.n_jobs; i++)
        runnable += cp.jobs[i].state == CJ_PENDING;
    fw_msg("run: %zu target%s, %zu fuzzing jobs (%zu skipped), %lu at a "
           "time, budget %lu s; report in %s",
           cp.n_targets, cp.n_targets == 1 ? "" : "s", runnable,
           cp.n_jobs - runnable, cp.jobs_at_once, cp.budget_s, cp.report_dir);
    cp.t0 = fw_now();
    cp.deadline = cp.t0 + (double)cp.budget_s;
    campaign_fuzz(&cp);
    /* interrupted: report what is there; the next run triages and merges
     * (the findings and working corpora stay where they are) */
    if (!cp.interrupted)
        campaign_triage(&cp);
    if (!cp.interrupted && proc_interrupts() == 0)
        campaign_merge(&cp);
    if (c->coverage && proc_interrupts() == 0)
        campaign_coverage(&cp);
    cp.interrupted |= proc_interrupts() > 0;
    rc = campaign_report(&cp);
out:
    campaign_free(&cp);
    manifest_free(&m);
    if (lock >= 0)
        close(lock); /* and the lock with it */
    return rc;
}
