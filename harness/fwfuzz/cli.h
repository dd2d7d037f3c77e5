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

enum fw_command {
    FW_CMD_NONE,
    FW_CMD_HELP,
    FW_CMD_VERSION,
    FW_CMD_LIST,
    FW_CMD_FUZZ,
    FW_CMD_RUN,
    FW_CMD_REPLAY
};

struct cli {
    enum fw_command cmd;
    const char *help_topic; /* FW_CMD_HELP: a command name or NULL */
    const char *manifest;   /* --manifest; NULL for the default */
    int json;               /* list --json */
    const char *target;     /* fuzz, replay */
    enum fw_engine engine;
    unsigned long time_s;
    unsigned long jobs;
    const char *out; /* NULL: the command's default */
    int keep_going;
    unsigned long status_interval;
    char *const *engine_flags; /* fuzz: the words after "--" (into argv) */
    size_t n_engine_flags;
    struct strvec targets; /* run --target */
    char *const *paths;    /* replay: into argv */
    size_t n_paths;
};

/* Parses argv. Returns 0, or FW_EXIT_USAGE with a one-line reason in err;
 * c->cmd then tells which command's usage to show. argv must outlive c. */
int cli_parse(int argc, char **argv, struct cli *c, char *err, size_t errlen);
void cli_free(struct cli *c);

/* "list" -> FW_CMD_LIST; FW_CMD_NONE if unknown. */
enum fw_command cli_command(const char *name);

#endif
