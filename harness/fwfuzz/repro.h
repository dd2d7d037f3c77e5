/*
 * Running one input through a target's replay build, natively or under
 * emulation, and reading its verdict as a crash signature: what triage,
 * the regression runner and `fwfuzz repro` share.
 */
#ifndef FWFUZZ_REPRO_H
#define FWFUZZ_REPRO_H

#include <stddef.h>
#include <stdint.h>

#include "crashsig.h"
#include "job.h"
#include "manifest.h"
#include "strvec.h"

/* Output of one replay kept for its signature and report. */
#define REPRO_OUTPUT_MAX (1024 * 1024)

/* How a target's inputs are replayed in one mode (and image). */
struct repro {
    const struct manifest_target *t;
    enum fw_mode mode;
    int plain;                /* emulated: the image without KASan */
    const char *bin;          /* the replay build (points into t) */
    struct strvec env;        /* its environment */
    unsigned long timeout_s;  /* an input running longer is a timeout */
    const char *timeout_from; /* where timeout_s came from, for messages */
    int full_report;          /* emulated: the developer's report
                                 (--report full), else the short one */
};

enum repro_verdict {
    REPRO_CLEAN,       /* ran without a finding */
    REPRO_FINDING,     /* *sig holds what it found */
    REPRO_ERROR,       /* the build could not run the input (why) */
    REPRO_INTERRUPTED, /* fwfuzz was interrupted: no verdict */
};

/*
 * Seconds an input of t may run: given (--timeout) when not 0, else the
 * libFuzzer timeout of t's .options, else the fuzzing runs' default; *from
 * says which, for messages. -1 (why) when the .options file is bad.
 */
int repro_timeout(const struct manifest_target *t, unsigned long given,
                  unsigned long *s, const char **from, char *why, size_t n);

/*
 * Prepares replays of t in mode (emulated: the KASan image, or plain).
 * timeout_s 0: the target's .options libFuzzer timeout, else the fuzzing
 * runs' default. Returns 0, or -1 with the reason in why (no such build,
 * no image, bad .options).
 */
int repro_init(struct repro *r, const struct manifest_target *t,
               enum fw_mode mode, int plain, unsigned long timeout_s, char *why,
               size_t n);
void repro_free(struct repro *r);

/*
 * Runs the file at path once. out (if not NULL) gets the build's output
 * (malloc'd, the caller frees it). For REPRO_ERROR, why says what failed.
 */
enum repro_verdict repro_run(const struct repro *r, const char *path,
                             struct crash_sig *sig, char **out, char *why,
                             size_t n);

/* The same for bytes in memory (written to a temporary file in tmpdir). */
enum repro_verdict repro_run_data(const struct repro *r, const char *tmpdir,
                                  const uint8_t *data, size_t len,
                                  struct crash_sig *sig, char *why, size_t n);

#endif
