/*
 * fwfuzz-glitch: single-fault injection on a bootloader's boot (`fwfuzz
 * glitch` runs it; docs/glitch.md).
 *
 *   fwfuzz glitch IMAGE --board BOARD.json --extra SLOT@ADDR
 *                 [--load-addr ADDR] [--tamper OFFSET|none]
 *                 [--model skip|zero]
 *                 [--functions F1,F2,...] [--budget BLOCKS] [--json FILE]
 *                 [--fault ADDR[:N]]
 *
 * The slot is tampered (one byte of its body flipped, or the byte at
 * OFFSET; with none it is loaded as it is: an authentic image the policy
 * refuses, e.g. a rollback), loaded at ADDR beside the image, and the
 * image boots from
 * reset without a fault: it must refuse the slot (sleep with nothing to
 * wake it, never run an instruction inside the slot). Then every
 * instruction that boot ran outside the slot (or in the --functions
 * named) is faulted once, its first execution, in a boot of its own from
 * the same reset state; a boot that then runs an instruction inside the
 * slot is a glitch-bypass finding. --fault replays one fault (the Nth
 * execution of the instruction at ADDR) with a full report.
 *
 * Exit codes: 0 no bypass, 1 the boot without a fault does not refuse the
 * slot, 2 usage, 3 bad board, image or slot, 10 a bypass.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "emu/boot.h"
#include "emu/emu.h"
#include "emu/glitch.h"

#define SLOT_MAX       (16u << 20)
#define TAMPER_DEFAULT (-1) /* the middle of the body */
#define TAMPER_NONE    (-2)
#define MAX_FUNCTIONS  64

/* What a finding is, for triage (harness/fwfuzz/crashsig.c rates it). */
#define GLITCH_CLASS    "glitch-bypass"
#define GLITCH_CWE      1332
#define GLITCH_SEVERITY "critical"

enum {
    EXIT_NONE = 0,
    EXIT_NOT_SECURE = 1,
    EXIT_USAGE = 2,
    EXIT_SETUP = 3,
    EXIT_BYPASS = 10,
};

struct opts {
    const char *image, *board, *load_addr, *extra, *json;
    const char *functions[MAX_FUNCTIONS];
    unsigned nfunctions;
    long tamper; /* TAMPER_DEFAULT, TAMPER_NONE, or the offset */
    enum emu_glitch_model model;
    uint64_t budget;
    int have_fault;
    struct emu_glitch_fault fault;
};

