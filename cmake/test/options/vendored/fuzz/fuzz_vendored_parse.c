/* The fixture's fuzz target, written as docs/adding-a-target.md says: it
 * uses FWFUZZ_CHECK without naming fwfuzz_check in LIBS. */
#include <stddef.h>
#include <stdint.h>

#include "fwfuzz/check.h"
#include "vendored/vendored.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int rc = VENDORED_FN(data, size);

    FWFUZZ_CHECK(rc >= -1, "the parser returns -1 or a count");
    return 0;
}
