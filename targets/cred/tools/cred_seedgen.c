/*
 * Regenerates the checked-in seeds of the cred fuzz targets:
 *
 *   cred_seedgen CORPORA_DIR
 *
 * writes CORPORA_DIR/cred_record/seed, cred_provision/seed and
 * cred_verify/seed (folders must exist). Salts come from a counter hashed
 * with SHA-256, so the output is the same on every run. Each file is written
 * to a temporary name and renamed. Exit codes: 0 done, 2 usage, 3 a file
 * could not be written, 4 the component refused a seed (a bug).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/sha256.h"
#include "cred/hash.h"
#include "cred/provision.h"
#include "cred/record.h"

enum { SEED_OK = 0, SEED_USAGE = 2, SEED_IO = 3, SEED_BUG = 4 };

static const char *corpora;
static int status = SEED_OK;

/* Deterministic "random" salts: SHA-256 of a counter. */
static int counter_random(void *ctx, uint8_t *out, size_t len)
{
    uint32_t *counter = ctx;
    uint8_t in[4], digest[SHA256_DIGEST_LEN];
    size_t take;

    while (len > 0) {
        in[0] = (uint8_t)(*counter >> 24);
        in[1] = (uint8_t)(*counter >> 16);
        in[2] = (uint8_t)(*counter >> 8);
        in[3] = (uint8_t)*counter;
        (*counter)++;
        sha256(in, sizeof(in), digest);
        take = len < sizeof(digest) ? len : sizeof(digest);
        memcpy(out, digest, take);
        out += take;
        len -= take;
    }
    return 0;
}

static uint32_t salt_counter = 1;

static void write_seed(const char *target, const char *name,
                       const uint8_t *data, size_t len)
{
    char path[1024], tmp[1100];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s/seed/%s", corpora, target, name);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cred_seedgen: cannot write %s\n", tmp);
        status = SEED_IO;
        return;
    }
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "cred_seedgen: cannot rename %s\n", tmp);
        status = SEED_IO;
    }
}

static void bug(const char *what, int rc)
{
    fprintf(stderr, "cred_seedgen: %s failed (%d)\n", what, rc);
    status = SEED_BUG;
}

static int make_record(struct cred_record *rec, const char *password,
                       uint32_t iterations)
{
    struct cred_hash_config cfg;
    int rc;

    memset(&cfg, 0, sizeof(cfg));
    cfg.iterations = iterations;
    cfg.limits.min_iterations = 1;
    cfg.limits.max_iterations = CRED_ITERATIONS_CAP;
    cfg.random = counter_random;
    cfg.random_ctx = &salt_counter;
    rc = cred_hash_password(rec, (const uint8_t *)password, strlen(password),
                            &cfg);
    if (rc != 0)
        bug("cred_hash_password", rc);
    return rc;
}

static void record_seeds(void)
{
    struct cred_record rec;
    uint8_t buf[CRED_RECORD_MAX_LEN + 8];
    int n;

    if (make_record(&rec, "Tr0ub4dor&3-orange", CRED_ITERATIONS_DEFAULT) != 0)
        return;
    n = cred_record_serialise(&rec, buf, sizeof(buf));
    if (n < 0) {
        bug("cred_record_serialise", n);
        return;
    }
    write_seed("cred_record", "production_default", buf, (size_t)n);

    rec.flags = CRED_FLAG_MUST_CHANGE;
    n = cred_record_serialise(&rec, buf, sizeof(buf));
    write_seed("cred_record", "must_change", buf, (size_t)n);
    /* Trailing bytes after a record are left to the caller. */
    memcpy(buf + n, "\x01\x02\x03\x04", 4);
    write_seed("cred_record", "trailing_bytes", buf, (size_t)n + 4);

    rec.flags = 0;
    rec.salt_len = CRED_SALT_MIN;
    rec.hash_len = CRED_HASH_MIN;
    n = cred_record_serialise(&rec, buf, sizeof(buf));
    write_seed("cred_record", "shortest", buf, (size_t)n);

    if (make_record(&rec, "correct horse battery staple", 1) != 0)
        return;
    rec.salt_len = CRED_SALT_MAX;
    counter_random(&salt_counter, rec.salt, CRED_SALT_MAX);
    n = cred_record_serialise(&rec, buf, sizeof(buf));
    write_seed("cred_record", "longest_one_iteration", buf, (size_t)n);

    rec.iterations = CRED_ITERATIONS_CAP;
    n = cred_record_serialise(&rec, buf, sizeof(buf));
    write_seed("cred_record", "iterations_cap", buf, (size_t)n);
}

