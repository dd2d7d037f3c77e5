/*
 * The peripherals of a whole image: every read of an "mmio" region is
 * served by the register's model (the board's, or one the boot found),
 * by the UART model, by the last value the firmware wrote there, or by
 * the input, in that order. Writes are kept, and those to the UART's
 * transmit register are its output.
 */
#include <stdlib.h>
#include <string.h>

#include "emu/boot.h"
#include "internal.h"

/* UART status reads with nothing to receive before the run ends: the
 * firmware polls for input that will not come. */
#define EMPTY_POLL_LIMIT 64

int emu_periph_open(struct emu *e)
{
    const struct emu_image_cfg *c = &e->board->image;

    e->periph = calloc(1, sizeof(*e->periph));
    e->whole.periph_snap = calloc(1, sizeof(*e->periph));
    e->whole.out = malloc(EMU_UART_OUT_MAX);
    if (e->periph == NULL || e->whole.periph_snap == NULL ||
        e->whole.out == NULL)
        return emu_fail(e, EMU_ERR_NOMEM, "no memory for the peripherals");
    memcpy(e->models, c->models, c->nmodels * sizeof(c->models[0]));
    e->nmodels = c->nmodels;
    return EMU_OK;
}

void emu_periph_close(struct emu *e)
{
    free(e->periph);
    free(e->whole.periph_snap);
    free(e->whole.out);
    e->periph = NULL;
    e->whole.periph_snap = NULL;
    e->whole.out = NULL;
}

