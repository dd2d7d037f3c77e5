/*
 * Fuzz target: the ELF loader, and the emulator on whatever code it loads.
 * Images come from users: a malformed file gives an error naming the
 * problem, never a crash; a loaded one only fills flash and RAM of the
 * board, and running it, whatever its bytes, ends in a verdict.
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/internal.h"
#include "emu/emu.h"
#include "fwfuzz/check.h"

/* The fwfuzz-m4 layout with a small RAM and budget: cheap resets. */
static const char board_json[] =
    "{\"name\": \"fuzz\", \"regions\": ["
    "{\"name\": \"flash\", \"base\": \"0x08000000\", \"size\": \"1M\","
    " \"perm\": \"rx\"},"
    "{\"name\": \"sram\", \"base\": \"0x20000000\", \"size\": \"64K\","
    " \"perm\": \"rw\"},"
    "{\"name\": \"periph\", \"base\": \"0x40000000\", \"size\": \"4K\","
    " \"kind\": \"mmio\"}],"
    " \"stack\": {\"top\": \"0x20010000\", \"limit\": \"0x2000F000\"},"
    " \"input\": {\"base\": \"0x60000000\", \"max_size\": \"1K\"},"
    " \"budget_blocks\": 2000,"
    " \"kasan\": {\"shadow_offset\": \"0x30000000\"}}";

/*
 * emu_elf_loader.options turns off libFuzzer's leak check after each input:
 * Unicorn keeps a few bytes per translated block until uc_close, so the
 * allocations of an input never balance and every input would pay a full
 * heap scan (100 instead of 2700 inputs per second). LeakSanitizer still
 * checks at exit, and the unit tests check the loader's own frees.
 *
 * Each image's code is translated anew, and Unicorn reclaims its
 * translation buffer only when it is full (1 GiB): a fresh handle now and
 * then keeps the memory of a long campaign flat.
 */
#define INPUTS_PER_HANDLE 1000

static struct emu_board *board;
static struct emu *emu;
static unsigned inputs;

static void setup(void)
{
    char err[256];

    if (emu != NULL && ++inputs % INPUTS_PER_HANDLE != 0)
        return;
    if (emu != NULL) {
        emu_close(emu);
        emu = NULL;
    }
    /* Exact PCs by a re-run in this process: a fork per fault is slow in
     * a sanitized process, and random code faults all the time. */
    setenv("FWFUZZ_EMU_NO_FORK", "1", 1);
    if (board == NULL && emu_board_parse(board_json, sizeof(board_json) - 1,
                                         &board, err, sizeof(err)) != EMU_OK) {
        fprintf(stderr, "fuzz_emu_elf_loader: setup failed: %s\n", err);
        abort();
    }
    if (emu_open(board, &emu) != EMU_OK) {
        fprintf(stderr, "fuzz_emu_elf_loader: setup failed: %s\n",
                emu_last_error(NULL));
        abort();
    }
}

static uint32_t read_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void check_loaded(void)
{
    const struct emu_image *img = &emu->img;
    unsigned i;

    for (i = 0; i < img->nloaded; i++) {
        const struct emu_region *r =
            emu_board_region_at(board, img->loaded[i].base);

        FWFUZZ_CHECK(r != NULL && r->kind != EMU_KIND_MMIO,
                     "loaded bytes start in flash or RAM");
        FWFUZZ_CHECK((uint64_t)img->loaded[i].base + img->loaded[i].size <=
                         (uint64_t)r->base + r->size,
                     "loaded bytes stay in their region");
    }
}

static void run_entry(const uint8_t *data, size_t size)
{
    struct emu_result res;
    struct emu_location loc;
    char entry[16], text[4096];
    size_t n;
    int rc;

    /* e_entry of the ELF header: a function to call, if it is code. */
    snprintf(entry, sizeof(entry), "0x%08x", (unsigned)read_le32(data + 24));
    rc = emu_set_entry(emu, entry);
    FWFUZZ_CHECK(rc == EMU_OK || rc == EMU_ERR_SYMBOL,
                 "an address entry is code or refused");
    if (rc != EMU_OK)
        return;
    rc = emu_run(emu, data, size > 64 ? 64 : size, &res);
    FWFUZZ_CHECK(rc == EMU_OK, "any code runs to a verdict");
    FWFUZZ_CHECK(res.stop == EMU_STOP_RETURN || res.stop == EMU_STOP_FAULT ||
                     res.stop == EMU_STOP_HANG,
                 "the stop is known");
    FWFUZZ_CHECK((res.stop == EMU_STOP_FAULT) == (res.fault != EMU_FAULT_NONE),
                 "a fault has a class");
    FWFUZZ_CHECK(res.fault < EMU_FAULT_COUNT && res.nframes <= EMU_MAX_FRAMES,
                 "result fields in range");
    n = emu_describe(emu, &res, text, sizeof(text));
    FWFUZZ_CHECK(n < sizeof(text) && text[n] == '\0',
                 "the report is terminated");
    if (res.stop == EMU_STOP_FAULT)
        FWFUZZ_CHECK(strncmp(text, emu_fault_name(res.fault),
                             strlen(emu_fault_name(res.fault))) == 0,
                     "the report starts with the class");
    emu_locate(emu, res.pc, &loc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int rc;

    setup();
    rc = emu_load_elf_mem(emu, data, size);
    FWFUZZ_CHECK(rc == EMU_OK || rc == EMU_ERR_ELF || rc == EMU_ERR_IMAGE ||
                     rc == EMU_ERR_NOMEM,
                 "the loader returns success or an image error");
    if (rc != EMU_OK) {
        FWFUZZ_CHECK(emu_last_error(emu)[0] != '\0',
                     "every error names its problem");
        FWFUZZ_CHECK(emu->img.nloaded == 0 && emu->img.nsyms == 0,
                     "a refused image leaves nothing loaded");
        return 0;
    }
    check_loaded();
    run_entry(data, size);
    /* Within the input, so that its allocations are freed in it too
     * (libFuzzer checks for leaks when they do not balance). */
    rc = emu_reset(emu);
    FWFUZZ_CHECK(rc == EMU_OK, "a handle resets");
    return 0;
}
