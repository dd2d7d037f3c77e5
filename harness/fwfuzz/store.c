/* The crash store (store.h): cases as JSON files, read and written with
 * cJSON. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "fsutil.h"
#include "store.h"
#include "util.h"

/* Counts and sizes: whole numbers a double holds exactly (2^53). */
#define STORE_NUMBER_MAX 9007199254740992ul
/* A case file is small; anything bigger is not one. */
#define STORE_JSON_MAX (1024 * 1024)

char *store_path(const char *regress, const char *id, const char *ext)
{
    return fw_xasprintf("%s/%s.%s", regress, id, ext);
}

void store_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *const mode_keys[STORE_MODES] = {"native", "emu"};

/* Copies a string member into dst ("" if missing). -1 if not a string. */
static int get_str(const cJSON *o, const char *key, char *dst, size_t n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    dst[0] = '\0';
    if (v == NULL || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v))
        return -1;
    snprintf(dst, n, "%s", v->valuestring);
    return 0;
}

/* A whole number from 0 to max, else 0 (a hand-edited file may hold any
 * number; casting one out of range is undefined). */
static unsigned long get_ulong(const cJSON *o, const char *key,
                               unsigned long max)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsNumber(v) && v->valuedouble >= 0 &&
                   v->valuedouble <= (double)max
               ? (unsigned long)v->valuedouble
               : 0;
}

static void get_strings(const cJSON *o, const char *key, struct strvec *sv)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key), *v;

    cJSON_ArrayForEach(v, a)
    {
        if (cJSON_IsString(v))
            strvec_push(sv, v->valuestring);
    }
}

static int from_json(const cJSON *o, struct store_case *c, char *why, size_t n)
{
    const cJSON *sigs = cJSON_GetObjectItemCaseSensitive(o, "signatures");
    const cJSON *locs = cJSON_GetObjectItemCaseSensitive(o, "locations");
    char status[16];
    int m;

    if (!cJSON_IsObject(o) || get_str(o, "id", c->id, sizeof(c->id)) != 0 ||
        c->id[0] == '\0') {
        snprintf(why, n, "no \"id\"");
        return -1;
    }
    if (get_str(o, "target", c->target, sizeof(c->target)) != 0 ||
        get_str(o, "class", c->cls, sizeof(c->cls)) != 0 || c->cls[0] == 0 ||
        get_str(o, "access", c->access, sizeof(c->access)) != 0 ||
        get_str(o, "severity", c->severity, sizeof(c->severity)) != 0 ||
        get_str(o, "message", c->message, sizeof(c->message)) != 0 ||
        get_str(o, "status", status, sizeof(status)) != 0) {
        snprintf(why, n,
                 "\"target\", \"class\", \"access\", \"severity\", "
                 "\"message\" and \"status\" must be strings");
        return -1;
    }
    if (strcmp(status, "open") != 0 && strcmp(status, "fixed") != 0) {
        snprintf(why, n, "\"status\" must be \"open\" or \"fixed\"");
        return -1;
    }
    c->open = strcmp(status, "open") == 0;
    for (m = 0; m < STORE_MODES; m++) {
        if (get_str(sigs, mode_keys[m], c->sig[m], sizeof(c->sig[m])) != 0 ||
            get_str(locs, mode_keys[m], c->location[m],
                    sizeof(c->location[m])) != 0) {
            snprintf(why, n, "\"signatures\" and \"locations\" hold strings");
            return -1;
        }
    }
    if (c->sig[STORE_NATIVE][0] == '\0' && c->sig[STORE_EMU][0] == '\0') {
        snprintf(why, n, "no signature in \"signatures\"");
        return -1;
    }
    c->cwe = (int)get_ulong(o, "cwe", 1000000);
    get_strings(o, "engines", &c->engines);
    get_strings(o, "modes", &c->modes);
    get_str(o, "first_seen", c->first_seen, sizeof(c->first_seen));
    get_str(o, "last_seen", c->last_seen, sizeof(c->last_seen));
    get_str(o, "fixed_date", c->fixed_date, sizeof(c->fixed_date));
    get_str(o, "fixed_revision", c->fixed_revision, sizeof(c->fixed_revision));
    get_str(o, "reproducer", c->reproducer, sizeof(c->reproducer));
    c->count = get_ulong(o, "count", STORE_NUMBER_MAX);
    c->size_original = get_ulong(o, "size_original", STORE_NUMBER_MAX);
    c->size_minimised = get_ulong(o, "size_minimised", STORE_NUMBER_MAX);
    c->flaky = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "flaky"));
    c->kasan_only =
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "kasan_only"));
    return 0;
}

