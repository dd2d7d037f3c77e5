/*
 * emu-run: runs inputs through one function of a firmware image under the
 * emulator and prints each verdict.
 *
 *   emu-run --board BOARD.json IMAGE [--load-addr ADDR] [--entry SYM|ADDR]
 *           [--budget BLOCKS] [--repeat N] [--quiet] [--full-hook] [INPUT...]
 *
 * IMAGE is an ELF file, or a raw binary loaded at --load-addr. --entry
 * defaults to the board's "entry". An INPUT is a file, a folder of files,
 * or "-" for standard input; with none, the empty input runs once. --repeat
 * runs each input N times and prints the time per run.
 *
 * Exit codes: 0 every run returned, 1 a fault or hang was found, 2 usage,
 * 3 bad board, image or entry, 4 an input could not be read.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "emu/emu.h"

enum {
    RUN_CLEAN = 0,
    RUN_FOUND = 1,
    RUN_USAGE = 2,
    RUN_SETUP = 3,
    RUN_INPUT = 4,
};

#define REPORT_MAX  16384
#define INPUT_LIMIT (64u << 20) /* longer than any board's input area */

struct opts {
    const char *board;
    const char *image;
    const char *entry;
    const char *load_addr;
    unsigned long long budget;
    unsigned long repeat;
    int quiet;
    int full_hook;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: emu-run --board BOARD.json IMAGE [--load-addr ADDR]\n"
               "               [--entry SYMBOL|ADDR] [--budget BLOCKS] "
               "[--repeat N]\n"
               "               [--quiet] [--full-hook] [INPUT...]\n"
               "Runs each input (file, or folder of files) as entry(data, len) "
               "in IMAGE\n"
               "(ELF, or raw binary at --load-addr) and prints the verdict.\n"
               "--full-hook: every run on the full block hook, not the fast "
               "path.\n"
               "Exit: 0 clean, 1 fault or hang, 2 usage, 3 bad board/image/"
               "entry,\n"
               "      4 unreadable input.\n");
}

static int parse_ull(const char *s, unsigned long long max,
                     unsigned long long *out)
{
    char *end;

    if (s == NULL || s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    *out = strtoull(s, &end, 0);
    return errno != 0 || *end != '\0' || *out > max ? -1 : 0;
}

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Reads a whole file, pipe or "-" (standard input). */
static int read_input(const char *path, uint8_t **buf, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 4096, n = 0;
    uint8_t *p = NULL, *q;

    *buf = NULL;
    *len = 0;
    if (f == NULL) {
        fprintf(stderr, "emu-run: %s: %s\n", path, strerror(errno));
        return -1;
    }
    for (;;) {
        size_t got;

        if (p == NULL || n == cap) {
            if (p != NULL)
                cap *= 2;
            q = cap > INPUT_LIMIT + 1 ? NULL : realloc(p, cap);
            if (q == NULL) {
                fprintf(stderr, "emu-run: %s: larger than %u bytes\n", path,
                        (unsigned)INPUT_LIMIT);
                break;
            }
            p = q;
        }
        got = fread(p + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                fprintf(stderr, "emu-run: %s: read error\n", path);
                break;
            }
            if (f != stdin)
                fclose(f);
            *buf = p;
            *len = n;
            return 0;
        }
    }
    free(p);
    if (f != stdin)
        fclose(f);
    return -1;
}

/* Runs one input; returns RUN_CLEAN, RUN_FOUND or RUN_SETUP. */
static int run_one(struct emu *e, const struct opts *o, const char *name,
                   const uint8_t *data, size_t len, char *report)
{
    struct emu_result res;
    unsigned long i;
    double t0 = now(), dt;
    int rc = EMU_OK;

    for (i = 0; i < o->repeat && rc == EMU_OK; i++)
        rc = emu_run(e, data, len, &res);
    dt = now() - t0;
    if (rc != EMU_OK) {
        fprintf(stderr, "emu-run: %s: %s (%s)\n", name, emu_last_error(e),
                emu_strerror(rc));
        return RUN_SETUP;
    }
    if (res.stop == EMU_STOP_RETURN) {
        if (!o->quiet) {
            emu_summary(e, &res, report, REPORT_MAX);
            printf("%s: %s\n", name, report);
        }
    } else {
        emu_describe(e, &res, report, REPORT_MAX);
        printf("%s: %s", name, report);
        if (report[0] != '\0' && report[strlen(report) - 1] != '\n')
            printf("\n");
    }
    if (o->repeat > 1)
        fprintf(stderr, "emu-run: %s: %lu runs, %.3f us/run (%.0f runs/s)\n",
                name, o->repeat, dt * 1e6 / (double)o->repeat,
                (double)o->repeat / dt);
    fflush(stdout);
    return res.stop == EMU_STOP_RETURN ? RUN_CLEAN : RUN_FOUND;
}

static int run_path(struct emu *e, const struct opts *o, const char *path,
                    char *report, int *worst)
{
    struct stat st;
    uint8_t *buf;
    size_t len;
    int rc;

    if (strcmp(path, "-") != 0 && stat(path, &st) != 0) {
        fprintf(stderr, "emu-run: %s: %s\n", path, strerror(errno));
        return RUN_INPUT;
    }
    if (strcmp(path, "-") != 0 && S_ISDIR(st.st_mode)) {
        struct dirent **list = NULL;
        int n = scandir(path, &list, NULL, alphasort), i, out = RUN_CLEAN;

        if (n < 0) {
            fprintf(stderr, "emu-run: %s: %s\n", path, strerror(errno));
            return RUN_INPUT;
        }
        for (i = 0; i < n; i++) {
            char child[4096];

            if (list[i]->d_name[0] != '.' &&
                (size_t)snprintf(child, sizeof(child), "%s/%s", path,
                                 list[i]->d_name) < sizeof(child) &&
                stat(child, &st) == 0 && S_ISREG(st.st_mode)) {
                rc = run_path(e, o, child, report, worst);
                if (rc == RUN_SETUP || rc == RUN_INPUT)
                    out = rc;
            }
            free(list[i]);
        }
        free(list);
        return out;
    }
    if (read_input(path, &buf, &len) != 0)
        return RUN_INPUT;
    rc = run_one(e, o, path, buf, len, report);
    free(buf);
    if (rc == RUN_FOUND)
        *worst = RUN_FOUND;
    return rc == RUN_FOUND ? RUN_CLEAN : rc;
}

