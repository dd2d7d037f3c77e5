/* The fwfuzz command line: commands, options, defaults and their checks. */
#ifndef FWFUZZ_CLI_H
#define FWFUZZ_CLI_H

#include <stddef.h>

#include "job.h"
#include "strvec.h"

#define CLI_DEFAULT_TIME_S          60
#define CLI_DEFAULT_STATUS_INTERVAL 10
#define CLI_MAX_TIME_S              (30ul * 24 * 3600)
#define CLI_MAX_JOBS                64
/* run: the campaign's budget in seconds when --budget is not given */
#define CLI_DEFAULT_BUDGET_S 3600
/* bench: seconds each measurement runs when --runs is not given */
#define CLI_DEFAULT_BENCH_TIME_S 2
#define CLI_MAX_BENCH_RUNS       100000000ul
#define CLI_MAX_SOAK             10000000000ul
/* triage: replays of each finding; seconds of minimising per group */
#define CLI_DEFAULT_REPRO_RUNS    3
#define CLI_DEFAULT_MINIMIZE_TIME 60

enum fw_command {
    FW_CMD_NONE,
    FW_CMD_HELP,
    FW_CMD_VERSION,
    FW_CMD_LIST,
    FW_CMD_FUZZ,
    FW_CMD_RUN,
    FW_CMD_REPLAY,
    FW_CMD_BENCH,
    FW_CMD_TRIAGE,
    FW_CMD_REPRO,
    FW_CMD_REPORT,
    FW_CMD_COV
};

struct cli {
    enum fw_command cmd;
    const char *help_topic; /* FW_CMD_HELP: a command name or NULL */
    const char *manifest;   /* --manifest; NULL for the default */
    int json;               /* list --json, bench --json */
    const char *target;     /* fuzz, replay */
    enum fw_engine engine;
    enum fw_mode mode;   /* fuzz, replay, run: --mode */
    int mode_given;      /* --mode was given (else mode is the default) */
    int emu_plain;       /* fuzz, run, replay: --emu-image plain (else kasan) */
    int emu_image_given; /* --emu-image was given */
    unsigned long time_s; /* fuzz: --time; run: --budget; bench: per
                             measurement */
    unsigned long jobs;   /* fuzz, run: --jobs (run: 0 = one per core) */
    const char *out;      /* NULL: the command's default */
    int keep_going;
    unsigned long status_interval;
    char *const *engine_flags; /* fuzz: the words after "--" (into argv) */
    size_t n_engine_flags;
    struct strvec targets; /* run --target, bench TARGET... */
    char *const *paths;    /* replay: into argv */
    size_t n_paths;
    unsigned long timeout_s; /* replay --timeout (0: the target's) */
    int verbose;             /* replay --verbose: every report in full */
    unsigned long runs; /* bench --runs: passes over the seeds (0: --time) */
    unsigned long soak; /* bench --soak: emulated runs (0: no soak) */
    /* triage */
    struct strvec words; /* triage: TARGET... | DIR... | FILE...; report: DIR */
    unsigned long repro_runs;    /* --runs: replays of each finding */
    unsigned long minimize_time; /* --minimize-time: s per group */
    int update;                  /* --update: re-check the open cases */
    int no_store;                /* --no-store: classify, write nothing */
    const char *reports; /* triage --reports: where fuzz outputs are; run
                            --reports: where report folders go */
    /* repro */
    int gdb; /* --gdb: under a debugger */
    /* run */
    int coverage; /* --coverage: fwfuzz cov after the campaign */
    /* cov: its words after the command are in paths/n_paths, parsed by
     * cmd_cov.c */
};

/* Parses argv. Returns 0, or FW_EXIT_USAGE with a one-line reason in err;
 * c->cmd then tells which command's usage to show. argv must outlive c. */
int cli_parse(int argc, char **argv, struct cli *c, char *err, size_t errlen);
void cli_free(struct cli *c);

/* "list" -> FW_CMD_LIST; FW_CMD_NONE if unknown. */
enum fw_command cli_command(const char *name);

#endif
