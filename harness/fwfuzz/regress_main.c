/*
 * fwfuzz_regress: the regression test of stored crash cases (CTest label
 * "regress"; docs/triage.md). One cmocka test per mode the case has a
 * signature for, each replaying <id>.bin through the target's replay build:
 *
 *   open case   must still fail with the same signature (a known bug keeps
 *               CI green; a change in how it fails turns it red);
 *               with --strict (or FWFUZZ_REGRESS_STRICT=1) it fails anyway
 *   fixed case  must run clean
 *
 *   fwfuzz_regress [--manifest FILE] [--strict] CASE.json
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "manifest.h"
#include "repro.h"
#include "store.h"

/* Replays of a flaky case before it counts as not failing any more. */
#define REGRESS_FLAKY_TRIES 3

static struct {
    struct manifest m;
    const struct manifest_target *t;
    struct store_case c;
    char *bin; /* <regress>/<id>.bin */
    int strict;
} g;

/* Replays the case in mode; fails the current test unless the verdict is
 * what the case's status promises. */
static void check_mode(enum fw_mode mode, int mi)
{
    struct repro r;
    struct crash_sig s;
    char why[1024];
    enum repro_verdict v = REPRO_CLEAN;
    int tries = g.c.flaky ? REGRESS_FLAKY_TRIES : 1, i;

    if (g.c.sig[mi][0] == '\0') {
        print_message("no %s signature in case %s: nothing to check\n",
                      fw_mode_name(mode), g.c.id);
        skip();
    }
    if (repro_init(&r, g.t, mode, 0, 0, why, sizeof(why)) != 0) {
        print_message("skipped: %s\n", why);
        skip();
    }
    for (i = 0; i < tries; i++) {
        v = repro_run(&r, g.bin, &s, NULL, why, sizeof(why));
        if (v != REPRO_CLEAN)
            break;
    }
    repro_free(&r);
    if (v == REPRO_ERROR)
        fail_msg("%s: cannot replay %s: %s", g.c.id, g.bin, why);
    if (!g.c.open) {
        if (v == REPRO_FINDING)
            fail_msg("case %s of %s is marked fixed (%s, %s) but fails "
                     "again (%s): %s",
                     g.c.id, g.c.target, g.c.fixed_date, g.c.fixed_revision,
                     fw_mode_name(mode), s.key);
        return;
    }
    if (v == REPRO_CLEAN)
        fail_msg("open case %s of %s no longer fails (%s): fixed? run "
                 "`fwfuzz triage --update %s` to mark it",
                 g.c.id, g.c.target, fw_mode_name(mode), g.c.target);
    if (strcmp(s.key, g.c.sig[mi]) != 0)
        fail_msg("open case %s of %s fails differently (%s): expected %s, "
                 "got %s",
                 g.c.id, g.c.target, fw_mode_name(mode), g.c.sig[mi], s.key);
    if (g.strict)
        fail_msg("open case %s of %s: %s %s at %s (strict)", g.c.id, g.c.target,
                 g.c.severity, g.c.cls, g.c.location[mi]);
}

static void test_native(void **state)
{
    (void)state;
    check_mode(FW_MODE_NATIVE, STORE_NATIVE);
}

static void test_emu(void **state)
{
    (void)state;
    check_mode(FW_MODE_EMU, STORE_EMU);
}

static int usage(void)
{
    fprintf(stderr, "usage: fwfuzz_regress [--manifest FILE] [--strict] "
                    "CASE.json\n");
    return FW_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_native),
        cmocka_unit_test(test_emu),
    };
    const char *manifest = manifest_default_path(), *json = NULL;
    const char *env = getenv("FWFUZZ_REGRESS_STRICT");
    char err[1024], *dot;
    int i, rc;

    g.strict = env != NULL && strcmp(env, "") != 0 && strcmp(env, "0") != 0;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--manifest") == 0 && i + 1 < argc)
            manifest = argv[++i];
        else if (strcmp(argv[i], "--strict") == 0)
            g.strict = 1;
        else if (argv[i][0] != '-' && json == NULL)
            json = argv[i];
        else
            return usage();
    }
    if (json == NULL)
        return usage();
    if (manifest_load(manifest, &g.m, err, sizeof(err)) != 0) {
        fprintf(stderr, "fwfuzz_regress: %s\n", err);
        return FW_EXIT_CONFIG;
    }
    if (store_load(json, &g.c, err, sizeof(err)) != 0) {
        fprintf(stderr, "fwfuzz_regress: %s\n", err);
        return FW_EXIT_CONFIG;
    }
    g.t = manifest_find(&g.m, g.c.target);
    if (g.t == NULL) {
        fprintf(stderr, "fwfuzz_regress: %s: no target %s in %s\n", json,
                g.c.target, manifest);
        return FW_EXIT_CONFIG;
    }
    g.bin = strdup(json);
    dot = g.bin != NULL ? strrchr(g.bin, '.') : NULL;
    if (dot == NULL || strcmp(dot, ".json") != 0)
        return usage();
    strcpy(dot, ".bin");
    rc = cmocka_run_group_tests_name(g.c.id, tests, NULL, NULL);
    free(g.bin);
    store_case_free(&g.c);
    manifest_free(&g.m);
    return rc;
}
