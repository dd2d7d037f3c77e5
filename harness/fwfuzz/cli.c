/* Parsing the fwfuzz command line. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "exitcode.h"
#include "util.h"

enum fw_command cli_command(const char *name)
{
    if (strcmp(name, "list") == 0)
        return FW_CMD_LIST;
    if (strcmp(name, "fuzz") == 0)
        return FW_CMD_FUZZ;
    if (strcmp(name, "run") == 0)
        return FW_CMD_RUN;
    if (strcmp(name, "replay") == 0)
        return FW_CMD_REPLAY;
    if (strcmp(name, "bench") == 0)
        return FW_CMD_BENCH;
    if (strcmp(name, "triage") == 0)
        return FW_CMD_TRIAGE;
    if (strcmp(name, "repro") == 0)
        return FW_CMD_REPRO;
    if (strcmp(name, "report") == 0)
        return FW_CMD_REPORT;
    if (strcmp(name, "cov") == 0)
        return FW_CMD_COV;
    if (strcmp(name, "help") == 0)
        return FW_CMD_HELP;
    return FW_CMD_NONE;
}

/* Walks the words of one command. */
struct cursor {
    int argc;
    char **argv;
    int i;
    const char *value; /* of the current option */
    char *err;
    size_t errlen;
};

/* Is argv[i] the option name (also as "name=value")? Takes its value when
 * it needs one. Returns 1 match, 0 no match, -1 error (err set). */
static int opt(struct cursor *k, const char *name, int has_value)
{
    const char *a = k->argv[k->i];
    size_t n = strlen(name);

    if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
        return 0;
    if (!has_value) {
        if (a[n] == '=') {
            snprintf(k->err, k->errlen, "%s takes no value", name);
            return -1;
        }
        return 1;
    }
    if (a[n] == '=') {
        k->value = a + n + 1;
    } else if (k->i + 1 < k->argc) {
        k->value = k->argv[++k->i];
    } else {
        snprintf(k->err, k->errlen, "%s needs a value", name);
        return -1;
    }
    if (k->value[0] == '\0') {
        snprintf(k->err, k->errlen, "%s needs a non-empty value", name);
        return -1;
    }
    return 1;
}

static int number(struct cursor *k, const char *name, unsigned long min,
                  unsigned long max, unsigned long *out)
{
    if (fw_parse_ulong(k->value, min, max, out) == 0)
        return 0;
    snprintf(k->err, k->errlen,
             "%s: '%s' is not a whole number from %lu to "
             "%lu",
             name, k->value, min, max);
    return -1;
}

static int engine(struct cursor *k, int allow_both, enum fw_engine *out)
{
    if (strcmp(k->value, "libfuzzer") == 0)
        *out = FW_ENGINE_LIBFUZZER;
    else if (strcmp(k->value, "afl") == 0)
        *out = FW_ENGINE_AFL;
    else if (allow_both && strcmp(k->value, "both") == 0)
        *out = FW_ENGINE_BOTH;
    else {
        snprintf(k->err, k->errlen, "--engine: unknown engine '%s' (%s)",
                 k->value,
                 allow_both ? "libfuzzer, afl or both" : "libfuzzer or afl");
        return -1;
    }
    return 0;
}

static int mode(struct cursor *k, int allow_both, enum fw_mode *out)
{
    if (strcmp(k->value, "native") == 0)
        *out = FW_MODE_NATIVE;
    else if (strcmp(k->value, "emu") == 0)
        *out = FW_MODE_EMU;
    else if (allow_both && strcmp(k->value, "both") == 0)
        *out = FW_MODE_BOTH;
    else {
        snprintf(k->err, k->errlen, "--mode: unknown mode '%s' (%s)", k->value,
                 allow_both ? "native, emu or both" : "native or emu");
        return -1;
    }
    return 0;
}

/* Options every command takes. Returns 2 for --help (stop parsing), 1 if
 * handled, 0 if not, -1 on error. */
static int common_opt(struct cursor *k, struct cli *c)
{
    int m;

    if ((m = opt(k, "--manifest", 1)) != 0) {
        if (m > 0)
            c->manifest = k->value;
        return m;
    }
    if ((m = opt(k, "--help", 0)) != 0 || (m = opt(k, "-h", 0)) != 0) {
        if (m < 0)
            return m;
        c->help_topic = c->cmd == FW_CMD_LIST     ? "list"
                        : c->cmd == FW_CMD_FUZZ   ? "fuzz"
                        : c->cmd == FW_CMD_RUN    ? "run"
                        : c->cmd == FW_CMD_REPLAY ? "replay"
                        : c->cmd == FW_CMD_BENCH  ? "bench"
                        : c->cmd == FW_CMD_TRIAGE ? "triage"
                        : c->cmd == FW_CMD_REPRO  ? "repro"
                        : c->cmd == FW_CMD_REPORT ? "report"
                                                  : c->help_topic;
        c->cmd = FW_CMD_HELP;
        return 2;
    }
    return 0;
}

