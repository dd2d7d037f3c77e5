/*
 * Whole images: the boot from reset to where the firmware first waits for
 * input (the snapshot every run starts from), the runs from there, and
 * what the boot says when it never gets there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/boot.h"
#include "internal.h"

/* Blocks without a new one, with peripheral reads, that make a stall. */
#define STALL_WINDOW 50000u
/* Blocks a trial model gets to leave the loop. */
#define TRIAL_BLOCKS 20000u

/* What a boot's block hook found (whole.stall). */
enum { STALL_NONE, STALL_LOOP, STALL_ESCAPED };

struct emu_whole_boot {
    struct emu_boot_report *r;
    int stall;
    int trial;        /* a trial model runs: a new block means it escaped */
    int models_fixed; /* a reboot: a stall ends it, no model is searched */
};

static struct emu_whole_boot *boot_of(struct emu *e)
{
    return (struct emu_whole_boot *)e->whole.boot;
}

int emu_is_whole_image(const struct emu *e)
{
    return e != NULL && e->board->image.whole;
}

size_t emu_input_used(const struct emu *e)
{
    return e != NULL && e->board->image.whole ? e->whole.in_pos : 0;
}

const uint8_t *emu_uart_output(const struct emu *e, size_t *len)
{
    if (e == NULL || !e->board->image.whole || e->whole.out == NULL) {
        if (len != NULL)
            *len = 0;
        return NULL;
    }
    if (len != NULL)
        *len = e->whole.out_len;
    return e->whole.out;
}

void emu_whole_close(struct emu *e)
{
    free(e->whole.seen);
    e->whole.seen = NULL;
    free(e->whole.boot);
    e->whole.boot = NULL;
    e->whole.booted = 0;
}

/* Stops Unicorn before the block the hook was called for. */
static void stop_before(struct emu *e)
{
    e->run.blocks--;
    e->whole.stopped_between = 1;
    uc_emu_stop(e->uc);
}

static int seen_test_set(struct emu *e, uint32_t a)
{
    uint32_t off = (a - e->whole.seen_base) >> 1;
    uint8_t m;

    if (e->whole.seen == NULL || a - e->whole.seen_base >= e->whole.seen_size)
        return 1;
    m = (uint8_t)(1u << (off & 7));
    if (e->whole.seen[off >> 3] & m)
        return 1;
    e->whole.seen[off >> 3] |= m;
    return 0;
}

void emu_whole_block(struct emu *e, uint32_t a)
{
    struct emu_whole_boot *wb = boot_of(e);

    if (e->whole.booting && wb != NULL) {
        if (!seen_test_set(e, a)) {
            e->whole.last_new = e->run.blocks;
            e->whole.nwatch = 0;
            if (wb->trial) {
                wb->stall = STALL_ESCAPED;
                stop_before(e);
                return;
            }
        } else if (!wb->trial &&
                   e->run.blocks - e->whole.last_new > STALL_WINDOW &&
                   e->whole.nwatch > 0) {
            wb->stall = STALL_LOOP;
            stop_before(e);
            return;
        }
    }
    if (e->whole.want_stop) {
        stop_before(e);
        return;
    }
    if (e->whole.probing) /* infer.c compares the blocks runs go through */
        e->whole.trace = (e->whole.trace ^ a) * 0x100000001B3ull;
    emu_sys_due(e);
    if (e->whole.irq_due && emu_sys_next_exception(e) != 0) {
        stop_before(e);
        return;
    }
    if (e->whole.booting || e->whole.probing)
        e->whole.sys_next = 0; /* every block: progress, or the trace */
}

/* Puts the verdict "ended cleanly" with why in detail. */
static void end_clean(struct emu *e, uint32_t why)
{
    uint32_t pc = 0;

    (void)uc_reg_read(e->uc, UC_ARM_REG_PC, &pc);
    emu_run_stop(e, EMU_STOP_RETURN, EMU_FAULT_NONE, pc, 0, 0, 0);
    e->run.res->detail = why;
}

/*
 * Runs from the current CPU state until a verdict (a hook's, the end of
 * the input, a reset request) or, when booting, a stall; count > 0 runs
 * at most that many instructions of one stretch (the GDB stub's step).
 * Returns what uc_emu_start last said.
 */
