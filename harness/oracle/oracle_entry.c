/*
 * The fuzz entry every native build calls: the target's own
 * LLVMFuzzerTestOneInput is compiled as fwfuzz_target_one_input
 * (cmake/FwfuzzFuzzTarget.cmake) and runs between the oracles' begin and
 * end. This file is compiled with the same definition, hence the #undef.
 */
#undef LLVMFuzzerTestOneInput
#include <stddef.h>
#include <stdint.h>

#include "oracle_runtime.h"

int fwfuzz_target_one_input(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The target runs FWFUZZ_ORACLE_STACK_GAP bytes below this file's frames,
 * so that the oracles' own frames at the end of the run (which sit just
 * below LLVMFuzzerTestOneInput's) do not overwrite what the run left on
 * the stack.
 */
__attribute__((noinline)) static int run_below(const uint8_t *data, size_t size)
{
    /* alloca, written at both ends: a compiler keeps all of it */
    volatile char *gap = __builtin_alloca(FWFUZZ_ORACLE_STACK_GAP);

    gap[0] = 0;
    gap[FWFUZZ_ORACLE_STACK_GAP - 1] = 0;
    return fwfuzz_target_one_input(data, size) + gap[0];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    volatile char here = 0;
    int rc;

    fwfuzz_oracle_begin((void *)&here, data, size);
    rc = run_below(data, size);
    fwfuzz_oracle_end();
    return rc;
}
