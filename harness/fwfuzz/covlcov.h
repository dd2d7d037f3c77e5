/* lcov tracefiles in memory (`fwfuzz cov`): read, restrict to a
 * component's sources, merge, write. Only the records fwfuzz uses are kept:
 * SF, FN, FNDA, DA (branches and test names are dropped). */
#ifndef FWFUZZ_COVLCOV_H
#define FWFUZZ_COVLCOV_H

#include <stddef.h>
#include <stdint.h>

/* Largest line number taken; bigger ones make the file invalid. */
#define COVLCOV_MAX_LINE 10000000

struct covlcov_fn {
    char *name; /* "file.c:" prefixes of static functions removed */
    int line;
    uint64_t count;
};

struct covlcov_line {
    int line;
    uint64_t count;
};

/* Functions and lines sorted by line, each line once. */
struct covlcov_file {
    char *path; /* as the tracefile names it, "." and ".." resolved */
    struct covlcov_fn *fns;
    size_t nfns;
    struct covlcov_line *lines;
    size_t nlines;
};

/* Files sorted by path, each path once. */
struct covlcov {
    struct covlcov_file *files;
    size_t nfiles;
};

/* Totals over a tracefile or a file. */
struct covlcov_totals {
    unsigned long lines_total, lines_covered;
    unsigned long fns_total, fns_covered;
};

/*
 * Parses tracefile text (len bytes, may hold anything). On failure returns
 * -1 with t empty and a reason naming where (e.g. "line 12: DA without a
 * line number") in err; 0 on success. Records of the same path are merged
 * as covlcov_merge does.
 */
int covlcov_parse(const char *text, size_t len, struct covlcov *t, char *err,
                  size_t errlen);

/*
 * Keeps only the files under dir (a path prefix ending at a '/'), except
 * those under skip (NULL: none).
 */
void covlcov_restrict(struct covlcov *t, const char *dir, const char *skip);

/* Keeps only the files that other has too. */
void covlcov_keep_common(struct covlcov *t, const struct covlcov *other);

/* Adds src's files, functions and lines into dst (counts summed). */
void covlcov_merge(struct covlcov *dst, const struct covlcov *src);

/* The tracefile text (malloc'd, NUL-terminated), test name tn. */
char *covlcov_format(const struct covlcov *t, const char *tn, size_t *len);

void covlcov_file_totals(const struct covlcov_file *f,
                         struct covlcov_totals *out);
void covlcov_totals(const struct covlcov *t, struct covlcov_totals *out);

/* The file of that path, or NULL. */
const struct covlcov_file *covlcov_find(const struct covlcov *t,
                                        const char *path);

/*
 * Lines of fn counted in f: from its first line up to the line before the
 * next function of f that starts after it (the end of the file for the
 * last one). Sets *total and *covered.
 */
void covlcov_fn_lines(const struct covlcov_file *f, const struct covlcov_fn *fn,
                      unsigned long *total, unsigned long *covered);

/* "a/./b/../c" -> "a/c" (lexically; a leading ".." is kept). Caller frees. */
char *covlcov_normalize(const char *path);

void covlcov_free(struct covlcov *t);

#endif
