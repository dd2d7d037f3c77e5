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

/*
 * Volatile stores, so the compiler cannot drop them as dead. Word by word
 * through the aligned middle: a byte loop costs a loop iteration per byte,
 * which on a Cortex-M (and under the emulator, a basic block each) was as
 * much as SHA-256's compression it wipes after.
 */
void crypto_wipe(void *p, size_t len)
{
    volatile uint8_t *v = (volatile uint8_t *)p;
    size_t i = 0;

    for (; i < len && ((uintptr_t)(v + i) & 3u) != 0; i++)
        v[i] = 0;
    for (; len - i >= 16; i += 16) {
        volatile uint32_t *w = (volatile uint32_t *)(volatile void *)(v + i);

        w[0] = 0;
        w[1] = 0;
        w[2] = 0;
        w[3] = 0;
    }
    for (; len - i >= 4; i += 4)
        *(volatile uint32_t *)(volatile void *)(v + i) = 0;
    for (; i < len; i++)
        v[i] = 0;
}
