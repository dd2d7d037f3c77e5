/* The findings of one fuzzing job: what was found, where the input is
 * saved, and a one-line description. */
#ifndef FWFUZZ_FINDINGS_H
#define FWFUZZ_FINDINGS_H

#include <stddef.h>

#include "fsutil.h"

/* Kinds: "crash", "timeout", "oom", "leak", "property". */
struct finding {
    char *kind;
    char *path;        /* the saved input, under <out>/findings/ */
    char *engine;      /* "libfuzzer" or "afl" */
    char *description; /* first SUMMARY: or property line; may be "" */
    char sha1[FS_SHA1_HEX_LEN + 1];
};

struct findings {
    struct finding *v;
    size_t n;
    size_t cap;
};

/* Adds a finding (strings are copied) unless one with the same sha1 is
 * there already. Returns 1 when added, 0 for a duplicate. */
int findings_add(struct findings *f, const char *kind, const char *path,
                 const char *engine, const char *description, const char *sha1);
/* The finding with this content hash or saved at this path, or NULL. */
struct finding *findings_by_sha1(struct findings *f, const char *sha1);
struct finding *findings_by_path(struct findings *f, const char *path);
void findings_free(struct findings *f);

#endif
