/* The fwfuzz commands. Each returns the process exit code (exitcode.h). */
#ifndef FWFUZZ_CMDS_H
#define FWFUZZ_CMDS_H

#include "cli.h"
#include "manifest.h"

int cmd_list(const struct cli *c);
int cmd_fuzz(const struct cli *c);
int cmd_run(const struct cli *c);
int cmd_replay(const struct cli *c);
int cmd_bench(const struct cli *c);
int cmd_triage(const struct cli *c);
int cmd_repro(const struct cli *c);
int cmd_report(const struct cli *c);
int cmd_cov(const struct cli *c);

/* Shared by the commands (cmd_common.c). */

/* Loads --manifest or the default; prints why not and returns
 * FW_EXIT_CONFIG on failure, 0 on success. */
int cmd_load_manifest(const struct cli *c, struct manifest *m);
/* The target, or NULL after printing the known ones. */
const struct manifest_target *cmd_find_target(const struct manifest *m,
                                              const char *name);

/*
 * The mode a command runs target t in: --mode, or for a whole image (no
 * native builds) FW_MODE_EMU when --mode was not given. FW_EXIT_USAGE after
 * a message when --mode native names a whole image; else 0.
 */
int cmd_target_mode(const struct cli *c, const struct manifest_target *t,
                    enum fw_mode *mode);
/* Output folder of a target's fuzzing in dir (NULL: "reports/fuzz"):
 * DIR/TARGET for native runs, DIR/emu/TARGET for emulated ones (their
 * corpora and findings are kept apart). Caller frees. */
char *cmd_target_out(const char *dir, const char *target, enum fw_mode mode);

#endif
