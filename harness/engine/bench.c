/* The benchmark loop and its output. */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident set now, from /proc (0 where there is none). */
static unsigned long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;

    if (f == NULL)
        return 0;
    if (fscanf(f, "%lu %lu", &size, &resident) != 2)
        resident = 0;
    fclose(f);
    return resident * (unsigned long)(sysconf(_SC_PAGESIZE) / 1024);
}

/* Peak resident set: ru_maxrss, which Linux updates lazily, so never less
 * than the resident set now. */
static unsigned long maxrss_kb(void)
{
    struct rusage ru;
    unsigned long now = rss_kb();

    if (getrusage(RUSAGE_SELF, &ru) != 0 || ru.ru_maxrss < 0 ||
        (unsigned long)ru.ru_maxrss < now)
        return now;
    return (unsigned long)ru.ru_maxrss;
}

static int number(const char *name, const char *s, unsigned long long max,
                  unsigned long long *out)
{
    char *end;

    errno = 0;
    if (s == NULL || s[0] < '0' || s[0] > '9' ||
        (*out = strtoull(s, &end, 10), errno != 0) || *end != '\0' ||
        *out == 0 || *out > max) {
        fprintf(stderr, "%s: '%s' is not a whole number from 1 to %llu\n", name,
                s != NULL ? s : "", max);
        return -1;
    }
    return 0;
}

int bench_parse_opt(int argc, char **argv, int *i, struct bench_opts *o)
{
    static const char *const names[] = {"--runs", "--time", "--execs",
                                        "--rss-every"};
    const char *a = argv[*i], *v;
    unsigned long long n;
    size_t k;

    for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
        if (strcmp(a, names[k]) == 0)
            break;
    if (k == sizeof(names) / sizeof(names[0]))
        return 0;
    v = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (number(a, v, k == 1 ? 86400ull : 1000000000000ull, &n) != 0)
        return -1;
    *i += 1;
    if (k == 0)
        o->passes = (unsigned long)n;
    else if (k == 1)
        o->seconds = (double)n;
    else if (k == 2)
        o->execs = n;
    else
        o->rss_every = n;
    return 1;
}

static void print_rss(unsigned long long execs, double seconds)
{
    printf("%s rss execs=%llu seconds=%.3f rss_kb=%lu maxrss_kb=%lu\n",
           FWFUZZ_TAG_BENCH, execs, seconds, rss_kb(), maxrss_kb());
    fflush(stdout);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/*
 * The median over the inputs of each one's runs per second, from one more
 * pass timed input by input (not counted in the totals). Where a few
 * inputs cost far more than the rest (a login's key derivation among
 * protocol frames), the total rate says little about the typical input.
 */
static double median_rate(const struct inputs *in, bench_run_fn *run, void *ctx)
{
    double *rate, t, m;
    size_t k;

    if (in->n == 0 || (rate = malloc(in->n * sizeof(*rate))) == NULL)
        return 0;
    for (k = 0; k < in->n; k++) {
        t = now_s();
        run(in->v[k].data, in->v[k].len, ctx);
        t = now_s() - t;
        rate[k] = t > 0 ? 1.0 / t : 0;
    }
    qsort(rate, in->n, sizeof(*rate), cmp_double);
    m = in->n % 2 ? rate[in->n / 2]
                  : (rate[in->n / 2 - 1] + rate[in->n / 2]) / 2;
    free(rate);
    return m;
}

int bench_loop(const struct inputs *in, const struct bench_opts *o,
               bench_run_fn *run, void *ctx)
{
    unsigned long long execs = 0, faults = 0, next_rss = o->rss_every;
    unsigned long passes = 0;
    double start, warmup, elapsed = 0;
    size_t k;
    int done = in->n == 0;

    /* The first pass pays for cold caches (and, emulated, for translating
     * the guest code): it is not part of the figures. */
    start = now_s();
    for (k = 0; k < in->n; k++)
        run(in->v[k].data, in->v[k].len, ctx);
    warmup = now_s() - start;
    if (o->rss_every > 0)
        print_rss(0, 0);
    start = now_s();
    while (!done) {
        for (k = 0; k < in->n; k++) {
            faults += (unsigned long long)run(in->v[k].data, in->v[k].len, ctx);
            execs++;
            if (execs == next_rss) {
                print_rss(execs, now_s() - start);
                next_rss += o->rss_every;
            }
            if (o->execs > 0 && execs >= o->execs)
                break;
        }
        passes++;
        elapsed = now_s() - start;
        if (o->execs > 0)
            done = execs >= o->execs;
        else if (o->passes > 0)
            done = passes >= o->passes;
        else
            done = elapsed >= (o->seconds > 0 ? o->seconds : 0);
    }
    printf("%s result inputs=%zu bytes=%zu passes=%lu execs=%llu "
           "seconds=%.6f faults=%llu warmup_seconds=%.6f rss_kb=%lu "
           "maxrss_kb=%lu median_per_s=%.1f\n",
           FWFUZZ_TAG_BENCH, in->n, in->bytes, passes, execs, elapsed, faults,
           warmup, rss_kb(), maxrss_kb(), median_rate(in, run, ctx));
    fflush(stdout);
    return 0;
}
