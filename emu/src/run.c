/*
 * Function-level runs: the entry is called as fn(input, len) from a
 * snapshot and runs until it returns to the sentinel, faults, or spends
 * its block budget. The block hook is the only per-block work: budget,
 * edge coverage, stack limit, execution outside code.
 *
 * The fast path: a function-level run goes first with the lean hook:
 * budget, the oracle's path, edges and the execution-outside-code test.
 * The stack limit is the CPU's own: the run starts from a copy of the
 * snapshot with the v8-M limits MSPLIM and PSPLIM at the board's stack
 * limit (lean_context), and any push, sub/mov sp or sp! write-back below it
 * raises a stack-overflow exception at that instruction. The few SP writes
 * the CPU does not check (a load into SP, msr) are marked by spscan.c, and
 * the lean hook reads SP after a block that may hold one. A run that does
 * not return cleanly runs again on the full hook, whose verdict and edges
 * are the ones reported: the same as without the fast path, for the cost
 * of a second run per finding.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

/* The board's init runs once, however long the set-up takes. */
#define INIT_BUDGET_FACTOR 100u

/* Unicorn ids of struct emu_result.regs: r0-r12, sp, lr, pc, xpsr. */
const int emu_reg_ids[17] = {UC_ARM_REG_R0,  UC_ARM_REG_R1,  UC_ARM_REG_R2,
                             UC_ARM_REG_R3,  UC_ARM_REG_R4,  UC_ARM_REG_R5,
                             UC_ARM_REG_R6,  UC_ARM_REG_R7,  UC_ARM_REG_R8,
                             UC_ARM_REG_R9,  UC_ARM_REG_R10, UC_ARM_REG_R11,
                             UC_ARM_REG_R12, UC_ARM_REG_SP,  UC_ARM_REG_LR,
                             UC_ARM_REG_PC,  UC_ARM_REG_XPSR};

/*
 * Unicorn could not give or take the CPU state in a hook: whatever the
 * run would have found is unknown, so it ends with an error and no
 * verdict (a zero SP read as a stack overflow would be a false one).
 */
void emu_run_abort(struct emu *e, const char *what, uc_err err)
{
    if (e->run.error == EMU_OK) {
        e->run.error = EMU_ERR_UNICORN;
        emu_error(e, "%s: %s", what, uc_strerror(err));
    }
    e->run.stopped = 1;
    uc_emu_stop(e->uc);
}

int emu_capture_regs(struct emu *e, uint32_t regs[17])
{
    void *vals[17];
    unsigned i;
    uc_err err;

    for (i = 0; i < 17; i++) {
        regs[i] = 0;
        vals[i] = &regs[i];
    }
    err = uc_reg_read_batch(e->uc, (int *)emu_reg_ids, vals, 17);
    if (err != UC_ERR_OK) {
        emu_run_abort(e, "reading the registers", err);
        return EMU_ERR_UNICORN;
    }
    return EMU_OK;
}

/* First verdict wins: a later hook (the BKPT after a report) is ignored. */
void emu_run_stop(struct emu *e, enum emu_stop stop, enum emu_fault fault,
                  uint32_t pc, uint32_t addr, uint32_t size, int is_write)
{
    struct emu_result *res = e->run.res;

    if (e->run.stopped || emu_capture_regs(e, res->regs) != EMU_OK)
        return;
    e->run.stopped = 1;
    res->stop = stop;
    res->fault = fault;
    res->pc = pc;
    res->regs[15] = pc;
    res->lr = res->regs[14];
    res->sp = res->regs[13];
    res->addr = addr;
    res->access_size = size;
    res->is_write = is_write;
    uc_emu_stop(e->uc);
}

/* AFL-style edge: hash of the block, xor the previous one's. */
static inline void count_edge(struct emu *e, uint32_t a)
{
    uint32_t cur = (a >> 1) * 0x9E3779B1u;
    uint32_t i;
    uint8_t v;

    cur ^= cur >> 15;
    i = (cur ^ e->cov.prev) & e->cov.mask;
    v = (uint8_t)(e->cov.map[i] + 1);
    e->cov.map[i] = v != 0 ? v : 0xFF; /* saturate: never wrap to 0 */
    e->cov.prev = cur >> 1;
}

/*
 * The lean hook's stack test, after a block outside the scanned code or
 * one with an SP write the CPU's limit misses (spscan.c): 1 when SP is
 * below the limit, or cannot be read (the full run will say which).
 */
