/*
 * Hashing, verification, login logging and log redaction, driven by one
 * input. Layout (missing bytes read as 0, short fields are shortened):
 *
 *   byte 0   mode: bits 0-1 how B relates to A (0 equal, 1 one byte
 *            changed, 2-3 independent), bit 2 random callback fails,
 *            bit 3 the login user is the account name, bits 4-5 login
 *            attempts - 1, bit 6 PBKDF2 iterations - 1 (kept low for
 *            speed), bit 7 unused
 *   byte 1   length of A (0..71: empty and over-long included)
 *   byte 2   length of B when independent, else where B differs from A
 *   byte 3   per attempt (bit i): password A (1) or B (0)
 *   byte 4   bits 0-1 lockout threshold - 1, bits 2-7 ticks between tries
 *   byte 5   redaction: bits 0-4 secret key, bits 5-7 delimiter
 *   byte 6   redaction output buffer size selector
 *   16       salt returned by the random callback
 *   A, B     the stored and the candidate password
 *   1 + n    account name (n = byte % 32 + 1), then 1 + n typed user name
 *   1 + n    log prefix line X, 1 + n lead text, rest: suffix
 *
 * Properties:
 *  - cred_hash_password fails exactly when it must (length, NUL byte,
 *    callback, stuck salt); on success the hash equals an independent PBKDF2 of
 * A with the callback's salt;
 *  - cred_verify_password(B) returns 0 iff B == A byte for byte (this found
 *    HMAC's zero-padding of keys: "pw" verified "pw\0");
 *  - cred_login accepts iff not locked, user equals the account name and the
 *    password is A; its log lines are printable, and identical to the lines
 *    of the same run with A and B replaced by filler of the same lengths (so
 *    nothing in them depends on the password bytes); no password of length
 *    >= 4 occurs in the log unless it occurs in that password-free log too;
 *  - cred_redact of X "\n" lead key P delim suffix, where P is A made into a
 *    value (bytes that end a value flipped to >= 0x80): lines are redacted
 *    independently; the key is followed by the mask; the output is the same
 *    with P replaced by filler, and P (length >= 4) does not survive unless
 *    the filler output has it; a small output buffer gets a NUL-terminated
 *    prefix of the full output and nothing more;
 *  - cred_policy_check(B) gives the code of the first rule B breaks, checked
 *    against a plain reimplementation of the rules (the serial is the first
 *    8 salt bytes, the policy's numbers come from the header bytes).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hmac_sha256.h"
#include "cred/hash.h"
#include "cred/log.h"
#include "cred/login.h"
#include "cred/policy.h"
#include "fwfuzz/check.h"

#define FUZZ_MAX_ITERATIONS 2
#define FUZZ_LOG_MAX        2048
#define FUZZ_VALUE_MAX      64

struct fuzz_reader {
    const uint8_t *p;
    size_t n;
};

struct fuzz_salt {
    uint8_t salt[CRED_SALT_LEN];
    int fail;
    int calls;
};

struct fuzz_log {
    char text[FUZZ_LOG_MAX];
    size_t len;
};

struct fuzz_bytes {
    const uint8_t *p;
    size_t n;
};

uint8_t cred_fuzz_byte(struct fuzz_reader *r);
struct fuzz_bytes cred_fuzz_take(struct fuzz_reader *r, size_t want);
int cred_fuzz_random(void *ctx, uint8_t *out, size_t len);
void cred_fuzz_log_sink(void *ctx, enum cred_log_level level, const char *line);
int cred_fuzz_contains(const uint8_t *hay, size_t hay_len,
                       const uint8_t *needle, size_t needle_len);
int cred_fuzz_bytes_equal(const uint8_t *a, size_t a_len, const uint8_t *b,
                          size_t b_len);
void cred_fuzz_logins(const uint8_t *a, size_t a_len, const uint8_t *b,
                      size_t b_len, const uint8_t *filler_a,
                      const uint8_t *filler_b, struct fuzz_salt *salt,
                      uint32_t iterations, const uint8_t *hdr,
                      struct fuzz_reader *r);
void cred_fuzz_redact(const uint8_t *a, size_t a_len, uint8_t key_sel,
                      uint8_t size_sel, struct fuzz_reader *r);
int cred_fuzz_policy_oracle(const struct cred_password_policy *policy,
                            const uint8_t *pw, size_t len,
                            const uint8_t *serial, size_t serial_len);
void cred_fuzz_policy(const uint8_t *pw, size_t len, const uint8_t *hdr,
                      const uint8_t *serial, size_t serial_len);

uint8_t cred_fuzz_byte(struct fuzz_reader *r)
{
    uint8_t b;

    if (r->n == 0)
        return 0;
    b = *r->p++;
    r->n--;
    return b;
}

struct fuzz_bytes cred_fuzz_take(struct fuzz_reader *r, size_t want)
{
    struct fuzz_bytes out;

    out.p = r->p;
    out.n = want < r->n ? want : r->n;
    r->p += out.n;
    r->n -= out.n;
    return out;
}

int cred_fuzz_random(void *ctx, uint8_t *out, size_t len)
{
    struct fuzz_salt *s = ctx;
    size_t i;

    s->calls++;
    if (s->fail)
        return -1;
    for (i = 0; i < len; i++)
        out[i] = i < sizeof(s->salt) ? s->salt[i] : 0;
    return 0;
}

void cred_fuzz_log_sink(void *ctx, enum cred_log_level level, const char *line)
{
    struct fuzz_log *log = ctx;
    size_t n = strlen(line), i;

    FWFUZZ_CHECK(n < CRED_LOG_LINE_MAX, "log line longer than promised");
    for (i = 0; i < n; i++)
        FWFUZZ_CHECK(line[i] >= 0x20 && line[i] <= 0x7e,
                     "log line carries a non-printable byte");
    if (log->len + n + 2 > sizeof(log->text))
        return;
    log->text[log->len++] = level == CRED_LOG_INFO ? 'I' : 'W';
    memcpy(log->text + log->len, line, n);
    log->len += n;
    log->text[log->len++] = '\n';
}

int cred_fuzz_contains(const uint8_t *hay, size_t hay_len,
                       const uint8_t *needle, size_t needle_len)
{
    size_t i;

    if (needle_len > hay_len)
        return 0;
    for (i = 0; i + needle_len <= hay_len; i++)
        if (memcmp(hay + i, needle, needle_len) == 0)
            return 1;
    return 0;
}

int cred_fuzz_bytes_equal(const uint8_t *a, size_t a_len, const uint8_t *b,
                          size_t b_len)
{
    return a_len == b_len && (a_len == 0 || memcmp(a, b, a_len) == 0);
}

/* The expected cred_login result, from first principles. */
static int expected_login(const struct cred_account *acct, uint32_t now,
                          const uint8_t *user, size_t user_len,
                          const uint8_t *pw, size_t pw_len, const uint8_t *a,
                          size_t a_len)
{
    if (cred_lockout_remaining(&acct->lockout, now) > 0)
        return CRED_ERR_LOCKED;
    if (pw_len == 0 || pw_len > CRED_PASSWORD_MAX)
        return CRED_ERR_PASSWORD_LEN;
    if (memchr(pw, 0, pw_len) != NULL)
        return CRED_ERR_PASSWORD_NUL;
    if (cred_fuzz_bytes_equal(user, user_len, acct->user, acct->user_len) &&
        cred_fuzz_bytes_equal(pw, pw_len, a, a_len))
        return CRED_OK;
    return CRED_ERR_MISMATCH;
}

