/*
 * Single-fault injection on a whole image's boot (emu/glitch.h): the trace
 * of the boot without a fault, then boots from the same reset state with
 * one instruction skipped or its registers zeroed.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>

#include "emu/glitch.h"
#include "internal.h"

/* Bytes after a zero fault's instruction where the next one it runs lies
 * (the rest of an IT block: at most three instructions). */
#define ZERO_WINDOW 12u
/* The automatic budget: this many times the boot without a fault, plus. */
#define BUDGET_FACTOR 4u
#define BUDGET_EXTRA  100000u
/* Bytes of a function decoded from its start to show an instruction. */
#define DISASM_WINDOW 8192u
#define DISASM_BEFORE 4
#define DISASM_AFTER  3

/* A member of an IT block: the ITSTATE it runs with, where its IT is. */
struct it_member {
    uint32_t addr;
    uint32_t it;     /* the IT instruction */
    uint8_t state;   /* its ITSTATE */
    uint8_t pos;     /* 0 for the first member */
    uint8_t no_skip; /* its skip cannot be modelled (see note_it_block) */
};

struct emu_glitch {
    struct emu *e;
    uint32_t target, target_len;
    uint64_t budget;
    uint8_t *ram;    /* every RAM map at reset */
    uc_context *cpu; /* the CPU at reset */
    csh cs;
    int cs_open;

    /* The trace of the boot without a fault. */
    struct emu_glitch_insn *insns;
    size_t n, cap;
    uint32_t *index; /* open addressing: insns index + 1, 0 empty */
    size_t index_size;
    struct it_member *its;
    size_t nits, itcap;
    uint64_t executed;
    size_t prev;  /* the instruction run last ... */
    int prev_new; /* ... for the first time */
    int tracing;
    int trace_full; /* no memory for more: the trace is cut */
    uc_hook h_trace, h_target;

    /* The boot with a fault. */
    struct emu_glitch_fault f;
    const struct emu_glitch_insn *fi;
    uint32_t it_addr; /* a skip inside an IT block: done at this IT */
    uint8_t it_state; /* ... which then sets this ITSTATE */
    uint32_t hits;
    int armed;   /* a zero fault's instruction runs now */
    int applied; /* the fault happened */
    int in_target;
    uint32_t target_pc;

    struct emu_boot_report report;
    struct emu_glitch_result ref;
};

const char *emu_glitch_model_name(enum emu_glitch_model m)
{
    return m == EMU_GLITCH_ZERO ? "zero" : "skip";
}

const char *emu_glitch_end_name(enum emu_glitch_end end)
{
    switch (end) {
    case EMU_GLITCH_SECURE:
        return "secure";
    case EMU_GLITCH_BYPASS:
        return "bypass";
    case EMU_GLITCH_CRASH:
        return "crash";
    case EMU_GLITCH_HANG:
        return "hang";
    case EMU_GLITCH_OTHER:
        return "other";
    }
    return "?";
}

/* A Thumb instruction's size from its first halfword (A5.1). */
static uint8_t thumb_size(uint16_t hw)
{
    return (hw >> 11) >= 0x1Du ? 4 : 2;
}

/* ITSTATE after an instruction of the block ran (ITAdvance, A7.3.2). */
static uint8_t it_advance(uint8_t it)
{
    return (it & 7u) == 0 ? 0 : (uint8_t)((it & 0xE0u) | ((it << 1) & 0x1Fu));
}

static uint32_t hash_addr(uint32_t a)
{
    return (a >> 1) * 0x9E3779B1u;
}

static size_t find(const struct emu_glitch *g, uint32_t a)
{
    size_t mask = g->index_size - 1, i;

    if (g->index_size == 0)
        return SIZE_MAX;
    for (i = hash_addr(a) & mask; g->index[i] != 0; i = (i + 1) & mask)
        if (g->insns[g->index[i] - 1].addr == a)
            return g->index[i] - 1;
    return SIZE_MAX;
}

static void index_put(uint32_t *index, size_t size, uint32_t a, size_t k)
{
    size_t i;

    for (i = hash_addr(a) & (size - 1); index[i] != 0; i = (i + 1) & (size - 1))
        ;
    index[i] = (uint32_t)k + 1;
}