static int lean_sp_below_limit(struct emu *e)
{
    uint32_t sp = 0;

    if (uc_reg_read(e->uc, UC_ARM_REG_SP, &sp) != UC_ERR_OK)
        return 1;
    return sp < e->board->stack_limit;
}

void emu_hook_block(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct emu *e = user;
    uint32_t a = (uint32_t)address;
    uint64_t n = e->run.blocks++;

    if (e->run.lean) {
        /* The fast path: a run that does not return runs again, so no
         * ring of last blocks, and any stop will do. */
        if (n >= e->run.budget ||
            (e->run.sp_check_next && lean_sp_below_limit(e))) {
            emu_run_stop(e, EMU_STOP_HANG, EMU_FAULT_NONE, a, 0, 0, 0);
            return;
        }
        e->run.sp_check_next = 0;
        if (a - e->checks.code0_base >= e->checks.code0_size) {
            /* Outside the scanned code: what the full hook does there. */
            if (e->checks.check_code && !emu_addr_is_code(e, a)) {
                emu_run_stop(e, EMU_STOP_HANG, EMU_FAULT_NONE, a, 0, 0, 0);
                return;
            }
            e->run.sp_check_next = e->checks.check_stack;
        } else if (e->img.nsp_unchecked != 0 && e->checks.check_stack) {
            /* an SP write the CPU's limit misses may be in this block */
            e->run.sp_check_next = emu_spscan_unchecked(e, a, size);
        }
        if (e->oracle.rec != NULL || e->oracle.cmp != EMU_ORACLE_CMP_NONE)
            emu_oracle_block(e, a);
        if (e->cov.map != NULL)
            count_edge(e, a);
        return;
    }
    /* The ring is also where the current and the previous block are. */
    e->run.ring[n & (EMU_LAST_BLOCKS - 1)] = a;
    if (n >= e->run.budget) {
        emu_run_stop(e, EMU_STOP_HANG, EMU_FAULT_NONE, a, 0, 0, 0);
        return;
    }
    if (e->oracle.rec != NULL || e->oracle.cmp != EMU_ORACLE_CMP_NONE)
        emu_oracle_block(e, a); /* oracle.c's paths */
    if (n >= e->whole.sys_next) {
        /* A whole image: time, interrupts, the boot's progress. */
        emu_whole_block(e, a);
        if (e->whole.stopped_between)
            return;
    }
    if (e->cov.map != NULL)
        count_edge(e, a);
    if (e->checks.check_code &&
        a - e->checks.code0_base >= e->checks.code0_size &&
        !emu_addr_is_code(e, a)) {
        emu_run_stop(e, EMU_STOP_FAULT, EMU_FAULT_FETCH_OUTSIDE, a, a, 0, 0);
        return;
    }
    if (e->checks.check_stack) {
        /*
         * Reading SP costs as much as the rest of the run: only after a
         * block that may have written it (spscan.c; every block when the
         * code could not be scanned).
         */
        if (e->run.sp_check_next) {
            uint32_t sp = 0;
            uc_err err = uc_reg_read(uc, UC_ARM_REG_SP, &sp);

            if (err != UC_ERR_OK) {
                emu_run_abort(e, "reading SP", err);
                return;
            }
            if (sp < e->board->stack_limit) {
                /* The block before this one moved SP past the limit. */
                emu_run_stop(e, EMU_STOP_FAULT, EMU_FAULT_STACK_OVERFLOW,
                             e->run.ring[(n - 1) & (EMU_LAST_BLOCKS - 1)], sp,
                             0, 1);
                return;
            }
        }
        e->run.sp_check_next = emu_spscan_block(e, a, size);
    }
    if (e->cov.blocks != NULL)
        emu_blocks_add(e->cov.blocks, a, size);
    e->run.last_block_size = size;
}

static void hook_insn(uc_engine *uc, uint64_t address, uint32_t size,
                      void *user)
{
    struct emu *e = user;

    (void)uc;
    (void)size;
    e->run.last_insn = (uint32_t)address;
}

void emu_hook_write(uc_engine *uc, uc_mem_type type, uint64_t address, int size,
                    int64_t value, void *user)
{
    (void)uc;
    (void)type;
    (void)value;
    emu_mem_mark_dirty(user, (uint32_t)address, (uint32_t)size);
}

_Static_assert((EMU_LAST_BLOCKS & (EMU_LAST_BLOCKS - 1)) == 0,
               "the ring index wraps with a mask");

