/* The [libfuzzer] section of a target's .options as libFuzzer flags. */
#define _POSIX_C_SOURCE 200809L
#include "options.h"

#include <string.h>

#include "target_options.h"

struct flags_ctx {
    const char *path;
    struct strvec found;
};

static int take_flag(void *ctx, const char *section, const char *key,
                     const char *value, char *err, size_t errlen)
{
    struct flags_ctx *c = ctx;
    const char *slash = strrchr(c->path, '/');

    (void)err;
    (void)errlen;
    if (strcmp(section, "libfuzzer") != 0)
        return 0;
    if (strcmp(key, "dict") == 0 && value[0] != '/' && slash != NULL)
        strvec_pushf(&c->found, "-dict=%.*s/%s", (int)(slash - c->path),
                     c->path, value);
    else
        strvec_pushf(&c->found, "-%s=%s", key, value);
    return 0;
}

int options_parse(const char *text, const char *path, struct strvec *flags,
                  char *err, size_t errlen)
{
    struct flags_ctx c = {path, {0}};
    int rc = target_options_parse(text, path, take_flag, &c, err, errlen);

    if (rc == 0)
        strvec_extend(flags, &c.found);
    strvec_free(&c.found);
    return rc;
}

int options_load(const char *path, struct strvec *flags, char *err,
                 size_t errlen)
{
    struct flags_ctx c = {path, {0}};
    int rc = target_options_load(path, take_flag, &c, err, errlen);

    if (rc == 0)
        strvec_extend(flags, &c.found);
    strvec_free(&c.found);
    return rc;
}