/* Stores a positional word; -1 if there are too many. */
static int positional(struct cursor *k, struct cli *c)
{
    const char *a = k->argv[k->i];

    if (a[0] == '-' && a[1] != '\0') {
        snprintf(k->err, k->errlen, "unknown option '%s'", a);
        return -1;
    }
    if (c->cmd == FW_CMD_FUZZ && c->target == NULL) {
        c->target = a;
        return 0;
    }
    if (c->cmd == FW_CMD_HELP && c->help_topic == NULL) {
        c->help_topic = a;
        return 0;
    }
    if (c->cmd == FW_CMD_BENCH) {
        if (!strvec_contains(&c->targets, a))
            strvec_push(&c->targets, a);
        return 0;
    }
    if (c->cmd == FW_CMD_TRIAGE ||
        (c->cmd == FW_CMD_REPORT && c->words.n == 0)) {
        strvec_push(&c->words, a);
        return 0;
    }
    if (c->cmd == FW_CMD_REPRO && c->target == NULL) {
        c->target = a;
        return 0;
    }
    if (c->cmd == FW_CMD_REPRO && c->n_paths == 0) {
        c->paths = k->argv + k->i;
        c->n_paths = 1;
        return 0;
    }
    snprintf(k->err, k->errlen, "unexpected argument '%s'", a);
    return -1;
}

/* bench: --runs, --time, --soak, --json. Returns 1 if handled, 0 if not,
 * -1 on error. */
static int bench_opt(struct cursor *k, struct cli *c, int *given_time)
{
    int m;

    if ((m = opt(k, "--runs", 1)) != 0) {
        if (m < 0 || number(k, "--runs", 1, CLI_MAX_BENCH_RUNS, &c->runs) != 0)
            return -1;
        return 1;
    }
    if ((m = opt(k, "--time", 1)) != 0) {
        if (m < 0 || number(k, "--time", 1, 3600, &c->time_s) != 0)
            return -1;
        *given_time = 1;
        return 1;
    }
    if ((m = opt(k, "--soak", 1)) != 0) {
        if (m < 0 || number(k, "--soak", 1, CLI_MAX_SOAK, &c->soak) != 0)
            return -1;
        return 1;
    }
    if ((m = opt(k, "--json", 0)) != 0) {
        if (m < 0)
            return -1;
        c->json = 1;
        return 1;
    }
    return 0;
}

/* --timeout SECONDS (replay, triage, repro). Returns 1 if handled, 0 if
 * not, -1 on error. */
static int timeout_opt(struct cursor *k, struct cli *c)
{
    int m = opt(k, "--timeout", 1);

    if (m <= 0)
        return m;
    return number(k, "--timeout", 1, CLI_MAX_TIME_S, &c->timeout_s) == 0 ? 1
                                                                         : -1;
}

/* replay: --timeout, --verbose. Returns 1 if handled, 0 if not, -1 on
 * error. */
static int replay_opt(struct cursor *k, struct cli *c)
{
    int m;

    if ((m = timeout_opt(k, c)) != 0)
        return m;
    if ((m = opt(k, "--verbose", 0)) != 0 || (m = opt(k, "-v", 0)) != 0) {
        if (m < 0)
            return -1;
        c->verbose = 1;
        return 1;
    }
    return 0;
}

/* triage: --runs, --minimize-time, --update, --no-store, --target,
 * --reports, --out, --timeout. Returns 1 if handled, 0 if not, -1 on
 * error. */
