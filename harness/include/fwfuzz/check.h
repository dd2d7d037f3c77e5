/* Security-property checks for fuzz targets: report and abort. */
#ifndef FWFUZZ_CHECK_H
#define FWFUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#include "fwfuzz/protocol.h"

/*
 * A fuzz target states the properties its component promises (a verifier
 * accepts only what an independent recomputation accepts, decode/encode is
 * the identity, ...). A broken promise is a finding like a crash: print it
 * so triage can group by message, then abort so every engine records it.
 */
#define FWFUZZ_CHECK(cond, what)                                               \
    do {                                                                       \
        if (!(cond))                                                           \
            fwfuzz_check_failed(__FILE__, __LINE__, #cond, (what));            \
    } while (0)

#if defined(__arm__) && !defined(__linux__)
/*
 * Bare metal: the firmware image (emu/firmware/fuzz-image/fuzz_main.c) keeps
 * the message in fwfuzz_check_message and stops, and the emulator reports it.
 */
_Noreturn void fwfuzz_check_failed(const char *file, int line, const char *cond,
                                   const char *what);
#else
static inline _Noreturn void fwfuzz_check_failed(const char *file, int line,
                                                 const char *cond,
                                                 const char *what)
{
    fprintf(stderr, FWFUZZ_TAG_PROPERTY " %s\n", what);
    fprintf(stderr, FWFUZZ_TAG_CHECK " (%s) failed at %s:%d\n", cond, file,
            line);
    fflush(stderr);
    abort();
}
#endif

#endif