static uc_err whole_loop(struct emu *e, uint64_t count)
{
    uc_err err = UC_ERR_OK;
    uint32_t pc;
    int exc;

    e->whole.external_stop = 0;
    for (;;) {
        if (e->whole.sleeping) {
            if (!emu_sys_idle(e)) {
                if (e->whole.input_end || !e->whole.booting)
                    e->whole.input_end = 1;
                break; /* nothing will wake it: the caller decides */
            }
            e->whole.sleeping = 0;
        }
        if (e->whole.irq_due && (exc = emu_sys_next_exception(e)) != 0) {
            if (emu_sys_enter(e, exc) != EMU_OK || e->run.stopped)
                break;
        }
        if (e->whole.input_end || e->sys.reset_request)
            break;
        if (uc_reg_read(e->uc, UC_ARM_REG_PC, &pc) != UC_ERR_OK) {
            emu_run_abort(e, "reading PC", UC_ERR_ARG);
            break;
        }
        e->whole.redirected = 0;
        e->whole.stopped_between = 0;
        e->whole.sys_next =
            e->whole.booting || e->whole.probing ? 0 : e->run.blocks;
        emu_ucfix_enter(e);
        err =
            uc_emu_start(e->uc, pc | 1u, e->board->sentinel, 0, (size_t)count);
        emu_ucfix_leave();
        if (e->run.stopped || err != UC_ERR_OK || e->whole.external_stop)
            break;
        if (e->whole.input_end || e->sys.reset_request)
            break;
        if (boot_of(e) != NULL && boot_of(e)->stall != STALL_NONE)
            break;
        if (count > 0)
            break;
        if (e->whole.redirected || e->whole.stopped_between)
            continue;
        /* Neither a hook nor a stop: WFI or WFE. */
        e->whole.sleeping = 1;
    }
    return err;
}

/* The run's state before its first instruction (the snapshot restored). */
static void whole_start(struct emu *e, const uint8_t *input, size_t len)
{
    e->sys = e->whole.sys_snap;
    memcpy(e->periph, e->whole.periph_snap, sizeof(*e->periph));
    e->whole.in = input;
    e->whole.in_len = len;
    e->whole.in_pos = 0;
    e->whole.out_len = 0;
    e->whole.out_total = 0;
    e->whole.input_end = 0;
    e->whole.want_stop = 0;
    e->whole.empty_polls = 0;
    e->whole.sleeping = e->whole.sleeping_snap;
    e->whole.irq_due = 1;
    e->whole.sys_next = 0;
}

int emu_whole_start(struct emu *e, const uint8_t *input, size_t len)
{
    uc_err err;

    emu_mem_restore(e);
    err = uc_context_restore(e->uc, e->ctx);
    if (err != UC_ERR_OK)
        return emu_fail(e, EMU_ERR_UNICORN, "uc_context_restore: %s",
                        uc_strerror(err));
    whole_start(e, input, len);
    return EMU_OK;
}

uc_err emu_whole_resume(struct emu *e, uint64_t count)
{
    uc_err err = whole_loop(e, count);

    if (!e->run.stopped && err == UC_ERR_OK) {
        if (e->sys.reset_request)
            end_clean(e, EMU_END_RESET);
        else if (e->whole.input_end)
            end_clean(e, EMU_END_INPUT);
        else if (e->whole.sleeping)
            e->run.hang_wfi = 1; /* emu_run_end: nothing will wake it */
    }
    return err;
}

/* ---- the boot ---- */

/* The code the progress bitmap covers: the executable region holding
 * the reset handler (boot code outside it counts as no progress). */
static int seen_alloc(struct emu *e, uint32_t reset)
{
    const struct emu_region *g = emu_board_region_at(e->board, reset);

    free(e->whole.seen);
    e->whole.seen = NULL;
    if (g == NULL || g->size > (64u << 20))
        return EMU_OK; /* no progress tracking */
    e->whole.seen_base = g->base;
    e->whole.seen_size = g->size;
    e->whole.seen = calloc(1, g->size / 16 + 1);
    return e->whole.seen != NULL
               ? EMU_OK
               : emu_fail(e, EMU_ERR_NOMEM, "no memory for the boot");
}

