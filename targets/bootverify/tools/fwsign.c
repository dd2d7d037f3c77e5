/*
 * fwsign: builds and signs bootverify images and chain containers
 * (docs/image-format.md, "fwsign").
 *
 *   fwsign image -o OUT --body FILE (--key SEEDFILE | --test-key N)
 *                [--version MAJ.MIN.PATCH[+BUILD]] [--counter N]
 *                [--load-addr N] [--hw-id HEX32 | --test-hw-id]
 *                [--header-size N] [--loader] [--debug] [--flags N]
 *                [--next-pub FILE]... [--next-test-key N]...
 *                [--tlv TYPE=HEX]... [--unprot-tlv TYPE=HEX]...
 *   fwsign chain -o OUT IMAGE...
 *   fwsign pubkey -o OUT (--key SEEDFILE | --test-key N)
 *   fwsign test-seed -o OUT N
 *
 * Numbers are decimal or 0x-hex. A SEEDFILE holds the 32-byte Ed25519
 * secret seed; a public-key FILE the 32-byte key. --test-key N uses the
 * published TEST keys (never for real devices). Output goes to OUT.tmp and
 * is renamed to OUT when complete.
 *
 * Exit codes: 0 done, 1 usage, 2 cannot read an input, 3 cannot write the
 * output, 4 the parameters do not make a valid image (fwsign runs the
 * verifier on every image before writing it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootv_build.h"
#include "crypto/sha256.h"
#include "crypto/util.h"

enum fwsign_exit {
    FWSIGN_OK = 0,
    FWSIGN_USAGE = 1,
    FWSIGN_INPUT = 2,
    FWSIGN_OUTPUT = 3,
    FWSIGN_BUILD = 4
};

static void fwsign_usage(void)
{
    fputs("usage:\n"
          "  fwsign image -o OUT --body FILE (--key SEEDFILE | --test-key N)\n"
          "               [--version MAJ.MIN.PATCH[+BUILD]] [--counter N]\n"
          "               [--load-addr N] [--hw-id HEX32 | --test-hw-id]\n"
          "               [--header-size N] [--loader] [--debug] "
          "[--flags N]\n"
          "               [--next-pub FILE]... [--next-test-key N]...\n"
          "               [--tlv TYPE=HEX]... [--unprot-tlv TYPE=HEX]...\n"
          "  fwsign chain -o OUT IMAGE...\n"
          "  fwsign pubkey -o OUT (--key SEEDFILE | --test-key N)\n"
          "  fwsign test-seed -o OUT N\n",
          stderr);
}

static int fwsign_number(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if (s == NULL || *s == '\0' || *s == '-')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 0);
    if (errno != 0 || *end != '\0' || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Reads a whole file into a malloc'd buffer (never NULL on success). */
static int fwsign_read(const char *path, uint8_t **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = NULL;
    size_t cap = 0, n = 0, got;

    if (f == NULL) {
        fprintf(stderr, "fwsign: cannot open %s: %s\n", path, strerror(errno));
        return FWSIGN_INPUT;
    }
    do {
        if (n == cap) {
            uint8_t *g;

            cap = cap ? cap * 2 : 4096;
            g = realloc(b, cap);
            if (g == NULL) {
                free(b);
                fclose(f);
                fprintf(stderr, "fwsign: out of memory reading %s\n", path);
                return FWSIGN_INPUT;
            }
            b = g;
        }
        got = fread(b + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        free(b);
        fclose(f);
        fprintf(stderr, "fwsign: cannot read %s\n", path);
        return FWSIGN_INPUT;
    }
    fclose(f);
    *buf = b;
    *len = n;
    return FWSIGN_OK;
}

static int fwsign_read_exact(const char *path, uint8_t *out, size_t want)
{
    uint8_t *b;
    size_t n;
    int rc = fwsign_read(path, &b, &n);

    if (rc != FWSIGN_OK)
        return rc;
    if (n != want) {
        fprintf(stderr, "fwsign: %s holds %zu bytes, expected %zu\n", path, n,
                want);
        crypto_wipe(b, n);
        free(b);
        return FWSIGN_INPUT;
    }
    memcpy(out, b, want);
    crypto_wipe(b, n);
    free(b);
    return FWSIGN_OK;
}

/* Writes to OUT.tmp, then renames, so OUT is never half written. */
static int fwsign_write(const char *path, const uint8_t *buf, size_t len)
{
    char tmp[4096];
    FILE *f;

    if (strlen(path) + 5 > sizeof(tmp)) {
        fprintf(stderr, "fwsign: output path too long\n");
        return FWSIGN_OUTPUT;
    }
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (f == NULL) {
        fprintf(stderr, "fwsign: cannot create %s: %s\n", tmp, strerror(errno));
        return FWSIGN_OUTPUT;
    }
    if ((len > 0 && fwrite(buf, 1, len, f) != len) || fclose(f) != 0) {
        fprintf(stderr, "fwsign: cannot write %s\n", tmp);
        remove(tmp);
        return FWSIGN_OUTPUT;
    }
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "fwsign: cannot rename %s to %s: %s\n", tmp, path,
                strerror(errno));
        remove(tmp);
        return FWSIGN_OUTPUT;
    }
    return FWSIGN_OK;
}

