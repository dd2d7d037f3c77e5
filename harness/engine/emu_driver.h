/* The driver the emulated builds share (<target>_emu_libfuzzer, _emu_afl,
 * _emu_replay): opens the board, loads the firmware image, selects the
 * target's entry function and runs inputs through it. */
#ifndef FWFUZZ_EMU_DRIVER_H
#define FWFUZZ_EMU_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "emu/emu.h"
#include "fwfuzz/protocol.h"

/*
 * A build copied out of its build tree (an OSS-Fuzz or ClusterFuzzLite
 * $OUT, docs/cluster.md) finds its image, board and .options file next to
 * itself: its own path (/proc/self/exe) plus these suffixes, e.g.
 * $OUT/mqtt_packet_emu.elf. cmake/OssFuzzOut.cmake reads these lines.
 */
#define FWFUZZ_EMU_BESIDE_IMAGE   ".elf"
#define FWFUZZ_EMU_BESIDE_BOARD   ".board.json"
#define FWFUZZ_EMU_BESIDE_OPTIONS ".options"

struct emu_driver {
    struct emu_board *board;
    struct emu *emu;
    const char *image; /* what is loaded, after the overrides */
    const char *board_path;
    const char *entry;
    int report_full; /* emu_driver_report: emu_describe_full's report */
    char *beside[3]; /* owned: the paths found next to the executable */
};

/*
 * Sets up d with the build's image, board and entry. Each of image and
 * board is, in this order: its environment variable when set and not
 * empty; the file next to the executable (FWFUZZ_EMU_BESIDE_*) when there
 * is one; the path given here, compiled into the build. The entry is its
 * variable or the one given. A generic driver is built with "" for them
 * and needs the variables. The block budget of a run is FWFUZZ_EMU_BUDGET,
 * else [emu] budget_blocks of the target's .options file (the one next to
 * the executable, else options: its path, or "" for none), else the
 * board's. An image that is neither ELF nor Intel HEX is loaded as a raw
 * binary at FWFUZZ_EMU_LOAD_ADDR, else load_addr (""/NULL: none); the raw
 * binaries of FWFUZZ_EMU_EXTRA_IMAGES, else of extra ("file@address"
 * items separated by ','; ""/NULL: none), are loaded beside it.
 * Returns 0, or -1 after printing what failed on stderr (d is then
 * closed).
 */
int emu_driver_open(struct emu_driver *d, const char *image, const char *board,
                    const char *entry, const char *options,
                    const char *load_addr, const char *extra);

/* Counts the emulated edges into map (size a power of two). 0 or -1 after
 * printing why. */
int emu_driver_set_coverage(struct emu_driver *d, uint8_t *map, size_t size);

/* Runs one input. Returns 0 when it ran (the verdict is in *res), -1 after
 * printing why the emulator could not run it. */
int emu_driver_run(struct emu_driver *d, const uint8_t *data, size_t len,
                   struct emu_result *res);

/* 1 if the run is a finding: a fault or a hang. */
int emu_driver_is_finding(const struct emu_result *res);

/* Prints the report of a finding to f: the FWFUZZ_TAG_EMU line, then
 * emu_describe's text (emu_describe_full's when d->report_full). */
void emu_driver_report(struct emu_driver *d, const struct emu_result *res,
                       FILE *f);

/*
 * Runs one input under a GDB stub listening on 127.0.0.1:port (0: a free
 * port), after printing on stderr where and how to attach. Returns 0 when
 * the run reached its verdict (in *res), 1 when the debugger left before
 * it, -1 after printing why the stub could not run.
 */
int emu_driver_gdb(struct emu_driver *d, unsigned port, const uint8_t *data,
                   size_t len, struct emu_result *res);

void emu_driver_close(struct emu_driver *d);

#endif
