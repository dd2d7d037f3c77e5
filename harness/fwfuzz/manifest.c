/* Loading and validating the fuzz-target manifest. */
#define _POSIX_C_SOURCE 200809L
#include "manifest.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "fwfuzz/protocol.h"
#include "util.h"

#ifndef FWFUZZ_DEFAULT_MANIFEST
#define FWFUZZ_DEFAULT_MANIFEST "build/fwfuzz-targets.json"
#endif

const char *manifest_default_path(void)
{
    const char *env = getenv(FWFUZZ_ENV_MANIFEST);

    return env != NULL && env[0] != '\0' ? env : FWFUZZ_DEFAULT_MANIFEST;
}

/* Target names become file names and command-line words. */
static int valid_name(const char *s)
{
    if (s[0] == '\0' || s[0] == '.' || s[0] == '-')
        return 0;
    for (; *s != '\0'; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
            return 0;
    }
    return 1;
}

/* Reads a string member. required: must be a non-empty string; otherwise
 * null or a missing member give NULL. Returns -1 on a type error. */
static int get_string(const cJSON *obj, const char *key, int required,
                      char **out, const char *where, char *err, size_t errlen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    *out = NULL;
    if (v == NULL || cJSON_IsNull(v)) {
        if (!required)
            return 0;
        fw_set_err(err, errlen, "%s: missing \"%s\"", where, key);
        return -1;
    }
    if (!cJSON_IsString(v) || v->valuestring == NULL ||
        v->valuestring[0] == '\0') {
        fw_set_err(err, errlen, "%s: \"%s\" must be a non-empty string%s",
                   where, key, required ? "" : " or null");
        return -1;
    }
    *out = fw_xstrdup(v->valuestring);
    return 0;
}

/* "extra_images": missing, null or an array of "file@addr" strings, kept
 * joined by ',' (the form the drivers read). */
static int get_extra_images(const cJSON *obj, char **out, const char *where,
                            char *err, size_t errlen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "extra_images");
    const cJSON *x;
    size_t len = 0;

    *out = NULL;
    if (v == NULL || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsArray(v))
        goto bad;
    cJSON_ArrayForEach(x, v)
    {
        if (!cJSON_IsString(x) || x->valuestring == NULL ||
            strchr(x->valuestring, '@') == NULL ||
            strchr(x->valuestring, ',') != NULL)
            goto bad;
        len += strlen(x->valuestring) + 1;
    }
    if (len == 0)
        return 0;
    *out = fw_xmalloc(len);
    (*out)[0] = '\0';
    cJSON_ArrayForEach(x, v)
    {
        if ((*out)[0] != '\0')
            strcat(*out, ",");
        strcat(*out, x->valuestring);
    }
    return 0;
bad:
    fw_set_err(err, errlen,
               "%s: \"extra_images\" must be an array of \"file@address\" "
               "strings without ','",
               where);
    return -1;
}

static void emu_free(struct manifest_emu *e)
{
    if (e == NULL)
        return;
    free(e->libfuzzer);
    free(e->afl);
    free(e->replay);
    free(e->image);
    free(e->image_plain);
    free(e->image_plain_o2);
    free(e->board);
    free(e->entry);
    free(e->load_addr);
    free(e->extra_images);
    free(e);
}

/* "emu": null or missing (no emulated builds), or an object. */
static int parse_emu(const cJSON *obj, struct manifest_target *t,
                     const char *where, char *err, size_t errlen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "emu");
    struct manifest_emu *e;
    char in[300];

    if (v == NULL || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsObject(v)) {
        fw_set_err(err, errlen, "%s: \"emu\" must be an object or null", where);
        return -1;
    }
    e = fw_xmalloc(sizeof(*e));
    memset(e, 0, sizeof(*e));
    t->emu = e;
    snprintf(in, sizeof(in), "%s, \"emu\"", where);
    if (get_string(v, "libfuzzer", 1, &e->libfuzzer, in, err, errlen) ||
        get_string(v, "afl", 0, &e->afl, in, err, errlen) ||
        get_string(v, "replay", 1, &e->replay, in, err, errlen) ||
        get_string(v, "image", 1, &e->image, in, err, errlen) ||
        get_string(v, "image_plain", 0, &e->image_plain, in, err, errlen) ||
        get_string(v, "image_plain_o2", 0, &e->image_plain_o2, in, err,
                   errlen) ||
        get_string(v, "board", 1, &e->board, in, err, errlen) ||
        get_string(v, "entry", 1, &e->entry, in, err, errlen) ||
        get_string(v, "load_addr", 0, &e->load_addr, in, err, errlen) ||
        get_extra_images(v, &e->extra_images, in, err, errlen))
        return -1;
    return 0;
}

