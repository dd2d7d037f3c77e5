#include "vendored/vendored.h"

int VENDORED_FN(const uint8_t *buf, size_t len)
{
    return buf == NULL ? 0 : VENDORED_LIMIT;
}
