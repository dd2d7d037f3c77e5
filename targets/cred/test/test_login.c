/* Login and its event log (cred/login.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cred/hash.h"
#include "cred/login.h"

#define MAX_LINES 16

/* A log sink that keeps every line it is given. */
struct capture {
    char lines[MAX_LINES][CRED_LOG_LINE_MAX];
    enum cred_log_level levels[MAX_LINES];
    size_t count;
};

static void capture_log(void *ctx, enum cred_log_level level, const char *line)
{
    struct capture *c = ctx;
    size_t n = strlen(line);

    assert_true(n < CRED_LOG_LINE_MAX);
    assert_true(c->count < MAX_LINES);
    memcpy(c->lines[c->count], line, n + 1);
    c->levels[c->count++] = level;
}

static int counter_random(void *ctx, uint8_t *out, size_t len)
{
    uint8_t *next = ctx;
    size_t i;

    for (i = 0; i < len; i++)
        out[i] = (*next)++;
    return 0;
}

static const char good_pw[] = "Tr0ub4dor&3-orange";
static const char bad_pw[] = "Tr0ub4dor&3-orangf";

struct fixture {
    struct cred_account acct;
    struct cred_login_config cfg;
    struct capture cap;
};

static void setup_fixture(struct fixture *f, const char *user)
{
    uint8_t next = 0x31;
    struct cred_hash_config hc;

    memset(f, 0, sizeof(*f));
    assert_true(strlen(user) <= CRED_USER_MAX);
    hc.iterations = 2;
    hc.limits.min_iterations = 1;
    hc.limits.max_iterations = 1000;
    hc.random = counter_random;
    hc.random_ctx = &next;
    assert_int_equal(cred_hash_password(&f->acct.record,
                                        (const uint8_t *)good_pw,
                                        strlen(good_pw), &hc),
                     0);
    f->acct.user_len = strlen(user);
    memcpy(f->acct.user, user, f->acct.user_len);
    cred_lockout_init(&f->acct.lockout);
    f->cfg.limits = hc.limits;
    f->cfg.lockout.max_failures = 3;
    f->cfg.lockout.backoff_ticks = 50;
    f->cfg.lockout.max_backoff_ticks = 400;
    f->cfg.log.fn = capture_log;
    f->cfg.log.ctx = &f->cap;
}

static int login(struct fixture *f, const char *user, const char *pw,
                 uint32_t now)
{
    return cred_login(&f->acct, &f->cfg, (const uint8_t *)user, strlen(user),
                      (const uint8_t *)pw, strlen(pw), now);
}

static int log_contains(const struct capture *c, const char *needle)
{
    size_t i;

    for (i = 0; i < c->count; i++)
        if (strstr(c->lines[i], needle) != NULL)
            return 1;
    return 0;
}

static void assert_log_printable(const struct capture *c)
{
    size_t i, j;

    for (i = 0; i < c->count; i++)
        for (j = 0; c->lines[i][j] != '\0'; j++)
            assert_true(c->lines[i][j] >= 0x20 && c->lines[i][j] <= 0x7e);
}

/* No substring of 4 or more bytes of secret appears in any line. */
static void assert_not_logged(const struct capture *c, const char *secret)
{
    size_t n = strlen(secret), i, j;
    char piece[64];

    assert_true(n < sizeof(piece));
    for (i = 0; i + 4 <= n; i++) {
        for (j = i + 4; j <= n; j++) {
            memcpy(piece, secret + i, j - i);
            piece[j - i] = '\0';
            if (log_contains(c, piece))
                fail_msg("log leaks \"%s\" of the password", piece);
        }
    }
}

static void test_login_success_logged_without_password(void **state)
{
    struct fixture f;

    (void)state;
    setup_fixture(&f, "admin");
    assert_int_equal(login(&f, "admin", good_pw, 1), 0);
    assert_int_equal(f.cap.count, 1);
    assert_string_equal(f.cap.lines[0], "login ok for user 'admin'");
    assert_int_equal(f.cap.levels[0], CRED_LOG_INFO);
    assert_not_logged(&f.cap, good_pw);
}

