/*
 * Writes the seed corpora of crypto_sha256 and crypto_ed25519 (run from
 * the repository root: crypto_seedgen corpora). Each file is written to a
 * temporary name and renamed, so an interrupted run loses nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "crypto/ed25519.h"

static int seedgen_write(const char *root, const char *target, const char *name,
                         const uint8_t *a, size_t a_len, const uint8_t *b,
                         size_t b_len, const uint8_t *c, size_t c_len)
{
    char path[512], tmp[520];
    FILE *f;
    int ok;

    snprintf(path, sizeof(path), "%s/%s/seed/%s", root, target, name);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (f == NULL) {
        perror(tmp);
        return -1;
    }
    ok = fwrite(a, 1, a_len, f) == a_len && fwrite(b, 1, b_len, f) == b_len &&
         fwrite(c, 1, c_len, f) == c_len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    /* Messages of interesting lengths: empty, short, around the SHA-256
     * and SHA-512 padding edges, and a longer text. */
    static const size_t lens[] = {0, 1, 3, 55, 56, 64, 111, 112, 128, 300};
    static const uint8_t bitsel[2] = {0x01, 0x23};
    uint8_t seed[ED25519_SEED_LEN], pub[ED25519_PUBLIC_KEY_LEN];
    uint8_t sig[ED25519_SIGNATURE_LEN], msg[300], key[160], hdr[4];
    char name[64];
    size_t i, j;

    if (argc != 2) {
        fprintf(stderr, "usage: %s <corpora-dir>\n", argv[0]);
        return 2;
    }
    for (j = 0; j < sizeof(key); j++)
        key[j] = (uint8_t)(0xa0 ^ j);
    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        for (j = 0; j < lens[i]; j++)
            msg[j] = (uint8_t)('a' + (i + j) % 26);
        for (j = 0; j < sizeof(seed); j++)
            seed[j] = (uint8_t)(i * 32 + j);
        ed25519_public_key(pub, seed);
        ed25519_sign(sig, msg, lens[i], seed, pub);

        /* Valid sig | pub | msg, and seed | bit | msg for the round trip. */
        snprintf(name, sizeof(name), "verify-valid-%03zu", lens[i]);
        if (seedgen_write(argv[1], "crypto_ed25519", name, sig, sizeof(sig),
                          pub, sizeof(pub), msg, lens[i]) != 0)
            return 1;
        snprintf(name, sizeof(name), "sign-%03zu", lens[i]);
        if (seedgen_write(argv[1], "crypto_ed25519", name, seed, sizeof(seed),
                          bitsel, sizeof(bitsel), msg, lens[i]) != 0)
            return 1;

        /* key_len, three chunk sizes, key, message. */
        hdr[0] = (uint8_t)(i * 17); /* 0 .. 153: short and long keys */
        hdr[1] = (uint8_t)(1 + i);
        hdr[2] = (uint8_t)(63 + i);
        hdr[3] = (uint8_t)(i == 0 ? 0 : 128);
        snprintf(name, sizeof(name), "stream-%03zu", lens[i]);
        if (seedgen_write(argv[1], "crypto_sha256", name, hdr, sizeof(hdr), key,
                          hdr[0], msg, lens[i]) != 0)
            return 1;
    }
    return 0;
}
