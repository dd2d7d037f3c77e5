/*
 * Plain replay driver: runs a fuzz target over files and folders with no
 * engine, so any input can be reproduced under gdb or in CTest.
 *
 *   <target>_replay [-q] PATH...
 *
 * Each file is read into a heap buffer of exactly its size, so a read one
 * byte past the input is caught by ASan. Folders are walked in name order.
 * Exit codes (fwfuzz/protocol.h): 0 every input ran, 2 usage, 3 a path
 * could not be read; a crash or failed check aborts. `fwfuzz replay` runs
 * one process per input to give every input its own verdict.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "fwfuzz/protocol.h"
#include "fwfuzz/target.h"
#include "inputs.h"

int main(int argc, char **argv)
{
    struct inputs in;
    int i, first = 1, rc = FWFUZZ_DRIVER_OK;
    size_t k;

    memset(&in, 0, sizeof(in));
    if (argc > 1 && strcmp(argv[1], "-q") == 0)
        first = 2;
    if (first >= argc || argv[first][0] == '-') {
        fprintf(stderr,
                "usage: %s [-q] PATH...\n"
                "Runs the fuzz target once on each file; folders are "
                "walked.\n",
                argv[0]);
        return FWFUZZ_DRIVER_USAGE;
    }
    for (i = first; i < argc; i++) {
        if (inputs_add_path(&in, argv[i], "replay") != 0) {
            inputs_free(&in);
            return FWFUZZ_DRIVER_UNREADABLE;
        }
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (k = 0; k < in.n; k++) {
        if (first == 1)
            fprintf(stderr, "replay: %s (%zu bytes)\n", in.v[k].path,
                    in.v[k].len);
        LLVMFuzzerTestOneInput(in.v[k].data, in.v[k].len);
    }
    fprintf(stderr, "replay: %zu inputs ran without a finding\n", in.n);
    inputs_free(&in);
    return rc;
}
