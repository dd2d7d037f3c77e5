/*
 * Fuzz target: the crash report reader (harness/fwfuzz/crashsig.c). It
 * reads what the code under test prints, which a bug can fill with
 * anything: any text must give a bounded signature or none, and a
 * signature must be the same bug as itself in both comparisons.
 * The first byte chooses a native (even) or an emulated (odd) report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crashsig.h"
#include "fwfuzz/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct crash_sig s;
    const struct sig_frame *top;
    char *text;
    int emu;

    if (size == 0)
        return 0;
    emu = data[0] & 1;
    text = malloc(size);
    if (text == NULL)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (sig_parse(text, emu, &s)) {
        FWFUZZ_CHECK(s.cls[0] != '\0' && s.key[0] != '\0',
                     "a report has a class and a key");
        FWFUZZ_CHECK(s.nframes <= SIG_MAX_FRAMES, "frames within bounds");
        FWFUZZ_CHECK(sig_key_same_bug(s.key, s.key, 1) &&
                         sig_key_same_bug(s.key, s.key, 0),
                     "a signature is the same bug as itself");
        top = sig_top(&s);
        FWFUZZ_CHECK(top == NULL || sig_is_project(top->func, top->file),
                     "the location is a project frame");
    }
    free(text);
    return 0;
}