static int set_reset_regs(struct emu *e, uint32_t sp, uint32_t pc)
{
    int ids[4] = {UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC, UC_ARM_REG_XPSR};
    uint32_t v[4] = {sp & ~3u, 0xFFFFFFFFu, pc | 1u, 1u << 24};
    void *vals[4] = {&v[0], &v[1], &v[2], &v[3]};

    if (uc_reg_write_batch(e->uc, ids, vals, 4) != UC_ERR_OK)
        return emu_fail(e, EMU_ERR_UNICORN, "setting the reset registers");
    return EMU_OK;
}

/* The UART registers: reading them in a loop is waiting for input. */
static int is_uart_reg(const struct emu *e, uint32_t addr)
{
    const struct emu_uart_cfg *u = &e->board->image.uart;

    return u->have && (addr == (u->rx & ~3u) || addr == u->status ||
                       (u->rx_event != 0 && addr == u->rx_event));
}

/* The register the stalled loop reads most, -1 if none. */
static int most_read(const struct emu *e)
{
    unsigned i;
    int best = -1;

    for (i = 0; i < e->whole.nwatch; i++)
        if (best < 0 ||
            e->whole.watch[i].reads > e->whole.watch[(unsigned)best].reads)
            best = (int)i;
    return best;
}

struct saved {
    uc_context *ctx;
    struct emu_sys sys;
    uint64_t blocks;
    uint8_t *seen;
};

/*
 * A stalled boot reads reg in a loop: tries values for it, each from the
 * loop's state, until one leads to code the boot never ran. Returns 1
 * with the model added (in force from now), 0 if none moved it.
 */
static int find_model(struct emu *e, const struct emu_watch *w)
{
    struct emu_whole_boot *wb = boot_of(e);
    static const uint32_t firsts[] = {0xFFFFFFFFu, 0u, 1u};
    struct saved s = {0};
    struct emu_model m;
    uint32_t v;
    int found = 0;
    unsigned k, seen_len = e->whole.seen_size / 16 + 1;

    if (e->whole.seen == NULL || uc_context_alloc(e->uc, &s.ctx) != UC_ERR_OK ||
        uc_context_save(e->uc, s.ctx) != UC_ERR_OK ||
        emu_mem_snapshot(e) != EMU_OK || (s.seen = malloc(seen_len)) == NULL) {
        if (s.ctx != NULL)
            uc_context_free(s.ctx);
        return 0;
    }
    memcpy(s.seen, e->whole.seen, seen_len);
    s.sys = e->sys;
    s.blocks = e->run.blocks;
    memcpy(e->whole.periph_snap, e->periph, sizeof(*e->periph));
    for (k = 0; k < 3 + 64 && !found; k++) {
        v = k < 3 ? firsts[k] : k < 35 ? 1u << (k - 3) : ~(1u << (k - 35));
        if (v == w->value)
            continue;
        memset(&m, 0, sizeof(m));
        m.addr = w->addr;
        m.size = 4;
        m.kind = EMU_MODEL_CONST;
        m.value = v;
        m.found = 1;
        m.pc = w->pc;
        m.at_block = emu_sys_now(e);
        if (emu_model_add(e, &m) != 0)
            break;
        wb->trial = 1;
        wb->stall = STALL_NONE;
        e->run.budget = e->run.blocks + TRIAL_BLOCKS;
        (void)whole_loop(e, 0);
        found = wb->stall == STALL_ESCAPED && !e->run.stopped;
        /* Back to the loop's state, with or without the model. */
        emu_mem_restore(e);
        (void)uc_context_restore(e->uc, s.ctx);
        e->sys = s.sys;
        memcpy(e->periph, e->whole.periph_snap, sizeof(*e->periph));
        memcpy(e->whole.seen, s.seen, seen_len);
        e->run.blocks = s.blocks;
        e->run.stopped = 0;
        e->whole.sleeping = 0;
        e->whole.input_end = 0;
        e->whole.want_stop = 0;
        wb->trial = 0;
        if (!found) {
            unsigned i;

            for (i = 0; i < e->nmodels; i++)
                if (e->models[i].addr == m.addr) {
                    memmove(&e->models[i], &e->models[i + 1],
                            (e->nmodels - i - 1) * sizeof(m));
                    e->nmodels--;
                    break;
                }
        }
    }
    wb->stall = STALL_NONE;
    e->run.budget = e->board->image.boot_budget;
    uc_context_free(s.ctx);
    free(s.seen);
    return found;
}

