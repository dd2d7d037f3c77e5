/*
 * Logins under the security oracles (docs/oracles.md): the password, the
 * derived key and the lockout state are declared, so that a run is a
 * finding when the password or key shows in the log, stays in memory,
 * changes the path of the comparison, or when a power cut after the
 * comparison and before the failure is counted would undo the attempt.
 * Input (missing bytes read as 0):
 *
 *   byte 0   bit 0 the typed password is the stored one, bits 1-2
 *            attempts - 1, bit 3 the typed user is the account name, bits
 *            4-5 lockout threshold - 1, bit 6 PBKDF2 iterations - 1
 *   16       salt the first device's random source returns; the second
 *            device's is the same with every byte inverted
 *   1 + n    stored password (n = byte % 64 + 1)
 *   1 + n    typed password (n = byte % 64), unless bit 0
 *   1 + n    account name (n = byte % 32 + 1); the typed user is the
 *            rest when bit 3 is clear
 *
 * Properties, besides the oracles:
 *  - the two devices' records of one password differ, by their salts
 *    (fwfuzz_check_salted);
 *  - a password the policy accepts (with the account name on the deny
 *    list) is not a default: no empty, account-name or factory-default
 *    password logs in (fwfuzz_check_default_login);
 *  - a login succeeds only with the stored password and the account name.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cred/hash.h"
#include "cred/login.h"
#include "cred/policy.h"
#include "crypto/util.h"
#include "fwfuzz/check.h"
#include "fwfuzz/oracle.h"

struct reader {
    const uint8_t *p;
    size_t n;
};

struct rng {
    uint8_t salt[CRED_SALT_LEN];
};

static uint8_t take_byte(struct reader *r)
{
    uint8_t b = 0;

    if (r->n > 0) {
        b = *r->p++;
        r->n--;
    }
    return b;
}

static size_t take(struct reader *r, uint8_t *out, size_t want)
{
    size_t n = want < r->n ? want : r->n;

    memcpy(out, r->p, n);
    r->p += n;
    r->n -= n;
    return n;
}

static int fuzz_random(void *ctx, uint8_t *out, size_t len)
{
    const struct rng *g = ctx;
    size_t i;

    for (i = 0; i < len; i++)
        out[i] = i < sizeof(g->salt) ? g->salt[i] : (uint8_t)i;
    return 0;
}

/* The log goes where the oracles see it. */
static void fuzz_log(void *ctx, enum cred_log_level level, const char *line)
{
    (void)ctx;
    (void)level;
    fwfuzz_output(line, strlen(line), "login log");
}

/* A piece of the password in public data (the account name, the salt):
 * every line that names the account, every copy of the salt would show it
 * (that is a weak password, not a leak). */
static int in_public(const uint8_t *pw, size_t pw_len, const uint8_t *name,
                     size_t name_len)
{
    size_t w = pw_len < 8 ? pw_len : 8, i, j;

    for (i = 0; i + w <= pw_len; i++)
        for (j = 0; j + w <= name_len; j++)
            if (memcmp(pw + i, name + j, w) == 0)
                return 1;
    return 0;
}

struct try_ctx {
    const struct cred_account *acct;
    const struct cred_login_config *cfg;
};

