/* The benchmark loop shared by the native bench builds (bench_main.c) and
 * the emulated replay build (emu_driver_replay.c --bench): runs a corpus
 * held in memory over and over and prints machine-readable results that
 * `fwfuzz bench` reads. */
#ifndef FWFUZZ_BENCH_H
#define FWFUZZ_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "fwfuzz/protocol.h"
#include "inputs.h"

struct bench_opts {
    unsigned long passes;         /* --runs N: passes over the corpus */
    double seconds;               /* --time S: passes until S seconds */
    unsigned long long execs;     /* --execs N: stop after N runs (soak) */
    unsigned long long rss_every; /* --rss-every N: an rss line every N */
};

/*
 * Reads the bench options at argv[*i] (one option and its value) and
 * advances *i. Returns 1 if it was one, 0 if not, -1 after printing why.
 * Without --runs, --time or --execs the loop runs one timed pass.
 */
int bench_parse_opt(int argc, char **argv, int *i, struct bench_opts *o);

/* Runs one input; returns 1 if the run was a finding (counted, not fatal),
 * 0 otherwise. */
typedef int bench_run_fn(const uint8_t *data, size_t len, void *ctx);

/* One untimed warm-up pass, then the timed loop; prints the result line on
 * stdout. Returns 0. */
int bench_loop(const struct inputs *in, const struct bench_opts *o,
               bench_run_fn *run, void *ctx);

#endif
