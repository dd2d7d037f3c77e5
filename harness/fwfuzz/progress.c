/* Progress line of a running job. */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

static struct progress *active;

static void clear_line(void)
{
    if (active != NULL && active->line_open) {
        fputs("\r\033[K", stderr);
        active->line_open = 0;
    }
}

void progress_start(struct progress *p, int tty, double interval,
                    const char *target, const char *engine)
{
    memset(p, 0, sizeof(*p));
    p->tty = tty;
    p->interval = tty ? 1.0 : interval;
    p->target = target;
    p->engine = engine;
    p->last = fw_now(); /* the first line after one interval */
    active = p;
    fw_msg_hook = clear_line;
}

void progress_human(char *buf, size_t n, double v)
{
    if (v < 1000)
        snprintf(buf, n, "%.0f", v);
    else if (v < 1e6)
        snprintf(buf, n, "%.1fk", v / 1e3);
    else if (v < 1e9)
        snprintf(buf, n, "%.1fM", v / 1e6);
    else
        snprintf(buf, n, "%.1fG", v / 1e9);
}

void progress_format(char *buf, size_t n, const char *target,
                     const char *engine, const struct progress_figures *f)
{
    char execs[16], rate[16];
    long left = f->left > 0 ? (long)(f->left + 0.5) : 0;

    progress_human(execs, sizeof(execs), (double)f->execs);
    progress_human(rate, sizeof(rate), f->execs_per_sec);
    snprintf(buf, n,
             "%s %s %lds: %s execs %s/s | %s | corpus %lu | findings %lu | "
             "%ld:%02ld left",
             target, engine, (long)f->elapsed, execs, rate, f->coverage,
             f->corpus, f->findings, left / 60, left % 60);
}

void progress_update(struct progress *p, const struct progress_figures *f,
                     int force)
{
    char line[512];
    double now = fw_now();

    if (!force && now - p->last < p->interval)
        return;
    p->last = now;
    progress_format(line, sizeof(line), p->target, p->engine, f);
    if (p->tty) {
        fprintf(stderr, "\r%s\033[K", line);
        p->line_open = 1;
    } else {
        fprintf(stderr, "fwfuzz: %s\n", line);
    }
    fflush(stderr);
}

void progress_stop(struct progress *p)
{
    if (p->tty && p->line_open) {
        fputc('\n', stderr);
        p->line_open = 0;
    }
    if (active == p) {
        active = NULL;
        fw_msg_hook = NULL;
    }
    fflush(stderr);
}
