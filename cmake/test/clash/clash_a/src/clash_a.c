#include "clash_a/clash_a.h"

int clash_parse(const uint8_t *buf, size_t len)
{
    return len == 0 ? -1 : buf[0];
}
