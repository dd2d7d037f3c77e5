/*
 * fwfuzz repro TARGET INPUT [--mode native|emu] [--gdb]: one input, for a
 * developer. Natively: the symbolised sanitizer report, the signature and
 * the source lines around the top project frame. Under emulation: the
 * emulator's full report (registers, code, call stack with lines, last
 * blocks, what the faulting address is). --gdb: the replay build under
 * gdb stopped at the fault, or the emulated one behind a GDB stub.
 */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmds.h"
#include "engine.h"
#include "exitcode.h"
#include "fsutil.h"
#include "fwfuzz/protocol.h"
#include "proc.h"
#include "repro.h"
#include "util.h"

/* Lines of source shown around the top project frame. */
#define REPRO_CONTEXT 3

/* The lines of file around line, the line itself marked. */
static void show_source(const char *file, int line)
{
    FILE *f = fopen(file, "r");
    char buf[512];
    int no = 0;

    if (f == NULL) {
        printf("(source %s not found)\n", file);
        return;
    }
    printf("\n%s:%d\n", file, line);
    while (fgets(buf, sizeof(buf), f) != NULL && no < line + REPRO_CONTEXT) {
        no++;
        if (no >= line - REPRO_CONTEXT)
            printf("%s %5d  %s%s", no == line ? "=>" : "  ", no, buf,
                   strchr(buf, '\n') != NULL ? "" : "\n");
    }
    fclose(f);
}

/* The signature, the stack with project frames marked and, natively, the
 * source around the location (the emulated full report has its own). */
static void show_signature(const struct crash_sig *s, int source)
{
    const struct sig_frame *top = sig_location(s);
    unsigned i;

    printf("\nverdict:   %s%s%s", s->cls, s->access[0] ? " " : "", s->access);
    if (s->size > 0)
        printf(" of size %u", s->size);
    if (s->message[0] != '\0')
        printf(" (%s)", s->message);
    printf("\nsignature: %s\n", s->key);
    printf("stack (project frames marked *):\n");
    for (i = 0; i < s->nframes; i++)
        printf("  %s #%-2u %s %s%s%.0d\n", s->frames[i].project ? "*" : " ", i,
               s->frames[i].func[0] ? s->frames[i].func : "??",
               s->frames[i].file, s->frames[i].line > 0 ? ":" : "",
               s->frames[i].line);
    if (source && top != NULL && top->line > 0)
        show_source(top->file, top->line);
}

/*
 * Natively: gdb on the replay build, run with the input; the sanitizers
 * abort at the report so gdb stops at the fault. Replaces this process.
 */
static int native_gdb(const struct repro *r, const char *input)
{
    char *gdb = fs_which("gdb");
    size_t i;

    if (gdb == NULL) {
        fw_msg("repro: gdb not found (Debian package gdb)");
        return FW_EXIT_CONFIG;
    }
    for (i = 0; i < r->env.n; i++)
        putenv(r->env.v[i]);
    setenv("ASAN_OPTIONS", "abort_on_error=1:handle_abort=1:symbolize=1", 0);
    setenv("UBSAN_OPTIONS",
           "abort_on_error=1:print_stacktrace=1:halt_on_error=1", 0);
    {
        char *const argv[] = {
            gdb,   "-q",          "-ex", "set confirm off", "-ex",
            "run", "-ex",         "bt",  "--args",          (char *)r->bin,
            "-q",  (char *)input, NULL};

        execv(gdb, argv);
    }
    fw_msg("repro: cannot run %s: %s", gdb, strerror(errno));
    free(gdb);
    return FW_EXIT_ENGINE;
}

/*
 * Under emulation: the replay build's GDB stub (it prints the port and the
 * command that attaches), then its full report once gdb detaches. The
 * exit status is repro's: 10 when the input failed.
 */