static void cov_free(struct manifest_cov *c)
{
    if (c == NULL)
        return;
    free(c->binary);
    free(c->profdata);
    free(c->llvm_cov);
    free(c);
}

/* "cov": null or missing (no coverage builds), or an object. */
static int parse_cov(const cJSON *obj, struct manifest_target *t,
                     const char *where, char *err, size_t errlen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "cov");
    struct manifest_cov *c;
    char in[300];

    if (v == NULL || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsObject(v)) {
        fw_set_err(err, errlen, "%s: \"cov\" must be an object or null", where);
        return -1;
    }
    c = fw_xmalloc(sizeof(*c));
    memset(c, 0, sizeof(*c));
    t->cov = c;
    snprintf(in, sizeof(in), "%s, \"cov\"", where);
    if (get_string(v, "binary", 1, &c->binary, in, err, errlen) ||
        get_string(v, "profdata", 1, &c->profdata, in, err, errlen) ||
        get_string(v, "llvm_cov", 1, &c->llvm_cov, in, err, errlen))
        return -1;
    return 0;
}

static void target_free(struct manifest_target *t)
{
    emu_free(t->emu);
    cov_free(t->cov);
    free(t->component_dir);
    free(t->bench);
    free(t->bench_asan);
    free(t->name);
    free(t->component);
    free(t->source);
    free(t->libfuzzer);
    free(t->replay);
    free(t->afl);
    free(t->corpus);
    free(t->dict);
    free(t->options);
}

/* "kind": missing or "function" (a fuzz target), or "image". */
static int get_kind(const cJSON *obj, struct manifest_target *t,
                    const char *where, char *err, size_t errlen)
{
    char *kind;

    if (get_string(obj, "kind", 0, &kind, where, err, errlen) != 0)
        return -1;
    if (kind != NULL && strcmp(kind, "image") == 0) {
        t->whole_image = 1;
    } else if (kind != NULL && strcmp(kind, "function") != 0) {
        fw_set_err(err, errlen,
                   "%s: \"kind\" is \"%s\", not \"function\" or "
                   "\"image\"",
                   where, kind);
        free(kind);
        return -1;
    }
    free(kind);
    return 0;
}

static int parse_target(const cJSON *obj, size_t index,
                        struct manifest_target *t, const char *path, char *err,
                        size_t errlen)
{
    char where[256];

    memset(t, 0, sizeof(*t));
    snprintf(where, sizeof(where), "%s: target #%zu", path, index + 1);
    if (!cJSON_IsObject(obj)) {
        fw_set_err(err, errlen, "%s: not an object", where);
        return -1;
    }
    if (get_string(obj, "name", 1, &t->name, where, err, errlen) != 0)
        return -1;
    snprintf(where, sizeof(where), "%s: target \"%s\"", path, t->name);
    if (!valid_name(t->name)) {
        fw_set_err(err, errlen,
                   "%s: name may hold only letters, digits, '_', '-', '.'",
                   where);
        return -1;
    }
    if (get_kind(obj, t, where, err, errlen) != 0)
        return -1;
    /* a whole image has no native builds: its libfuzzer and replay are
     * null, and it must have emulated ones */
    if (get_string(obj, "component", 1, &t->component, where, err, errlen) ||
        get_string(obj, "source", 0, &t->source, where, err, errlen) ||
        get_string(obj, "libfuzzer", !t->whole_image, &t->libfuzzer, where, err,
                   errlen) ||
        get_string(obj, "replay", !t->whole_image, &t->replay, where, err,
                   errlen) ||
        get_string(obj, "afl", 0, &t->afl, where, err, errlen) ||
        get_string(obj, "bench", 0, &t->bench, where, err, errlen) ||
        get_string(obj, "bench_asan", 0, &t->bench_asan, where, err, errlen) ||
        parse_emu(obj, t, where, err, errlen) ||
        parse_cov(obj, t, where, err, errlen) ||
        get_string(obj, "component_dir", 0, &t->component_dir, where, err,
                   errlen) ||
        get_string(obj, "corpus", 1, &t->corpus, where, err, errlen) ||
        get_string(obj, "dict", 0, &t->dict, where, err, errlen) ||
        get_string(obj, "options", 0, &t->options, where, err, errlen))
        return -1;
    if (t->whole_image && t->emu == NULL) {
        fw_set_err(err, errlen,
                   "%s: a whole image (\"kind\": \"image\") needs "
                   "\"emu\"",
                   where);
        return -1;
    }
    if (t->whole_image &&
        (t->libfuzzer != NULL || t->replay != NULL || t->afl != NULL)) {
        fw_set_err(err, errlen,
                   "%s: a whole image (\"kind\": \"image\") has no native "
                   "builds: \"libfuzzer\", \"replay\" and \"afl\" must be null",
                   where);
        return -1;
    }
    return 0;
}