static void test_login_failure_logged_without_password(void **state)
{
    struct fixture f;

    (void)state;
    setup_fixture(&f, "admin");
    assert_int_equal(login(&f, "admin", bad_pw, 1), CRED_ERR_MISMATCH);
    assert_int_equal(login(&f, "admin", good_pw, 2), 0);
    assert_int_equal(f.cap.count, 2);
    assert_string_equal(f.cap.lines[0],
                        "login failed for user 'admin', 1 consecutive "
                        "failures");
    assert_int_equal(f.cap.levels[0], CRED_LOG_WARN);
    assert_string_equal(f.cap.lines[1], "login ok for user 'admin'");
    assert_not_logged(&f.cap, bad_pw);
    assert_not_logged(&f.cap, good_pw);
    assert_log_printable(&f.cap);
}

/* A password typed into the user field must not reach the log. */
static void test_login_unknown_user_not_echoed(void **state)
{
    struct fixture f;

    (void)state;
    setup_fixture(&f, "admin");
    assert_int_equal(login(&f, good_pw, good_pw, 1), CRED_ERR_MISMATCH);
    assert_int_equal(login(&f, "Admin", good_pw, 1), CRED_ERR_MISMATCH);
    assert_int_equal(login(&f, "", good_pw, 1), CRED_ERR_MISMATCH);
    assert_int_equal(f.cap.count, 4); /* the third engages the lock */
    assert_string_equal(f.cap.lines[0],
                        "login failed for unknown user, 1 consecutive "
                        "failures");
    assert_false(log_contains(&f.cap, "Admin"));
    assert_not_logged(&f.cap, good_pw);
    assert_int_equal(f.acct.lockout.failures, 3);
}

static void test_login_lockout_sequence(void **state)
{
    struct fixture f;

    (void)state;
    setup_fixture(&f, "admin");
    assert_int_equal(login(&f, "admin", bad_pw, 100), CRED_ERR_MISMATCH);
    assert_int_equal(login(&f, "admin", bad_pw, 101), CRED_ERR_MISMATCH);
    assert_int_equal(login(&f, "admin", bad_pw, 102), CRED_ERR_MISMATCH);
    assert_string_equal(f.cap.lines[3],
                        "too many failed logins: locked for 50 ticks");
    /* The right password is refused while locked, and not counted. */
    assert_int_equal(login(&f, "admin", good_pw, 110), CRED_ERR_LOCKED);
    assert_string_equal(f.cap.lines[4], "login refused for user 'admin': "
                                        "locked, 42 ticks left");
    assert_int_equal(f.acct.lockout.failures, 3);
    assert_int_equal(login(&f, "admin", good_pw, 152), 0);
    assert_int_equal(f.acct.lockout.failures, 0);
    assert_int_equal(f.acct.lockout.lock_ticks, 0);
    assert_not_logged(&f.cap, bad_pw);
    assert_not_logged(&f.cap, good_pw);
    assert_log_printable(&f.cap);
}

/* The lock is consulted before the record is even looked at. */
static void test_login_locked_does_not_touch_record(void **state)
{
    struct fixture f;

    (void)state;
    setup_fixture(&f, "admin");
    f.acct.lockout.failures = 3;
    f.acct.lockout.locked_at = 0;
    f.acct.lockout.lock_ticks = 50;
    f.acct.record.version = 0x7f;
    assert_int_equal(login(&f, "admin", good_pw, 10), CRED_ERR_LOCKED);
    assert_int_equal(login(&f, "admin", good_pw, 60), CRED_ERR_VERSION);
    assert_string_equal(f.cap.lines[1], "login failed for user 'admin': "
                                        "stored record invalid (-4)");
    assert_int_equal(f.acct.lockout.failures, 3);
}

