#include <stdlib.h>
#include <string.h>

#include "planted/planted.h"

int planted_parse_record(const uint8_t *buf, size_t len)
{
    uint8_t *copy;
    size_t count, i;
    int sum = 0;

    if (len < 3 || buf[0] != 'R' || buf[1] != 'C')
        return -1;
    copy = malloc(len);
    if (copy == NULL)
        return -1;
    memcpy(copy, buf, len);
    count = copy[2];
#ifdef PLANTED_FIX
    if (3 + 2 * count > len) {
#else
    /* The planted bug: the bound should be 3 + 2 * count <= len. */
    if (3 + 2 * count > len + 1) {
#endif
        free(copy);
        return -1;
    }
    for (i = 0; i < count; i++)
        sum += copy[3 + 2 * i] == 'V' ? copy[4 + 2 * i] : 0;
    free(copy);
    return sum;
}
