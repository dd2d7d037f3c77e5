/* Password policy (cred/policy.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cred/hash.h"
#include "cred/policy.h"

static const char *const extra_words[] = {"acme-router", "Welcome1"};

static struct cred_password_policy policy(void)
{
    struct cred_password_policy p;

    memset(&p, 0, sizeof(p));
    p.min_len = 8;
    p.max_len = 64;
    p.min_classes = 0;
    p.deny_list = extra_words;
    p.deny_count = 2;
    return p;
}

static const uint8_t serial[] = "SN12AB34";
#define SERIAL_LEN (sizeof(serial) - 1)

static int check(const struct cred_password_policy *p, const char *pw)
{
    return cred_policy_check(p, (const uint8_t *)pw, strlen(pw), serial,
                             SERIAL_LEN);
}

static void test_policy_accepts_good_password(void **state)
{
    struct cred_password_policy p = policy();

    (void)state;
    assert_int_equal(check(&p, "tangerine-lamp-42"), 0);
    p.min_classes = 4;
    assert_int_equal(check(&p, "Tangerine-lamp-42"), 0);
}

static void test_policy_length_limits(void **state)
{
    struct cred_password_policy p = policy();
    char pw[80];

    (void)state;
    memset(pw, 'q', sizeof(pw));
    pw[7] = '\0';
    assert_int_equal(check(&p, pw), CRED_ERR_PW_TOO_SHORT);
    assert_int_equal(check(&p, ""), CRED_ERR_PW_TOO_SHORT);
    pw[7] = 'q';
    pw[8] = '\0';
    assert_int_equal(check(&p, pw), 0);
    pw[8] = 'q';
    pw[64] = '\0';
    assert_int_equal(check(&p, pw), 0);
    pw[64] = 'q';
    pw[65] = '\0';
    assert_int_equal(check(&p, pw), CRED_ERR_PW_TOO_LONG);
}

/* Built-in factory words in any letter case, and only exact matches. */
static void test_policy_deny_list_case_insensitive(void **state)
{
    struct cred_password_policy p = policy();

    (void)state;
    p.min_len = 4;
    assert_int_equal(check(&p, "password"), CRED_ERR_PW_DENY_LISTED);
    assert_int_equal(check(&p, "PassWord"), CRED_ERR_PW_DENY_LISTED);
    assert_int_equal(check(&p, "PASSWORD"), CRED_ERR_PW_DENY_LISTED);
    assert_int_equal(check(&p, "admin"), CRED_ERR_PW_DENY_LISTED);
    assert_int_equal(check(&p, "ADMIN"), CRED_ERR_PW_DENY_LISTED);
    assert_int_equal(check(&p, "12345678"), CRED_ERR_PW_DENY_LISTED);
    assert_int_equal(check(&p, "Default"), CRED_ERR_PW_DENY_LISTED);
    assert_int_equal(check(&p, "root"), CRED_ERR_PW_DENY_LISTED);
    assert_int_equal(check(&p, "7ujMko0admin"), CRED_ERR_PW_DENY_LISTED);
    /* Not a word of the list: prefix, suffix, other letters. */
    assert_int_equal(check(&p, "passwor"), 0);
    assert_int_equal(check(&p, "password!"), 0);
    assert_int_equal(check(&p, "xadmin"), 0);
    /* Case folding is ASCII only: 0xc1 ("A" + 0x80) does not fold. */
    assert_int_equal(
        cred_policy_check(&p, (const uint8_t *)"\xc1\x44MIN", 5, NULL, 0), 0);
}

static void test_policy_every_builtin_word_denied(void **state)
{
    struct cred_password_policy p = policy();
    const char *w;
    uint8_t upper[64];
    size_t i, j, n;

    (void)state;
    p.min_len = 1;
    for (i = 0; (w = cred_policy_builtin_word(i)) != NULL; i++) {
        n = strlen(w);
        assert_true(n <= sizeof(upper));
        for (j = 0; j < n; j++)
            upper[j] =
                (uint8_t)((w[j] >= 'a' && w[j] <= 'z') ? w[j] - 32 : w[j]);
        assert_int_equal(cred_policy_check(&p, (const uint8_t *)w, n, NULL, 0),
                         CRED_ERR_PW_DENY_LISTED);
        assert_int_equal(cred_policy_check(&p, upper, n, NULL, 0),
                         CRED_ERR_PW_DENY_LISTED);
    }
    assert_true(i >= 20);
}

