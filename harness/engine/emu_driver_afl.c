/*
 * AFL++ build of an emulated target (<target>_emu_afl): persistent mode
 * with test cases in shared memory, as afl_main.c. Compiled by
 * afl-clang-fast with AFL_LLVM_INSTRUMENT=CLASSIC, whose map has a fixed
 * size; the emulator writes the emulated edges into it (the default PCGUARD
 * map would shrink to the driver's own few edges and lose them).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h> /* read(), used by the __AFL_* macros */

#include "emu_driver.h"
#include "emu_driver_config.h"

/* The AFL++ runtime's coverage map (afl-compiler-rt's __afl_area_ptr) and
 * its size. The CLASSIC pass adds its own __afl_area_ptr to every module it
 * compiles and renames any declaration of ours, so the build links this
 * name to it: -Wl,--defsym=fwfuzz_afl_area_ptr=__afl_area_ptr. */
extern uint8_t *fwfuzz_afl_area_ptr;
extern uint32_t __afl_map_size;

#define EMU_AFL_MAP_MAX 65536

__AFL_FUZZ_INIT();

/* The largest power of two the map holds (the emulator masks the hash),
 * at most the classic 64 KiB: outside afl-fuzz the runtime reports the size
 * of its larger stand-in map. */
static size_t map_size(void)
{
    size_t n = 1;

    while (n * 2 <= (size_t)__afl_map_size && n * 2 <= EMU_AFL_MAP_MAX)
        n *= 2;
    return n;
}

int main(void)
{
    struct emu_driver d;
    const uint8_t *shared;

    /* Load and snapshot once, before the fork server starts: every child
     * starts from the ready emulator. */
    if (emu_driver_open(&d, FWFUZZ_EMU_IMAGE, FWFUZZ_EMU_BOARD,
                        FWFUZZ_EMU_ENTRY, FWFUZZ_EMU_OPTIONS,
                        FWFUZZ_EMU_LOAD_ADDR_DEFAULT,
                        FWFUZZ_EMU_EXTRA_DEFAULT) != 0)
        return FWFUZZ_DRIVER_SETUP;
    __AFL_INIT();
    /* The map is afl-fuzz's shared memory only after __AFL_INIT. */
    if (emu_driver_set_coverage(&d, fwfuzz_afl_area_ptr, map_size()) != 0)
        return FWFUZZ_DRIVER_SETUP;
    shared = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(10000)) {
        struct emu_result res;

        if (emu_driver_run(&d, shared, (size_t)__AFL_FUZZ_TESTCASE_LEN, &res) !=
            0)
            return FWFUZZ_DRIVER_SETUP;
        if (emu_driver_is_finding(&res)) {
            emu_driver_report(&d, &res, stderr);
            abort();
        }
    }
    emu_driver_close(&d);
    return 0;
}
