/* Log sink for the component's own events, and redaction of log lines. */
#ifndef CRED_LOG_H
#define CRED_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "cred/error.h"

enum cred_log_level {
    CRED_LOG_INFO,
    CRED_LOG_WARN,
};

/*
 * Receives one event line: printable ASCII (0x20..0x7e), NUL-terminated, at
 * most CRED_LOG_LINE_MAX - 1 characters, valid only during the call. The
 * component never puts a password, a hash or a salt in it; user names appear
 * only when they equal the account's name, escaped. ctx is passed through.
 */
typedef void (*cred_log_fn)(void *ctx, enum cred_log_level level,
                            const char *line);

#define CRED_LOG_LINE_MAX 128

/* A sink and its context; fn NULL means "do not log". */
struct cred_log {
    cred_log_fn fn;
    void *ctx;
};

/* The fixed text that replaces every secret value. */
#define CRED_REDACT_MASK     "***"
#define CRED_REDACT_MASK_LEN 3
/* Output is limited to this many characters whatever out_size says. */
#define CRED_REDACT_MAX 32767

/*
 * Copies line[0..line_len) to out, replacing the value of every secret with
 * CRED_REDACT_MASK, and NUL-terminates. A secret is a key whose name contains
 * password, passphrase, passwd, pass, pwd, token, secret, api_key, apikey or
 * authorization (ASCII case ignored), optionally followed by a closing quote
 * of the key, then spaces/tabs, '=' or ':', spaces/tabs, then the value:
 *   "..." or '...'  quoted: up to the matching quote (a backslash escapes the
 *                   next byte unless it is CR or LF), CR, LF or the end of
 *                   the line; the quotes stay, the inside is masked
 *   authorization   (unquoted) the rest of the line up to CR or LF; a leading
 *                   Basic, Bearer, Digest, Negotiate, NTLM or Token followed
 *                   by spaces stays
 *   anything else   up to whitespace, '&', NUL or the end of the line
 * The mask replaces the value even when it is empty. Keys are matched
 * anywhere, not only at word starts (so "new_password=x" and "bypass=x" are
 * both masked): over-redaction is the safe side. Every other byte is copied
 * unchanged, including NULs and control characters. No key or value spans a
 * line end, so each line of a multi-line buffer is redacted as if alone.
 *
 * Returns the number of characters written before the NUL (>= 0), or
 * CRED_ERR_NO_SPACE when the result did not fit: out then holds the longest
 * prefix of the full result that fits, NUL-terminated (so never a partial
 * secret). CRED_ERR_PARAM when out is NULL, out_size is 0, or line is NULL
 * with line_len > 0 (out[0] is set to NUL when possible).
 */
int cred_redact(char *out, size_t out_size, const char *line, size_t line_len);

#endif
