/*
 * Ed25519 sign/verify round trip and verifier robustness.
 *
 * Input as a round trip: seed[32] bit[2] message...: the signature of the
 * message under the seed's key verifies; flipping the fuzzer-chosen bit of
 * the signature or message makes it fail (never as a key error).
 * Input as raw verifier data: sig[64] pub[32] message...: verify returns
 * one of its documented codes and never crashes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/ed25519.h"
#include "crypto/sha512.h"
#include "crypto/util.h"
#include "fwfuzz/check.h"
#include "fwfuzz/oracle.h"

#define FUZZ_SEED_OFF 0
#define FUZZ_BIT_OFF  32
#define FUZZ_MSG_OFF  34
#define FUZZ_RAW_MSG  (ED25519_SIGNATURE_LEN + ED25519_PUBLIC_KEY_LEN)
#define FUZZ_MAX_MSG  1024

static uint8_t fuzz_msg[FUZZ_MAX_MSG];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t pub[ED25519_PUBLIC_KEY_LEN], sig[ED25519_SIGNATURE_LEN];
    uint8_t expanded[SHA512_DIGEST_LEN];
    const uint8_t *msg;
    size_t len, bit;
    int ret;

    if (size >= FUZZ_RAW_MSG) {
        ret = ed25519_verify(data, data + FUZZ_RAW_MSG, size - FUZZ_RAW_MSG,
                             data + ED25519_SIGNATURE_LEN);
        FWFUZZ_CHECK(ret == ED25519_OK || ret == ED25519_ERR_BAD_SIG ||
                         ret == ED25519_ERR_BAD_KEY || ret == ED25519_ERR_BAD_S,
                     "verify returned an undocumented code");
    }

    if (size < FUZZ_MSG_OFF || size - FUZZ_MSG_OFF > FUZZ_MAX_MSG)
        return 0;
    msg = data + FUZZ_MSG_OFF;
    len = size - FUZZ_MSG_OFF;

    /* The seed and what it expands to (the secret scalar and the nonce
     * prefix) must not stay in memory, and signing must take one path
     * whatever they are (docs/oracles.md). */
    sha512(data + FUZZ_SEED_OFF, 32, expanded);
    fwfuzz_secret(data + FUZZ_SEED_OFF, 32, "signing key seed");
    fwfuzz_secret(expanded, 32, "secret scalar");
    fwfuzz_secret(expanded + 32, 32, "nonce prefix");
    ed25519_public_key(pub, data + FUZZ_SEED_OFF);
    ed25519_sign(sig, msg, len, data + FUZZ_SEED_OFF, pub);
    fwfuzz_under_test_end();
    crypto_wipe(expanded, sizeof(expanded));
    FWFUZZ_CHECK(ed25519_verify(sig, msg, len, pub) == ED25519_OK,
                 "verify rejects a fresh signature");

    /* One bit of sig || msg, chosen by the input. */
    bit = ((size_t)data[FUZZ_BIT_OFF] << 8 | data[FUZZ_BIT_OFF + 1]) %
          (8 * (ED25519_SIGNATURE_LEN + len));
    memcpy(fuzz_msg, msg, len);
    if (bit < 8 * ED25519_SIGNATURE_LEN)
        sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    else
        fuzz_msg[bit / 8 - ED25519_SIGNATURE_LEN] ^= (uint8_t)(1u << (bit % 8));
    ret = ed25519_verify(sig, fuzz_msg, len, pub);
    FWFUZZ_CHECK(ret == ED25519_ERR_BAD_SIG || ret == ED25519_ERR_BAD_S,
                 "verify accepts a signature with one bit flipped");
    return 0;
}