/* The ring, oldest first, into res. */
void emu_run_copy_last(struct emu *e, struct emu_result *res)
{
    uint32_t n = e->run.blocks < EMU_LAST_BLOCKS ? (uint32_t)e->run.blocks
                                                 : EMU_LAST_BLOCKS;
    uint32_t i, first = (uint32_t)e->run.blocks - n;

    for (i = 0; i < n; i++)
        res->last_blocks[i] = e->run.ring[(first + i) & (EMU_LAST_BLOCKS - 1)];
    res->nlast_blocks = n;
}

/* A run's state before its first instruction. */
void emu_run_reset(struct emu *e, uint32_t fn, uint64_t budget,
                   struct emu_result *res)
{
    memset(res, 0, sizeof(*res));
    e->run.res = res;
    e->run.stopped = 0;
    e->run.error = EMU_OK;
    e->run.stop_sym = -1;
    e->run.mem_type = -1;
    e->run.hang_wfi = 0;
    e->run.blocks = 0;
    e->run.budget = budget;
    e->cov.prev = 0;
    e->run.sp_check_next = 0;
    e->run.lean = 0; /* emu_run chooses the fast path */
    /* Before the first block, "the previous block" is the entry. */
    e->run.ring[EMU_LAST_BLOCKS - 1] = fn & ~1u;
    e->run.last_block_size = 0;
    e->run.fault_block_size = 0;
    /* Whole images look at time and interrupts from the first block. */
    e->whole.sys_next = e->board->image.whole ? 0 : UINT64_MAX;
    emu_oracle_run_reset(e);
}

uc_err emu_run_resume(struct emu *e, uint32_t pc, uint64_t count)
{
    uc_err err;

    if (e->board->image.whole) {
        /* Exceptions and sleep are entered between stretches. */
        uint32_t v = pc | 1u;

        if (uc_reg_write(e->uc, UC_ARM_REG_PC, &v) != UC_ERR_OK)
            return UC_ERR_ARG;
        return emu_whole_resume(e, count);
    }

    emu_ucfix_enter(e);
    err = uc_emu_start(e->uc, pc | 1u, e->board->sentinel, 0, (size_t)count);
    emu_ucfix_leave();
    return err;
}

int emu_run_end(struct emu *e, uc_err err, struct emu_result *res)
{
    int ids[2] = {UC_ARM_REG_PC, UC_ARM_REG_R0};
    uint32_t pc = 0, r0 = 0;
    void *vals[2] = {&pc, &r0};

    res->blocks = e->run.blocks;
    if (!e->run.stopped) {
        if (err != UC_ERR_OK) {
            emu_fault_from_error(e, err);
        } else if ((err = uc_reg_read_batch(e->uc, ids, vals, 2)) !=
                   UC_ERR_OK) {
            emu_run_abort(e, "reading PC and r0 after the run", err);
        } else if (pc == e->board->sentinel) {
            res->stop = EMU_STOP_RETURN;
            res->ret = r0;
            res->pc = pc;
            res->regs[0] = r0;
            res->regs[15] = pc;
            return EMU_OK;
        } else {
            /* WFI or WFE: nothing will ever wake the core. */
            e->run.hang_wfi = 1;
            emu_run_stop(e, EMU_STOP_HANG, EMU_FAULT_NONE, pc, 0, 0, 0);
        }
    }
    if (e->run.error != EMU_OK) {
        /* No verdict: nothing in *res may be read as one. */
        memset(res, 0, sizeof(*res));
        return e->run.error;
    }
    if (e->run.lean)
        return EMU_OK; /* runs again on the full hook: no report to make */
    emu_run_copy_last(e, res);
    emu_fault_finish(e, res);
    return EMU_OK;
}

/*
 * Runs fn from the current CPU state (registers set by the caller) until
 * the sentinel, a fault or the budget.
 */
static int run_from(struct emu *e, uint32_t fn, uint64_t budget,
                    struct emu_result *res)
{
    emu_run_reset(e, fn, budget, res);
    if (e->board->image.whole)
        return emu_run_end(e, emu_whole_resume(e, 0), res);
    return emu_run_end(e, emu_run_resume(e, fn, 0), res);
}

