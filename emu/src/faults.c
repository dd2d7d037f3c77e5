/*
 * Fault classification: invalid memory accesses, CPU exceptions, symbols
 * the run stops on (abort, the stack protector, KASan's report, ...), and
 * the decoding of KASan shadow bytes.
 */
#include <string.h>

#include "internal.h"

/* uc_mem_type values of UC_HOOK_MEM_INVALID. */
#define MEM_INVALID                                                            \
    (UC_HOOK_MEM_READ_UNMAPPED | UC_HOOK_MEM_WRITE_UNMAPPED |                  \
     UC_HOOK_MEM_FETCH_UNMAPPED | UC_HOOK_MEM_READ_PROT |                      \
     UC_HOOK_MEM_WRITE_PROT | UC_HOOK_MEM_FETCH_PROT)

/* QEMU's ARM exception numbers, as UC_HOOK_INTR reports them. */
/* clang-format off */
enum {
    EXCP_UDEF           = 1,  /* undefined instruction */
    EXCP_SWI            = 2,  /* SVC */
    EXCP_PREFETCH_ABORT = 3,
    EXCP_DATA_ABORT     = 4,
    EXCP_BKPT           = 7,
    EXCP_EXCEPTION_EXIT = 8,  /* branch to an EXC_RETURN value */
    EXCP_SEMIHOST       = 16,
    EXCP_NOCP           = 17, /* coprocessor (FPU) disabled */
    EXCP_INVSTATE       = 18, /* branch to ARM state */
    EXCP_STKOF          = 19, /* ARMv8-M stack limit */
};
/* clang-format on */

/* How a stop symbol's arguments are read. */
enum stop_how {
    STOP_PLAIN,  /* nothing to read */
    STOP_EXIT,   /* r0 = status */
    STOP_ASSERT, /* newlib: r0 file, r1 line, r2 function, r3 expression */
    STOP_CHECK,  /* fwfuzz_check_failed: file, line, cond, what */
    STOP_ASAN,   /* fwfuzz_asan_report: addr, size, is_write, shadow byte */
};

/* Entering one of these ends the run with its verdict. */
/* clang-format off */
static const struct {
    const char *name;
    enum emu_fault fault;
    enum stop_how how;
} stop_syms[] = {
    {"fwfuzz_asan_report", EMU_FAULT_NONE,            STOP_ASAN},
    {"fwfuzz_check_failed", EMU_FAULT_ABORT,          STOP_CHECK},
    {"__stack_chk_fail",   EMU_FAULT_STACK_PROTECTOR, STOP_PLAIN},
    {"__assert_func",      EMU_FAULT_ABORT,           STOP_ASSERT},
    {"__assert",           EMU_FAULT_ABORT,           STOP_PLAIN},
    {"__aeabi_assert",     EMU_FAULT_ABORT,           STOP_PLAIN},
    {"assert_failed",      EMU_FAULT_ABORT,           STOP_PLAIN}, /* ST HAL */
    {"abort",              EMU_FAULT_ABORT,           STOP_PLAIN},
    {"exit",               EMU_FAULT_ABORT,           STOP_EXIT},
    {"_exit",              EMU_FAULT_ABORT,           STOP_EXIT},
    {"HardFault_Handler",  EMU_FAULT_HARDFAULT,       STOP_PLAIN},
    {"fwfuzz_finding",     EMU_FAULT_ORACLE,          STOP_PLAIN},
};
/* clang-format on */
_Static_assert(sizeof(stop_syms) / sizeof(stop_syms[0]) <= EMU_MAX_STOPSYMS,
               "room for every stop symbol");

/* Functions of an image's runtime: a report names their caller instead. */
static const char *const runtime_prefixes[] = {
    "__asan_", "__kasan",        "kasan_",        "fwfuzz_asan_",
    "__wrap_", "fwfuzz_oracle_", "fwfuzz_check_", NULL};
