/*
 * The crash store: one case per bug in the repository, next to the
 * target's corpus (docs/triage.md):
 *   <corpus>/regress/<id>.bin    the minimised input
 *   <corpus>/regress/<id>.json   what it is (struct store_case)
 * <id> is 12 lowercase hex digits. Other files in regress/ (a board's
 * X.json too) are plain regression inputs, not cases.
 */
#ifndef FWFUZZ_STORE_H
#define FWFUZZ_STORE_H

#include <stddef.h>

#include "crashsig.h"
#include "strvec.h"

#define STORE_ID_LEN  12 /* hex digits of the SHA-1 of the first signature */
#define STORE_VERSION 1

/* Index of a mode in store_case.sig: native and emulated. */
enum { STORE_NATIVE = 0, STORE_EMU = 1, STORE_MODES = 2 };

struct store_case {
    char id[STORE_ID_LEN + 1];
    char target[128];
    char cls[40];
    char access[8];
    char severity[12];
    int cwe;
    char message[256];
    /* per mode: the signature key ("" when it does not reproduce there),
     * and where its first project frame is */
    char sig[STORE_MODES][SIG_KEY_MAX];
    char location[STORE_MODES][SIG_FUNC_MAX + SIG_FILE_MAX + 16];
    struct strvec engines; /* that found it: libfuzzer, afl */
    struct strvec modes;   /* that found it: native, emu */
    char first_seen[32];   /* UTC, ISO 8601 */
    char last_seen[32];
    unsigned long count; /* findings triaged into it */
    unsigned long size_original;
    unsigned long size_minimised;
    int flaky;      /* did not reproduce on every run */
    int kasan_only; /* a stack overflow the plain image does not have */
    int open;       /* 1 open, 0 fixed */
    char fixed_date[32];
    char fixed_revision[48];
    char reproducer[512];
};

/* The path of a case's file: <regress>/<id>.<ext>. Caller frees. */
char *store_path(const char *regress, const char *id, const char *ext);

/* Reads <regress>/<id>.json into c. -1 with the reason in why. */
int store_load(const char *json_path, struct store_case *c, char *why,
               size_t n);
/* The same from the file's text (fuzzed: harness/fuzz/fuzz_store_case.c). */
int store_parse(const char *text, size_t len, struct store_case *c, char *why,
                size_t n);
/* The case as JSON text (malloc'd, cJSON's allocator; NULL when out of
 * memory): what store_save writes. */
char *store_format(const struct store_case *c);
/* Every case of a regress folder, in name order; a folder that does not
 * exist has none. -1 (why) if a case file is unreadable or malformed. */
int store_load_all(const char *regress, struct store_case **cases, size_t *n,
                   char *why, size_t whylen);
void store_case_free(struct store_case *c);
void store_cases_free(struct store_case *cases, size_t n);

/*
 * Writes the case: data (if not NULL) to <id>.bin, then c to <id>.json,
 * each to a temporary name and renamed, so a kill leaves either the old
 * case or the new one. -1 with errno set on failure.
 */
int store_save(const char *regress, const struct store_case *c,
               const void *data, size_t len);

/* Whether a file name is one of a case's two files: <id>.bin or <id>.json,
 * <id> 12 lowercase hex digits. Such files are never plain regression
 * inputs, even when the other file is missing (a triage stopped between
 * writing them). */
int store_is_case_part(const char *name);
/* Whether regress/<name> is one of a complete case's files (both there). */
int store_is_case_file(const char *regress, const char *name);

/* Whether a regress folder holds any case. */
int store_has_cases(const char *regress);

/* "2026-12-03T23:55:38Z", now. */
void store_now(char *buf, size_t n);

#endif