int store_parse(const char *text, size_t len, struct store_case *c, char *why,
                size_t n)
{
    cJSON *o;
    int rc;

    memset(c, 0, sizeof(*c));
    o = cJSON_ParseWithLength(text, len);
    if (o == NULL) {
        snprintf(why, n, "not valid JSON");
        return -1;
    }
    rc = from_json(o, c, why, n);
    cJSON_Delete(o);
    if (rc != 0)
        store_case_free(c);
    return rc;
}

int store_load(const char *json_path, struct store_case *c, char *why, size_t n)
{
    char *text = NULL, err[256];
    size_t len = 0;
    int rc;

    memset(c, 0, sizeof(*c));
    if (fs_read_file(json_path, STORE_JSON_MAX, &text, &len) != 0) {
        snprintf(why, n, "%s: cannot read: %s", json_path, strerror(errno));
        return -1;
    }
    rc = store_parse(text, len, c, err, sizeof(err));
    free(text);
    if (rc != 0)
        snprintf(why, n, "%s: not a crash case: %s", json_path, err);
    return rc;
}

int store_load_all(const char *regress, struct store_case **cases, size_t *n,
                   char *why, size_t whylen)
{
    struct strvec names = {0};
    size_t i;
    int rc = 0;

    *cases = NULL;
    *n = 0;
    if (!fs_is_dir(regress))
        return 0;
    if (fs_list_files(regress, "", &names) != 0) {
        snprintf(why, whylen, "cannot list %s: %s", regress, strerror(errno));
        return -1;
    }
    for (i = 0; i < names.n && rc == 0; i++) {
        size_t len = strlen(names.v[i]);
        char *path;

        if (store_is_case_part(names.v[i]) &&
            !store_is_case_file(regress, names.v[i])) {
            /* one file of the two: a triage stopped between them; the
             * next triage of its finding writes the case again */
            fw_msg("warning: %s/%s: incomplete crash case (no %s beside "
                   "it); ignored",
                   regress, names.v[i],
                   strcmp(names.v[i] + STORE_ID_LEN, ".bin") == 0 ? ".json"
                                                                  : ".bin");
            continue;
        }
        if (len < 6 || strcmp(names.v[i] + len - 5, ".json") != 0 ||
            !store_is_case_part(names.v[i]))
            continue;
        *cases = fw_xrealloc(*cases, (*n + 1) * sizeof(**cases));
        path = fs_join(regress, names.v[i]);
        rc = store_load(path, &(*cases)[*n], why, whylen);
        free(path);
        if (rc == 0)
            (*n)++;
    }
    strvec_free(&names);
    if (rc != 0) {
        store_cases_free(*cases, *n);
        *cases = NULL;
        *n = 0;
    }
    return rc;
}

void store_case_free(struct store_case *c)
{
    strvec_free(&c->engines);
    strvec_free(&c->modes);
}

