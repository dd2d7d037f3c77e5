/* Internal to the AFL++ driver (engine_afl*.c, afl_*.c): the state of one
 * run of afl-fuzz instances and the steps that share it. */
#ifndef FWFUZZ_ENGINE_AFL_H
#define FWFUZZ_ENGINE_AFL_H

#include <stdio.h>

#include "aflparse.h"
#include "engine.h"
#include "linebuf.h"
#include "proc.h"
#include "strvec.h"

#define AFL_MAX_INSTANCES 64

struct afl_inst {
    char name[16]; /* "main", "s1", ... */
    struct proc proc;
    struct linebuf lb;
    FILE *log;
    char *log_path;
    int sock; /* StatsD socket, -1 if none */
    unsigned port;
    struct afl_stats st; /* StatsD figures, or fuzzer_stats at the end */
    unsigned long total_edges;
    int done;
    int stop_sent;
    char *abort_msg;
    char *os_msg;
    struct strvec seed_crashes; /* queue names of crashing seeds */
    struct strvec seed_hangs;
    char last_line[256];
};

struct afl_state {
    const struct fuzz_job *job;
    const struct job_paths *paths;
    struct fuzz_report *r;
    char *afl_fuzz;
    struct afl_inst inst[AFL_MAX_INSTANCES];
    unsigned n;
    double start;
    double deadline;
    int stopping;
    unsigned long seen_files; /* crash/hang files in the instance folders */
    int count_failed;         /* count_found could not list, said once */
};

/* Lists the files (dirs 0, names starting with prefix) or sub-folders
 * (dirs 1) of dir into names as fs_list_files/fs_list_dirs do. A folder
 * that cannot be listed is an I/O error in s->r, never an empty one (its
 * inputs would go unreported). Returns 0 or -1. */
int afl_list_or_report(struct afl_state *s, const char *dir, int dirs,
                       const char *prefix, struct strvec *names);

/* Fills s->paths->afl_in from the target's seed and regress corpora and
 * the working corpus (a default seed if they are empty). Returns 0, or -1
 * with the error in s->r. */
int afl_build_input_dir(struct afl_state *s);

/* Saves the crashes and hangs of every instance folder of s->paths->afl_out
 * as findings, and the seeds afl-fuzz reported as crashing or hanging (it
 * skips them). only_new: record only inputs not saved before (leftovers of
 * an earlier run). A folder that cannot be listed is reported
 * (s->r->io_error) and the others are saved. */
void afl_harvest_findings(struct afl_state *s, int only_new);

/* Merges the instance queues into the working corpus with libFuzzer's
 * merge (keeps only inputs that add coverage), or copies them when there
 * is no libFuzzer build. Returns 0 if the corpus now holds them, else -1
 * with the error in s->r. */
int afl_merge_queues(struct afl_state *s);

/* afl-fuzz refuses an output folder with a long earlier session in it, so
 * each run starts without one: saves what an earlier run left in
 * s->paths->afl_out (findings, queues) and removes the folder. Returns 0,
 * or -1 with the error in s->r: the folder is kept if saving failed or an
 * afl-fuzz still runs in it. */
int afl_take_over_old_output(struct afl_state *s);

#endif
