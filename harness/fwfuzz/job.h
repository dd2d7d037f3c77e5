/* One fuzzing job: one target, one engine, one output folder. What it is
 * asked to do (struct fuzz_job) and what came of it (struct fuzz_report). */
#ifndef FWFUZZ_JOB_H
#define FWFUZZ_JOB_H

#include <stddef.h>

#include "findings.h"
#include "manifest.h"
#include "strvec.h"

enum fw_engine { FW_ENGINE_LIBFUZZER, FW_ENGINE_AFL, FW_ENGINE_BOTH };

/* Where the target runs: the host build (native) or the firmware image
 * under the emulator (emu). */
enum fw_mode { FW_MODE_NATIVE, FW_MODE_EMU, FW_MODE_BOTH };

/* "libfuzzer", "afl", "both". */
const char *fw_engine_name(enum fw_engine e);
/* "native", "emu", "both". */
const char *fw_mode_name(enum fw_mode m);

struct fuzz_job {
    /* For FW_MODE_EMU, a view whose builds are the emulated ones
     * (engine_mode_target). */
    const struct manifest_target *target;
    enum fw_engine engine; /* FW_ENGINE_LIBFUZZER or FW_ENGINE_AFL */
    enum fw_mode mode;     /* FW_MODE_NATIVE or FW_MODE_EMU */
    const char *emu_image; /* FW_MODE_EMU: the firmware image the builds run */
    unsigned long time_s;
    unsigned long jobs; /* engine processes */
    const char *out;    /* output folder, relative to the cwd or absolute */
    int keep_going;     /* do not stop at the first finding */
    char *const *engine_flags; /* passed through to the engine */
    size_t n_engine_flags;
    unsigned long status_interval; /* s between plain status lines */
    int tty;                       /* rewrite one progress line in place */
    const char *summary_name;      /* file name of the summary in out */
};

/* Folders and files of the output folder (see docs/fwfuzz.md). */
struct job_paths {
    char *corpus;   /* <out>/corpus: the working corpus, kept across runs */
    char *findings; /* <out>/findings: crash/timeout/oom inputs */
    char *logs;     /* <out>/logs: raw engine output */
    char *summary;  /* <out>/<summary_name> */
    char *afl_in;   /* <out>/afl-in: AFL++'s input folder, rebuilt per run */
    char *afl_out;  /* <out>/afl: AFL++'s output folder */
};

struct fuzz_report {
    double elapsed;      /* wall time of the whole job, s */
    double fuzz_seconds; /* time the engine was fuzzing, s */
    unsigned long long execs;
    unsigned long cov;         /* libFuzzer: covered edges ("cov:") */
    unsigned long ft;          /* libFuzzer: features ("ft:") */
    unsigned long edges_found; /* AFL++ */
    unsigned long edges_total; /* AFL++: size of the coverage map */
    double bitmap_cvg;         /* AFL++: percent */
    unsigned long corpus_before;
    unsigned long corpus_after;
    unsigned restarts; /* always 0 since --keep-going runs libFuzzer's fork
                          mode; kept in the summary's format 1 */
    struct findings findings;
    struct strvec notes; /* remarks for the user, also in the summary */
    struct strvec logs;  /* log files written */
    char *error;         /* first error, NULL if none */
    int engine_failed;   /* FW_EXIT_ENGINE */
    int io_error;        /* FW_EXIT_IO */
    int config_error;    /* FW_EXIT_CONFIG (engine not available) */
    int interrupted;     /* SIGINT/SIGTERM during the job */
    char *skipped;       /* reason the job did not run (fwfuzz run) */
};

void job_paths_init(struct job_paths *p, const char *out,
                    const char *summary_name);
void job_paths_free(struct job_paths *p);

/* Records an error (the first one is kept as the message). kind is
 * FW_EXIT_ENGINE, FW_EXIT_IO or FW_EXIT_CONFIG. */
void report_error(struct fuzz_report *r, int kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds a remark and prints it. */
void report_note(struct fuzz_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "clean", "findings", "error" (or "skipped"). */
const char *report_result(const struct fuzz_report *r);
/* The command's exit code for this report: 130 interrupted, 10 findings,
 * 5 I/O, 3 configuration, 4 engine, 0 clean (in that order). */
int report_exit_code(const struct fuzz_report *r);
void report_free(struct fuzz_report *r);

/* Runs the job: creates the output folders, runs the engine, collects
 * findings and counts the corpus. Never exits; everything is in r. Does
 * not write the summary. */
void job_run(const struct fuzz_job *job, struct fuzz_report *r);

/* Safety net after the engine ran: adds to r every input in p->findings
 * whose name is not in before (the listing taken before the run), even if
 * the engine's message about it was lost. Returns 0, or -1 with an I/O
 * error in r when p->findings cannot be listed. */
int job_collect_unreported(const struct fuzz_job *job,
                           const struct job_paths *p,
                           const struct strvec *before, struct fuzz_report *r);

#endif
