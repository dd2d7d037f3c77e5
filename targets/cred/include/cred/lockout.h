/* Failed-login counter with back-off measured in caller-supplied ticks. */
#ifndef CRED_LOCKOUT_H
#define CRED_LOCKOUT_H

#include <stddef.h>
#include <stdint.h>

#include "cred/error.h"

/*
 * Ticks are whatever monotonic counter the caller has (milliseconds, RTC
 * seconds); they may wrap around 2^32. Back-off periods are at most
 * CRED_LOCKOUT_MAX_TICKS so that "now - start" is unambiguous across a wrap.
 */
#define CRED_LOCKOUT_MAX_TICKS 0x7fffffffu

/*
 * max_failures: consecutive failures (>= 1) that engage the lock.
 * backoff_ticks: first lock period (>= 1). Every further failure while still
 * at or above the threshold doubles the period, up to max_backoff_ticks
 * (backoff_ticks <= max_backoff_ticks <= CRED_LOCKOUT_MAX_TICKS).
 */
struct cred_lockout_config {
    uint32_t max_failures;
    uint32_t backoff_ticks;
    uint32_t max_backoff_ticks;
};

/* Caller-owned state; all zero (or cred_lockout_init) is "no failures". */
struct cred_lockout {
    uint32_t failures;   /* consecutive, saturating at UINT32_MAX */
    uint32_t locked_at;  /* tick the current lock started */
    uint32_t lock_ticks; /* length of the current lock, 0 when unlocked */
};

void cred_lockout_init(struct cred_lockout *lo);

/* 0 if cfg is non-NULL and within the bounds above, else CRED_ERR_PARAM. */
int cred_lockout_config_check(const struct cred_lockout_config *cfg);

/*
 * Call before checking a password. Returns 0 if an attempt is allowed at
 * tick now, CRED_ERR_LOCKED if the lock is still running (the caller must not
 * check the password at all), CRED_ERR_PARAM for NULL or an invalid cfg.
 * Once the lock period has passed it is cleared; the failure count is kept,
 * so the next failure locks again, for twice as long. A lock that is not
 * looked at for more than 2^32 - period ticks appears to run again for up to
 * one period: it fails closed.
 */
int cred_lockout_check(struct cred_lockout *lo,
                       const struct cred_lockout_config *cfg, uint32_t now);

/*
 * Records a failed attempt at tick now and engages or extends the lock when
 * the count reaches cfg->max_failures. Returns 0, or CRED_ERR_PARAM.
 */
int cred_lockout_fail(struct cred_lockout *lo,
                      const struct cred_lockout_config *cfg, uint32_t now);

/* Records a successful login: the count and any lock are cleared. */
void cred_lockout_success(struct cred_lockout *lo);

/* Ticks left of the current lock at tick now (0 when unlocked). */
uint32_t cred_lockout_remaining(const struct cred_lockout *lo, uint32_t now);

#endif
