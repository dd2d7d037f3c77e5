/* Log redaction (cred/log.h, cred_redact). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cred/log.h"

struct redact_case {
    const char *in;
    const char *want;
};

static const struct redact_case cases[] = {
    /* key=value forms */
    {"login user=bob password=hunter2 ok", "login user=bob password=*** ok"},
    {"passwd:hunter2", "passwd:***"},
    {"passwd: hunter2", "passwd: ***"},
    {"pass=hunter2&user=bob", "pass=***&user=bob"},
    {"pwd=s3cr3t\tnext", "pwd=***\tnext"},
    {"token=eyJhbGciOi.eyJzdWIi.SflKxw", "token=***"},
    {"PASSWORD=Hunter2", "PASSWORD=***"},
    {"wifi_passphrase = \"my home net\"", "wifi_passphrase = \"***\""},
    {"mqtt secret: 'abc def'", "mqtt secret: '***'"},
    {"api_key=AKIA123 apikey=xyz", "api_key=*** apikey=***"},
    /* JSON */
    {"{\"password\":\"hunter 2\",\"user\":\"bob\"}",
     "{\"password\":\"***\",\"user\":\"bob\"}"},
    {"{\"password\" : \"a\\\"b\", \"x\":1}",
     "{\"password\" : \"***\", \"x\":1}"},
    {"{\"token\": \"t\"}", "{\"token\": \"***\"}"},
    /* Authorization headers: scheme kept, credentials masked to EOL */
    {"Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic ***"},
    {"authorization: bearer abc def\r\nHost: x",
     "authorization: bearer ***\r\nHost: x"},
    {"Proxy-Authorization: Digest username=\"a\", response=\"b\"",
     "Proxy-Authorization: Digest ***"},
    {"Authorization: dXNlcjpwYXNz", "Authorization: ***"},
    /* several secrets, empty value, unterminated quote */
    {"pass=a pwd=b token=c", "pass=*** pwd=*** token=***"},
    {"password=&next=1", "password=***&next=1"},
    {"password= next", "password= ***"}, /* blanks before a value skipped */
    {"password=\"abc", "password=\"***"},
    /* quoted values and escapes stop at a line end */
    {"password=\"abc\nnext=1", "password=\"***\nnext=1"},
    {"password=\"abc\\\nnext=1", "password=\"***\nnext=1"},
    /* keys inside words are masked too: the safe side */
    {"new_password=x", "new_password=***"},
    {"bypass=1", "bypass=***"},
    /* a key without a separator is just a word */
    {"password reset requested", "password reset requested"},
    {"tokens: 5", "tokens: 5"},
    {"", ""},
};

static void test_redact_secret_patterns(void **state)
{
    char out[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc =
            cred_redact(out, sizeof(out), cases[i].in, strlen(cases[i].in));

        if (rc < 0 || strcmp(out, cases[i].want) != 0)
            fail_msg("case %zu: \"%s\" -> \"%s\" (rc %d), want \"%s\"", i,
                     cases[i].in, out, rc, cases[i].want);
        assert_int_equal(rc, (int)strlen(cases[i].want));
    }
}

/* Lines without secrets come back byte for byte, NULs and controls too. */
static void test_redact_line_without_secret_unchanged(void **state)
{
    static const char line[] = "boot ok\0 rssi=-61\x1b[0m temp: 41C \xff";
    char out[64];

    (void)state;
    assert_int_equal(cred_redact(out, sizeof(out), line, sizeof(line) - 1),
                     (int)(sizeof(line) - 1));
    assert_memory_equal(out, line, sizeof(line) - 1);
    assert_int_equal(out[sizeof(line) - 1], '\0');
}

/* Every buffer size: a NUL-terminated prefix of the full result, no more. */
static void test_redact_buffer_too_small(void **state)
{
    static const char line[] = "user=bob password=hunter2 token=\"abc\" end";
    char full[128], out[128 + 16];
    size_t n, size, i;
    int rc;

    (void)state;
    rc = cred_redact(full, sizeof(full), line, sizeof(line) - 1);
    assert_true(rc > 0);
    n = (size_t)rc;
    assert_null(strstr(full, "hunter2"));
    for (size = 1; size <= n + 1; size++) {
        memset(out, 0x7e, sizeof(out));
        rc = cred_redact(out, size, line, sizeof(line) - 1);
        if (size <= n) {
            assert_int_equal(rc, CRED_ERR_NO_SPACE);
            assert_memory_equal(out, full, size - 1);
            assert_int_equal(out[size - 1], '\0');
        } else {
            assert_int_equal(rc, (int)n);
            assert_string_equal(out, full);
        }
        for (i = size; i < sizeof(out); i++)
            assert_int_equal(out[i], 0x7e);
    }
}

static void test_redact_bad_arguments(void **state)
{
    char out[8] = "xxxxxxx";

    (void)state;
    assert_int_equal(cred_redact(NULL, 8, "a", 1), CRED_ERR_PARAM);
    assert_int_equal(cred_redact(out, 0, "a", 1), CRED_ERR_PARAM);
    assert_int_equal(out[0], 'x');
    assert_int_equal(cred_redact(out, sizeof(out), NULL, 3), CRED_ERR_PARAM);
    assert_int_equal(out[0], '\0');
    assert_int_equal(cred_redact(out, sizeof(out), NULL, 0), 0);
    assert_int_equal(out[0], '\0');
}

static int contains(const char *hay, size_t hay_len, const char *needle)
{
    size_t n = strlen(needle), i;

    for (i = 0; i + n <= hay_len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return 1;
    return 0;
}

/* The secret never leaks, whatever bytes surround the key. */
static void test_redact_secret_after_any_prefix(void **state)
{
    char line[64], out[128];
    unsigned c;
    int rc;

    (void)state;
    for (c = 0; c < 256; c++) {
        line[0] = (char)c;
        memcpy(line + 1, "password=Zq9!Zq9! x", 19);
        rc = cred_redact(out, sizeof(out), line, 20);
        assert_true(rc > 0);
        assert_false(contains(out, (size_t)rc, "Zq9!"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redact_secret_patterns),
        cmocka_unit_test(test_redact_line_without_secret_unchanged),
        cmocka_unit_test(test_redact_buffer_too_small),
        cmocka_unit_test(test_redact_bad_arguments),
        cmocka_unit_test(test_redact_secret_after_any_prefix),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