static void test_policy_caller_deny_list(void **state)
{
    struct cred_password_policy p = policy();

    (void)state;
    assert_int_equal(check(&p, "ACME-Router"), CRED_ERR_PW_DENY_LISTED);
    assert_int_equal(check(&p, "welcome1"), CRED_ERR_PW_DENY_LISTED);
    p.deny_count = 0;
    p.deny_list = NULL;
    assert_int_equal(check(&p, "ACME-Router"), 0);
}

static void test_policy_serial_equal_or_contained(void **state)
{
    struct cred_password_policy p = policy();

    (void)state;
    assert_int_equal(check(&p, "SN12AB34"), CRED_ERR_PW_SERIAL);
    assert_int_equal(check(&p, "sn12ab34"), CRED_ERR_PW_SERIAL);
    assert_int_equal(check(&p, "my-sn12AB34-pw"), CRED_ERR_PW_SERIAL);
    assert_int_equal(check(&p, "xxxxSN12AB34"), CRED_ERR_PW_SERIAL);
    assert_int_equal(check(&p, "SN12AB34xxxx"), CRED_ERR_PW_SERIAL);
    /* Only part of the serial is fine. */
    assert_int_equal(check(&p, "SN12AB3-xxxx"), 0);
    /* No serial given: rule skipped. */
    assert_int_equal(
        cred_policy_check(&p, (const uint8_t *)"SN12AB34", 8, NULL, 0), 0);
}

static void test_policy_character_classes(void **state)
{
    struct cred_password_policy p = policy();

    (void)state;
    p.min_classes = 3;
    assert_int_equal(check(&p, "onlylowercase"), CRED_ERR_PW_CLASSES);
    assert_int_equal(check(&p, "lower-and-symbols"), CRED_ERR_PW_CLASSES);
    assert_int_equal(check(&p, "Lower-and-symbols"), 0);
    assert_int_equal(check(&p, "lower4and5digits"), CRED_ERR_PW_CLASSES);
    assert_int_equal(check(&p, "lower4AND5digits"), 0);
    p.min_classes = 4;
    assert_int_equal(check(&p, "lower4AND5digits"), CRED_ERR_PW_CLASSES);
    assert_int_equal(check(&p, "lower4AND5digits\xff"), 0);
}

/* The first failing rule in header order decides the code. */
static void test_policy_rule_order(void **state)
{
    struct cred_password_policy p = policy();

    (void)state;
    p.min_classes = 4;
    assert_int_equal(check(&p, "root"), CRED_ERR_PW_TOO_SHORT);
    assert_int_equal(check(&p, "password"), CRED_ERR_PW_DENY_LISTED);
    assert_int_equal(check(&p, "sn12ab34"), CRED_ERR_PW_SERIAL);
}

static void test_policy_bad_arguments(void **state)
{
    struct cred_password_policy p = policy();
    const char *const with_null[] = {"ok", NULL};
    const uint8_t pw[] = "good-enough-pw";

    (void)state;
    assert_int_equal(cred_policy_check(NULL, pw, 14, NULL, 0), CRED_ERR_PARAM);
    assert_int_equal(cred_policy_check(&p, NULL, 14, NULL, 0), CRED_ERR_PARAM);
    assert_int_equal(cred_policy_check(&p, pw, 14, NULL, 3), CRED_ERR_PARAM);
    p.min_len = 0;
    assert_int_equal(cred_policy_check(&p, pw, 14, NULL, 0), CRED_ERR_PARAM);
    p = policy();
    p.max_len = CRED_PASSWORD_MAX + 1;
    assert_int_equal(cred_policy_check(&p, pw, 14, NULL, 0), CRED_ERR_PARAM);
    p = policy();
    p.min_len = 20;
    p.max_len = 10;
    assert_int_equal(cred_policy_check(&p, pw, 14, NULL, 0), CRED_ERR_PARAM);
    p = policy();
    p.min_classes = 5;
    assert_int_equal(cred_policy_check(&p, pw, 14, NULL, 0), CRED_ERR_PARAM);
    p = policy();
    p.deny_list = NULL;
    assert_int_equal(cred_policy_check(&p, pw, 14, NULL, 0), CRED_ERR_PARAM);
    p.deny_list = with_null;
    assert_int_equal(cred_policy_check(&p, pw, 14, NULL, 0), CRED_ERR_PARAM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_accepts_good_password),
        cmocka_unit_test(test_policy_length_limits),
        cmocka_unit_test(test_policy_deny_list_case_insensitive),
        cmocka_unit_test(test_policy_every_builtin_word_denied),
        cmocka_unit_test(test_policy_caller_deny_list),
        cmocka_unit_test(test_policy_serial_equal_or_contained),
        cmocka_unit_test(test_policy_character_classes),
        cmocka_unit_test(test_policy_rule_order),
        cmocka_unit_test(test_policy_bad_arguments),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