/*
 * Runs the same login sequence twice: with the real passwords, and with
 * fillers of the same lengths (same equalities), then compares the logs.
 */
void cred_fuzz_logins(const uint8_t *a, size_t a_len, const uint8_t *b,
                      size_t b_len, const uint8_t *filler_a,
                      const uint8_t *filler_b, struct fuzz_salt *salt,
                      uint32_t iterations, const uint8_t *hdr,
                      struct fuzz_reader *r)
{
    static struct fuzz_log logs[2];
    struct cred_hash_config hc;
    struct cred_login_config lc;
    struct cred_account acct;
    struct fuzz_bytes name, typed;
    const uint8_t *user, *pw;
    size_t user_len, pw_len;
    unsigned attempts = ((hdr[0] >> 4) & 3u) + 1u, i;
    int run, rc[2][4];
    uint32_t now;

    name = cred_fuzz_take(r, (size_t)(cred_fuzz_byte(r) % CRED_USER_MAX) + 1);
    typed = cred_fuzz_take(r, (size_t)(cred_fuzz_byte(r) % 40));
    if (name.n == 0)
        return;

    for (run = 0; run < 2; run++) {
        const uint8_t *sa = run == 0 ? a : filler_a;
        const uint8_t *sb = run == 0 ? b : filler_b;

        memset(&hc, 0, sizeof(hc));
        hc.iterations = iterations;
        hc.limits.min_iterations = 1;
        hc.limits.max_iterations = FUZZ_MAX_ITERATIONS;
        hc.random = cred_fuzz_random;
        hc.random_ctx = salt;
        memset(&acct, 0, sizeof(acct));
        FWFUZZ_CHECK(cred_hash_password(&acct.record, sa, a_len, &hc) == 0,
                     "hashing failed on a second run with the same salt");
        memcpy(acct.user, name.p, name.n);
        acct.user_len = name.n;
        memset(&lc, 0, sizeof(lc));
        lc.limits = hc.limits;
        lc.lockout.max_failures = (hdr[4] & 3u) + 1u;
        lc.lockout.backoff_ticks = 10;
        lc.lockout.max_backoff_ticks = 80;
        lc.log.fn = cred_fuzz_log_sink;
        lc.log.ctx = &logs[run];
        logs[run].len = 0;

        now = 0xfffffff0u; /* wraps during the sequence */
        for (i = 0; i < attempts; i++) {
            int want;

            pw = (hdr[3] >> i) & 1u ? sa : sb;
            pw_len = (hdr[3] >> i) & 1u ? a_len : b_len;
            user = hdr[0] & 8u ? name.p : typed.p;
            user_len = hdr[0] & 8u ? name.n : typed.n;
            want = expected_login(&acct, now, user, user_len, pw, pw_len, sa,
                                  a_len);
            rc[run][i] =
                cred_login(&acct, &lc, user, user_len, pw, pw_len, now);
            FWFUZZ_CHECK(rc[run][i] == want,
                         "login result differs from the specification");
            now += (uint32_t)(hdr[4] >> 2);
        }
    }

