/* Helpers shared by the commands. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "cmds.h"
#include "exitcode.h"
#include "fsutil.h"
#include "util.h"

int cmd_load_manifest(const struct cli *c, struct manifest *m)
{
    const char *path = c->manifest ? c->manifest : manifest_default_path();
    char err[1024];

    if (manifest_load(path, m, err, sizeof(err)) != 0) {
        fw_msg("%s", err);
        return FW_EXIT_CONFIG;
    }
    return 0;
}

const struct manifest_target *cmd_find_target(const struct manifest *m,
                                              const char *name)
{
    const struct manifest_target *t = manifest_find(m, name);
    char *names;

    if (t != NULL)
        return t;
    names = manifest_names(m);
    fw_msg("unknown target '%s' in %s; known targets: %s", name, m->path,
           names);
    free(names);
    return NULL;
}

int cmd_target_mode(const struct cli *c, const struct manifest_target *t,
                    enum fw_mode *mode)
{
    *mode = c->mode;
    if (manifest_has_native(t) || c->mode != FW_MODE_NATIVE)
        return 0;
    if (c->mode_given) {
        fw_msg("%s is a whole firmware image: it has no native builds; "
               "leave out --mode or give --mode emu",
               t->name);
        return FW_EXIT_USAGE;
    }
    *mode = FW_MODE_EMU;
    return 0;
}

char *cmd_target_out(const char *dir, const char *target, enum fw_mode mode)
{
    if (dir == NULL)
        dir = "reports/fuzz";
    if (mode == FW_MODE_EMU)
        return fw_xasprintf("%s/emu/%s", dir, target);
    return fs_join(dir, target);
}