/* Room for one more instruction; 0 when there is no memory. */
static int grow(struct emu_glitch *g)
{
    size_t i;

    if (g->n == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 1024;
        struct emu_glitch_insn *p = realloc(g->insns, cap * sizeof(*p));

        if (p == NULL)
            return 0;
        g->insns = p;
        g->cap = cap;
    }
    if (2 * (g->n + 1) > g->index_size) {
        size_t size = g->index_size ? 2 * g->index_size : 4096;
        uint32_t *index = calloc(size, sizeof(*index));

        if (index == NULL)
            return 0;
        for (i = 0; i < g->n; i++)
            index_put(index, size, g->insns[i].addr, i);
        free(g->index);
        g->index = index;
        g->index_size = size;
    }
    return 1;
}

static const struct it_member *it_member_at(const struct emu_glitch *g,
                                            uint32_t a)
{
    size_t i;

    for (i = 0; i < g->nits; i++)
        if (g->its[i].addr == a)
            return &g->its[i];
    return NULL;
}

/* Whether the members of the IT block at a set the flags, in order. */
static void it_flag_setters(struct emu_glitch *g, uint32_t a, unsigned n,
                            int *sets)
{
    const uint8_t *code = emu_mem_host(g->e, a, 2 + 4 * n);
    cs_insn *insn = NULL;
    size_t got, i;

    for (i = 0; i < n; i++)
        sets[i] = 1; /* unknown: assume it does */
    if (!g->cs_open || code == NULL)
        return;
    /* From the IT on: capstone reads the members as conditional. */
    got = cs_disasm(g->cs, code, 2 + 4 * n, a, n + 1, &insn);
    for (i = 1; i < got && i <= n; i++)
        sets[i - 1] =
            insn[i].detail == NULL || insn[i].detail->arm.update_flags;
    if (got > 0)
        cs_free(insn, got);
}

/*
 * An IT instruction at a: its members and their ITSTATE, decoded from
 * the code (an instruction whose condition fails does not reach a code
 * hook, so counting the hook's calls would lose the block).
 */
static void note_it_block(struct emu_glitch *g, uint32_t a, uint8_t it)
{
    uint32_t p = a + 2;
    uint16_t hw;
    int sets[4], flags_before = 0;
    unsigned n = 0, k;
    uint8_t s;

    for (s = it; s != 0; s = it_advance(s))
        n++;
    it_flag_setters(g, a, n, sets);
    for (k = 0; it != 0 && emu_mem_read(g->e, p, &hw, 2) == 0; k++) {
        if (g->nits == g->itcap) {
            size_t cap = g->itcap ? 2 * g->itcap : 64;
            struct it_member *q = realloc(g->its, cap * sizeof(*q));

            if (q == NULL)
                return;
            g->its = q;
            g->itcap = cap;
        }
        g->its[g->nits].addr = p;
        g->its[g->nits].it = a;
        g->its[g->nits].state = it;
        g->its[g->nits].pos = (uint8_t)k;
        /*
         * Skipped at its IT, its condition inverted: that needs the
         * condition known there (no member before it sets the flags) and
         * invertible (not AL).
         */
        g->its[g->nits].no_skip = (it >> 4) >= 0xE || flags_before;
        flags_before |= sets[k];
        g->nits++;
        p += thumb_size(hw);
        it = it_advance(it);
    }
}

static void hook_trace(uc_engine *uc, uint64_t address, uint32_t size,
                       void *user)
{
    struct emu_glitch *g = user;
    uint32_t a = (uint32_t)address;
    const struct it_member *mem;
    struct emu_glitch_insn *in;
    uint16_t hw = 0;
    size_t k;
    int fresh = 0;

    (void)uc;
    (void)size;
    if (!g->tracing || a - g->target < g->target_len)
        return;
    g->executed++;
    if (g->prev_new)
        g->insns[g->prev].next = a;
    k = find(g, a);
    if (k == SIZE_MAX) {
        if (g->trace_full || !grow(g)) {
            g->trace_full = 1;
            g->prev_new = 0;
            return;
        }
        k = g->n++;
        index_put(g->index, g->index_size, a, k);
        in = &g->insns[k];
        memset(in, 0, sizeof(*in));
        (void)emu_mem_read(g->e, a, &hw, 2);
        in->addr = a;
        in->first = g->executed;
        in->size = thumb_size(hw);
        mem = it_member_at(g, a);
        in->itstate = mem != NULL ? mem->state : 0;
        in->no_skip = mem != NULL && mem->no_skip;
        /* IT with a non-zero mask (a zero mask is a hint: NOP, WFI...). */
        if ((hw & 0xFF00u) == 0xBF00u && (hw & 0xFu) != 0)
            note_it_block(g, a, (uint8_t)hw);
        fresh = 1;
    }
    g->insns[k].runs++;
    g->prev = k;
    g->prev_new = fresh;
}