    for (i = 0; i < attempts; i++)
        FWFUZZ_CHECK(rc[0][i] == rc[1][i],
                     "login result depends on password bytes");
    /* A match in the filler run's log is a coincidence (fixed text, the
     * account name, a count), not a leak. */
    if (a_len >= 4 && cred_fuzz_contains((const uint8_t *)logs[0].text,
                                         logs[0].len, a, a_len))
        FWFUZZ_CHECK(cred_fuzz_contains((const uint8_t *)logs[1].text,
                                        logs[1].len, a, a_len),
                     "stored password appears in the login log");
    if (b_len >= 4 && cred_fuzz_contains((const uint8_t *)logs[0].text,
                                         logs[0].len, b, b_len))
        FWFUZZ_CHECK(cred_fuzz_contains((const uint8_t *)logs[1].text,
                                        logs[1].len, b, b_len),
                     "typed password appears in the login log");
    FWFUZZ_CHECK(
        cred_fuzz_bytes_equal((const uint8_t *)logs[0].text, logs[0].len,
                              (const uint8_t *)logs[1].text, logs[1].len),
        "login log depends on password bytes");
}

enum fuzz_value_kind { VALUE_BARE, VALUE_DQ, VALUE_SQ, VALUE_AUTH };

static const struct {
    const char *key;
    enum fuzz_value_kind kind;
} fuzz_keys[] = {
    {"password=", VALUE_BARE},
    {"passwd: ", VALUE_BARE},
    {"pass=", VALUE_BARE},
    {"pwd=", VALUE_BARE},
    {"token=", VALUE_BARE},
    {"secret = ", VALUE_BARE},
    {"api_key=", VALUE_BARE},
    {"apikey:", VALUE_BARE},
    {"passphrase=", VALUE_BARE},
    {"PASSWORD=", VALUE_BARE},
    {"Password:\t", VALUE_BARE},
    {"mqtt_pass=", VALUE_BARE},
    {"\"password\":\"", VALUE_DQ},
    {"\"token\": \"", VALUE_DQ},
    {"{\"passwd\" : \"", VALUE_DQ},
    {"password='", VALUE_SQ},
    {"secret: '", VALUE_SQ},
    {"Authorization: Basic ", VALUE_AUTH},
    {"authorization: bearer ", VALUE_AUTH},
    {"Proxy-Authorization: Digest ", VALUE_AUTH},
};

