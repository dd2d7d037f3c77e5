/* Password policy: length, factory-default deny list, serial, char classes. */
#ifndef CRED_POLICY_H
#define CRED_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "cred/error.h"

#define CRED_POLICY_MIN_LEN_RECOMMENDED 8 /* NIST SP 800-63B 5.1.1.1 */
#define CRED_POLICY_MAX_CLASSES         4 /* lower, upper, digit, other */

/*
 * min_len/max_len: 1 <= min_len <= max_len <= CRED_PASSWORD_MAX
 * (cred/hash.h); production policies should use min_len >=
 * CRED_POLICY_MIN_LEN_RECOMMENDED. min_classes: 0 disables the rule, else
 * 1..4 of lower-case ASCII, upper-case ASCII, digit, anything else. deny_list:
 * deny_count NUL-terminated words, in addition to the built-in list; NULL
 * when deny_count is 0. The policy does not own the list.
 */
struct cred_password_policy {
    size_t min_len;
    size_t max_len;
    unsigned min_classes;
    const char *const *deny_list;
    size_t deny_count;
};

/*
 * Checks password[0..len) against the policy and the device serial number
 * serial[0..serial_len) (NULL when serial_len is 0: rule skipped). Rules in
 * this order, first failure wins:
 *   CRED_ERR_PW_TOO_SHORT   len < min_len
 *   CRED_ERR_PW_TOO_LONG    len > max_len
 *   CRED_ERR_PW_DENY_LISTED equals a built-in or caller word, comparing
 *                           ASCII letters case-insensitively
 *   CRED_ERR_PW_SERIAL      equals or contains the serial, case-insensitively
 *   CRED_ERR_PW_CLASSES     fewer than min_classes character classes
 * CRED_ERR_PARAM for NULL policy, password NULL with len > 0, serial NULL
 * with serial_len > 0, a NULL word in the deny list, or an invalid policy.
 * Returns 0 when every rule passes.
 */
int cred_policy_check(const struct cred_password_policy *policy,
                      const uint8_t *password, size_t len,
                      const uint8_t *serial, size_t serial_len);

/*
 * The built-in factory-default words (lower-case), for display or audit:
 * returns the word at index i, or NULL past the end.
 */
const char *cred_policy_builtin_word(size_t i);

#endif
