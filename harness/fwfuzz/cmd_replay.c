/*
 * fwfuzz replay: run a target's replay build (native or emulated) on files
 * and folders, one process per input with a time limit, and print one
 * verdict line per input.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cmds.h"
#include "engine.h"
#include "exitcode.h"
#include "fsutil.h"
#include "fwfuzz/protocol.h"
#include "lfparse.h"
#include "proc.h"
#include "repro.h"
#include "util.h"

/* Output of one replay kept for its verdict and report. */
#define REPLAY_OUTPUT_MAX (1024 * 1024)

enum replay_verdict {
    VERDICT_OK,
    VERDICT_FINDING,
    VERDICT_ERROR,
    VERDICT_INTERRUPTED /* fwfuzz was: no verdict */
};

struct replay_counts {
    unsigned long ok, findings, errors;
};

/* How each input is run. */
struct replay_setup {
    const char *bin;          /* the replay build */
    const struct strvec *env; /* its environment (emulated settings) */
    unsigned long timeout;    /* s per input */
    const char *timeout_from; /* where it came from, for the verdict */
};

/* Adds path, or every regular non-hidden file below it in name order, to
 * files. -1 after a message if path cannot be read. */
static int expand_path(const char *path, struct strvec *files)
{
    struct strvec names = {0}, dirs = {0};
    size_t i;
    int rc = 0;

    if (!fs_is_dir(path)) {
        FILE *f = fopen(path, "rb");

        if (f == NULL) {
            fw_msg("replay: cannot read %s: %s", path, strerror(errno));
            return -1;
        }
        fclose(f);
        strvec_push(files, path);
        return 0;
    }
    if (fs_list_files(path, "", &names) != 0 ||
        fs_list_dirs(path, &dirs) != 0) {
        fw_msg("replay: cannot list %s: %s", path, strerror(errno));
        rc = -1;
        goto out;
    }
    for (i = 0; i < names.n; i++)
        strvec_pushf(files, "%s/%s", path, names.v[i]);
    for (i = 0; i < dirs.n && rc == 0; i++) {
        char *sub = fs_join(path, dirs.v[i]);

        rc = expand_path(sub, files);
        free(sub);
    }
out:
    strvec_free(&names);
    strvec_free(&dirs);
    return rc;
}

/* The seconds one input may run (repro_timeout); -1 after a message if
 * the .options file is bad (as for fwfuzz fuzz). */
static int replay_timeout(const struct cli *c, const struct manifest_target *t,
                          struct replay_setup *rs)
{
    char err[512];

    if (repro_timeout(t, c->timeout_s, &rs->timeout, &rs->timeout_from, err,
                      sizeof(err)) != 0) {
        fw_msg("%s", err);
        return -1;
    }
    return 0;
}

/* The replay build's output, indented, on stderr. */
static void show_output(const char *out)
{
    const char *line = out, *next;

    for (; line != NULL && *line != '\0'; line = next) {
        next = strchr(line, '\n');
        fprintf(stderr, "    %.*s\n",
                (int)(next != NULL ? (size_t)(next - line) : strlen(line)),
                line);
        if (next != NULL)
            next++;
    }
}

/*
 * Runs one input and prints its verdict line on stdout:
 *   PATH: ok
 *   PATH: KIND: DESCRIPTION      (a finding: crash, property, timeout, ...)
 *   PATH: error: WHAT            (the build could not run it)
 */
