/* After the campaign's fuzzing: triage, the corpus merge into corpora/,
 * coverage. Each step runs fwfuzz or an engine build as a child, so a
 * failure is the step's, reported, never the campaign's end. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign.h"
#include "cmds.h"
#include "engine.h"
#include "exitcode.h"
#include "fsutil.h"
#include "util.h"

/* Seconds a step may take before it is stopped. */
#define CAMPAIGN_TRIAGE_TIMEOUT_S 3600
#define CAMPAIGN_MERGE_TIMEOUT_S  900
#define CAMPAIGN_COV_TIMEOUT_S    3600

int campaign_self(struct campaign *cp, const struct strvec *args,
                  const char *log_path, double timeout_s)
{
    struct strvec argv = {0};
    int status = 0, rc;

    strvec_push(&argv, cp->self);
    strvec_push(&argv, "--manifest");
    strvec_push(&argv, cp->m->path);
    strvec_extend(&argv, args);
    rc = proc_run(argv.v, NULL, log_path, timeout_s, NULL, 0, &status);
    strvec_free(&argv);
    if (rc != 0 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* 1 if some job of target t ran (done, failed or not). */
static int target_ran(const struct campaign *cp,
                      const struct manifest_target *t)
{
    size_t i;

    for (i = 0; i < cp->n_jobs; i++)
        if (cp->jobs[i].target == t && cp->jobs[i].state == CJ_DONE)
            return 1;
    return 0;
}

static void add_error(struct campaign *cp, const char *fmt, const char *a,
                      const char *b)
{
    char msg[1024];

    snprintf(msg, sizeof(msg), fmt, a, b);
    fw_msg("run: %s", msg);
    strvec_push(&cp->errors, msg);
}

/* Appends the groups of a triage.json to cp->groups, but not a group
 * already there (the first pass over new findings tells more than the
 * re-check of open cases). */
static void take_groups(struct campaign *cp, const char *path)
{
    char *text = NULL;
    size_t len;
    cJSON *o, *g;

    if (fs_read_file(path, 64u << 20, &text, &len) != 0)
        return; /* triage writes it only when something was triaged */
    o = cJSON_Parse(text);
    free(text);
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(o, "groups"))
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(g, "id"), *h;
        int dup = 0;

        if (!cJSON_IsString(id))
            continue;
        cJSON_ArrayForEach(h, cp->groups)
        {
            const cJSON *hid = cJSON_GetObjectItemCaseSensitive(h, "id");

            dup |= cJSON_IsString(hid) &&
                   strcmp(hid->valuestring, id->valuestring) == 0;
        }
        if (!dup)
            cJSON_AddItemToArray(cp->groups, cJSON_Duplicate(g, 1));
    }
    cJSON_Delete(o);
}

void campaign_triage(struct campaign *cp)
{
    struct strvec args = {0}, names = {0};
    char *json = fs_join(cp->report_dir, "triage.json");
    char *json_up = fs_join(cp->report_dir, "triage-update.json");
    char *log = fs_join(cp->report_dir, "logs/triage.log");
    char mt[32];
    size_t i;
    int rc;

    for (i = 0; i < cp->n_targets; i++)
        if (target_ran(cp, cp->targets[i]))
            strvec_push(&names, cp->targets[i]->name);
    if (names.n == 0)
        goto out;
    fw_msg("run: triage of the findings of %zu target%s (log %s)", names.n,
           names.n == 1 ? "" : "s", log);
    snprintf(mt, sizeof(mt), "%d", CAMPAIGN_MINIMIZE_S);
    strvec_push(&args, "triage");
    strvec_extend(&args, &names);
    strvec_push(&args, "--reports");
    strvec_push(&args, cp->out);
    strvec_push(&args, "--out");
    strvec_push(&args, json);
    strvec_push(&args, "--minimize-time");
    strvec_push(&args, mt);
    rc = campaign_self(cp, &args, log, CAMPAIGN_TRIAGE_TIMEOUT_S);
    if (rc != FW_EXIT_OK && rc != FW_EXIT_FINDINGS) {
        cp->triage_failed = 1;
        add_error(cp, "triage failed (%s); see %s",
                  rc < 0 ? "did not finish" : "see its exit code", log);
    }
    take_groups(cp, json);
    /* open cases that no longer fail become fixed */
    strvec_free(&args);
    strvec_push(&args, "triage");
    strvec_push(&args, "--update");
    strvec_extend(&args, &names);
    strvec_push(&args, "--out");
    strvec_push(&args, json_up);
    rc = campaign_self(cp, &args, log, CAMPAIGN_TRIAGE_TIMEOUT_S);
    if (rc != FW_EXIT_OK && rc != FW_EXIT_FINDINGS)
        add_error(cp, "re-checking the open cases failed; see %s%s", log, "");
    take_groups(cp, json_up);
out:
    strvec_free(&args);
    strvec_free(&names);
    free(json);
    free(json_up);
    free(log);
}

