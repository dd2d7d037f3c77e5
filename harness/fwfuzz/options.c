/* Parser for the .options INI file. */
#define _POSIX_C_SOURCE 200809L
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "util.h"

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

int options_parse(const char *text, const char *path, struct strvec *flags,
                  char *err, size_t errlen)
{
    char *copy = fw_xstrdup(text);
    char *line = copy, *next;
    struct strvec found = {0};
    unsigned lineno = 0;
    int in_libfuzzer = 0, rc = -1;

    for (; line != NULL; line = next) {
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
            in_libfuzzer = strcmp(trim(s + 1), "libfuzzer") == 0;
            continue;
        }
        if (!in_libfuzzer)
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
        if (!valid_key(key)) {
            snprintf(err, errlen, "%s:%u: bad key \"%s\"", path, lineno, key);
            goto out;
        }
        if (*value == '\0') {
            snprintf(err, errlen, "%s:%u: no value for \"%s\"", path, lineno,
                     key);
            goto out;
        }
        if (strcmp(key, "dict") == 0 && value[0] != '/' &&
            strchr(path, '/') != NULL) {
            int dirlen = (int)(strrchr(path, '/') - path);

            strvec_pushf(&found, "-dict=%.*s/%s", dirlen, path, value);
        } else {
            strvec_pushf(&found, "-%s=%s", key, value);
        }
    }
    strvec_extend(flags, &found);
    rc = 0;
out:
    strvec_free(&found);
    free(copy);
    return rc;
}

int options_load(const char *path, struct strvec *flags, char *err,
                 size_t errlen)
{
    char *text;
    size_t len;
    int rc;

    if (fs_read_file(path, FS_MAX_READ, &text, &len) != 0) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    rc = options_parse(text, path, flags, err, errlen);
    free(text);
    return rc;
}
