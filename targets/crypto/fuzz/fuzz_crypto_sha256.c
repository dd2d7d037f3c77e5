/*
 * SHA-256, SHA-512, HMAC-SHA-256 and PBKDF2: streaming equals one-shot
 * for fuzzer-chosen chunk sizes, and the HMAC/PBKDF2 definitions hold.
 *
 * Input: [key_len][c0][c1][c2] key[key_len] message...
 * Updates cycle through chunk sizes c0, c1, c2 (0 is an empty update; all
 * three 0 means a single update).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/hmac_sha256.h"
#include "crypto/sha256.h"
#include "crypto/sha512.h"
#include "fwfuzz/check.h"

#define FUZZ_HEADER_LEN 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sha256_ctx s256;
    struct sha512_ctx s512;
    struct hmac_sha256_ctx hctx;
    uint8_t one[SHA512_DIGEST_LEN], streamed[SHA512_DIGEST_LEN];
    uint8_t hashed_key[SHA256_DIGEST_LEN];
    uint8_t dk[40], block[SHA256_DIGEST_LEN + 4];
    const uint8_t *key, *msg;
    size_t key_len, msg_len, off, n, turn;
    int all_zero;

    if (size < FUZZ_HEADER_LEN)
        return 0;
    key_len = data[0];
    if (key_len > size - FUZZ_HEADER_LEN)
        key_len = size - FUZZ_HEADER_LEN;
    key = data + FUZZ_HEADER_LEN;
    msg = key + key_len;
    msg_len = size - FUZZ_HEADER_LEN - key_len;
    all_zero = (data[1] | data[2] | data[3]) == 0;

    sha256(msg, msg_len, one);
    sha256_init(&s256);
    for (off = 0, turn = 0; off < msg_len; turn++) {
        n = all_zero ? msg_len : data[1 + turn % 3];
        if (n > msg_len - off)
            n = msg_len - off;
        sha256_update(&s256, msg + off, n);
        off += n;
    }
    sha256_final(&s256, streamed);
    FWFUZZ_CHECK(memcmp(one, streamed, SHA256_DIGEST_LEN) == 0,
                 "SHA-256 streaming differs from one-shot");

    sha512(msg, msg_len, one);
    sha512_init(&s512);
    for (off = 0, turn = 0; off < msg_len; turn++) {
        n = all_zero ? msg_len : data[1 + (turn + 1) % 3];
        if (n > msg_len - off)
            n = msg_len - off;
        sha512_update(&s512, msg + off, n);
        off += n;
    }
    sha512_final(&s512, streamed);
    FWFUZZ_CHECK(memcmp(one, streamed, SHA512_DIGEST_LEN) == 0,
                 "SHA-512 streaming differs from one-shot");

    hmac_sha256(key, key_len, msg, msg_len, one);
    hmac_sha256_init(&hctx, key, key_len);
    for (off = 0, turn = 0; off < msg_len; turn++) {
        n = all_zero ? msg_len : data[1 + (turn + 2) % 3];
        if (n > msg_len - off)
            n = msg_len - off;
        hmac_sha256_update(&hctx, msg + off, n);
        off += n;
    }
    hmac_sha256_final(&hctx, streamed);
    FWFUZZ_CHECK(memcmp(one, streamed, SHA256_DIGEST_LEN) == 0,
                 "HMAC-SHA-256 streaming differs from one-shot");

    /* RFC 2104: a key longer than the block is replaced by its hash. */
    if (key_len > SHA256_BLOCK_LEN) {
        sha256(key, key_len, hashed_key);
        hmac_sha256(hashed_key, sizeof(hashed_key), msg, msg_len, streamed);
        FWFUZZ_CHECK(memcmp(one, streamed, SHA256_DIGEST_LEN) == 0,
                     "HMAC long key differs from HMAC of its hash");
    }

    /* RFC 8018 5.2 with c = 1: T_1 = PRF(P, S || INT(1)), T_2 with INT(2).
     * The salt is kept short so block fits on the stack. */
    if (msg_len <= 32) {
        FWFUZZ_CHECK(pbkdf2_hmac_sha256(key, key_len, msg, msg_len, 1, dk,
                                        sizeof(dk)) == 0,
                     "PBKDF2 rejected valid parameters");
        memcpy(block, msg, msg_len);
        memcpy(block + msg_len, "\0\0\0\1", 4);
        hmac_sha256(key, key_len, block, msg_len + 4, one);
        block[msg_len + 3] = 2;
        hmac_sha256(key, key_len, block, msg_len + 4, one + 32);
        FWFUZZ_CHECK(memcmp(dk, one, sizeof(dk)) == 0,
                     "PBKDF2 c=1 differs from its HMAC definition");

        /* c = 2: T_1 = U_1 ^ U_2 with U_2 = PRF(P, U_1). */
        FWFUZZ_CHECK(pbkdf2_hmac_sha256(key, key_len, msg, msg_len, 2, dk,
                                        SHA256_DIGEST_LEN) == 0,
                     "PBKDF2 rejected valid parameters");
        hmac_sha256(key, key_len, one, SHA256_DIGEST_LEN, streamed);
        for (n = 0; n < SHA256_DIGEST_LEN; n++)
            streamed[n] ^= one[n];
        FWFUZZ_CHECK(memcmp(dk, streamed, SHA256_DIGEST_LEN) == 0,
                     "PBKDF2 c=2 differs from its HMAC definition");
    }
    return 0;
}
