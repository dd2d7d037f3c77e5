/*
 * Stored record parser. Properties: parse either fails with a documented
 * code and a zeroed record, or consumes 41..73 bytes of a record that passes
 * cred_record_check; serialising it reproduces exactly the consumed bytes;
 * parsing those again gives the same fields; every shorter input fails;
 * serialise refuses a buffer one byte short; the iteration limits are
 * enforced at both ends.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cred/record.h"
#include "fwfuzz/check.h"

int cred_fuzz_record_equal(const struct cred_record *a,
                           const struct cred_record *b);
int cred_fuzz_record_is_zero(const struct cred_record *r);

int cred_fuzz_record_equal(const struct cred_record *a,
                           const struct cred_record *b)
{
    return a->version == b->version && a->algorithm == b->algorithm &&
           a->flags == b->flags && a->iterations == b->iterations &&
           a->salt_len == b->salt_len && a->hash_len == b->hash_len &&
           memcmp(a->salt, b->salt, sizeof(a->salt)) == 0 &&
           memcmp(a->hash, b->hash, sizeof(a->hash)) == 0;
}

int cred_fuzz_record_is_zero(const struct cred_record *r)
{
    struct cred_record zero;

    memset(&zero, 0, sizeof(zero));
    return cred_fuzz_record_equal(r, &zero);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct cred_kdf_limits any = {1, CRED_ITERATIONS_CAP};
    struct cred_kdf_limits narrow;
    struct cred_record rec, again;
    uint8_t out[CRED_RECORD_MAX_LEN];
    int n, m;

    n = cred_record_parse(&rec, data, size, &any);
    if (n < 0) {
        FWFUZZ_CHECK(n == CRED_ERR_TRUNCATED || n == CRED_ERR_VERSION ||
                         n == CRED_ERR_ALGORITHM || n == CRED_ERR_FLAGS ||
                         n == CRED_ERR_ITERATIONS || n == CRED_ERR_SALT_LEN ||
                         n == CRED_ERR_HASH_LEN,
                     "parse returned an undocumented code");
        FWFUZZ_CHECK(cred_fuzz_record_is_zero(&rec),
                     "failed parse left data in the record");
        return 0;
    }
    FWFUZZ_CHECK(n >= CRED_RECORD_MIN_LEN && n <= CRED_RECORD_MAX_LEN &&
                     (size_t)n <= size,
                 "parse consumed an impossible number of bytes");
    FWFUZZ_CHECK((size_t)n == 9u + rec.salt_len + rec.hash_len,
                 "consumed length disagrees with the field lengths");
    FWFUZZ_CHECK(cred_record_check(&rec, &any) == 0,
                 "parse accepted a record that check rejects");

    m = cred_record_serialise(&rec, out, sizeof(out));
    FWFUZZ_CHECK(m == n, "serialise length differs from consumed length");
    FWFUZZ_CHECK(memcmp(out, data, (size_t)n) == 0,
                 "serialise(parse(x)) differs from x");
    FWFUZZ_CHECK(cred_record_parse(&again, out, (size_t)m, &any) == m,
                 "re-parse of serialised record failed");
    FWFUZZ_CHECK(cred_fuzz_record_equal(&rec, &again),
                 "parse(serialise(r)) differs from r");
    FWFUZZ_CHECK(cred_record_serialise(&rec, out, (size_t)n - 1) ==
                     CRED_ERR_NO_SPACE,
                 "serialise wrote into a too-small buffer");
    FWFUZZ_CHECK(cred_record_parse(&again, data, (size_t)n - 1, &any) ==
                     CRED_ERR_TRUNCATED,
                 "a truncated record was accepted");

    narrow.min_iterations = rec.iterations;
    narrow.max_iterations = rec.iterations;
    FWFUZZ_CHECK(cred_record_parse(&again, data, size, &narrow) == n,
                 "record rejected by limits that include its count");
    if (rec.iterations < CRED_ITERATIONS_CAP) {
        narrow.min_iterations = rec.iterations + 1;
        narrow.max_iterations = CRED_ITERATIONS_CAP;
        FWFUZZ_CHECK(cred_record_parse(&again, data, size, &narrow) ==
                         CRED_ERR_ITERATIONS,
                     "record below min_iterations accepted");
    }
    if (rec.iterations > 1) {
        narrow.min_iterations = 1;
        narrow.max_iterations = rec.iterations - 1;
        FWFUZZ_CHECK(cred_record_parse(&again, data, size, &narrow) ==
                         CRED_ERR_ITERATIONS,
                     "record above max_iterations accepted");
    }
    return 0;
}