int emu_parse_address(const char *s, uint32_t *out)
{
    char *end;
    unsigned long long v;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    v = strtoull(s, &end, 0);
    if (*end != '\0' || v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* A symbol name or an address, which must be loaded code. */
static int resolve(struct emu *e, const char *what, const char *name,
                   uint32_t *out)
{
    const struct emu_sym *s;
    uint32_t a;

    if (emu_parse_address(name, &a) == 0) {
        if (!emu_addr_is_code(e, a & ~1u))
            return emu_fail(e, EMU_ERR_SYMBOL,
                            "%s 0x%08x is not in the loaded code", what,
                            (unsigned)a);
        *out = a | 1u;
        return EMU_OK;
    }
    if (e->img.nsyms == 0)
        return emu_fail(e, EMU_ERR_SYMBOL,
                        "%s \"%s\": the image has no symbol table; give the "
                        "address instead (e.g. 0x08000141)",
                        what, name);
    s = emu_sym_by_name(e, name);
    if (s == NULL)
        return emu_fail(e, EMU_ERR_SYMBOL,
                        "%s \"%s\": no such symbol in the "
                        "image",
                        what, name);
    if (s->type != EMU_SYM_FUNC || !emu_addr_is_code(e, s->addr))
        return emu_fail(e, EMU_ERR_SYMBOL,
                        "%s \"%s\" (0x%08x) is not a "
                        "function in the loaded code",
                        what, name, (unsigned)s->addr);
    *out = s->addr | 1u;
    return EMU_OK;
}

static int set_call_regs(struct emu *e, uint32_t r0, uint32_t r1)
{
    int ids[4] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_SP, UC_ARM_REG_LR};
    uint32_t v[4] = {r0, r1, e->board->stack_top, e->board->sentinel | 1u};
    void *vals[4] = {&v[0], &v[1], &v[2], &v[3]};
    uc_err err = uc_reg_write_batch(e->uc, ids, vals, 4);

    if (err != UC_ERR_OK)
        return emu_fail(e, EMU_ERR_UNICORN, "setting registers: %s",
                        uc_strerror(err));
    return EMU_OK;
}

/*
 * Code loaded into RAM (a .ramfunc section): stores there must keep
 * QEMU's self-modifying-code check, so ucfix.c leaves them slow.
 */
static int code_in_ram(const struct emu *e)
{
    unsigned i, j;

    for (i = 0; i < e->img.ncode; i++)
        for (j = 0; j < e->mem.nmaps; j++) {
            const struct emu_map *m = &e->mem.maps[j];
            const struct emu_range *c = &e->img.code[i];

            if (m->kind == EMU_KIND_RAM && c->base < m->base + m->size &&
                m->base < c->base + c->size)
                return 1;
        }
    return 0;
}

/*
 * Unicorn's page: a fast page must be exactly one of our dirty pages.
 * (uc_query: the uc_ctl macros of 2.0.1 shift into the sign bit.)
 */
static size_t uc_page_size(struct emu *e)
{
    size_t size = 0;

    if (uc_query(e->uc, UC_QUERY_PAGE_SIZE, &size) != UC_ERR_OK)
        return 0;
    return size;
}

/*
 * Runs the stub from at to until with r0-r3 as given and reads them back:
 * 0, or -1 when it did not get there (the CPU refused an instruction).
 */
static int run_stub(struct emu *e, uint32_t at, uint32_t until, uint32_t r[4])
{
    int ids[5] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3,
                  UC_ARM_REG_PC};
    uint32_t pc = at | 1u;
    void *vals[5] = {&r[0], &r[1], &r[2], &r[3], &pc};
    struct emu_result res;
    uc_err err;

    emu_run_reset(e, at, UINT64_MAX, &res);
    e->run.lean = 1;
    err = uc_reg_write_batch(e->uc, ids, vals, 5);
    if (err == UC_ERR_OK) {
        emu_ucfix_enter(e);
        err = uc_emu_start(e->uc, at | 1u, until, 0, 0);
        emu_ucfix_leave();
    }
    if (err == UC_ERR_OK && !e->run.stopped)
        err = uc_reg_read_batch(e->uc, ids, vals, 5);
    e->run.lean = 0;
    return err == UC_ERR_OK && !e->run.stopped && pc == until ? 0 : -1;
}

/*
 * The lean runs' CPU state: the snapshot's with the stack limits MSPLIM and
 * PSPLIM (for an init that moved to the process stack) raised to the
 * board's stack limit where the image left them lower. Set by a stub at the
 * end of the return sentinel's page (executable and ours), which then gets
 * its fill back: it reads both, then writes both and reads MSPLIM again.
 * 1 done, 0 when the CPU does not take them (the fast path is then off; a
 * missing limit is what the read-back guards against: a spurious stop
 * would only cost a second run), -1 when the snapshot cannot come back.
 */
