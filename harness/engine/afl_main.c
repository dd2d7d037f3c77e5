/*
 * AFL++ driver: persistent mode with test cases in shared memory. Built only
 * by afl-clang-fast, which defines the __AFL_* macros.
 *
 * Each test case is copied into a heap buffer of exactly its size so ASan
 * sees a read past its end (the shared-memory buffer is much larger).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h> /* read(), used by the __AFL_* macros */

#include "fwfuzz/target.h"

__AFL_FUZZ_INIT();

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    __AFL_INIT();
    const uint8_t *shared = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(10000)) {
        size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
        uint8_t *copy = malloc(len > 0 ? len : 1);
        if (copy == NULL)
            abort();
        memcpy(copy, shared, len);
        LLVMFuzzerTestOneInput(copy, len);
        free(copy);
    }
    return 0;
}
