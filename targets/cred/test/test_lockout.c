/* Lockout counter (cred/lockout.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cred/lockout.h"

static const struct cred_lockout_config cfg = {3, 100, 1000};

static void fail_n(struct cred_lockout *lo, int n, uint32_t now)
{
    int i;

    for (i = 0; i < n; i++)
        assert_int_equal(cred_lockout_fail(lo, &cfg, now), 0);
}

static void test_lockout_engages_after_max_failures(void **state)
{
    struct cred_lockout lo;

    (void)state;
    cred_lockout_init(&lo);
    assert_int_equal(cred_lockout_check(&lo, &cfg, 10), 0);
    fail_n(&lo, 2, 10);
    assert_int_equal(cred_lockout_check(&lo, &cfg, 11), 0);
    assert_int_equal(cred_lockout_remaining(&lo, 11), 0);
    fail_n(&lo, 1, 20);
    assert_int_equal(lo.failures, 3);
    assert_int_equal(cred_lockout_check(&lo, &cfg, 20), CRED_ERR_LOCKED);
    assert_int_equal(cred_lockout_check(&lo, &cfg, 119), CRED_ERR_LOCKED);
    assert_int_equal(cred_lockout_remaining(&lo, 119), 1);
    assert_int_equal(cred_lockout_check(&lo, &cfg, 120), 0);
    assert_int_equal(cred_lockout_remaining(&lo, 120), 0);
}

/* Refused checks do not extend the lock. */
static void test_lockout_checks_do_not_extend(void **state)
{
    struct cred_lockout lo;
    uint32_t t;

    (void)state;
    cred_lockout_init(&lo);
    fail_n(&lo, 3, 0);
    for (t = 0; t < 100; t += 7)
        assert_int_equal(cred_lockout_check(&lo, &cfg, t), CRED_ERR_LOCKED);
    assert_int_equal(cred_lockout_check(&lo, &cfg, 100), 0);
}

/* After a lock, each further failure locks again for twice as long. */
static void test_lockout_backoff_doubles_to_cap(void **state)
{
    static const uint32_t periods[] = {100, 200, 400, 800, 1000, 1000};
    struct cred_lockout lo;
    uint32_t now = 5;
    size_t i;

    (void)state;
    cred_lockout_init(&lo);
    fail_n(&lo, 2, now);
    for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
        fail_n(&lo, 1, now);
        assert_int_equal(lo.lock_ticks, periods[i]);
        assert_int_equal(cred_lockout_check(&lo, &cfg, now + periods[i] - 1),
                         CRED_ERR_LOCKED);
        now += periods[i];
        assert_int_equal(cred_lockout_check(&lo, &cfg, now), 0);
    }
}

static void test_lockout_success_resets(void **state)
{
    struct cred_lockout lo;

    (void)state;
    cred_lockout_init(&lo);
    fail_n(&lo, 4, 0);
    assert_int_equal(cred_lockout_check(&lo, &cfg, 250), 0);
    cred_lockout_success(&lo);
    assert_int_equal(lo.failures, 0);
    assert_int_equal(lo.lock_ticks, 0);
    /* Back to the full allowance, and the first period again. */
    fail_n(&lo, 2, 300);
    assert_int_equal(cred_lockout_check(&lo, &cfg, 300), 0);
    fail_n(&lo, 1, 300);
    assert_int_equal(lo.lock_ticks, 100);
}

static void test_lockout_tick_wraparound(void **state)
{
    struct cred_lockout lo;
    const uint32_t start = 0xffffffc0u; /* 64 ticks before the wrap */

    (void)state;
    cred_lockout_init(&lo);
    fail_n(&lo, 3, start);
    assert_int_equal(cred_lockout_check(&lo, &cfg, 0xffffffffu),
                     CRED_ERR_LOCKED);
    assert_int_equal(cred_lockout_check(&lo, &cfg, 0), CRED_ERR_LOCKED);
    assert_int_equal(cred_lockout_remaining(&lo, 0), 36);
    assert_int_equal(cred_lockout_check(&lo, &cfg, 35), CRED_ERR_LOCKED);
    assert_int_equal(cred_lockout_check(&lo, &cfg, 36), 0);
}