static void hook_target(uc_engine *uc, uint64_t address, uint32_t size,
                        void *user)
{
    struct emu_glitch *g = user;

    (void)uc;
    (void)size;
    if (g->in_target)
        return;
    g->in_target = 1;
    g->target_pc = (uint32_t)address;
    emu_run_stop(g->e, EMU_STOP_RETURN, EMU_FAULT_NONE, (uint32_t)address, 0, 0,
                 0);
}

/*
 * The fault is made: the CPU goes on at pc with xpsr (err: how reading
 * it went). xPSR first: the PC write stops Unicorn, to resume there.
 */
static void resume_at(struct emu_glitch *g, uc_engine *uc, uc_err err,
                      uint32_t xpsr, uint32_t pc)
{
    if (err == UC_ERR_OK)
        err = uc_reg_write(uc, UC_ARM_REG_XPSR, &xpsr);
    if (err == UC_ERR_OK)
        err = uc_reg_write(uc, UC_ARM_REG_PC, &pc);
    if (err != UC_ERR_OK) {
        emu_run_abort(g->e, "skipping an instruction", err);
        return;
    }
    g->e->whole.redirected = 1;
    g->applied = 1;
}

/* The instruction (outside IT blocks) acts as a NOP: PC past it. */
static void fault_skip(struct emu_glitch *g, uc_engine *uc)
{
    uint32_t pc = (g->f.addr + g->fi->size) | 1u, xpsr = 0;
    uc_err err;

    /*
     * ITSTATE (IT[1:0] at xPSR[26:25], IT[7:2] at [15:10]) is 0 here; a
     * TB started before may have left it stale in the CPU state.
     */
    err = uc_reg_read(uc, UC_ARM_REG_XPSR, &xpsr);
    xpsr &= ~((3u << 25) | (0x3Fu << 10));
    resume_at(g, uc, err, xpsr, pc);
}

/* ConditionPassed (A7.3.1) for cond < 0xE, with the xPSR's NZCV. */
static int cond_passed(unsigned cond, uint32_t xpsr)
{
    int n = (xpsr >> 31) & 1, z = (xpsr >> 30) & 1, c = (xpsr >> 29) & 1,
        v = (xpsr >> 28) & 1, r;

    switch (cond >> 1) {
    case 0:
        r = z;
        break;
    case 1:
        r = c;
        break;
    case 2:
        r = n;
        break;
    case 3:
        r = v;
        break;
    case 4:
        r = c && !z;
        break;
    case 5:
        r = n == v;
        break;
    default:
        r = !z && n == v;
        break;
    }
    return (cond & 1) ? !r : r;
}

/*
 * A member of an IT block, skipped at its IT: Unicorn runs an IT block
 * as one instruction (a hook inside it cannot move PC), so the IT itself
 * is skipped and its ITSTATE set with the member's condition inverted.
 * Only when the member would run now, by the flags at the IT.
 */
static void fault_skip_at_it(struct emu_glitch *g, uc_engine *uc)
{
    uint32_t pc = (g->it_addr + 2) | 1u, xpsr = 0;
    uint8_t it = g->it_state;
    uc_err err;

    err = uc_reg_read(uc, UC_ARM_REG_XPSR, &xpsr);
    if (err == UC_ERR_OK && !cond_passed(g->fi->itstate >> 4, xpsr))
        return;
    if (err == UC_ERR_OK && ++g->hits != g->f.nth)
        return;
    xpsr = (xpsr & ~((3u << 25) | (0x3Fu << 10))) |
           ((uint32_t)(it & 3u) << 25) | ((uint32_t)(it >> 2) << 10);
    resume_at(g, uc, err, xpsr, pc);
}

