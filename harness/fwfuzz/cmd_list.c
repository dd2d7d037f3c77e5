/* fwfuzz list: the targets of the build. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "exitcode.h"
#include "fsutil.h"
#include "store.h"
#include "summary.h"
#include "util.h"

struct target_info {
    int libfuzzer, afl, replay;
    unsigned long seed, regress;
    int dict;
    /* emulated builds (all 0 without them) and whether the image exists */
    int emu_libfuzzer, emu_afl, emu_replay, emu_image;
};

/* Plain regression inputs and crash cases (one per .json/.bin pair). */
static unsigned long count_regress(const char *dir)
{
    struct strvec names = {0};
    unsigned long n = 0;
    size_t k;

    if (fs_list_files(dir, "", &names) != 0)
        return 0;
    for (k = 0; k < names.n; k++) {
        size_t len = strlen(names.v[k]);

        if (!(len > 4 && strcmp(names.v[k] + len - 4, ".bin") == 0 &&
              store_is_case_part(names.v[k])))
            n++;
    }
    strvec_free(&names);
    return n;
}

static void inspect(const struct manifest_target *t, struct target_info *i)
{
    char *dir;

    i->libfuzzer = fs_is_executable(t->libfuzzer);
    i->afl = t->afl != NULL && fs_is_executable(t->afl);
    i->replay = fs_is_executable(t->replay);
    dir = fs_join(t->corpus, "seed");
    i->seed = fs_count_files(dir);
    free(dir);
    dir = fs_join(t->corpus, "regress");
    i->regress = count_regress(dir);
    free(dir);
    i->dict = t->dict != NULL;
    i->emu_libfuzzer = i->emu_afl = i->emu_replay = i->emu_image = 0;
    if (t->emu != NULL) {
        i->emu_libfuzzer = fs_is_executable(t->emu->libfuzzer);
        i->emu_afl = t->emu->afl != NULL && fs_is_executable(t->emu->afl);
        i->emu_replay = fs_is_executable(t->emu->replay);
        i->emu_image = access(t->emu->image, R_OK) == 0;
    }
}

static void builds_text(int libfuzzer, int afl, int replay, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s%s%s", libfuzzer ? "libfuzzer" : "",
             libfuzzer && (afl || replay) ? "," : "", afl ? "afl" : "",
             afl && replay ? "," : "", replay ? "replay" : "");
    if (buf[0] == '\0')
        snprintf(buf, n, "-");
}

/* The EMU column: the emulated builds, and a warning if the image they
 * load is missing. */
static void emu_text(const struct manifest_target *t,
                     const struct target_info *i, char *buf, size_t n)
{
    char b[48];

    if (t->emu == NULL) {
        snprintf(buf, n, "-");
        return;
    }
    builds_text(i->emu_libfuzzer, i->emu_afl, i->emu_replay, b, sizeof(b));
    snprintf(buf, n, "%s%s", b, i->emu_image ? "" : " (no image)");
}

static void print_json(const struct manifest *m)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *arr;
    size_t k;

    cJSON_AddStringToObject(o, "manifest", m->path);
    arr = cJSON_AddArrayToObject(o, "targets");
    for (k = 0; k < m->n_targets; k++) {
        const struct manifest_target *t = &m->targets[k];
        struct target_info i;
        cJSON *to = cJSON_CreateObject(), *eng;

        inspect(t, &i);
        cJSON_AddStringToObject(to, "name", t->name);
        cJSON_AddStringToObject(to, "component", t->component);
        cJSON_AddStringToObject(to, "kind",
                                t->whole_image ? "image" : "function");
        eng = cJSON_AddObjectToObject(to, "engines");
        cJSON_AddBoolToObject(eng, "libfuzzer", i.libfuzzer);
        cJSON_AddBoolToObject(eng, "afl", i.afl);
        cJSON_AddBoolToObject(eng, "replay", i.replay);
        cJSON_AddNumberToObject(to, "seed", (double)i.seed);
        cJSON_AddNumberToObject(to, "regress", (double)i.regress);
        cJSON_AddBoolToObject(to, "dict", i.dict);
        cJSON_AddStringToObject(to, "corpus", t->corpus);
        if (t->emu == NULL) {
            cJSON_AddNullToObject(to, "emu");
        } else {
            cJSON *emu = cJSON_AddObjectToObject(to, "emu");

            cJSON_AddBoolToObject(emu, "libfuzzer", i.emu_libfuzzer);
            cJSON_AddBoolToObject(emu, "afl", i.emu_afl);
            cJSON_AddBoolToObject(emu, "replay", i.emu_replay);
            cJSON_AddStringToObject(emu, "image", t->emu->image);
            cJSON_AddBoolToObject(emu, "image_present", i.emu_image);
            cJSON_AddStringToObject(emu, "board", t->emu->board);
            cJSON_AddStringToObject(emu, "entry", t->emu->entry);
        }
        cJSON_AddItemToArray(arr, to);
    }
    summary_print(o);
    cJSON_Delete(o);
}

static void print_table(const struct manifest *m)
{
    size_t k, wt = strlen("TARGET"), wc = strlen("COMPONENT");

    for (k = 0; k < m->n_targets; k++) {
        if (strlen(m->targets[k].name) > wt)
            wt = strlen(m->targets[k].name);
        if (strlen(m->targets[k].component) > wc)
            wc = strlen(m->targets[k].component);
    }
    printf("%-*s  %-*s  %-23s  %5s  %7s  %-4s  %s\n", (int)wt, "TARGET",
           (int)wc, "COMPONENT", "ENGINES", "SEED", "REGRESS", "DICT", "EMU");
    for (k = 0; k < m->n_targets; k++) {
        const struct manifest_target *t = &m->targets[k];
        struct target_info i;
        char eng[64], emu[80];

        inspect(t, &i);
        if (manifest_has_native(t))
            builds_text(i.libfuzzer, i.afl, i.replay, eng, sizeof(eng));
        else
            snprintf(eng, sizeof(eng), "whole image (emu only)");
        emu_text(t, &i, emu, sizeof(emu));
        printf("%-*s  %-*s  %-23s  %5lu  %7lu  %-4s  %s\n", (int)wt, t->name,
               (int)wc, t->component, eng, i.seed, i.regress,
               i.dict ? "yes" : "no", emu);
    }
    if (m->n_targets == 0)
        printf("(no fuzz targets in %s)\n", m->path);
}

int cmd_list(const struct cli *c)
{
    struct manifest m;
    int rc = cmd_load_manifest(c, &m);

    if (rc != 0)
        return rc;
    if (c->json)
        print_json(&m);
    else
        print_table(&m);
    fflush(stdout);
    manifest_free(&m);
    return FW_EXIT_OK;
}