static int fwsign_hex(const char *s, uint8_t *out, size_t n)
{
    size_t i;

    if (strlen(s) != 2 * n)
        return -1;
    for (i = 0; i < 2 * n; i++) {
        char c = s[i];
        int v;

        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else
            return -1;
        if (i % 2 == 0)
            out[i / 2] = (uint8_t)(v << 4);
        else
            out[i / 2] |= (uint8_t)v;
    }
    return 0;
}

/* Appends the entry TYPE=HEX (an empty HEX is an empty value) to buf. */
static int fwsign_tlv(const char *s, uint8_t *buf, size_t cap, size_t *len)
{
    const char *eq = strchr(s, '=');
    char type_str[16];
    unsigned long type;
    size_t n;

    if (eq == NULL || (size_t)(eq - s) >= sizeof(type_str))
        return -1;
    memcpy(type_str, s, (size_t)(eq - s));
    type_str[eq - s] = '\0';
    n = strlen(eq + 1) / 2;
    if (fwsign_number(type_str, UINT16_MAX, &type) != 0 || n > UINT16_MAX ||
        cap - *len < 4 + n)
        return -1;
    if (n > 0 && fwsign_hex(eq + 1, buf + *len + 4, n) != 0)
        return -1;
    buf[*len] = (uint8_t)type;
    buf[*len + 1] = (uint8_t)(type >> 8);
    buf[*len + 2] = (uint8_t)n;
    buf[*len + 3] = (uint8_t)(n >> 8);
    *len += 4 + n;
    return 0;
}

/* One decimal field of a version, followed by the character stop. */
static const char *fwsign_field(const char *s, char stop, unsigned long max,
                                unsigned long *out)
{
    unsigned long v = 0;
    const char *start = s;

    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > max)
            return NULL;
        s++;
    }
    if (s == start || *s != stop)
        return NULL;
    *out = v;
    return s;
}

/* MAJ.MIN.PATCH or MAJ.MIN.PATCH+BUILD */
static int fwsign_version(const char *s, struct bootv_version *v)
{
    unsigned long major, minor, patch, build = 0;
    const char *at;

    if ((at = fwsign_field(s, '.', UINT8_MAX, &major)) == NULL ||
        (at = fwsign_field(at + 1, '.', UINT8_MAX, &minor)) == NULL)
        return -1;
    at = fwsign_field(at + 1, strchr(at + 1, '+') ? '+' : '\0', UINT16_MAX,
                      &patch);
    if (at == NULL)
        return -1;
    if (*at == '+' && fwsign_field(at + 1, '\0', UINT32_MAX, &build) == NULL)
        return -1;
    v->major = (uint8_t)major;
    v->minor = (uint8_t)minor;
    v->patch = (uint16_t)patch;
    v->build = (uint32_t)build;
    return 0;
}

/* --key FILE or --test-key N; returns 1 if argv[*i] was one of them. */
static int fwsign_key_arg(int argc, char **argv, int *i,
                          struct bootv_build_signer *s, int *have, int *rc)
{
    unsigned long n;
    uint8_t seed[BOOTV_BUILD_SEED_LEN];

    if (strcmp(argv[*i], "--key") == 0 && *i + 1 < argc) {
        *rc = fwsign_read_exact(argv[++*i], seed, sizeof(seed));
        if (*rc == FWSIGN_OK) {
            bootv_build_signer_init(s, seed);
            *have = 1;
        }
        crypto_wipe(seed, sizeof(seed));
        return 1;
    }
    if (strcmp(argv[*i], "--test-key") == 0 && *i + 1 < argc) {
        if (fwsign_number(argv[++*i], 0xFFFFFFFFul, &n) != 0) {
            fprintf(stderr, "fwsign: bad --test-key %s\n", argv[*i]);
            *rc = FWSIGN_USAGE;
        } else {
            bootv_build_test_signer(s, (unsigned)n);
            *have = 1;
            *rc = FWSIGN_OK;
        }
        return 1;
    }
    return 0;
}

