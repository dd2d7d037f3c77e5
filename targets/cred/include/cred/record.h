/* Versioned stored password record: PBKDF2-HMAC-SHA-256 hash, salt, params. */
#ifndef CRED_RECORD_H
#define CRED_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "cred/error.h"

/*
 * Wire format, version 1 (all integers big-endian, no padding):
 *
 *   offset    size  field
 *   0         1     version      CRED_RECORD_VERSION
 *   1         1     algorithm    CRED_ALG_PBKDF2_SHA256
 *   2         1     flags        CRED_FLAG_*; reserved bits must be 0
 *   3         4     iterations   PBKDF2 count, within the caller's limits
 *   7         1     salt_len     CRED_SALT_MIN .. CRED_SALT_MAX
 *   8         S     salt
 *   8+S       1     hash_len     CRED_HASH_MIN .. CRED_HASH_MAX
 *   9+S       H     hash         PBKDF2 output, H bytes
 *
 * Total 9 + S + H bytes (41 .. CRED_RECORD_MAX_LEN). Every field has exactly
 * one encoding, so serialising a parsed record gives back the input bytes.
 */
#define CRED_RECORD_VERSION    1    /* only version understood */
#define CRED_ALG_PBKDF2_SHA256 1    /* PBKDF2 (RFC 8018) with HMAC-SHA-256 */
#define CRED_FLAG_MUST_CHANGE  0x01 /* e.g. factory default: change at login */
#define CRED_FLAGS_KNOWN       0x01 /* all defined flag bits */
#define CRED_SALT_MIN          16   /* 128 bits, NIST SP 800-132 5.1 */
#define CRED_SALT_MAX          32   /* 256 bits */
#define CRED_SALT_LEN          16   /* length of salts this code creates */
#define CRED_HASH_MIN          16   /* 128 bits */
#define CRED_HASH_MAX          32   /* one PBKDF2-HMAC-SHA-256 block */
#define CRED_HASH_LEN          32   /* length of hashes this code creates */
#define CRED_RECORD_HEADER_LEN 8    /* version .. salt_len */
#define CRED_RECORD_MIN_LEN    (9 + CRED_SALT_MIN + CRED_HASH_MIN) /* 41 */
#define CRED_RECORD_MAX_LEN    (9 + CRED_SALT_MAX + CRED_HASH_MAX) /* 73 */

/*
 * Iteration counts. Production code must use limits with min_iterations >=
 * CRED_ITERATIONS_MIN_PRODUCTION: NIST SP 800-132 asks for at least 1000 and
 * "as large as feasible"; 10000 is the floor we accept for real devices
 * (each iteration costs two or more SHA-256 compressions: measure the login
 * latency on the target and raise the count where it allows). Tests and fuzz
 * targets may pass lower limits (down to 1) to stay fast; nothing else
 * changes.
 * CRED_ITERATIONS_CAP bounds the work a forged record can demand.
 */
#define CRED_ITERATIONS_MIN_PRODUCTION 10000u    /* floor for real devices */
#define CRED_ITERATIONS_DEFAULT        20000u    /* suggested for new records */
#define CRED_ITERATIONS_CAP            10000000u /* absolute upper bound */

/* Accepted range of iteration counts; valid when 1 <= min <= max <= CAP. */
struct cred_kdf_limits {
    uint32_t min_iterations;
    uint32_t max_iterations;
};

#define CRED_KDF_LIMITS_PRODUCTION                                             \
    {                                                                          \
        CRED_ITERATIONS_MIN_PRODUCTION, CRED_ITERATIONS_CAP                    \
    }

/* A parsed record; fields hold exactly what the wire format carries. */
struct cred_record {
    uint8_t version;
    uint8_t algorithm;
    uint8_t flags;
    uint32_t iterations;
    uint8_t salt_len;
    uint8_t salt[CRED_SALT_MAX];
    uint8_t hash_len;
    uint8_t hash[CRED_HASH_MAX];
};

/*
 * Parses one record from the start of buf (trailing bytes are left alone).
 * Returns the number of bytes consumed (> 0) and fills *rec, or one of
 * CRED_ERR_PARAM (rec or limits NULL, buf NULL with len > 0, limits invalid),
 * CRED_ERR_TRUNCATED, CRED_ERR_VERSION, CRED_ERR_ALGORITHM, CRED_ERR_FLAGS,
 * CRED_ERR_ITERATIONS, CRED_ERR_SALT_LEN, CRED_ERR_HASH_LEN. Fields are
 * checked in wire order, so the code names the first bad field. On failure
 * *rec is zeroed.
 */
int cred_record_parse(struct cred_record *rec, const uint8_t *buf, size_t len,
                      const struct cred_kdf_limits *limits);

/*
 * Writes rec into buf (capacity cap). Returns the number of bytes written,
 * CRED_ERR_NO_SPACE when cap is too small (buf untouched), or the code
 * cred_record_parse would give for a bad field (version, algorithm, flags,
 * iterations outside [1, CRED_ITERATIONS_CAP], salt/hash length), or
 * CRED_ERR_PARAM for NULL rec or buf.
 */
int cred_record_serialise(const struct cred_record *rec, uint8_t *buf,
                          size_t cap);

/*
 * Returns 0 if rec passes every field check cred_record_parse makes (with
 * iterations within *limits), else the code parse would return; PARAM for
 * NULL arguments or invalid limits.
 */
int cred_record_check(const struct cred_record *rec,
                      const struct cred_kdf_limits *limits);

/* Returns 0 if limits is non-NULL and 1 <= min <= max <= CAP, else PARAM. */
int cred_kdf_limits_check(const struct cred_kdf_limits *limits);

#endif
