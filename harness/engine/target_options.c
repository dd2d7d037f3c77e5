/* Reading a target's .options file. */
#define _POSIX_C_SOURCE 200809L
#include "target_options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TARGET_OPTIONS_MAX_SIZE (1024 * 1024)

static char *trim(char *s)
{
    char *end;

    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

static int valid_key(const char *k)
{
    if (*k == '\0')
        return 0;
    for (; *k != '\0'; k++)
        if (!isalnum((unsigned char)*k) && *k != '_')
            return 0;
    return 1;
}

/* A whole decimal number from 1 to 2^63; -1 if value is not one. */
static int parse_blocks(const char *value, unsigned long long *out)
{
    char *end;

    if (!isdigit((unsigned char)value[0]))
        return -1;
    errno = 0;
    *out = strtoull(value, &end, 10);
    if (errno != 0 || *end != '\0' || *out == 0 || *out > (1ull << 63))
        return -1;
    return 0;
}

static int check_emu_entry(const char *key, const char *value, char *err,
                           size_t errlen)
{
    unsigned long long blocks;

    if (strcmp(key, "budget_blocks") != 0) {
        snprintf(err, errlen, "[emu] has no key \"%s\" (only budget_blocks)",
                 key);
        return -1;
    }
    if (parse_blocks(value, &blocks) != 0) {
        snprintf(err, errlen,
                 "[emu] budget_blocks must be a whole number of blocks, "
                 "not \"%s\"",
                 value);
        return -1;
    }
    return 0;
}

/* A weight: a decimal number from 0 to TARGET_OPTIONS_MAX_WEIGHT; -1 if
 * value is not one. */
static int parse_weight(const char *value, double *out)
{
    char *end;

    if (!isdigit((unsigned char)value[0]))
        return -1;
    errno = 0;
    *out = strtod(value, &end);
    if (errno != 0 || *end != '\0' || !(*out >= 0) ||
        *out > TARGET_OPTIONS_MAX_WEIGHT)
        return -1;
    return 0;
}

static int check_fwfuzz_entry(const char *key, const char *value, char *err,
                              size_t errlen)
{
    double w;

    if (strcmp(key, "weight") != 0 && strcmp(key, "weight_native") != 0 &&
        strcmp(key, "weight_emu") != 0) {
        snprintf(err, errlen,
                 "[fwfuzz] has no key \"%s\" (only weight, weight_native, "
                 "weight_emu)",
                 key);
        return -1;
    }
    if (parse_weight(value, &w) != 0) {
        snprintf(err, errlen,
                 "[fwfuzz] %s must be a number from 0 to %d, not \"%s\"", key,
                 TARGET_OPTIONS_MAX_WEIGHT, value);
        return -1;
    }
    return 0;
}

int target_options_parse(const char *text, const char *path,
                         target_options_entry_fn *fn, void *ctx, char *err,
                         size_t errlen)
{
    char *copy = strdup(text);
    char *line, *next, why[256];
    char section[64] = "";
    unsigned lineno = 0;
    int known = 0, rc = -1;

    if (copy == NULL) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    for (line = copy; line != NULL; line = next) {
        char *s, *eq, *key, *value;

        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        lineno++;
        s = trim(line);
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            char *close = strchr(s, ']');

            if (close == NULL || trim(close + 1)[0] != '\0') {
                snprintf(err, errlen, "%s:%u: malformed section header", path,
                         lineno);
                goto out;
            }
            *close = '\0';
            snprintf(section, sizeof(section), "%s", trim(s + 1));
            known = strcmp(section, "libfuzzer") == 0 ||
                    strcmp(section, "emu") == 0 ||
                    strcmp(section, "fwfuzz") == 0;
            continue;
        }
        if (!known)
            continue;
        eq = strchr(s, '=');
        if (eq == NULL) {
            snprintf(err, errlen, "%s:%u: expected \"key = value\"", path,
                     lineno);
            goto out;
        }
        *eq = '\0';
        key = trim(s);
        value = trim(eq + 1);
        why[0] = '\0';
        if (!valid_key(key))
            snprintf(why, sizeof(why), "bad key \"%s\"", key);
        else if (*value == '\0')
            snprintf(why, sizeof(why), "no value for \"%s\"", key);
        else if (strcmp(section, "emu") == 0)
            check_emu_entry(key, value, why, sizeof(why));
        else if (strcmp(section, "fwfuzz") == 0)
            check_fwfuzz_entry(key, value, why, sizeof(why));
        if (why[0] == '\0' && fn != NULL &&
            fn(ctx, section, key, value, why, sizeof(why)) != 0 &&
            why[0] == '\0')
            snprintf(why, sizeof(why), "rejected \"%s\"", key);
        if (why[0] != '\0') {
            snprintf(err, errlen, "%s:%u: %s", path, lineno, why);
            goto out;
        }
    }
    rc = 0;
out:
    free(copy);
    return rc;
}

int target_options_load(const char *path, target_options_entry_fn *fn,
                        void *ctx, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *text;
    size_t len;
    int rc;

    if (f == NULL) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    text = malloc(TARGET_OPTIONS_MAX_SIZE + 1);
    if (text == NULL) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    len = fread(text, 1, TARGET_OPTIONS_MAX_SIZE + 1, f);
    if (ferror(f) || len > TARGET_OPTIONS_MAX_SIZE) {
        snprintf(err, errlen, "cannot read %s: %s", path,
                 ferror(f) ? strerror(errno) : "larger than 1 MiB");
        fclose(f);
        free(text);
        return -1;
    }
    fclose(f);
    text[len] = '\0';
    if (memchr(text, '\0', len) != NULL) {
        snprintf(err, errlen, "%s: not a text file (NUL byte)", path);
        free(text);
        return -1;
    }
    rc = target_options_parse(text, path, fn, ctx, err, errlen);
    free(text);
    return rc;
}

static int take_budget(void *ctx, const char *section, const char *key,
                       const char *value, char *err, size_t errlen)
{
    (void)key;
    (void)err;
    (void)errlen;
    /* check_emu_entry has checked it: budget_blocks, a valid number */
    if (strcmp(section, "emu") == 0)
        parse_blocks(value, ctx);
    return 0;
}

int target_options_emu_budget(const char *path, unsigned long long *blocks,
                              char *err, size_t errlen)
{
    *blocks = 0;
    if (path == NULL || path[0] == '\0')
        return 0;
    return target_options_load(path, take_budget, blocks, err, errlen);
}

static int take_weights(void *ctx, const char *section, const char *key,
                        const char *value, char *err, size_t errlen)
{
    double *w = ctx, v = 1;

    (void)err;
    (void)errlen;
    if (strcmp(section, "fwfuzz") != 0)
        return 0;
    parse_weight(value, &v); /* checked by check_fwfuzz_entry */
    if (strcmp(key, "weight") == 0) {
        w[0] *= v;
        w[1] *= v;
    } else {
        w[strcmp(key, "weight_emu") == 0] *= v;
    }
    return 0;
}

int target_options_weights(const char *path, double *native, double *emu,
                           char *err, size_t errlen)
{
    double w[2] = {1, 1};
    int rc = 0;

    if (path != NULL && path[0] != '\0')
        rc = target_options_load(path, take_weights, w, err, errlen);
    *native = w[0];
    *emu = w[1];
    return rc;
}
