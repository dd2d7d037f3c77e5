/*
 * Fuzz target: the report writers (harness/fwfuzz/report*.c) on a campaign
 * summary and coverage.json, both untrusted: the input is the summary, then
 * after a NUL byte (if any) the coverage.json. Whatever the text, a summary
 * read gives three files, the SARIF is JSON, the page holds no script
 * element, and the final lines hold no control character.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fwfuzz/check.h"
#include "report.h"

/* What writer wrote, malloc'd (NULL when the FILE could not be made). */
static char *render(int (*writer)(FILE *, const struct report_in *),
                    const struct report_in *in)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc;

    if (f == NULL)
        return NULL;
    rc = writer(f, in);
    fclose(f);
    FWFUZZ_CHECK(rc == 0, "a writer writes");
    return buf;
}

static int has_script(const char *html)
{
    const char *p;

    for (p = strchr(html, '<'); p != NULL; p = strchr(p + 1, '<'))
        if (strncasecmp(p + 1, "script", 6) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t slen = nul != NULL ? (size_t)(nul - data) : size;
    struct report_in in;
    char why[256], *out;
    cJSON *sarif;
    size_t i, len = 0;
    FILE *f;

    if (report_parse(&in, (const char *)data, slen,
                     nul != NULL ? (const char *)nul + 1 : NULL,
                     nul != NULL ? size - slen - 1 : 0, why, sizeof(why)) != 0)
        return 0;
    out = render(report_junit, &in);
    FWFUZZ_CHECK(out == NULL || strncmp(out, "<?xml", 5) == 0,
                 "junit.xml starts with the XML declaration");
    free(out);
    out = render(report_sarif, &in);
    if (out != NULL) {
        sarif = cJSON_Parse(out);
        FWFUZZ_CHECK(sarif != NULL, "results.sarif is JSON");
        cJSON_Delete(sarif);
    }
    free(out);
    out = render(report_html, &in);
    FWFUZZ_CHECK(out == NULL || !has_script(out), "index.html has no script");
    free(out);
    out = NULL;
    f = open_memstream(&out, &len);
    if (f != NULL) {
        report_print_final(f, in.summary, "reports/x");
        fclose(f);
        for (i = 0; i < len; i++)
            FWFUZZ_CHECK((unsigned char)out[i] >= 0x20 || out[i] == '\n',
                         "the final lines hold no control character");
        free(out);
    }
    report_in_free(&in);
    return 0;
}
