/* Test fixture: vendored code configured by compile definitions. */
#ifndef VENDORED_H
#define VENDORED_H

#include <stddef.h>
#include <stdint.h>

#if !defined(VENDORED_FN) || !defined(VENDORED_LIMIT)
#error "fwfuzz_add_component DEFINITIONS did not reach this build"
#endif

/* VENDORED_LIMIT; len is not used (the warning THIRD_PARTY lets through). */
int VENDORED_FN(const uint8_t *buf, size_t len);

/* A warning in a header our fuzz target includes: THIRD_PARTY makes the
 * include folder a system one, so it does not stop the -Werror build. */
static inline int vendored_version(int flags)
{
    return 3;
}

#endif
