/*
 * A board's address space: what each range is taken by, where the input,
 * the KASan shadow and the return sentinel go, the NULL page. Messages go
 * through emu_board_fail (board_json.c) and name the board key at fault.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

const char *emu_board_taken(const struct emu_board *b, uint64_t addr,
                            uint64_t len, int with_input)
{
    unsigned i;

    for (i = 0; i < b->nregions; i++)
        if (overlaps(addr, len, b->regions[i].base, b->regions[i].size))
            return b->regions[i].name;
    for (i = 0; i < b->nshadows; i++)
        if (overlaps(addr, len, b->shadows[i].base, b->shadows[i].size))
            return "the KASan shadow";
    if (with_input && overlaps(addr, len, b->input_base,
                               (uint64_t)b->input_map + EMU_GUARD_SIZE))
        return "the input area and its guard page";
    return NULL;
}

const struct emu_region *emu_board_region_at(const struct emu_board *b,
                                             uint32_t addr)
{
    unsigned i;

    for (i = 0; i < b->nregions; i++)
        if (addr - b->regions[i].base < b->regions[i].size)
            return &b->regions[i];
    return NULL;
}

const struct emu_region *emu_board_first_ram(const struct emu_board *b)
{
    unsigned i;

    for (i = 0; i < b->nregions; i++)
        if (b->regions[i].kind == EMU_KIND_RAM)
            return &b->regions[i];
    return NULL;
}

int emu_board_check_region(struct emu_board_msg *p, const struct emu_board *b,
                           unsigned i)
{
    const struct emu_region *r = &b->regions[i];
    unsigned j;

    for (j = 0; j < i; j++) {
        const struct emu_region *o = &b->regions[j];

        if (strcmp(o->name, r->name) == 0)
            return emu_board_fail(p,
                                  "regions[%u]: name \"%s\" is already used by "
                                  "regions[%u]",
                                  i, r->name, j);
        if (overlaps(r->base, r->size, o->base, o->size))
            return emu_board_fail(
                p,
                "regions[%u] (\"%s\", 0x%08x-0x%08x) overlaps "
                "regions[%u] (\"%s\", 0x%08x-0x%08x)",
                i, r->name, (unsigned)r->base,
                (unsigned)(r->base + (r->size - 1)), j, o->name,
                (unsigned)o->base, (unsigned)(o->base + (o->size - 1)));
    }
    return EMU_OK;
}

int emu_board_place_input(struct emu_board_msg *p, struct emu_board *b)
{
    const char *taken;

    if (b->input_base % EMU_PAGE != 0)
        return emu_board_fail(p,
                              "input.base: 0x%08x is not a multiple of 1 KiB",
                              (unsigned)b->input_base);
    b->input_map = (b->input_max + (EMU_PAGE - 1)) & ~(EMU_PAGE - 1);
    if ((uint64_t)b->input_base + b->input_map + EMU_GUARD_SIZE > (1ull << 32))
        return emu_board_fail(
            p,
            "input: 0x%08x + 0x%x and its guard page run past the "
            "end of the address space",
            (unsigned)b->input_base, (unsigned)b->input_map);
    taken = emu_board_taken(b, b->input_base,
                            (uint64_t)b->input_map + EMU_GUARD_SIZE, 0);
    if (taken != NULL)
        return emu_board_fail(
            p,
            "input: 0x%08x-0x%08x and the guard page after it must be "
            "free address space, but region \"%s\" is there",
            (unsigned)b->input_base,
            (unsigned)(b->input_base + b->input_map - 1 + EMU_GUARD_SIZE),
            taken);
    return EMU_OK;
}

int emu_board_check_null_page(struct emu_board_msg *p,
                              const struct emu_board *b)
{
    unsigned i;

    if (!b->null_page)
        return EMU_OK;
    for (i = 0; i < b->nregions; i++)
        if (b->regions[i].base < b->null_page_size)
            return emu_board_fail(
                p,
                "faults.null_page: region \"%s\" maps address 0x%08x, "
                "inside the NULL page (0-0x%x); on a part with memory "
                "at 0 set \"null_page\": false",
                b->regions[i].name, (unsigned)b->regions[i].base,
                (unsigned)(b->null_page_size - 1));
    if (b->input_base < b->null_page_size)
        return emu_board_fail(
            p, "faults.null_page: the input area lies in the NULL "
               "page");
    return EMU_OK;
}

/*
 * The shadow of [addr, addr + len), clipped to the address space, rounded
 * out to whole pages and merged with a shadow range it touches.
 */
