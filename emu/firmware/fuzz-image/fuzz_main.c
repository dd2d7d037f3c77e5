/* The fuzzing image: emulator init, FWFUZZ_CHECK, and the list of entries. */
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "fuzz_targets.h"
#include "fwfuzz/check.h"
#ifdef FWFUZZ_KASAN
#include "kasan.h"
#endif

/*
 * Every fuzz target's LLVMFuzzerTestOneInput is compiled as
 * fwfuzz_entry_<target> and called by the emulator, function by function,
 * with (input, length) in r0/r1 (emu/boards/fwfuzz-m4.json, docs/emulation.md).
 */

/* Read by the emulator when it stops in fwfuzz_check_failed. */
char fwfuzz_check_message[256];

void fwfuzz_emu_init(void);

/* The KASan image's heap and stack checks start before any constructor. */
void board_early_init(void)
{
#ifdef FWFUZZ_KASAN
    kasan_init();
#endif
}

/*
 * The board file's "init": what Reset_Handler does up to main (the .data
 * copy and .bss zeroing repeat what the ELF loader did), then each target's
 * LLVMFuzzerInitialize. The emulator snapshots the state afterwards.
 */
void fwfuzz_emu_init(void)
{
    static char arg0[] = "fwfuzz-fuzz";
    static char *argv_store[] = {arg0, NULL};
    size_t i;

    board_init_memory();
    board_early_init();
    __libc_init_array();
    for (i = 0; i < fuzz_target_count; i++) {
        int argc = 1;
        char **argv = argv_store;

        if (fuzz_targets[i].init != NULL)
            fuzz_targets[i].init(&argc, &argv);
    }
}

static size_t check_append(size_t at, const char *s)
{
    while (*s != '\0' && at < sizeof(fwfuzz_check_message) - 1)
        fwfuzz_check_message[at++] = *s++;
    return at;
}

static size_t check_append_int(size_t at, int v)
{
    char digits[12];
    size_t n = 0;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;

    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        digits[n++] = '-';
    while (n > 0 && at < sizeof(fwfuzz_check_message) - 1)
        fwfuzz_check_message[at++] = digits[--n];
    return at;
}

/*
 * FWFUZZ_CHECK on bare metal (harness/include/fwfuzz/check.h): the same
 * text the host prints, in a buffer, then a stop. No UART output: nothing
 * may depend on a peripheral model here.
 */
__attribute__((noinline, noipa)) void fwfuzz_check_failed(const char *file,
                                                          int line,
                                                          const char *cond,
                                                          const char *what)
{
    size_t at = 0;

    at = check_append(at, "property violated: ");
    at = check_append(at, what);
    at = check_append(at, "; check (");
    at = check_append(at, cond);
    at = check_append(at, ") failed at ");
    at = check_append(at, file);
    at = check_append(at, ":");
    at = check_append_int(at, line);
    fwfuzz_check_message[at] = '\0';
    for (;;)
        BOARD_BKPT(BOARD_BKPT_CHECK_FAILED);
}

/* From reset there is nothing to serve: the emulator drives this image. */
int main(void)
{
    for (;;)
        __asm__ volatile("wfi");
}
