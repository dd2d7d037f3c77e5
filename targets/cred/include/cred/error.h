/* Error codes shared by every unit of the credential component. */
#ifndef CRED_ERROR_H
#define CRED_ERROR_H

/*
 * 0 is success; every failure is one of these negative codes. Each function's
 * header comment lists the subset it can return.
 */
#define CRED_OK 0

/* Generic */
#define CRED_ERR_PARAM    (-1) /* NULL where not allowed, bad limits/config */
#define CRED_ERR_NO_SPACE (-2) /* caller buffer too small */

/* Stored record (cred/record.h) */
#define CRED_ERR_TRUNCATED  (-3) /* input ends inside a field */
#define CRED_ERR_VERSION    (-4) /* unknown format version */
#define CRED_ERR_ALGORITHM  (-5) /* unknown algorithm id */
#define CRED_ERR_FLAGS      (-6) /* reserved flag bits set */
#define CRED_ERR_ITERATIONS (-7) /* iterations outside [min, max] */
#define CRED_ERR_SALT_LEN   (-8) /* salt length outside bounds */
#define CRED_ERR_HASH_LEN   (-9) /* hash length outside bounds */

/* Hashing and verification (cred/hash.h) */
#define CRED_ERR_RANDOM       (-10) /* random callback failed or stuck */
#define CRED_ERR_PASSWORD_LEN (-11) /* empty, or above CRED_PASSWORD_MAX */
#define CRED_ERR_MISMATCH     (-12) /* wrong password (or wrong user) */
#define CRED_ERR_KDF          (-13) /* the KDF refused its parameters */
#define CRED_ERR_PASSWORD_NUL (-15) /* password contains a NUL byte */

/* Lockout and login (cred/lockout.h, cred/login.h) */
#define CRED_ERR_LOCKED (-14) /* refused without checking: backing off */

/* Password policy (cred/policy.h): one code per rule */
#define CRED_ERR_PW_TOO_SHORT   (-20) /* shorter than min_len */
#define CRED_ERR_PW_TOO_LONG    (-21) /* longer than max_len */
#define CRED_ERR_PW_DENY_LISTED (-22) /* equals a deny-list word (any case) */
#define CRED_ERR_PW_SERIAL      (-23) /* equals/contains the serial number */
#define CRED_ERR_PW_CLASSES     (-24) /* too few character classes */

/* Provisioning blob (cred/provision.h) */
#define CRED_ERR_MAGIC     (-30) /* not a provisioning blob */
#define CRED_ERR_LENGTH    (-31) /* body length disagrees with the input */
#define CRED_ERR_TLV       (-32) /* unknown, duplicate, missing or misordered */
#define CRED_ERR_FIELD     (-33) /* field length or characters out of bounds */
#define CRED_ERR_INTEGRITY (-34) /* SHA-256 digest mismatch */

#endif
