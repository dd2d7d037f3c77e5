/* The engine drivers: libFuzzer and AFL++. Each runs a struct fuzz_job and
 * fills the struct fuzz_report (figures, findings, errors). */
#ifndef FWFUZZ_ENGINE_H
#define FWFUZZ_ENGINE_H

#include <stddef.h>

#include "job.h"
#include "manifest.h"
#include "strvec.h"

/* The folder of a target's corpus (beside seed/ and regress/) that each
 * campaign leaves its merged, minimised working corpus in; the engines
 * start from it. */
#define CORPUS_MERGED_DIR "merged"

/* Seconds a libFuzzer input may run before it is a timeout finding (unless
 * .options or the user's flags say otherwise); as in OSS-Fuzz. */
#define ENGINE_LF_TIMEOUT_S 25
/* --keep-going runs libFuzzer's fork mode, whose jobs run to their own
 * time limits: seconds after the budget before they are stopped. */
#define ENGINE_LF_FORK_GRACE_S 2
/* Seconds a replay that describes a finding may take. */
#define ENGINE_REPLAY_TIMEOUT_S 30
/* afl-fuzz's timeout (ms) for a native target when the user gives none:
 * its default, with the '+' that makes a seed that times out skipped
 * rather than fatal. */
#define ENGINE_AFL_NATIVE_TIMEOUT "1000+"
/* Grace after the time budget before an engine is stopped by force. */
#define ENGINE_GRACE_S (ENGINE_LF_TIMEOUT_S + 10)

/* 0 if engine e can run target t; otherwise -1 and the reason in why. */
int engine_check(const struct manifest_target *t, enum fw_engine e, char *why,
                 size_t n);

/*
 * The target as the engines of mode see it, in *view: for FW_MODE_NATIVE a
 * copy of *t; for FW_MODE_EMU the same with the emulated builds as its
 * libfuzzer, afl and replay builds (so the engine drivers run them
 * unchanged). The view points into t. Returns 0, or -1 with the reason in
 * why when t has no builds of that mode (no emulated builds, or a whole
 * image asked for native ones).
 */
int engine_mode_target(const struct manifest_target *t, enum fw_mode mode,
                       struct manifest_target *view, char *why, size_t n);

/*
 * The environment an emulated build of t is started with (for
 * proc_opts.env_set): FWFUZZ_EMU_IMAGE=image, and FWFUZZ_EMU_BOARD and
 * FWFUZZ_EMU_ENTRY from the manifest, so a hand-written manifest entry can
 * point the generic drivers at a foreign image, and for a whole image its
 * FWFUZZ_EMU_LOAD_ADDR and FWFUZZ_EMU_EXTRA_IMAGES. A variable the user set
 * when starting fwfuzz wins over the manifest. Appends nothing when t has
 * no emulated builds or image is NULL (a native job).
 */
void engine_emu_env(const struct manifest_target *t, const char *image,
                    struct strvec *env);
/* The environment every build a job starts gets: engine_emu_env for an
 * emulated job, nothing for a native one. */
void engine_job_env(const struct fuzz_job *job, struct strvec *env);
/*
 * The image emulated jobs of t run: the one the user named in
 * FWFUZZ_EMU_IMAGE when starting fwfuzz; else the KASan image, or with
 * plain the one without KASan. NULL (with why) if t has no such image.
 */
const char *engine_emu_image(const struct manifest_target *t, int plain,
                             char *why, size_t n);

/*
 * Runs the job's replay build once on the input saved at path (content
 * SHA-1 hex) to describe a finding an engine reported without one; its
 * output goes to <logs>/replay-HEX.log; kind and desc are set as
 * lf_describe sets them when it found a report line in it, else left
 * unchanged. Returns 1 when the input failed, 0 when it ran clean, -1 when
 * the replay build is missing or could not run.
 */
int engine_describe_input(const struct fuzz_job *job, const struct job_paths *p,
                          const char *path, const char *hex, char *kind,
                          size_t kindlen, char *desc, size_t desclen);

/* Progress label of a job: "libfuzzer", "afl", "emu-libfuzzer", ... */
const char *engine_label(const struct fuzz_job *job);

void engine_libfuzzer_run(const struct fuzz_job *job, const struct job_paths *p,
                          struct fuzz_report *r);
void engine_afl_run(const struct fuzz_job *job, const struct job_paths *p,
                    struct fuzz_report *r);

#endif
