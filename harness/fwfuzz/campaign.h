/* The nightly campaign (`fwfuzz run`): every target in both modes with
 * both engines within one time budget, then triage, corpus merge,
 * coverage and the report folder. docs/campaign.md describes it. */
#ifndef FWFUZZ_CAMPAIGN_H
#define FWFUZZ_CAMPAIGN_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "job.h"
#include "linebuf.h"
#include "manifest.h"
#include "proc.h"
#include "strvec.h"

/* Seconds a fuzzing job gets at least, however small its share. */
#define CAMPAIGN_MIN_JOB_S 3
/* Seconds of a job spent outside fuzzing (start, AFL++ calibration, queue
 * merge), assumed until jobs have shown theirs. */
#define CAMPAIGN_JOB_OVERHEAD_S 3.0
/* Minimising time per new crash group in the campaign's triage. */
#define CAMPAIGN_MINIMIZE_S 10

enum campaign_job_state { CJ_PENDING, CJ_RUNNING, CJ_DONE, CJ_SKIPPED };

/* One fuzzing job: one target, one mode, one engine, run as a child
 * `fwfuzz fuzz` process so that a job's failure or hang stays its own. */
struct campaign_job {
    const struct manifest_target *target;
    enum fw_mode mode;
    enum fw_engine engine;
    double weight;
    char *out;     /* the target's fuzzing folder for this mode */
    char *skipped; /* why it does not run, or NULL */
    enum campaign_job_state state;
    /* while it runs */
    struct proc proc;
    struct linebuf lb;
    FILE *log;
    char *log_path;
    double started;
    unsigned long time_s; /* its fuzzing time (--time) */
    char status[256];     /* its last progress line */
    /* once done */
    double wall;
    int exit_code;  /* of the child; -1 if it did not exit normally */
    char *error;    /* campaign-side failure, or NULL */
    cJSON *summary; /* the job's summary.json, or NULL */
};

struct campaign {
    const struct cli *c;
    const struct manifest *m;
    char *self;          /* the fwfuzz executable, for the child commands */
    const char *out;     /* fuzzing folder (reports/fuzz) */
    const char *reports; /* report root (reports) */
    char *report_dir;    /* reports/<UTC timestamp> */
    char stamp[32];      /* 20261204T031000Z */
    char started[32];    /* 2026-12-04T03:10:00Z */
    char finished[32];
    double t0, deadline;
    unsigned long budget_s;
    unsigned long jobs_at_once;
    const struct manifest_target **targets;
    size_t n_targets;
    struct campaign_job *jobs;
    size_t n_jobs;
    int tty;
    int interrupted;
    struct strvec errors; /* campaign-level problems, for the report */
    cJSON *groups;        /* crash groups from triage (array) */
    int triage_failed;
    int coverage_done;
};

/* The jobs of every selected target (plan), with weights from .options.
 * Returns 0, or FW_EXIT_CONFIG after a message. */
int campaign_plan(struct campaign *cp);

/* Runs the jobs, up to jobs_at_once at a time, until all ran or the
 * budget is spent; shows progress. Never fails as a whole: each job's
 * outcome is in its struct. */
void campaign_fuzz(struct campaign *cp);

/* Triage of every target's findings, then of its open cases (--update):
 * fills cp->groups. */
void campaign_triage(struct campaign *cp);

/* Merges each target's working corpora (both modes) with its merged/
 * folder into a new, minimised merged/ (libFuzzer -merge=1). */
void campaign_merge(struct campaign *cp);

/* `fwfuzz cov` into <report_dir>/coverage (with --coverage). */
void campaign_coverage(struct campaign *cp);

/* Writes summary.json (format 2) in the report folder, then the other
 * report files, reports/latest and a line of reports/history.jsonl.
 * Returns the campaign's exit code. */
int campaign_report(struct campaign *cp);

/* The campaign's exit code: 130 interrupted, 10 a new group, 5/3/4 when
 * the campaign itself failed that way, else 0. */
int campaign_exit_code(const struct campaign *cp);

/* Runs fwfuzz itself with args (argv without the program) as a child,
 * output appended to log_path; returns its exit status or -1. */
int campaign_self(struct campaign *cp, const struct strvec *args,
                  const char *log_path, double timeout_s);

void campaign_free(struct campaign *cp);

#endif
