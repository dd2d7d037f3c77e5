/* The entry points every fuzz target defines (libFuzzer's interface). */
#ifndef FWFUZZ_TARGET_H
#define FWFUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

/* Run one input. Returns 0; a crash or a failed FWFUZZ_CHECK is a finding. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Optional one-time set-up; the drivers call it when it is defined. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

#endif