static void note_loop(struct emu *e, struct emu_boot_report *r)
{
    unsigned i;
    int w;

    r->loop_lo = UINT32_MAX;
    r->loop_hi = 0;
    for (i = 0; i < EMU_LAST_BLOCKS && i < e->run.blocks; i++) {
        uint32_t a = e->run.ring[i];

        if (a < r->loop_lo)
            r->loop_lo = a;
        if (a > r->loop_hi)
            r->loop_hi = a;
    }
    r->loop_blocks = i;
    w = most_read(e);
    if (w >= 0) {
        const struct emu_watch *x = &e->whole.watch[w];

        r->reg = x->addr;
        r->reg_pc = x->pc;
        r->reg_value = x->value;
        r->reg_reads = x->reads;
        r->reg_is_uart = is_uart_reg(e, x->addr);
    }
}

/* The boot proper: runs it until it waits, or says why it does not. */
static int boot_run(struct emu *e, struct emu_boot_report *r, uint64_t budget)
{
    struct emu_whole_boot *wb = boot_of(e);
    uint32_t vt[2];
    unsigned i;
    int w, rc;

    emu_sys_reset(e);
    memset(e->periph, 0, sizeof(*e->periph));
    r->vtor = e->sys.vtor;
    r->auto_models = e->board->image.auto_models;
    r->uart_irq = e->board->image.uart.irq;
    if (emu_mem_read(e, e->sys.vtor, vt, sizeof(vt)) != 0)
        return emu_fail(e, EMU_ERR_IMAGE,
                        "no vector table at 0x%08x (system.vtor of the "
                        "board): nothing is loaded there",
                        (unsigned)e->sys.vtor);
    r->initial_sp = vt[0];
    r->reset_vector = vt[1];
    if (!emu_addr_is_code(e, vt[1] & ~1u))
        return emu_fail(e, EMU_ERR_IMAGE,
                        "the reset vector at 0x%08x is 0x%08x, which is not "
                        "in the loaded code: is system.vtor right?",
                        (unsigned)(e->sys.vtor + 4), (unsigned)vt[1]);
    if ((rc = seen_alloc(e, vt[1] & ~1u)) != EMU_OK)
        return rc;
    if ((rc = set_reset_regs(e, vt[0], vt[1])) != EMU_OK)
        return rc;
    e->whole.booting = 1;
    e->whole.in = NULL;
    e->whole.in_len = e->whole.in_pos = 0;
    e->whole.out_len = e->whole.out_total = 0;
    e->whole.input_end = e->whole.want_stop = 0;
    e->whole.sleeping = 0;
    e->whole.empty_polls = 0;
    e->whole.nwatch = 0;
    e->whole.last_new = 0;
    e->whole.irq_due = 0;
    memset(&r->res, 0, sizeof(r->res));
    emu_run_reset(e, vt[1], budget, &r->res);
    for (;;) {
        uc_err err;

        wb->stall = STALL_NONE;
        err = whole_loop(e, 0);
        if (e->run.error != EMU_OK)
            return e->run.error;
        if (!e->run.stopped && err != UC_ERR_OK)
            emu_fault_from_error(e, err);
        r->blocks = e->run.blocks;
        if (e->run.stopped) {
            r->res.blocks = e->run.blocks;
            emu_run_copy_last(e, &r->res);
            emu_fault_finish(e, &r->res);
            r->end =
                r->res.stop == EMU_STOP_HANG ? EMU_BOOT_BUDGET : EMU_BOOT_FAULT;
            note_loop(e, r);
            break;
        }
        if (e->sys.reset_request) {
            r->end = EMU_BOOT_RESET;
            break;
        }
        if (e->whole.input_end) {
            r->end = EMU_BOOT_WAITING; /* it reads the UART: input */
            note_loop(e, r);
            break;
        }
        if (e->whole.sleeping) {
            /* Nothing woke it. An enabled interrupt is input to be. */
            for (i = 0; i < 8; i++)
                r->enabled[i] = e->sys.enabled[i];
            r->end = EMU_BOOT_IDLE;
            for (i = 0; i < 8; i++)
                if (e->sys.enabled[i] != 0)
                    r->end = EMU_BOOT_WAITING;
            break;
        }
        if (wb->stall != STALL_LOOP)
            continue;
        w = most_read(e);
        if (w >= 0 && is_uart_reg(e, e->whole.watch[w].addr)) {
            r->end = EMU_BOOT_WAITING;
            note_loop(e, r);
            break;
        }
        note_loop(e, r);
        if (w >= 0 && e->board->image.auto_models && !wb->models_fixed &&
            find_model(e, &e->whole.watch[w])) {
            e->whole.last_new = e->run.blocks;
            e->whole.nwatch = 0;
            continue;
        }
        r->end = EMU_BOOT_STUCK;
        break;
    }
    r->pc = 0;
    (void)uc_reg_read(e->uc, UC_ARM_REG_PC, &r->pc);
    r->uart_total = e->whole.out_total;
    r->uart_len = e->whole.out_len < EMU_BOOT_UART_MAX ? e->whole.out_len
                                                       : EMU_BOOT_UART_MAX;
    memcpy(r->uart, e->whole.out, r->uart_len);
    r->nmodels = 0;
    for (i = 0; i < e->nmodels && r->nmodels < EMU_BOOT_MAX_MODELS; i++) {
        const struct emu_model *m = &e->models[i];

        if (!m->found)
            continue;
        r->models[r->nmodels].addr = m->addr;
        r->models[r->nmodels].value = m->value;
        r->models[r->nmodels].pc = m->pc;
        r->models[r->nmodels].at_block = m->at_block;
        r->nmodels++;
    }
    for (i = 0; i < 8; i++)
        r->enabled[i] = e->sys.enabled[i];
    if (r->end == EMU_BOOT_STUCK && r->reg != 0 && !r->reg_is_uart)
        r->have_suggestion = 0;
    return EMU_OK;
}