/* Copies the files of dir into into (content names); their names go to
 * copied. */
static void copy_seeds(const char *dir, const char *into, struct strvec *copied)
{
    struct strvec names = {0};
    size_t i;

    if (fs_list_files(dir, "", &names) != 0)
        return;
    for (i = 0; i < names.n; i++) {
        char *src = fs_join(dir, names.v[i]);
        char hex[FS_SHA1_HEX_LEN + 1];

        if (fs_copy_unique(src, into, "", hex, NULL) >= 0 &&
            !strvec_contains(copied, hex))
            strvec_push(copied, hex);
        free(src);
    }
    strvec_free(&names);
}

/* One libFuzzer merge of dirs into into, with the build of mode. */
static int merge_mode(struct campaign *cp, const struct manifest_target *t,
                      enum fw_mode mode, const char *into,
                      const struct strvec *dirs)
{
    struct manifest_target view;
    struct strvec argv = {0}, env = {0};
    struct proc_opts o = {0};
    char why[512], *log;
    const char *image = NULL;
    int status = 0, rc = -1;
    size_t i;

    if (engine_mode_target(t, mode, &view, why, sizeof(why)) != 0 ||
        view.libfuzzer == NULL || !fs_is_executable(view.libfuzzer))
        return 1; /* no build of this mode: nothing to merge with */
    if (mode == FW_MODE_EMU) {
        image = engine_emu_image(t, cp->c->emu_plain, why, sizeof(why));
        if (image == NULL)
            return 1;
        engine_emu_env(t, image, &env);
        o.env_set = (const char *const *)env.v;
    }
    log = fw_xasprintf("%s/logs/merge-%s-%s.log", cp->report_dir, t->name,
                       fw_mode_name(mode));
    strvec_push(&argv, view.libfuzzer);
    strvec_push(&argv, "-merge=1");
    strvec_pushf(&argv, "-timeout=%d", ENGINE_LF_TIMEOUT_S);
    strvec_push(&argv, into);
    for (i = 0; i < dirs->n; i++)
        if (fs_is_dir(dirs->v[i]))
            strvec_push(&argv, dirs->v[i]);
    if (proc_run(argv.v, &o, log, CAMPAIGN_MERGE_TIMEOUT_S, NULL, 0, &status) ==
            0 &&
        WIFEXITED(status) && WEXITSTATUS(status) == 0)
        rc = 0;
    else
        add_error(cp, "corpus merge of %s failed; see %s", t->name, log);
    strvec_free(&argv);
    strvec_free(&env);
    free(log);
    return rc;
}

/*
 * corpora/<t>/merged becomes the minimised union of itself and this
 * campaign's working corpora, by the coverage of both builds. The seeds
 * are merged first and removed afterwards, so merged/ holds only what the
 * seeds do not cover. A kill at any point leaves merged/ or merged.old/
 * whole (the next run puts merged.old back), and the working corpora are
 * never touched.
 */
