/*
 * Guest memory: every region is host memory handed to Unicorn
 * (uc_mem_map_ptr), so loading, the input copy and the restore between
 * runs are plain memcpy. RAM and shadow are restored page by page: the
 * first store to a page in a run marks it, through Unicorn 2.0.1's store
 * path (ucfix.c) or, with any other Unicorn, a write hook.
 */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

/* udf #255: anything but the exact return address faults. */
#define SENTINEL_FILL 0xDEFFu

static uint8_t *host_alloc(uint32_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

static void host_free(uint8_t *p, uint32_t size)
{
    if (p != NULL)
        munmap(p, size);
}

static struct emu_map *add_map(struct emu *e, const char *name, uint32_t base,
                               uint32_t size, enum emu_kind kind)
{
    struct emu_map *m;

    if (e->mem.nmaps == EMU_MAX_MAPS)
        return NULL;
    m = &e->mem.maps[e->mem.nmaps];
    memset(m, 0, sizeof(*m));
    m->name = name;
    m->base = base;
    m->size = size;
    m->kind = kind;
    if (kind != EMU_KIND_MMIO) {
        m->host = host_alloc(size);
        if (m->host == NULL)
            return NULL;
    }
    e->mem.nmaps++;
    return m;
}

static uint64_t mmio_read(uc_engine *uc, uint64_t offset, unsigned size,
                          void *user)
{
    const struct emu_region *r = user;

    (void)uc;
    (void)offset;
    if (size >= 4)
        return r->read_value;
    return r->read_value & ((1u << (8 * size)) - 1);
}

static void mmio_write(uc_engine *uc, uint64_t offset, unsigned size,
                       uint64_t value, void *user)
{
    (void)uc;
    (void)offset;
    (void)size;
    (void)value;
    (void)user;
}

/* A function-level image's UART: what it sends is searched for secrets
 * (oracle.c); every other register is as mmio_write leaves it. */
static void uart_mmio_write(uc_engine *uc, uint64_t offset, unsigned size,
                            uint64_t value, void *user)
{
    const struct emu_mmio_user *mu = user;

    (void)uc;
    (void)size;
    if (mu->base + (uint32_t)offset == mu->e->board->image.uart.tx)
        emu_oracle_uart(mu->e, (uint8_t)value);
}

/* ... and its status register says it may always send, never receive. */
static uint64_t uart_mmio_read(uc_engine *uc, uint64_t offset, unsigned size,
                               void *user)
{
    const struct emu_mmio_user *mu = user;
    const struct emu_uart_cfg *u = &mu->e->board->image.uart;
    const struct emu_region *r =
        emu_board_region_at(mu->e->board, mu->base + (uint32_t)offset);
    uint32_t v = r != NULL ? r->read_value : 0;

    (void)uc;
    if (u->status != 0 && mu->base + (uint32_t)offset == u->status)
        v = u->tx_ready;
    if (size >= 4)
        return v;
    return v & ((1u << (8 * size)) - 1);
}

static int map_one(struct emu *e, struct emu_map *m, unsigned perm)
{
    uc_err err = uc_mem_map_ptr(e->uc, m->base, m->size, perm, m->host);

    if (err != UC_ERR_OK)
        return emu_fail(e, EMU_ERR_UNICORN,
                        "mapping %s at 0x%08x (%u bytes): %s", m->name,
                        (unsigned)m->base, (unsigned)m->size, uc_strerror(err));
    return EMU_OK;
}

int emu_mem_map_all(struct emu *e)
{
    const struct emu_board *b = e->board;
    struct emu_map *m;
    unsigned i;
    uint32_t pages = 0;
    uint8_t *p;
    uc_err err;
    int rc;

    for (i = 0; i < b->nregions; i++) {
        const struct emu_region *r = &b->regions[i];

        m = add_map(e, r->name, r->base, r->size, r->kind);
        if (m == NULL)
            return emu_fail(e, EMU_ERR_NOMEM,
                            "no host memory for region %s "
                            "(%u bytes)",
                            r->name, (unsigned)r->size);
        if (r->kind == EMU_KIND_MMIO && b->image.whole) {
            /* A whole image's peripherals: models, UART, input. */
            e->mmio_user[i].e = e;
            e->mmio_user[i].base = r->base;
            err = uc_mmio_map(e->uc, r->base, r->size, emu_periph_read,
                              &e->mmio_user[i], emu_periph_write,
                              &e->mmio_user[i]);
            if (err != UC_ERR_OK)
                return emu_fail(e, EMU_ERR_UNICORN, "mapping %s: %s", r->name,
                                uc_strerror(err));
            continue;
        }
        if (r->kind == EMU_KIND_MMIO) {
            const struct emu_uart_cfg *u = &b->image.uart;
            int uart = u->have && u->tx - r->base < r->size;

            e->mmio_user[i].e = e;
            e->mmio_user[i].base = r->base;
            if (uart)
                err = uc_mmio_map(e->uc, r->base, r->size, uart_mmio_read,
                                  &e->mmio_user[i], uart_mmio_write,
                                  &e->mmio_user[i]);
            else
                err = uc_mmio_map(e->uc, r->base, r->size, mmio_read, (void *)r,
                                  mmio_write, NULL);
            if (err != UC_ERR_OK)
                return emu_fail(e, EMU_ERR_UNICORN, "mapping %s: %s", r->name,
                                uc_strerror(err));
            continue;
        }
        if ((rc = map_one(e, m, r->perm)) != EMU_OK)
            return rc;
    }
    if (b->image.whole &&
        emu_board_taken(b, EMU_PPB_BASE, EMU_PPB_SIZE, 1) == NULL) {
        /* The private peripheral bus: NVIC, SCB, SysTick (cortexm.c). */
        e->mmio_user[EMU_MAX_REGIONS].e = e;
        e->mmio_user[EMU_MAX_REGIONS].base = EMU_PPB_BASE;
        err = uc_mmio_map(e->uc, EMU_PPB_BASE, EMU_PPB_SIZE, emu_periph_read,
                          &e->mmio_user[EMU_MAX_REGIONS], emu_periph_write,
                          &e->mmio_user[EMU_MAX_REGIONS]);
        if (err != UC_ERR_OK)
            return emu_fail(e, EMU_ERR_UNICORN,
                            "mapping the system control space: %s",
                            uc_strerror(err));
    }
    for (i = 0; i < b->nshadows; i++) {
        m = add_map(e, "kasan-shadow", b->shadows[i].base, b->shadows[i].size,
                    EMU_KIND_RAM);
        if (m == NULL)
            return emu_fail(e, EMU_ERR_NOMEM, "no host memory for the shadow");
        if ((rc = map_one(e, m, UC_PROT_READ | UC_PROT_WRITE)) != EMU_OK)
            return rc;
    }
    m = add_map(e, "input", b->input_base, b->input_map, EMU_KIND_FLASH);
    if (m == NULL)
        return emu_fail(e, EMU_ERR_NOMEM, "no host memory for the input");
    rc = map_one(e, m, UC_PROT_READ | (b->input_writable ? UC_PROT_WRITE : 0));
    if (rc != EMU_OK)
        return rc;
    e->mem.input = m;
    m = add_map(e, "return-sentinel", b->sentinel, EMU_PAGE, EMU_KIND_FLASH);
    if (m == NULL)
        return emu_fail(e, EMU_ERR_NOMEM, "no host memory for the sentinel");
    for (p = m->host; p < m->host + EMU_PAGE; p += 2) {
        p[0] = SENTINEL_FILL & 0xFF;
        p[1] = SENTINEL_FILL >> 8;
    }
    if ((rc = map_one(e, m, UC_PROT_READ | UC_PROT_EXEC)) != EMU_OK)
        return rc;
    e->mem.sentinel_map = m;

    /* The dirty-page table covers RAM and shadow. */
    for (i = 0; i < e->mem.nmaps; i++) {
        m = &e->mem.maps[i];
        if (m->kind != EMU_KIND_RAM)
            continue;
        m->page0 = pages;
        pages += m->size >> EMU_PAGE_SHIFT;
    }
    e->mem.npages = pages;
    e->mem.dirty = calloc(pages ? pages : 1, 1);
    e->mem.dirty_list = calloc(pages ? pages : 1, sizeof(*e->mem.dirty_list));
    e->mem.page_map = calloc(pages ? pages : 1, sizeof(*e->mem.page_map));
    if (e->mem.dirty == NULL || e->mem.dirty_list == NULL ||
        e->mem.page_map == NULL)
        return emu_fail(e, EMU_ERR_NOMEM, "no host memory for page tables");
    for (i = 0; i < e->mem.nmaps; i++) {
        uint32_t j;

        m = &e->mem.maps[i];
        if (m->kind != EMU_KIND_RAM)
            continue;
        for (j = 0; j < m->size >> EMU_PAGE_SHIFT; j++)
            e->mem.page_map[m->page0 + j] = m;
        m->ram = emu_ucfix_ram_addr(e, m->host);
    }
    return EMU_OK;
}

void emu_mem_unmap_all(struct emu *e)
{
    unsigned i;

    for (i = 0; i < e->mem.nmaps; i++) {
        host_free(e->mem.maps[i].host, e->mem.maps[i].size);
        host_free(e->mem.maps[i].snap, e->mem.maps[i].size);
    }
    e->mem.nmaps = 0;
    free(e->mem.dirty);
    free(e->mem.dirty_list);
    free(e->mem.page_map);
    e->mem.dirty = NULL;
    e->mem.dirty_list = NULL;
    e->mem.page_map = NULL;
}

struct emu_map *emu_mem_find(struct emu *e, uint32_t addr)
{
    unsigned i;

    for (i = 0; i < e->mem.nmaps; i++)
        if (addr - e->mem.maps[i].base < e->mem.maps[i].size)
            return &e->mem.maps[i];
    return NULL;
}

uint8_t *emu_mem_host(struct emu *e, uint32_t addr, uint32_t len)
{
    struct emu_map *m = emu_mem_find(e, addr);

    if (m == NULL || m->host == NULL || len > m->size ||
        addr - m->base > m->size - len)
        return NULL;
    return m->host + (addr - m->base);
}

int emu_mem_read(struct emu *e, uint32_t addr, void *out, uint32_t len)
{
    const uint8_t *p = emu_mem_host(e, addr, len);

    if (p == NULL)
        return -1;
    memcpy(out, p, len);
    return 0;
}

/* Zeroes everything an image or a run wrote: as after emu_open. */
void emu_mem_zero_images(struct emu *e)
{
    unsigned i;

    for (i = 0; i < e->mem.nmaps; i++) {
        struct emu_map *m = &e->mem.maps[i];

        if (m->host == NULL || m == e->mem.sentinel_map)
            continue; /* MMIO, and the sentinel page keeps its fill */
        /* Anonymous private pages read as zero again after this. */
        if (madvise(m->host, m->size, MADV_DONTNEED) != 0)
            memset(m->host, 0, m->size);
        host_free(m->snap, m->size);
        m->snap = NULL;
    }
    if (e->mem.dirty != NULL)
        memset(e->mem.dirty, 0, e->mem.npages);
    e->mem.ndirty = 0;
    e->mem.prev_input_len = 0;
    emu_ucfix_rearm_all(e);
}

int emu_mem_snapshot(struct emu *e)
{
    unsigned i;

    for (i = 0; i < e->mem.nmaps; i++) {
        struct emu_map *m = &e->mem.maps[i];

        if (m->kind != EMU_KIND_RAM || m->host == NULL)
            continue;
        if (m->snap == NULL) {
            m->snap = host_alloc(m->size);
            if (m->snap == NULL)
                return emu_fail(e, EMU_ERR_NOMEM,
                                "no host memory for the snapshot of %s",
                                m->name);
        }
        memcpy(m->snap, m->host, m->size);
    }
    memset(e->mem.dirty, 0, e->mem.npages);
    e->mem.ndirty = 0;
    /* The next store to any page traps again and marks it. */
    emu_ucfix_rearm_all(e);
    return EMU_OK;
}

void emu_mem_restore(struct emu *e)
{
    uint32_t i;

    for (i = 0; i < e->mem.ndirty; i++) {
        uint32_t page = e->mem.dirty_list[i];
        struct emu_map *m = e->mem.page_map[page];
        uint32_t off = (page - m->page0) << EMU_PAGE_SHIFT;

        memcpy(m->host + off, m->snap + off, EMU_PAGE);
        e->mem.dirty[page] = 0;
        emu_ucfix_rearm(e, m->base + off);
    }
    e->mem.ndirty = 0;
}

static void mark_page(struct emu *e, uint32_t p)
{
    if (!e->mem.dirty[p]) {
        e->mem.dirty[p] = 1;
        e->mem.dirty_list[e->mem.ndirty++] = p;
    }
}

/* The pages of [off, last] in m: an unaligned access may end on the next. */
static void mark_span(struct emu *e, const struct emu_map *m, uint32_t off,
                      uint32_t last)
{
    mark_page(e, m->page0 + (off >> EMU_PAGE_SHIFT));
    if (last < m->size && (last >> EMU_PAGE_SHIFT) != (off >> EMU_PAGE_SHIFT))
        mark_page(e, m->page0 + (last >> EMU_PAGE_SHIFT));
}

/*
 * The restored map holding key, the last one hit first: key is a guest
 * address, or with by_ram a Unicorn ram_addr (maps[i].ram).
 */
static struct emu_map *store_map(struct emu *e, uint64_t key, int by_ram)
{
    struct emu_map *m = e->mem.store_map;
    unsigned i;

    if (m != NULL && key - (by_ram ? m->ram : m->base) < m->size)
        return m;
    for (i = 0; i < e->mem.nmaps; i++) {
        m = &e->mem.maps[i];
        if (m->kind != EMU_KIND_RAM || m->host == NULL ||
            (by_ram && m->ram == UINT64_MAX))
            continue;
        if (key - (by_ram ? m->ram : m->base) < m->size) {
            e->mem.store_map = m;
            return m;
        }
    }
    return NULL;
}

/* The write hook's: called for every guest store to RAM. */
void emu_mem_mark_dirty(struct emu *e, uint32_t addr, uint32_t len)
{
    struct emu_map *m = store_map(e, addr, 0);
    uint32_t off;

    if (m == NULL)
        return; /* not RAM: MMIO, or a fault Unicorn reports itself */
    off = addr - m->base;
    mark_span(e, m, off, off + (len ? len - 1 : 0));
}

/*
 * A store of the running guest to [first, last] (Unicorn ram_addr) reached
 * Unicorn's "not dirty" path (ucfix.c): marks its pages. Returns 1 with the
 * guest address of the first page if it is one of our RAM maps.
 */
int emu_mem_store_trap(struct emu *e, uint64_t first, uint64_t last,
                       uint32_t *vaddr)
{
    struct emu_map *m = store_map(e, first, 1);
    uint32_t off;

    if (m == NULL)
        return 0; /* flash (code invalidated), or a writable input region */
    off = (uint32_t)(first - m->ram);
    mark_span(e, m, off,
              last - m->ram < m->size ? (uint32_t)(last - m->ram) : off);
    *vaddr = m->base + (off & ~(EMU_PAGE - 1));
    return 1;
}

uint32_t emu_mem_place_input(struct emu *e, const uint8_t *input, size_t len)
{
    struct emu_map *m = e->mem.input;
    uint32_t n = (uint32_t)len;

    /* Clear what the previous input left before this one's start. */
    if (e->mem.prev_input_len > n)
        memset(m->host + (m->size - e->mem.prev_input_len), 0,
               e->mem.prev_input_len - n);
    if (n > 0)
        memcpy(m->host + (m->size - n), input, n);
    e->mem.prev_input_len = n;
    return m->base + (m->size - n);
}

size_t emu_mem_ram_size(const struct emu *e)
{
    size_t n = 0;
    unsigned i;

    for (i = 0; i < e->mem.nmaps; i++)
        if (e->mem.maps[i].kind == EMU_KIND_RAM && e->mem.maps[i].host != NULL)
            n += e->mem.maps[i].size;
    return n;
}

void emu_mem_ram_save(const struct emu *e, uint8_t *to)
{
    unsigned i;

    for (i = 0; i < e->mem.nmaps; i++) {
        const struct emu_map *m = &e->mem.maps[i];

        if (m->kind != EMU_KIND_RAM || m->host == NULL)
            continue;
        memcpy(to, m->host, m->size);
        to += m->size;
    }
}

void emu_mem_ram_load(struct emu *e, const uint8_t *from)
{
    unsigned i;

    for (i = 0; i < e->mem.nmaps; i++) {
        struct emu_map *m = &e->mem.maps[i];

        if (m->kind != EMU_KIND_RAM || m->host == NULL)
            continue;
        memcpy(m->host, from, m->size);
        from += m->size;
    }
    /* As after a snapshot: the next store to a page marks it again. */
    memset(e->mem.dirty, 0, e->mem.npages);
    e->mem.ndirty = 0;
    emu_ucfix_rearm_all(e);
}
