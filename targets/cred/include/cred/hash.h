/* Password hashing (PBKDF2-HMAC-SHA-256, random salt) and verification. */
#ifndef CRED_HASH_H
#define CRED_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "cred/error.h"
#include "cred/record.h"

/*
 * Longest password hashed or verified; longer input is refused unread.
 * PBKDF2 uses the password as an HMAC key, and HMAC pads keys with zeros to
 * a 64-byte block and replaces longer keys by their SHA-256: "pw", "pw\0"
 * and, for a long P, SHA-256(P) would all verify alike. Passwords are
 * therefore at most one block and free of NUL bytes, which makes the key
 * encoding one-to-one: a password verifies only against itself.
 */
#define CRED_PASSWORD_MAX 64

/*
 * Fills out[0..len) with unpredictable bytes (a hardware TRNG or a seeded
 * DRBG). Returns 0 on success, anything else on failure. ctx is passed
 * through untouched.
 */
typedef int (*cred_random_fn)(void *ctx, uint8_t *out, size_t len);

struct cred_hash_config {
    uint32_t iterations;           /* for new records, within limits */
    struct cred_kdf_limits limits; /* see record.h for production limits */
    cred_random_fn random;         /* salt source; required */
    void *random_ctx;              /* passed to random */
};

/*
 * Hashes password[0..password_len) into a fresh version-1 record with a
 * CRED_SALT_LEN-byte salt taken from cfg->random and a CRED_HASH_LEN-byte
 * hash; flags is 0. Returns 0, or:
 *   CRED_ERR_PARAM        rec/cfg/random NULL, password NULL with len > 0,
 *                         limits invalid
 *   CRED_ERR_ITERATIONS   cfg->iterations outside cfg->limits
 *   CRED_ERR_PASSWORD_LEN password_len is 0 or above CRED_PASSWORD_MAX
 *   CRED_ERR_PASSWORD_NUL the password contains a NUL byte
 *   CRED_ERR_RANDOM       the callback failed, or returned a salt whose bytes
 *                         are all equal (a stuck or unwritten source); a
 *                         fixed salt is never used instead
 *   CRED_ERR_KDF          the KDF rejected its parameters
 * On failure *rec is zeroed. The derived key is copied into rec and every
 * temporary is wiped.
 */
int cred_hash_password(struct cred_record *rec, const uint8_t *password,
                       size_t password_len, const struct cred_hash_config *cfg);

/*
 * Recomputes the hash of password with rec's salt and iterations and compares
 * it with rec->hash in constant time. Returns 0 only on a match; otherwise:
 *   CRED_ERR_PARAM        rec or limits NULL, password NULL with len > 0,
 *                         limits invalid
 *   CRED_ERR_PASSWORD_LEN password_len is 0 or above CRED_PASSWORD_MAX
 *   CRED_ERR_PASSWORD_NUL the password contains a NUL byte
 *   a record code         rec fails the checks of cred_record_parse
 *                         (version, algorithm, flags, iterations within
 *                         *limits, salt/hash lengths)
 *   CRED_ERR_KDF          the KDF rejected its parameters
 *   CRED_ERR_MISMATCH     wrong password
 * The derived key and all temporaries are wiped before returning.
 */
int cred_verify_password(const struct cred_record *rec, const uint8_t *password,
                         size_t password_len,
                         const struct cred_kdf_limits *limits);

#endif