/* The instruction ran: the registers it wrote read 0. */
static void fault_zero(struct emu_glitch *g, uc_engine *uc)
{
    static const uint32_t zero = 0;
    unsigned r;

    for (r = 0; r < 15; r++) {
        if (!(g->fi->writes & (1u << r)))
            continue;
        if (uc_reg_write(uc, emu_reg_ids[r], &zero) != UC_ERR_OK) {
            emu_run_abort(g->e, "zeroing a register", UC_ERR_ARG);
            return;
        }
    }
    g->applied = 1;
}

static void hook_fault(uc_engine *uc, uint64_t address, uint32_t size,
                       void *user)
{
    struct emu_glitch *g = user;

    (void)size;
    if (g->applied)
        return;
    if (g->armed) {
        /* The first instruction after it: it has run. */
        g->armed = 0;
        fault_zero(g, uc);
        return;
    }
    if (g->it_addr != 0) {
        if ((uint32_t)address == g->it_addr)
            fault_skip_at_it(g, uc);
        return;
    }
    if ((uint32_t)address != g->f.addr || ++g->hits != g->f.nth)
        return;
    if (g->f.model == EMU_GLITCH_ZERO)
        g->armed = 1;
    else
        fault_skip(g, uc);
}

/* The boot's end, from its report and the hooks'. */
static void classify(struct emu_glitch *g, struct emu_glitch_result *r)
{
    const struct emu_boot_report *b = &g->report;

    memset(r, 0, sizeof(*r));
    r->boot = b;
    r->blocks = b->blocks;
    r->applied = g->applied;
    r->pc = b->pc;
    if (g->in_target) {
        r->end = EMU_GLITCH_BYPASS;
        r->pc = g->target_pc;
    } else if (b->end == EMU_BOOT_IDLE) {
        r->end = EMU_GLITCH_SECURE;
    } else if (b->end == EMU_BOOT_FAULT) {
        r->end = EMU_GLITCH_CRASH;
        r->pc = b->res.pc;
    } else if (b->end == EMU_BOOT_BUDGET) {
        r->end = EMU_GLITCH_HANG;
    } else {
        r->end = EMU_GLITCH_OTHER;
    }
    if (g->in_target || b->end == EMU_BOOT_FAULT || b->end == EMU_BOOT_BUDGET)
        memcpy(r->regs, b->res.regs, sizeof(r->regs));
    else
        (void)emu_capture_regs(g->e, r->regs);
}

/* r0-r12 and LR the instruction writes; 0 when it writes PC or SP. */
static uint16_t regs_written(struct emu_glitch *g, uint32_t a)
{
    const uint8_t *code = emu_mem_host(g->e, a, 4);
    cs_insn *insn = NULL;
    uint16_t writes = 0;
    unsigned i;

    if (!g->cs_open || code == NULL ||
        cs_disasm(g->cs, code, 4, a, 1, &insn) != 1)
        return 0;
    for (i = 0; insn->detail != NULL && i < insn->detail->arm.op_count; i++) {
        const cs_arm_op *op = &insn->detail->arm.operands[i];

        if (op->type != ARM_OP_REG || !(op->access & CS_AC_WRITE))
            continue;
        if (op->reg >= ARM_REG_R0 && op->reg <= ARM_REG_R12)
            writes |= (uint16_t)(1u << (op->reg - ARM_REG_R0));
        else if (op->reg == ARM_REG_LR)
            writes |= 1u << 14;
        else if (op->reg == ARM_REG_SP || op->reg == ARM_REG_PC)
            writes = 0x8000u; /* not eligible */
        else
            continue;
        if (writes & 0x8000u)
            break;
    }
    /* Branches and writeback to SP write PC or SP without an operand. */
    if (insn->detail != NULL) {
        for (i = 0; i < insn->detail->regs_write_count; i++)
            if (insn->detail->regs_write[i] == ARM_REG_PC ||
                insn->detail->regs_write[i] == ARM_REG_SP)
                writes = 0x8000u;
        if (insn->detail->arm.writeback)
            for (i = 0; i < insn->detail->arm.op_count; i++)
                if (insn->detail->arm.operands[i].type == ARM_OP_MEM &&
                    insn->detail->arm.operands[i].mem.base == ARM_REG_SP)
                    writes = 0x8000u;
    }
    cs_free(insn, 1);
    return writes & 0x8000u ? 0 : writes;
}