static const char *const runtime_names[] = {"abort",
                                            "__assert_func",
                                            "__assert",
                                            "__aeabi_assert",
                                            "assert_failed",
                                            "exit",
                                            "_exit",
                                            "__stack_chk_fail",
                                            "fwfuzz_check_failed",
                                            "fwfuzz_finding",
                                            "HardFault_Handler",
                                            "_kill",
                                            "_kill_r",
                                            "raise",
                                            "_raise_r",
                                            "malloc",
                                            "free",
                                            "calloc",
                                            "realloc",
                                            "_malloc_r",
                                            "_free_r",
                                            "_calloc_r",
                                            "_realloc_r",
                                            NULL};

const char *emu_fault_stop_name(int idx)
{
    if (idx < 0 || (size_t)idx >= sizeof(stop_syms) / sizeof(stop_syms[0]))
        return NULL;
    return stop_syms[idx].name;
}

/* Where a KASan report points: by the shadow byte of the redzone hit. */
static enum emu_fault asan_class(struct emu *e, uint32_t addr, uint32_t sb)
{
    const struct emu_sym *heap_lo, *heap_hi;

    switch (sb & 0xFF) {
    case 0xF9: /* global redzone */
    case 0xF6: /* initialization order */
        return EMU_FAULT_GLOBAL_OVERFLOW;
    case 0xF1: /* stack left */
    case 0xF2: /* stack middle */
    case 0xF3: /* stack right */
    case 0xF5: /* stack after return */
    case 0xF8: /* stack after scope */
    case 0xCA: /* alloca left */
    case 0xCB: /* alloca right */
        return EMU_FAULT_STACK_BUFFER;
    case 0xFA: /* heap left redzone, unallocated heap */
    case 0xFB: /* heap right redzone */
    case 0xFC:
        return EMU_FAULT_HEAP_OVERFLOW;
    case 0xFD: /* freed, in quarantine */
        return EMU_FAULT_USE_AFTER_FREE;
    case 0xFE: /* double or invalid free */
        return EMU_FAULT_BAD_FREE;
    default:
        break;
    }
    /* A partial granule (1..7) or an unknown value: judge by the address. */
    if (addr >= e->board->stack_limit && addr < e->board->stack_top)
        return EMU_FAULT_STACK_BUFFER;
    heap_lo = emu_sym_by_name(e, "__heap_start");
    if (heap_lo == NULL)
        heap_lo = emu_sym_by_name(e, "end");
    heap_hi = emu_sym_by_name(e, "__heap_end");
    if (heap_lo != NULL && heap_hi != NULL && addr >= heap_lo->addr &&
        addr < heap_hi->addr)
        return EMU_FAULT_HEAP_OVERFLOW;
    return EMU_FAULT_GLOBAL_OVERFLOW;
}

const char *emu_fault_asan_kind(uint32_t sb)
{
    switch (sb & 0xFF) {
    case 0xF9:
        return "global redzone";
    case 0xF6:
        return "global (initialization order)";
    case 0xF1:
        return "stack left redzone";
    case 0xF2:
        return "stack mid redzone";
    case 0xF3:
        return "stack right redzone";
    case 0xF5:
        return "stack after return";
    case 0xF8:
        return "stack variable out of scope";
    case 0xCA:
    case 0xCB:
        return "alloca redzone";
    case 0xFA:
        return "heap left redzone";
    case 0xFB:
        return "heap right redzone";
    case 0xFC:
        return "heap redzone";
    case 0xFD:
        return "freed heap memory";
    case 0xFE:
        return "double or invalid free";
    default:
        return (sb & 0xFF) >= 1 && (sb & 0xFF) <= 7 ? "partly addressable"
                                                    : "unknown shadow value";
    }
}

