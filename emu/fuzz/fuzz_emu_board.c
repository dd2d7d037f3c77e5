/*
 * Fuzz target: the board-file parser. Board files are edited by hand and
 * come with foreign images: any text must give a board or an error naming
 * the problem, and every board it accepts must be one the emulator can map.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../src/internal.h"
#include "emu/emu.h"
#include "fwfuzz/check.h"

static int overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* What emu_open relies on: page-aligned, disjoint, inside 32 bits. */
static void check_board(const struct emu_board *b)
{
    uint64_t guard = (uint64_t)b->input_base + b->input_map;
    unsigned i, j;

    FWFUZZ_CHECK(b->nregions >= 1 && b->nregions <= EMU_MAX_REGIONS,
                 "region count in range");
    for (i = 0; i < b->nregions; i++) {
        const struct emu_region *r = &b->regions[i];

        FWFUZZ_CHECK(r->size > 0 && r->base % EMU_PAGE == 0 &&
                         r->size % EMU_PAGE == 0,
                     "regions are whole pages");
        FWFUZZ_CHECK((uint64_t)r->base + r->size <= (1ull << 32),
                     "regions stay in the address space");
        FWFUZZ_CHECK(memchr(r->name, '\0', sizeof(r->name)) != NULL,
                     "region names are terminated");
        for (j = 0; j < i; j++)
            FWFUZZ_CHECK(!overlap(r->base, r->size, b->regions[j].base,
                                  b->regions[j].size),
                         "regions are disjoint");
        FWFUZZ_CHECK(!overlap(r->base, r->size, b->input_base,
                              b->input_map + (uint64_t)EMU_GUARD_SIZE),
                     "the input and its guard are free");
        FWFUZZ_CHECK(!overlap(r->base, r->size, b->sentinel, EMU_PAGE),
                     "the sentinel page is free");
        for (j = 0; j < b->nshadows; j++)
            FWFUZZ_CHECK(!overlap(r->base, r->size, b->shadows[j].base,
                                  b->shadows[j].size),
                         "the shadow is free");
        if (b->null_page)
            FWFUZZ_CHECK(r->base >= b->null_page_size,
                         "the NULL page is unmapped");
    }
    for (j = 0; j < b->nshadows; j++) {
        FWFUZZ_CHECK(b->shadows[j].base % EMU_PAGE == 0 &&
                         b->shadows[j].size % EMU_PAGE == 0 &&
                         b->shadows[j].size > 0,
                     "shadow ranges are whole pages");
        FWFUZZ_CHECK(!overlap(b->shadows[j].base, b->shadows[j].size,
                              b->input_base,
                              b->input_map + (uint64_t)EMU_GUARD_SIZE),
                     "the shadow misses the input");
        for (i = 0; i < j; i++)
            FWFUZZ_CHECK(!overlap(b->shadows[j].base, b->shadows[j].size,
                                  b->shadows[i].base, b->shadows[i].size),
                         "shadow ranges are merged");
    }
    FWFUZZ_CHECK(b->input_max > 0 && b->input_max <= b->input_map &&
                     guard + EMU_GUARD_SIZE <= (1ull << 32),
                 "the input area fits");
    FWFUZZ_CHECK(b->stack_limit < b->stack_top && b->stack_top % 8 == 0,
                 "the stack is sane");
    FWFUZZ_CHECK(emu_board_region_at(b, b->stack_top - 1) != NULL,
                 "the stack is mapped");
    FWFUZZ_CHECK(b->budget_blocks > 0, "the budget is positive");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emu_board *b = NULL;
    char err[256];
    int rc;

    memset(err, 'x', sizeof(err));
    rc = emu_board_parse((const char *)data, size, &b, err, sizeof(err));
    FWFUZZ_CHECK(rc == EMU_OK || rc == EMU_ERR_BOARD || rc == EMU_ERR_NOMEM,
                 "the parser returns a board or a board error");
    FWFUZZ_CHECK((rc == EMU_OK) == (b != NULL), "a board exactly on success");
    FWFUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL,
                 "the message is terminated");
    if (rc != EMU_OK) {
        FWFUZZ_CHECK(err[0] != '\0', "every error names its problem");
        return 0;
    }
    check_board(b);
    FWFUZZ_CHECK(emu_board_input_max(b) > 0 && emu_board_name(b) != NULL,
                 "accessors answer");
    emu_board_free(b);
    return 0;
}