static enum replay_verdict replay_one(const struct replay_setup *rs,
                                      const char *path, int show)
{
    const char *bin = rs->bin;
    unsigned long timeout = rs->timeout;
    char *argv[4] = {(char *)bin, "-q", (char *)path, NULL};
    struct proc_opts o = {(const char *const *)rs->env->v, NULL, NULL};
    char kind[32], desc[1024], st[96];
    char *out = NULL;
    double start = fw_now();
    int status = 0, code;
    enum replay_verdict v;

    if (proc_run(argv, &o, NULL, (double)timeout, &out, REPLAY_OUTPUT_MAX,
                 &status) != 0) {
        printf("%s: error: cannot run %s: %s\n", path, bin, strerror(errno));
        return VERDICT_ERROR;
    }
    if (proc_interrupts() > 0) {
        free(out);
        return VERDICT_INTERRUPTED;
    }
    proc_status_text(status, st, sizeof(st));
    code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == FWFUZZ_DRIVER_OK) {
        printf("%s: ok\n", path);
        v = VERDICT_OK;
    } else if (WIFSIGNALED(status) &&
               (WTERMSIG(status) == SIGTERM || WTERMSIG(status) == SIGKILL) &&
               fw_now() - start >= (double)timeout) {
        printf("%s: timeout: ran past %lu s (%s)\n", path, timeout,
               rs->timeout_from);
        v = VERDICT_FINDING;
    } else if (lf_describe(out, kind, sizeof(kind), desc, sizeof(desc))) {
        printf("%s: %s: %s\n", path, kind, desc);
        v = VERDICT_FINDING;
    } else if (code == FWFUZZ_DRIVER_USAGE ||
               code == FWFUZZ_DRIVER_UNREADABLE ||
               code == FWFUZZ_DRIVER_SETUP) {
        printf("%s: error: %s %s\n", path, fw_basename(bin), st);
        show = 1;
        v = VERDICT_ERROR;
    } else {
        printf("%s: crash: %s %s\n", path, fw_basename(bin), st);
        v = VERDICT_FINDING;
    }
    fflush(stdout);
    if (show && v != VERDICT_OK)
        show_output(out);
    free(out);
    return v;
}

static int replay_all(const struct cli *c, const struct replay_setup *rs,
                      const struct strvec *files)
{
    struct replay_counts n = {0, 0, 0};
    size_t i;

    for (i = 0; i < files->n && proc_interrupts() == 0; i++) {
        /* one input: its report in full, as the replay build printed it */
        int show = c->verbose || files->n == 1;

        switch (replay_one(rs, files->v[i], show)) {
        case VERDICT_OK:
            n.ok++;
            break;
        case VERDICT_FINDING:
            n.findings++;
            break;
        case VERDICT_ERROR:
            n.errors++;
            break;
        case VERDICT_INTERRUPTED:
            break;
        }
    }
    fw_msg("replay: %lu of %zu inputs ran: %lu ok, %lu findings, %lu errors",
           n.ok + n.findings + n.errors, files->n, n.ok, n.findings, n.errors);
    if (proc_interrupts() > 0)
        return FW_EXIT_INTERRUPTED;
    if (n.findings > 0)
        return FW_EXIT_FINDINGS;
    return n.errors > 0 ? FW_EXIT_ENGINE : FW_EXIT_OK;
}

int cmd_replay(const struct cli *c)
{
    struct manifest m;
    const struct manifest_target *t;
    struct manifest_target view;
    struct strvec files = {0}, env = {0};
    struct replay_setup rs = {NULL, &env, 0, NULL};
    enum fw_mode mode;
    char why[512];
    size_t i;
    int rc = cmd_load_manifest(c, &m);

    if (rc != 0)
        return rc;
    t = cmd_find_target(&m, c->target);
    if (t == NULL) {
        rc = FW_EXIT_CONFIG;
        goto out;
    }
    rc = cmd_target_mode(c, t, &mode);
    if (rc != 0)
        goto out;
    rc = FW_EXIT_CONFIG;
    if (engine_mode_target(t, mode, &view, why, sizeof(why)) != 0) {
        fw_msg("%s", why);
        goto out;
    }
    if (replay_timeout(c, t, &rs) != 0)
        goto out;
    if (!fs_is_executable(view.replay)) {
        fw_msg("%s: %sreplay build %s is missing (build first)", t->name,
               mode == FW_MODE_EMU ? "emulated " : "", view.replay);
        goto out;
    }
    if (mode == FW_MODE_EMU) {
        const char *image = engine_emu_image(t, c->emu_plain, why, sizeof(why));

        if (image == NULL) {
            fw_msg("%s", why);
            goto out;
        }
        engine_emu_env(t, image, &env);
    }
    for (i = 0; i < c->n_paths; i++) {
        if (expand_path(c->paths[i], &files) != 0) {
            rc = FW_EXIT_IO;
            goto out;
        }
    }
    if (files.n == 0) {
        fw_msg("replay: no inputs in %s%s", c->paths[0],
               c->n_paths > 1 ? " ..." : "");
        rc = FW_EXIT_IO;
        goto out;
    }
    rs.bin = view.replay;
    rc = replay_all(c, &rs, &files);
out:
    strvec_free(&files);
    strvec_free(&env);
    manifest_free(&m);
    return rc;
}
