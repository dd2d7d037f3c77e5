/* fwfuzz report DIR: renders a campaign's report files again from its
 * summary.json. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "cmds.h"
#include "exitcode.h"
#include "fsutil.h"
#include "report.h"
#include "util.h"

int cmd_report(const struct cli *c)
{
    const char *dir = c->words.v[0];
    char *path, *text = NULL;
    size_t len = 0;
    cJSON *summary;
    int rc;

    rc = report_write_all(dir);
    if (rc != FW_EXIT_OK)
        return rc;
    /* report_write_all read it whole a moment ago */
    path = fs_join(dir, "summary.json");
    if (fs_read_file(path, FS_MAX_READ, &text, &len) == 0) {
        summary = cJSON_ParseWithLength(text, len);
        report_print_final(stdout, summary, dir);
        cJSON_Delete(summary);
    }
    free(text);
    free(path);
    return FW_EXIT_OK;
}
