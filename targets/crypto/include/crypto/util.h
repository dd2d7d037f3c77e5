/* Constant-time comparison and secret wiping. */
#ifndef CRYPTO_UTIL_H
#define CRYPTO_UTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Returns 0 if the len bytes at a and b are equal, -1 otherwise. Time
 * depends only on len, never on the contents.
 */
int crypto_ct_compare(const uint8_t *a, const uint8_t *b, size_t len);

/* Overwrites len bytes with zeros in a way the compiler cannot drop. */
void crypto_wipe(void *p, size_t len);

#endif