static int emu_gdb(const struct repro *r, const char *input)
{
    char *const argv[] = {(char *)r->bin, "--report", "full", "--gdb", "0",
                          (char *)input,  NULL};
    int status = 0;
    pid_t pid = fork();
    size_t i;

    if (pid < 0) {
        fw_msg("repro: cannot start %s: %s", r->bin, strerror(errno));
        return FW_EXIT_ENGINE;
    }
    if (pid == 0) {
        for (i = 0; i < r->env.n; i++)
            putenv(r->env.v[i]);
        execv(r->bin, argv);
        fw_msg("repro: cannot run %s: %s", r->bin, strerror(errno));
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) == 127)
        return FW_EXIT_ENGINE;
    switch (WEXITSTATUS(status)) {
    case FWFUZZ_DRIVER_OK:
        return FW_EXIT_OK;
    case FWFUZZ_DRIVER_FINDING:
        return FW_EXIT_FINDINGS;
    case FWFUZZ_DRIVER_USAGE:
        return FW_EXIT_USAGE;
    default:
        return FW_EXIT_ENGINE;
    }
}

/* X.json with X.bin beside it is a case's description, not its input:
 * replaying the JSON text would "run clean" and look like a fix. */
static int is_case_description(const char *input)
{
    size_t len = strlen(input);
    char *bin;
    int rc;

    if (len <= 5 || strcmp(input + len - 5, ".json") != 0)
        return 0;
    bin = fw_xasprintf("%.*s.bin", (int)(len - 5), input);
    rc = access(bin, R_OK) == 0;
    if (rc)
        fw_msg("repro: %s is a crash case's description: its input is %s",
               input, bin);
    free(bin);
    return rc;
}

int cmd_repro(const struct cli *c)
{
    struct manifest m;
    const struct manifest_target *t;
    struct repro r;
    enum fw_mode mode;
    struct crash_sig s;
    const char *input = c->paths[0];
    char why[1024], *out = NULL;
    enum repro_verdict v;
    int rc = cmd_load_manifest(c, &m);

    if (rc != 0)
        return rc;
    t = cmd_find_target(&m, c->target);
    if (t == NULL) {
        manifest_free(&m);
        return FW_EXIT_CONFIG;
    }
    if (is_case_description(input)) {
        manifest_free(&m);
        return FW_EXIT_USAGE;
    }
    if (access(input, R_OK) != 0 || fs_is_dir(input)) {
        fw_msg("repro: cannot read %s: %s", input,
               fs_is_dir(input) ? "a folder (name one input)"
                                : strerror(errno));
        manifest_free(&m);
        return FW_EXIT_IO;
    }
    rc = cmd_target_mode(c, t, &mode);
    if (rc != 0) {
        manifest_free(&m);
        return rc;
    }
    if (repro_init(&r, t, mode, c->emu_plain, c->timeout_s, why, sizeof(why)) !=
        0) {
        fw_msg("repro: %s", why);
        manifest_free(&m);
        return FW_EXIT_CONFIG;
    }
    if (c->gdb) {
        rc = mode == FW_MODE_EMU ? emu_gdb(&r, input) : native_gdb(&r, input);
        repro_free(&r);
        manifest_free(&m);
        return rc;
    }
    proc_signals_install();
    r.full_report = 1;
    v = repro_run(&r, input, &s, &out, why, sizeof(why));
    switch (v) {
    case REPRO_FINDING:
        fputs(out, stdout);
        show_signature(&s, mode == FW_MODE_NATIVE);
        rc = FW_EXIT_FINDINGS;
        break;
    case REPRO_CLEAN:
        printf("%s: ran clean in %s (%s)\n", input, fw_basename(r.bin),
               fw_mode_name(mode));
        rc = FW_EXIT_OK;
        break;
    case REPRO_INTERRUPTED:
        rc = FW_EXIT_INTERRUPTED;
        break;
    default:
        fw_msg("repro: %s", why);
        if (out != NULL)
            fputs(out, stderr);
        rc = FW_EXIT_ENGINE;
        break;
    }
    free(out);
    repro_free(&r);
    manifest_free(&m);
    return rc;
}
