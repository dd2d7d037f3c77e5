/* Login: lockout, user and password check, and event logging in one call. */
#ifndef CRED_LOGIN_H
#define CRED_LOGIN_H

#include <stddef.h>
#include <stdint.h>

#include "cred/error.h"
#include "cred/lockout.h"
#include "cred/log.h"
#include "cred/record.h"

#define CRED_USER_MAX 32 /* longest account name */

/* One account as the device stores it; owned by the caller. */
struct cred_account {
    uint8_t user[CRED_USER_MAX];
    size_t user_len; /* 1 .. CRED_USER_MAX */
    struct cred_record record;
    struct cred_lockout lockout;
};

struct cred_login_config {
    struct cred_kdf_limits limits;      /* record iterations accepted */
    struct cred_lockout_config lockout; /* see cred/lockout.h */
    struct cred_log log;                /* event sink; fn may be NULL */
};

/*
 * Checks a login attempt (user, password) against acct at tick now. Returns
 * 0 only when the lock allows an attempt, user equals acct->user byte for
 * byte and the password verifies; the caller should then honour
 * CRED_FLAG_MUST_CHANGE in acct->record.flags. Otherwise:
 *   CRED_ERR_PARAM        NULL acct/cfg, user or password NULL with a
 *                         length, invalid limits or lockout config, or
 *                         acct->user_len outside 1..CRED_USER_MAX; nothing
 *                         is counted or logged
 *   CRED_ERR_LOCKED       refused without running the KDF; not counted
 *   CRED_ERR_MISMATCH     wrong user or wrong password (not told apart; the
 *                         KDF runs either way); counted as a failure
 *   CRED_ERR_PASSWORD_LEN empty or too long password; counted as a failure
 *   CRED_ERR_PASSWORD_NUL password with a NUL byte; counted as a failure
 *   a record code         acct->record is invalid (cred_record_check);
 *                         not counted, logged as a warning
 *   CRED_ERR_KDF          the KDF failed; not counted
 * Success clears acct->lockout; failures update it (cred_lockout_fail).
 * The attempt is counted in acct->lockout before the password is checked
 * (and the count undone on success or a KDF error): persist acct->lockout
 * as it is when the check runs, and a power cut cannot undo an attempt.
 *
 * Each attempt logs one event line (and one more when a lock engages). The
 * line names the account only when user equals it; any other user is
 * "unknown user", because people type passwords into the user field. It
 * never carries the password, the typed user name, the salt or the hash.
 */
int cred_login(struct cred_account *acct, const struct cred_login_config *cfg,
               const uint8_t *user, size_t user_len, const uint8_t *password,
               size_t password_len, uint32_t now);

#endif
