/*
 * devauth: device accounts and message authentication with seven planted
 * flaws, one per security oracle (docs/examples/planted-oracles/README.md).
 * Do not copy this code: each flaw is there on purpose unless the build
 * defines DEVAUTH_FIXED (all seven fixed) or its DEVAUTH_FIX_<FLAW>.
 */
#ifndef DEVAUTH_H
#define DEVAUTH_H

#include <stddef.h>
#include <stdint.h>

/*
 * The flawed and the fixed library go into the one firmware image side by
 * side, and two components may not define the same global function there
 * (docs/adding-a-target.md): the fixed build's functions get names of
 * their own. DEVAUTH_FIXED is a PUBLIC definition of the fixed library, so
 * its callers are renamed with it.
 */
#ifdef DEVAUTH_FIXED
#define devauth_store_init    devauth_fixed_store_init
#define devauth_make_record   devauth_fixed_make_record
#define devauth_add_account   devauth_fixed_add_account
#define devauth_login         devauth_fixed_login
#define devauth_console_login devauth_fixed_console_login
#define devauth_session_key   devauth_fixed_session_key
#define devauth_message_tag   devauth_fixed_message_tag
#define devauth_verify_tag    devauth_fixed_verify_tag
#define devauth_parse_message devauth_fixed_parse_message
#endif

#define DEVAUTH_OK         0
#define DEVAUTH_ERR_PARAM  (-1) /* NULL, or a length out of its bounds */
#define DEVAUTH_ERR_FULL   (-2) /* no free account slot */
#define DEVAUTH_ERR_EXISTS (-3) /* an account of that name exists */
#define DEVAUTH_ERR_DENIED (-4) /* unknown user or wrong password */
#define DEVAUTH_ERR_LOCKED (-5) /* too many failures: not checked */
#define DEVAUTH_ERR_TAG    (-6) /* the tag does not match */
#define DEVAUTH_ERR_FORMAT (-7) /* malformed message */

#define DEVAUTH_ID_MAX       16 /* longest device id */
#define DEVAUTH_USER_MAX     16 /* longest account name */
#define DEVAUTH_PASSWORD_MIN 8  /* shortest password provisioning takes */
#define DEVAUTH_PASSWORD_MAX 32 /* longest password */
#define DEVAUTH_ACCOUNTS     4  /* account slots of a device */
#define DEVAUTH_MAX_FAILURES 3  /* failed logins before the lock */
#define DEVAUTH_SALT_LEN     16
#define DEVAUTH_HASH_LEN     32
#define DEVAUTH_KEY_LEN      32
#define DEVAUTH_TAG_LEN      16
/* PBKDF2 rounds: kept low so that fuzzing stays fast. A product uses
 * 10000 or more (targets/cred/include/cred/record.h). */
#define DEVAUTH_KDF_ITERATIONS 16

/* A stored password: PBKDF2-HMAC-SHA-256 of the password and the salt. */
struct devauth_record {
    uint8_t salt[DEVAUTH_SALT_LEN];
    uint8_t hash[DEVAUTH_HASH_LEN];
};

/* What a device keeps in flash so that a reboot does not reset it. */
struct devauth_lockout {
    uint32_t failures; /* consecutive failed logins */
};

struct devauth_account {
    uint8_t user[DEVAUTH_USER_MAX];
    size_t user_len;
    struct devauth_record record;
    struct devauth_lockout lockout;
};

/* One device's accounts; caller-owned, set up by devauth_store_init. */
struct devauth_store {
    uint8_t device_id[DEVAUTH_ID_MAX];
    size_t device_id_len;
    uint32_t records_made; /* salts are unique per device and record */
    struct devauth_account accounts[DEVAUTH_ACCOUNTS];
    size_t count;
};

/*
 * Sets st up for the device device_id[0..id_len) (1..DEVAUTH_ID_MAX bytes).
 * Planted (DEVAUTH_FIX_DEFAULT_ACCOUNT): ships a factory account admin with
 * the password admin. Fixed: no account until one is provisioned.
 * Returns 0 or DEVAUTH_ERR_PARAM.
 */
int devauth_store_init(struct devauth_store *st, const uint8_t *device_id,
                       size_t id_len);

/*
 * Makes the stored record of password[0..len) (at most
 * DEVAUTH_PASSWORD_MAX bytes) for a new account of st's device.
 * Planted (DEVAUTH_FIX_SALT): the salt is the same constant on every
 * device, so equal passwords give equal records. Fixed: the salt is
 * derived from the device id and a count of the records the device made.
 * Returns 0 or DEVAUTH_ERR_PARAM.
 */
int devauth_make_record(struct devauth_store *st, const uint8_t *password,
                        size_t len, struct devauth_record *rec);