static void hook_stop_sym(uc_engine *uc, uint64_t address, uint32_t size,
                          void *user)
{
    struct emu *e = user;
    uint32_t a = (uint32_t)address, r[4];
    int regs[4] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3};
    void *vals[4] = {&r[0], &r[1], &r[2], &r[3]};
    enum emu_fault fault;
    unsigned i;
    uc_err err;

    (void)size;
    if (e->run.stopped)
        return;
    for (i = 0; i < e->hooks.nstopsyms; i++)
        if (e->hooks.sym_addr[i] == a)
            break;
    if (i == e->hooks.nstopsyms)
        return;
    memset(r, 0, sizeof(r));
    err = uc_reg_read_batch(uc, regs, vals, 4);
    if (err != UC_ERR_OK) {
        emu_run_abort(e, "reading a stop symbol's arguments", err);
        return;
    }
    memcpy(e->run.stop_args, r, sizeof(r));
    e->run.stop_sym = (int)i;
    fault = stop_syms[i].fault;
    switch (stop_syms[i].how) {
    case STOP_ASAN:
        fault = asan_class(e, r[0], r[3]);
        emu_run_stop(e, EMU_STOP_FAULT, fault, a, r[0], r[1], r[2] != 0);
        e->run.res->detail = r[3] & 0xFF;
        return;
    case STOP_EXIT:
        emu_run_stop(e, EMU_STOP_FAULT, fault, a, 0, 0, 0);
        e->run.res->detail = r[0];
        return;
    default:
        emu_run_stop(e, EMU_STOP_FAULT, fault, a, 0, 0, 0);
        return;
    }
}

enum emu_fault emu_fault_access(struct emu *e, int type, uint32_t addr,
                                uint32_t size, uint32_t sp)
{
    const struct emu_board *b = e->board;
    uint32_t guard = b->input_base + b->input_map;
    uint64_t end = (uint64_t)addr + (size ? size : 1);
    int in_guard = addr < (uint64_t)guard + EMU_GUARD_SIZE && end > guard;
    int in_null = b->null_page && addr < b->null_page_size;
    /* Past the top of a stack that ends its RAM: a local array overflowed
     * upwards, past the frames above it. */
    int above_stack = addr >= b->stack_top &&
                      addr - b->stack_top < EMU_GUARD_SIZE &&
                      sp >= b->stack_limit && sp < b->stack_top;

    switch (type) {
    case UC_MEM_READ_UNMAPPED:
        if (in_guard)
            return EMU_FAULT_INPUT_OVERREAD;
        if (above_stack)
            return EMU_FAULT_STACK_BUFFER;
        if (in_null)
            return EMU_FAULT_NULL_DEREF;
        if (sp < b->stack_limit && addr < b->stack_limit && addr + 64u >= sp)
            return EMU_FAULT_STACK_OVERFLOW;
        return EMU_FAULT_UNMAPPED_READ;
    case UC_MEM_WRITE_UNMAPPED:
        if (in_null)
            return EMU_FAULT_NULL_DEREF;
        if (above_stack)
            return EMU_FAULT_STACK_BUFFER;
        /* A push below the stack region: the stack ran out. */
        if (sp < b->stack_limit && addr < b->stack_limit && addr + 64u >= sp)
            return EMU_FAULT_STACK_OVERFLOW;
        return EMU_FAULT_UNMAPPED_WRITE;
    case UC_MEM_FETCH_UNMAPPED:
        /* Calling a NULL function pointer lands here. */
        return in_null ? EMU_FAULT_NULL_DEREF : EMU_FAULT_FETCH_OUTSIDE;
    case UC_MEM_WRITE_PROT:
        return EMU_FAULT_WRITE_FLASH;
    case UC_MEM_READ_PROT:
        return EMU_FAULT_UNMAPPED_READ;
    case UC_MEM_FETCH_PROT:
    default:
        return EMU_FAULT_FETCH_OUTSIDE;
    }
}

