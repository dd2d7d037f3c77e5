/* fwfuzz: the command that fuzzes the build's fuzz targets. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmds.h"
#include "exitcode.h"
#include "help.h"

#ifndef FWFUZZ_VERSION
#define FWFUZZ_VERSION "0"
#endif

static const char *topic_of(enum fw_command cmd)
{
    switch (cmd) {
    case FW_CMD_LIST:
        return "list";
    case FW_CMD_FUZZ:
        return "fuzz";
    case FW_CMD_RUN:
        return "run";
    case FW_CMD_REPLAY:
        return "replay";
    case FW_CMD_BENCH:
        return "bench";
    case FW_CMD_TRIAGE:
        return "triage";
    case FW_CMD_REPRO:
        return "repro";
    case FW_CMD_REPORT:
        return "report";
    case FW_CMD_COV:
        return "cov";
    default:
        return NULL;
    }
}

/*
 * `fwfuzz boot` and `fwfuzz glitch`: fwfuzz does not link the emulator, so
 * they are fwfuzz-boot and fwfuzz-glitch (emu/tools/), built next to it;
 * they take the same arguments.
 */
static int emu_tool(const char *cmd, char **argv)
{
    char self[4096], *slash;
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 16);

    if (n <= 0) {
        fprintf(stderr, "fwfuzz %s: cannot find fwfuzz's own folder\n", cmd);
        return FW_EXIT_CONFIG;
    }
    self[n] = '\0';
    slash = strrchr(self, '/');
    snprintf(slash != NULL ? slash + 1 : self, 16, "fwfuzz-%s", cmd);
    argv[0] = self;
    execv(self, argv);
    fprintf(stderr,
            "fwfuzz %s: %s: %s (built with the emulator: "
            "FWFUZZ_WITH_EMU)\n",
            cmd, self, strerror(errno));
    return FW_EXIT_CONFIG;
}

int main(int argc, char **argv)
{
    struct cli c;
    char err[512];
    int rc;

    if (argc > 1 &&
        (strcmp(argv[1], "boot") == 0 || strcmp(argv[1], "glitch") == 0))
        return emu_tool(argv[1], argv + 1);
    /* `fwfuzz help boot`: the tool's own usage */
    if (argc == 3 && strcmp(argv[1], "help") == 0 &&
        (strcmp(argv[2], "boot") == 0 || strcmp(argv[2], "glitch") == 0)) {
        static char help_arg[] = "--help";
        char *tool_argv[] = {argv[2], help_arg, NULL};

        return emu_tool(argv[2], tool_argv);
    }

    if (cli_parse(argc, argv, &c, err, sizeof(err)) != 0) {
        fprintf(stderr, "fwfuzz: %s\n", err);
        help_usage(stderr, topic_of(c.cmd));
        cli_free(&c);
        return FW_EXIT_USAGE;
    }
    switch (c.cmd) {
    case FW_CMD_VERSION:
        printf("fwfuzz %s\n", FWFUZZ_VERSION);
        rc = FW_EXIT_OK;
        break;
    case FW_CMD_LIST:
        rc = cmd_list(&c);
        break;
    case FW_CMD_FUZZ:
        rc = cmd_fuzz(&c);
        break;
    case FW_CMD_RUN:
        rc = cmd_run(&c);
        break;
    case FW_CMD_REPLAY:
        rc = cmd_replay(&c);
        break;
    case FW_CMD_BENCH:
        rc = cmd_bench(&c);
        break;
    case FW_CMD_TRIAGE:
        rc = cmd_triage(&c);
        break;
    case FW_CMD_REPRO:
        rc = cmd_repro(&c);
        break;
    case FW_CMD_REPORT:
        rc = cmd_report(&c);
        break;
    case FW_CMD_COV:
        rc = cmd_cov(&c);
        break;
    default:
        help_print(stdout, c.help_topic);
        rc = FW_EXIT_OK;
        break;
    }
    cli_free(&c);
    return rc;
}
