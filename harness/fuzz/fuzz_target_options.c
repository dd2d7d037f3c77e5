/*
 * Fuzz target: the .options reader (harness/engine/target_options.c).
 * .options files come with components users bring: any text must give its
 * entries or an error naming the file and line, and every entry it hands
 * on must be one the callers can use as it is.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fwfuzz/check.h"
#include "target_options.h"

#define PATH "fuzz.options"

struct seen {
    unsigned entries;
    unsigned long long budget; /* the last [emu] budget_blocks */
};

static int trimmed(const char *s)
{
    size_t n = strlen(s);

    return n > 0 && !isspace((unsigned char)s[0]) &&
           !isspace((unsigned char)s[n - 1]);
}

static int on_entry(void *ctx, const char *section, const char *key,
                    const char *value, char *err, size_t errlen)
{
    struct seen *s = ctx;
    const char *k;

    (void)err;
    (void)errlen;
    FWFUZZ_CHECK(strcmp(section, "libfuzzer") == 0 ||
                     strcmp(section, "emu") == 0 ||
                     strcmp(section, "fwfuzz") == 0,
                 "only the known sections are handed on");
    for (k = key; *k != '\0'; k++)
        FWFUZZ_CHECK(isalnum((unsigned char)*k) || *k == '_', "keys are names");
    FWFUZZ_CHECK(key[0] != '\0' && trimmed(value) &&
                     strchr(value, '\n') == NULL,
                 "values are one trimmed, non-empty line");
    if (strcmp(section, "emu") == 0) {
        char *end;

        FWFUZZ_CHECK(strcmp(key, "budget_blocks") == 0,
                     "[emu] hands on budget_blocks only");
        s->budget = strtoull(value, &end, 10);
        FWFUZZ_CHECK(*end == '\0' && s->budget > 0 && s->budget <= (1ull << 63),
                     "the budget is a number of blocks");
    }
    if (strcmp(section, "fwfuzz") == 0) {
        char *end;
        double w = strtod(value, &end);

        FWFUZZ_CHECK(strcmp(key, "weight") == 0 ||
                         strcmp(key, "weight_native") == 0 ||
                         strcmp(key, "weight_emu") == 0,
                     "[fwfuzz] hands on weights only");
        FWFUZZ_CHECK(*end == '\0' && w >= 0 && w <= TARGET_OPTIONS_MAX_WEIGHT,
                     "a weight is a number from 0 to the maximum");
    }
    s->entries++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct seen s = {0, 0};
    char err[128];
    char *text = malloc(size + 1);
    int rc;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    memset(err, 'x', sizeof(err));
    rc = target_options_parse(text, PATH, on_entry, &s, err, sizeof(err));
    FWFUZZ_CHECK(rc == 0 || rc == -1, "the reader returns 0 or -1");
    if (rc != 0) {
        FWFUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL,
                     "the message is terminated");
        FWFUZZ_CHECK(strncmp(err, PATH ":", strlen(PATH ":")) == 0,
                     "every error names the file and line");
    }
    /* Checking only (no callback) agrees with reading. */
    FWFUZZ_CHECK(
        target_options_parse(text, PATH, NULL, NULL, err, sizeof(err)) == rc,
        "checking and reading agree");
    free(text);
    return 0;
}