static int lean_context(struct emu *e)
{
    static const uint8_t stub[20] = {
        0xEF, 0xF3, 0x0A, 0x81, /* mrs r1, msplim */
        0xEF, 0xF3, 0x0B, 0x82, /* mrs r2, psplim */
        0x80, 0xF3, 0x0A, 0x88, /* msr msplim, r0 */
        0x83, 0xF3, 0x0B, 0x88, /* msr psplim, r3 */
        0xEF, 0xF3, 0x0A, 0x81, /* mrs r1, msplim */
    };
    struct emu_map *m = e->mem.sentinel_map;
    /* the stop address, after the stub, still in the page */
    uint32_t at = e->board->sentinel + EMU_PAGE - sizeof(stub) - 2;
    uint8_t *host = m->host + (at - m->base), fill[sizeof(stub)];
    uint32_t limit = e->board->stack_limit, r[4] = {0, 0, 0, 0};
    uint8_t *cov = e->cov.map;
    struct emu_blocks *blocks = e->cov.blocks;
    int check_code = e->checks.check_code, ok;

    if ((limit & 7u) != 0)
        return 0; /* MSPLIM holds multiples of 8 */
    memcpy(fill, host, sizeof(fill));
    memcpy(host, stub, sizeof(stub));
    /* The stub is not the image's code and no input's run. */
    e->cov.map = NULL;
    e->cov.blocks = NULL;
    e->checks.check_code = 0;
    ok = run_stub(e, at, at + 8, r) == 0;
    if (ok) {
        r[0] = r[1] > limit ? r[1] : limit;
        r[3] = r[2] > limit ? r[2] : limit;
        ok = run_stub(e, at + 8, at + 20, r) == 0 && r[1] == r[0];
    }
    if (ok && e->fast.ctx == NULL &&
        uc_context_alloc(e->uc, &e->fast.ctx) != UC_ERR_OK)
        ok = 0;
    if (ok && uc_context_save(e->uc, e->fast.ctx) != UC_ERR_OK)
        ok = 0;
    e->checks.check_code = check_code;
    e->cov.map = cov;
    e->cov.blocks = blocks;
    memcpy(host, fill, sizeof(fill));
    /* The full runs' state, and no translation of the stub left. */
    if (uc_ctl_remove_cache(e->uc, at, at + sizeof(stub)) != UC_ERR_OK ||
        uc_context_restore(e->uc, e->ctx) != UC_ERR_OK)
        return -1;
    return ok;
}

/*
 * Whether the stack limit can be the CPU's: no stack to check, or the code
 * was scanned, so the lean hook knows where the SP writes the CPU's limit
 * misses are.
 */
static int stack_fits_fast_path(const struct emu *e)
{
    return !e->checks.check_stack ||
           (e->img.sp_writers != NULL && e->img.sp_unchecked != NULL);
}

/*
 * After the snapshot: the fast path takes function-level runs of an image
 * with no RAM to run code from, on a CPU that takes the stack limit.
 */
static int choose_fast_path(struct emu *e)
{
    const struct emu_board *b = e->board;
    unsigned i;
    int rc;

    e->fast.usable = 0;
    if (!e->fast.allowed || b->image.whole || code_in_ram(e) ||
        !stack_fits_fast_path(e))
        return EMU_OK;
    for (i = 0; i < b->nregions; i++)
        if (b->regions[i].kind == EMU_KIND_RAM &&
            (b->regions[i].perm & UC_PROT_EXEC))
            return EMU_OK;
    rc = lean_context(e);
    if (rc < 0)
        return emu_fail(e, EMU_ERR_UNICORN,
                        "restoring the snapshot after setting the stack "
                        "limit");
    e->fast.usable = rc;
    return EMU_OK;
}

/* fn with coverage off: a whole image's boot and model trials are not
 * runs of an input. */
static int without_coverage(struct emu *e, int (*fn)(struct emu *))
{
    uint8_t *cov = e->cov.map;
    struct emu_blocks *blocks = e->cov.blocks;
    int rc;

    e->cov.map = NULL;
    e->cov.blocks = NULL;
    rc = fn(e);
    e->cov.map = cov;
    e->cov.blocks = blocks;
    return rc;
}