static int restore_reset(struct emu_glitch *g)
{
    uc_err err;

    emu_mem_ram_load(g->e, g->ram);
    err = uc_context_restore(g->e->uc, g->cpu);
    if (err != UC_ERR_OK)
        return emu_fail(g->e, EMU_ERR_UNICORN, "restoring the CPU at reset: %s",
                        uc_strerror(err));
    return EMU_OK;
}

/* Drops the translations of every loaded range: hooks changed. */
static int flush_code(struct emu *e)
{
    unsigned i;

    for (i = 0; i < e->img.nloaded; i++) {
        const struct emu_range *r = &e->img.loaded[i];
        uc_err err = uc_ctl_remove_cache(e->uc, r->base, r->base + r->size);

        if (err != UC_ERR_OK)
            return emu_fail(e, EMU_ERR_UNICORN, "flushing translations: %s",
                            uc_strerror(err));
    }
    return EMU_OK;
}

void emu_glitch_close(struct emu_glitch *g)
{
    if (g == NULL)
        return;
    /* Its hook must not call into the freed handle. */
    if (g->h_target != 0)
        (void)uc_hook_del(g->e->uc, g->h_target);
    if (g->cs_open)
        cs_close(&g->cs);
    if (g->cpu != NULL)
        uc_context_free(g->cpu);
    free(g->ram);
    free(g->insns);
    free(g->index);
    free(g->its);
    free(g);
}

int emu_glitch_open(struct emu *e, uint32_t target, uint32_t target_len,
                    uint64_t budget, struct emu_glitch **out)
{
    struct emu_glitch *g;
    uc_err err;
    size_t i;
    int rc;

    if (out == NULL)
        return EMU_ERR_ARG;
    *out = NULL;
    if (e == NULL)
        return EMU_ERR_ARG;
    if (target_len == 0)
        return emu_fail(e, EMU_ERR_ARG, "the target region is empty");
    if (!e->board->image.whole)
        return emu_fail(e, EMU_ERR_STATE,
                        "board %s is not a whole image's: a glitch needs a "
                        "boot from reset",
                        e->board->name);
    if (e->state != EMU_STATE_OPEN || e->prepare_failed || e->img.nloaded == 0)
        return emu_fail(e, EMU_ERR_STATE,
                        "load the images, and do not boot them, before "
                        "emu_glitch_open");
    g = calloc(1, sizeof(*g));
    if (g == NULL)
        return emu_fail(e, EMU_ERR_NOMEM, "no memory for the glitch");
    g->e = e;
    g->target = target;
    g->target_len = target_len;
    g->ram = malloc(emu_mem_ram_size(e) + 1);
    if (g->ram == NULL) {
        emu_glitch_close(g);
        return emu_fail(e, EMU_ERR_NOMEM, "no memory for the RAM at reset");
    }
    emu_mem_ram_save(e, g->ram);
    err = uc_context_alloc(e->uc, &g->cpu);
    if (err == UC_ERR_OK)
        err = uc_context_save(e->uc, g->cpu);
    if (err != UC_ERR_OK) {
        emu_glitch_close(g);
        return emu_fail(e, EMU_ERR_UNICORN, "saving the CPU at reset: %s",
                        uc_strerror(err));
    }
    if (cs_open(CS_ARCH_ARM, (cs_mode)(CS_MODE_THUMB | CS_MODE_MCLASS),
                &g->cs) == CS_ERR_OK) {
        g->cs_open = 1;
        (void)cs_option(g->cs, CS_OPT_DETAIL, CS_OPT_ON);
    }
    /* Before the first translation: the code of the boot gets the hooks. */
    err = uc_hook_add(e->uc, &g->h_target, UC_HOOK_BLOCK,
                      emu_cb((emu_fn)hook_target), g, target,
                      target + (target_len - 1));
    if (err == UC_ERR_OK)
        err = uc_hook_add(e->uc, &g->h_trace, UC_HOOK_CODE,
                          emu_cb((emu_fn)hook_trace), g, 1, 0);
    if (err != UC_ERR_OK) {
        emu_glitch_close(g);
        return emu_fail(e, EMU_ERR_UNICORN, "adding the glitch hooks: %s",
                        uc_strerror(err));
    }
    g->tracing = 1;
    rc = emu_boot(e, &g->report);
    g->tracing = 0;
    /* The boots with a fault run untraced: a hook per instruction costs. */
    err = uc_hook_del(e->uc, g->h_trace);
    if (rc == EMU_OK && err != UC_ERR_OK)
        rc = emu_fail(e, EMU_ERR_UNICORN, "removing the trace hook: %s",
                      uc_strerror(err));
    if (rc == EMU_OK)
        rc = flush_code(e);
    if (rc == EMU_OK && g->trace_full)
        rc = emu_fail(e, EMU_ERR_NOMEM, "no memory for the trace");
    if (rc != EMU_OK) {
        emu_glitch_close(g);
        return rc;
    }
    classify(g, &g->ref);
    for (i = 0; i < g->n; i++)
        g->insns[i].writes = regs_written(g, g->insns[i].addr);
    g->budget = budget ? budget
                       : BUDGET_FACTOR * g->ref.blocks + (uint64_t)BUDGET_EXTRA;
    *out = g;
    return EMU_OK;
}

