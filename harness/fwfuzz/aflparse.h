/* Reads what afl-fuzz reports: its fuzzer_stats file, its StatsD datagrams
 * and the lines it prints. */
#ifndef FWFUZZ_AFLPARSE_H
#define FWFUZZ_AFLPARSE_H

#include <stddef.h>

/* Figures of one afl-fuzz instance. A parse sets only the fields it saw. */
struct afl_stats {
    unsigned long long execs_done;
    double execs_per_sec;
    unsigned long corpus_count;
    unsigned long saved_crashes;
    unsigned long saved_hangs;
    unsigned long edges_found;
    unsigned long total_edges; /* fuzzer_stats only (map size) */
    double bitmap_cvg;         /* percent; fuzzer_stats only */
};

/* Parses fuzzer_stats ("key    : value" lines). Returns the number of
 * fields recognised (0 for an empty or foreign file). */
int afl_parse_stats_file(const char *text, struct afl_stats *st);

/* Parses one StatsD datagram of afl-fuzz (AFL_STATSD=1, no tags):
 * "fuzzing.execs_done:123|g\n...". Returns the number of fields
 * recognised. */
int afl_parse_statsd(const char *text, struct afl_stats *st);

enum afl_log_kind {
    AFL_LOG_OTHER,
    AFL_LOG_ABORT,      /* "PROGRAM ABORT : msg" or "SYSTEM ERROR : msg" */
    AFL_LOG_OS_MESSAGE, /* "OS message : msg" after a SYSTEM ERROR */
    AFL_LOG_SEED_CRASH, /* "Test case 'NAME' results in a crash..." */
    AFL_LOG_SEED_HANG   /* "Test case 'NAME' results in a timeout" */
};

/* Classifies one line of afl-fuzz output (colour codes allowed) and copies
 * the message or the queue file name into text. */
enum afl_log_kind afl_parse_log_line(const char *line, char *text,
                                     size_t textlen);

#endif
