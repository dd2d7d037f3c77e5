/*
 * Fuzz target: the crash store's case reader (harness/fwfuzz/store.c).
 * Case files live in the repository and are edited by hand and by merges:
 * any text must be read as a case or refused with a reason, and a case
 * read must be written back as text that reads to the same case.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fwfuzz/check.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct store_case a, b;
    char why[256], *ta, *tb;

    why[0] = '\0';
    if (store_parse((const char *)data, size, &a, why, sizeof(why)) != 0) {
        FWFUZZ_CHECK(why[0] != '\0', "a refused case has a reason");
        return 0;
    }
    FWFUZZ_CHECK(a.id[0] != '\0', "a case has an id");
    FWFUZZ_CHECK(a.sig[STORE_NATIVE][0] != '\0' || a.sig[STORE_EMU][0] != '\0',
                 "a case has a signature");
    ta = store_format(&a);
    FWFUZZ_CHECK(ta != NULL, "a case read can be written");
    FWFUZZ_CHECK(store_parse(ta, strlen(ta), &b, why, sizeof(why)) == 0,
                 "what is written reads back");
    tb = store_format(&b);
    FWFUZZ_CHECK(tb != NULL && strcmp(ta, tb) == 0,
                 "written, read and written again: the same text");
    free(ta);
    free(tb);
    store_case_free(&a);
    store_case_free(&b);
    return 0;
}
