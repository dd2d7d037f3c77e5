/* Login attempts: lockout, verification, event log. */
#include "crypto/util.h"
#include "cred/hash.h"
#include "cred/login.h"
#include "logline.h"

static void add_who(struct cred_logline *l, const struct cred_account *acct,
                    int known)
{
    if (known) {
        cred_logline_text(l, "user '");
        cred_logline_name(l, acct->user, acct->user_len);
        cred_logline_text(l, "'");
    } else {
        cred_logline_text(l, "unknown user");
    }
}

static void log_code(struct cred_logline *l, int code)
{
    /* Codes are small negatives: print the magnitude after a '-'. */
    cred_logline_text(l, code < 0 ? "-" : "");
    cred_logline_u32(l,
                     code < 0 ? (uint32_t)(-(code + 1)) + 1u : (uint32_t)code);
}

static int user_matches(const struct cred_account *acct, const uint8_t *user,
                        size_t user_len)
{
    /* The length is not secret; the bytes are compared in constant time. */
    return user_len == acct->user_len &&
           crypto_ct_compare(user, acct->user, user_len) == 0;
}

int cred_login(struct cred_account *acct, const struct cred_login_config *cfg,
               const uint8_t *user, size_t user_len, const uint8_t *password,
               size_t password_len, uint32_t now)
{
    struct cred_logline l;
    struct cred_lockout before;
    int known, rc;

    if (acct == NULL || cfg == NULL || (user == NULL && user_len > 0) ||
        (password == NULL && password_len > 0) || acct->user_len == 0 ||
        acct->user_len > CRED_USER_MAX ||
        cred_kdf_limits_check(&cfg->limits) != CRED_OK ||
        cred_lockout_config_check(&cfg->lockout) != CRED_OK)
        return CRED_ERR_PARAM;

    known = user_matches(acct, user, user_len);
    cred_logline_init(&l);

    rc = cred_lockout_check(&acct->lockout, &cfg->lockout, now);
    if (rc != CRED_OK) {
        cred_logline_text(&l, "login refused for ");
        add_who(&l, acct, known);
        cred_logline_text(&l, ": locked, ");
        cred_logline_u32(&l, cred_lockout_remaining(&acct->lockout, now));
        cred_logline_text(&l, " ticks left");
        cred_logline_emit(&l, &cfg->log, CRED_LOG_WARN);
        return rc;
    }

    rc = cred_record_check(&acct->record, &cfg->limits);
    if (rc != CRED_OK) {
        cred_logline_text(&l, "login failed for ");
        add_who(&l, acct, known);
        cred_logline_text(&l, ": stored record invalid (");
        log_code(&l, rc);
        cred_logline_text(&l, ")");
        cred_logline_emit(&l, &cfg->log, CRED_LOG_WARN);
        return rc;
    }

    /*
     * The attempt is counted before the password is checked, and the count
     * is what the caller persists (struct cred_account): a power cut after
     * the check, before a count written afterwards, would give a free
     * guess (CWE-307). A success clears it; an internal error restores it.
     */
    before = acct->lockout;
    cred_lockout_fail(&acct->lockout, &cfg->lockout, now);
    /* The KDF runs for unknown users too, so timing does not tell them. */
    rc = cred_verify_password(&acct->record, password, password_len,
                              &cfg->limits);
    if (rc == CRED_OK && !known)
        rc = CRED_ERR_MISMATCH;
    if (rc == CRED_OK) {
        cred_lockout_success(&acct->lockout);
        cred_logline_text(&l, "login ok for ");
        add_who(&l, acct, known);
        cred_logline_emit(&l, &cfg->log, CRED_LOG_INFO);
        return CRED_OK;
    }
    if (rc != CRED_ERR_MISMATCH && rc != CRED_ERR_PASSWORD_LEN &&
        rc != CRED_ERR_PASSWORD_NUL) {
        acct->lockout = before; /* not an attempt: the KDF failed */
        cred_logline_text(&l, "login failed for ");
        add_who(&l, acct, known);
        cred_logline_text(&l, ": internal error (");
        log_code(&l, rc);
        cred_logline_text(&l, ")");
        cred_logline_emit(&l, &cfg->log, CRED_LOG_WARN);
        return rc;
    }

    /* counted above */
    cred_logline_text(&l, "login failed for ");
    add_who(&l, acct, known);
    cred_logline_text(&l, ", ");
    cred_logline_u32(&l, acct->lockout.failures);
    cred_logline_text(&l, " consecutive failures");
    cred_logline_emit(&l, &cfg->log, CRED_LOG_WARN);
    if (acct->lockout.lock_ticks > 0) {
        cred_logline_init(&l);
        cred_logline_text(&l, "too many failed logins: locked for ");
        cred_logline_u32(&l, acct->lockout.lock_ticks);
        cred_logline_text(&l, " ticks");
        cred_logline_emit(&l, &cfg->log, CRED_LOG_WARN);
    }
    return rc;
}