static int fwsign_cmd_image(int argc, char **argv)
{
    struct bootv_build_params p;
    struct bootv_build_signer signer, other;
    static uint8_t extra_prot[4096], extra_unprot[4096];
    struct bootv_key key;
    struct bootv_stage stage;
    struct bootv_device dev;
    uint32_t verdict;
    int vrc;
    uint8_t next[BOOTV_MAX_NEXT_KEYS][BOOTV_HASH_LEN];
    uint8_t pub[BOOTV_KEY_LEN];
    const char *out = NULL, *body_path = NULL;
    uint8_t *body = NULL, *img = NULL;
    size_t body_len = 0, len = 0;
    unsigned long n;
    int i, have_key = 0, rc = FWSIGN_OK;

    memset(&p, 0, sizeof(p));
    bootv_build_test_hw_id(p.hw_id);
    for (i = 2; i < argc && rc == FWSIGN_OK; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (fwsign_key_arg(argc, argv, &i, &signer, &have_key, &rc))
            continue;
        if (strcmp(a, "--loader") == 0) {
            p.flags |= BOOTV_FLAG_LOADER;
            continue;
        }
        if (strcmp(a, "--debug") == 0) {
            p.flags |= BOOTV_FLAG_DEBUG;
            continue;
        }
        if (strcmp(a, "--test-hw-id") == 0) {
            bootv_build_test_hw_id(p.hw_id);
            continue;
        }
        if (v == NULL) {
            fprintf(stderr, "fwsign: %s needs a value or is unknown\n", a);
            rc = FWSIGN_USAGE;
            break;
        }
        i++;
        if (strcmp(a, "-o") == 0) {
            out = v;
        } else if (strcmp(a, "--body") == 0) {
            body_path = v;
        } else if (strcmp(a, "--version") == 0) {
            if (fwsign_version(v, &p.version) != 0)
                rc = FWSIGN_USAGE;
        } else if (strcmp(a, "--counter") == 0) {
            if (fwsign_number(v, 0xFFFFFFFFul, &n) != 0)
                rc = FWSIGN_USAGE;
            p.security_counter = (uint32_t)n;
        } else if (strcmp(a, "--load-addr") == 0) {
            if (fwsign_number(v, 0xFFFFFFFFul, &n) != 0)
                rc = FWSIGN_USAGE;
            p.load_addr = (uint32_t)n;
        } else if (strcmp(a, "--flags") == 0) {
            if (fwsign_number(v, 0xFFFFFFFFul, &n) != 0)
                rc = FWSIGN_USAGE;
            p.flags |= (uint32_t)n;
        } else if (strcmp(a, "--header-size") == 0) {
            if (fwsign_number(v, UINT16_MAX, &n) != 0 || n == 0)
                rc = FWSIGN_USAGE;
            p.header_size = (uint16_t)n;
        } else if (strcmp(a, "--hw-id") == 0) {
            if (fwsign_hex(v, p.hw_id, BOOTV_HW_ID_LEN) != 0)
                rc = FWSIGN_USAGE;
        } else if (strcmp(a, "--tlv") == 0) {
            if (fwsign_tlv(v, extra_prot, sizeof(extra_prot),
                           &p.extra_prot_len) != 0)
                rc = FWSIGN_USAGE;
        } else if (strcmp(a, "--unprot-tlv") == 0) {
            if (fwsign_tlv(v, extra_unprot, sizeof(extra_unprot),
                           &p.extra_unprot_len) != 0)
                rc = FWSIGN_USAGE;
        } else if (strcmp(a, "--next-pub") == 0 ||
                   strcmp(a, "--next-test-key") == 0) {
            if (p.next_key_count == BOOTV_MAX_NEXT_KEYS) {
                fprintf(stderr, "fwsign: at most %d next-stage keys\n",
                        BOOTV_MAX_NEXT_KEYS);
                rc = FWSIGN_USAGE;
                break;
            } else if (strcmp(a, "--next-pub") == 0) {
                rc = fwsign_read_exact(v, pub, sizeof(pub));
                sha256(pub, sizeof(pub), next[p.next_key_count++]);
            } else if (fwsign_number(v, 0xFFFFFFFFul, &n) != 0) {
                rc = FWSIGN_USAGE;
            } else {
                bootv_build_test_signer(&other, (unsigned)n);
                memcpy(next[p.next_key_count++], other.key_hash,
                       BOOTV_HASH_LEN);
                crypto_wipe(&other, sizeof(other));
            }
        } else {
            fprintf(stderr, "fwsign: unknown option %s\n", a);
            rc = FWSIGN_USAGE;
        }
        if (rc == FWSIGN_USAGE)
            fprintf(stderr, "fwsign: bad value for %s: %s\n", a, v);
    }
    if (rc != FWSIGN_OK)
        goto out;
    if (out == NULL || body_path == NULL || !have_key) {
        fprintf(stderr, "fwsign image: -o, --body and a key are required\n");
        rc = FWSIGN_USAGE;
        goto out;
    }
    rc = fwsign_read(body_path, &body, &body_len);
    if (rc != FWSIGN_OK)
        goto out;
    p.body = body;
    p.body_len = body_len;
    p.next_keys = next[0];
    p.extra_prot = extra_prot;
    p.extra_unprot = extra_unprot;
    p.signer = &signer;
    len = bootv_build_image_len(&p);
    img = len > 0 ? malloc(len) : NULL;
    if (len == 0 || img == NULL || bootv_build_image(&p, img, len, &len) != 0) {
        fprintf(stderr, "fwsign: these parameters make no valid image "
                        "(body size, header size, key count?)\n");
        rc = FWSIGN_BUILD;
        goto out;
    }
    /* Never write an image that its own verifier would refuse. */
    memcpy(key.pub, signer.pub, sizeof(key.pub));
    stage.keys = &key;
    stage.key_count = 1;
    stage.security_counter = 0;
    memcpy(dev.hw_id, p.hw_id, sizeof(dev.hw_id));
    dev.allow_debug = BOOTV_ALLOW_DEBUG;
    vrc = bootv_verify_image(img, len, &stage, &dev, &verdict, NULL);
    if (vrc != BOOTV_OK) {
        fprintf(stderr,
                "fwsign: the image would not verify (bootverify error %d, "
                "see docs/image-format.md); not written\n",
                vrc);
        rc = FWSIGN_BUILD;
        goto out;
    }
    rc = fwsign_write(out, img, len);
out:
    if (have_key)
        crypto_wipe(&signer, sizeof(signer));
    free(body);
    free(img);
    return rc;
}

