/* Which engines can run a target. */
#define _POSIX_C_SOURCE 200809L
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "fsutil.h"
#include "fwfuzz/protocol.h"
#include "lfparse.h"
#include "proc.h"

/* The user's value of an emulated build's variable, or NULL. fwfuzz never
 * sets these in its own environment: they are what the user started it
 * with, and they win over the manifest's (docs/emulation.md). */
static const char *user_setting(const char *name)
{
    const char *v = getenv(name);

    return v != NULL && v[0] != '\0' ? v : NULL;
}

int engine_mode_target(const struct manifest_target *t, enum fw_mode mode,
                       struct manifest_target *view, char *why, size_t n)
{
    *view = *t;
    if (mode == FW_MODE_NATIVE && !manifest_has_native(t)) {
        snprintf(why, n,
                 "%s is a whole firmware image: it has no native builds and "
                 "runs only under emulation (--mode emu)",
                 t->name);
        return -1;
    }
    if (mode != FW_MODE_EMU)
        return 0;
    if (t->emu == NULL) {
        snprintf(why, n,
                 "%s: no emulated builds (a host-only target, or a build "
                 "configured with FWFUZZ_WITH_EMU=OFF or without Unicorn or "
                 "arm-none-eabi-gcc)",
                 t->name);
        return -1;
    }
    view->libfuzzer = t->emu->libfuzzer;
    view->afl = t->emu->afl;
    view->replay = t->emu->replay;
    return 0;
}

const char *engine_emu_image(const struct manifest_target *t, int plain,
                             char *why, size_t n)
{
    const char *user = user_setting(FWFUZZ_ENV_EMU_IMAGE);

    if (t->emu == NULL) {
        snprintf(why, n, "%s: no emulated builds", t->name);
        return NULL;
    }
    if (user != NULL)
        return user;
    if (plain && t->emu->image_plain == NULL) {
        snprintf(why, n,
                 "%s: --emu-image plain: the manifest names no plain image "
                 "(\"image_plain\" of \"emu\")",
                 t->name);
        return NULL;
    }
    return plain ? t->emu->image_plain : t->emu->image;
}

void engine_emu_env(const struct manifest_target *t, const char *image,
                    struct strvec *env)
{
    const char *board = user_setting(FWFUZZ_ENV_EMU_BOARD);
    const char *entry = user_setting(FWFUZZ_ENV_EMU_ENTRY);

    if (t->emu == NULL || image == NULL)
        return;
    strvec_pushf(env, "%s=%s", FWFUZZ_ENV_EMU_IMAGE, image);
    strvec_pushf(env, "%s=%s", FWFUZZ_ENV_EMU_BOARD,
                 board != NULL ? board : t->emu->board);
    strvec_pushf(env, "%s=%s", FWFUZZ_ENV_EMU_ENTRY,
                 entry != NULL ? entry : t->emu->entry);
    if (t->emu->load_addr != NULL &&
        user_setting(FWFUZZ_ENV_EMU_LOAD_ADDR) == NULL)
        strvec_pushf(env, "%s=%s", FWFUZZ_ENV_EMU_LOAD_ADDR, t->emu->load_addr);
    if (t->emu->extra_images != NULL &&
        user_setting(FWFUZZ_ENV_EMU_EXTRA_IMAGES) == NULL)
        strvec_pushf(env, "%s=%s", FWFUZZ_ENV_EMU_EXTRA_IMAGES,
                     t->emu->extra_images);
}

void engine_job_env(const struct fuzz_job *job, struct strvec *env)
{
    if (job->mode == FW_MODE_EMU)
        engine_emu_env(job->target, job->emu_image, env);
}

const char *engine_label(const struct fuzz_job *job)
{
    if (job->mode == FW_MODE_EMU)
        return job->engine == FW_ENGINE_AFL ? "emu-afl" : "emu-libfuzzer";
    return fw_engine_name(job->engine);
}

int engine_check(const struct manifest_target *t, enum fw_engine e, char *why,
                 size_t n)
{
    char *afl_fuzz;

    if (e == FW_ENGINE_LIBFUZZER) {
        if (fs_is_executable(t->libfuzzer))
            return 0;
        snprintf(why, n, "%s: libFuzzer build %s is missing (build first)",
                 t->name, t->libfuzzer);
        return -1;
    }
    if (t->afl == NULL) {
        snprintf(why, n,
                 "%s: no AFL++ build (configured with "
                 "FWFUZZ_WITH_AFL=OFF or without afl-clang-fast)",
                 t->name);
        return -1;
    }
    if (!fs_is_executable(t->afl)) {
        snprintf(why, n, "%s: AFL++ build %s is missing (build first)", t->name,
                 t->afl);
        return -1;
    }
    afl_fuzz = fs_which("afl-fuzz");
    if (afl_fuzz == NULL) {
        snprintf(why, n, "afl-fuzz is not on PATH (Debian package afl++)");
        return -1;
    }
    free(afl_fuzz);
    return 0;
}

int engine_describe_input(const struct fuzz_job *job, const struct job_paths *p,
                          const char *path, const char *hex, char *kind,
                          size_t kindlen, char *desc, size_t desclen)
{
    const struct manifest_target *t = job->target;
    char *argv[4], *out = NULL, *log;
    char name[80];
    struct strvec env = {0};
    struct proc_opts o = {NULL, NULL, NULL};
    int status = 0, rc = -1;

    if (t->replay == NULL || !fs_is_executable(t->replay))
        return -1;
    argv[0] = t->replay;
    argv[1] = "-q";
    argv[2] = (char *)path;
    argv[3] = NULL;
    snprintf(name, sizeof(name), "replay-%s.log", hex);
    log = fs_join(p->logs, name);
    engine_job_env(job, &env);
    o.env_set = (const char *const *)env.v;
    if (proc_run(argv, &o, log, ENGINE_REPLAY_TIMEOUT_S, &out, 256 * 1024,
                 &status) == 0) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            rc = 0;
        else
            rc = 1;
        lf_describe(out, kind, kindlen, desc, desclen);
    }
    strvec_free(&env);
    free(out);
    free(log);
    return rc;
}
