#include <stddef.h>
#include <stdint.h>

#include "clash_b/clash_b.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)clash_parse(data, size);
    return 0;
}
