/* Internal byte-string helpers shared by the credential units. */
#ifndef CRED_TEXT_H
#define CRED_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* ASCII-only lower-casing; bytes outside A-Z are returned unchanged. */
uint8_t cred_text_lower(uint8_t c);

/*
 * 1 if a[0..len) and b[0..len) are equal ignoring ASCII case, else 0. Reads
 * every byte (no early exit): callers pass passwords.
 */
int cred_text_eq_nocase(const uint8_t *a, const uint8_t *b, size_t len);

/*
 * 1 if needle occurs in hay ignoring ASCII case, else 0 (an empty needle
 * occurs). Tries every position, like cred_text_eq_nocase.
 */
int cred_text_contains_nocase(const uint8_t *hay, size_t hay_len,
                              const uint8_t *needle, size_t needle_len);

#endif
