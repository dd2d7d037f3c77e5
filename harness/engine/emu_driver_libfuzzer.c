/*
 * libFuzzer build of an emulated target (<target>_emu_libfuzzer). This file
 * is compiled without coverage instrumentation and linked with
 * -fsanitize=fuzzer: libFuzzer's only coverage is the emulated edges, which
 * the emulator counts into an extra-counters array.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>

#include "emu_driver.h"
#include "emu_driver_config.h"
#include "fwfuzz/target.h"

/* libFuzzer scans and clears this array on every run, so its size is paid
 * per run; 32 KiB keeps collisions rare for a target's few thousand edges.
 * A power of two (the emulator masks the edge hash). */
#ifndef FWFUZZ_EMU_LF_MAP_SIZE
#define FWFUZZ_EMU_LF_MAP_SIZE 32768
#endif

static uint8_t emu_counters[FWFUZZ_EMU_LF_MAP_SIZE]
    __attribute__((section("__libfuzzer_extra_counters"), used));

static struct emu_driver driver;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (emu_driver_open(&driver, FWFUZZ_EMU_IMAGE, FWFUZZ_EMU_BOARD,
                        FWFUZZ_EMU_ENTRY, FWFUZZ_EMU_OPTIONS,
                        FWFUZZ_EMU_LOAD_ADDR_DEFAULT,
                        FWFUZZ_EMU_EXTRA_DEFAULT) != 0 ||
        emu_driver_set_coverage(&driver, emu_counters, sizeof(emu_counters)) !=
            0)
        exit(FWFUZZ_DRIVER_SETUP);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emu_result res;

    if (emu_driver_run(&driver, data, size, &res) != 0)
        exit(FWFUZZ_DRIVER_SETUP);
    if (emu_driver_is_finding(&res)) {
        /* libFuzzer saves the input on the abort's deadly signal */
        emu_driver_report(&driver, &res, stderr);
        abort();
    }
    return 0;
}
