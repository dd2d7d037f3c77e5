/* The coverage runs of one target: native (profiles, llvm-profdata,
 * llvm-cov) and emulated (the replay driver's --cov tracefiles). */
#define _POSIX_C_SOURCE 200809L
#include "covrun.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"
#include "proc.h"
#include "util.h"

static int clean_exit(int status)
{
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int covrun_read_lcov(const char *path, struct covlcov *out, char *err,
                     size_t errlen)
{
    char *text, why[256];
    size_t len;

    if (fs_read_file(path, FS_MAX_READ, &text, &len) != 0) {
        fw_set_err(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    if (covlcov_parse(text, len, out, why, sizeof(why)) != 0) {
        fw_set_err(err, errlen, "%s: %s", path, why);
        free(text);
        return -1;
    }
    free(text);
    return 0;
}

/* A fresh scratch folder. */
static int make_work(const char *work, char *err, size_t errlen)
{
    if (fs_remove_tree(work) != 0 || fs_mkdirs(work) != 0) {
        fw_set_err(err, errlen, "cannot create %s: %s", work, strerror(errno));
        return -1;
    }
    return 0;
}

/* Runs argv with LLVM_PROFILE_FILE=profile; the wait status in *status. */
static int run_profiled(char *const argv[], const char *profile,
                        const char *log, double timeout_s, int *status)
{
    char *env = fw_xasprintf("LLVM_PROFILE_FILE=%s", profile);
    const char *set[] = {env, NULL};
    struct proc_opts o = {set, NULL, NULL};
    int rc = proc_run(argv, &o, log, timeout_s, NULL, 0, status);

    free(env);
    return rc;
}

/* One batch of inputs [a, b): together, or one by one if that fails. */
static int native_batch(const char *bin, const struct strvec *in, size_t a,
                        size_t b, const char *work, unsigned long timeout_s,
                        struct covrun_stats *st, char *err, size_t errlen)
{
    struct strvec argv = {0};
    char *prof = fw_xasprintf("%s/batch-%zu.profraw", work, a);
    char *log = fw_xasprintf("%s/run.log", work);
    size_t k;
    int status, rc = -1;

    strvec_push(&argv, bin);
    strvec_push(&argv, "-q");
    for (k = a; k < b; k++)
        strvec_push(&argv, in->v[k]);
    if (run_profiled(argv.v, prof, log, (double)(timeout_s + (b - a)),
                     &status) != 0) {
        fw_set_err(err, errlen, "cannot run %s: %s", bin, strerror(errno));
        goto out;
    }
    if (!clean_exit(status)) {
        /* A profile of a run that failed half-way would count the inputs
         * before the failure twice: dropped, and the batch run again. */
        unlink(prof);
        for (k = a; k < b; k++) {
            char *one = fw_xasprintf("%s/one-%zu.profraw", work, k);
            char *const one_argv[] = {(char *)bin, (char *)"-q", in->v[k],
                                      NULL};

            if (run_profiled(one_argv, one, log, (double)timeout_s, &status) !=
                0) {
                fw_set_err(err, errlen, "cannot run %s: %s", bin,
                           strerror(errno));
                free(one);
                goto out;
            }
            /* A crash or a kill writes no profile (or half of one). */
            if (!WIFEXITED(status)) {
                st->lost++;
                unlink(one);
            }
            free(one);
            if (proc_interrupts() > 0)
                break;
        }
    }
    rc = 0;
out:
    strvec_free(&argv);
    free(prof);
    free(log);
    return rc;
}

/* llvm-cov's stdout goes to a file, its stderr to the log. */
static int export_lcov(const struct manifest_cov *c, const char *profdata,
                       const char *out, const char *log, char *err,
                       size_t errlen)
{
    char *outenv = fw_xasprintf("FWFUZZ_COV_OUT=%s", out);
    const char *set[] = {outenv, NULL};
    struct proc_opts o = {set, NULL, NULL};
    char *ip = fw_xasprintf("-instr-profile=%s", profdata);
    char *const argv[] = {(char *)"sh",
                          (char *)"-c",
                          (char *)"exec \"$@\" >\"$FWFUZZ_COV_OUT\"",
                          (char *)"sh",
                          c->llvm_cov,
                          (char *)"export",
                          (char *)"-format=lcov",
                          ip,
                          c->binary,
                          NULL};
    int status, rc = -1;

    if (proc_run(argv, &o, log, 600, NULL, 0, &status) != 0) {
        fw_set_err(err, errlen, "cannot run sh: %s", strerror(errno));
    } else if (!clean_exit(status)) {
        char what[64];

        proc_status_text(status, what, sizeof(what));
        fw_set_err(err, errlen, "%s export failed (%s; see %s)", c->llvm_cov,
                   what, log);
    } else {
        rc = 0;
    }
    free(outenv);
    free(ip);
    return rc;
}

int covrun_native(const struct manifest_target *t, const struct strvec *inputs,
                  const char *work, unsigned long timeout_s,
                  struct covlcov *out, struct covrun_stats *st, char *err,
                  size_t errlen)
{
    const struct manifest_cov *c = t->cov;
    struct strvec profs = {0}, names = {0}, none = {0};
    char *list = NULL, *profdata = NULL, *info = NULL, *log = NULL;
    size_t a, k, len = 0;
    int status, rc = -1;

    memset(out, 0, sizeof(*out));
    memset(st, 0, sizeof(*st));
    st->inputs = inputs->n;
    if (make_work(work, err, errlen) != 0)
        return -1;
    log = fw_xasprintf("%s/run.log", work);
    if (inputs->n == 0) {
        /* No input: one empty one, as the emulated side does. */
        char *empty = fw_xasprintf("%s/empty", work);

        strvec_push(&none, empty);
        free(empty);
        if (fs_write_atomic(none.v[0], "", 0) != 0) {
            fw_set_err(err, errlen, "cannot write %s: %s", none.v[0],
                       strerror(errno));
            goto out;
        }
        inputs = &none;
    }
    for (a = 0; a < inputs->n; a += COVRUN_BATCH) {
        size_t b = a + COVRUN_BATCH < inputs->n ? a + COVRUN_BATCH : inputs->n;

        if (native_batch(c->binary, inputs, a, b, work, timeout_s, st, err,
                         errlen) != 0)
            goto out;
        if (proc_interrupts() > 0) {
            fw_set_err(err, errlen, "interrupted");
            goto out;
        }
    }
    if (fs_list_files(work, "", &names) != 0) {
        fw_set_err(err, errlen, "cannot list %s: %s", work, strerror(errno));
        goto out;
    }
    for (k = 0; k < names.n; k++) {
        size_t n = strlen(names.v[k]);

        if (n > 8 && strcmp(names.v[k] + n - 8, ".profraw") == 0)
            strvec_pushf(&profs, "%s/%s\n", work, names.v[k]);
    }
    if (profs.n == 0) {
        fw_set_err(err, errlen,
                   "no profile written: every input crashed or hung (see %s)",
                   log);
        goto out;
    }
    list = fw_xmalloc(1);
    list[0] = '\0';
    for (k = 0; k < profs.n; k++) {
        size_t n = strlen(profs.v[k]);

        list = fw_xrealloc(list, len + n + 1);
        memcpy(list + len, profs.v[k], n + 1);
        len += n;
    }
    {
        char *lpath = fw_xasprintf("%s/profiles.txt", work);
        char *f = fw_xasprintf("-input-files=%s", lpath);
        char *o = NULL;

        profdata = fw_xasprintf("%s/merged.profdata", work);
        o = fw_xasprintf("-o=%s", profdata);
        {
            /* a half-written profile of a killed run must not stop the
             * others: fail only when every one is unreadable */
            char *const argv[] = {c->profdata,
                                  (char *)"merge",
                                  (char *)"-sparse",
                                  (char *)"-failure-mode=all",
                                  f,
                                  o,
                                  NULL};

            if (fs_write_atomic(lpath, list, len) != 0) {
                fw_set_err(err, errlen, "cannot write %s: %s", lpath,
                           strerror(errno));
            } else if (proc_run(argv, NULL, log, 600, NULL, 0, &status) != 0) {
                fw_set_err(err, errlen, "cannot run %s: %s", c->profdata,
                           strerror(errno));
            } else if (!clean_exit(status)) {
                fw_set_err(err, errlen, "%s merge failed (see %s)", c->profdata,
                           log);
            } else {
                rc = 0;
            }
        }
        free(lpath);
        free(f);
        free(o);
        if (rc != 0)
            goto out;
        rc = -1;
    }
    info = fw_xasprintf("%s/native.all.info", work);
    if (export_lcov(c, profdata, info, log, err, errlen) != 0 ||
        covrun_read_lcov(info, out, err, errlen) != 0)
        goto out;
    rc = 0;
out:
    strvec_free(&profs);
    strvec_free(&names);
    strvec_free(&none);
    free(list);
    free(profdata);
    free(info);
    free(log);
    return rc;
}

/* Emulated runs are bounded by the block budget; this is for a stuck
 * emulator only. */
#define COVRUN_EMU_SLACK_S 120

int covrun_emu(const struct manifest_target *t, const struct strvec *inputs,
               const char *work, unsigned long timeout_s, struct covlcov *out,
               struct covrun_stats *st, char *err, size_t errlen)
{
    char *log = NULL;
    size_t a = 0, k;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    memset(st, 0, sizeof(*st));
    st->inputs = inputs->n;
    if (make_work(work, err, errlen) != 0)
        return -1;
    log = fw_xasprintf("%s/run.log", work);
    do {
        size_t b = a + COVRUN_BATCH < inputs->n ? a + COVRUN_BATCH : inputs->n;
        struct strvec argv = {0};
        char *info = fw_xasprintf("%s/emu-%zu.info", work, a);
        struct covlcov part;
        int status;

        strvec_push(&argv, t->emu->replay);
        strvec_push(&argv, "--cov");
        strvec_push(&argv, info);
        strvec_push(&argv, "--");
        for (k = a; k < b; k++)
            strvec_push(&argv, inputs->v[k]);
        if (b == a) {
            /* No input: one empty one, so the lines are listed (what the
             * image does with no bytes is what the report then shows). */
            char *empty = fw_xasprintf("%s/empty", work);

            if (fs_write_atomic(empty, "", 0) != 0) {
                fw_set_err(err, errlen, "cannot write %s: %s", empty,
                           strerror(errno));
                free(empty);
                strvec_free(&argv);
                free(info);
                goto out;
            }
            strvec_push(&argv, empty);
            free(empty);
        }
        if (proc_run(argv.v, NULL, log,
                     (double)(COVRUN_EMU_SLACK_S + timeout_s + (b - a)), NULL,
                     0, &status) != 0) {
            fw_set_err(err, errlen, "cannot run %s: %s", t->emu->replay,
                       strerror(errno));
        } else if (!clean_exit(status)) {
            char what[64];

            proc_status_text(status, what, sizeof(what));
            fw_set_err(err, errlen, "%s --cov failed (%s; see %s)",
                       t->emu->replay, what, log);
        } else if (covrun_read_lcov(info, &part, err, errlen) == 0) {
            covlcov_merge(out, &part);
            covlcov_free(&part);
            rc = 0;
        }
        strvec_free(&argv);
        free(info);
        if (rc != 0)
            goto out;
        if (proc_interrupts() > 0) {
            fw_set_err(err, errlen, "interrupted");
            rc = -1;
            goto out;
        }
        rc = -1;
        a = b;
    } while (a < inputs->n);
    rc = 0;
out:
    if (rc != 0)
        covlcov_free(out);
    free(log);
    return rc;
}
