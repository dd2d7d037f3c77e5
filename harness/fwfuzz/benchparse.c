/* Reading the benchmark builds' result lines. */
#define _POSIX_C_SOURCE 200809L
#include "benchparse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwfuzz/protocol.h"

/* Stores "key=value" into the field it names; -1 if unknown/malformed. */
static int set_field(struct bench_figures *f, const char *key, size_t klen,
                     const char *val, size_t vlen)
{
    static const struct {
        const char *key;
        size_t offset;
    } ints[] = {
        {"inputs", offsetof(struct bench_figures, inputs)},
        {"bytes", offsetof(struct bench_figures, bytes)},
        {"passes", offsetof(struct bench_figures, passes)},
        {"execs", offsetof(struct bench_figures, execs)},
        {"faults", offsetof(struct bench_figures, faults)},
        {"rss_kb", offsetof(struct bench_figures, rss_kb)},
        {"maxrss_kb", offsetof(struct bench_figures, maxrss_kb)},
    };
    char text[64], *end;
    size_t i;

    if (vlen == 0 || vlen >= sizeof(text) || !isdigit((unsigned char)val[0]))
        return -1;
    memcpy(text, val, vlen);
    text[vlen] = '\0';
    errno = 0;
    for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        if (strlen(ints[i].key) == klen &&
            strncmp(ints[i].key, key, klen) == 0) {
            unsigned long long v = strtoull(text, &end, 10);

            if (errno != 0 || *end != '\0')
                return -1;
            memcpy((char *)f + ints[i].offset, &v, sizeof(v));
            return 0;
        }
    }
    if ((klen == 7 && strncmp(key, "seconds", 7) == 0) ||
        (klen == 14 && strncmp(key, "warmup_seconds", 14) == 0) ||
        (klen == 12 && strncmp(key, "median_per_s", 12) == 0)) {
        double v = strtod(text, &end);

        if (errno != 0 || *end != '\0' || v < 0)
            return -1;
        if (klen == 7)
            f->seconds = v;
        else if (klen == 14)
            f->warmup_seconds = v;
        else
            f->median_per_s = v;
        return 0;
    }
    return -1;
}

enum bench_line_kind bench_parse_line(const char *line, struct bench_figures *f)
{
    size_t tag = strlen(FWFUZZ_TAG_BENCH);
    enum bench_line_kind kind;
    const char *p;

    memset(f, 0, sizeof(*f));
    if (strncmp(line, FWFUZZ_TAG_BENCH, tag) != 0 || line[tag] != ' ')
        return BENCH_LINE_OTHER;
    p = line + tag + 1;
    if (strncmp(p, "result ", 7) == 0) {
        kind = BENCH_LINE_RESULT;
        p += 7;
    } else if (strncmp(p, "rss ", 4) == 0) {
        kind = BENCH_LINE_RSS;
        p += 4;
    } else {
        return BENCH_LINE_OTHER;
    }
    while (*p != '\0') {
        size_t wlen = strcspn(p, " ");
        const char *eq = memchr(p, '=', wlen);

        if (wlen > 0) {
            if (eq == NULL || set_field(f, p, (size_t)(eq - p), eq + 1,
                                        wlen - (size_t)(eq - p) - 1) != 0) {
                memset(f, 0, sizeof(*f));
                return BENCH_LINE_OTHER;
            }
        }
        p += wlen;
        while (*p == ' ')
            p++;
    }
    return kind;
}

double bench_rate(const struct bench_figures *f)
{
    return f->seconds > 0 ? (double)f->execs / f->seconds : 0;
}

void bench_ratio_text(char *buf, size_t n, double emu_rate, double native_rate)
{
    if (emu_rate <= 0 || native_rate <= 0)
        snprintf(buf, n, "-");
    else if (emu_rate >= native_rate)
        snprintf(buf, n, "%.1f", emu_rate / native_rate);
    else
        snprintf(buf, n, "1/%.1f", native_rate / emu_rate);
}
