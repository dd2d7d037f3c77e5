/* Reads the lines the benchmark builds print (fwfuzz/protocol.h):
 *   ==FWFUZZ-BENCH== result inputs=N bytes=N passes=N execs=N seconds=S
 *                    faults=N warmup_seconds=S rss_kb=N maxrss_kb=N
 *   ==FWFUZZ-BENCH== rss execs=N seconds=S rss_kb=N maxrss_kb=N
 * and turns them into the figures `fwfuzz bench` prints. */
#ifndef FWFUZZ_BENCHPARSE_H
#define FWFUZZ_BENCHPARSE_H

#include <stddef.h>

enum bench_line_kind { BENCH_LINE_OTHER, BENCH_LINE_RESULT, BENCH_LINE_RSS };

/* Fields missing from a line stay 0. */
struct bench_figures {
    unsigned long long inputs;
    unsigned long long bytes;
    unsigned long long passes;
    unsigned long long execs;
    unsigned long long faults;
    double seconds;
    double warmup_seconds;
    unsigned long long rss_kb;    /* resident now */
    unsigned long long maxrss_kb; /* peak so far (ru_maxrss) */
    double median_per_s; /* the median input's runs per second, 0: none */
};

/* Classifies one line and, for a result or rss line, reads its figures
 * into *f (cleared first). A line with an unknown key or a malformed value
 * is BENCH_LINE_OTHER. */
enum bench_line_kind bench_parse_line(const char *line,
                                      struct bench_figures *f);

/* Runs per second; 0 when nothing was timed. */
double bench_rate(const struct bench_figures *f);

/* The ratio emulated/native for the table: "1/43.4" (or "1.2" when the
 * emulated build is faster); "-" when either rate is 0. */
void bench_ratio_text(char *buf, size_t n, double emu_rate, double native_rate);

#endif