/* Hooks, the board's init, then the snapshot every run starts from. */
static int prepare(struct emu *e)
{
    const struct emu_board *b = e->board;
    const struct emu_region *sr = emu_board_region_at(b, b->stack_top - 1);
    struct emu_result res;
    uint32_t init;
    uc_err err;
    int rc;

    if ((rc = emu_faults_install(e)) != EMU_OK)
        return rc;
    if ((rc = emu_oracle_install(e)) != EMU_OK)
        return rc;
    e->checks.check_code = e->img.ncode > 0;
    e->checks.code0_base = e->img.ncode > 0 ? e->img.code[0].base : 0;
    e->checks.code0_size = e->img.ncode > 0 ? e->img.code[0].size : 0;
    e->hooks.fast_stores =
        emu_ucfix_active() && !code_in_ram(e) && uc_page_size(e) == EMU_PAGE;
    /* Without a limit above the region's base, unmapped pushes suffice. */
    e->checks.check_stack = sr != NULL && b->stack_limit > sr->base;
    e->checks.inline_kasan =
        b->kasan && e->img.nsyms > 0 &&
        emu_sym_by_name(e, "__asan_report_load1_noabort") != NULL;
    if (e->checks.check_stack && (rc = emu_spscan(e)) != EMU_OK)
        return rc;
    if (b->image.whole) {
        /* The boot leaves the CPU where the firmware waits for input. */
        if ((rc = without_coverage(e, emu_whole_prepare)) != EMU_OK)
            return rc;
        e->init_done = 1;
        goto save;
    }
    if (b->init[0] != '\0') {
        uint8_t *cov = e->cov.map;
        struct emu_blocks *blocks = e->cov.blocks;

        if ((rc = resolve(e, "init function", b->init, &init)) != EMU_OK)
            return rc;
        if ((rc = set_call_regs(e, 0, 0)) != EMU_OK)
            return rc;
        e->cov.map = NULL;
        e->cov.blocks = NULL;
        rc = run_from(e, init, b->budget_blocks * INIT_BUDGET_FACTOR, &res);
        e->cov.map = cov;
        e->cov.blocks = blocks;
        if (rc != EMU_OK)
            return rc;
        if (res.stop != EMU_STOP_RETURN) {
            char line[256];

            emu_summary(e, &res, line, sizeof(line));
            return emu_fail(e, EMU_ERR_INIT, "init function %s: %s", b->init,
                            line);
        }
    }
    e->init_done = 1;
    if ((rc = set_call_regs(e, 0, 0)) != EMU_OK)
        return rc;
save:
    if (e->ctx == NULL) {
        err = uc_context_alloc(e->uc, &e->ctx);
        if (err != UC_ERR_OK)
            return emu_fail(e, EMU_ERR_UNICORN, "uc_context_alloc: %s",
                            uc_strerror(err));
    }
    err = uc_context_save(e->uc, e->ctx);
    if (err != UC_ERR_OK)
        return emu_fail(e, EMU_ERR_UNICORN, "uc_context_save: %s",
                        uc_strerror(err));
    if ((rc = emu_mem_snapshot(e)) != EMU_OK)
        return rc;
    if ((rc = choose_fast_path(e)) != EMU_OK)
        return rc;
    /* Trials from the snapshot: runs that must not count either. */
    if (b->image.whole && b->image.auto_models)
        rc = without_coverage(e, emu_whole_infer);
    return rc;
}

int emu_set_entry(struct emu *e, const char *entry)
{
    uint32_t addr;
    int rc;

    if (e == NULL || entry == NULL || entry[0] == '\0')
        return e != NULL ? emu_fail(e, EMU_ERR_ARG, "no entry given")
                         : EMU_ERR_ARG;
    if (strlen(entry) >= sizeof(e->entry_name))
        return emu_fail(e, EMU_ERR_ARG,
                        "entry name longer than %zu "
                        "characters",
                        sizeof(e->entry_name) - 1);
    if (e->img.nloaded == 0)
        return emu_fail(e, EMU_ERR_STATE,
                        "load an image before choosing "
                        "the entry");
    if (e->board->image.whole != (strcmp(entry, EMU_ENTRY_RESET) == 0))
        return emu_fail(e, EMU_ERR_SYMBOL,
                        e->board->image.whole
                            ? "entry %s: board %s is a whole image's: its "
                              "entry is \"" EMU_ENTRY_RESET "\""
                            : "entry %s: board %s is not a whole image's "
                              "(give it \"entry\": \"" EMU_ENTRY_RESET "\")",
                        entry, e->board->name);
    if (e->board->image.whole)
        addr = 0; /* the reset vector, read by the boot */
    else if ((rc = resolve(e, "entry", entry, &addr)) != EMU_OK)
        return rc;
    if (e->prepare_failed)
        return emu_fail(e, EMU_ERR_STATE,
                        "setting up failed before (%s): "
                        "emu_reset and load the image again",
                        emu_strerror(e->prepare_failed));
    if (e->state == EMU_STATE_OPEN) {
        rc = prepare(e);
        if (rc != EMU_OK) {
            /* RAM holds what the failed init wrote: no retry from here. */
            e->prepare_failed = rc;
            return rc;
        }
        e->state = EMU_STATE_READY;
    }
    e->entry = addr;
    snprintf(e->entry_name, sizeof(e->entry_name), "%s", entry);
    return EMU_OK;
}

