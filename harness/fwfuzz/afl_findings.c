/* The AFL++ driver: the crashes and hangs of the instance folders, saved
 * as findings and described by the replay build. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "engine_afl.h"
#include "exitcode.h"
#include "fsutil.h"
#include "lfparse.h"
#include "util.h"

/* Runs the replay build on a crash input (saved at path) to get its
 * sanitizer report. The signal is in afl-fuzz's name for it, src. */
static void describe_crash(struct afl_state *s, const char *src,
                           const char *path, const char *hex, char *kind,
                           size_t kindlen, char *desc, size_t desclen)
{
    const char *sig = strstr(fw_basename(src), "sig:");

    snprintf(kind, kindlen, "crash");
    snprintf(desc, desclen, "afl-fuzz: crash%s%.6s", sig ? ", " : "",
             sig ? sig : "");
    if (engine_describe_input(s->job, s->paths, path, hex, kind, kindlen, desc,
                              desclen) == 0)
        snprintf(desc, desclen, "afl-fuzz: crash%s%.6s; does not crash %s",
                 sig ? ", " : "", sig ? sig : "",
                 fw_basename(s->job->target->replay));
}

/* Saves one input of an AFL++ folder as a finding. only_new: record it
 * only if it was not saved before (leftovers of an earlier run). */
static void save_finding(struct afl_state *s, const char *src, int hang,
                         int only_new)
{
    char hex[FS_SHA1_HEX_LEN + 1], kind[16], desc[512];
    char *dst = NULL;
    int rc = fs_copy_unique(src, s->paths->findings,
                            hang ? "afl-hang-" : "afl-crash-", hex, &dst);

    if (rc < 0) {
        report_error(s->r, FW_EXIT_IO,
                     "cannot save %s in %s: %s (it stays "
                     "where it is)",
                     src, s->paths->findings, strerror(errno));
        return;
    }
    if ((rc == 0 && only_new) || findings_by_sha1(&s->r->findings, hex)) {
        free(dst);
        return;
    }
    if (hang) {
        snprintf(kind, sizeof(kind), "timeout");
        snprintf(desc, sizeof(desc),
                 "afl-fuzz: hang (ran past the exec timeout)");
    } else {
        describe_crash(s, src, dst, hex, kind, sizeof(kind), desc,
                       sizeof(desc));
    }
    findings_add(&s->r->findings, kind, dst, "afl", desc, hex);
    fw_msg("finding: %s: %s -> %s", kind, desc, dst);
    free(dst);
}

void afl_harvest_findings(struct afl_state *s, int only_new)
{
    const char *afl_out = s->paths->afl_out;
    struct strvec dirs = {0};
    size_t i, j, k;

    afl_list_or_report(s, afl_out, 1, "", &dirs);
    for (i = 0; i < dirs.n; i++) {
        static const char *const sub[] = {"crashes", "hangs"};

        for (k = 0; k < 2; k++) {
            char *inst = fs_join(afl_out, dirs.v[i]);
            char *dir = fs_join(inst, sub[k]);
            struct strvec names = {0};

            afl_list_or_report(s, dir, 0, "id:", &names);
            for (j = 0; j < names.n; j++) {
                char *src = fs_join(dir, names.v[j]);
                save_finding(s, src, (int)k, only_new);
                free(src);
            }
            strvec_free(&names);
            free(dir);
            free(inst);
        }
    }
    strvec_free(&dirs);
    for (i = 0; i < s->n; i++) {
        struct afl_inst *in = &s->inst[i];
        struct strvec *lists[2];

        lists[0] = &in->seed_crashes;
        lists[1] = &in->seed_hangs;
        for (k = 0; k < 2; k++) {
            for (j = 0; j < lists[k]->n; j++) {
                char *q = fw_xasprintf("%s/%s/queue/%s", afl_out, in->name,
                                       lists[k]->v[j]);
                save_finding(s, q, (int)k, only_new);
                free(q);
            }
        }
    }
}
