/* Recognises the libFuzzer (and sanitizer) output lines fwfuzz acts on. */
#ifndef FWFUZZ_LFPARSE_H
#define FWFUZZ_LFPARSE_H

#include <stddef.h>

enum lf_kind {
    LF_OTHER,       /* anything else */
    LF_STATUS,      /* "#N\tNEW    cov: C ft: F corp: K/Sb ..." */
    LF_STAT,        /* "stat::name: value" (-print_final_stats=1) */
    LF_ARTIFACT,    /* "... Test unit written to PATH"; text = PATH */
    LF_SUMMARY,     /* "SUMMARY: ..."; text = whole line */
    LF_PROPERTY,    /* "==FWFUZZ== property violated: ..." or a security
                       oracle's "==FWFUZZ== finding CLASS: ..."; whole line */
    LF_ERROR,       /* "==N==ERROR: ..."; text = after "ERROR: " */
    LF_INTERRUPTED, /* "==N== libFuzzer: run interrupted; exiting" */
    LF_SEED,        /* "INFO: Seed: N"; stat_value = N */
    LF_EMU,         /* "==FWFUZZ-EMU== CLASS at ..." (an emulated build's
                       finding); text = whole line */
    LF_FORK,        /* -fork=N, after each job: "#N: cov: C ft: F corp: K
                       exec/s E oom/timeout/crash: O/T/C time: Ss job: J
                       dft_time: D"; execs N is the total of all jobs */
    LF_FORK_END     /* -fork=N: "INFO: exiting: CODE time: Ss";
                       stat_value = CODE (that of the last job that failed) */
};

struct lf_line {
    enum lf_kind kind;
    /* LF_STATUS. Fields missing from the line stay 0 (has_* say which). */
    unsigned long long execs;
    char event[8]; /* INITED, NEW, REDUCE, pulse, DONE, RELOAD, ... */
    int has_cov;   /* "cov:" or "ft:" is there (an emulated build, whose
                      only coverage is extra counters, has "ft:" alone) */
    unsigned long cov;
    unsigned long ft;
    int has_corp;
    unsigned long corp_units;
    unsigned long long corp_bytes;
    unsigned long exec_per_sec;
    unsigned long rss_mb;
    /* LF_FORK, besides execs, cov, ft, corp_units and exec_per_sec: jobs
     * that ran out of memory, timed out, crashed; seconds; jobs started */
    unsigned long fork_ooms;
    unsigned long fork_timeouts;
    unsigned long fork_crashes;
    unsigned long fork_seconds;
    unsigned long fork_job;
    /* LF_STAT and LF_SEED */
    char stat_name[40];
    unsigned long long stat_value;
    /* LF_ARTIFACT, LF_SUMMARY, LF_PROPERTY, LF_ERROR: points into the line */
    const char *text;
};

/* Classifies one line (without '\n'). Returns out->kind. */
enum lf_kind lf_parse_line(const char *line, struct lf_line *out);

/* The finding kind of an emulated build's report line (LF_EMU):
 * "timeout" for a hang, "property" for a failed FWFUZZ_CHECK in the guest,
 * else "crash". */
/* The kind of an LF_PROPERTY line: "security" for a security oracle's
 * finding, else "property". */
const char *lf_property_kind(const char *line);
const char *lf_emu_kind(const char *line);

/*
 * The kind and one-line description of a finding from the whole output of
 * the build that ran it: a property line wins, then an emulated build's
 * report line, then the first sanitizer SUMMARY, then the first sanitizer
 * ERROR line. Returns 1 if one of them is there; 0 leaves kind and desc as
 * they are.
 */
int lf_describe(const char *output, char *kind, size_t kindlen, char *desc,
                size_t desclen);

/* The finding kind of a libFuzzer artifact from its file name
 * ("<prefix>crash-<sha1>" ...): "crash", "timeout", "oom", "leak" or
 * "slow-unit"; NULL if the name is not an artifact name. */
const char *lf_artifact_kind(const char *path);

#endif