static bool hook_invalid(uc_engine *uc, uc_mem_type type, uint64_t address,
                         int size, int64_t value, void *user)
{
    struct emu *e = user;
    uint32_t pc = 0, sp = 0, addr = (uint32_t)address;
    int ids[2] = {UC_ARM_REG_PC, UC_ARM_REG_SP};
    void *vals[2] = {&pc, &sp};
    enum emu_fault fault;
    int is_write = type == UC_MEM_WRITE_UNMAPPED || type == UC_MEM_WRITE_PROT;
    uc_err err;

    (void)value;
    if (e->run.stopped)
        return false;
    err = uc_reg_read_batch(uc, ids, vals, 2);
    if (err != UC_ERR_OK) {
        emu_run_abort(e, "reading PC and SP at an invalid access", err);
        return false;
    }
    /*
     * An inline KASan check (instrumented image only) read a shadow byte
     * nobody mapped. For a peripheral register the access is fine: its
     * shadow becomes a page of zeros (addressable) and the check runs
     * again. Anywhere else the access it guards is to the granule that
     * byte describes (its address to 8 bytes; read or write unknown).
     */
    if (e->checks.inline_kasan && type == UC_MEM_READ_UNMAPPED &&
        addr - e->board->shadow_offset < (1u << 29)) {
        uint32_t target = (addr - e->board->shadow_offset) << 3;
        const struct emu_region *r = emu_board_region_at(e->board, target);

        if (r != NULL && r->kind == EMU_KIND_MMIO) {
            err =
                uc_mem_map(uc, addr & ~(EMU_PAGE - 1), EMU_PAGE, UC_PROT_READ);
            if (err == UC_ERR_OK)
                return true;
            /* Else the register's fine access would become a finding. */
            emu_run_abort(e, "mapping a peripheral's shadow", err);
            return false;
        }
        addr = target;
        size = 8;
    }
    fault = emu_fault_access(e, type, addr, (uint32_t)size, sp);
    if (type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT)
        pc = addr;
    e->run.mem_type = type;
    e->run.fault_block = emu_run_current_block(e);
    e->run.fault_block_size = e->run.last_block_size;
    emu_run_stop(e, EMU_STOP_FAULT, fault, pc, addr, (uint32_t)size, is_write);
    return false;
}

static uint16_t halfword_at(struct emu *e, uint32_t addr)
{
    uint8_t b[2] = {0, 0};

    if (emu_mem_read(e, addr, b, 2) != 0)
        return 0;
    return (uint16_t)(b[0] | b[1] << 8);
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
    struct emu *e = user;
    uint32_t pc = 0;
    enum emu_fault fault;
    uint32_t detail = intno;
    uc_err err;

    if (e->run.stopped) {
        uc_emu_stop(uc);
        return;
    }
    err = uc_reg_read(uc, UC_ARM_REG_PC, &pc);
    if (err != UC_ERR_OK) {
        emu_run_abort(e, "reading PC at a CPU exception", err);
        return;
    }
    if (e->board->image.whole && intno == EXCP_SWI) {
        emu_sys_svc(e); /* a whole image has its SVC handler */
        return;
    }
    if (e->board->image.whole && intno == EXCP_EXCEPTION_EXIT &&
        pc >= 0xFFFFFFE0u) {
        emu_sys_exception_return(e, pc);
        return;
    }
    switch (intno) {
    case EXCP_BKPT:
        fault = EMU_FAULT_BKPT;
        detail = halfword_at(e, pc) & 0xFF;
        break;
    case EXCP_SEMIHOST:
        fault = EMU_FAULT_BKPT;
        detail = 0xAB;
        break;
    case EXCP_SWI:
        /* Reported after the SVC: pc is the next instruction. */
        pc -= 2;
        fault = EMU_FAULT_INVALID_INSN;
        detail = 0x100 | (halfword_at(e, pc) & 0xFF);
        break;
    case EXCP_UDEF:
    case EXCP_NOCP:
    case EXCP_INVSTATE:
        fault = EMU_FAULT_INVALID_INSN;
        break;
    case EXCP_PREFETCH_ABORT:
    case EXCP_EXCEPTION_EXIT:
        fault = EMU_FAULT_FETCH_OUTSIDE;
        break;
    case EXCP_DATA_ABORT:
        fault = EMU_FAULT_UNMAPPED_READ;
        break;
    case EXCP_STKOF:
        fault = EMU_FAULT_STACK_OVERFLOW;
        break;
    default:
        /* Anything else would escalate to HardFault on the part. */
        fault = EMU_FAULT_HARDFAULT;
        break;
    }
    emu_run_stop(e, EMU_STOP_FAULT, fault, pc,
                 fault == EMU_FAULT_FETCH_OUTSIDE ? pc : 0, 0, 0);
    e->run.res->detail = detail;
}

/*
 * uc_emu_start failed without a hook deciding: what the guest did maps to
 * a fault; Unicorn's own troubles (memory, hooks, arguments) are errors.
 */
