/* Which engines can run a target. */
#define _POSIX_C_SOURCE 200809L
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>

#include "fsutil.h"

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
