/* Child processes (engines, merges, replays): spawn, read their output,
 * signal and reap them; and fwfuzz's own SIGINT/SIGTERM handling. */
#ifndef FWFUZZ_PROC_H
#define FWFUZZ_PROC_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "linebuf.h"

struct proc_opts {
    const char *const *env_set;     /* "NAME=value", always set; or NULL */
    const char *const *env_default; /* "NAME=value", set unless present */
    const char *const *env_unset;   /* "NAME", removed */
};

struct proc {
    pid_t pid;
    int fd;      /* read end of the child's stdout+stderr; -1 once closed */
    int running; /* not reaped yet */
    int status;  /* wait status once reaped */
};

/* Starts argv[0] (searched in PATH) in its own process group, stdin from
 * /dev/null, stdout and stderr into one pipe (p->fd, non-blocking). Returns
 * 0, or -1 with errno set when it could not be started (ENOENT, EACCES...);
 * an exec failure is reported here, not as an exit status. */
int proc_spawn(struct proc *p, char *const argv[], const struct proc_opts *o);

/* Reads available output: >0 bytes, 0 at end of output (fd closed), -1 when
 * nothing is available now. */
ssize_t proc_read(struct proc *p, char *buf, size_t n);

/*
 * Reads what the child has written so far, appends it to log (if not NULL)
 * and hands it to fn line by line; once the pipe is closed, also the last
 * unterminated line.
 */
void proc_pump_lines(struct proc *p, FILE *log, struct linebuf *lb,
                     linebuf_line_fn *fn, void *ctx);

/* Reaps the child if it has exited, and kills what is left of its process
 * group. Returns 1 if it is no longer running. */
int proc_reap(struct proc *p);

/* Sends sig to the child's process group (engines start helpers). */
void proc_kill(struct proc *p, int sig);

/* Closes the output pipe (the child is not waited for). */
void proc_close(struct proc *p);

/* "exit status 1", "killed by signal 9 (Killed)". */
void proc_status_text(int status, char *buf, size_t n);

/* Runs argv to completion: output appended to log_path (NULL: dropped) and,
 * if out is not NULL, the first out_max bytes returned in a malloc'd,
 * NUL-terminated *out. After timeout_s seconds (0: none), and when fwfuzz is
 * interrupted, the child gets SIGTERM, then SIGKILL. Returns 0 with *status
 * set, or -1 if the child could not be started (errno set). */
int proc_run(char *const argv[], const struct proc_opts *o,
             const char *log_path, double timeout_s, char **out, size_t out_max,
             int *status);

/* Installs fwfuzz's handlers: SIGINT, SIGTERM and SIGHUP are counted (and
 * make poll() return), SIGPIPE is ignored. */
void proc_signals_install(void);
/* How many SIGINT/SIGTERM arrived so far. */
int proc_interrupts(void);
/* The last of them (SIGINT or SIGTERM), 0 if none. */
int proc_last_signal(void);

#endif