int emu_board_add_shadow(struct emu_board_msg *p, struct emu_board *b,
                         int64_t addr, int64_t len, const char *what)
{
    uint64_t lo, hi;
    const char *taken;
    unsigned j;

    if (addr < 0) {
        len += addr;
        addr = 0;
    }
    if (addr + len > (int64_t)(1ll << 32))
        len = (int64_t)(1ll << 32) - addr;
    if (len <= 0)
        return EMU_OK;
    lo = ((uint64_t)addr >> 3) + b->shadow_offset;
    hi = (((uint64_t)addr + (uint64_t)len - 1) >> 3) + b->shadow_offset;
    lo &= ~(uint64_t)(EMU_PAGE - 1);
    hi = (hi | (EMU_PAGE - 1)) + 1;
    if (hi > (1ull << 32))
        return emu_board_fail(
            p,
            "kasan.shadow_offset: the shadow of %s runs past the "
            "end of the address space",
            what);
    /*
     * The input is placed before any shadow is added, so every shadow range
     * (the NULL page's too, added after the faults) is checked against it.
     */
    if (overlaps(lo, hi - lo, b->input_base,
                 (uint64_t)b->input_map + EMU_GUARD_SIZE))
        return emu_board_fail(
            p,
            "kasan.shadow_offset: the shadow of %s "
            "(0x%08llx-0x%08llx) lands on the input area or its "
            "guard page",
            what, (unsigned long long)lo, (unsigned long long)(hi - 1));
    taken = emu_board_taken(b, lo, hi - lo, 0);
    if (taken != NULL && strcmp(taken, "the KASan shadow") != 0)
        return emu_board_fail(p,
                              "kasan.shadow_offset: the shadow of %s "
                              "(0x%08llx-0x%08llx) lands on region \"%s\"",
                              what, (unsigned long long)lo,
                              (unsigned long long)(hi - 1), taken);
    /* Absorb every range [lo, hi) touches, until none is left touching. */
    j = 0;
    while (j < b->nshadows) {
        struct emu_range *s = &b->shadows[j];

        if (lo <= (uint64_t)s->base + s->size && s->base <= hi) {
            if (s->base < lo)
                lo = s->base;
            if ((uint64_t)s->base + s->size > hi)
                hi = (uint64_t)s->base + s->size;
            *s = b->shadows[--b->nshadows];
            j = 0;
            continue;
        }
        j++;
    }
    if (b->nshadows == EMU_MAX_SHADOWS)
        return emu_board_fail(p, "kasan: too many separate shadow ranges");
    b->shadows[b->nshadows].base = (uint32_t)lo;
    b->shadows[b->nshadows].size = (uint32_t)(hi - lo);
    b->nshadows++;
    return EMU_OK;
}

/*
 * KASan's inline checks read the shadow of every address the image's
 * instrumented code touches before touching it: flash and RAM regions and
 * the input area have shadow (zero: addressable, unless the image's
 * runtime poisons it), with a guard's worth on each side, and so has the
 * NULL page (added with the faults), so that the check passes and the
 * access itself faults exactly where it should (the input's guard, past
 * the stack's top, the NULL page). Peripheral registers get theirs on
 * demand, a wild pointer elsewhere faults on its shadow (faults.c).
 */
int emu_board_shadow_all(struct emu_board_msg *p, struct emu_board *b)
{
    char what[EMU_NAME_MAX + 16];
    unsigned i;
    int rc;

    for (i = 0; i < b->nregions; i++) {
        const struct emu_region *r = &b->regions[i];

        if (r->kind == EMU_KIND_MMIO)
            continue;
        snprintf(what, sizeof(what), "region \"%s\"", r->name);
        rc = emu_board_add_shadow(p, b, (int64_t)r->base - EMU_GUARD_SIZE,
                                  (int64_t)r->size + 2 * EMU_GUARD_SIZE, what);
        if (rc != EMU_OK)
            return rc;
    }
    return emu_board_add_shadow(p, b, (int64_t)b->input_base - EMU_GUARD_SIZE,
                                (int64_t)b->input_map + 2 * EMU_GUARD_SIZE,
                                "the input");
}

/*
 * The page the entry returns to: free, in the part of the Cortex-M map that
 * may hold code (0x00000000-0x3FFFFFFF, 0x60000000-0x9FFFFFFF), highest
 * first so it stays out of the way of typical memory maps.
 */
int emu_board_choose_sentinel(struct emu_board_msg *p, struct emu_board *b,
                              int given)
{
    static const uint32_t spans[][2] = {{0x1FFFFC00u, 0x00100000u},
                                        {0x9FFFFC00u, 0x60000000u},
                                        {0x3FFFFC00u, 0x20000000u}};
    unsigned s;

    if (given) {
        if (b->sentinel % EMU_PAGE != 0)
            return emu_board_fail(p,
                                  "sentinel: 0x%08x is not a multiple of 1 KiB",
                                  (unsigned)b->sentinel);
        if (!(b->sentinel < 0x40000000u ||
              (b->sentinel >= 0x60000000u && b->sentinel < 0xA0000000u)))
            return emu_board_fail(
                p,
                "sentinel: 0x%08x is in a part of the Cortex-M "
                "memory map that cannot hold code",
                (unsigned)b->sentinel);
        if (emu_board_taken(b, b->sentinel, EMU_PAGE, 1) != NULL ||
            (b->null_page && b->sentinel < b->null_page_size))
            return emu_board_fail(p, "sentinel: page 0x%08x is not free",
                                  (unsigned)b->sentinel);
        return EMU_OK;
    }
    for (s = 0; s < sizeof(spans) / sizeof(spans[0]); s++) {
        uint32_t a = spans[s][0];

        while (a >= spans[s][1]) {
            if (emu_board_taken(b, a, EMU_PAGE, 1) == NULL) {
                b->sentinel = a;
                return EMU_OK;
            }
            a -= EMU_PAGE;
        }
    }
    return emu_board_fail(
        p, "no free page for the return sentinel: set \"sentinel\"");
}
