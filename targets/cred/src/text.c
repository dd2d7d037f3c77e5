/* Internal byte-string helpers. */
#include "text.h"

uint8_t cred_text_lower(uint8_t c)
{
    /* 0x20 when c is 'A'..'Z', computed without a branch on c. */
    uint8_t upper = (uint8_t)((unsigned)(c - 'A') < 26u);

    return (uint8_t)(c | (uint8_t)(upper << 5));
}

int cred_text_eq_nocase(const uint8_t *a, const uint8_t *b, size_t len)
{
    uint8_t diff = 0;
    size_t i;

    for (i = 0; i < len; i++)
        diff |= (uint8_t)(cred_text_lower(a[i]) ^ cred_text_lower(b[i]));
    return diff == 0;
}

int cred_text_contains_nocase(const uint8_t *hay, size_t hay_len,
                              const uint8_t *needle, size_t needle_len)
{
    int found = 0;
    size_t i;

    if (needle_len > hay_len)
        return 0;
    for (i = 0; i <= hay_len - needle_len; i++)
        found |= cred_text_eq_nocase(hay + i, needle, needle_len);
    return found;
}