static int triage_opt(struct cursor *k, struct cli *c)
{
    int m;

    if ((m = opt(k, "--runs", 1)) != 0) {
        if (m < 0 || number(k, "--runs", 1, 100, &c->repro_runs) != 0)
            return -1;
        return 1;
    }
    if ((m = opt(k, "--minimize-time", 1)) != 0) {
        if (m < 0 ||
            number(k, "--minimize-time", 0, 24 * 3600, &c->minimize_time) != 0)
            return -1;
        return 1;
    }
    if ((m = timeout_opt(k, c)) != 0)
        return m;
    if ((m = opt(k, "--update", 0)) != 0) {
        c->update = 1;
        return m;
    }
    if ((m = opt(k, "--no-store", 0)) != 0) {
        c->no_store = 1;
        return m;
    }
    if ((m = opt(k, "--target", 1)) != 0) {
        if (m > 0)
            c->target = k->value;
        return m;
    }
    if ((m = opt(k, "--reports", 1)) != 0) {
        if (m > 0)
            c->reports = k->value;
        return m;
    }
    if ((m = opt(k, "--out", 1)) != 0) {
        if (m > 0)
            c->out = k->value;
        return m;
    }
    return 0;
}

/* run: --budget, --coverage, --reports. Returns 1 if handled, 0 if not,
 * -1 on error. */
static int run_opt(struct cursor *k, struct cli *c)
{
    int m;

    if ((m = opt(k, "--budget", 1)) != 0) {
        if (m < 0 || number(k, "--budget", 1, CLI_MAX_TIME_S, &c->time_s) != 0)
            return -1;
        return 1;
    }
    if ((m = opt(k, "--coverage", 0)) != 0) {
        c->coverage = 1;
        return m;
    }
    if ((m = opt(k, "--reports", 1)) != 0) {
        if (m > 0)
            c->reports = k->value;
        return m;
    }
    if ((m = opt(k, "--time", 1)) != 0) {
        snprintf(k->err, k->errlen,
                 "run takes --budget SECONDS for the whole campaign (--time "
                 "was per target)");
        return -1;
    }
    return 0;
}

/* repro: --timeout, --gdb. */
static int repro_opt(struct cursor *k, struct cli *c)
{
    int m;

    if ((m = timeout_opt(k, c)) != 0)
        return m;
    if ((m = opt(k, "--gdb", 0)) != 0) {
        c->gdb = 1;
        return m;
    }
    return 0;
}

/* --emu-image kasan|plain (fuzz, run, replay). */
static int emu_image(struct cursor *k, struct cli *c)
{
    if (strcmp(k->value, "kasan") != 0 && strcmp(k->value, "plain") != 0) {
        snprintf(k->err, k->errlen,
                 "--emu-image: unknown image '%s' (kasan or plain)", k->value);
        return -1;
    }
    c->emu_plain = strcmp(k->value, "plain") == 0;
    c->emu_image_given = 1;
    return 0;
}

