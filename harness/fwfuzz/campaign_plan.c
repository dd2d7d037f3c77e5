/* The campaign's jobs: which target, mode and engine, with what weight. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "cmds.h"
#include "engine.h"
#include "exitcode.h"
#include "target_options.h"
#include "util.h"

static struct campaign_job *add_job(struct campaign *cp,
                                    const struct manifest_target *t,
                                    enum fw_mode mode, enum fw_engine engine,
                                    double weight)
{
    struct campaign_job *j;

    cp->jobs = fw_xrealloc(cp->jobs, (cp->n_jobs + 1) * sizeof(*cp->jobs));
    j = &cp->jobs[cp->n_jobs++];
    memset(j, 0, sizeof(*j));
    j->target = t;
    j->mode = mode;
    j->engine = engine;
    j->weight = weight;
    j->out = cmd_target_out(cp->out, t->name, mode);
    j->exit_code = -1;
    j->proc.fd = -1;
    return j;
}

/*
 * The jobs of one target: each mode it has builds for (of those --mode
 * asks for) with each engine --engine asks for. An engine not built, or a
 * weight of 0, makes a skipped job, listed in the report; a mode the
 * target has no builds for (host-only code under emulation, a whole image
 * natively) makes none, unless the user named both the target and the
 * mode. Returns 0 or the exit code of the message it printed.
 */
static int plan_target(struct campaign *cp, const struct manifest_target *t)
{
    const struct cli *c = cp->c;
    enum fw_engine engines[2];
    enum fw_mode modes[2];
    double w[2];
    size_t ne = 0, nm = 0, i, k;
    char why[512], options_error[512] = "";
    int bad_options;

    if (c->engine != FW_ENGINE_AFL)
        engines[ne++] = FW_ENGINE_LIBFUZZER;
    if (c->engine != FW_ENGINE_LIBFUZZER)
        engines[ne++] = FW_ENGINE_AFL;
    if (c->mode != FW_MODE_EMU)
        modes[nm++] = FW_MODE_NATIVE;
    if (c->mode != FW_MODE_NATIVE)
        modes[nm++] = FW_MODE_EMU;
    /* a bad .options is the target's error: its jobs fail at once (each
     * would stop on it) and the others run */
    bad_options =
        target_options_weights(t->options, &w[0], &w[1], why, sizeof(why)) != 0;
    if (bad_options) {
        fw_msg("run: %s: the jobs of %s do not run", why, t->name);
        snprintf(options_error, sizeof(options_error), "%s", why);
        w[0] = w[1] = 1;
    }
    for (i = 0; i < nm; i++) {
        struct manifest_target view;
        const char *image = NULL;
        int has_mode;

        /* a whole image has no native jobs at all, not skipped ones */
        if (modes[i] == FW_MODE_NATIVE && !manifest_has_native(t)) {
            if (c->mode == FW_MODE_NATIVE && c->targets.n > 0) {
                fw_msg("run: %s is a whole firmware image: it has no native "
                       "builds; give --mode emu or both",
                       t->name);
                return FW_EXIT_USAGE;
            }
            continue;
        }
        has_mode =
            engine_mode_target(t, modes[i], &view, why, sizeof(why)) == 0;

        if (!has_mode) {
            if (c->mode == FW_MODE_EMU && c->targets.n > 0) {
                fw_msg("%s", why);
                return FW_EXIT_CONFIG;
            }
            continue;
        }
        if (modes[i] == FW_MODE_EMU)
            image = engine_emu_image(t, c->emu_plain, why, sizeof(why));
        for (k = 0; k < ne; k++) {
            struct campaign_job *j = add_job(cp, t, modes[i], engines[k],
                                             w[modes[i] == FW_MODE_EMU]);

            if (modes[i] == FW_MODE_EMU && image == NULL)
                j->skipped = fw_xstrdup(why);
            else if (engine_check(&view, engines[k], why, sizeof(why)) != 0)
                j->skipped = fw_xstrdup(why);
            else if (j->weight <= 0)
                j->skipped = fw_xasprintf("weight 0 in %s", t->options);
            if (j->skipped != NULL && c->engine != FW_ENGINE_BOTH &&
                j->weight > 0) {
                fw_msg("%s", j->skipped);
                return FW_EXIT_CONFIG;
            }
            j->state = j->skipped != NULL ? CJ_SKIPPED : CJ_PENDING;
            if (bad_options && j->state == CJ_PENDING) {
                j->state = CJ_DONE;
                j->exit_code = FW_EXIT_CONFIG;
                j->error = fw_xstrdup(options_error);
            }
        }
    }
    return 0;
}

int campaign_plan(struct campaign *cp)
{
    const struct cli *c = cp->c;
    const struct manifest *m = cp->m;
    size_t i, runnable = 0;

    cp->n_targets = c->targets.n > 0 ? c->targets.n : m->n_targets;
    cp->targets = fw_xmalloc((cp->n_targets + 1) * sizeof(*cp->targets));
    for (i = 0; i < cp->n_targets; i++) {
        cp->targets[i] = c->targets.n > 0 ? cmd_find_target(m, c->targets.v[i])
                                          : &m->targets[i];
        int rc;

        if (cp->targets[i] == NULL)
            return FW_EXIT_CONFIG;
        rc = plan_target(cp, cp->targets[i]);
        if (rc != 0)
            return rc;
    }
    for (i = 0; i < cp->n_jobs; i++)
        runnable += cp->jobs[i].state == CJ_PENDING;
    if (runnable == 0) {
        fw_msg("run: nothing to fuzz: %s",
               c->mode == FW_MODE_EMU
                   ? "no target has emulated builds (configured with "
                     "FWFUZZ_WITH_EMU=OFF, or without Unicorn or "
                     "arm-none-eabi-gcc)"
                   : "no target has a usable engine build");
        return FW_EXIT_CONFIG;
    }
    return 0;
}
