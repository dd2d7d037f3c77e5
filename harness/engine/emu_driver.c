/* Setting up the emulator for one fuzz target and running inputs. */
#define _POSIX_C_SOURCE 200809L
#include "emu_driver.h"

#include "target_options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/boot.h"
#include "emu/gdb.h"

/* Room for emu_describe's report: registers, disassembly, source lines. */
#define EMU_DRIVER_REPORT_MAX 16384
/* UART bytes a report shows at most. */
#define EMU_DRIVER_UART_SHOWN 2048

static const char *choose(const char *env_name, const char *dflt)
{
    const char *v = getenv(env_name);

    return v != NULL && v[0] != '\0' ? v : dflt;
}

/* The running executable's path plus suffix, allocated, when that file
 * exists; else NULL. A cluster's runner copies the build's $OUT to its own
 * machines and sets none of our variables: the image, board and .options
 * file travel next to the binary. */
static char *beside_self(const char *suffix)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe));
    size_t size;
    char *path;

    if (n <= 0 || (size_t)n >= sizeof(exe))
        return NULL; /* no /proc, or a path too long to trust */
    size = (size_t)n + strlen(suffix) + 1;
    path = malloc(size);
    if (path == NULL)
        return NULL;
    snprintf(path, size, "%.*s%s", (int)n, exe, suffix);
    if (access(path, F_OK) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

/* The variable env_name when set, else the file next to the executable
 * (kept in *owned), else dflt. */
static const char *choose_beside(const char *env_name, const char *suffix,
                                 char **owned, const char *dflt)
{
    const char *v = env_name != NULL ? getenv(env_name) : NULL;

    if (v != NULL && v[0] != '\0')
        return v;
    *owned = beside_self(suffix);
    return *owned != NULL ? *owned : dflt;
}

/* The block budget of a run: FWFUZZ_EMU_BUDGET if set, else the [emu]
 * budget_blocks of the target's .options file, else 0 (the board's). -1
 * after a message if either is malformed. */
static int choose_budget(const char *options, unsigned long long *blocks)
{
    const char *text = getenv(FWFUZZ_ENV_EMU_BUDGET);
    char err[512], *end;

    if (text != NULL && text[0] != '\0') {
        errno = 0;
        *blocks = strtoull(text, &end, 0);
        if (text[0] < '0' || text[0] > '9' || errno != 0 || *end != '\0' ||
            *blocks == 0) {
            fprintf(stderr, "emu: %s=%s is not a number of blocks\n",
                    FWFUZZ_ENV_EMU_BUDGET, text);
            return -1;
        }
        return 0;
    }
    if (target_options_emu_budget(options, blocks, err, sizeof(err)) != 0) {
        fprintf(stderr, "emu: %s\n", err);
        return -1;
    }
    return 0;
}

static int fail(struct emu_driver *d, const char *what, const char *path,
                int err)
{
    /* emu_last_error(NULL) tells why emu_open failed */
    fprintf(stderr, "emu: %s %s: %s (%s)\n", what, path, emu_last_error(d->emu),
            emu_strerror(err));
    emu_driver_close(d);
    return -1;
}

/* FWFUZZ_EMU_EXTRA_IMAGES: "file@address" raw binaries, ','-separated,
 * loaded beside the image (a bootloader's signed slot). */
static int load_extra_images(struct emu_driver *d, const char *extra)
{
    const char *list = choose(FWFUZZ_ENV_EMU_EXTRA_IMAGES, extra);
    char item[4096], *at;
    size_t n;
    int rc;

    while (list != NULL && *list != '\0') {
        n = strcspn(list, ",");
        if (n >= sizeof(item)) {
            fprintf(stderr, "emu: %s: an item is too long\n",
                    FWFUZZ_ENV_EMU_EXTRA_IMAGES);
            return -1;
        }
        memcpy(item, list, n);
        item[n] = '\0';
        list += n + (list[n] == ',');
        at = strrchr(item, '@');
        if (at == NULL || at == item || at[1] == '\0') {
            fprintf(stderr, "emu: %s: \"%s\" is not file@address\n",
                    FWFUZZ_ENV_EMU_EXTRA_IMAGES, item);
            return -1;
        }
        *at = '\0';
        rc = emu_load_image(d->emu, item, at + 1);
        if (rc != EMU_OK) {
            fprintf(stderr, "emu: cannot load %s at %s: %s (%s)\n", item,
                    at + 1, emu_last_error(d->emu), emu_strerror(rc));
            return -1;
        }
    }
    return 0;
}

static int load_image(struct emu_driver *d, const char *load_addr)
{
    const char *addr_text = choose(FWFUZZ_ENV_EMU_LOAD_ADDR, load_addr);
    int rc;

    if (addr_text != NULL && addr_text[0] == '\0')
        addr_text = NULL;
    rc = emu_load_image(d->emu, d->image, addr_text);
    if (rc == EMU_OK)
        return 0;
    if (rc == EMU_ERR_RAW_ADDR)
        fprintf(stderr,
                "emu: to load %s as a raw binary, set %s to its load "
                "address (e.g. 0x08000000)\n",
                d->image, FWFUZZ_ENV_EMU_LOAD_ADDR);
    else if (rc == EMU_ERR_ARG && addr_text != NULL)
        fprintf(stderr, "emu: %s=%s is not a 32-bit address\n",
                FWFUZZ_ENV_EMU_LOAD_ADDR, addr_text);
    return fail(d, "cannot load the image", d->image, rc);
}

int emu_driver_open(struct emu_driver *d, const char *image, const char *board,
                    const char *entry, const char *options,
                    const char *load_addr, const char *extra)
{
    char err[512];
    unsigned long long budget;
    const char *hooks;
    int rc;

    memset(d, 0, sizeof(*d));
    d->image = choose_beside(FWFUZZ_ENV_EMU_IMAGE, FWFUZZ_EMU_BESIDE_IMAGE,
                             &d->beside[0], image);
    d->board_path = choose_beside(FWFUZZ_ENV_EMU_BOARD, FWFUZZ_EMU_BESIDE_BOARD,
                                  &d->beside[1], board);
    d->entry = choose(FWFUZZ_ENV_EMU_ENTRY, entry);
    /* no variable names the .options file: FWFUZZ_EMU_BUDGET overrides
     * the one value the driver reads from it */
    options =
        choose_beside(NULL, FWFUZZ_EMU_BESIDE_OPTIONS, &d->beside[2], options);
    if (d->image[0] == '\0' || d->board_path[0] == '\0' ||
        d->entry[0] == '\0') {
        /* a generic driver, built with no image of its own */
        fprintf(stderr, "emu: no %s given: set %s\n",
                d->image[0] == '\0'        ? "image"
                : d->board_path[0] == '\0' ? "board file"
                                           : "entry",
                d->image[0] == '\0'        ? FWFUZZ_ENV_EMU_IMAGE
                : d->board_path[0] == '\0' ? FWFUZZ_ENV_EMU_BOARD
                                           : FWFUZZ_ENV_EMU_ENTRY);
        emu_driver_close(d);
        return -1;
    }
    if (choose_budget(options, &budget) != 0) {
        emu_driver_close(d);
        return -1;
    }
    err[0] = '\0';
    rc = emu_board_load(d->board_path, &d->board, err, sizeof(err));
    if (rc != EMU_OK) {
        fprintf(stderr, "emu: board %s: %s (%s)\n", d->board_path,
                err[0] ? err : "cannot load", emu_strerror(rc));
        emu_driver_close(d);
        return -1;
    }
    rc = emu_open(d->board, &d->emu);
    if (rc != EMU_OK)
        return fail(d, "cannot open the emulator for board", d->board_path, rc);
    if (load_image(d, load_addr) != 0)
        return -1;
    if (load_extra_images(d, extra) != 0) {
        emu_driver_close(d);
        return -1;
    }
    if (budget > 0)
        emu_set_budget(d->emu, budget);
    if ((hooks = getenv(FWFUZZ_ENV_EMU_HOOKS)) != NULL) {
        if (strcmp(hooks, "full") != 0 && strcmp(hooks, "fast") != 0) {
            fprintf(stderr, "emu: %s=%s: give \"full\" or \"fast\"\n",
                    FWFUZZ_ENV_EMU_HOOKS, hooks);
            emu_driver_close(d);
            return -1;
        }
        emu_set_fast(d->emu, strcmp(hooks, "fast") == 0);
    }
    rc = emu_set_entry(d->emu, d->entry);
    if (rc != EMU_OK) {
        fprintf(stderr, "emu: entry %s in %s: %s (%s)\n", d->entry, d->image,
                emu_last_error(d->emu), emu_strerror(rc));
        emu_driver_close(d);
        return -1;
    }
    return 0;
}

int emu_driver_set_coverage(struct emu_driver *d, uint8_t *map, size_t size)
{
    int rc = emu_set_coverage(d->emu, map, size);

    if (rc == EMU_OK)
        return 0;
    fprintf(stderr, "emu: coverage map of %zu bytes: %s (%s)\n", size,
            emu_last_error(d->emu), emu_strerror(rc));
    return -1;
}

int emu_driver_run(struct emu_driver *d, const uint8_t *data, size_t len,
                   struct emu_result *res)
{
    int rc = emu_run(d->emu, data, len, res);

    if (rc == EMU_OK)
        return 0;
    fprintf(stderr, "emu: cannot run an input of %zu bytes: %s (%s)\n", len,
            emu_last_error(d->emu), emu_strerror(rc));
    return -1;
}

int emu_driver_is_finding(const struct emu_result *res)
{
    return res->stop != EMU_STOP_RETURN;
}

/* The class of the report line: a hang, else the fault's class name. */
static const char *emu_driver_class(const struct emu_result *res)
{
    return res->stop == EMU_STOP_HANG ? FWFUZZ_EMU_CLASS_HANG
                                      : emu_fault_name(res->fault);
}

/* A failed FWFUZZ_CHECK in the guest, printed as the native builds print
 * it: the finding gets the same kind and description as natively
 * (harness/include/fwfuzz/check.h). */
static void print_property(struct emu *e, const struct emu_result *res, FILE *f)
{
    char what[256];

    if (emu_check_message(e, res, what, sizeof(what)) == EMU_OK)
        fprintf(f, FWFUZZ_TAG_PROPERTY " %s\n", what);
}

/* A security oracle's finding, as the native builds print it
 * (fwfuzz/oracle.h): the same class and description in both modes. */
static void print_oracle(struct emu *e, const struct emu_result *res, FILE *f)
{
    char cls[40], what[256];

    if (emu_oracle_finding(e, res, cls, sizeof(cls), what, sizeof(what)) ==
        EMU_OK)
        fprintf(f, FWFUZZ_TAG_ORACLE " %s: %s\n", cls, what);
}

/* What a whole image sent on its UART in the run (its last bytes when it
 * sent many), printable: the output before the finding. */
static void print_uart(struct emu_driver *d, FILE *f)
{
    size_t n, i, from;
    const uint8_t *o = emu_uart_output(d->emu, &n);

    if (o == NULL)
        return;
    from = n > EMU_DRIVER_UART_SHOWN ? n - EMU_DRIVER_UART_SHOWN : 0;
    fprintf(f, "uart output (%zu bytes%s):\n  | ", n,
            from > 0 ? ", the last ones" : "");
    for (i = from; i < n; i++) {
        if (o[i] == '\n')
            fputs("\n  | ", f);
        else if (o[i] >= 0x20 && o[i] < 0x7F)
            fputc(o[i], f);
        else if (o[i] != '\r')
            fprintf(f, "\\x%02x", o[i]);
    }
    fputc('\n', f);
}

void emu_driver_report(struct emu_driver *d, const struct emu_result *res,
                       FILE *f)
{
    char line[512];
    char *text = malloc(EMU_DRIVER_REPORT_MAX);

    /* "CLASS at FUNCTION FILE:LINE": the line fwfuzz describes it by */
    line[0] = '\0';
    emu_summary(d->emu, res, line, sizeof(line));
    if (line[0] == '\0')
        snprintf(line, sizeof(line), "%s at 0x%08x", emu_driver_class(res),
                 (unsigned)res->pc);
    fprintf(f, "%s %s\n", FWFUZZ_TAG_EMU, line);
    print_property(d->emu, res, f);
    print_oracle(d->emu, res, f);
    if (text != NULL) {
        text[0] = '\0';
        if (d->report_full)
            emu_describe_full(d->emu, res, text, EMU_DRIVER_REPORT_MAX);
        else
            emu_describe(d->emu, res, text, EMU_DRIVER_REPORT_MAX);
        fputs(text, f);
        if (text[0] != '\0' && text[strlen(text) - 1] != '\n')
            fputc('\n', f);
        free(text);
    }
    print_uart(d, f);
    fprintf(f, "emu: image %s, entry %s, board %s\n", d->image, d->entry,
            d->board_path);
    fflush(f);
}

int emu_driver_gdb(struct emu_driver *d, unsigned port, const uint8_t *data,
                   size_t len, struct emu_result *res)
{
    char err[256];
    unsigned bound;
    int fd, rc;

    err[0] = '\0';
    rc = emu_gdb_listen(port, &fd, &bound, err, sizeof(err));
    if (rc != EMU_OK) {
        fprintf(stderr, "gdb: cannot listen on 127.0.0.1:%u: %s (%s)\n", port,
                err, emu_strerror(rc));
        return -1;
    }
    fprintf(stderr,
            "gdb: listening on 127.0.0.1:%u; attach with: gdb-multiarch %s "
            "-ex 'target remote :%u'\n",
            bound, d->image, bound);
    fflush(stderr);
    rc = emu_gdb_serve(d->emu, fd, data, len, res);
    close(fd);
    if (rc == EMU_OK)
        return 0;
    if (rc == EMU_GDB_UNFINISHED) {
        fprintf(stderr, "gdb: the debugger left before the run ended\n");
        return 1;
    }
    fprintf(stderr, "gdb: %s (%s)\n", emu_last_error(d->emu), emu_strerror(rc));
    return -1;
}

void emu_driver_close(struct emu_driver *d)
{
    size_t k;

    if (d->emu != NULL)
        emu_close(d->emu);
    if (d->board != NULL)
        emu_board_free(d->board);
    d->emu = NULL;
    d->board = NULL;
    for (k = 0; k < sizeof(d->beside) / sizeof(d->beside[0]); k++) {
        free(d->beside[k]);
        d->beside[k] = NULL;
    }
}
