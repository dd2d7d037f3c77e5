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
 *
 * With FWFUZZ_REPLAY_TIMEOUT=N in the environment, an input that runs
 * longer than N seconds prints FWFUZZ_TAG_TIMEOUT and the stack where it
 * was (the sanitizer's unwinder), and the process exits with
 * FWFUZZ_DRIVER_FINDING: triage gets a hang's location as a crash's.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fwfuzz/protocol.h"
#include "fwfuzz/target.h"
#include "inputs.h"

/* In the sanitizer runtime of every replay build; weak for builds without. */
void __sanitizer_print_stack_trace(void) __attribute__((weak));

static unsigned long timeout_s;

static void on_alarm(int sig)
{
    char msg[64];
    int n;

    (void)sig;
    n = snprintf(msg, sizeof(msg), "%s %lu s\n", FWFUZZ_TAG_TIMEOUT, timeout_s);
    if (n > 0 && write(2, msg, (size_t)n) < 0)
        _exit(FWFUZZ_DRIVER_FINDING);
    /* not async-signal-safe, but the process ends here either way; it is
     * what libFuzzer does on its timeouts too */
    if (__sanitizer_print_stack_trace)
        __sanitizer_print_stack_trace();
    _exit(FWFUZZ_DRIVER_FINDING);
}

static void arm_timeout(void)
{
    const char *v = getenv(FWFUZZ_ENV_TIMEOUT);
    struct sigaction sa;

    if (v == NULL || (timeout_s = strtoul(v, NULL, 10)) == 0)
        return;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
}

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
    arm_timeout();
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (k = 0; k < in.n; k++) {
        if (first == 1)
            fprintf(stderr, "replay: %s (%zu bytes)\n", in.v[k].path,
                    in.v[k].len);
        alarm((unsigned)timeout_s); /* per input; 0 cancels */
        LLVMFuzzerTestOneInput(in.v[k].data, in.v[k].len);
    }
    alarm(0);
    fprintf(stderr, "replay: %zu inputs ran without a finding\n", in.n);
    inputs_free(&in);
    return rc;
}