const struct emu_model *emu_model_at(const struct emu *e, uint32_t addr)
{
    unsigned lo = 0, hi = e->nmodels;

    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        const struct emu_model *m = &e->models[mid];

        if (addr - m->addr < m->size)
            return m;
        if (addr < m->addr)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

int emu_model_add(struct emu *e, const struct emu_model *m)
{
    unsigned i;

    if (e->nmodels == EMU_MAX_MODELS || emu_model_at(e, m->addr) != NULL)
        return -1;
    for (i = e->nmodels; i > 0 && e->models[i - 1].addr > m->addr; i--)
        e->models[i] = e->models[i - 1];
    e->models[i] = *m;
    e->nmodels++;
    return 0;
}

/* The slot of register addr (word address), or NULL; create adds it. */
static struct emu_periph_reg *reg_slot(struct emu *e, uint32_t addr, int create)
{
    struct emu_periph *p = e->periph;
    uint32_t i = (addr >> 2) * 0x9E3779B1u >> 22;
    unsigned n;

    for (n = 0; n < EMU_PERIPH_SLOTS;
         n++, i = (i + 1) & (EMU_PERIPH_SLOTS - 1)) {
        struct emu_periph_reg *r = &p->regs[i & (EMU_PERIPH_SLOTS - 1)];

        if (r->addr == addr)
            return r;
        if (r->addr == 0) {
            /* Three quarters full at most: lookups stay short. */
            if (!create || p->nregs >= EMU_PERIPH_SLOTS * 3 / 4)
                return NULL;
            r->addr = addr;
            p->nregs++;
            return r;
        }
    }
    return NULL;
}

static void end_of_input(struct emu *e)
{
    if (!e->whole.input_end) {
        e->whole.input_end = 1;
        e->whole.want_stop = 1;
        e->whole.sys_next = e->run.blocks;
    }
}

int emu_input_take(struct emu *e, unsigned n, uint32_t *out)
{
    uint32_t v = 0;
    unsigned i;

    *out = 0;
    /* The boot has no input: a read of the UART's data register there
     * (a driver flushing it) gets 0 and the boot goes on; a loop on it
     * is a stall, which boot.c takes for waiting. */
    if (e->whole.booting)
        return -1;
    if (e->whole.in_len - e->whole.in_pos < n) {
        e->whole.in_pos = e->whole.in_len;
        end_of_input(e);
        return -1;
    }
    for (i = 0; i < n; i++)
        v |= (uint32_t)e->whole.in[e->whole.in_pos++] << (8 * i);
    *out = v;
    return 0;
}

int emu_uart_rx_waiting(const struct emu *e)
{
    return !e->whole.booting && e->whole.in_pos < e->whole.in_len;
}

/* Deposits the low bits of raw into the set bits of mask, in order. */
static uint32_t deposit(uint32_t raw, uint32_t mask)
{
    uint32_t v = 0;

    while (mask != 0) {
        uint32_t low = mask & -mask;

        if (raw & 1)
            v |= low;
        raw >>= 1;
        mask &= mask - 1;
    }
    return v;
}

/* Notes a read for the boot's stall analysis (boot.c reads the table). */
static void watch(struct emu *e, uint32_t addr, uint32_t value)
{
    struct emu_watch *w = e->whole.watch;
    unsigned i, least = 0;

    for (i = 0; i < e->whole.nwatch; i++)
        if (w[i].addr == addr) {
            w[i].reads++;
            w[i].value = value;
            w[i].pc = emu_run_current_block(e);
            return;
        }
    if (e->whole.nwatch < EMU_WATCH_MAX) {
        i = e->whole.nwatch++;
    } else {
        for (i = 1; i < EMU_WATCH_MAX; i++)
            if (w[i].reads < w[least].reads)
                least = i;
        i = least;
    }
    w[i].addr = addr;
    w[i].reads = 1;
    w[i].value = value;
    w[i].pc = emu_run_current_block(e);
}

static int is_uart(const struct emu_uart_cfg *u, uint32_t addr)
{
    return addr == (u->rx & ~3u) || (u->status != 0 && addr == u->status) ||
           (u->rx_event != 0 && addr == u->rx_event);
}

static void empty_poll(struct emu *e)
{
    if (++e->whole.empty_polls >= EMPTY_POLL_LIMIT)
        end_of_input(e);
}

static uint32_t read_word(struct emu *e, uint32_t addr, unsigned size)
{
    const struct emu_uart_cfg *u = &e->board->image.uart;
    const struct emu_model *m;
    struct emu_periph_reg *r;
    uint32_t v = 0, kept;
    unsigned bits;

    r = reg_slot(e, addr, 0);
    kept = r != NULL ? r->value : 0;
    if (u->have && e->whole.booting && is_uart(u, addr))
        watch(e, addr, 0); /* the boot's stall analysis: it waits */
    if (u->have) {
        if (addr == (u->rx & ~3u)) {
            if (emu_input_take(e, 1, &v) != 0)
                return 0;
            e->whole.empty_polls = 0;
            return v << (8 * (u->rx & 3));
        }
        if (u->status != 0 && addr == u->status) {
            if (emu_uart_rx_waiting(e))
                return (kept & ~u->rx_ready) | u->tx_ready | u->rx_ready;
            empty_poll(e);
            return (kept & ~u->rx_ready) | u->tx_ready;
        }
        if (u->rx_event != 0 && addr == u->rx_event) {
            if (emu_uart_rx_waiting(e))
                return 1;
            empty_poll(e);
            return 0;
        }
    }
    m = emu_model_at(e, addr);
    if (m != NULL && m->found && emu_sys_now(e) < m->at_block)
        m = NULL; /* found later in the boot: not yet in force */
    if (m != NULL) {
        switch (m->kind) {
        case EMU_MODEL_CONST:
            return m->value;
        case EMU_MODEL_READBACK:
            return r != NULL && r->written ? kept : m->value;
        case EMU_MODEL_BITS:
            bits = (unsigned)__builtin_popcount(m->mask);
            if (emu_input_take(e, (bits + 7) / 8, &v) != 0)
                return 0;
            return deposit(v, m->mask);
        case EMU_MODEL_INPUT:
            break;
        }
    } else if ((r != NULL && r->written) || e->whole.booting) {
        /* Written before it is read: a configuration register. During
         * the boot there is no input: everything reads back. */
        if (e->whole.booting)
            watch(e, addr, kept);
        return kept;
    }
    if (emu_input_take(e, size, &v) != 0)
        return 0;
    if (e->whole.probing) {
        /* infer.c's trials: which reads there are, one value flipped */
        unsigned k = e->whole.nprobe_reads++;

        if (k < 16) {
            e->whole.probe_addr[k] = addr;
            e->whole.probe_size[k] = size;
        }
        if (k == e->whole.flip_read)
            v ^= e->whole.flip_mask;
    }
    return v << (8 * (addr & 3));
}

uint64_t emu_periph_read(uc_engine *uc, uint64_t offset, unsigned size,
                         void *user)
{
    const struct emu_mmio_user *mu = user;
    struct emu *e = mu->e;
    uint32_t addr = mu->base + (uint32_t)offset, v;

    (void)uc;
    if (addr >= EMU_PPB_BASE && addr - EMU_PPB_BASE < EMU_PPB_SIZE)
        return emu_sys_read(e, addr, size);
    if (e->whole.input_end)
        return 0;
    if (size >= 4)
        return read_word(e, addr & ~3u, 4);
    /* A narrow access takes only its own bytes from the input. */
    v = read_word(e, addr & ~3u, size);
    v >>= 8 * (addr & 3);
    return v & ((1u << (8 * size)) - 1);
}

void emu_periph_write(uc_engine *uc, uint64_t offset, unsigned size,
                      uint64_t value, void *user)
{
    const struct emu_mmio_user *mu = user;
    struct emu *e = mu->e;
    uint32_t addr = mu->base + (uint32_t)offset, v = (uint32_t)value;
    const struct emu_uart_cfg *u = &e->board->image.uart;
    struct emu_periph_reg *r;

    (void)uc;
    if (addr >= EMU_PPB_BASE && addr - EMU_PPB_BASE < EMU_PPB_SIZE) {
        emu_sys_write(e, addr, size, v);
        return;
    }
    if (u->have && addr == u->tx) {
        if (e->whole.out_len < EMU_UART_OUT_MAX)
            e->whole.out[e->whole.out_len++] = (uint8_t)v;
        e->whole.out_total++;
        e->whole.empty_polls = 0;
        return;
    }
    r = reg_slot(e, addr & ~3u, 1);
    if (r == NULL)
        return; /* the table is full: the write is lost, reads take input */
    if (size >= 4) {
        r->value = v;
    } else {
        uint32_t shift = 8 * (addr & 3), mask = ((1u << (8 * size)) - 1)
                                                << shift;

        r->value = (r->value & ~mask) | ((v << shift) & mask);
    }
    r->written = 1;
}