static void test_login_bad_password_counted(void **state)
{
    struct fixture f;
    char big[CRED_PASSWORD_MAX + 2];

    (void)state;
    setup_fixture(&f, "admin");
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(login(&f, "admin", "", 1), CRED_ERR_PASSWORD_LEN);
    assert_int_equal(login(&f, "admin", big, 1), CRED_ERR_PASSWORD_LEN);
    assert_int_equal(cred_login(&f.acct, &f.cfg, (const uint8_t *)"admin", 5,
                                (const uint8_t *)"Tr0ub4dor&3-orange\0", 19, 1),
                     CRED_ERR_PASSWORD_NUL);
    assert_int_equal(f.acct.lockout.failures, 3);
    assert_not_logged(&f.cap, "xxxx");
}

/* Control bytes in the account name cannot forge log lines. */
static void test_login_account_name_escaped(void **state)
{
    struct fixture f;
    const char *name = "ad\nmin\\x";

    (void)state;
    setup_fixture(&f, name);
    assert_int_equal(login(&f, name, good_pw, 1), 0);
    assert_string_equal(f.cap.lines[0], "login ok for user 'ad\\x0amin\\x5cx'");
    /* The longest account name is logged whole. */
    setup_fixture(&f, "abcdefghijklmnopqrstuvwxyz012345");
    assert_int_equal(f.acct.user_len, CRED_USER_MAX);
    assert_int_equal(login(&f, "abcdefghijklmnopqrstuvwxyz012345", good_pw, 1),
                     0);
    assert_string_equal(f.cap.lines[0], "login ok for user "
                                        "'abcdefghijklmnopqrstuvwxyz012345'");
}

static void test_login_without_sink(void **state)
{
    struct fixture f;

    (void)state;
    setup_fixture(&f, "admin");
    f.cfg.log.fn = NULL;
    assert_int_equal(login(&f, "admin", bad_pw, 1), CRED_ERR_MISMATCH);
    assert_int_equal(login(&f, "admin", good_pw, 1), 0);
    assert_int_equal(f.cap.count, 0);
}

static void test_login_bad_arguments(void **state)
{
    struct fixture f;

    (void)state;
    setup_fixture(&f, "admin");
    assert_int_equal(cred_login(NULL, &f.cfg, (const uint8_t *)"admin", 5,
                                (const uint8_t *)good_pw, 4, 0),
                     CRED_ERR_PARAM);
    assert_int_equal(cred_login(&f.acct, NULL, (const uint8_t *)"admin", 5,
                                (const uint8_t *)good_pw, 4, 0),
                     CRED_ERR_PARAM);
    assert_int_equal(
        cred_login(&f.acct, &f.cfg, NULL, 5, (const uint8_t *)good_pw, 4, 0),
        CRED_ERR_PARAM);
    assert_int_equal(
        cred_login(&f.acct, &f.cfg, (const uint8_t *)"admin", 5, NULL, 4, 0),
        CRED_ERR_PARAM);
    f.cfg.lockout.max_failures = 0;
    assert_int_equal(login(&f, "admin", good_pw, 0), CRED_ERR_PARAM);
    setup_fixture(&f, "admin");
    f.cfg.limits.min_iterations = 0;
    assert_int_equal(login(&f, "admin", good_pw, 0), CRED_ERR_PARAM);
    setup_fixture(&f, "admin");
    f.acct.user_len = CRED_USER_MAX + 1;
    assert_int_equal(login(&f, "admin", good_pw, 0), CRED_ERR_PARAM);
    assert_int_equal(f.cap.count, 0);
    assert_int_equal(f.acct.lockout.failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_success_logged_without_password),
        cmocka_unit_test(test_login_failure_logged_without_password),
        cmocka_unit_test(test_login_unknown_user_not_echoed),
        cmocka_unit_test(test_login_lockout_sequence),
        cmocka_unit_test(test_login_locked_does_not_touch_record),
        cmocka_unit_test(test_login_bad_password_counted),
        cmocka_unit_test(test_login_account_name_escaped),
        cmocka_unit_test(test_login_without_sink),
        cmocka_unit_test(test_login_bad_arguments),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