/* Restore the snapshot (the lean runs' copy with lean), place the input,
 * set up the call. */
static int start_run(struct emu *e, const uint8_t *input, size_t len, int lean)
{
    uint32_t ptr;
    uc_err err;

    if (e->board->image.whole)
        return emu_whole_start(e, input, len);
    emu_mem_restore(e);
    ptr = emu_mem_place_input(e, input, len);
    e->oracle.input_addr = ptr; /* what the input holds is public */
    err = uc_context_restore(e->uc, lean ? e->fast.ctx : e->ctx);
    if (err != UC_ERR_OK)
        return emu_fail(e, EMU_ERR_UNICORN, "uc_context_restore: %s",
                        uc_strerror(err));
    return set_call_regs(e, ptr, (uint32_t)len);
}

/*
 * The run again with an instruction hook on the faulting block (which
 * makes Unicorn keep PC exact there): the exact PC, or 0 if the run did not
 * fault the same way. Leaves the hook and its translation in place.
 */
static uint32_t rerun_hooked(struct emu *e, const uint8_t *input, size_t len,
                             const struct emu_result *res, uc_hook *h)
{
    uint32_t b = e->run.fault_block, n = e->run.fault_block_size;
    struct emu_result again;

    *h = 0;
    if (uc_hook_add(e->uc, h, UC_HOOK_CODE, emu_cb((emu_fn)hook_insn), e, b,
                    b + n - 1) != UC_ERR_OK) {
        *h = 0;
        return 0;
    }
    /* The old translation has no hook: without a new one, no exact PC. */
    if (uc_ctl_remove_cache(e->uc, b, b + n) != UC_ERR_OK)
        return 0;
    e->run.last_insn = 0;
    e->cov.map = NULL;
    e->cov.blocks = NULL;
    if (start_run(e, input, len, 0) == EMU_OK &&
        run_from(e, e->entry, e->budget, &again) == EMU_OK &&
        again.stop == res->stop && again.fault == res->fault &&
        again.addr == res->addr && e->run.last_insn - b < n)
        return e->run.last_insn;
    return 0;
}

/* In a child process: whatever it translates dies with it. */
static int rerun_forked(struct emu *e, const uint8_t *input, size_t len,
                        const struct emu_result *res, uint32_t *pc)
{
    int fds[2], status;
    uint32_t v = 0;
    pid_t pid;
    ssize_t r;
    uc_hook h;

    if (getenv("FWFUZZ_EMU_NO_FORK") != NULL || pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        v = rerun_hooked(e, input, len, res, &h);
        r = write(fds[1], &v, sizeof(v));
        _exit(r == (ssize_t)sizeof(v) ? 0 : 1);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return -1;
    }
    do
        r = read(fds[0], &v, sizeof(v));
    while (r < 0 && errno == EINTR);
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    *pc = r == (ssize_t)sizeof(v) ? v : 0;
    return 0;
}

/*
 * Unicorn reports a bad data access with PC at the start of its block. The
 * run is deterministic: run it again with an instruction hook on that one
 * block to learn the exact PC. In a child process, so that the second
 * translation of the block does not pile up in this process's translation
 * buffer run after run; in this process only when fork is not possible.
 */
static int exact_pc(struct emu *e, const uint8_t *input, size_t len,
                    struct emu_result *res)
{
    uint32_t b = e->run.fault_block, n = e->run.fault_block_size, pc = 0;
    uint8_t *cov = e->cov.map;
    struct emu_blocks *blocks = e->cov.blocks;
    uc_hook h;