void store_cases_free(struct store_case *cases, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        store_case_free(&cases[i]);
    free(cases);
}

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
    if (s[0] != '\0')
        cJSON_AddStringToObject(o, key, s);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *to_json(const struct store_case *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *sigs = cJSON_CreateObject(), *locs = cJSON_CreateObject();
    int m;

    cJSON_AddNumberToObject(o, "version", STORE_VERSION);
    cJSON_AddStringToObject(o, "id", c->id);
    cJSON_AddStringToObject(o, "target", c->target);
    cJSON_AddStringToObject(o, "status", c->open ? "open" : "fixed");
    cJSON_AddStringToObject(o, "class", c->cls);
    cJSON_AddStringToObject(o, "access", c->access);
    cJSON_AddStringToObject(o, "severity", c->severity);
    cJSON_AddNumberToObject(o, "cwe", c->cwe);
    cJSON_AddStringToObject(o, "message", c->message);
    for (m = 0; m < STORE_MODES; m++) {
        add_str_or_null(sigs, mode_keys[m], c->sig[m]);
        add_str_or_null(locs, mode_keys[m], c->location[m]);
    }
    cJSON_AddItemToObject(o, "signatures", sigs);
    cJSON_AddItemToObject(o, "locations", locs);
    cJSON_AddItemToObject(o, "engines", strvec_json(&c->engines));
    cJSON_AddItemToObject(o, "modes", strvec_json(&c->modes));
    cJSON_AddStringToObject(o, "first_seen", c->first_seen);
    cJSON_AddStringToObject(o, "last_seen", c->last_seen);
    cJSON_AddNumberToObject(o, "count", (double)c->count);
    cJSON_AddNumberToObject(o, "size_original", (double)c->size_original);
    cJSON_AddNumberToObject(o, "size_minimised", (double)c->size_minimised);
    cJSON_AddBoolToObject(o, "flaky", c->flaky);
    cJSON_AddBoolToObject(o, "kasan_only", c->kasan_only);
    add_str_or_null(o, "fixed_date", c->fixed_date);
    add_str_or_null(o, "fixed_revision", c->fixed_revision);
    cJSON_AddStringToObject(o, "reproducer", c->reproducer);
    return o;
}

char *store_format(const struct store_case *c)
{
    cJSON *o = to_json(c);
    char *text = cJSON_Print(o);

    cJSON_Delete(o);
    return text;
}

int store_save(const char *regress, const struct store_case *c,
               const void *data, size_t len)
{
    char *text = store_format(c), *path;
    int rc;

    if (text == NULL) {
        errno = ENOMEM;
        return -1;
    }
    if (fs_mkdirs(regress) != 0) {
        free(text);
        return -1;
    }
    rc = 0;
    if (data != NULL) {
        path = store_path(regress, c->id, "bin");
        rc = fs_write_atomic(path, data, len);
        free(path);
    }
    if (rc == 0) {
        size_t tlen = strlen(text);

        text[tlen] = '\n'; /* cJSON's NUL becomes the last line's end */
        path = store_path(regress, c->id, "json");
        rc = fs_write_atomic(path, text, tlen + 1);
        free(path);
    }
    free(text);
    return rc;
}

int store_is_case_part(const char *name)
{
    size_t i;

    for (i = 0; i < STORE_ID_LEN; i++)
        if (!((name[i] >= '0' && name[i] <= '9') ||
              (name[i] >= 'a' && name[i] <= 'f')))
            return 0;
    return strcmp(name + STORE_ID_LEN, ".bin") == 0 ||
           strcmp(name + STORE_ID_LEN, ".json") == 0;
}

int store_is_case_file(const char *regress, const char *name)
{
    char *other, id[STORE_ID_LEN + 1];
    int rc;

    if (!store_is_case_part(name))
        return 0;
    snprintf(id, sizeof(id), "%.*s", STORE_ID_LEN, name);
    other = store_path(
        regress, id, strcmp(name + STORE_ID_LEN, ".bin") == 0 ? "json" : "bin");
    rc = access(other, F_OK) == 0;
    free(other);
    return rc;
}

int store_has_cases(const char *regress)
{
    struct strvec names = {0};
    size_t i;
    int found = 0;

    if (fs_list_files(regress, "", &names) != 0)
        return 0;
    for (i = 0; i < names.n && !found; i++)
        found = store_is_case_part(names.v[i]);
    strvec_free(&names);
    return found;
}
