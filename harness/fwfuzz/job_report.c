/* What came of a job: errors, remarks, result and exit code. */
#define _POSIX_C_SOURCE 200809L
#include "job.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "util.h"

void report_error(struct fuzz_report *r, int kind, const char *fmt, ...)
{
    va_list ap;
    char msg[1024];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fw_msg("error: %s", msg);
    if (kind == FW_EXIT_IO)
        r->io_error = 1;
    else if (kind == FW_EXIT_CONFIG)
        r->config_error = 1;
    else
        r->engine_failed = 1;
    if (r->error == NULL)
        r->error = fw_xstrdup(msg);
}

void report_note(struct fuzz_report *r, const char *fmt, ...)
{
    va_list ap;
    char msg[1024];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fw_msg("%s", msg);
    strvec_push(&r->notes, msg);
}

const char *report_result(const struct fuzz_report *r)
{
    if (r->findings.n > 0)
        return "findings";
    if (r->skipped != NULL)
        return "skipped";
    if (r->error != NULL)
        return "error";
    return "clean";
}

int report_exit_code(const struct fuzz_report *r)
{
    if (r->interrupted)
        return FW_EXIT_INTERRUPTED;
    if (r->findings.n > 0)
        return FW_EXIT_FINDINGS;
    if (r->io_error)
        return FW_EXIT_IO;
    if (r->config_error)
        return FW_EXIT_CONFIG;
    if (r->engine_failed)
        return FW_EXIT_ENGINE;
    return FW_EXIT_OK;
}

void report_free(struct fuzz_report *r)
{
    findings_free(&r->findings);
    strvec_free(&r->notes);
    strvec_free(&r->logs);
    free(r->error);
    free(r->skipped);
    memset(r, 0, sizeof(*r));
}