int emu_whole_prepare(struct emu *e)
{
    struct emu_whole_boot *wb;
    struct emu_boot_report *r;
    char line[512];
    int rc;

    if (e->whole.boot == NULL) {
        e->whole.boot = calloc(1, sizeof(*wb));
        if (e->whole.boot == NULL)
            return emu_fail(e, EMU_ERR_NOMEM, "no memory for the boot");
    }
    wb = boot_of(e);
    r = e->whole.report != NULL ? e->whole.report : &e->own_report;
    memset(r, 0, sizeof(*r));
    wb->r = r;
    rc = boot_run(e, r, e->board->image.boot_budget);
    e->whole.booting = 0;
    if (rc != EMU_OK)
        return rc;
    if (r->end != EMU_BOOT_WAITING) {
        emu_boot_summary(e, r, line, sizeof(line));
        return emu_fail(e, EMU_ERR_INIT, "%s (fwfuzz boot says more)", line);
    }
    /* Time goes on from the boot; the runs start there. */
    e->sys.t0 += e->run.blocks;
    e->whole.sys_snap = e->sys;
    memcpy(e->whole.periph_snap, e->periph, sizeof(*e->periph));
    e->whole.sleeping_snap = e->whole.sleeping;
    e->whole.booted = 1;
    return EMU_OK;
}

int emu_whole_reboot(struct emu *e, struct emu_boot_report *r, uint64_t budget)
{
    struct emu_whole_boot *wb = boot_of(e);
    int rc;

    if (wb == NULL)
        return emu_fail(e, EMU_ERR_STATE, "reboot before the first boot");
    memset(r, 0, sizeof(*r));
    wb->r = r;
    wb->models_fixed = 1;
    rc = boot_run(e, r, budget);
    wb->models_fixed = 0;
    e->whole.booting = 0;
    return rc;
}

int emu_boot(struct emu *e, struct emu_boot_report *r)
{
    int rc;

    if (e == NULL || r == NULL)
        return EMU_ERR_ARG;
    if (!e->board->image.whole)
        return emu_fail(e, EMU_ERR_STATE,
                        "board %s is not a whole image's (its entry is not "
                        "\"%s\")",
                        e->board->name, EMU_ENTRY_RESET);
    if (e->state != EMU_STATE_OPEN || e->prepare_failed)
        return emu_fail(e, EMU_ERR_STATE,
                        "the image booted already: emu_reset and load it "
                        "again");
    e->whole.report = r;
    rc = emu_set_entry(e, EMU_ENTRY_RESET);
    e->whole.report = NULL;
    if (rc == EMU_ERR_INIT)
        return EMU_OK; /* it booted: r says how it ended */
    return rc;
}