/*
 * Provisions the account user (1..DEVAUTH_USER_MAX bytes of 0x21..0x7e)
 * with password (DEVAUTH_PASSWORD_MIN..DEVAUTH_PASSWORD_MAX bytes, any).
 * Returns 0, or DEVAUTH_ERR_PARAM, DEVAUTH_ERR_EXISTS, DEVAUTH_ERR_FULL.
 */
int devauth_add_account(struct devauth_store *st, const uint8_t *user,
                        size_t user_len, const uint8_t *password,
                        size_t password_len);

/*
 * Checks a login. Returns 0 when user exists and password is its
 * password; DEVAUTH_ERR_DENIED otherwise (counted as a failure of the
 * account when user exists); DEVAUTH_ERR_LOCKED, unchecked, once the
 * account has DEVAUTH_MAX_FAILURES failures; DEVAUTH_ERR_PARAM for NULL
 * st. Success clears the account's failures.
 * Planted (DEVAUTH_FIX_LOCKOUT): the failure is counted after the check,
 * so a power cut between the two gives a free guess. Fixed: counted (the
 * lockout state written) before the check, cleared on success.
 */
int devauth_login(struct devauth_store *st, const uint8_t *user,
                  size_t user_len, const uint8_t *password,
                  size_t password_len);

/*
 * The serial console's login command: writes one line to the device log
 * (stdout) naming the account, or "unknown user" when user is none, then
 * returns what devauth_login does; DEVAUTH_ERR_PARAM (nothing logged) for
 * NULL st or user, or a user or password longer than its maximum.
 * Planted (DEVAUTH_FIX_LOG): the line carries the password too. Fixed:
 * only the account.
 */
int devauth_console_login(struct devauth_store *st, const uint8_t *user,
                          size_t user_len, const uint8_t *password,
                          size_t password_len);

/*
 * Derives a session key: HMAC-SHA-256 of nonce[0..nonce_len) under the
 * device key. out may be device_key. Returns 0 or DEVAUTH_ERR_PARAM.
 * Planted (DEVAUTH_FIX_KEY_WIPE): the copy of the device key it works on
 * is left on the stack. Fixed: wiped.
 */
int devauth_session_key(const uint8_t device_key[DEVAUTH_KEY_LEN],
                        const uint8_t *nonce, size_t nonce_len,
                        uint8_t out[DEVAUTH_KEY_LEN]);

/*
 * The tag of msg[0..msg_len) under key[0..key_len): HMAC-SHA-256 cut to
 * DEVAUTH_TAG_LEN bytes. Returns 0 or DEVAUTH_ERR_PARAM.
 */
int devauth_message_tag(const uint8_t *key, size_t key_len, const uint8_t *msg,
                        size_t msg_len, uint8_t tag[DEVAUTH_TAG_LEN]);

/*
 * Returns 0 when tag[0..tag_len) equals expected, DEVAUTH_ERR_TAG when it
 * does not (or tag_len is not DEVAUTH_TAG_LEN), DEVAUTH_ERR_PARAM for NULL.
 * Planted (DEVAUTH_FIX_COMPARE): memcmp, which stops at the first
 * differing byte: the time tells how much of a guessed tag is right.
 * Fixed: constant time.
 */
int devauth_verify_tag(const uint8_t expected[DEVAUTH_TAG_LEN],
                       const uint8_t *tag, size_t tag_len);

/*
 * An authenticated message, as it arrives in a buffer another bus master
 * can write (integers big-endian):
 *
 *   offset  size  field
 *   0       2     magic     "DA"
 *   2       1     version   DEVAUTH_MESSAGE_VERSION
 *   3       1     flags
 *   4       2     body_len  B, at most DEVAUTH_BODY_MAX
 *   6       B     body
 *   6+B     16    tag       devauth_message_tag of the body
 */
#define DEVAUTH_MESSAGE_VERSION 1
#define DEVAUTH_HEADER_LEN      6
#define DEVAUTH_BODY_MAX        64

struct devauth_message {
    uint8_t flags;
    size_t body_len;
    uint8_t body[DEVAUTH_BODY_MAX];
    uint8_t tag[DEVAUTH_TAG_LEN];
};

/*
 * Parses the whole message buf[0..len) into *out. Returns 0, or
 * DEVAUTH_ERR_FORMAT (wrong magic or version, body_len above
 * DEVAUTH_BODY_MAX, len not 6 + body_len + 16), DEVAUTH_ERR_PARAM for NULL.
 * Planted (DEVAUTH_FIX_FETCH): body_len is read from buf for the check and
 * again for the copy: when buf changes in between, the copy overflows.
 * Fixed: the header is read once.
 */
int devauth_parse_message(const uint8_t *buf, size_t len,
                          struct devauth_message *out);

#endif
