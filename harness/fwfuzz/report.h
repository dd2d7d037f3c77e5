/*
 * The campaign's report files, written from REPORTDIR/summary.json
 * (format 2, docs/reports.md) and REPORTDIR/coverage/coverage.json:
 * junit.xml (report_junit.c), results.sarif (report_sarif.c) and
 * index.html (report_html.c). Both JSON files are untrusted: any field may
 * be missing, of the wrong type or hostile; the writers skip what they
 * cannot use and escape every string they copy.
 */
#ifndef FWFUZZ_REPORT_H
#define FWFUZZ_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

/* The summary format this fwfuzz reads. */
#define REPORT_FORMAT 2

/* Writes DIR/junit.xml, DIR/results.sarif and DIR/index.html from
 * DIR/summary.json (and DIR/coverage/coverage.json when present), each
 * atomically. Returns 0, or FW_EXIT_CONFIG (summary missing/invalid) /
 * FW_EXIT_IO with a message printed via fw_msg. */
int report_write_all(const char *dir);

/*
 * The few plain lines a campaign ends with: what was fuzzed, what was found
 * (new / known / fixed groups), where the report is (DIR/index.html) and
 * the command to look at the first new crash. summary NULL or malformed
 * prints what it can. Control characters of the summary's strings are
 * printed as '?' (a terminal must not run them).
 */
void report_print_final(FILE *f, const cJSON *summary, const char *dir);

/* What the writers read. */
struct report_in {
    cJSON *summary;       /* root object; owned */
    cJSON *coverage;      /* coverage.json's root object or NULL; owned */
    char *coverage_error; /* why coverage.json was not usable, or NULL */
};

/*
 * Parses a summary (and a coverage.json, NULL when there is none). Returns
 * 0, or -1 with the reason in why when the summary is not a JSON object of
 * format REPORT_FORMAT (a missing "format" is accepted). A bad coverage
 * text is not an error: in->coverage_error says why.
 */
int report_parse(struct report_in *in, const char *summary, size_t len,
                 const char *coverage, size_t cov_len, char *why, size_t n);
void report_in_free(struct report_in *in);

/* The three writers. Each returns 0, or -1 when f reports an error. */
int report_junit(FILE *f, const struct report_in *in);
int report_sarif(FILE *f, const struct report_in *in);
int report_html(FILE *f, const struct report_in *in);

/* Reading untrusted JSON, shared by the writers. o may be NULL or of any
 * type; each returns NULL (or 0) when the member is absent or of another
 * type. */
const char *report_str(const cJSON *o, const char *key);
/* report_str, or dflt when it is NULL. */
const char *report_str_or(const cJSON *o, const char *key, const char *dflt);
/* 1 and *v when the member is a number, else 0 (and *v = 0). */
int report_num(const cJSON *o, const char *key, double *v);
const cJSON *report_arr(const cJSON *o, const char *key);
const cJSON *report_obj(const cJSON *o, const char *key);
/* Whether the array arr holds the string s. */
int report_has_str(const cJSON *arr, const char *s);
/* "12345", "1.5e+20" for numbers too big to show whole; "-" when absent. */
void report_fmt_count(char *buf, size_t n, int have, double v);

/* A group whose bug is open (state new, known, reopened or open; status
 * not "fixed"). */
int report_group_open(const cJSON *g);
/* A group that appeared in this campaign: state new or reopened. */
int report_group_new(const cJSON *g);
/* Does the group concern this target and mode? A group without a usable
 * "modes" list concerns every mode of its target. */
int report_group_in(const cJSON *g, const char *target, const char *mode);

/* One target and mode of the campaign: from "targets" (each key of
 * "modes") and from "runs" (target, mode), in the order first seen. */
struct report_unit {
    const char *target;
    const char *mode;
    const cJSON *tgt;  /* the "targets" entry, or NULL */
    const cJSON *stat; /* its "modes" member for this mode, or NULL */
};
/* The units of a summary; *out malloc'd (free it), count returned. */
size_t report_units(const cJSON *summary, struct report_unit **out);

/* Sums of the runs of one target and mode. */
struct report_runs {
    size_t n, errors, skipped, not_run;
    double fuzz_s, execs;
    const char *first_error;   /* a run's "error" message, or NULL */
    const char *first_skipped; /* a run's "skipped" reason, or NULL */
};
void report_runs_of(const cJSON *summary, const char *target, const char *mode,
                    struct report_runs *r);

/*
 * A path fit to show as a link or SARIF location relative to the report or
 * repository root: not empty, not absolute, no scheme (':'), no "..", no
 * backslash, no control characters. 1 if so.
 */
int report_relative_ok(const char *p);

/* "security-severity" of a crash class for code-scanning dashboards
 * ("9.0" critical ... "3.0" low): from the class and access as CASR rates
 * them, else from the group's severity. */
const char *report_security_severity(const char *cls, const char *access,
                                     const char *severity);

#endif
