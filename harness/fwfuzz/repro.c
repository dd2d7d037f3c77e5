/*
 * Replaying one input for its signature (repro.h). The native replay build
 * runs with the sanitizer settings that make its report complete and
 * symbolised; the emulated one with the manifest's image, board and entry.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "fsutil.h"
#include "fwfuzz/protocol.h"
#include "options.h"
#include "proc.h"
#include "repro.h"
#include "util.h"

/* Seconds the native build gets after its own timeout report to print it. */
#define REPRO_GRACE_S 10

/*
 * Sanitizer settings of a native replay, unless the user set the variable:
 * the stack of an abort (a failed FWFUZZ_CHECK) and of UBSan's reports,
 * allocations over libFuzzer's default limit reported as out-of-memory.
 */
static const char *const native_env_default[] = {
    "ASAN_OPTIONS=handle_abort=1:detect_leaks=1:symbolize=1:"
    "allocator_may_return_null=0:max_allocation_size_mb=2048",
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:symbolize=1",
    NULL,
};

/* llvm-symbolizer, which turns addresses into function and file:line. */
static void add_symbolizer(struct strvec *env)
{
    static const char *const fallback = "/usr/lib/llvm-14/bin/llvm-symbolizer";
    char *path;

    if (getenv("ASAN_SYMBOLIZER_PATH") != NULL)
        return;
    path = fs_which("llvm-symbolizer");
    if (path == NULL && fs_is_executable(fallback))
        path = fw_xstrdup(fallback);
    if (path == NULL) {
        fw_msg("warning: llvm-symbolizer not found (Debian package llvm): "
               "native stacks are not symbolised and signatures are poor");
        return;
    }
    strvec_pushf(env, "ASAN_SYMBOLIZER_PATH=%s", path);
    free(path);
}

int repro_timeout(const struct manifest_target *t, unsigned long given,
                  unsigned long *s, const char **from, char *why, size_t n)
{
    struct strvec flags = {0};
    unsigned long v;
    size_t i;

    *s = given > 0 ? given : ENGINE_LF_TIMEOUT_S;
    *from = given > 0 ? "--timeout" : "the default";
    if (given > 0 || t->options == NULL)
        return 0;
    if (options_load(t->options, &flags, why, n) != 0)
        return -1;
    for (i = 0; i < flags.n; i++)
        if (strncmp(flags.v[i], "-timeout=", 9) == 0 &&
            fw_parse_ulong(flags.v[i] + 9, 1, 30ul * 24 * 3600, &v) == 0) {
            *s = v;
            *from = "the timeout of the target's .options";
        }
    strvec_free(&flags);
    return 0;
}

int repro_init(struct repro *r, const struct manifest_target *t,
               enum fw_mode mode, int plain, unsigned long timeout_s, char *why,
               size_t n)
{
    memset(r, 0, sizeof(*r));
    r->t = t;
    r->mode = mode;
    r->plain = plain;
    if (repro_timeout(t, timeout_s, &r->timeout_s, &r->timeout_from, why, n) !=
        0)
        return -1;
    if (mode == FW_MODE_NATIVE && !manifest_has_native(t)) {
        snprintf(why, n,
                 "%s is a whole firmware image: it has no native builds "
                 "(--mode emu)",
                 t->name);
        return -1;
    }
    if (mode == FW_MODE_EMU) {
        const char *image;

        if (t->emu == NULL) {
            snprintf(why, n, "%s has no emulated builds", t->name);
            return -1;
        }
        image = engine_emu_image(t, plain, why, n);
        if (image == NULL)
            return -1;
        r->bin = t->emu->replay;
        engine_emu_env(t, image, &r->env);
    } else {
        r->bin = t->replay;
        strvec_pushf(&r->env, "%s=%lu", FWFUZZ_ENV_TIMEOUT, r->timeout_s);
        add_symbolizer(&r->env);
    }
    if (r->bin == NULL || !fs_is_executable(r->bin)) {
        snprintf(why, n, "%s: %sreplay build %s is missing (build first)",
                 t->name, mode == FW_MODE_EMU ? "emulated " : "",
                 r->bin != NULL ? r->bin : "(none)");
        repro_free(r);
        return -1;
    }
    return 0;
}

void repro_free(struct repro *r)
{
    strvec_free(&r->env);
}

enum repro_verdict repro_run(const struct repro *r, const char *path,
                             struct crash_sig *sig, char **out, char *why,
                             size_t n)
{
    char *argv[5] = {(char *)r->bin, "-q", (char *)path, NULL, NULL};
    struct proc_opts o = {(const char *const *)r->env.v,
                          r->mode == FW_MODE_NATIVE ? native_env_default : NULL,
                          NULL};
    double limit = (double)(r->timeout_s + REPRO_GRACE_S);
    char *text = NULL, st[96];
    int status = 0, code;
    enum repro_verdict v;

    memset(sig, 0, sizeof(*sig));
    if (out != NULL)
        *out = NULL;
    if (r->full_report && r->mode == FW_MODE_EMU) {
        argv[1] = "--report";
        argv[2] = "full";
        argv[3] = (char *)path;
    }
    if (proc_run(argv, &o, NULL, limit, &text, REPRO_OUTPUT_MAX, &status) !=
        0) {
        snprintf(why, n, "cannot run %s: %s", r->bin, strerror(errno));
        return REPRO_ERROR;
    }
    if (proc_interrupts() > 0) {
        free(text);
        return REPRO_INTERRUPTED;
    }
    code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (sig_parse(text, r->mode == FW_MODE_EMU, sig)) {
        v = REPRO_FINDING;
    } else if (code == FWFUZZ_DRIVER_OK) {
        v = REPRO_CLEAN;
    } else if (WIFSIGNALED(status) &&
               (WTERMSIG(status) == SIGTERM || WTERMSIG(status) == SIGKILL)) {
        /* killed at our limit: a hang whose report never came */
        snprintf(sig->cls, sizeof(sig->cls), "timeout");
        snprintf(sig->raw_cls, sizeof(sig->raw_cls), "timeout");
        snprintf(sig->key, sizeof(sig->key), "timeout");
        v = REPRO_FINDING;
    } else if (code == FWFUZZ_DRIVER_USAGE ||
               code == FWFUZZ_DRIVER_UNREADABLE ||
               code == FWFUZZ_DRIVER_SETUP) {
        proc_status_text(status, st, sizeof(st));
        snprintf(why, n, "%s %s", fw_basename(r->bin), st);
        v = REPRO_ERROR;
    } else {
        /* died in a way no report names (a signal without a sanitizer) */
        proc_status_text(status, st, sizeof(st));
        snprintf(sig->cls, sizeof(sig->cls), "crash");
        snprintf(sig->raw_cls, sizeof(sig->raw_cls), "%s", st);
        snprintf(sig->key, sizeof(sig->key), "crash");
        v = REPRO_FINDING;
    }
    if (out != NULL)
        *out = text;
    else
        free(text);
    return v;
}

enum repro_verdict repro_run_data(const struct repro *r, const char *tmpdir,
                                  const uint8_t *data, size_t len,
                                  struct crash_sig *sig, char *why, size_t n)
{
    char *path = fw_xasprintf("%s/.repro-%ld", tmpdir, (long)getpid());
    enum repro_verdict v;

    if (fs_write_atomic(path, data, len) != 0) {
        snprintf(why, n, "cannot write %s: %s", path, strerror(errno));
        free(path);
        return REPRO_ERROR;
    }
    v = repro_run(r, path, sig, NULL, why, n);
    unlink(path);
    free(path);
    return v;
}