static void provision_seed(const char *name, const char *id, const char *user,
                           const char *password, uint32_t iterations)
{
    struct cred_provision p;
    uint8_t buf[CRED_PROVISION_MAX_LEN];
    int n;

    memset(&p, 0, sizeof(p));
    p.device_id_len = strlen(id);
    memcpy(p.device_id, id, p.device_id_len);
    p.user_len = strlen(user);
    memcpy(p.user, user, p.user_len);
    if (make_record(&p.record, password, iterations) != 0)
        return;
    n = cred_provision_serialise(&p, buf, sizeof(buf));
    if (n < 0) {
        bug("cred_provision_serialise", n);
        return;
    }
    write_seed("cred_provision", name, buf, (size_t)n);
}

static void provision_seeds(void)
{
    provision_seed("typical", "SN-0042-AB", "admin", "Tr0ub4dor&3-orange",
                   CRED_ITERATIONS_DEFAULT);
    provision_seed("minimal", "x", "u", "pw", 1);
    provision_seed("email_user", "ACME:GW-1000:00:11:22:33:44:55",
                   "ops.team@example.com", "n3w-s3cret!", 10000);
    provision_seed("longest",
                   "0123456789abcdef0123456789abcdef"
                   "0123456789abcdef0123456789abcdef",
                   "abcdefghijklmnopqrstuvwxyz012345", "x", 2);
}

/* One cred_verify input; see the layout in fuzz_cred_verify.c. */
static void verify_seed(const char *name, uint8_t mode, const char *a,
                        const char *b, uint8_t pattern, uint8_t lockout,
                        uint8_t key_sel, uint8_t size_sel, const char *account,
                        const char *typed, const char *prefix, const char *lead,
                        const char *suffix)
{
    uint8_t buf[1024], salt[CRED_SALT_LEN];
    size_t n = 0;

#define PUT(p, len)                                                            \
    do {                                                                       \
        memcpy(buf + n, (p), (len));                                           \
        n += (len);                                                            \
    } while (0)
    buf[n++] = mode;
    buf[n++] = (uint8_t)strlen(a);
    buf[n++] = (uint8_t)(b != NULL ? strlen(b) : 0);
    buf[n++] = pattern;
    buf[n++] = lockout;
    buf[n++] = key_sel;
    buf[n++] = size_sel;
    counter_random(&salt_counter, salt, sizeof(salt));
    PUT(salt, sizeof(salt));
    PUT(a, strlen(a));
    if (b != NULL)
        PUT(b, strlen(b));
    buf[n++] = (uint8_t)(strlen(account) - 1);
    PUT(account, strlen(account));
    buf[n++] = (uint8_t)strlen(typed);
    PUT(typed, strlen(typed));
    buf[n++] = (uint8_t)strlen(prefix);
    PUT(prefix, strlen(prefix));
    buf[n++] = (uint8_t)strlen(lead);
    PUT(lead, strlen(lead));
    PUT(suffix, strlen(suffix));
#undef PUT
    write_seed("cred_verify", name, buf, n);
}

static void verify_seeds(void)
{
    /* mode: B = A, user is the account, 2 attempts, 1 iteration */
    verify_seed("match", 0x18, "Tr0ub4dor&3-orange", NULL, 0x03, 0x0c, 0, 40,
                "admin", "", "boot ok", "", " user=admin");
    /* one byte changed, 4 attempts against a threshold of 2: locks */
    verify_seed("one_byte_off_lockout", 0x79, "hunter2hunter2", NULL, 0x08,
                0x15, 12, 200, "admin", "", "{\"event\":\"login\"}", "",
                ",\"user\":\"admin\"}");
    /* independent passwords, user typed the password into the name field */
    verify_seed("password_as_user", 0x22, "s3cr3t-P@ss", "admin123", 0x00, 0x04,
                17, 7, "root", "s3cr3t-P@ss", "GET /login HTTP/1.1", "",
                "\r\nHost: 192.168.1.1");
    verify_seed("quoted_secret", 0x1a, "my home wifi", "my home wifi!", 0x01,
                0x08, 15, 255, "operator", "", "cfg:", "set ", " ok");
    verify_seed("longest_password", 0x88,
                "0123456789abcdef0123456789abcdef"
                "0123456789abcdef0123456789abcdef",
                NULL, 0x01, 0x00, 0x21, 3, "admin", "", "", "mqtt ",
                "&client=gw1");
    /* one byte over CRED_PASSWORD_MAX: hashing refuses it */
    verify_seed("over_long_password", 0x02,
                "0123456789abcdef0123456789abcdef"
                "0123456789abcdef0123456789abcdefX",
                "x", 0x00, 0x00, 0x13, 9, "admin", "", "", "",
                "\r\nAccept: */*");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: cred_seedgen CORPORA_DIR\n");
        return SEED_USAGE;
    }
    corpora = argv[1];
    record_seeds();
    provision_seeds();
    verify_seeds();
    return status;
}
