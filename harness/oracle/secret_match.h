/*
 * Finding a piece of a secret in a buffer: shared by the native oracles
 * (harness/oracle/oracle.c) and the emulator's (emu/src/oracle.c).
 */
#ifndef FWFUZZ_SECRET_MATCH_H
#define FWFUZZ_SECRET_MATCH_H

#include <stddef.h>
#include <stdint.h>

/*
 * A piece is FWFUZZ_MATCH_WINDOW consecutive bytes of a secret (the whole
 * secret when it is shorter), found as the bytes themselves or as their
 * hex digits, lower or upper case (a key printed in hex). Pieces of fewer
 * than 3 different byte values, or with one value in more than half of
 * them, are not searched: wiped memory and spilled registers would match.
 */
#define FWFUZZ_MATCH_WINDOW 8
#define FWFUZZ_MATCH_SLOTS  4096 /* a power of two */

enum fwfuzz_match_form {
    FWFUZZ_MATCH_RAW,
    FWFUZZ_MATCH_HEX,
    FWFUZZ_MATCH_HEXU
};

struct fwfuzz_secret_ref {
    const uint8_t *bytes;
    size_t len; /* at least 4 */
};

struct fwfuzz_match {
    unsigned secret; /* index into the secrets given */
    size_t at;       /* offset of the piece in the buffer */
    size_t len;      /* bytes of the buffer it covers */
    size_t offset;   /* where the piece starts in the secret */
    enum fwfuzz_match_form form;
};

struct fwfuzz_matcher {
    const struct fwfuzz_secret_ref *secrets;
    unsigned count;
    struct fwfuzz_match_slot {
        uint32_t key; /* the piece's first 4 bytes (or hex digits) */
        uint16_t secret;
        uint8_t offset;
        uint8_t form; /* enum fwfuzz_match_form + 1; 0: empty slot */
    } slot[FWFUZZ_MATCH_SLOTS];
};

/* Indexes the pieces of count secrets (each at most 255 bytes long; the
 * rest is ignored). The secrets must outlive the matcher's use. */
void fwfuzz_matcher_init(struct fwfuzz_matcher *m,
                         const struct fwfuzz_secret_ref *secrets,
                         unsigned count);

/* The first piece in buf[from..n), or 0 when there is none. */
int fwfuzz_matcher_find(const struct fwfuzz_matcher *m, const uint8_t *buf,
                        size_t n, size_t from, struct fwfuzz_match *out);

/*
 * Whether what m found in buf also occurs in pub[0..n) (the run's input)
 * other than as part of the secret itself (secret[0..secret_len), where
 * the input holds it whole): then it is public, whatever else it is, and
 * its copies are not a leak.
 */
int fwfuzz_match_is_public(const uint8_t *buf, const struct fwfuzz_match *m,
                           const uint8_t *pub, size_t n, const uint8_t *secret,
                           size_t secret_len);

/* "raw bytes", "hex digits", "HEX DIGITS" */
const char *fwfuzz_match_form_name(enum fwfuzz_match_form form);

#endif