    if (n == 0)
        return EMU_OK;
    if (rerun_forked(e, input, len, res, &pc) != 0) {
        struct emu_result keep = *res;
        uc_err err = UC_ERR_OK;

        pc = rerun_hooked(e, input, len, res, &h);
        if (h != 0)
            err = uc_hook_del(e->uc, h);
        if (err == UC_ERR_OK)
            err = uc_ctl_remove_cache(e->uc, b, b + n);
        e->cov.map = cov;
        e->cov.blocks = blocks;
        *res = keep;
        /* The hook or its translation would stay in every later run. */
        if (err != UC_ERR_OK) {
            memset(res, 0, sizeof(*res));
            return emu_fail(e, EMU_ERR_UNICORN,
                            "removing the exact-PC hook: %s", uc_strerror(err));
        }
    }
    if (pc != 0)
        emu_run_exact_pc(e, res, pc);
    return EMU_OK;
}

void emu_run_exact_pc(struct emu *e, struct emu_result *res, uint32_t pc)
{
    /* The stop's registers and memory are this process's: only PC moves. */
    res->pc = pc;
    res->regs[15] = pc;
    emu_fault_finish(e, res);
}

int emu_run_needs_exact_pc(const struct emu *e, const struct emu_result *res)
{
    return res->stop == EMU_STOP_FAULT && e->run.mem_type >= 0 &&
           e->run.mem_type != UC_MEM_FETCH_UNMAPPED &&
           e->run.mem_type != UC_MEM_FETCH_PROT;
}

static int run_begin(struct emu *e, const uint8_t *input, size_t *len,
                     struct emu_result *res, int lean)
{
    int rc;

    if (res != NULL)
        memset(res, 0, sizeof(*res));
    if (e == NULL || res == NULL || len == NULL || (input == NULL && *len > 0))
        return EMU_ERR_ARG;
    if (e->state != EMU_STATE_READY)
        return emu_fail(e, EMU_ERR_STATE,
                        e->init_done ? "emu_set_entry failed: no entry"
                                     : "emu_set_entry first");
    if (*len > e->board->input_max)
        *len = e->board->input_max;
    if ((rc = start_run(e, input, *len, lean)) != EMU_OK)
        return rc;
    emu_run_reset(e, e->entry, e->budget, res);
    e->run.lean = lean;
    return EMU_OK;
}

int emu_run_begin(struct emu *e, const uint8_t *input, size_t *len,
                  struct emu_result *res)
{
    return run_begin(e, input, len, res, 0);
}

/* One run of the input, on the lean hook or the full one. */
static int run_input(struct emu *e, const uint8_t *input, size_t *len,
                     struct emu_result *res, int lean)
{
    int rc = run_begin(e, input, len, res, lean);

    if (rc != EMU_OK)
        return rc;
    emu_oracle_first_run(e, input, *len);
    if (e->board->image.whole)
        rc = emu_run_end(e, emu_whole_resume(e, 0), res);
    else
        rc = emu_run_end(e, emu_run_resume(e, e->entry, 0), res);
    e->run.lean = 0;
    e->oracle.rec = NULL;
    e->oracle.first = 0;
    return rc;
}

int emu_run(struct emu *e, const uint8_t *input, size_t len,
            struct emu_result *res)
{
    /* Source lines (linecov.c) want every block: the full hook. */
    int lean = e != NULL && e->state == EMU_STATE_READY && e->fast.usable &&
               e->cov.blocks == NULL;
    /* AFL++ sets byte 0 of its map before each run: kept for the rerun. */
    uint8_t map0 = e != NULL && e->cov.map != NULL ? e->cov.map[0] : 0;
    int rc = run_input(e, input, &len, res, lean);

    if (lean && rc == EMU_OK) {
        e->fast.runs++;
        if (res->stop != EMU_STOP_RETURN) {
            /*
             * Again on the full hook: its verdict is the one reported, and
             * its edges the ones counted (the lean run may have gone on
             * past the fault; the engines clear the map before each run,
             * so it holds nothing else).
             */
            e->fast.reruns++;
            if (e->cov.map != NULL) {
                memset(e->cov.map, 0, (size_t)e->cov.mask + 1);
                e->cov.map[0] = map0;
            }
            rc = run_input(e, input, &len, res, 0);
        }
    }
    if (rc == EMU_OK && emu_run_needs_exact_pc(e, res))
        rc = exact_pc(e, input, len, res);
    if (rc == EMU_OK)
        rc = emu_oracle_after(e, input, len, res);
    return rc;
}

int emu_run_again(struct emu *e, const uint8_t *input, size_t len,
                  struct emu_result *res)
{
    int rc = start_run(e, input, len, 0);

    if (rc != EMU_OK)
        return rc;
    return run_from(e, e->entry, e->budget, res);
}
