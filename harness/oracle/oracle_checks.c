/*
 * The credential oracles that need nothing but the target's own calls:
 * default logins and salts (fwfuzz/oracle.h). Built natively into the
 * oracle runtime and, unchanged, into the fuzzing images, so a finding is
 * the same in both modes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fwfuzz/oracle.h"
#include "oracle_runtime.h"

/* Factory defaults seen in IoT botnets' lists (Mirai's among them). */
static const char *const default_passwords[] = {
    "admin", "root",  "password", "1234",      "12345", "123456",   "default",
    "guest", "user",  "support",  "pass",      "0000",  "888888",   "system",
    "ubnt",  "vizxv", "xc3511",   "admin1234", "toor",  "changeme",
};
/* Factory accounts: user and password, as shipped. */
static const char *const default_accounts[][2] = {
    {"admin", "admin"}, {"admin", "password"},  {"admin", "1234"},
    {"admin", ""},      {"root", "root"},       {"root", "admin"},
    {"root", "12345"},  {"root", ""},           {"user", "user"},
    {"guest", "guest"}, {"support", "support"}, {"ubnt", "ubnt"},
};

/* The message of a finding: fixed parts and one account or password. */
static char message[160];

static size_t put(size_t at, const char *s, size_t n)
{
    while (n-- > 0 && at < sizeof(message) - 1) {
        char c = *s++;

        message[at++] = c >= 0x20 && c < 0x7f ? c : '?';
    }
    message[at] = '\0';
    return at;
}

static size_t puts0(size_t at, const char *s)
{
    return put(at, s, strlen(s));
}

static int try_login(fwfuzz_login_fn login, void *ctx, const uint8_t *user,
                     size_t user_len, const char *password, size_t pw_len)
{
    return login(ctx, user, user_len, (const uint8_t *)password, pw_len) != 0;
}

static _Noreturn void fwfuzz_oracle_accepted(const uint8_t *user,
                                             size_t user_len,
                                             const char *password,
                                             size_t pw_len, const char *kind)
{
    size_t at = puts0(0, "login accepted with ");

    at = puts0(at, kind);
    at = puts0(at, ": user '");
    at = put(at, (const char *)user, user_len);
    at = puts0(at, "', password '");
    at = put(at, password, pw_len);
    puts0(at, "'");
    fwfuzz_finding("default-credentials", message, __FILE__, __LINE__);
}

void fwfuzz_check_default_login(fwfuzz_login_fn login, void *ctx,
                                const uint8_t *user, size_t user_len)
{
    size_t i;

    if (login == NULL || !fwfuzz_oracle_listening())
        return;
    if (try_login(login, ctx, user, user_len, "", 0))
        fwfuzz_oracle_accepted(user, user_len, "", 0, "an empty password");
    if (user != NULL && user_len > 0 &&
        try_login(login, ctx, user, user_len, (const char *)user, user_len))
        fwfuzz_oracle_accepted(user, user_len, (const char *)user, user_len,
                               "the account name as password");
    for (i = 0; i < sizeof(default_passwords) / sizeof(default_passwords[0]);
         i++) {
        const char *p = default_passwords[i];

        if (user != NULL && user_len > 0 &&
            try_login(login, ctx, user, user_len, p, strlen(p)))
            fwfuzz_oracle_accepted(user, user_len, p, strlen(p),
                                   "a factory default");
    }
    for (i = 0; i < sizeof(default_accounts) / sizeof(default_accounts[0]);
         i++) {
        const uint8_t *u = (const uint8_t *)default_accounts[i][0];
        const char *p = default_accounts[i][1];

        if (try_login(login, ctx, u, strlen(default_accounts[i][0]), p,
                      strlen(p)))
            fwfuzz_oracle_accepted(u, strlen(default_accounts[i][0]), p,
                                   strlen(p), "a factory default account");
    }
}

static int all_zero(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

static _Noreturn void fwfuzz_oracle_unsalted(const char *why)
{
    puts0(puts0(0, "credential records made from one password: "), why);
    fwfuzz_finding("unsalted-credentials", message, __FILE__, __LINE__);
}

void fwfuzz_check_salted(const void *a, const void *b, size_t rec_len,
                         const void *salt_a, const void *salt_b,
                         size_t salt_len)
{
    if (a == NULL || b == NULL || !fwfuzz_oracle_listening())
        return;
    if (salt_len == 0 || salt_a == NULL || salt_b == NULL)
        fwfuzz_oracle_unsalted("they have no salt");
    if (all_zero(salt_a, salt_len) || all_zero(salt_b, salt_len))
        fwfuzz_oracle_unsalted("a salt is all zero");
    if (memcmp(salt_a, salt_b, salt_len) == 0)
        fwfuzz_oracle_unsalted("both have the same salt (a constant salt)");
    if (rec_len > 0 && memcmp(a, b, rec_len) == 0)
        fwfuzz_oracle_unsalted("the two records are equal");
}
