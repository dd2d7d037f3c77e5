/*
 * Replay and benchmark build of an emulated target (<target>_emu_replay):
 *
 *   <target>_emu_replay [-q] [--report short|full] PATH...
 *       runs each file once (folders are walked in name order); on a fault
 *       or hang prints the emulator's report (--report full: with source
 *       lines, frames and where the faulting address is) and exits 1.
 *   <target>_emu_replay --gdb PORT [--report short|full] INPUT
 *       runs one input under a GDB stub on 127.0.0.1:PORT (0: any free
 *       port; the line on stderr names it), then reports as above.
 *   <target>_emu_replay --bench [--runs N | --time S | --execs N]
 *                       [--rss-every N] PATH...
 *       runs the inputs over and over and prints the rate (bench.h); faults
 *       are counted, not fatal.
 *   <target>_emu_replay --cov FILE PATH...
 *       runs each file once, faults and hangs counted, not fatal, and writes
 *       the lines and functions of the image that the runs executed as an
 *       lcov tracefile (emu/linecov.h; `fwfuzz cov`, docs/coverage.md).
 *
 * Exit codes: 0 every input ran clean, 1 a finding, 2 usage, 3 a path could
 * not be read, 4 the emulator could not be set up or could not run.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "emu/linecov.h"
#include "emu_driver.h"
#include "emu_driver_config.h"
#include "inputs.h"

/* The bench counts edges as the libFuzzer build does (its map size),
 * clearing the map before each run as libFuzzer does. */
#define BENCH_COV_MAP_SIZE 32768

struct bench_ctx {
    struct emu_driver *d;
    int failed; /* the emulator could not run an input */
    uint8_t map[BENCH_COV_MAP_SIZE];
};

static int run_bench(const uint8_t *data, size_t len, void *ctx)
{
    struct bench_ctx *b = ctx;
    struct emu_result res;

    if (b->failed)
        return 0;
    memset(b->map, 0, sizeof(b->map));
    if (emu_driver_run(b->d, data, len, &res) != 0) {
        b->failed = 1;
        return 0;
    }
    return emu_driver_is_finding(&res);
}

static int replay(struct emu_driver *d, const struct inputs *in, int quiet)
{
    size_t k;

    for (k = 0; k < in->n; k++) {
        struct emu_result res;

        if (!quiet)
            fprintf(stderr, "replay: %s (%zu bytes)\n", in->v[k].path,
                    in->v[k].len);
        if (emu_driver_run(d, in->v[k].data, in->v[k].len, &res) != 0)
            return FWFUZZ_DRIVER_SETUP;
        if (emu_driver_is_finding(&res)) {
            fprintf(stderr, "replay: %s:\n", in->v[k].path);
            emu_driver_report(d, &res, stderr);
            return FWFUZZ_DRIVER_FINDING;
        }
    }
    fprintf(stderr, "replay: %zu inputs ran without a finding\n", in->n);
    return FWFUZZ_DRIVER_OK;
}

/* Every input once, whatever it finds: the blocks they executed, as lines. */
static int replay_cov(struct emu_driver *d, const struct inputs *in,
                      const char *path)
{
    struct emu_blocks *b = NULL;
    size_t k, findings = 0;
    int err, rc = FWFUZZ_DRIVER_SETUP;

    if ((err = emu_blocks_new(&b)) != EMU_OK ||
        (err = emu_record_blocks(d->emu, b)) != EMU_OK) {
        fprintf(stderr, "replay: coverage: %s\n", emu_strerror(err));
        goto out;
    }
    for (k = 0; k < in->n; k++) {
        struct emu_result res;

        if (emu_driver_run(d, in->v[k].data, in->v[k].len, &res) != 0)
            goto out;
        findings += emu_driver_is_finding(&res) != 0;
    }
    emu_record_blocks(d->emu, NULL);
    if ((err = emu_write_lcov(d->emu, b, path, d->entry)) != EMU_OK) {
        fprintf(stderr, "replay: coverage: %s\n", emu_last_error(d->emu));
        goto out;
    }
    fprintf(stderr,
            "replay: %zu inputs ran (%zu faults or hangs), %zu blocks; "
            "coverage in %s\n",
            in->n, findings, emu_blocks_count(b), path);
    rc = FWFUZZ_DRIVER_OK;
out:
    emu_record_blocks(d->emu, NULL);
    emu_blocks_free(b);
    return rc;
}

/* One input under the debugger; the report as a plain replay's. */
static int replay_gdb(struct emu_driver *d, const struct inputs *in,
                      unsigned port)
{
    struct emu_result res;
    int rc;

    if (in->n != 1) {
        fprintf(stderr, "replay: --gdb takes one input file, not %zu\n", in->n);
        return FWFUZZ_DRIVER_USAGE;
    }
    rc = emu_driver_gdb(d, port, in->v[0].data, in->v[0].len, &res);
    if (rc < 0)
        return FWFUZZ_DRIVER_SETUP;
    if (rc > 0 || !emu_driver_is_finding(&res))
        return FWFUZZ_DRIVER_OK;
    fprintf(stderr, "replay: %s:\n", in->v[0].path);
    emu_driver_report(d, &res, stderr);
    return FWFUZZ_DRIVER_FINDING;
}

/* --gdb PORT, --report short|full and --cov FILE: 1 taken, 0 not ours, -1
 * bad value. */
