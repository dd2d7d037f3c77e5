/* Running a target's corpus through its native coverage build or its
 * emulated replay build and reading back an lcov tracefile (`fwfuzz cov`). */
#ifndef FWFUZZ_COVRUN_H
#define FWFUZZ_COVRUN_H

#include <stddef.h>

#include "covlcov.h"
#include "manifest.h"
#include "strvec.h"

/* Inputs per process: bounds the command line and what a crash costs. */
#define COVRUN_BATCH 256

/* What happened to the inputs of one mode. */
struct covrun_stats {
    size_t inputs;
    size_t lost; /* native: inputs that crashed or hung (no profile) */
};

/*
 * Native: runs the inputs through t->cov->binary (no sanitizer) in batches;
 * a batch that does not exit 0 is run again one input per process, so a
 * crashing or hanging input loses only its own profile. Merges the
 * profiles (llvm-profdata) and exports them (llvm-cov export
 * -format=lcov) into *out. work: a scratch folder (created, emptied).
 * timeout_s: seconds one input may run. Returns 0, or -1 after writing why
 * into err.
 */
int covrun_native(const struct manifest_target *t, const struct strvec *inputs,
                  const char *work, unsigned long timeout_s,
                  struct covlcov *out, struct covrun_stats *st, char *err,
                  size_t errlen);

/*
 * Emulated: runs the inputs through t->emu->replay --cov (faults and hangs
 * are results there, not lost runs) and reads its tracefiles into *out.
 * Returns as covrun_native.
 */
int covrun_emu(const struct manifest_target *t, const struct strvec *inputs,
               const char *work, unsigned long timeout_s, struct covlcov *out,
               struct covrun_stats *st, char *err, size_t errlen);

/* Reads a tracefile. 0, or -1 with why in err. */
int covrun_read_lcov(const char *path, struct covlcov *out, char *err,
                     size_t errlen);

#endif