struct bypass {
    uint32_t addr;
    uint64_t first;
    uint32_t slot_pc;
    uint64_t blocks;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: fwfuzz glitch IMAGE --board BOARD.json --extra SLOT@ADDR\n"
            "                     [--load-addr ADDR] [--tamper OFFSET|none] "
            "[--model skip|zero]\n"
            "                     [--functions F1,F2,...] [--budget BLOCKS] "
            "[--json FILE]\n"
            "                     [--fault ADDR[:N]]\n"
            "Boots the bootloader IMAGE with a tampered slot once per "
            "instruction of its\n"
            "boot, that instruction faulted, and reports each fault that "
            "makes it run the\n"
            "slot (docs/glitch.md).\n"
            "Exit: 0 no bypass, 1 the boot without a fault does not refuse "
            "the slot,\n"
            "      2 usage, 3 bad board, image or slot, 10 a bypass.\n");
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 0);
    if (*end != '\0' || errno != 0)
        return -1;
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    int i;

    memset(o, 0, sizeof(*o));
    o->tamper = TAMPER_DEFAULT;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(EXIT_NONE);
        } else if (v != NULL && strcmp(a, "--board") == 0) {
            o->board = v;
        } else if (v != NULL && strcmp(a, "--load-addr") == 0) {
            o->load_addr = v;
        } else if (v != NULL && strcmp(a, "--extra") == 0) {
            if (o->extra != NULL || strrchr(v, '@') == NULL) {
                fprintf(stderr,
                        "fwfuzz glitch: --extra %s: one FILE@ADDRESS, "
                        "the slot\n",
                        v);
                return -1;
            }
            o->extra = v;
        } else if (v != NULL && strcmp(a, "--json") == 0) {
            o->json = v;
        } else if (v != NULL && strcmp(a, "--tamper") == 0) {
            if (strcmp(v, "none") == 0) {
                o->tamper = TAMPER_NONE;
            } else if (parse_u64(v, &n) != 0 || n >= SLOT_MAX) {
                fprintf(stderr,
                        "fwfuzz glitch: --tamper %s: a byte offset "
                        "in the slot, or none\n",
                        v);
                return -1;
            } else {
                o->tamper = (long)n;
            }
        } else if (v != NULL && strcmp(a, "--model") == 0) {
            if (strcmp(v, "skip") == 0) {
                o->model = EMU_GLITCH_SKIP;
            } else if (strcmp(v, "zero") == 0) {
                o->model = EMU_GLITCH_ZERO;
            } else {
                fprintf(stderr, "fwfuzz glitch: --model %s: skip or zero\n", v);
                return -1;
            }
        } else if (v != NULL && strcmp(a, "--budget") == 0) {
            if (parse_u64(v, &o->budget) != 0 || o->budget == 0) {
                fprintf(stderr,
                        "fwfuzz glitch: --budget %s: basic blocks "
                        "per boot, from 1\n",
                        v);
                return -1;
            }
        } else if (v != NULL && strcmp(a, "--functions") == 0) {
            char *list = argv[i + 1], *tok, *save = NULL;

            for (tok = strtok_r(list, ",", &save); tok != NULL;
                 tok = strtok_r(NULL, ",", &save)) {
                if (o->nfunctions == MAX_FUNCTIONS) {
                    fprintf(stderr, "fwfuzz glitch: at most %d functions\n",
                            MAX_FUNCTIONS);
                    return -1;
                }
                o->functions[o->nfunctions++] = tok;
            }
        } else if (v != NULL && strcmp(a, "--fault") == 0) {
            char buf[64], *colon;
            uint64_t addr, nth = 1;

            snprintf(buf, sizeof(buf), "%s", v);
            colon = strchr(buf, ':');
            if (colon != NULL)
                *colon = '\0';
            if (parse_u64(buf, &addr) != 0 || addr > UINT32_MAX ||
                (colon != NULL && (parse_u64(colon + 1, &nth) != 0 ||
                                   nth == 0 || nth > UINT32_MAX))) {
                fprintf(stderr,
                        "fwfuzz glitch: --fault %s: ADDR or ADDR:N "
                        "(N from 1)\n",
                        v);
                return -1;
            }
            o->have_fault = 1;
            o->fault.addr = (uint32_t)addr & ~1u;
            o->fault.nth = (uint32_t)nth;
        } else if (a[0] == '-' || o->image != NULL) {
            fprintf(stderr, "fwfuzz glitch: unexpected \"%s\"\n", a);
            return -1;
        } else {
            o->image = a;
            continue;
        }
        i++;
    }
    if (o->image == NULL || o->board == NULL || o->extra == NULL) {
        fprintf(stderr, "fwfuzz glitch: %s\n",
                o->image == NULL   ? "no image given"
                : o->board == NULL ? "no --board given"
                                   : "no --extra SLOT@ADDR given");
        return -1;
    }
    o->fault.model = o->model;
    return 0;
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;

    if (f == NULL)
        return NULL;
    buf = malloc(SLOT_MAX);
    if (buf != NULL) {
        *len = fread(buf, 1, SLOT_MAX, f);
        if (ferror(f) || *len == 0 || *len == SLOT_MAX) {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

/*
 * The byte flipped by default: the middle of the body of a bootverify
 * image (docs/image-format.md: magic "FWBV", u16 header_size at 4, u32
 * image_size at 8), else the middle of the slot.
 */
static size_t default_tamper(const uint8_t *s, size_t len, int *in_body)
{
    uint32_t hs, body;

    *in_body = 0;
    if (len >= 12 && memcmp(s, "FWBV", 4) == 0) {
        hs = (uint32_t)s[4] | ((uint32_t)s[5] << 8);
        body = (uint32_t)s[8] | ((uint32_t)s[9] << 8) |
               ((uint32_t)s[10] << 16) | ((uint32_t)s[11] << 24);
        if (body > 0 && hs < len && body <= len - hs) {
            *in_body = 1;
            return hs + body / 2;
        }
    }
    return len / 2;
}

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* "main /src/boot_main.c:42", "main+0x1c", "0x08000154". */
static void where(struct emu *e, uint32_t addr, char *buf, size_t len)
{
    struct emu_location loc;

    emu_locate(e, addr, &loc);
    if (loc.function != NULL && loc.file != NULL)
        snprintf(buf, len, "%s %s:%d", loc.function, loc.file, loc.line);
    else if (loc.function != NULL)
        snprintf(buf, len, "%s+0x%" PRIx32, loc.function, loc.offset);
    else
        snprintf(buf, len, "0x%08" PRIx32, addr);
}

static int wanted(struct emu *e, const struct opts *o, uint32_t addr)
{
    struct emu_location loc;
    unsigned i;

    if (o->nfunctions == 0)
        return 1;
    if (emu_locate(e, addr, &loc) != EMU_OK)
        return 0;
    for (i = 0; i < o->nfunctions; i++)
        if (strcmp(loc.function, o->functions[i]) == 0)
            return 1;
    return 0;
}

/* Whether the model applies to the instruction (emu_glitch_run says why
 * not). */
static int faultable(const struct opts *o, const struct emu_glitch_insn *in)
{
    return o->model == EMU_GLITCH_ZERO ? in->writes != 0 : !in->no_skip;
}

static void print_uart(const struct emu_boot_report *b)
{
    size_t i;

    printf("  uart output (%zu bytes):\n  | ", b->uart_len);
    for (i = 0; i < b->uart_len; i++) {
        if (b->uart[i] == '\n')
            printf("\n  | ");
        else if (b->uart[i] == '\r')
            continue;
        else if (b->uart[i] >= 0x20 && b->uart[i] < 0x7F)
            putchar(b->uart[i]);
        else
            printf("\\x%02x", b->uart[i]);
    }
    printf("\n");
}

/* The reproducer of one fault: this tool's arguments, --fault added. */
static void print_replay(const struct opts *o, long tamper, uint32_t addr,
                         uint32_t nth)
{
    printf("  replay: fwfuzz glitch %s --board %s --extra %s --tamper ",
           o->image, o->board, o->extra);
    if (tamper < 0)
        printf("none");
    else
        printf("%ld", tamper);
    printf(" --model %s --fault 0x%08" PRIx32, emu_glitch_model_name(o->model),
           addr);
    if (nth > 1)
        printf(":%" PRIu32, nth);
    if (o->load_addr != NULL)
        printf(" --load-addr %s", o->load_addr);
    printf("\n");
}

/* The finding's lines: the emulated report's first line, then the fault. */
static void print_finding(struct emu *e, struct emu_glitch *g,
                          const struct opts *o, long tamper,
                          const struct emu_glitch_insn *in, uint32_t nth,
                          const struct emu_glitch_result *r)
{
    char loc[512], text[128];

    where(e, in->addr, loc, sizeof(loc));
    emu_glitch_insn_text(g, in->addr, text, sizeof(text));
    printf("==FWFUZZ-EMU== " GLITCH_CLASS " at %s\n", loc);
    printf("  fault: %s, execution %" PRIu32 " of 0x%08" PRIx32 ": %s (first "
           "run as instruction %" PRIu64 " of the boot)\n",
           emu_glitch_model_name(o->model), nth, in->addr, text, in->first);
    printf("  then the boot ran the slot at 0x%08" PRIx32 " after %" PRIu64
           " blocks\n",
           r->pc, r->blocks);
    printf("  class " GLITCH_CLASS ", CWE-%d, severity " GLITCH_SEVERITY
           ": one glitch defeats secure boot\n",
           GLITCH_CWE);
    print_replay(o, tamper, in->addr, nth);
}

static void print_regs(const uint32_t *regs)
{
    static const char *const names[17] = {"r0",  "r1", "r2", "r3", "r4",  "r5",
                                          "r6",  "r7", "r8", "r9", "r10", "r11",
                                          "r12", "sp", "lr", "pc", "xpsr"};
    unsigned i;

    printf("registers:\n");
    for (i = 0; i < 17; i++)
        printf("  %-4s 0x%08" PRIx32 "%s", names[i], regs[i],
               i % 4 == 3 || i == 16 ? "\n" : "");
}

/* --fault: one boot, everything about it. */
static int replay_one(struct emu *e, struct emu_glitch *g, const struct opts *o,
                      long tamper)
{
    static char text[65536];
    const struct emu_glitch_insn *in = emu_glitch_insn_at(g, o->fault.addr);
    struct emu_glitch_result r;
    char loc[512];

    if (emu_glitch_run(g, &o->fault, &r) != EMU_OK) {
        fprintf(stderr, "fwfuzz glitch: --fault: %s\n", emu_last_error(e));
        return EXIT_USAGE;
    }
    if (r.end == EMU_GLITCH_BYPASS) {
        print_finding(e, g, o, tamper, in, o->fault.nth, &r);
    } else {
        where(e, in->addr, loc, sizeof(loc));
        printf("glitch: no bypass: %s of 0x%08" PRIx32
               " (%s), execution %" PRIu32 ": the boot ended %s%s\n",
               emu_glitch_model_name(o->model), in->addr, loc, o->fault.nth,
               emu_glitch_end_name(r.end),
               r.applied ? "" : " (the fault never happened)");
    }
    printf("faulted instruction:\n");
    emu_glitch_disasm(g, in->addr, text, sizeof(text));
    printf("%s", text);
    where(e, r.pc, loc, sizeof(loc));
    printf("end: %s after %" PRIu64 " blocks at 0x%08" PRIx32 " (%s)\n",
           emu_glitch_end_name(r.end), r.blocks, r.pc, loc);
    if (r.end == EMU_GLITCH_CRASH) {
        emu_describe(e, &r.boot->res, text, sizeof(text));
        printf("%s", text);
    } else {
        emu_boot_describe(e, r.boot, text, sizeof(text));
        if (r.end != EMU_GLITCH_BYPASS)
            printf("%s", text);
        print_regs(r.regs);
        if (r.end != EMU_GLITCH_BYPASS) {
            emu_glitch_disasm(g, r.pc, text, sizeof(text));
            printf("code at the end:\n%s", text);
        }
    }
    print_uart(r.boot);
    return r.end == EMU_GLITCH_BYPASS ? EXIT_BYPASS : EXIT_NONE;
}

/* Bypasses grouped by function, as triage groups crashes. */
static void print_groups(struct emu *e, struct emu_glitch *g,
                         const struct bypass *b, size_t n)
{
    char *done = calloc(n + 1, 1), text[128];
    struct emu_location li, lj;
    size_t i, j, count;

    if (done == NULL || n == 0) {
        free(done);
        return;
    }
    printf("glitch: bypasses by function:\n");
    for (i = 0; i < n; i++) {
        if (done[i])
            continue;
        emu_locate(e, b[i].addr, &li);
        for (count = 0, j = i; j < n; j++) {
            emu_locate(e, b[j].addr, &lj);
            if (!done[j] && (li.function == lj.function ||
                             (li.function != NULL && lj.function != NULL &&
                              strcmp(li.function, lj.function) == 0)))
                count++;
        }
        printf("  %s (%s): %zu\n", li.function ? li.function : "?",
               li.file ? li.file : "no source", count);
        for (j = i; j < n; j++) {
            emu_locate(e, b[j].addr, &lj);
            if (done[j] || !(li.function == lj.function ||
                             (li.function != NULL && lj.function != NULL &&
                              strcmp(li.function, lj.function) == 0)))
                continue;
            done[j] = 1;
            emu_glitch_insn_text(g, b[j].addr, text, sizeof(text));
            printf("    0x%08" PRIx32 " line %d: %s\n", b[j].addr, lj.line,
                   text);
        }
    }
    free(done);
}

static int write_json(struct emu *e, struct emu_glitch *g, const struct opts *o,
                      size_t slot_len, uint32_t slot_addr, long tamper,
                      size_t candidates, const size_t *ends,
                      const struct bypass *b, size_t n, double per_run)
{
    cJSON *root = cJSON_CreateObject(), *arr, *f, *out;
    char tmp[4096], text[128], hex[16], loc[512];
    struct emu_location l;
    char *s;
    FILE *fp;
    size_t i;
    int rc = 0;

    if (root == NULL)
        return -1;
    cJSON_AddStringToObject(root, "tool", "fwfuzz glitch");
    cJSON_AddStringToObject(root, "image", o->image);
    cJSON_AddStringToObject(root, "board", o->board);
    cJSON_AddStringToObject(root, "slot", o->extra);
    snprintf(hex, sizeof(hex), "0x%08" PRIx32, slot_addr);
    cJSON_AddStringToObject(root, "slot_address", hex);
    cJSON_AddNumberToObject(root, "slot_size", (double)slot_len);
    if (tamper >= 0)
        cJSON_AddNumberToObject(root, "tamper_offset", (double)tamper);
    else
        cJSON_AddNullToObject(root, "tamper_offset");
    cJSON_AddStringToObject(root, "model", emu_glitch_model_name(o->model));
    cJSON_AddNumberToObject(root, "candidates", (double)candidates);
    cJSON_AddNumberToObject(root, "runs", (double)candidates);
    cJSON_AddNumberToObject(root, "seconds_per_run", per_run);
    out = cJSON_AddObjectToObject(root, "ends");
    for (i = 0; i <= EMU_GLITCH_OTHER; i++)
        cJSON_AddNumberToObject(
            out, emu_glitch_end_name((enum emu_glitch_end)i), (double)ends[i]);
    cJSON_AddNumberToObject(root, "bypasses", (double)n);
    arr = cJSON_AddArrayToObject(root, "findings");
    for (i = 0; arr != NULL && i < n; i++) {
        f = cJSON_CreateObject();
        if (f == NULL)
            break;
        emu_locate(e, b[i].addr, &l);
        where(e, b[i].addr, loc, sizeof(loc));
        snprintf(text, sizeof(text), GLITCH_CLASS " at %s", loc);
        cJSON_AddStringToObject(f, "summary", text);
        cJSON_AddStringToObject(f, "class", GLITCH_CLASS);
        cJSON_AddNumberToObject(f, "cwe", GLITCH_CWE);
        cJSON_AddStringToObject(f, "severity", GLITCH_SEVERITY);
        cJSON_AddStringToObject(f, "model", emu_glitch_model_name(o->model));
        snprintf(hex, sizeof(hex), "0x%08" PRIx32, b[i].addr);
        cJSON_AddStringToObject(f, "address", hex);
        cJSON_AddNumberToObject(f, "execution", 1);
        cJSON_AddNumberToObject(f, "instruction", (double)b[i].first);
        cJSON_AddStringToObject(f, "function", l.function ? l.function : "");
        cJSON_AddStringToObject(f, "file", l.file ? l.file : "");
        cJSON_AddNumberToObject(f, "line", l.line);
        emu_glitch_insn_text(g, b[i].addr, text, sizeof(text));
        cJSON_AddStringToObject(f, "disassembly", text);
        snprintf(hex, sizeof(hex), "0x%08" PRIx32, b[i].slot_pc);
        cJSON_AddStringToObject(f, "slot_pc", hex);
        cJSON_AddNumberToObject(f, "blocks", (double)b[i].blocks);
        cJSON_AddItemToArray(arr, f);
    }
    s = cJSON_Print(root);
    cJSON_Delete(root);
    if (s == NULL)
        return -1;
    /* A reader sees the old file or the whole new one. */
    snprintf(tmp, sizeof(tmp), "%s.tmp", o->json);
    fp = fopen(tmp, "w");
    if (fp == NULL || fputs(s, fp) < 0 || fputc('\n', fp) < 0)
        rc = -1;
    if (fp != NULL && fclose(fp) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, o->json) != 0)
        rc = -1;
    if (rc != 0)
        remove(tmp);
    free(s);
    return rc;
}

/* Says why the boot without a fault is no secure baseline. */
static void not_secure(struct emu *e, const struct emu_glitch_result *ref)
{
    static char text[65536];
    char loc[512];

    if (ref->end == EMU_GLITCH_BYPASS) {
        where(e, ref->pc, loc, sizeof(loc));
        fprintf(stderr,
                "fwfuzz glitch: without any fault the boot runs the "
                "tampered slot (at 0x%08" PRIx32 ", %s): it is not refused, "
                "so there is nothing a glitch could bypass; give --tamper "
                "an offset the verifier checks, or a slot it refuses\n",
                ref->pc, loc);
        return;
    }
    fprintf(stderr,
            "fwfuzz glitch: without any fault the boot does not end in the "
            "secure state (asleep, nothing to wake it) but %s:\n",
            emu_glitch_end_name(ref->end));
    emu_boot_describe(e, ref->boot, text, sizeof(text));
    fprintf(stderr, "%s", text);
}

int main(int argc, char **argv)
{
    struct opts o;
    struct emu_board *b = NULL;
    struct emu *e = NULL;
    struct emu_glitch *g = NULL;
    const struct emu_glitch_result *ref;
    const struct emu_glitch_insn *trace;
    struct bypass *found = NULL;
    size_t ntrace, slot_len = 0, i, candidates = 0, nfound = 0;
    long tamper = TAMPER_NONE;
    size_t unmodelled = 0;
    size_t ends[EMU_GLITCH_OTHER + 1] = {0};
    uint8_t *slot = NULL, before;
    uint64_t slot_addr;
    char err[512], file[4096], loc[512], *at;
    double t0, elapsed;
    int rc, status = EXIT_NONE, in_body = 0;

    if (parse_args(argc, argv, &o) != 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    snprintf(file, sizeof(file), "%s", o.extra);
    at = strrchr(file, '@');
    *at = '\0';
    if (parse_u64(at + 1, &slot_addr) != 0 || slot_addr > UINT32_MAX) {
        fprintf(stderr,
                "fwfuzz glitch: --extra %s: the address is not a "
                "32-bit number\n",
                o.extra);
        return EXIT_USAGE;
    }
    slot = read_file(file, &slot_len);
    if (slot == NULL || slot_len > UINT32_MAX - slot_addr) {
        fprintf(stderr, "fwfuzz glitch: %s: %s\n", file,
                slot == NULL ? "cannot read it, or it is empty or too large"
                             : "does not fit below 4 GiB at that address");
        free(slot);
        return EXIT_SETUP;
    }
    if (o.tamper != TAMPER_NONE) {
        tamper = o.tamper >= 0 ? o.tamper
                               : (long)default_tamper(slot, slot_len, &in_body);
        if ((size_t)tamper >= slot_len) {
            fprintf(stderr,
                    "fwfuzz glitch: --tamper %ld: the slot has %zu bytes\n",
                    tamper, slot_len);
            free(slot);
            return EXIT_USAGE;
        }
        before = slot[tamper];
        slot[tamper] ^= 0xFFu;
        printf("glitch: tampered slot %s: byte %ld (0x%08" PRIx64
               "%s) 0x%02x -> 0x%02x\n",
               file, tamper, slot_addr + (uint64_t)tamper,
               o.tamper >= 0 ? ""
               : in_body     ? ", the middle of the body"
                             : "",
               before, slot[tamper]);
    } else {
        printf("glitch: slot %s as it is (--tamper none)\n", file);
    }

    rc = emu_board_load(o.board, &b, err, sizeof(err));
    if (rc != EMU_OK) {
        fprintf(stderr, "fwfuzz glitch: %s\n", err);
        free(slot);
        return EXIT_SETUP;
    }
    rc = emu_open(b, &e);
    if (rc != EMU_OK) {
        fprintf(stderr, "fwfuzz glitch: %s\n", emu_last_error(NULL));
        status = EXIT_SETUP;
        goto out;
    }
    rc = emu_load_image(e, o.image, o.load_addr);
    if (rc == EMU_OK)
        rc = emu_load_bin_mem(e, slot, slot_len, (uint32_t)slot_addr);
    if (rc == EMU_OK)
        rc = emu_glitch_open(e, (uint32_t)slot_addr, (uint32_t)slot_len,
                             o.budget, &g);
    if (rc != EMU_OK) {
        fprintf(stderr, "fwfuzz glitch: %s (%s)\n", emu_last_error(e),
                emu_strerror(rc));
        status = EXIT_SETUP;
        goto out;
    }
    ref = emu_glitch_reference(g);
    trace = emu_glitch_trace(g, &ntrace);
    if (ref->end != EMU_GLITCH_SECURE) {
        not_secure(e, ref);
        status = EXIT_NOT_SECURE;
        goto out;
    }
    where(e, ref->pc, loc, sizeof(loc));
    printf("glitch: without a fault the boot refuses the slot: it sleeps "
           "after %" PRIu64 " blocks at 0x%08" PRIx32 " (%s)\n",
           ref->blocks, ref->pc, loc);
    print_uart(ref->boot);
    if (o.have_fault) {
        if (emu_glitch_insn_at(g, o.fault.addr) == NULL) {
            fprintf(stderr,
                    "fwfuzz glitch: --fault 0x%08" PRIx32 ": the boot "
                    "without a fault runs no instruction there\n",
                    o.fault.addr);
            status = EXIT_USAGE;
            goto out;
        }
        status = replay_one(e, g, &o, tamper);
        goto out;
    }

    found = calloc(ntrace + 1, sizeof(*found));
    if (found == NULL) {
        fprintf(stderr, "fwfuzz glitch: out of memory\n");
        status = EXIT_SETUP;
        goto out;
    }
    for (i = 0; i < ntrace; i++) {
        if (!wanted(e, &o, trace[i].addr))
            continue;
        if (faultable(&o, &trace[i]))
            candidates++;
        else
            unmodelled++;
    }
    printf("glitch: the boot ran %zu distinct instructions outside the slot "
           "from reset to its refusal; candidates: %zu (%s, each its first "
           "execution)",
           ntrace, candidates, o.nfunctions ? "in the --functions" : "all");
    if (unmodelled > 0)
        printf("; left out: %zu %s", unmodelled,
               o.model == EMU_GLITCH_ZERO
                   ? "that write no r0-r12 or LR, or write PC or SP"
                   : "in IT blocks after a member that sets the flags");
    printf("\n");
    fflush(stdout);
    t0 = now();
    for (i = 0; i < ntrace; i++) {
        const struct emu_glitch_insn *in = &trace[i];
        struct emu_glitch_fault f = {in->addr, 1, o.model};
        struct emu_glitch_result r;

        if (!wanted(e, &o, in->addr) || !faultable(&o, in))
            continue;
        if (emu_glitch_run(g, &f, &r) != EMU_OK) {
            fprintf(stderr, "fwfuzz glitch: 0x%08" PRIx32 ": %s\n", in->addr,
                    emu_last_error(e));
            status = EXIT_SETUP;
            goto out;
        }
        ends[r.end]++;
        if (r.end != EMU_GLITCH_BYPASS)
            continue;
        found[nfound].addr = in->addr;
        found[nfound].first = in->first;
        found[nfound].slot_pc = r.pc;
        found[nfound].blocks = r.blocks;
        nfound++;
        print_finding(e, g, &o, tamper, in, 1, &r);
        fflush(stdout);
    }
    elapsed = now() - t0;
    print_groups(e, g, found, nfound);
    printf("glitch: ends: %zu secure, %zu bypass, %zu crash, %zu hang, %zu "
           "other\n",
           ends[EMU_GLITCH_SECURE], ends[EMU_GLITCH_BYPASS],
           ends[EMU_GLITCH_CRASH], ends[EMU_GLITCH_HANG],
           ends[EMU_GLITCH_OTHER]);
    printf("glitch: %zu candidate instructions, %zu runs, %zu single-glitch "
           "bypasses (%s), %.4f s per run\n",
           candidates, candidates, nfound, emu_glitch_model_name(o.model),
           candidates ? elapsed / (double)candidates : 0.0);
    if (o.json != NULL &&
        write_json(e, g, &o, slot_len, (uint32_t)slot_addr, tamper, candidates,
                   ends, found, nfound,
                   candidates ? elapsed / (double)candidates : 0.0) != 0) {
        fprintf(stderr, "fwfuzz glitch: cannot write %s\n", o.json);
        status = EXIT_SETUP;
        goto out;
    }
    status = nfound > 0 ? EXIT_BYPASS : EXIT_NONE;
out:
    emu_glitch_close(g);
    emu_close(e);
    emu_board_free(b);
    free(found);
    free(slot);
    return status;
}
