/* The crash store: case files written and read back, refused with a
 * reason, and which files of a regress folder are cases. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "store.h"
#include "test_tmpdir.h"

static void make_case(struct store_case *c, const char *id)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->id, sizeof(c->id), "%s", id);
    snprintf(c->target, sizeof(c->target), "t");
    snprintf(c->cls, sizeof(c->cls), "heap-buffer-overflow");
    snprintf(c->access, sizeof(c->access), "READ");
    snprintf(c->severity, sizeof(c->severity), "medium");
    c->cwe = 125;
    snprintf(c->sig[STORE_NATIVE], sizeof(c->sig[0]),
             "heap-buffer-overflow READ|parse");
    strvec_push(&c->engines, "libfuzzer");
    strvec_push(&c->modes, "native");
    c->count = 3;
    c->size_minimised = 4;
    c->open = 1;
}

static void test_save_and_load(void **state)
{
    const char *dir = *state;
    struct store_case c, *all;
    size_t n;
    char why[256];

    make_case(&c, "0123456789ab");
    assert_int_equal(store_save(dir, &c, "RC\x01V", 4), 0);
    assert_int_equal(store_load_all(dir, &all, &n, why, sizeof(why)), 0);
    assert_int_equal(n, 1);
    assert_string_equal(all[0].id, "0123456789ab");
    assert_string_equal(all[0].sig[STORE_NATIVE], c.sig[STORE_NATIVE]);
    assert_string_equal(all[0].sig[STORE_EMU], "");
    assert_int_equal(all[0].count, 3);
    assert_true(all[0].open);
    assert_string_equal(all[0].engines.v[0], "libfuzzer");
    store_cases_free(all, n);
    store_case_free(&c);
}

/* A triage killed between the two files leaves one: not a case, and not
 * a plain input either. */
static void test_incomplete_case_ignored(void **state)
{
    const char *dir = *state;
    struct store_case *all;
    size_t n;
    char why[256], *p = fs_join(dir, "aaaaaaaaaaaa.bin");

    assert_int_equal(fs_write_atomic(p, "x", 1), 0);
    free(p);
    assert_int_equal(store_load_all(dir, &all, &n, why, sizeof(why)), 0);
    assert_int_equal(n, 0);
    assert_true(store_is_case_part("aaaaaaaaaaaa.bin"));
    assert_false(store_is_case_file(dir, "aaaaaaaaaaaa.bin"));
    assert_true(store_has_cases(dir));
    store_cases_free(all, n);
}

static void test_case_part_names(void **state)
{
    (void)state;
    assert_true(store_is_case_part("0123456789ab.json"));
    assert_false(store_is_case_part("0123456789AB.json")); /* lower case */
    assert_false(store_is_case_part("0123456789a.bin"));
    assert_false(store_is_case_part("0123456789abc.bin"));
    assert_false(store_is_case_part("null-page-shadow-on-input.json"));
    assert_false(store_is_case_part("0123456789ab.txt"));
}

static void test_refused_with_reason(void **state)
{
    static const char *const bad[] = {
        "",
        "[]",
        "{\"id\": \"x\"}",
        "{\"id\": \"x\", \"target\": \"t\", \"class\": \"c\", \"status\": "
        "\"open\", \"signatures\": {}}",
        "{\"id\": \"x\", \"target\": \"t\", \"class\": \"c\", \"status\": "
        "\"maybe\", \"signatures\": {\"native\": \"c|f\"}}",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct store_case c;
        char why[256] = "";

        assert_int_equal(
            store_parse(bad[i], strlen(bad[i]), &c, why, sizeof(why)), -1);
        assert_true(why[0] != '\0');
    }
}

/* A hand-edited number out of range reads as 0 (found by the store_case
 * fuzz target: the cast was undefined). */
static void test_numbers_out_of_range(void **state)
{
    const char *text = "{\"id\": \"x\", \"target\": \"t\", \"class\": \"c\", "
                       "\"status\": \"fixed\", \"signatures\": {\"emu\": "
                       "\"c|f\"}, \"count\": 1e300, \"cwe\": -5}";
    struct store_case c;
    char why[256];

    (void)state;
    assert_int_equal(store_parse(text, strlen(text), &c, why, sizeof(why)), 0);
    assert_int_equal(c.count, 0);
    assert_int_equal(c.cwe, 0);
    assert_false(c.open);
    store_case_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_save_and_load, test_tmpdir_setup,
                                        test_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_incomplete_case_ignored,
                                        test_tmpdir_setup,
                                        test_tmpdir_teardown),
        cmocka_unit_test(test_case_part_names),
        cmocka_unit_test(test_refused_with_reason),
        cmocka_unit_test(test_numbers_out_of_range),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