static int fwsign_cmd_chain(int argc, char **argv)
{
    struct bootv_slice images[BOOTV_CHAIN_MAX];
    uint8_t *bufs[BOOTV_CHAIN_MAX] = {NULL};
    const char *out = NULL;
    uint8_t *chain = NULL;
    size_t count = 0, len, k;
    int i, rc = FWSIGN_OK;

    for (i = 2; i < argc && rc == FWSIGN_OK; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (count == BOOTV_CHAIN_MAX) {
            fprintf(stderr, "fwsign chain: at most %d images\n",
                    BOOTV_CHAIN_MAX);
            rc = FWSIGN_USAGE;
        } else {
            rc = fwsign_read(argv[i], &bufs[count], &images[count].len);
            images[count].data = bufs[count];
            if (rc == FWSIGN_OK)
                count++;
        }
    }
    if (rc == FWSIGN_OK && (out == NULL || count == 0)) {
        fprintf(stderr, "fwsign chain: -o and at least one image needed\n");
        rc = FWSIGN_USAGE;
    }
    if (rc != FWSIGN_OK)
        goto out;
    len = bootv_build_chain_len(images, count);
    chain = len > 0 ? malloc(len) : NULL;
    if (chain == NULL || bootv_build_chain(images, count, chain, len, &len)) {
        fprintf(stderr, "fwsign chain: cannot assemble the container\n");
        rc = FWSIGN_BUILD;
        goto out;
    }
    rc = fwsign_write(out, chain, len);
out:
    for (k = 0; k < count; k++)
        free(bufs[k]);
    free(chain);
    return rc;
}

static int fwsign_cmd_pubkey(int argc, char **argv)
{
    struct bootv_build_signer s;
    const char *out = NULL;
    int i, have = 0, rc = FWSIGN_OK;

    for (i = 2; i < argc && rc == FWSIGN_OK; i++) {
        if (fwsign_key_arg(argc, argv, &i, &s, &have, &rc))
            continue;
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else {
            fprintf(stderr, "fwsign pubkey: unknown option %s\n", argv[i]);
            rc = FWSIGN_USAGE;
        }
    }
    if (rc == FWSIGN_OK && (out == NULL || !have)) {
        fprintf(stderr, "fwsign pubkey: -o and a key are required\n");
        rc = FWSIGN_USAGE;
    }
    if (rc == FWSIGN_OK)
        rc = fwsign_write(out, s.pub, sizeof(s.pub));
    if (have)
        crypto_wipe(&s, sizeof(s));
    return rc;
}

static int fwsign_cmd_test_seed(int argc, char **argv)
{
    struct bootv_build_signer s;
    unsigned long n;
    int rc;

    if (argc != 5 || strcmp(argv[2], "-o") != 0 ||
        fwsign_number(argv[4], 0xFFFFFFFFul, &n) != 0) {
        fwsign_usage();
        return FWSIGN_USAGE;
    }
    bootv_build_test_signer(&s, (unsigned)n);
    rc = fwsign_write(argv[3], s.seed, sizeof(s.seed));
    crypto_wipe(&s, sizeof(s));
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "image") == 0)
        return fwsign_cmd_image(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "chain") == 0)
        return fwsign_cmd_chain(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "pubkey") == 0)
        return fwsign_cmd_pubkey(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "test-seed") == 0)
        return fwsign_cmd_test_seed(argc, argv);
    fwsign_usage();
    return FWSIGN_USAGE;
}
