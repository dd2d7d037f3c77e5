/*
 * Provisioning blob parser. Each input is parsed as is, and again with its
 * SHA-256 field recomputed (so mutations get past the digest). Properties:
 * failures use documented codes and zero the output; an accepted blob has a
 * correct digest (recomputed here), valid fields, and serialises back to
 * exactly its bytes, which parse to the same fields; a blob with a wrong
 * digest or one byte more or less is refused.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/sha256.h"
#include "cred/provision.h"
#include "fwfuzz/check.h"

int cred_fuzz_provision_equal(const struct cred_provision *a,
                              const struct cred_provision *b);
int cred_fuzz_provision_is_zero(const struct cred_provision *p);
void cred_fuzz_provision_one(const uint8_t *blob, size_t size);

static const struct cred_kdf_limits limits = {1, CRED_ITERATIONS_CAP};

int cred_fuzz_provision_equal(const struct cred_provision *a,
                              const struct cred_provision *b)
{
    const struct cred_record *x = &a->record, *y = &b->record;

    return a->device_id_len == b->device_id_len &&
           memcmp(a->device_id, b->device_id, sizeof(a->device_id)) == 0 &&
           a->user_len == b->user_len &&
           memcmp(a->user, b->user, sizeof(a->user)) == 0 &&
           x->version == y->version && x->algorithm == y->algorithm &&
           x->flags == y->flags && x->iterations == y->iterations &&
           x->salt_len == y->salt_len && x->hash_len == y->hash_len &&
           memcmp(x->salt, y->salt, sizeof(x->salt)) == 0 &&
           memcmp(x->hash, y->hash, sizeof(x->hash)) == 0;
}

int cred_fuzz_provision_is_zero(const struct cred_provision *p)
{
    struct cred_provision zero;

    memset(&zero, 0, sizeof(zero));
    return cred_fuzz_provision_equal(p, &zero);
}

void cred_fuzz_provision_one(const uint8_t *blob, size_t size)
{
    struct cred_provision p, again;
    struct cred_account acct;
    uint8_t out[CRED_PROVISION_MAX_LEN];
    uint8_t digest[SHA256_DIGEST_LEN];
    uint8_t *copy;
    size_t i;
    int rc, n;

    rc = cred_provision_parse(&p, blob, size, &limits);
    if (rc != 0) {
        FWFUZZ_CHECK(rc == CRED_ERR_TRUNCATED || rc == CRED_ERR_MAGIC ||
                         rc == CRED_ERR_VERSION || rc == CRED_ERR_FLAGS ||
                         rc == CRED_ERR_LENGTH || rc == CRED_ERR_TLV ||
                         rc == CRED_ERR_FIELD || rc == CRED_ERR_INTEGRITY ||
                         rc == CRED_ERR_ALGORITHM ||
                         rc == CRED_ERR_ITERATIONS || rc == CRED_ERR_SALT_LEN ||
                         rc == CRED_ERR_HASH_LEN,
                     "provision parse returned an undocumented code");
        FWFUZZ_CHECK(cred_fuzz_provision_is_zero(&p),
                     "failed provision parse left data in the output");
        return;
    }

    FWFUZZ_CHECK(size >= CRED_PROVISION_HEADER_LEN +
                             CRED_PROVISION_DIGEST_LEN &&
                     size <= CRED_PROVISION_MAX_LEN,
                 "accepted blob has an impossible size");
    sha256(blob, size - SHA256_DIGEST_LEN, digest);
    FWFUZZ_CHECK(
        memcmp(digest, blob + size - SHA256_DIGEST_LEN, SHA256_DIGEST_LEN) == 0,
        "accepted blob with a wrong digest");
    FWFUZZ_CHECK(p.device_id_len >= 1 &&
                     p.device_id_len <= CRED_DEVICE_ID_MAX && p.user_len >= 1 &&
                     p.user_len <= CRED_USER_MAX,
                 "accepted field length out of bounds");
    for (i = 0; i < p.device_id_len; i++)
        FWFUZZ_CHECK(p.device_id[i] > 0x20 && p.device_id[i] < 0x7f,
                     "accepted device id with a non-graphic byte");
    FWFUZZ_CHECK(cred_record_check(&p.record, &limits) == 0,
                 "accepted blob carries an invalid record");

    n = cred_provision_serialise(&p, out, sizeof(out));
    FWFUZZ_CHECK(n >= 0 && (size_t)n == size,
                 "serialise length differs from the blob");
    FWFUZZ_CHECK(memcmp(out, blob, size) == 0,
                 "serialise(parse(x)) differs from x");
    FWFUZZ_CHECK(cred_provision_parse(&again, out, size, &limits) == 0 &&
                     cred_fuzz_provision_equal(&p, &again),
                 "parse(serialise(p)) differs from p");
    FWFUZZ_CHECK(cred_provision_parse(&again, blob, size - 1, &limits) < 0,
                 "blob one byte short accepted");
    FWFUZZ_CHECK(cred_provision_to_account(&p, &acct) == 0 &&
                     acct.user_len == p.user_len &&
                     memcmp(acct.user, p.user, p.user_len) == 0,
                 "account set-up from an accepted blob failed");

    /* One flipped digest bit must be caught. */
    copy = malloc(size);
    if (copy == NULL)
        return;
    memcpy(copy, blob, size);
    copy[size - 1 - blob[size / 2] % SHA256_DIGEST_LEN] ^= 0x01;
    FWFUZZ_CHECK(cred_provision_parse(&again, copy, size, &limits) ==
                     CRED_ERR_INTEGRITY,
                 "blob with a corrupted digest accepted");
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const size_t min = CRED_PROVISION_HEADER_LEN + CRED_PROVISION_DIGEST_LEN;
    uint8_t *sealed;

    cred_fuzz_provision_one(data, size);
    if (size < min || size > CRED_PROVISION_MAX_LEN)
        return 0;
    /* Exact-size heap copy, so ASan still sees reads past the end. */
    sealed = malloc(size);
    if (sealed == NULL)
        return 0;
    memcpy(sealed, data, size);
    sha256(sealed, size - SHA256_DIGEST_LEN, sealed + size - SHA256_DIGEST_LEN);
    cred_fuzz_provision_one(sealed, size);
    free(sealed);
    return 0;
}
