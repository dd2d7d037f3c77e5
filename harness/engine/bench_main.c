/*
 * Native benchmark driver: runs a fuzz target over a corpus held in memory,
 * pass after pass, and prints execs and time for `fwfuzz bench`.
 *
 *   <target>_bench [--runs N | --time S | --execs N] [--rss-every N] PATH...
 *
 * Built twice per target: <target>_bench (plain -O2) and <target>_bench_asan
 * (ASan+UBSan, the _san libraries). A crash or failed check aborts, as in
 * the replay build. Exit codes: 0 ran, 2 usage, 3 a path is unreadable.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "fwfuzz/target.h"
#include "inputs.h"

static int run_native(const uint8_t *data, size_t len, void *ctx)
{
    (void)ctx;
    LLVMFuzzerTestOneInput(data, len);
    return 0;
}

int main(int argc, char **argv)
{
    struct bench_opts o;
    struct inputs in;
    int i, m, rc;

    memset(&o, 0, sizeof(o));
    memset(&in, 0, sizeof(in));
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if ((m = bench_parse_opt(argc, argv, &i, &o)) < 0)
            return FWFUZZ_DRIVER_USAGE;
        if (m == 0)
            break;
    }
    if (i >= argc || argv[i][0] == '-') {
        fprintf(stderr,
                "usage: %s [--runs N | --time S | --execs N] "
                "[--rss-every N] PATH...\n"
                "Runs the fuzz target over the inputs again and again and "
                "prints the rate.\n",
                argv[0]);
        return FWFUZZ_DRIVER_USAGE;
    }
    for (; i < argc; i++) {
        if (inputs_add_path(&in, argv[i], "bench") != 0) {
            inputs_free(&in);
            return FWFUZZ_DRIVER_UNREADABLE;
        }
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    rc = bench_loop(&in, &o, run_native, NULL);
    inputs_free(&in);
    return rc;
}
