/* Constant-time comparison and secret wiping. */
#include "crypto/util.h"

int crypto_ct_compare(const uint8_t *a, const uint8_t *b, size_t len)
{
    uint8_t diff = 0;
    size_t i;

    for (i = 0; i < len; i++)
        diff |= (uint8_t)(a[i] ^ b[i]);
    /* Maps 0 to 0 and 1..255 to -1 without a data-dependent branch. */
    return -(int)(((uint32_t)diff + 0xffu) >> 8);
}

void crypto_wipe(void *p, size_t len)
{
    volatile uint8_t *v = (volatile uint8_t *)p;
    size_t i;

    for (i = 0; i < len; i++)
        v[i] = 0;
}
