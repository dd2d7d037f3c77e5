/*
 * fwfuzz-boot: boots a whole firmware image from reset and says what it
 * did (`fwfuzz boot` runs it; docs/rehosting.md).
 *
 *   fwfuzz boot IMAGE --board BOARD.json [--load-addr ADDR]
 *               [--extra FILE@ADDR]... [--input FILE]... [--repeat N]
 *
 * --extra loads a raw binary beside the image (a bootloader's signed
 * slot). Prints the boot report: the UART output, the models the boot found,
 * and where the image waits for input, or where and why it is stuck.
 * Each --input FILE then runs from the post-boot snapshot: its bytes are
 * what the UART receives; the verdict and the UART output are printed.
 * --repeat N runs each input N times and checks that every run gives the
 * same verdict, PC, block count and output (bit-exact replay).
 *
 * Exit codes: 0 it waits for input (and every input ran clean), 1 it
 * does not boot to input, 2 usage, 3 bad board or image, 10 an input
 * faulted or hung, 11 a repeat gave another result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/boot.h"
#include "emu/emu.h"

#define INPUT_MAX  (1u << 20)
#define MAX_INPUTS 64

enum {
    EXIT_WAITS = 0,
    EXIT_STUCK = 1,
    EXIT_USAGE = 2,
    EXIT_SETUP = 3,
    EXIT_FINDING = 10,
    EXIT_NOT_EXACT = 11,
};

static void usage(FILE *f)
{
    fprintf(f, "usage: fwfuzz boot IMAGE --board BOARD.json [--load-addr "
               "ADDR]\n"
               "                  [--extra FILE@ADDR]... [--input FILE]... "
               "[--repeat N]\n"
               "Boots a whole image from reset and reports what it did "
               "(docs/rehosting.md).\n"
               "Exit: 0 waits for input, 1 does not, 2 usage, 3 bad board "
               "or image,\n"
               "      10 an input faulted or hung, 11 a repeat differed.\n");
}

static uint8_t *read_input(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;

    if (f == NULL)
        return NULL;
    buf = malloc(INPUT_MAX);
    if (buf != NULL) {
        *len = fread(buf, 1, INPUT_MAX, f);
        if (ferror(f)) {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

static void print_output(const uint8_t *o, size_t n)
{
    size_t i;

    printf("  uart output (%zu bytes):\n  | ", n);
    for (i = 0; i < n; i++) {
        if (o[i] == '\n')
            printf("\n  | ");
        else if (o[i] == '\r')
            continue;
        else if (o[i] >= 0x20 && o[i] < 0x7F)
            putchar(o[i]);
        else
            printf("\\x%02x", o[i]);
    }
    printf("\n");
}

/* One input, repeat times: 0 clean, EXIT_FINDING, EXIT_NOT_EXACT, or -1. */
static int run_input(struct emu *e, const char *path, unsigned repeat)
{
    static char report[16384];
    struct emu_result first, res;
    uint8_t *in, *out0 = NULL;
    size_t len = 0, n0 = 0, n, used = 0;
    const uint8_t *o;
    unsigned k;
    int rc = 0;

    in = read_input(path, &len);
    if (in == NULL) {
        fprintf(stderr, "fwfuzz boot: cannot read %s\n", path);
        return -1;
    }
    for (k = 0; k < repeat; k++) {
        if (emu_run(e, in, len, &res) != EMU_OK) {
            fprintf(stderr, "fwfuzz boot: %s: %s\n", path, emu_last_error(e));
            rc = -1;
            break;
        }
        o = emu_uart_output(e, &n);
        if (k == 0) {
            used = emu_input_used(e);
            first = res;
            n0 = n;
            out0 = malloc(n ? n : 1);
            if (out0 != NULL)
                memcpy(out0, o, n);
            continue;
        }
        if (res.stop != first.stop || res.fault != first.fault ||
            res.pc != first.pc || res.blocks != first.blocks || n != n0 ||
            (out0 != NULL && memcmp(o, out0, n) != 0)) {
            printf("%s: run %u differs from run 1\n", path, k + 1);
            rc = EXIT_NOT_EXACT;
            break;
        }
    }
    if (rc == 0 || rc == EXIT_NOT_EXACT) {
        emu_summary(e, &first, report, sizeof(report));
        printf("%s (%zu bytes, %zu taken): %s\n", path, len, used, report);
        if (repeat > 1 && rc == 0)
            printf("  %u runs: the same verdict, PC, blocks and output\n",
                   repeat);
        print_output(out0, n0);
        if (rc == 0 && first.stop != EMU_STOP_RETURN) {
            emu_describe(e, &first, report, sizeof(report));
            printf("%s", report);
            rc = EXIT_FINDING;
        }
    }
    free(out0);
    free(in);
    return rc;
}

