/* Password policy checks. */
#include <string.h>

#include "cred/hash.h"
#include "cred/policy.h"
#include "text.h"

/*
 * Factory defaults and the credentials of IoT botnets' scan lists (Mirai's
 * among them): a device must never accept these as a new password.
 */
static const char *const builtin_words[] = {
    "admin",     "administrator", "password",     "passw0rd",   "password1",
    "default",   "root",          "toor",         "guest",      "user",
    "support",   "service",       "system",       "supervisor", "changeme",
    "letmein",   "qwerty",        "qwertyuiop",   "iloveyou",   "admin123",
    "admin1234", "1234",          "12345",        "123456",     "1234567",
    "12345678",  "123456789",     "1234567890",   "87654321",   "0000",
    "00000000",  "1111",          "11111111",     "888888",     "88888888",
    "666666",    "54321",         "ubnt",         "vizxv",      "xc3511",
    "xmhdipc",   "juantech",      "7ujmko0admin", "hi3518",     "klv123",
    "anko",      "dreambox",      "realtek",      "smcadmin",   "zlxx.",
    "jvbzd",     "ikwb",          "meinsm",       "tech",       "pass",
};

const char *cred_policy_builtin_word(size_t i)
{
    if (i >= sizeof(builtin_words) / sizeof(builtin_words[0]))
        return NULL;
    return builtin_words[i];
}

static int word_matches(const char *word, const uint8_t *password, size_t len)
{
    /* Length first: it is public, the contents are compared in full. */
    return strlen(word) == len &&
           cred_text_eq_nocase((const uint8_t *)word, password, len);
}

static int deny_listed(const struct cred_password_policy *policy,
                       const uint8_t *password, size_t len)
{
    int hit = 0;
    size_t i;

    for (i = 0; i < sizeof(builtin_words) / sizeof(builtin_words[0]); i++)
        hit |= word_matches(builtin_words[i], password, len);
    for (i = 0; i < policy->deny_count; i++)
        hit |= word_matches(policy->deny_list[i], password, len);
    return hit;
}

static unsigned char_classes(const uint8_t *password, size_t len)
{
    unsigned lower = 0, upper = 0, digit = 0, other = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        uint8_t c = password[i];

        if (c >= 'a' && c <= 'z')
            lower = 1;
        else if (c >= 'A' && c <= 'Z')
            upper = 1;
        else if (c >= '0' && c <= '9')
            digit = 1;
        else
            other = 1;
    }
    return lower + upper + digit + other;
}

static int policy_valid(const struct cred_password_policy *policy)
{
    size_t i;

    if (policy->min_len < 1 || policy->min_len > policy->max_len ||
        policy->max_len > CRED_PASSWORD_MAX ||
        policy->min_classes > CRED_POLICY_MAX_CLASSES)
        return 0;
    if (policy->deny_count > 0 && policy->deny_list == NULL)
        return 0;
    for (i = 0; i < policy->deny_count; i++)
        if (policy->deny_list[i] == NULL)
            return 0;
    return 1;
}

int cred_policy_check(const struct cred_password_policy *policy,
                      const uint8_t *password, size_t len,
                      const uint8_t *serial, size_t serial_len)
{
    if (policy == NULL || (password == NULL && len > 0) ||
        (serial == NULL && serial_len > 0) || !policy_valid(policy))
        return CRED_ERR_PARAM;
    if (len < policy->min_len)
        return CRED_ERR_PW_TOO_SHORT;
    if (len > policy->max_len)
        return CRED_ERR_PW_TOO_LONG;
    if (deny_listed(policy, password, len))
        return CRED_ERR_PW_DENY_LISTED;
    if (serial_len > 0 &&
        cred_text_contains_nocase(password, len, serial, serial_len))
        return CRED_ERR_PW_SERIAL;
    if (char_classes(password, len) < policy->min_classes)
        return CRED_ERR_PW_CLASSES;
    return CRED_OK;
}