void emu_fault_from_error(struct emu *e, uc_err err)
{
    uint32_t pc = 0;
    enum emu_fault fault;
    uc_err rerr;

    switch (err) {
    case UC_ERR_INSN_INVALID:
        fault = EMU_FAULT_INVALID_INSN;
        break;
    case UC_ERR_READ_UNMAPPED:
    case UC_ERR_READ_PROT:
    case UC_ERR_READ_UNALIGNED:
        fault = EMU_FAULT_UNMAPPED_READ;
        break;
    case UC_ERR_WRITE_UNMAPPED:
    case UC_ERR_WRITE_UNALIGNED:
        fault = EMU_FAULT_UNMAPPED_WRITE;
        break;
    case UC_ERR_WRITE_PROT:
        fault = EMU_FAULT_WRITE_FLASH;
        break;
    case UC_ERR_FETCH_UNMAPPED:
    case UC_ERR_FETCH_PROT:
    case UC_ERR_FETCH_UNALIGNED:
        fault = EMU_FAULT_FETCH_OUTSIDE;
        break;
    case UC_ERR_EXCEPTION:
        fault = EMU_FAULT_HARDFAULT;
        break;
    default:
        emu_run_abort(e, "uc_emu_start", err);
        return;
    }
    rerr = uc_reg_read(e->uc, UC_ARM_REG_PC, &pc);
    if (rerr != UC_ERR_OK) {
        emu_run_abort(e, "reading PC after a failed run", rerr);
        return;
    }
    emu_run_stop(e, EMU_STOP_FAULT, fault, pc,
                 fault == EMU_FAULT_FETCH_OUTSIDE ? pc : 0, 0, 0);
    e->run.res->detail = (uint32_t)err;
}

int emu_fault_is_runtime(struct emu *e, uint32_t addr)
{
    const struct emu_sym *s = emu_sym_at(e, addr, EMU_SYM_FUNC);
    const char *name = emu_sym_name(e, s), *cu;
    unsigned i;

    if (name != NULL) {
        for (i = 0; runtime_prefixes[i] != NULL; i++)
            if (strncmp(name, runtime_prefixes[i],
                        strlen(runtime_prefixes[i])) == 0)
                return 1;
        for (i = 0; runtime_names[i] != NULL; i++)
            if (strcmp(name, runtime_names[i]) == 0)
                return 1;
    }
    /* Our own image's runtime lives in emu/firmware. */
    cu = emu_dwarf_cu_name(e, addr);
    return cu != NULL && strstr(cu, "emu/firmware/") != NULL;
}

/*
 * After a fault or hang: the call stack, and the site the report names
 * (outside the runtime; for a KASan report the access the runtime saw).
 */
void emu_fault_finish(struct emu *e, struct emu_result *res)
{
    unsigned i;
    /*
     * On a stop symbol's first instruction, or after a jump to nowhere
     * (a bad function pointer), LR still holds the caller's return.
     */
    int at_entry = e->run.stop_sym >= 0 ||
                   e->run.mem_type == UC_MEM_FETCH_UNMAPPED ||
                   e->run.mem_type == UC_MEM_FETCH_PROT ||
                   (res->fault == EMU_FAULT_FETCH_OUTSIDE &&
                    !emu_addr_is_code(e, res->pc));

    res->nframes = emu_unwind(e, res->regs, at_entry, res->frames,
                              res->frame_sp, EMU_MAX_FRAMES);
    res->site = res->pc;
    if (e->run.stop_sym >= 0 && stop_syms[e->run.stop_sym].how == STOP_ASAN) {
        const struct emu_sym *s = emu_sym_by_name(e, "fwfuzz_asan_pc");
        uint32_t v = 0;

        if (s != NULL && emu_mem_read(e, s->addr, &v, 4) == 0 && v != 0 &&
            emu_addr_is_code(e, v & ~1u)) {
            res->site = v & ~1u;
            return;
        }
    }
    /* A hang too: the loop is the caller's, not the runtime's it was in. */
    if (res->stop == EMU_STOP_RETURN)
        return;
    for (i = 0; i < res->nframes; i++) {
        if (emu_addr_is_code(e, res->frames[i]) &&
            !emu_fault_is_runtime(e, res->frames[i])) {
            res->site = res->frames[i];
            return;
        }
    }
}

