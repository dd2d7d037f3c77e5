#include <stddef.h>
#include <stdint.h>

#include "planted/planted.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    planted_parse_record(data, size);
    return 0;
}