static const char *const bare_delims[] = {" ", "\t", "&", "\n", "\r\n", ""};
static const char *const auth_delims[] = {"\n", "\r\n", ""};

static int ends_value(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f' || c == '&' || c == '\0' || c == '"' || c == '\'' ||
           c == '\\';
}

static void append(uint8_t *buf, size_t *len, const void *p, size_t n)
{
    memcpy(buf + *len, p, n);
    *len += n;
}

/* The whole line goes in as an exact-size heap copy, so an over-read hits a
 * redzone; its parts are redacted from the stack buffers directly. */
static int redact_copy(const uint8_t *buf, size_t len, char *out,
                       size_t out_size)
{
    char *line = malloc(len > 0 ? len : 1);
    int rc;

    if (line == NULL)
        abort();
    memcpy(line, buf, len);
    rc = cred_redact(out, out_size, line, len);
    free(line);
    return rc;
}

#define FUZZ_Y_MAX    (16 + 32 + FUZZ_VALUE_MAX + 2 + 128)
#define FUZZ_LINE_MAX (128 + 1 + FUZZ_Y_MAX)
/* Masks add at most 3 bytes per 4-byte key: 2 * len + 8 is plenty. */
#define FUZZ_OUT_MAX (2 * FUZZ_LINE_MAX + 8)

