#include "clash_b/clash_b.h"

int clash_parse(const uint8_t *buf, size_t len)
{
    return len == 0 ? -1 : buf[0];
}