static int parse_command(struct cursor *k, struct cli *c)
{
    int given_time = 0;

    for (; k->i < k->argc; k->i++) {
        const char *a = k->argv[k->i];
        int m;

        /* replay TARGET [OPTION...] PATH...: options may follow TARGET
         * until the first path; "--" ends them */
        if (c->cmd == FW_CMD_REPLAY && c->target != NULL && a[0] == '-' &&
            strcmp(a, "--") != 0) {
            if ((m = opt(k, "--mode", 1)) != 0) {
                if (m < 0 || mode(k, 0, &c->mode) != 0)
                    return -1;
                c->mode_given = 1;
                continue;
            }
            if ((m = opt(k, "--emu-image", 1)) != 0) {
                if (m < 0 || emu_image(k, c) != 0)
                    return -1;
                continue;
            }
            if ((m = replay_opt(k, c)) != 0) {
                if (m < 0)
                    return -1;
                continue;
            }
            snprintf(k->err, k->errlen,
                     "unknown option '%s' (put \"--\" before a path that "
                     "starts with '-')",
                     a);
            return -1;
        }
        if (c->cmd == FW_CMD_REPLAY && c->target != NULL) {
            /* the rest are paths, whatever they look like */
            if (strcmp(a, "--") == 0)
                k->i++;
            c->paths = k->argv + k->i;
            c->n_paths = (size_t)(k->argc - k->i);
            k->i = k->argc;
            break;
        }
        if ((m = common_opt(k, c)) != 0) {
            if (m < 0)
                return -1;
            if (m == 2)
                return 0;
            continue;
        }
        if (c->cmd == FW_CMD_REPLAY && a[0] != '-') {
            c->target = a;
            continue;
        }
        if (c->cmd == FW_CMD_LIST && (m = opt(k, "--json", 0)) != 0) {
            if (m < 0)
                return -1;
            c->json = 1;
            continue;
        }
        if (c->cmd == FW_CMD_TRIAGE && (m = triage_opt(k, c)) != 0) {
            if (m < 0)
                return -1;
            continue;
        }
        if (c->cmd == FW_CMD_REPRO && (m = repro_opt(k, c)) != 0) {
            if (m < 0)
                return -1;
            continue;
        }
        if ((c->cmd == FW_CMD_FUZZ || c->cmd == FW_CMD_RUN ||
             c->cmd == FW_CMD_REPLAY || c->cmd == FW_CMD_TRIAGE ||
             c->cmd == FW_CMD_REPRO) &&
            (m = opt(k, "--mode", 1)) != 0) {
            if (m < 0 || mode(k, c->cmd == FW_CMD_RUN, &c->mode) != 0)
                return -1;
            c->mode_given = 1;
            continue;
        }
        if ((c->cmd == FW_CMD_FUZZ || c->cmd == FW_CMD_RUN ||
             c->cmd == FW_CMD_REPLAY || c->cmd == FW_CMD_REPRO) &&
            (m = opt(k, "--emu-image", 1)) != 0) {
            if (m < 0 || emu_image(k, c) != 0)
                return -1;
            continue;
        }
        if (c->cmd == FW_CMD_REPLAY && (m = replay_opt(k, c)) != 0) {
            if (m < 0)
                return -1;
            continue;
        }
        if (c->cmd == FW_CMD_BENCH && (m = bench_opt(k, c, &given_time)) != 0) {
            if (m < 0)
                return -1;
            continue;
        }
        if (c->cmd == FW_CMD_FUZZ || c->cmd == FW_CMD_RUN) {
            if ((m = opt(k, "--engine", 1)) != 0) {
                if (m < 0 || engine(k, c->cmd == FW_CMD_RUN, &c->engine) != 0)
                    return -1;
                continue;
            }
            if (c->cmd == FW_CMD_FUZZ && (m = opt(k, "--time", 1)) != 0) {
                if (m < 0 ||
                    number(k, "--time", 1, CLI_MAX_TIME_S, &c->time_s) != 0)
                    return -1;
                continue;
            }
            if ((m = opt(k, "--out", 1)) != 0) {
                if (m < 0)
                    return -1;
                c->out = k->value;
                continue;
            }

            if ((m = opt(k, "--status-interval", 1)) != 0) {
                if (m < 0 || number(k, "--status-interval", 1, 3600,
                                    &c->status_interval) != 0)
                    return -1;
                continue;
            }
        }
        if (c->cmd == FW_CMD_RUN && (m = run_opt(k, c)) != 0) {
            if (m < 0)
                return -1;
            continue;
        }
        if (c->cmd == FW_CMD_FUZZ || c->cmd == FW_CMD_RUN) {
            if ((m = opt(k, "--jobs", 1)) != 0) {
                if (m < 0 ||
                    number(k, "--jobs", 1, CLI_MAX_JOBS, &c->jobs) != 0)
                    return -1;
                continue;
            }
        }
        if (c->cmd == FW_CMD_FUZZ) {
            if ((m = opt(k, "--keep-going", 0)) != 0) {
                if (m < 0)
                    return -1;
                c->keep_going = 1;
                continue;
            }
            if (strcmp(a, "--") == 0) {
                c->engine_flags = k->argv + k->i + 1;
                c->n_engine_flags = (size_t)(k->argc - k->i - 1);
                k->i = k->argc;
                break;
            }
        }
        if (c->cmd == FW_CMD_RUN && (m = opt(k, "--target", 1)) != 0) {
            if (m < 0)
                return -1;
            if (!strvec_contains(&c->targets, k->value))
                strvec_push(&c->targets, k->value);
            continue;
        }
        if (positional(k, c) != 0)
            return -1;
    }
    if (c->cmd == FW_CMD_FUZZ && c->target == NULL) {
        snprintf(k->err, k->errlen, "missing TARGET");
        return -1;
    }
    if (c->cmd == FW_CMD_REPLAY && c->target == NULL) {
        snprintf(k->err, k->errlen, "missing TARGET");
        return -1;
    }
    if (c->cmd == FW_CMD_REPRO && (c->target == NULL || c->n_paths == 0)) {
        /* "repro FILE": the target was forgotten, not the input */
        snprintf(k->err, k->errlen, "missing %s",
                 c->target == NULL                ? "TARGET and INPUT"
                 : strchr(c->target, '/') != NULL ? "TARGET (repro TARGET "
                                                    "INPUT)"
                                                  : "INPUT");
        return -1;
    }
    if (c->cmd == FW_CMD_TRIAGE && c->update && c->no_store) {
        snprintf(k->err, k->errlen,
                 "--update and --no-store exclude each "
                 "other");
        return -1;
    }
    if (c->cmd == FW_CMD_REPORT && c->words.n == 0) {
        snprintf(k->err, k->errlen, "missing DIR (a campaign's report folder)");
        return -1;
    }
    if (c->cmd == FW_CMD_REPLAY && c->n_paths == 0) {
        snprintf(k->err, k->errlen, "missing PATH (files or folders to run)");
        return -1;
    }
    if (c->cmd == FW_CMD_BENCH && c->runs > 0 && given_time) {
        snprintf(k->err, k->errlen, "--runs and --time exclude each other");
        return -1;
    }
    if (c->cmd == FW_CMD_BENCH && c->soak > 0 && c->targets.n != 1) {
        snprintf(k->err, k->errlen, "--soak needs exactly one TARGET");
        return -1;
    }
    return 0;
}

