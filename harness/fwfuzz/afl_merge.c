/* The AFL++ driver: the instance queues, merged into the working corpus. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "engine_afl.h"
#include "exitcode.h"
#include "fsutil.h"
#include "util.h"

/* Seconds the corpus merge may take. */
#define AFL_MERGE_TIMEOUT_S 900

int afl_merge_queues(struct afl_state *s)
{
    const struct manifest_target *t = s->job->target;
    struct strvec dirs = {0}, argv = {0}, queues = {0};
    char *log = fs_join(s->paths->logs, "merge.log");
    char *control = fs_join(s->paths->logs, "merge-control.txt");
    unsigned long before = fs_count_files(s->paths->corpus);
    size_t i;
    int rc = 0, status = 0;

    if (afl_list_or_report(s, s->paths->afl_out, 1, "", &dirs) != 0) {
        rc = -1;
        goto out;
    }
    for (i = 0; i < dirs.n; i++) {
        char *q = fw_xasprintf("%s/%s/queue", s->paths->afl_out, dirs.v[i]);
        if (fs_is_dir(q))
            strvec_push(&queues, q);
        free(q);
    }
    if (queues.n == 0)
        goto out;
    if (fs_is_executable(t->libfuzzer)) {
        strvec_push(&argv, t->libfuzzer);
        strvec_push(&argv, "-merge=1");
        strvec_pushf(&argv, "-merge_control_file=%s", control);
        /* a hang in a queue must not stall the merge (nor outlive it) */
        strvec_pushf(&argv, "-timeout=%d", ENGINE_LF_TIMEOUT_S);
        /* an input that crashes the libFuzzer build is a finding too */
        strvec_pushf(&argv, "-artifact_prefix=%s/merge-", s->paths->findings);
        strvec_push(&argv, s->paths->corpus);
        strvec_extend(&argv, &queues);
        struct strvec env = {0};
        struct proc_opts o = {NULL, NULL, NULL};
        int ran;

        engine_job_env(s->job, &env);
        o.env_set = (const char *const *)env.v;
        ran = proc_run(argv.v, &o, log, AFL_MERGE_TIMEOUT_S, NULL, 0, &status);
        strvec_free(&env);
        if (ran != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            char st[96];

            proc_status_text(status, st, sizeof(st));
            report_error(s->r, FW_EXIT_ENGINE,
                         "merging the AFL++ queues "
                         "into %s failed (%s); they stay in %s, see %s",
                         s->paths->corpus, st, s->paths->afl_out, log);
            rc = -1;
        }
        unlink(control);
        strvec_push(&s->r->logs, log);
    } else {
        for (i = 0; i < queues.n; i++) {
            struct strvec names = {0};
            size_t j;

            /* names stays empty when this fails */
            if (afl_list_or_report(s, queues.v[i], 0, "id:", &names) != 0) {
                rc = -1;
                goto out;
            }
            for (j = 0; j < names.n; j++) {
                char *src = fs_join(queues.v[i], names.v[j]);
                char hex[FS_SHA1_HEX_LEN + 1];

                if (fs_copy_unique(src, s->paths->corpus, "", hex, NULL) < 0)
                    rc = -1;
                free(src);
            }
            strvec_free(&names);
        }
        if (rc != 0)
            report_error(s->r, FW_EXIT_IO,
                         "cannot copy the AFL++ queues "
                         "into %s: %s",
                         s->paths->corpus, strerror(errno));
        else
            report_note(s->r, "no libFuzzer build: AFL++ queues copied into "
                              "the corpus without minimising");
    }
    if (rc == 0)
        fw_msg("corpus %s: %lu -> %lu inputs after merging %zu AFL++ "
               "queue%s",
               s->paths->corpus, before, fs_count_files(s->paths->corpus),
               queues.n, queues.n == 1 ? "" : "s");
out:
    strvec_free(&dirs);
    strvec_free(&argv);
    strvec_free(&queues);
    free(log);
    free(control);
    return rc;
}
