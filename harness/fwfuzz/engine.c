/* Which engines can run a target. */
#define _POSIX_C_SOURCE 200809L
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>

#include "fsutil.h"

int engine_mode_target(const struct manifest_target *t, enum fw_mode mode,
                       struct manifest_target *view, char *why, size_t n)
{
    *view = *t;
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
    if (t->emu == NULL) {
        snprintf(why, n, "%s: no emulated builds", t->name);
        return NULL;
    }
    if (plain && t->emu->image_plain == NULL) {
        snprintf(why, n,
                 "%s: --emu-image plain: the manifest names no plain image "
                 "(\"image_plain\" of \"emu\")",
                 t->name);
        return NULL;
    }
    return plain ? t->emu->image_plain : t->emu->image;
}

void engine_emu_env(const struct manifest_target *t, enum fw_mode mode)
{
    engine_emu_env_image(mode == FW_MODE_EMU ? t : NULL,
                         mode == FW_MODE_EMU && t->emu != NULL ? t->emu->image
                                                               : NULL);
}

void engine_emu_env_image(const struct manifest_target *t, const char *image)
{
    /* harness/engine/emu_driver.h */
    static const char *const names[3] = {"FWFUZZ_EMU_IMAGE", "FWFUZZ_EMU_BOARD",
                                         "FWFUZZ_EMU_ENTRY"};
    static int checked, user_set[3];
    const char *values[3] = {NULL, NULL, NULL};
    size_t i;

    if (!checked) {
        for (i = 0; i < 3; i++)
            user_set[i] = getenv(names[i]) != NULL;
        checked = 1;
    }
    if (t != NULL && t->emu != NULL) {
        values[0] = image;
        values[1] = t->emu->board;
        values[2] = t->emu->entry;
    }
    for (i = 0; i < 3; i++) {
        if (user_set[i])
            continue;
        if (values[i] != NULL)
            setenv(names[i], values[i], 1);
        else
            unsetenv(names[i]);
    }
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
