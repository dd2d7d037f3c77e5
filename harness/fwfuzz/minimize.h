/*
 * Minimising a crash input while keeping its signature, through any replay
 * build (repro.h), native or emulated: the one minimiser of both modes.
 * libFuzzer's -minimize_crash and afl-tmin keep "a crash", which can turn
 * one bug's input into another's.
 */
#ifndef FWFUZZ_MINIMIZE_H
#define FWFUZZ_MINIMIZE_H

#include <stddef.h>
#include <stdint.h>

#include "repro.h"

struct min_result {
    uint8_t *data; /* the smallest input found (malloc'd) */
    size_t len;
    unsigned long runs; /* replays spent */
    int timed_out;      /* stopped by the time budget */
};

/*
 * Shrinks data (len bytes) to a smaller input whose replay gives key
 * (crash_sig.key, same mode). Chunk removal from halves down to single
 * bytes (ddmin's complement step), repeated until nothing can go, then
 * each byte lowered towards 0 where the signature allows. Stops after
 * budget_s seconds (0: no minimising) or on SIGINT/SIGTERM with the best
 * so far. tmpdir holds the candidate file. Returns 0, or -1 (why) when the
 * build could not run a candidate.
 */
int minimize(const struct repro *r, const char *tmpdir, const uint8_t *data,
             size_t len, const char *key, double budget_s,
             struct min_result *out, char *why, size_t n);

#endif