int cli_parse(int argc, char **argv, struct cli *c, char *err, size_t errlen)
{
    struct cursor k = {argc, argv, 1, NULL, err, errlen};
    int m;

    memset(c, 0, sizeof(*c));
    c->time_s = CLI_DEFAULT_TIME_S;
    c->jobs = 1;
    c->status_interval = CLI_DEFAULT_STATUS_INTERVAL;
    c->repro_runs = CLI_DEFAULT_REPRO_RUNS;
    c->minimize_time = CLI_DEFAULT_MINIMIZE_TIME;
    err[0] = '\0';
    /* global options before the command */
    for (; k.i < argc && argv[k.i][0] == '-'; k.i++) {
        if ((m = opt(&k, "--version", 0)) != 0 || (m = opt(&k, "-V", 0)) != 0) {
            if (m < 0)
                return FW_EXIT_USAGE;
            c->cmd = FW_CMD_VERSION;
            return 0;
        }
        if ((m = common_opt(&k, c)) != 0) {
            if (m < 0)
                return FW_EXIT_USAGE;
            if (m == 2)
                return 0;
            continue;
        }
        snprintf(err, errlen, "unknown option '%s'", argv[k.i]);
        return FW_EXIT_USAGE;
    }
    if (k.i >= argc) {
        snprintf(err, errlen, "missing command");
        return FW_EXIT_USAGE;
    }
    c->cmd = cli_command(argv[k.i]);
    if (c->cmd == FW_CMD_NONE) {
        snprintf(err, errlen, "unknown command '%s'", argv[k.i]);
        return FW_EXIT_USAGE;
    }
    c->engine = c->cmd == FW_CMD_RUN ? FW_ENGINE_BOTH : FW_ENGINE_LIBFUZZER;
    c->mode = FW_MODE_NATIVE;
    if (c->cmd == FW_CMD_BENCH)
        c->time_s = CLI_DEFAULT_BENCH_TIME_S;
    if (c->cmd == FW_CMD_RUN) {
        c->time_s = CLI_DEFAULT_BUDGET_S;
        c->mode = FW_MODE_BOTH;
        c->jobs = 0; /* one per core, decided when it runs */
    }
    k.i++;
    if (c->cmd == FW_CMD_COV) {
        /* its options are its own (cmd_cov.c) */
        c->paths = argv + k.i;
        c->n_paths = (size_t)(argc - k.i);
        return 0;
    }
    if (parse_command(&k, c) != 0)
        return FW_EXIT_USAGE;
    if (c->emu_image_given && c->mode == FW_MODE_NATIVE) {
        snprintf(err, errlen, "--emu-image needs --mode emu%s",
                 c->cmd == FW_CMD_RUN ? " or both" : "");
        return FW_EXIT_USAGE;
    }
    if (c->cmd == FW_CMD_HELP && c->help_topic != NULL &&
        cli_command(c->help_topic) == FW_CMD_HELP)
        c->help_topic = NULL;
    if (c->cmd == FW_CMD_HELP && c->help_topic != NULL &&
        cli_command(c->help_topic) == FW_CMD_NONE) {
        snprintf(err, errlen,
                 "no help on '%s' (commands: list, fuzz, run, "
                 "replay, bench, triage, repro, report, cov)",
                 c->help_topic);
        c->help_topic = NULL;
        return FW_EXIT_USAGE;
    }
    return 0;
}

void cli_free(struct cli *c)
{
    strvec_free(&c->targets);
    strvec_free(&c->words);
}
