#include <stddef.h>
#include <stdint.h>

#include "vendored/vendored.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)VENDORED_FN(data, size);
    return 0;
}
