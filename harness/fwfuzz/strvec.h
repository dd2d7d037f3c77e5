/* A growable, NULL-terminated vector of owned strings (argv lists, file
 * lists). */
#ifndef FWFUZZ_STRVEC_H
#define FWFUZZ_STRVEC_H

#include <stddef.h>

#include <cjson/cJSON.h>

struct strvec {
    char **v; /* v[n] is NULL once anything was pushed */
    size_t n;
    size_t cap;
};

/* Appends a copy of s. */
void strvec_push(struct strvec *sv, const char *s);
/* Appends a formatted string. */
void strvec_pushf(struct strvec *sv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends every string of other. */
void strvec_extend(struct strvec *sv, const struct strvec *other);
/* 1 if s is an element. */
int strvec_contains(const struct strvec *sv, const char *s);
void strvec_sort(struct strvec *sv);
/* Frees the strings and the array; sv is empty and reusable afterwards. */
void strvec_free(struct strvec *sv);

/* The strings as a JSON array (for the summaries, triage.json and case
 * files); the caller owns it. */
cJSON *strvec_json(const struct strvec *sv);

#endif