int manifest_has_native(const struct manifest_target *t)
{
    return !t->whole_image;
}

int manifest_parse(const char *text, const char *path, struct manifest *m,
                   char *err, size_t errlen)
{
    cJSON *root = cJSON_Parse(text);
    const cJSON *version, *targets, *item;
    size_t i, j, n;
    int rc = -1;

    memset(m, 0, sizeof(*m));
    if (root == NULL) {
        const char *at = cJSON_GetErrorPtr();
        fw_set_err(err, errlen, "%s: not valid JSON (near \"%.20s\")", path,
                   at != NULL ? at : "");
        return -1;
    }
    if (!cJSON_IsObject(root)) {
        fw_set_err(err, errlen, "%s: top level must be an object", path);
        goto out;
    }
    version = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!cJSON_IsNumber(version) || version->valuedouble != MANIFEST_VERSION) {
        fw_set_err(err, errlen, "%s: \"version\" must be %d", path,
                   MANIFEST_VERSION);
        goto out;
    }
    if (get_string(root, "source_dir", 0, &m->source_dir, path, err, errlen) !=
            0 ||
        get_string(root, "build_dir", 0, &m->build_dir, path, err, errlen) != 0)
        goto out;
    targets = cJSON_GetObjectItemCaseSensitive(root, "targets");
    if (!cJSON_IsArray(targets)) {
        fw_set_err(err, errlen, "%s: \"targets\" must be an array", path);
        goto out;
    }
    n = (size_t)cJSON_GetArraySize(targets);
    m->targets = fw_xmalloc(n * sizeof(*m->targets));
    i = 0;
    cJSON_ArrayForEach(item, targets)
    {
        if (parse_target(item, i, &m->targets[i], path, err, errlen) != 0) {
            target_free(&m->targets[i]);
            goto out;
        }
        m->n_targets = ++i;
        for (j = 0; j + 1 < i; j++) {
            if (strcmp(m->targets[j].name, m->targets[i - 1].name) == 0) {
                fw_set_err(err, errlen, "%s: target \"%s\" is listed twice",
                           path, m->targets[j].name);
                goto out;
            }
        }
    }
    m->path = fw_xstrdup(path);
    rc = 0;
out:
    cJSON_Delete(root);
    if (rc != 0)
        manifest_free(m);
    return rc;
}

int manifest_load(const char *path, struct manifest *m, char *err,
                  size_t errlen)
{
    char *text;
    size_t len;
    int rc;

    memset(m, 0, sizeof(*m));
    if (fs_read_file(path, FS_MAX_READ, &text, &len) != 0) {
        fw_set_err(err, errlen,
                   "cannot read manifest %s: %s (build first, or give "
                   "--manifest FILE or FWFUZZ_MANIFEST)",
                   path, strerror(errno));
        return -1;
    }
    if (strlen(text) != len) {
        fw_set_err(err, errlen, "%s: holds a NUL byte, not JSON", path);
        free(text);
        return -1;
    }
    rc = manifest_parse(text, path, m, err, errlen);
    free(text);
    return rc;
}

const struct manifest_target *manifest_find(const struct manifest *m,
                                            const char *name)
{
    size_t i;

    for (i = 0; i < m->n_targets; i++)
        if (strcmp(m->targets[i].name, name) == 0)
            return &m->targets[i];
    return NULL;
}

char *manifest_names(const struct manifest *m)
{
    size_t i, len = 1;
    char *s;

    if (m->n_targets == 0)
        return fw_xstrdup("(none)");
    for (i = 0; i < m->n_targets; i++)
        len += strlen(m->targets[i].name) + 2;
    s = fw_xmalloc(len);
    s[0] = '\0';
    for (i = 0; i < m->n_targets; i++) {
        if (i > 0)
            strcat(s, ", ");
        strcat(s, m->targets[i].name);
    }
    return s;
}

void manifest_free(struct manifest *m)
{
    size_t i;

    for (i = 0; i < m->n_targets; i++)
        target_free(&m->targets[i]);
    free(m->targets);
    free(m->path);
    free(m->source_dir);
    free(m->build_dir);
    memset(m, 0, sizeof(*m));
}
