/* The fuzz targets built into the fuzzing image (generated table). */
#ifndef FWFUZZ_FUZZ_TARGETS_H
#define FWFUZZ_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/*
 * One per fuzz target registered with fwfuzz_add_fuzz_target, in
 * registration order; written by emu/firmware/fuzz-image/CMakeLists.txt
 * into <image>_targets.c of the build folder. init is NULL when the target
 * has no LLVMFuzzerInitialize.
 */
struct fuzz_target {
    const char *name;
    int (*entry)(const uint8_t *data, size_t size);
    int (*init)(int *argc, char ***argv);
};

extern const struct fuzz_target fuzz_targets[];
extern const size_t fuzz_target_count;

#endif