static void merge_target(struct campaign *cp, const struct manifest_target *t)
{
    char *merged = fs_join(t->corpus, CORPUS_MERGED_DIR);
    char *fresh = fw_xasprintf("%s.new", merged);
    char *old = fw_xasprintf("%s.old", merged);
    char *seed = fs_join(t->corpus, "seed");
    char *lock_path = fs_join(t->corpus, ".merged.lock");
    struct strvec dirs = {0}, seeds = {0};
    size_t i;
    int ok = 1, lock;

    /* campaigns on other --out folders share corpora/: one merge of a
     * target at a time (the kernel drops the lock if its holder dies) */
    lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) != 0) {
        fw_msg("run: waiting for another campaign's merge of %s", t->name);
        while (flock(lock, LOCK_EX) != 0 && errno == EINTR &&
               proc_interrupts() == 0)
            ;
    }
    if (!fs_is_dir(merged) && fs_is_dir(old) && rename(old, merged) != 0)
        goto out;
    if (fs_remove_tree(fresh) != 0 || fs_remove_tree(old) != 0 ||
        fs_mkdirs(fresh) != 0) {
        add_error(cp, "cannot prepare %s: %s", fresh, strerror(errno));
        goto out;
    }
    copy_seeds(seed, fresh, &seeds);
    strvec_push(&dirs, merged);
    for (i = 0; i < 2; i++) {
        char *w = cmd_target_out(cp->out, t->name,
                                 i == 0 ? FW_MODE_NATIVE : FW_MODE_EMU);

        strvec_pushf(&dirs, "%s/corpus", w);
        free(w);
    }
    ok = merge_mode(cp, t, FW_MODE_NATIVE, fresh, &dirs) >= 0 &&
         merge_mode(cp, t, FW_MODE_EMU, fresh, &dirs) >= 0;
    for (i = 0; i < seeds.n; i++) {
        char *p = fs_join(fresh, seeds.v[i]);

        unlink(p);
        free(p);
    }
    if (!ok) {
        fs_remove_tree(fresh);
        goto out;
    }
    if ((fs_is_dir(merged) && rename(merged, old) != 0) ||
        rename(fresh, merged) != 0) {
        add_error(cp, "cannot replace %s: %s", merged, strerror(errno));
        goto out;
    }
    fs_remove_tree(old);
out:
    if (lock >= 0)
        close(lock); /* and the lock with it */
    free(lock_path);
    strvec_free(&dirs);
    strvec_free(&seeds);
    free(merged);
    free(fresh);
    free(old);
    free(seed);
}

void campaign_merge(struct campaign *cp)
{
    size_t i, n = 0;

    for (i = 0; i < cp->n_targets; i++)
        n += (size_t)target_ran(cp, cp->targets[i]);
    fw_msg("run: merging the working corpora of %zu target%s into "
           "corpora/*/%s",
           n, n == 1 ? "" : "s", CORPUS_MERGED_DIR);
    for (i = 0; i < cp->n_targets && proc_interrupts() == 0; i++)
        if (target_ran(cp, cp->targets[i]))
            merge_target(cp, cp->targets[i]);
}

void campaign_coverage(struct campaign *cp)
{
    struct strvec args = {0};
    char *dir = fs_join(cp->report_dir, "coverage");
    char *log = fs_join(cp->report_dir, "logs/coverage.log");
    size_t i;
    int rc;

    strvec_push(&args, "cov");
    strvec_push(&args, "--out");
    strvec_push(&args, dir);
    for (i = 0; i < cp->n_targets; i++)
        if (target_ran(cp, cp->targets[i]))
            strvec_push(&args, cp->targets[i]->name);
    fw_msg("run: coverage of the merged corpora (log %s)", log);
    rc = campaign_self(cp, &args, log, CAMPAIGN_COV_TIMEOUT_S);
    if (rc != FW_EXIT_OK)
        add_error(cp, "coverage failed; see %s%s", log, "");
    cp->coverage_done = rc == FW_EXIT_OK;
    strvec_free(&args);
    free(dir);
    free(log);
}
