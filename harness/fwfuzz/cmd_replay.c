/* fwfuzz replay: run a target's replay build (native or emulated) on files
 * and folders. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "engine.h"
#include "exitcode.h"
#include "fsutil.h"
#include "util.h"

int cmd_replay(const struct cli *c)
{
    struct manifest m;
    const struct manifest_target *t;
    struct manifest_target view;
    char why[512];
    char **argv;
    size_t i;
    int rc = cmd_load_manifest(c, &m);

    if (rc != 0)
        return rc;
    t = cmd_find_target(&m, c->target);
    if (t == NULL) {
        manifest_free(&m);
        return FW_EXIT_CONFIG;
    }
    if (engine_mode_target(t, c->mode, &view, why, sizeof(why)) != 0) {
        fw_msg("%s", why);
        manifest_free(&m);
        return FW_EXIT_CONFIG;
    }
    if (!fs_is_executable(view.replay)) {
        fw_msg("%s: %sreplay build %s is missing (build first)", t->name,
               c->mode == FW_MODE_EMU ? "emulated " : "", view.replay);
        manifest_free(&m);
        return FW_EXIT_CONFIG;
    }
    if (c->mode == FW_MODE_EMU) {
        const char *image = engine_emu_image(t, c->emu_plain, why, sizeof(why));

        if (image == NULL) {
            fw_msg("%s", why);
            manifest_free(&m);
            return FW_EXIT_CONFIG;
        }
        engine_emu_env_image(t, image);
    } else {
        engine_emu_env(t, c->mode);
    }
    argv = fw_xmalloc((c->n_paths + 2) * sizeof(*argv));
    argv[0] = view.replay;
    for (i = 0; i < c->n_paths; i++)
        argv[i + 1] = c->paths[i];
    argv[c->n_paths + 1] = NULL;
    fflush(NULL);
    /* The replay build's own exit status (or signal) is the result. */
    execv(argv[0], argv);
    fw_msg("cannot run %s: %s", argv[0], strerror(errno));
    free(argv);
    manifest_free(&m);
    return FW_EXIT_CONFIG;
}
