/* The AFL++ driver: taking over the output folder an earlier run left
 * (if fwfuzz was killed). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "engine_afl.h"
#include "exitcode.h"
#include "fsutil.h"
#include "util.h"

/* The pid of an afl-fuzz still running in an instance folder, or 0. */
static long running_instance(const char *afl_out, const char *inst)
{
    char *path = fw_xasprintf("%s/%s/fuzzer_stats", afl_out, inst);
    char *text, *line, *cmd;
    size_t len;
    long pid = 0;

    if (fs_read_file(path, FS_MAX_READ, &text, &len) == 0) {
        line = strstr(text, "fuzzer_pid");
        if (line != NULL && (line = strchr(line, ':')) != NULL)
            pid = strtol(line + 1, NULL, 10);
        free(text);
    }
    free(path);
    if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno != EPERM))
        return 0;
    /* a recycled pid is some other program */
    path = fw_xasprintf("/proc/%ld/cmdline", pid);
    if (fs_read_file(path, FS_MAX_READ, &cmd, &len) == 0) {
        if (len == 0 || strstr(fw_basename(cmd), "afl-fuzz") == NULL)
            pid = 0;
        free(cmd);
    }
    free(path);
    return pid;
}

int afl_take_over_old_output(struct afl_state *s)
{
    struct strvec dirs = {0};
    size_t i;
    long pid = 0;

    if (!fs_is_dir(s->paths->afl_out))
        return 0;
    /* unlisted, an instance still running could be missed */
    if (afl_list_or_report(s, s->paths->afl_out, 1, "", &dirs) != 0)
        return -1;
    for (i = 0; i < dirs.n && pid == 0; i++)
        pid = running_instance(s->paths->afl_out, dirs.v[i]);
    strvec_free(&dirs);
    if (pid != 0) {
        report_error(s->r, FW_EXIT_IO,
                     "afl-fuzz (pid %ld) is still running "
                     "in %s; stop it or choose another --out",
                     pid, s->paths->afl_out);
        return -1;
    }
    fw_msg("saving what the previous AFL++ run left in %s", s->paths->afl_out);
    afl_harvest_findings(s, 1);
    if (s->r->io_error || afl_merge_queues(s) != 0)
        return -1;
    if (fs_remove_tree(s->paths->afl_out) != 0) {
        report_error(s->r, FW_EXIT_IO, "cannot remove %s: %s",
                     s->paths->afl_out, strerror(errno));
        return -1;
    }
    return 0;
}