int emu_faults_install(struct emu *e)
{
    uc_err err;
    unsigned i;
    uint32_t lo = UINT32_MAX, hi = 0;

    err = uc_hook_add(e->uc, &e->hooks.block, UC_HOOK_BLOCK,
                      emu_cb((emu_fn)emu_hook_block), e, 1, 0);
    if (err == UC_ERR_OK)
        err = uc_hook_add(e->uc, &e->hooks.invalid, MEM_INVALID,
                          emu_cb((emu_fn)hook_invalid), e, 1, 0);
    if (err == UC_ERR_OK)
        err = uc_hook_add(e->uc, &e->hooks.intr, UC_HOOK_INTR,
                          emu_cb((emu_fn)hook_intr), e, 1, 0);
    /* Writes to RAM and shadow mark pages to restore. */
    for (i = 0; i < e->mem.nmaps; i++) {
        const struct emu_map *m = &e->mem.maps[i];

        if (m->kind != EMU_KIND_RAM)
            continue;
        if (m->base < lo)
            lo = m->base;
        if (m->base + (m->size - 1) > hi)
            hi = m->base + (m->size - 1);
    }
    /* Not with Unicorn 2.0.1: its store path marks them (ucfix.c). */
    if (err == UC_ERR_OK && lo <= hi && !emu_ucfix_active())
        err = uc_hook_add(e->uc, &e->hooks.write, UC_HOOK_MEM_WRITE,
                          emu_cb((emu_fn)emu_hook_write), e, lo, hi);
    if (err != UC_ERR_OK)
        return emu_fail(e, EMU_ERR_UNICORN, "adding hooks: %s",
                        uc_strerror(err));
    e->hooks.nstopsyms = 0;
    for (i = 0; i < sizeof(stop_syms) / sizeof(stop_syms[0]); i++) {
        const struct emu_sym *s = emu_sym_by_name(e, stop_syms[i].name);

        e->hooks.sym_addr[i] = 0;
        e->hooks.nstopsyms = i + 1;
        if (s == NULL || s->type != EMU_SYM_FUNC || s->addr == 0)
            continue;
        e->hooks.sym_addr[i] = s->addr;
        err = uc_hook_add(e->uc, &e->hooks.sym[i], UC_HOOK_CODE,
                          emu_cb((emu_fn)hook_stop_sym), e, s->addr, s->addr);
        if (err != UC_ERR_OK)
            return emu_fail(e, EMU_ERR_UNICORN, "hooking %s: %s",
                            stop_syms[i].name, uc_strerror(err));
    }
    e->hooks.installed = 1;
    return EMU_OK;
}

/* Every hook is deleted even when one fails; the first error is kept. */
int emu_faults_remove(struct emu *e)
{
    uc_hook hooks[3 + 1 + EMU_MAX_STOPSYMS + EMU_ORACLE_FNS];
    unsigned i, n = 0;
    uc_err err = UC_ERR_OK, r;

    if (!e->hooks.installed || e->uc == NULL)
        return EMU_OK;
    hooks[n++] = e->hooks.block;
    hooks[n++] = e->hooks.invalid;
    hooks[n++] = e->hooks.intr;
    if (e->hooks.write)
        hooks[n++] = e->hooks.write;
    for (i = 0; i < e->hooks.nstopsyms; i++)
        if (e->hooks.sym_addr[i] != 0)
            hooks[n++] = e->hooks.sym[i];
    for (i = 0; i < EMU_ORACLE_FNS; i++)
        if (e->oracle.fn[i] != 0)
            hooks[n++] = e->oracle.hook[i];
    for (i = 0; i < n; i++) {
        r = uc_hook_del(e->uc, hooks[i]);
        if (err == UC_ERR_OK)
            err = r;
    }
    e->hooks.write = 0;
    e->hooks.nstopsyms = 0;
    memset(e->oracle.fn, 0, sizeof(e->oracle.fn));
    e->oracle.on = 0;
    e->hooks.installed = 0;
    if (err != UC_ERR_OK)
        return emu_fail(e, EMU_ERR_UNICORN, "removing hooks: %s",
                        uc_strerror(err));
    return EMU_OK;
}
