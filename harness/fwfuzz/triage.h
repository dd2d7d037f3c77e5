/*
 * Triage of one target: findings reproduced, signed, grouped with the
 * target's stored cases (store.h), new groups minimised and classified;
 * and the re-check of open cases (--update). `fwfuzz triage`
 * (cmd_triage.c) finds the findings and prints the results.
 */
#ifndef FWFUZZ_TRIAGE_H
#define FWFUZZ_TRIAGE_H

#include <stddef.h>

#include "job.h"
#include "manifest.h"
#include "store.h"
#include "strvec.h"

/* What this run did to a group. */
enum group_state {
    GROUP_UNTOUCHED, /* loaded, no finding of it this run */
    GROUP_NEW,       /* first seen in this run */
    GROUP_KNOWN,     /* seen before, open */
    GROUP_REOPENED,  /* was fixed, found again */
    GROUP_FIXED,     /* --update: no longer reproduces */
    GROUP_STILL_OPEN /* --update: still reproduces */
};

struct group {
    struct store_case c;
    enum group_state state;
    unsigned long seen; /* findings of it in this run */
    int dirty;          /* to be saved */
    unsigned char *bin; /* input to save with it (NULL: keep the file) */
    size_t bin_len;
};

/* Settings of one triage run. */
struct triage_opts {
    unsigned long runs;      /* replays per finding */
    double minimize_s;       /* per new group */
    unsigned long timeout_s; /* 0: the target's */
    int no_store;            /* classify only */
    const char *source_dir;  /* the repository, for relative paths */
};

/* One target's groups and what happened to its findings. */
struct triage_target {
    const struct manifest_target *t;
    const struct triage_opts *o;
    char *regress; /* <corpus>/regress */
    char *tmpdir;  /* candidates of the minimiser, other-mode replays */
    struct group *groups;
    size_t n_groups;
    struct strvec not_reproduced; /* finding paths */
    struct strvec errors;         /* one line each */
    int interrupted;
};

/* Loads t's stored cases. -1 (why) if a case file is malformed. */
int triage_open(struct triage_target *tt, const struct manifest_target *t,
                const struct triage_opts *o, char *why, size_t n);
void triage_close(struct triage_target *tt);

/*
 * Triages one finding found in mode by engine ("libfuzzer", "afl", or
 * NULL when unknown): reproduced o->runs times, grouped, a new group
 * minimised and saved (unless no_store). Returns the group, or NULL when
 * it did not reproduce or could not be run (recorded in tt).
 */
struct group *triage_finding(struct triage_target *tt, const char *path,
                             enum fw_mode mode, const char *engine);

/* --update: replays every open case in each mode it has a signature for;
 * one that reproduces in none becomes fixed, with date and revision. */
void triage_update(struct triage_target *tt);

/* "git rev-parse HEAD" of dir, or "unknown". */
void triage_revision(const char *dir, char *buf, size_t n);

#endif