static int setup(const struct opts *o, struct emu_board **board, struct emu **e)
{
    char err[512];
    const char *entry = o->entry;
    int rc;

    rc = emu_board_load(o->board, board, err, sizeof(err));
    if (rc != EMU_OK) {
        fprintf(stderr, "emu-run: board: %s (%s)\n", err, emu_strerror(rc));
        return -1;
    }
    rc = emu_open(*board, e);
    if (rc != EMU_OK) {
        fprintf(stderr, "emu-run: %s (%s)\n", emu_last_error(NULL),
                emu_strerror(rc));
        return -1;
    }
    rc = emu_load_image(*e, o->image, o->load_addr);
    if (rc == EMU_ERR_RAW_ADDR)
        fprintf(stderr,
                "emu-run: %s is not an ELF file: give --load-addr "
                "(its address in flash)\n",
                o->image);
    else if (rc == EMU_ERR_ARG && o->load_addr != NULL)
        fprintf(stderr, "emu-run: --load-addr %s is not a 32-bit address\n",
                o->load_addr);
    if (rc != EMU_OK) {
        fprintf(stderr, "emu-run: image: %s (%s)\n", emu_last_error(*e),
                emu_strerror(rc));
        return -1;
    }
    if (entry == NULL)
        entry = emu_board_entry(*board);
    if (entry == NULL) {
        fprintf(stderr, "emu-run: no entry: give --entry or \"entry\" in the "
                        "board file\n");
        return -1;
    }
    if (o->budget != 0)
        emu_set_budget(*e, o->budget);
    if (o->full_hook)
        emu_set_fast(*e, 0);
    rc = emu_set_entry(*e, entry);
    if (rc != EMU_OK) {
        fprintf(stderr, "emu-run: entry: %s (%s)\n", emu_last_error(*e),
                emu_strerror(rc));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o = {0};
    struct emu_board *board = NULL;
    struct emu *e = NULL;
    char *report = NULL;
    int i, ninputs = 0, rc = RUN_CLEAN, worst = RUN_CLEAN;
    unsigned long long v;
    char **inputs;

    o.repeat = 1;
    inputs = calloc((size_t)argc, sizeof(*inputs));
    if (inputs == NULL)
        return RUN_SETUP;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            free(inputs);
            return RUN_CLEAN;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o.quiet = 1;
            continue;
        } else if (strcmp(a, "--full-hook") == 0) {
            o.full_hook = 1;
            continue;
        } else if (strcmp(a, "--board") == 0 || strcmp(a, "--entry") == 0 ||
                   strcmp(a, "--load-addr") == 0 ||
                   strcmp(a, "--budget") == 0 || strcmp(a, "--repeat") == 0) {
            if (val == NULL) {
                fprintf(stderr, "emu-run: %s needs a value\n", a);
                usage(stderr);
                free(inputs);
                return RUN_USAGE;
            }
            i++;
            if (strcmp(a, "--board") == 0) {
                o.board = val;
            } else if (strcmp(a, "--entry") == 0) {
                o.entry = val;
            } else if (strcmp(a, "--load-addr") == 0) {
                o.load_addr = val;
            } else if (strcmp(a, "--budget") == 0) {
                if (parse_ull(val, ~0ull, &v) != 0 || v == 0) {
                    fprintf(stderr,
                            "emu-run: --budget %s is not a number of "
                            "blocks\n",
                            val);
                    free(inputs);
                    return RUN_USAGE;
                }
                o.budget = v;
            } else {
                if (parse_ull(val, 1000000000ull, &v) != 0 || v == 0) {
                    fprintf(stderr, "emu-run: --repeat %s is not a count\n",
                            val);
                    free(inputs);
                    return RUN_USAGE;
                }
                o.repeat = (unsigned long)v;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "emu-run: unknown option %s\n", a);
            usage(stderr);
            free(inputs);
            return RUN_USAGE;
        } else if (o.image == NULL) {
            o.image = a;
        } else {
            inputs[ninputs++] = argv[i];
        }
    }
    if (o.board == NULL || o.image == NULL) {
        fprintf(stderr, "emu-run: %s is required\n",
                o.board == NULL ? "--board" : "an IMAGE");
        usage(stderr);
        free(inputs);
        return RUN_USAGE;
    }
    report = malloc(REPORT_MAX);
    if (report == NULL || setup(&o, &board, &e) != 0) {
        rc = RUN_SETUP;
        goto out;
    }
    if (ninputs == 0) {
        rc = run_one(e, &o, "(empty input)", NULL, 0, report);
        if (rc == RUN_FOUND) {
            worst = RUN_FOUND;
            rc = RUN_CLEAN;
        }
    }
    for (i = 0; i < ninputs; i++) {
        int r = run_path(e, &o, inputs[i], report, &worst);

        if (r != RUN_CLEAN && rc == RUN_CLEAN)
            rc = r;
    }
out:
    emu_close(e);
    emu_board_free(board);
    free(report);
    free(inputs);
    return rc != RUN_CLEAN ? rc : worst;
}
