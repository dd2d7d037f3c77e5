/* Factory provisioning blob: device id, user name and stored record. */
#ifndef CRED_PROVISION_H
#define CRED_PROVISION_H

#include <stddef.h>
#include <stdint.h>

#include "cred/error.h"
#include "cred/login.h"
#include "cred/record.h"

/*
 * Blob format, version 1 (integers big-endian):
 *
 *   offset  size  field
 *   0       4     magic      "CRDP" (0x43 0x52 0x44 0x50)
 *   4       1     version    CRED_PROVISION_VERSION
 *   5       1     flags      0; reserved
 *   6       2     body_len   B, length of the TLV body, <= BODY_MAX
 *   8       B     body       TLVs, see below
 *   8+B     32    digest     SHA-256 over bytes [0, 8+B)
 *
 * The blob is exactly 8 + B + 32 bytes; nothing may follow. Each TLV is
 * type (1 byte), length L (1 byte), value (L bytes). The body holds exactly
 * these three, once each, in this order:
 *
 *   type  name       value
 *   0x01  device id  1..CRED_DEVICE_ID_MAX bytes, each 0x21..0x7e
 *   0x02  user name  1..CRED_USER_MAX bytes of A-Z a-z 0-9 . _ - @
 *   0x03  record     one cred record (cred/record.h), exactly L bytes
 *
 * The digest detects corruption only: anyone can recompute it. Authenticity
 * must come from the channel or a signature around the blob.
 */
#define CRED_PROVISION_MAGIC      "CRDP" /* bytes 0..3 */
#define CRED_PROVISION_MAGIC_LEN  4      /* magic length */
#define CRED_PROVISION_VERSION    1      /* only version understood */
#define CRED_PROVISION_HEADER_LEN 8      /* magic .. body_len */
#define CRED_PROVISION_DIGEST_LEN 32     /* SHA-256 */
#define CRED_TLV_DEVICE_ID        0x01   /* device id / serial number */
#define CRED_TLV_USER             0x02   /* account name */
#define CRED_TLV_RECORD           0x03   /* stored password record */
#define CRED_DEVICE_ID_MAX        64     /* longest device id */
/* Longest body (175) and blob (215): every field at its maximum. */
#define CRED_PROVISION_BODY_MAX                                                \
    (2 + CRED_DEVICE_ID_MAX + 2 + CRED_USER_MAX + 2 + CRED_RECORD_MAX_LEN)
#define CRED_PROVISION_MAX_LEN                                                 \
    (CRED_PROVISION_HEADER_LEN + CRED_PROVISION_BODY_MAX +                     \
     CRED_PROVISION_DIGEST_LEN)

struct cred_provision {
    uint8_t device_id[CRED_DEVICE_ID_MAX];
    size_t device_id_len;
    uint8_t user[CRED_USER_MAX];
    size_t user_len;
    struct cred_record record;
};

/*
 * Parses a whole blob buf[0..len). The structure is checked first and the
 * digest last. Returns 0 and fills *out, or one of:
 *   CRED_ERR_PARAM      out or limits NULL, buf NULL with len > 0, bad limits
 *   CRED_ERR_TRUNCATED  shorter than header + digest
 *   CRED_ERR_MAGIC      wrong magic
 *   CRED_ERR_VERSION    unknown blob version
 *   CRED_ERR_FLAGS      reserved flags set
 *   CRED_ERR_LENGTH     body_len above the maximum or len != 8 + B + 32
 *   CRED_ERR_TLV        a TLV header or value runs past the body, a type is
 *                       unknown, repeated, missing or out of order, or bytes
 *                       follow the last TLV
 *   CRED_ERR_FIELD      device id or user name length or characters, or a
 *                       record that does not fill its TLV exactly
 *   a record code       from cred_record_parse (limits apply)
 *   CRED_ERR_INTEGRITY  the digest does not match
 * On failure *out is zeroed.
 */
int cred_provision_parse(struct cred_provision *out, const uint8_t *buf,
                         size_t len, const struct cred_kdf_limits *limits);

/*
 * Writes p as a blob into buf (capacity cap), digest included. Returns the
 * blob length, CRED_ERR_NO_SPACE (buf untouched), CRED_ERR_FIELD for a bad
 * device id or user name, a record code from cred_record_serialise, or
 * CRED_ERR_PARAM for NULL p or buf.
 */
int cred_provision_serialise(const struct cred_provision *p, uint8_t *buf,
                             size_t cap);

/*
 * Sets up acct from a parsed blob: user and record copied, lockout cleared.
 * Returns 0, CRED_ERR_PARAM for NULL arguments, CRED_ERR_FIELD for a user
 * name length outside 1..CRED_USER_MAX.
 */
int cred_provision_to_account(const struct cred_provision *p,
                              struct cred_account *acct);

#endif
