/* The engine drivers: libFuzzer and AFL++. Each runs a struct fuzz_job and
 * fills the struct fuzz_report (figures, findings, errors). */
#ifndef FWFUZZ_ENGINE_H
#define FWFUZZ_ENGINE_H

#include <stddef.h>

#include "job.h"
#include "manifest.h"

/* Seconds a libFuzzer input may run before it is a timeout finding (unless
 * .options or the user's flags say otherwise); as in OSS-Fuzz. */
#define ENGINE_LF_TIMEOUT_S 25
/* --keep-going: restarts of one libFuzzer process after findings. */
#define ENGINE_LF_MAX_RESTARTS 32
/* Grace after the time budget before an engine is stopped by force. */
#define ENGINE_GRACE_S (ENGINE_LF_TIMEOUT_S + 10)

/* 0 if engine e can run target t; otherwise -1 and the reason in why. */
int engine_check(const struct manifest_target *t, enum fw_engine e, char *why,
                 size_t n);

void engine_libfuzzer_run(const struct fuzz_job *job, const struct job_paths *p,
                          struct fuzz_report *r);
void engine_afl_run(const struct fuzz_job *job, const struct job_paths *p,
                    struct fuzz_report *r);

#endif
