/* Failed-login counter with tick-based back-off. */
#include <string.h>

#include "cred/lockout.h"

void cred_lockout_init(struct cred_lockout *lo)
{
    if (lo != NULL)
        memset(lo, 0, sizeof(*lo));
}

int cred_lockout_config_check(const struct cred_lockout_config *cfg)
{
    if (cfg == NULL || cfg->max_failures == 0 || cfg->backoff_ticks == 0 ||
        cfg->backoff_ticks > cfg->max_backoff_ticks ||
        cfg->max_backoff_ticks > CRED_LOCKOUT_MAX_TICKS)
        return CRED_ERR_PARAM;
    return CRED_OK;
}

uint32_t cred_lockout_remaining(const struct cred_lockout *lo, uint32_t now)
{
    uint32_t elapsed;

    if (lo == NULL || lo->lock_ticks == 0)
        return 0;
    /* Modular difference: correct across a wrap of the tick counter. */
    elapsed = now - lo->locked_at;
    if (elapsed >= lo->lock_ticks)
        return 0;
    return lo->lock_ticks - elapsed;
}

int cred_lockout_check(struct cred_lockout *lo,
                       const struct cred_lockout_config *cfg, uint32_t now)
{
    if (lo == NULL || cred_lockout_config_check(cfg) != CRED_OK)
        return CRED_ERR_PARAM;
    if (lo->lock_ticks == 0)
        return CRED_OK;
    if (cred_lockout_remaining(lo, now) > 0)
        return CRED_ERR_LOCKED;
    lo->lock_ticks = 0;
    return CRED_OK;
}

/* backoff << (failures - max_failures), capped, without overflowing. */
static uint32_t lock_period(const struct cred_lockout_config *cfg,
                            uint32_t failures)
{
    uint32_t period = cfg->backoff_ticks;
    uint32_t doublings = failures - cfg->max_failures;

    while (doublings-- > 0 && period < cfg->max_backoff_ticks) {
        /* period <= CRED_LOCKOUT_MAX_TICKS, so doubling fits in 32 bits. */
        period *= 2u;
    }
    if (period > cfg->max_backoff_ticks)
        period = cfg->max_backoff_ticks;
    return period;
}

int cred_lockout_fail(struct cred_lockout *lo,
                      const struct cred_lockout_config *cfg, uint32_t now)
{
    if (lo == NULL || cred_lockout_config_check(cfg) != CRED_OK)
        return CRED_ERR_PARAM;
    if (lo->failures < UINT32_MAX)
        lo->failures++;
    if (lo->failures >= cfg->max_failures) {
        lo->locked_at = now;
        lo->lock_ticks = lock_period(cfg, lo->failures);
    }
    return CRED_OK;
}

void cred_lockout_success(struct cred_lockout *lo)
{
    if (lo != NULL)
        memset(lo, 0, sizeof(*lo));
}