int main(int argc, char **argv)
{
    static struct emu_boot_report r;
    static char text[65536];
    const char *image = NULL, *board = NULL, *load_addr = NULL;
    const char *inputs[MAX_INPUTS], *extras[MAX_INPUTS];
    unsigned nextras = 0;
    unsigned ninputs = 0, repeat = 1, i;
    struct emu_board *b = NULL;
    struct emu *e = NULL;
    char err[512];
    int rc, status = EXIT_WAITS;

    for (i = 1; i < (unsigned)argc; i++) {
        const char *a = argv[i];

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return EXIT_WAITS;
        } else if (i + 1 < (unsigned)argc && strcmp(a, "--board") == 0) {
            board = argv[++i];
        } else if (i + 1 < (unsigned)argc && strcmp(a, "--load-addr") == 0) {
            load_addr = argv[++i];
        } else if (i + 1 < (unsigned)argc && strcmp(a, "--extra") == 0) {
            if (nextras == MAX_INPUTS || strrchr(argv[i + 1], '@') == NULL) {
                fprintf(stderr,
                        "fwfuzz boot: --extra %s: FILE@ADDRESS, at "
                        "most %d of them\n",
                        argv[i + 1], MAX_INPUTS);
                return EXIT_USAGE;
            }
            extras[nextras++] = argv[++i];
        } else if (i + 1 < (unsigned)argc && strcmp(a, "--input") == 0) {
            if (ninputs == MAX_INPUTS) {
                fprintf(stderr, "fwfuzz boot: at most %d inputs\n", MAX_INPUTS);
                return EXIT_USAGE;
            }
            inputs[ninputs++] = argv[++i];
        } else if (i + 1 < (unsigned)argc && strcmp(a, "--repeat") == 0) {
            char *end;
            unsigned long v = strtoul(argv[++i], &end, 10);

            if (*end != '\0' || v == 0 || v > 1000000) {
                fprintf(stderr, "fwfuzz boot: --repeat %s: a count from 1\n",
                        argv[i]);
                return EXIT_USAGE;
            }
            repeat = (unsigned)v;
        } else if (a[0] == '-' || image != NULL) {
            fprintf(stderr, "fwfuzz boot: unexpected \"%s\"\n", a);
            usage(stderr);
            return EXIT_USAGE;
        } else {
            image = a;
        }
    }
    if (image == NULL || board == NULL) {
        fprintf(stderr, "fwfuzz boot: %s\n",
                image == NULL ? "no image given" : "no --board given");
        usage(stderr);
        return EXIT_USAGE;
    }
    rc = emu_board_load(board, &b, err, sizeof(err));
    if (rc != EMU_OK) {
        fprintf(stderr, "fwfuzz boot: %s\n", err);
        return EXIT_SETUP;
    }
    rc = emu_open(b, &e);
    if (rc != EMU_OK) {
        fprintf(stderr, "fwfuzz boot: %s\n", emu_last_error(NULL));
        emu_board_free(b);
        return EXIT_SETUP;
    }
    rc = emu_load_image(e, image, load_addr);
    for (i = 0; rc == EMU_OK && i < nextras; i++) {
        char file[4096], *at;

        snprintf(file, sizeof(file), "%s", extras[i]);
        at = strrchr(file, '@');
        *at = '\0';
        rc = emu_load_image(e, file, at + 1);
        image = extras[i]; /* the message names what failed */
    }
    if (rc == EMU_OK)
        rc = emu_boot(e, &r);
    if (rc != EMU_OK) {
        fprintf(stderr, "fwfuzz boot: %s: %s (%s)\n", image, emu_last_error(e),
                emu_strerror(rc));
        if (rc == EMU_ERR_RAW_ADDR)
            fprintf(stderr, "fwfuzz boot: give --load-addr for a raw "
                            "binary\n");
        status = EXIT_SETUP;
        goto out;
    }
    emu_boot_describe(e, &r, text, sizeof(text));
    printf("%s", text);
    if (r.end != EMU_BOOT_WAITING) {
        status = EXIT_STUCK;
        goto out;
    }
    for (i = 0; i < ninputs; i++) {
        rc = run_input(e, inputs[i], repeat);
        if (rc < 0) {
            status = EXIT_SETUP;
            break;
        }
        if (rc > status)
            status = rc;
    }
out:
    emu_close(e);
    emu_board_free(b);
    return status;
}