/* One login on a copy: the tries must not lock the account. */
static int try_login(void *ctx, const uint8_t *user, size_t user_len,
                     const uint8_t *password, size_t password_len)
{
    const struct try_ctx *t = ctx;
    struct cred_account copy = *t->acct;
    int rc =
        cred_login(&copy, t->cfg, user, user_len, password, password_len, 0);

    crypto_wipe(&copy, sizeof(copy)); /* it holds the derived key */
    return rc == CRED_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct reader r = {data, size};
    struct rng dev_a, dev_b;
    struct cred_hash_config hc;
    struct cred_login_config lc;
    struct cred_account acct;
    struct cred_record other;
    struct cred_password_policy policy = {1, CRED_PASSWORD_MAX, 0, NULL, 0};
    const char *deny[1];
    char user_word[CRED_USER_MAX + 1];
    uint8_t stored[CRED_PASSWORD_MAX], typed_buf[CRED_PASSWORD_MAX];
    uint8_t user[CRED_USER_MAX], typed_user[CRED_USER_MAX];
    const uint8_t *typed;
    size_t stored_len, typed_len, user_len, typed_user_len, i;
    uint8_t flags = take_byte(&r);
    unsigned attempts = ((flags >> 1) & 3u) + 1u, k;
    int rc[4], hashed_b;
    struct try_ctx t;

    take(&r, dev_a.salt, sizeof(dev_a.salt));
    for (i = 0; i < sizeof(dev_b.salt); i++)
        dev_b.salt[i] = (uint8_t)~dev_a.salt[i];
    stored_len = take(&r, stored, (size_t)(take_byte(&r) % 64) + 1);
    if (flags & 1u) {
        typed = stored;
        typed_len = stored_len;
    } else {
        typed_len = take(&r, typed_buf, (size_t)(take_byte(&r) % 64));
        typed = typed_buf;
    }
    user_len = take(&r, user, (size_t)(take_byte(&r) % CRED_USER_MAX) + 1);
    typed_user_len = take(&r, typed_user, sizeof(typed_user));
    if (stored_len == 0 || user_len == 0)
        goto out;

    memset(&hc, 0, sizeof(hc));
    hc.iterations = ((flags >> 6) & 1u) + 1u;
    hc.limits.min_iterations = 1;
    hc.limits.max_iterations = 2;
    hc.random = fuzz_random;
    hc.random_ctx = &dev_a;
    memset(&acct, 0, sizeof(acct));
    if (cred_hash_password(&acct.record, stored, stored_len, &hc) != CRED_OK)
        goto out; /* NUL bytes, or a salt the component refuses */
    memcpy(acct.user, user, user_len);
    acct.user_len = user_len;

    /* Two devices, one password: salts and records must differ. */
    hc.random_ctx = &dev_b;
    memset(&other, 0, sizeof(other));
    hashed_b = cred_hash_password(&other, stored, stored_len, &hc) == CRED_OK;
    if (hashed_b)
        fwfuzz_check_salted(acct.record.hash, other.hash, acct.record.hash_len,
                            acct.record.salt, other.salt, acct.record.salt_len);
    crypto_wipe(&other, sizeof(other));

    memset(&lc, 0, sizeof(lc));
    lc.limits = hc.limits;
    lc.lockout.max_failures = ((flags >> 4) & 3u) + 1u;
    lc.lockout.backoff_ticks = 10;
    lc.lockout.max_backoff_ticks = 80;
    lc.log.fn = fuzz_log;

    if (!in_public(stored, stored_len, user, user_len) &&
        !in_public(stored, stored_len, dev_a.salt, sizeof(dev_a.salt)) &&
        !in_public(stored, stored_len, dev_b.salt, sizeof(dev_b.salt)))
        fwfuzz_secret(stored, stored_len, "password");
    fwfuzz_secret(acct.record.hash, acct.record.hash_len, "derived key");
    fwfuzz_durable(&acct.lockout, sizeof(acct.lockout), "lockout state");
    for (k = 0; k < attempts; k++)
        rc[k] = cred_login(&acct, &lc, flags & 8u ? user : typed_user,
                           flags & 8u ? user_len : typed_user_len, typed,
                           typed_len, k);
    fwfuzz_under_test_end();

    for (k = 0; k < attempts; k++)
        FWFUZZ_CHECK(
            rc[k] != CRED_OK ||
                (typed_len == stored_len &&
                 memcmp(typed, stored, stored_len) == 0 &&
                 (flags & 8u || (typed_user_len == user_len &&
                                 memcmp(typed_user, user, user_len) == 0))),
            "login accepted another password or user");

    /* A password the policy lets through is no default. */
    memcpy(user_word, user, user_len);
    user_word[user_len] = '\0';
    deny[0] = user_word;
    policy.deny_list = deny;
    policy.deny_count = memchr(user, 0, user_len) == NULL ? 1 : 0;
    if (cred_policy_check(&policy, stored, stored_len, NULL, 0) == CRED_OK) {
        cred_lockout_init(&acct.lockout);
        t.acct = &acct;
        t.cfg = &lc;
        lc.log.fn = NULL;
        fwfuzz_check_default_login(try_login, &t, user, user_len);
    }
out:
    /* Nothing of this frame may look like a leftover of the component:
     * any buffer can hold a piece of the password. */
    crypto_wipe(&acct, sizeof(acct));
    crypto_wipe(stored, sizeof(stored));
    crypto_wipe(typed_buf, sizeof(typed_buf));
    crypto_wipe(user, sizeof(user));
    crypto_wipe(typed_user, sizeof(typed_user));
    crypto_wipe(user_word, sizeof(user_word));
    crypto_wipe(&dev_a, sizeof(dev_a));
    crypto_wipe(&dev_b, sizeof(dev_b));
    return 0;
}
