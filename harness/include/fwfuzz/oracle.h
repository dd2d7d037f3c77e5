/*
 * Security oracles: what a fuzz target tells fwfuzz about the code it runs,
 * so that a run can be a finding without a crash (docs/oracles.md).
 *
 * Natively these calls go to the runtime in harness/oracle/; in the
 * fuzzing images to small functions (emu/firmware/fuzz-image/oracle.c)
 * that the emulator watches. Where no oracle listens they cost a call.
 * Everything declared lasts until the end of the run.
 */
#ifndef FWFUZZ_ORACLE_H
#define FWFUZZ_ORACLE_H

#include <stddef.h>
#include <stdint.h>

/*
 * len bytes at ptr are a secret ("password", "derived key", "hmac key"):
 * they must not appear in any output (fwfuzz_output, stdout, stderr, the
 * UART), must not be left in memory after the run (the stack the run used;
 * under emulation also the heap and globals), and, under emulation, no
 * instruction count or branch may depend on them. [ptr, ptr + len) is the
 * secret's home: it may hold the secret until the end of the run. Its
 * bytes are taken now. Secrets shorter than FWFUZZ_SECRET_MIN bytes are
 * ignored; the first FWFUZZ_SECRET_MAX are kept.
 */
#define FWFUZZ_SECRET_MIN 4
#define FWFUZZ_SECRET_MAX 64
#define FWFUZZ_SECRETS    8 /* per run; later ones are ignored */
void fwfuzz_secret(const void *ptr, size_t len, const char *what);

/*
 * The code under test that handles the declared secrets has returned; the
 * fuzz target's own checks follow, which may compare them any way they
 * like. Under emulation, ends the part of the run whose path must not
 * depend on the secrets (the other oracles go on to the end of the run).
 * Without it, that part ends with the run.
 */
void fwfuzz_secret_end(void);

/*
 * The code under test wrote len bytes to where ("log", "network"): a log
 * sink, a socket, a display. stdout and stderr (natively) and the UART
 * (emulated) are watched without this call.
 */
void fwfuzz_output(const void *buf, size_t len, const char *where);

/*
 * len bytes at ptr can change while the code runs (an image in external
 * flash, a buffer another bus master writes): under emulation, reading any
 * byte of it twice in one run is a finding (time of check to time of use).
 */
void fwfuzz_untrusted(const void *ptr, size_t len, const char *what);

/*
 * len bytes at ptr survive a power cut (a lockout counter in flash). Under
 * emulation, when the run's outcome depends on a declared secret (a login
 * with the right password, then with a wrong one), the wrong attempt must
 * change this memory before its first instruction that differs from the
 * right one's: else a power cut there gives a free guess.
 */
void fwfuzz_durable(const void *ptr, size_t len, const char *what);

/*
 * Default credentials: login(ctx, user, password) returns non-zero when it
 * would accept. It is tried with an empty password, the account name as
 * password, and a list of factory defaults (admin/admin, root/root, ...);
 * any acceptance is a finding. Each try must start from the same state
 * (login on a copy of the account: lockout counters change).
 */
typedef int (*fwfuzz_login_fn)(void *ctx, const uint8_t *user, size_t user_len,
                               const uint8_t *password, size_t password_len);
void fwfuzz_check_default_login(fwfuzz_login_fn login, void *ctx,
                                const uint8_t *user, size_t user_len);

/*
 * Salted credentials: a and b are two stored records (rec_len bytes) made
 * from the same password, as two devices (or one device twice) would make
 * them; salt_a and salt_b their salts (salt_len bytes, 0 for none). A
 * finding when the records are equal, or a salt is empty or all zero, or
 * both salts are the same.
 */
void fwfuzz_check_salted(const void *a, const void *b, size_t rec_len,
                         const void *salt_a, const void *salt_b,
                         size_t salt_len);

/*
 * A finding of a security class (docs/oracles.md has the classes), with a
 * sentence saying what happened. Natively it prints FWFUZZ_TAG_ORACLE and
 * aborts, as FWFUZZ_CHECK does; in a fuzzing image the emulator stops and
 * reports it.
 */
_Noreturn void fwfuzz_finding(const char *cls, const char *what,
                              const char *file, int line);

/* FWFUZZ_CHECK with a security class: a broken promise that is that
 * class's finding (a tampered image accepted: "tampered-image-accepted"). */
#define FWFUZZ_CHECK_SECURITY(cond, cls, what)                                 \
    do {                                                                       \
        if (!(cond))                                                           \
            fwfuzz_finding((cls), (what), __FILE__, __LINE__);                 \
    } while (0)

#endif