static int parse_repro_opt(int argc, char **argv, int *i, long *port, int *full,
                           const char **cov)
{
    char *end;

    if (strcmp(argv[*i], "--gdb") != 0 && strcmp(argv[*i], "--report") != 0 &&
        strcmp(argv[*i], "--cov") != 0)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "replay: %s needs a value\n", argv[*i]);
        return -1;
    }
    (*i)++;
    if (strcmp(argv[*i - 1], "--cov") == 0) {
        *cov = argv[*i];
        return 1;
    }
    if (strcmp(argv[*i - 1], "--report") == 0) {
        if (strcmp(argv[*i], "full") != 0 && strcmp(argv[*i], "short") != 0) {
            fprintf(stderr, "replay: --report %s: use short or full\n",
                    argv[*i]);
            return -1;
        }
        *full = strcmp(argv[*i], "full") == 0;
        return 1;
    }
    *port = strtol(argv[*i], &end, 10);
    if (argv[*i][0] < '0' || argv[*i][0] > '9' || *end != '\0' ||
        *port > 65535) {
        fprintf(stderr, "replay: --gdb %s is not a port number\n", argv[*i]);
        return -1;
    }
    return 1;
}

static int usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [-q] [--report short|full] PATH...\n"
            "       %s --gdb PORT [--report short|full] INPUT\n"
            "       %s --bench [--runs N | --time S | --execs N] "
            "[--rss-every N] PATH...\n"
            "       %s --cov FILE PATH...\n"
            "Runs the emulated fuzz target once on each file (folders are "
            "walked),\nor once under a GDB stub on 127.0.0.1:PORT (0: any "
            "free port), or benchmarks\nit, or writes the source lines the "
            "runs executed to FILE (lcov).\nImage, board and entry: %s, %s, "
            "%s (environment\n%s, %s, %s override them).\n",
            argv0, argv0, argv0, argv0, FWFUZZ_EMU_IMAGE, FWFUZZ_EMU_BOARD,
            FWFUZZ_EMU_ENTRY, FWFUZZ_ENV_EMU_IMAGE, FWFUZZ_ENV_EMU_BOARD,
            FWFUZZ_ENV_EMU_ENTRY);
    return FWFUZZ_DRIVER_USAGE;
}

int main(int argc, char **argv)
{
    struct bench_opts o;
    struct inputs in;
    struct emu_driver d;
    int i, m, quiet = 0, bench = 0, full = 0, rc;
    long port = -1;
    const char *cov = NULL;

    memset(&o, 0, sizeof(o));
    memset(&in, 0, sizeof(in));
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (strcmp(argv[i], "-q") == 0) {
            quiet = 1;
            continue;
        }
        if (strcmp(argv[i], "--bench") == 0) {
            bench = 1;
            continue;
        }
        m = parse_repro_opt(argc, argv, &i, &port, &full, &cov);
        if (m < 0)
            return FWFUZZ_DRIVER_USAGE;
        if (m > 0)
            continue;
        m = bench_parse_opt(argc, argv, &i, &o);
        if (m < 0)
            return FWFUZZ_DRIVER_USAGE;
        if (m == 0) {
            fprintf(stderr, "replay: unknown option '%s'\n", argv[i]);
            return usage(argv[0]);
        }
    }
    if (i >= argc)
        return usage(argv[0]);
    if (!bench && (o.passes || o.seconds > 0 || o.execs || o.rss_every)) {
        fprintf(stderr, "replay: --runs, --time, --execs and --rss-every "
                        "go with --bench\n");
        return usage(argv[0]);
    }
    if (bench && port >= 0) {
        fprintf(stderr, "replay: --gdb and --bench do not go together\n");
        return usage(argv[0]);
    }
    if (cov != NULL && (bench || port >= 0)) {
        fprintf(stderr, "replay: --cov goes with neither --gdb nor --bench\n");
        return usage(argv[0]);
    }
    for (; i < argc; i++) {
        if (inputs_add_path(&in, argv[i], "replay") != 0) {
            inputs_free(&in);
            return FWFUZZ_DRIVER_UNREADABLE;
        }
    }
    if (emu_driver_open(&d, FWFUZZ_EMU_IMAGE, FWFUZZ_EMU_BOARD,
                        FWFUZZ_EMU_ENTRY, FWFUZZ_EMU_OPTIONS,
                        FWFUZZ_EMU_LOAD_ADDR_DEFAULT,
                        FWFUZZ_EMU_EXTRA_DEFAULT) != 0) {
        inputs_free(&in);
        return FWFUZZ_DRIVER_SETUP;
    }
    d.report_full = full;
    if (cov != NULL) {
        rc = replay_cov(&d, &in, cov);
    } else if (port >= 0) {
        rc = replay_gdb(&d, &in, (unsigned)port);
    } else if (bench) {
        static struct bench_ctx b;

        b.d = &d;
        if (emu_driver_set_coverage(&d, b.map, sizeof(b.map)) != 0) {
            rc = FWFUZZ_DRIVER_SETUP;
        } else {
            uint64_t runs = 0, reruns = 0;
            int fast;

            bench_loop(&in, &o, run_bench, &b);
            fast = emu_fast_stats(d.emu, &runs, &reruns);
            fprintf(stderr,
                    "==FWFUZZ-BENCH== emu path=%s fast_runs=%llu "
                    "reruns=%llu\n",
                    fast ? "fast" : "full", (unsigned long long)runs,
                    (unsigned long long)reruns);
            rc = b.failed ? FWFUZZ_DRIVER_SETUP : FWFUZZ_DRIVER_OK;
        }
    } else {
        rc = replay(&d, &in, quiet);
    }
    emu_driver_close(&d);
    inputs_free(&in);
    return rc;
}