void cred_fuzz_redact(const uint8_t *a, size_t a_len, uint8_t key_sel,
                      uint8_t size_sel, struct fuzz_reader *r)
{
    static const char lead_chars[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ ";
    uint8_t value[FUZZ_VALUE_MAX], filler[FUZZ_VALUE_MAX], lead[16];
    static char full[FUZZ_OUT_MAX], part[FUZZ_OUT_MAX];
    static char out_y[2][FUZZ_OUT_MAX];
    uint8_t y[2][FUZZ_Y_MAX];
    uint8_t line[FUZZ_LINE_MAX];
    size_t y_len[2], line_len = 0, v_len, i, key_len, delim_len;
    struct fuzz_bytes prefix, lead_in, suffix;
    const char *key, *delim;
    enum fuzz_value_kind kind;
    char *small;
    int rc, rc_part, rc_y[2], k;
    size_t small_size;

    prefix = cred_fuzz_take(r, (size_t)(cred_fuzz_byte(r) % 128));
    lead_in = cred_fuzz_take(r, (size_t)(cred_fuzz_byte(r) % sizeof(lead)));
    suffix = cred_fuzz_take(r, 128);
    for (i = 0; i < lead_in.n; i++)
        lead[i] = (uint8_t)lead_chars[lead_in.p[i] % 64];

    k = (int)(key_sel & 0x1f) % (int)(sizeof(fuzz_keys) / sizeof(fuzz_keys[0]));
    key = fuzz_keys[k].key;
    kind = fuzz_keys[k].kind;
    key_len = strlen(key);
    if (kind == VALUE_BARE)
        delim = bare_delims[(key_sel >> 5) % 6];
    else if (kind == VALUE_AUTH)
        delim = auth_delims[(key_sel >> 5) % 3];
    else
        delim = kind == VALUE_DQ ? "\"" : "'";
    delim_len = strlen(delim);
    if (delim_len == 0)
        suffix.n = 0; /* the value runs to the end of the line */

    /* A made into one value: bytes that would end it get the top bit. */
    v_len = a_len < sizeof(value) ? a_len : sizeof(value);
    for (i = 0; i < v_len; i++) {
        value[i] = ends_value(a[i]) ? (uint8_t)(a[i] | 0x80) : a[i];
        filler[i] = 'Z';
    }

    for (k = 0; k < 2; k++) {
        y_len[k] = 0;
        append(y[k], &y_len[k], lead, lead_in.n);
        append(y[k], &y_len[k], key, key_len);
        append(y[k], &y_len[k], k == 0 ? value : filler, v_len);
        append(y[k], &y_len[k], delim, delim_len);
        append(y[k], &y_len[k], suffix.p, suffix.n);
    }
    append(line, &line_len, prefix.p, prefix.n);
    append(line, &line_len, "\n", 1);
    append(line, &line_len, y[0], y_len[0]);

    rc = redact_copy(line, line_len, full, sizeof(full));
    FWFUZZ_CHECK(rc >= 0 && (size_t)rc < sizeof(full) && full[rc] == '\0',
                 "redaction of a line into a large buffer failed");
    rc_part = cred_redact(part, sizeof(part), (const char *)line, prefix.n + 1);
    for (k = 0; k < 2; k++)
        rc_y[k] = cred_redact(out_y[k], sizeof(out_y[k]), (const char *)y[k],
                              y_len[k]);
    FWFUZZ_CHECK(rc_part >= 0 && rc_y[0] >= 0 && rc_y[1] >= 0,
                 "redaction of a part failed");
    FWFUZZ_CHECK((size_t)rc == (size_t)rc_part + (size_t)rc_y[0] &&
                     memcmp(full, part, (size_t)rc_part) == 0 &&
                     memcmp(full + rc_part, out_y[0], (size_t)rc_y[0]) == 0,
                 "redaction of one line depends on the line before");

    if (v_len > 0) {
        FWFUZZ_CHECK((size_t)rc_y[0] >=
                             lead_in.n + key_len + CRED_REDACT_MASK_LEN &&
                         memcmp(out_y[0], lead, lead_in.n) == 0 &&
                         memcmp(out_y[0] + lead_in.n, key, key_len) == 0 &&
                         memcmp(out_y[0] + lead_in.n + key_len,
                                CRED_REDACT_MASK, CRED_REDACT_MASK_LEN) == 0,
                     "secret key not followed by the mask");
        if (v_len >= 4 && cred_fuzz_contains((const uint8_t *)out_y[0],
                                             (size_t)rc_y[0], value, v_len))
            FWFUZZ_CHECK(cred_fuzz_contains((const uint8_t *)out_y[1],
                                            (size_t)rc_y[1], value, v_len),
                         "password survived redaction");
        FWFUZZ_CHECK(
            cred_fuzz_bytes_equal((const uint8_t *)out_y[0], (size_t)rc_y[0],
                                  (const uint8_t *)out_y[1], (size_t)rc_y[1]),
            "redacted line depends on the secret's bytes");
    }

    /* A small buffer gets a NUL-terminated prefix of the full output. */
    small_size = (size_t)size_sel % ((size_t)rc + 2) + 1;
    small = malloc(small_size);
    if (small == NULL)
        abort();
    rc_part = redact_copy(line, line_len, small, small_size);
    if (small_size > (size_t)rc)
        FWFUZZ_CHECK(rc_part == rc && memcmp(small, full, (size_t)rc + 1) == 0,
                     "redaction differs with a buffer that fits");
    else
        FWFUZZ_CHECK(rc_part == CRED_ERR_NO_SPACE &&
                         memcmp(small, full, small_size - 1) == 0 &&
                         small[small_size - 1] == '\0',
                     "truncated redaction is not a prefix of the full one");
    free(small);
}

static uint8_t fold(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static int same_nocase(const uint8_t *x, const uint8_t *y, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (fold(x[i]) != fold(y[i]))
            return 0;
    return 1;
}

/* The policy rules of cred/policy.h, written out the obvious way. */
int cred_fuzz_policy_oracle(const struct cred_password_policy *policy,
                            const uint8_t *pw, size_t len,
                            const uint8_t *serial, size_t serial_len)
{
    int lower = 0, upper = 0, digit = 0, other = 0;
    const char *w;
    size_t i;

    if (len < policy->min_len)
        return CRED_ERR_PW_TOO_SHORT;
    if (len > policy->max_len)
        return CRED_ERR_PW_TOO_LONG;
    for (i = 0; (w = cred_policy_builtin_word(i)) != NULL; i++)
        if (strlen(w) == len && same_nocase((const uint8_t *)w, pw, len))
            return CRED_ERR_PW_DENY_LISTED;
    for (i = 0; i < policy->deny_count; i++)
        if (strlen(policy->deny_list[i]) == len &&
            same_nocase((const uint8_t *)policy->deny_list[i], pw, len))
            return CRED_ERR_PW_DENY_LISTED;
    for (i = 0; serial_len > 0 && i + serial_len <= len; i++)
        if (same_nocase(pw + i, serial, serial_len))
            return CRED_ERR_PW_SERIAL;
    for (i = 0; i < len; i++) {
        if (pw[i] >= 'a' && pw[i] <= 'z')
            lower = 1;
        else if (pw[i] >= 'A' && pw[i] <= 'Z')
            upper = 1;
        else if (pw[i] >= '0' && pw[i] <= '9')
            digit = 1;
        else
            other = 1;
    }
    if ((unsigned)(lower + upper + digit + other) < policy->min_classes)
        return CRED_ERR_PW_CLASSES;
    return CRED_OK;
}

void cred_fuzz_policy(const uint8_t *pw, size_t len, const uint8_t *hdr,
                      const uint8_t *serial, size_t serial_len)
{
    static const char *const words[] = {"acme-router", "Welcome1"};
    struct cred_password_policy policy;

    memset(&policy, 0, sizeof(policy));
    policy.min_len = 1 + hdr[2] % 12u;
    policy.max_len = policy.min_len + hdr[4] % 48u;
    if (policy.max_len > CRED_PASSWORD_MAX)
        policy.max_len = CRED_PASSWORD_MAX;
    policy.min_classes = hdr[5] % 5u;
    policy.deny_list = words;
    policy.deny_count = hdr[6] & 1u ? 2 : 0;
    FWFUZZ_CHECK(
        cred_policy_check(&policy, pw, len, serial, serial_len) ==
            cred_fuzz_policy_oracle(&policy, pw, len, serial, serial_len),
        "password policy differs from its rules");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_reader r = {data, size};
    uint8_t hdr[7], b_buf[CRED_PASSWORD_MAX + 8];
    uint8_t filler_a[CRED_PASSWORD_MAX + 8], filler_b[CRED_PASSWORD_MAX + 8];
    uint8_t key[CRED_HASH_LEN];
    struct fuzz_salt salt;
    struct fuzz_bytes a, b, salt_in;
    struct cred_hash_config hc;
    struct cred_record rec;
    struct cred_kdf_limits limits = {1, FUZZ_MAX_ITERATIONS};
    uint32_t iterations;
    size_t i;
    int rc, want, degenerate;

    for (i = 0; i < sizeof(hdr); i++)
        hdr[i] = cred_fuzz_byte(&r);
    iterations = (uint32_t)((hdr[0] >> 6) & 1u) + 1u;
    memset(&salt, 0, sizeof(salt));
    salt.fail = (hdr[0] & 4u) != 0;
    salt_in = cred_fuzz_take(&r, sizeof(salt.salt));
    memcpy(salt.salt, salt_in.p, salt_in.n);

    a = cred_fuzz_take(&r, (size_t)hdr[1] % (CRED_PASSWORD_MAX + 8));
    switch (hdr[0] & 3u) {
    case 0:
        b = a;
        break;
    case 1:
        memcpy(b_buf, a.p, a.n);
        b.p = b_buf;
        b.n = a.n;
        if (a.n > 0) {
            b_buf[hdr[2] % a.n] ^= (uint8_t)(hdr[5] | 1u);
        } else {
            b_buf[0] = hdr[5];
            b.n = 1;
        }
        break;
    default:
        b = cred_fuzz_take(&r, (size_t)hdr[2] % (CRED_PASSWORD_MAX + 8));
        break;
    }

    /* Hashing fails exactly when it must. */
    degenerate = 1;
    for (i = 1; i < sizeof(salt.salt); i++)
        if (salt.salt[i] != salt.salt[0])
            degenerate = 0;
    if (a.n == 0 || a.n > CRED_PASSWORD_MAX)
        want = CRED_ERR_PASSWORD_LEN;
    else if (memchr(a.p, 0, a.n) != NULL)
        want = CRED_ERR_PASSWORD_NUL;
    else if (salt.fail || degenerate)
        want = CRED_ERR_RANDOM;
    else
        want = CRED_OK;
    memset(&hc, 0, sizeof(hc));
    hc.iterations = iterations;
    hc.limits = limits;
    hc.random = cred_fuzz_random;
    hc.random_ctx = &salt;
    rc = cred_hash_password(&rec, a.p, a.n, &hc);
    FWFUZZ_CHECK(rc == want, "hash result differs from the specification");

    if (rc == CRED_OK) {
        FWFUZZ_CHECK(rec.salt_len == CRED_SALT_LEN &&
                         memcmp(rec.salt, salt.salt, CRED_SALT_LEN) == 0 &&
                         rec.iterations == iterations &&
                         rec.hash_len == CRED_HASH_LEN,
                     "record does not carry the callback's salt and count");
        FWFUZZ_CHECK(pbkdf2_hmac_sha256(a.p, a.n, salt.salt, CRED_SALT_LEN,
                                        iterations, key, sizeof(key)) == 0 &&
                         memcmp(key, rec.hash, sizeof(key)) == 0,
                     "stored hash differs from an independent PBKDF2");

        if (b.n == 0 || b.n > CRED_PASSWORD_MAX)
            want = CRED_ERR_PASSWORD_LEN;
        else if (memchr(b.p, 0, b.n) != NULL)
            want = CRED_ERR_PASSWORD_NUL;
        else if (cred_fuzz_bytes_equal(a.p, a.n, b.p, b.n))
            want = CRED_OK;
        else
            want = CRED_ERR_MISMATCH;
        rc = cred_verify_password(&rec, b.p, b.n, &limits);
        FWFUZZ_CHECK(rc == want, "verify accepts iff B == A: violated");

        /* Fillers keep lengths, NUL positions (A has none) and the A == B
         * relation, nothing else. */
        memset(filler_a, 0x01, a.n);
        for (i = 0; i < b.n; i++)
            filler_b[i] = b.p[i] == 0 ? 0 : 0x02;
        cred_fuzz_logins(a.p, a.n, b.p, b.n, filler_a,
                         cred_fuzz_bytes_equal(a.p, a.n, b.p, b.n) ? filler_a
                                                                   : filler_b,
                         &salt, iterations, hdr, &r);
    }

    /* B as a new password; the serial is a prefix of the salt bytes. */
    cred_fuzz_policy(b.p, b.n, hdr, salt_in.p, salt_in.n < 8 ? salt_in.n : 8);
    cred_fuzz_redact(a.p, a.n, hdr[5], hdr[6], &r);
    return 0;
}