const struct emu_glitch_result *emu_glitch_reference(const struct emu_glitch *g)
{
    return g != NULL ? &g->ref : NULL;
}

const struct emu_glitch_insn *emu_glitch_trace(const struct emu_glitch *g,
                                               size_t *n)
{
    if (n != NULL)
        *n = g != NULL ? g->n : 0;
    return g != NULL ? g->insns : NULL;
}

const struct emu_glitch_insn *emu_glitch_insn_at(const struct emu_glitch *g,
                                                 uint32_t addr)
{
    size_t k = g != NULL ? find(g, addr & ~1u) : SIZE_MAX;

    return k == SIZE_MAX ? NULL : &g->insns[k];
}

int emu_glitch_run(struct emu_glitch *g, const struct emu_glitch_fault *f,
                   struct emu_glitch_result *r)
{
    const struct emu_glitch_insn *fi;
    struct emu *e;
    uint32_t lo, hi;
    uc_hook h;
    uc_err err;
    int rc;

    if (r != NULL)
        memset(r, 0, sizeof(*r));
    if (g == NULL || f == NULL || r == NULL)
        return EMU_ERR_ARG;
    e = g->e;
    fi = emu_glitch_insn_at(g, f->addr);
    if (fi == NULL)
        return emu_fail(e, EMU_ERR_ARG,
                        "0x%08" PRIx32 ": the boot without a fault runs no "
                        "instruction there",
                        f->addr);
    if (f->nth == 0 || f->nth > fi->runs)
        return emu_fail(e, EMU_ERR_ARG,
                        "0x%08" PRIx32 " runs %" PRIu32
                        " times in the boot without a fault: no execution "
                        "%" PRIu32,
                        f->addr, fi->runs, f->nth);
    if (f->model == EMU_GLITCH_ZERO && fi->writes == 0)
        return emu_fail(e, EMU_ERR_ARG,
                        "0x%08" PRIx32 " writes no register r0-r12 or LR, "
                        "or writes PC or SP: nothing to zero",
                        f->addr);
    if (f->model == EMU_GLITCH_SKIP && fi->no_skip)
        return emu_fail(e, EMU_ERR_ARG,
                        "0x%08" PRIx32 " is in an IT block after a member "
                        "that sets the flags, or runs always: its skip is "
                        "not modelled",
                        f->addr);
    g->f = *f;
    g->f.addr = fi->addr;
    g->fi = fi;
    g->hits = 0;
    g->armed = 0;
    g->applied = 0;
    g->in_target = 0;
    g->it_addr = 0;
    lo = fi->addr;
    hi = lo + fi->size - 1 + (f->model == EMU_GLITCH_ZERO ? ZERO_WINDOW : 0);
    if (f->model == EMU_GLITCH_SKIP && fi->itstate != 0) {
        const struct it_member *m = it_member_at(g, fi->addr);
        uint16_t hw = 0;

        if (m == NULL || emu_mem_read(e, m->it, &hw, 2) != 0)
            return emu_fail(e, EMU_ERR_ARG, "0x%08" PRIx32 ": no IT found",
                            f->addr);
        g->it_addr = m->it;
        /* The member's condition bit, where the IT puts it (ITSTATE[4]
         * for the first, then the mask from the top). */
        g->it_state = (uint8_t)((hw & 0xFFu) ^ (0x10u >> m->pos));
        lo = m->it;
        hi = lo + 1;
    }
    err = uc_hook_add(e->uc, &h, UC_HOOK_CODE, emu_cb((emu_fn)hook_fault), g,
                      lo, hi);
    if (err != UC_ERR_OK)
        return emu_fail(e, EMU_ERR_UNICORN, "adding the fault hook: %s",
                        uc_strerror(err));
    /* Its code was translated without the hook: translate it again. */
    err = uc_ctl_remove_cache(e->uc, lo, hi + 1);
    rc = err == UC_ERR_OK
             ? restore_reset(g)
             : emu_fail(e, EMU_ERR_UNICORN, "flushing: %s", uc_strerror(err));
    if (rc == EMU_OK)
        rc = emu_whole_reboot(e, &g->report, g->budget);
    err = uc_hook_del(e->uc, h);
    if (err == UC_ERR_OK)
        err = uc_ctl_remove_cache(e->uc, lo, hi + 1);
    if (rc == EMU_OK && err != UC_ERR_OK)
        rc = emu_fail(e, EMU_ERR_UNICORN, "removing the fault hook: %s",
                      uc_strerror(err));
    if (rc != EMU_OK)
        return rc;
    classify(g, r);
    return EMU_OK;
}

