/* The signature-keeping minimiser (minimize.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "minimize.h"
#include "proc.h"
#include "util.h"

struct min_state {
    const struct repro *r;
    const char *tmpdir;
    const char *key;
    double deadline;
    struct min_result *out;
    char *why;
    size_t n;
    int failed; /* the build could not run a candidate */
};

static int out_of_time(struct min_state *m)
{
    if (fw_now() >= m->deadline || proc_interrupts() > 0) {
        m->out->timed_out = fw_now() >= m->deadline;
        return 1;
    }
    return 0;
}

/* Does the candidate still give the same signature? */
static int keeps(struct min_state *m, const uint8_t *cand, size_t len)
{
    struct crash_sig sig;
    enum repro_verdict v;

    m->out->runs++;
    v = repro_run_data(m->r, m->tmpdir, cand, len, &sig, m->why, m->n);
    if (v == REPRO_ERROR)
        m->failed = 1;
    return v == REPRO_FINDING && strcmp(sig.key, m->key) == 0;
}

/* One pass removing chunks of size chunk; 1 if anything went. */
static int remove_chunks(struct min_state *m, size_t chunk)
{
    struct min_result *o = m->out;
    uint8_t *cand = fw_xmalloc(o->len + 1);
    size_t at = 0;
    int shrunk = 0;

    while (at < o->len && !m->failed && !out_of_time(m)) {
        size_t cut = chunk < o->len - at ? chunk : o->len - at;
        size_t clen = o->len - cut;

        memcpy(cand, o->data, at);
        memcpy(cand + at, o->data + at + cut, o->len - at - cut);
        if (clen < o->len && keeps(m, cand, clen)) {
            memcpy(o->data, cand, clen);
            o->len = clen;
            shrunk = 1;
        } else {
            at += cut;
        }
    }
    free(cand);
    return shrunk;
}

/* Bytes made 0 where they can be: smaller values read better in a
 * report; the size does not change. */
static void lower_bytes(struct min_state *m)
{
    struct min_result *o = m->out;
    size_t i;

    for (i = 0; i < o->len && !m->failed && !out_of_time(m); i++) {
        uint8_t was = o->data[i];

        if (was == 0)
            continue;
        o->data[i] = 0;
        if (!keeps(m, o->data, o->len))
            o->data[i] = was;
    }
}

int minimize(const struct repro *r, const char *tmpdir, const uint8_t *data,
             size_t len, const char *key, double budget_s,
             struct min_result *out, char *why, size_t n)
{
    struct min_state m = {r, tmpdir, key, fw_now() + budget_s, out, why, n, 0};
    size_t chunk;

    memset(out, 0, sizeof(*out));
    out->data = fw_xmalloc(len + 1);
    memcpy(out->data, data, len);
    out->len = len;
    if (budget_s <= 0)
        return 0;
    for (;;) {
        int shrunk = 0;

        for (chunk = out->len / 2; chunk >= 1 && !m.failed; chunk /= 2) {
            if (out_of_time(&m))
                break;
            shrunk |= remove_chunks(&m, chunk);
        }
        if (!shrunk || m.failed || out_of_time(&m))
            break;
    }
    if (!m.failed && out->len <= 64)
        lower_bytes(&m);
    return m.failed ? -1 : 0;
}
