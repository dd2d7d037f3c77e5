/*
 * Fuzz target: the Intel HEX parser and loader (emu/src/ihex.c). Vendors
 * ship images as HEX files: any text gives its data or an error naming
 * the line, never a crash; the data handed on is what the records hold,
 * and a loaded image only fills flash and RAM of the board.
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/internal.h"
#include "emu/emu.h"
#include "emu/ihex.h"
#include "fwfuzz/check.h"

/* flash at 0 (as on the nRF51), flash at 0x08000000, SRAM, a peripheral */
static const char board_json[] =
    "{\"name\": \"fuzz\", \"regions\": ["
    "{\"name\": \"flash0\", \"base\": \"0x00000000\", \"size\": \"256K\","
    " \"perm\": \"rx\"},"
    "{\"name\": \"flash\", \"base\": \"0x08000000\", \"size\": \"256K\","
    " \"perm\": \"rx\"},"
    "{\"name\": \"sram\", \"base\": \"0x20000000\", \"size\": \"16K\","
    " \"perm\": \"rw\"},"
    "{\"name\": \"periph\", \"base\": \"0x40000000\", \"size\": \"4K\","
    " \"kind\": \"mmio\"}],"
    " \"stack\": {\"top\": \"0x20004000\", \"limit\": \"0x20003000\"},"
    " \"input\": {\"base\": \"0x60000000\", \"max_size\": \"1K\"},"
    " \"budget_blocks\": 1000, \"faults\": {\"null_page\": false}}";

static struct emu_board *board;

struct tally {
    uint64_t bytes;
    unsigned records;
};

static int count(void *ctx, uint32_t addr, const uint8_t *data, size_t n,
                 char *err, size_t errlen)
{
    struct tally *t = ctx;

    (void)data;
    (void)err;
    (void)errlen;
    FWFUZZ_CHECK(n >= 1 && n <= 255, "a record holds 1 to 255 bytes");
    FWFUZZ_CHECK((uint64_t)addr + n - 1 <= UINT32_MAX,
                 "a record never wraps past 4 GiB");
    t->bytes += n;
    t->records++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emu_ihex_info info;
    struct tally t = {0, 0};
    struct emu *e = NULL;
    char err[256];
    unsigned i;
    int rc;

    if (board == NULL && emu_board_parse(board_json, sizeof(board_json) - 1,
                                         &board, err, sizeof(err)) != EMU_OK) {
        fprintf(stderr, "fuzz_emu_ihex: setup failed: %s\n", err);
        abort();
    }
    err[0] = '\0';
    rc = emu_ihex_parse(data, size, count, &t, &info, err, sizeof(err));
    FWFUZZ_CHECK(rc == 0 || rc == -1, "the parser says yes or no");
    FWFUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL,
                 "the message is a string");
    if (rc != 0) {
        FWFUZZ_CHECK(err[0] != '\0', "a refusal says why");
        return 0;
    }
    /* two hex digits a byte, plus ':' and 5 bytes of framing a record */
    FWFUZZ_CHECK(t.bytes == info.bytes && t.records == info.records,
                 "the info counts what was handed on");
    FWFUZZ_CHECK(t.bytes * 2 <= size, "no more data than the text holds");
    if (emu_open(board, &e) != EMU_OK)
        abort();
    rc = emu_load_ihex_mem(e, data, size);
    FWFUZZ_CHECK(rc == EMU_OK || rc == EMU_ERR_IMAGE,
                 "a parsed image loads or does not fit");
    for (i = 0; rc == EMU_OK && i < e->img.nloaded; i++) {
        const struct emu_region *r =
            emu_board_region_at(board, e->img.loaded[i].base);

        FWFUZZ_CHECK(r != NULL && r->kind != EMU_KIND_MMIO,
                     "loaded bytes start in flash or RAM");
        FWFUZZ_CHECK((uint64_t)e->img.loaded[i].base + e->img.loaded[i].size <=
                         (uint64_t)r->base + r->size,
                     "loaded bytes stay in their region");
    }
    emu_close(e);
    return 0;
}