/*
 * Decodes addr's function from its start (so that an IT block's members
 * read as conditional), else from addr; *at is addr's index. Returns the
 * count (0: none), *insn to cs_free.
 */
static size_t decode_at(struct emu_glitch *g, uint32_t addr, cs_insn **insn,
                        size_t *at)
{
    const struct emu_sym *fn = emu_sym_at(g->e, addr, EMU_SYM_FUNC);
    uint32_t start = addr;
    const uint8_t *code;
    size_t n, i, avail;

    *insn = NULL;
    if (!g->cs_open)
        return 0;
    if (fn != NULL && addr - fn->addr <= DISASM_WINDOW)
        start = fn->addr;
    else if (it_member_at(g, addr) != NULL)
        start = it_member_at(g, addr)->it; /* read as conditional */
    for (;;) {
        avail = addr - start + 64;
        while (avail > 0 &&
               (code = emu_mem_host(g->e, start, (uint32_t)avail)) == NULL)
            avail -= 2;
        if (avail == 0)
            return 0;
        n = cs_disasm(g->cs, code, avail, start, 0, insn);
        for (i = 0; i < n && insn[0][i].address < addr; i++)
            ;
        if (i < n && insn[0][i].address == addr) {
            *at = i;
            return n;
        }
        if (n > 0)
            cs_free(*insn, n);
        *insn = NULL;
        if (start == addr)
            return 0;
        start = addr; /* data in the function: decode from addr itself */
    }
}

size_t emu_glitch_insn_text(struct emu_glitch *g, uint32_t addr, char *buf,
                            size_t len)
{
    cs_insn *insn;
    size_t n, at = 0;
    int k;

    if (buf == NULL || len == 0)
        return 0;
    snprintf(buf, len, "?");
    if (g == NULL)
        return strlen(buf);
    n = decode_at(g, addr & ~1u, &insn, &at);
    if (n == 0)
        return strlen(buf);
    k = snprintf(buf, len, "%s%s%s", insn[at].mnemonic,
                 insn[at].op_str[0] ? " " : "", insn[at].op_str);
    cs_free(insn, n);
    return k < 0 ? 0 : (size_t)k < len ? (size_t)k : len - 1;
}

size_t emu_glitch_disasm(struct emu_glitch *g, uint32_t addr, char *buf,
                         size_t len)
{
    cs_insn *insn;
    size_t n, i, at = 0, used = 0;

    if (buf == NULL || len == 0)
        return 0;
    buf[0] = '\0';
    if (g == NULL)
        return 0;
    n = decode_at(g, addr & ~1u, &insn, &at);
    for (i = at > DISASM_BEFORE ? at - DISASM_BEFORE : 0;
         i < n && i <= at + DISASM_AFTER && used + 1 < len; i++) {
        int k =
            snprintf(buf + used, len - used, "  %s 0x%08" PRIx64 ": %-8s %s\n",
                     i == at ? "=>" : "  ", insn[i].address, insn[i].mnemonic,
                     insn[i].op_str);

        if (k < 0)
            break;
        used = used + (size_t)k < len ? used + (size_t)k : len - 1;
    }
    if (n > 0)
        cs_free(insn, n);
    return used;
}
