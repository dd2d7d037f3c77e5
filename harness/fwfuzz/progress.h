/* Progress of a running job: one line rewritten in place on a terminal, a
 * plain line every few seconds otherwise (logs, CI). */
#ifndef FWFUZZ_PROGRESS_H
#define FWFUZZ_PROGRESS_H

#include <stddef.h>

struct progress_figures {
    unsigned long long execs;
    double execs_per_sec;
    char coverage[64]; /* engine-specific, e.g. "cov 8 ft 16" */
    unsigned long corpus;
    unsigned long findings;
    double elapsed; /* s */
    double left;    /* s of the time budget */
};

struct progress {
    int tty;
    double interval; /* s between lines */
    double last;     /* fw_now() of the last line (or the start) */
    int line_open;   /* a terminal line is showing */
    const char *target;
    const char *engine;
};

/* Starts reporting; messages printed with fw_msg() meanwhile clear the
 * terminal line first. interval: seconds between plain lines (a terminal
 * line is rewritten every second). */
void progress_start(struct progress *p, int tty, double interval,
                    const char *target, const char *engine);
/* Prints the figures if a line is due (or force). */
void progress_update(struct progress *p, const struct progress_figures *f,
                     int force);
/* Ends the terminal line. */
void progress_stop(struct progress *p);

/* The line itself, without a newline. */
void progress_format(char *buf, size_t n, const char *target,
                     const char *engine, const struct progress_figures *f);
/* 999, 12.3k, 4.5M, 6.7G. */
void progress_human(char *buf, size_t n, double v);

#endif