/* A lock not looked at for a whole wrap of the counter fails closed. */
static void test_lockout_unobserved_wrap_fails_closed(void **state)
{
    struct cred_lockout lo;

    (void)state;
    cred_lockout_init(&lo);
    fail_n(&lo, 3, 1000);
    /* 2^32 + 50 ticks later the counter reads 1050 again. */
    assert_int_equal(cred_lockout_check(&lo, &cfg, 1050), CRED_ERR_LOCKED);
}

static void test_lockout_counter_saturates(void **state)
{
    struct cred_lockout lo;

    (void)state;
    cred_lockout_init(&lo);
    lo.failures = UINT32_MAX - 1;
    fail_n(&lo, 1, 7);
    assert_int_equal(lo.failures, UINT32_MAX);
    assert_int_equal(lo.lock_ticks, cfg.max_backoff_ticks);
    fail_n(&lo, 1, 8);
    assert_int_equal(lo.failures, UINT32_MAX);
    assert_int_equal(lo.locked_at, 8);
    assert_int_equal(lo.lock_ticks, cfg.max_backoff_ticks);
}

/* Periods near the limit double without overflowing 32 bits. */
static void test_lockout_large_periods(void **state)
{
    const struct cred_lockout_config big = {1, 0x40000000u,
                                            CRED_LOCKOUT_MAX_TICKS};
    struct cred_lockout lo;

    (void)state;
    cred_lockout_init(&lo);
    assert_int_equal(cred_lockout_fail(&lo, &big, 0), 0);
    assert_int_equal(lo.lock_ticks, 0x40000000u);
    assert_int_equal(cred_lockout_fail(&lo, &big, 0), 0);
    assert_int_equal(lo.lock_ticks, CRED_LOCKOUT_MAX_TICKS);
    assert_int_equal(cred_lockout_check(&lo, &big, CRED_LOCKOUT_MAX_TICKS - 1),
                     CRED_ERR_LOCKED);
    assert_int_equal(cred_lockout_check(&lo, &big, CRED_LOCKOUT_MAX_TICKS), 0);
}

static void test_lockout_bad_config(void **state)
{
    struct cred_lockout lo;
    struct cred_lockout_config bad = cfg;

    (void)state;
    cred_lockout_init(&lo);
    assert_int_equal(cred_lockout_check(NULL, &cfg, 0), CRED_ERR_PARAM);
    assert_int_equal(cred_lockout_check(&lo, NULL, 0), CRED_ERR_PARAM);
    assert_int_equal(cred_lockout_fail(NULL, &cfg, 0), CRED_ERR_PARAM);
    bad.max_failures = 0;
    assert_int_equal(cred_lockout_fail(&lo, &bad, 0), CRED_ERR_PARAM);
    bad = cfg;
    bad.backoff_ticks = 0;
    assert_int_equal(cred_lockout_config_check(&bad), CRED_ERR_PARAM);
    bad = cfg;
    bad.backoff_ticks = 2000;
    assert_int_equal(cred_lockout_config_check(&bad), CRED_ERR_PARAM);
    bad = cfg;
    bad.max_backoff_ticks = CRED_LOCKOUT_MAX_TICKS + 1u;
    assert_int_equal(cred_lockout_config_check(&bad), CRED_ERR_PARAM);
    assert_int_equal(lo.failures, 0);
    assert_int_equal(cred_lockout_config_check(&cfg), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lockout_engages_after_max_failures),
        cmocka_unit_test(test_lockout_checks_do_not_extend),
        cmocka_unit_test(test_lockout_backoff_doubles_to_cap),
        cmocka_unit_test(test_lockout_success_resets),
        cmocka_unit_test(test_lockout_tick_wraparound),
        cmocka_unit_test(test_lockout_unobserved_wrap_fails_closed),
        cmocka_unit_test(test_lockout_counter_saturates),
        cmocka_unit_test(test_lockout_large_periods),
        cmocka_unit_test(test_lockout_bad_config),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
