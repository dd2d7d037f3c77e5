/* What the emulator's tests share: the test board and image, helpers. */
#ifndef EMU_TEST_HELPERS_H
#define EMU_TEST_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "emu/emu.h"

/*
 * The board progs.elf is linked for (test/data/progs.ld): 64 KiB of flash,
 * 32 KiB of SRAM with a 4 KiB stack at its top, a KASan shadow, a small
 * block budget. %s is where extra top-level keys go ("" for none).
 */
#define TEST_BOARD_FMT                                                         \
    "{\"name\": \"test\", \"cpu\": \"cortex-m4\",\n"                           \
    " \"regions\": [\n"                                                        \
    "  {\"name\": \"flash\", \"base\": \"0x08000000\", \"size\": \"64K\","     \
    " \"perm\": \"rx\", \"kind\": \"flash\"},\n"                               \
    "  {\"name\": \"sram\", \"base\": \"0x20000000\", \"size\": \"32K\","      \
    " \"perm\": \"rw\", \"kind\": \"ram\"},\n"                                 \
    "  {\"name\": \"periph\", \"base\": \"0x40000000\", \"size\": \"4K\","     \
    " \"perm\": \"rw\", \"kind\": \"mmio\"}],\n"                               \
    " \"stack\": {\"top\": \"0x20008000\", \"limit\": \"0x20007000\"},\n"      \
    " \"input\": {\"base\": \"0x60000000\", \"max_size\": \"4K\"},\n"          \
    " \"budget_blocks\": 10000,\n"                                             \
    " \"kasan\": {\"shadow_offset\": \"0x30000000\"}%s}\n"

#define TEST_ELF          EMU_TEST_DATA "/progs.elf"
#define TEST_ELF_STRIPPED EMU_TEST_DATA "/progs-stripped.elf"

/* The test board with extra keys (", \"init\": \"x\""); fails the test on
 * error. */
struct emu_board *test_board(const char *extra);

/* A handle on the test board (extra as above) with progs.elf loaded. */
struct emu *test_open(struct emu_board **board, const char *extra);

/* test_open, then emu_set_entry(entry); fails the test on error. */
struct emu *test_ready(struct emu_board **board, const char *entry);

/* Reads a whole file into a malloc'd buffer; fails the test on error. */
uint8_t *test_read_file(const char *path, size_t *len);

/* Runs entry on input (a string) and returns the result. */
struct emu_result test_run(struct emu *e, const char *input);

#endif
