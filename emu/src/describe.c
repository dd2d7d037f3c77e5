/*
 * Reports: what a run found, where (symbols and DWARF lines), the call
 * stack, the registers and the code around PC (capstone).
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>

#include "../firmware/kasan/kasan_heap.h"
#include "internal.h"

#define DISASM_BEFORE   4
#define DISASM_AFTER    3
#define DISASM_WINDOW   256 /* bytes from a function's start we decode */
#define GUEST_STR_MAX   200
#define SOURCE_AROUND   3      /* source lines shown before and after */
#define SOURCE_LINE_MAX 240    /* characters of a source line shown */
#define HEAP_SCAN_MAX   0x4000 /* bytes searched for a heap block's header */

/* Appends to a fixed buffer; keeps it NUL-terminated, drops what overflows. */
struct out {
    char *buf;
    size_t len;
    size_t at;
};

static void put(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->len == 0 || o->at >= o->len - 1)
        return;
    va_start(ap, fmt);
    n = vsnprintf(o->buf + o->at, o->len - o->at, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    o->at += (size_t)n;
    if (o->at >= o->len)
        o->at = o->len - 1;
}

void emu_describe_close(struct emu *e)
{
    if (e->capstone != NULL) {
        cs_close(e->capstone);
        free(e->capstone);
        e->capstone = NULL;
    }
}

int emu_locate(struct emu *e, uint32_t addr, struct emu_location *loc)
{
    const struct emu_sym *s;

    if (loc == NULL)
        return EMU_ERR_ARG;
    memset(loc, 0, sizeof(*loc));
    if (e == NULL)
        return EMU_ERR_ARG;
    s = emu_sym_at(e, addr & ~1u, EMU_SYM_FUNC);
    if (s != NULL) {
        loc->function = emu_sym_name(e, s);
        loc->offset = (addr & ~1u) - s->addr;
    }
    emu_dwarf_line(e, addr & ~1u, &loc->file, &loc->line);
    return loc->function != NULL ? EMU_OK : EMU_ERR_SYMBOL;
}

/* "parse_header src/parser.c:42", "parse_header+0x12", "0x08000142". */
static void put_where(struct out *o, struct emu *e, uint32_t addr)
{
    struct emu_location loc;

    emu_locate(e, addr, &loc);
    if (loc.function != NULL && loc.file != NULL)
        put(o, "%s %s:%d", loc.function, loc.file, loc.line);
    else if (loc.function != NULL)
        put(o, "%s+0x%" PRIx32, loc.function, loc.offset);
    else if (loc.file != NULL)
        put(o, "0x%08" PRIx32 " %s:%d", addr, loc.file, loc.line);
    else
        put(o, "0x%08" PRIx32, addr);
}

/* "parse_header+0x12 src/parser.c:42": function and offset, then line. */
static void put_where_offset(struct out *o, struct emu *e, uint32_t addr)
{
    struct emu_location loc;

    emu_locate(e, addr, &loc);
    if (loc.function != NULL)
        put(o, "%s+0x%" PRIx32, loc.function, loc.offset);
    else
        put(o, "?");
    if (loc.file != NULL)
        put(o, " %s:%d", loc.file, loc.line);
}

/* A NUL-terminated string of the guest, made printable. */
static void guest_string(struct emu *e, uint32_t addr, char *buf, size_t len)
{
    size_t i;

    for (i = 0; i + 1 < len && i < GUEST_STR_MAX; i++) {
        uint8_t c;

        if (emu_mem_read(e, addr + (uint32_t)i, &c, 1) != 0 || c == 0)
            break;
        buf[i] = c >= 0x20 && c < 0x7F ? (char)c : '?';
    }
    buf[i] = '\0';
    if (i == 0 && len > 1)
        snprintf(buf, len, "?");
}

/* fwfuzz_check_failed(file, line, cond, what), as fwfuzz/check.h calls it. */
struct check_call {
    char file[GUEST_STR_MAX + 1];
    uint32_t line;
    char cond[GUEST_STR_MAX + 1];
    char what[GUEST_STR_MAX + 1];
};

/*
 * The one reader of a failed check's arguments. res must be the last run's
 * stop on the entry of fwfuzz_check_failed: its r0-r3 are the arguments
 * then (and belong to res, not to whichever run came last).
 */
static int check_call(struct emu *e, const struct emu_result *res,
                      struct check_call *c)
{
    int i = e->run.stop_sym;
    const char *sym = emu_fault_stop_name(i);

    if (res->stop != EMU_STOP_FAULT || res->fault != EMU_FAULT_ABORT ||
        sym == NULL || strcmp(sym, "fwfuzz_check_failed") != 0 ||
        res->pc != e->hooks.sym_addr[i])
        return EMU_ERR_NO_CHECK;
    guest_string(e, res->regs[0], c->file, sizeof(c->file));
    c->line = res->regs[1];
    guest_string(e, res->regs[2], c->cond, sizeof(c->cond));
    guest_string(e, res->regs[3], c->what, sizeof(c->what));
    return EMU_OK;
}

int emu_check_message(struct emu *e, const struct emu_result *res, char *what,
                      size_t n)
{
    struct check_call c;
    int rc;

    if (what != NULL && n > 0)
        what[0] = '\0';
    if (e == NULL || res == NULL || what == NULL || n == 0)
        return EMU_ERR_ARG;
    rc = check_call(e, res, &c);
    if (rc != EMU_OK)
        return rc;
    snprintf(what, n, "%s", c.what);
    return EMU_OK;
}

size_t emu_summary(struct emu *e, const struct emu_result *res, char *buf,
                   size_t len)
{
    struct out o = {buf, len, 0};
    char cls[40], what[256];

    if (buf == NULL || len == 0)
        return 0;
    buf[0] = '\0';
    if (e == NULL || res == NULL)
        return 0;
    switch (res->stop) {
    case EMU_STOP_RETURN:
        if (e->board->image.whole)
            put(&o, "%s after %" PRIu64 " blocks",
                res->detail == EMU_END_RESET ? "asked for a reset"
                                             : "waits for more input",
                res->blocks);
        else
            put(&o, "returned 0x%" PRIx32 " after %" PRIu64 " blocks", res->ret,
                res->blocks);
        break;
    case EMU_STOP_HANG:
        put(&o, "hang at ");
        put_where(&o, e, res->site ? res->site : res->pc);
        break;
    case EMU_STOP_FAULT:
    default:
        if (res->fault == EMU_FAULT_ORACLE &&
            emu_oracle_finding(e, res, cls, sizeof(cls), what, sizeof(what)) ==
                EMU_OK)
            put(&o, "%s at ", cls); /* the oracle's class */
        else
            put(&o, "%s at ", emu_fault_name(res->fault));
        put_where(&o, e, res->site ? res->site : res->pc);
        break;
    }
    return o.at;
}

static const char *region_name(struct emu *e, uint32_t addr)
{
    const struct emu_map *m = emu_mem_find(e, addr);

    return m != NULL ? m->name : NULL;
}

/* The sized global holding addr, or the nearest one below (within 256). */
static const struct emu_sym *near_object(struct emu *e, uint32_t addr)
{
    const struct emu_sym *best = NULL;
    size_t i;

    for (i = 0; i < e->img.nsyms; i++) {
        const struct emu_sym *c = &e->img.syms[i];

        if (c->addr > addr)
            break;
        if (c->type == EMU_SYM_OBJECT && c->size != 0 &&
            addr - c->addr < c->size + 256u &&
            (best == NULL || c->addr >= best->addr))
            best = c;
    }
    return best;
}

static int sym_range(struct emu *e, const char *lo, const char *alt,
                     const char *hi, uint32_t *base, uint32_t *end)
{
    const struct emu_sym *a = emu_sym_by_name(e, lo);
    const struct emu_sym *b = emu_sym_by_name(e, hi);

    if (a == NULL && alt != NULL)
        a = emu_sym_by_name(e, alt);
    if (a == NULL || b == NULL || b->addr <= a->addr)
        return -1;
    *base = a->addr;
    *end = b->addr;
    return 0;
}

/* Where a data address is: the input, a global, the heap, a region. */
static void put_address(struct out *o, struct emu *e, uint32_t addr)
{
    const struct emu_board *b = e->board;
    uint32_t in_end = b->input_base + b->input_map;
    uint32_t in_start = in_end - e->mem.prev_input_len;
    uint32_t heap_lo, heap_hi;
    const struct emu_sym *s;
    const char *r;

    if (addr >= in_start && addr < in_end) {
        put(o, "byte %" PRIu32 " of the %" PRIu32 "-byte input",
            addr - in_start, e->mem.prev_input_len);
        return;
    }
    if (addr >= in_end && addr - in_end < EMU_GUARD_SIZE) {
        put(o,
            "%" PRIu32 " bytes past the end of the %" PRIu32
            "-byte input (0x%08" PRIx32 "-0x%08" PRIx32 ")",
            addr - in_end, e->mem.prev_input_len, in_start, in_end - 1);
        return;
    }
    if (b->null_page && addr < b->null_page_size) {
        put(o, "in the NULL page (NULL + 0x%" PRIx32 ")", addr);
        return;
    }
    s = near_object(e, addr);
    if (sym_range(e, "__heap_start", "end", "__heap_end", &heap_lo, &heap_hi) ==
            0 &&
        addr >= heap_lo && addr < heap_hi) {
        put(o, "in the heap (0x%08" PRIx32 "-0x%08" PRIx32 ")", heap_lo,
            heap_hi - 1);
        return;
    }
    if (s != NULL && addr - s->addr < s->size)
        put(o,
            "%" PRIu32 " bytes into global '%s' (%" PRIu32
            " bytes at 0x%08" PRIx32 ")",
            addr - s->addr, emu_sym_name(e, s), s->size, s->addr);
    else if (s != NULL)
        put(o,
            "%" PRIu32 " bytes after global '%s' (%" PRIu32
            " bytes at 0x%08" PRIx32 ")",
            addr - (s->addr + s->size), emu_sym_name(e, s), s->size, s->addr);
    if (s != NULL)
        return;
    if (addr >= b->stack_limit && addr < b->stack_top) {
        put(o, "in the stack (0x%08" PRIx32 "-0x%08" PRIx32 ")", b->stack_limit,
            b->stack_top - 1);
        return;
    }
    if (addr >= b->stack_top && addr - b->stack_top < EMU_GUARD_SIZE) {
        put(o, "%" PRIu32 " bytes above the top of the stack (0x%08" PRIx32 ")",
            addr - b->stack_top, b->stack_top);
        return;
    }
    r = region_name(e, addr);
    if (r != NULL)
        put(o, "in region %s", r);
    else
        put(o, "mapped by no region");
}

static void put_access(struct out *o, struct emu *e,
                       const struct emu_result *res)
{
    put(o, "%s of size %" PRIu32 " at 0x%08" PRIx32 ", ",
        res->is_write ? "WRITE" : "READ", res->access_size, res->addr);
    put_address(o, e, res->addr);
}

/* The line saying what happened, class by class. */
static void put_cause(struct out *o, struct emu *e,
                      const struct emu_result *res)
{
    const char *sym = emu_fault_stop_name(e->run.stop_sym);
    const uint32_t *a = e->run.stop_args;
    char s1[GUEST_STR_MAX + 1], s2[GUEST_STR_MAX + 1], s3[GUEST_STR_MAX + 1];
    struct check_call check;

    if (res->stop == EMU_STOP_HANG) {
        if (e->run.hang_wfi)
            put(o, "the core waits in WFI/WFE and no interrupt is emulated");
        else
            put(o,
                "block budget exhausted after %" PRIu64
                " basic blocks (timeout)",
                res->blocks);
        return;
    }
    if (sym != NULL && strcmp(sym, "fwfuzz_asan_report") == 0) {
        if (res->fault == EMU_FAULT_BAD_FREE) {
            put(o,
                "KASan: free of 0x%08" PRIx32
                " that is not a live heap block (double or invalid free)",
                res->addr);
            return;
        }
        put(o, "KASan: ");
        put_access(o, e, res);
        put(o, "; shadow byte 0x%02" PRIx32 " (%s)", res->detail,
            emu_fault_asan_kind(res->detail));
        return;
    }
    if (check_call(e, res, &check) == EMU_OK) {
        put(o, "property violated: %s; check (%s) failed at %s:%" PRIu32,
            check.what, check.cond, check.file, check.line);
        return;
    }
    if (sym != NULL && strcmp(sym, "__assert_func") == 0) {
        guest_string(e, a[0], s1, sizeof(s1));
        guest_string(e, a[2], s2, sizeof(s2));
        guest_string(e, a[3], s3, sizeof(s3));
        put(o,
            "assertion \"%s\" failed: file \"%s\", line %" PRIu32
            ", function %s",
            s3, s1, a[1], s2);
        return;
    }
    if (sym != NULL && res->fault == EMU_FAULT_STACK_PROTECTOR) {
        put(o, "__stack_chk_fail called: the canary of the returning "
               "function's frame was overwritten (a stack buffer overflow)");
        return;
    }
    if (sym != NULL &&
        (strcmp(sym, "exit") == 0 || strcmp(sym, "_exit") == 0)) {
        put(o, "%s(%" PRId32 ") called: the firmware gave up", sym,
            (int32_t)res->detail);
        return;
    }
    if (sym != NULL) {
        put(o, "%s called", sym);
        return;
    }
    switch (res->fault) {
    case EMU_FAULT_INPUT_OVERREAD:
    case EMU_FAULT_STACK_BUFFER:
    case EMU_FAULT_UNMAPPED_READ:
    case EMU_FAULT_UNMAPPED_WRITE:
    case EMU_FAULT_NULL_DEREF:
        if (e->run.mem_type == UC_MEM_FETCH_UNMAPPED) {
            put(o, "jump to 0x%08" PRIx32 " (a NULL function pointer?)",
                res->addr);
            return;
        }
        put_access(o, e, res);
        return;
    case EMU_FAULT_WRITE_FLASH:
        put(o,
            "WRITE of size %" PRIu32 " at 0x%08" PRIx32
            " in read-only region %s",
            res->access_size, res->addr,
            region_name(e, res->addr) ? region_name(e, res->addr) : "?");
        return;
    case EMU_FAULT_FETCH_OUTSIDE:
        put(o, "execution at 0x%08" PRIx32 ", outside the loaded code (%s)",
            res->addr,
            region_name(e, res->addr) ? region_name(e, res->addr) : "unmapped");
        return;
    case EMU_FAULT_STACK_OVERFLOW:
        put(o,
            "SP 0x%08" PRIx32 " went below the stack limit 0x%08" PRIx32
            " (stack 0x%08" PRIx32 "-0x%08" PRIx32 ")",
            res->sp, e->board->stack_limit, e->board->stack_limit,
            e->board->stack_top - 1);
        return;
    case EMU_FAULT_INVALID_INSN:
        if (res->detail & 0x100)
            put(o, "SVC #%" PRIu32 ": supervisor calls are not emulated",
                res->detail & 0xFF);
        else
            put(o, "undefined or invalid instruction at 0x%08" PRIx32, res->pc);
        return;
    case EMU_FAULT_BKPT:
        put(o, "BKPT #0x%02" PRIx32 "%s", res->detail,
            res->detail == 0xAB ? " (semihosting, not emulated)" : "");
        return;
    case EMU_FAULT_HARDFAULT:
        put(o,
            "the CPU raised exception %" PRIu32
            ", which escalates to HardFault",
            res->detail);
        return;
    case EMU_FAULT_ORACLE: {
        char cls[40], what[256];

        if (emu_oracle_finding(e, res, cls, sizeof(cls), what, sizeof(what)) ==
            EMU_OK)
            put(o, "security oracle %s: %s", cls, what);
        else
            put(o, "security oracle");
        return;
    }
    default:
        put(o, "%s", emu_fault_name(res->fault));
        return;
    }
}

static void put_regs(struct out *o, const struct emu_result *res)
{
    static const char *const names[17] = {"r0",  "r1", "r2", "r3", "r4",  "r5",
                                          "r6",  "r7", "r8", "r9", "r10", "r11",
                                          "r12", "sp", "lr", "pc", "xpsr"};
    unsigned i;

    put(o, "registers:\n");
    for (i = 0; i < 17; i++)
        put(o, "  %-4s 0x%08" PRIx32 "%s", names[i], res->regs[i],
            i % 4 == 3 || i == 16 ? "\n" : "");
}

static csh *capstone(struct emu *e)
{
    csh *h;

    if (e->capstone != NULL)
        return e->capstone;
    h = malloc(sizeof(*h));
    if (h == NULL)
        return NULL;
    if (cs_open(CS_ARCH_ARM, (cs_mode)(CS_MODE_THUMB | CS_MODE_MCLASS), h) !=
        CS_ERR_OK) {
        free(h);
        return NULL;
    }
    e->capstone = h;
    return h;
}

static void put_disasm(struct out *o, struct emu *e, uint32_t pc)
{
    const struct emu_sym *fn = emu_sym_at(e, pc, EMU_SYM_FUNC);
    uint32_t start = pc, avail;
    const struct emu_map *m = emu_mem_find(e, pc);
    csh *h = capstone(e);
    cs_insn *insn = NULL;
    size_t n, i, at = 0;

    if (h == NULL || m == NULL || m->host == NULL)
        return;
    /* Decode from the function's start so that PC is on a boundary. */
    if (fn != NULL && pc - fn->addr <= DISASM_WINDOW)
        start = fn->addr;
    if (start - m->base >= m->size)
        return;
    avail = m->size - (start - m->base);
    if (avail > DISASM_WINDOW + 64)
        avail = DISASM_WINDOW + 64;
    n = cs_disasm(*h, m->host + (start - m->base), avail, start, 0, &insn);
    for (i = 0; i < n; i++)
        if (insn[i].address >= pc)
            break;
    at = i;
    if (n == 0 || at == n || insn[at].address != pc) {
        /* PC not on a boundary from the start: decode from PC itself. */
        if (insn != NULL)
            cs_free(insn, n);
        avail = m->size - (pc - m->base);
        if (avail > 64)
            avail = 64;
        n = cs_disasm(*h, m->host + (pc - m->base), avail, pc, DISASM_AFTER + 1,
                      &insn);
        at = 0;
    }
    if (n == 0)
        return;
    put(o, "code:\n");
    for (i = at > DISASM_BEFORE ? at - DISASM_BEFORE : 0;
         i < n && i <= at + DISASM_AFTER; i++)
        put(o, "  %s 0x%08" PRIx64 ": %-8s %s\n", i == at ? "=>" : "  ",
            insn[i].address, insn[i].mnemonic, insn[i].op_str);
    cs_free(insn, n);
}

static void put_last_blocks(struct out *o, struct emu *e,
                            const struct emu_result *res)
{
    unsigned i;

    if (res->nlast_blocks == 0)
        return;
    put(o, "last blocks:\n");
    for (i = 0; i < res->nlast_blocks && i < EMU_LAST_BLOCKS; i++) {
        put(o, "  0x%08" PRIx32 " in ", res->last_blocks[i]);
        put_where_offset(o, e, res->last_blocks[i]);
        put(o, "\n");
    }
}

size_t emu_describe(struct emu *e, const struct emu_result *res, char *buf,
                    size_t len)
{
    struct out o = {buf, len, 0};
    unsigned i;

    if (buf == NULL || len == 0)
        return 0;
    buf[0] = '\0';
    if (e == NULL || res == NULL)
        return 0;
    o.at = emu_summary(e, res, buf, len);
    put(&o, "\n");
    if (res->stop == EMU_STOP_RETURN)
        return o.at;
    put(&o, "  ");
    put_cause(&o, e, res);
    put(&o, "\n  pc 0x%08" PRIx32 " in ", res->pc);
    put_where(&o, e, res->pc);
    put(&o, "\n  lr 0x%08" PRIx32, res->lr);
    if ((res->lr | 1u) == (e->board->sentinel | 1u)) {
        put(&o, " in (return to the emulator)");
    } else if (emu_unwind_is_return(e, res->lr)) {
        put(&o, " in ");
        put_where(&o, e, res->lr & ~1u);
    } else {
        /* Its "where" would be a line of whatever sits at that address. */
        put(&o, " (not a return address)");
    }
    put(&o, "\n  %" PRIu64 " blocks run, entry %s\n", res->blocks,
        e->entry_name[0] ? e->entry_name : "?");
    if (res->nframes > 0) {
        put(&o, "call stack:\n");
        for (i = 0; i < res->nframes && i < EMU_MAX_FRAMES; i++) {
            put(&o, "  #%u 0x%08" PRIx32 " in ", i, res->frames[i]);
            put_where(&o, e, res->frames[i]);
            put(&o, "\n");
        }
    }
    put_regs(&o, res);
    put_disasm(&o, e, res->pc);
    put_last_blocks(&o, e, res);
    return o.at;
}

/* The first frame at addr, else the first in addr's function; or -1. */
static int frame_of_pc(struct emu *e, const struct emu_result *res,
                       uint32_t addr)
{
    const struct emu_sym *fn = emu_sym_at(e, addr, EMU_SYM_FUNC);
    unsigned i, n = res->nframes < EMU_MAX_FRAMES ? res->nframes : 0;

    for (i = 0; i < n; i++)
        if (res->frames[i] == addr)
            return (int)i;
    for (i = 0; fn != NULL && i < n; i++)
        if (emu_sym_at(e, res->frames[i], EMU_SYM_FUNC) == fn)
            return (int)i;
    return -1;
}

/* Lines [line - SOURCE_AROUND, line + SOURCE_AROUND] of the file. */
static void put_source_lines(struct out *o, FILE *f, int line)
{
    char text[SOURCE_LINE_MAX + 2];
    int n = 1, whole = 1;

    while (n <= line + SOURCE_AROUND && fgets(text, sizeof(text), f) != NULL) {
        size_t len = strlen(text);
        int ends = len > 0 && text[len - 1] == '\n';

        if (ends)
            text[--len] = '\0';
        if (whole && n >= line - SOURCE_AROUND)
            put(o, "  %s %5d  %s%s\n", n == line ? "=>" : "  ", n, text,
                ends ? "" : "...");
        /* A line longer than the buffer: the rest is not a new line. */
        whole = ends;
        if (ends)
            n++;
    }
}

/* The source around the line the report names (its site), from disk. */
static void put_source(struct out *o, struct emu *e,
                       const struct emu_result *res)
{
    uint32_t site = res->site ? res->site : res->pc;
    struct emu_location loc;
    int k = frame_of_pc(e, res, site);
    FILE *f;

    emu_locate(e, site, &loc);
    if (loc.file == NULL || loc.line <= 0)
        return;
    put(o, "source: %s:%d", loc.file, loc.line);
    if (k >= 0)
        put(o, " (frame #%d, %s)", k, loc.function ? loc.function : "?");
    f = fopen(loc.file, "r");
    if (f == NULL) {
        put(o, ", not readable here\n");
        return;
    }
    put(o, "\n");
    put_source_lines(o, f, loc.line);
    fclose(f);
}

/* A KASan heap block (kasan_heap.h): where its caller's bytes are. */
struct heap_block {
    uint32_t user;
    uint32_t size;
    int freed;
};

/* A block header at p: magic, a size that fits, raw below it, shadow. */
static int heap_header_at(struct emu *e, uint32_t p, uint32_t lo, uint32_t hi,
                          struct heap_block *b)
{
    uint32_t h[4];
    uint8_t sb = 0;

    if (emu_mem_read(e, p, h, sizeof(h)) != 0 ||
        (h[KASAN_CHUNK_OFF_MAGIC / 4] != KASAN_CHUNK_LIVE &&
         h[KASAN_CHUNK_OFF_MAGIC / 4] != KASAN_CHUNK_FREED) ||
        h[KASAN_CHUNK_OFF_SIZE / 4] > hi - lo ||
        h[KASAN_CHUNK_OFF_RAW / 4] > p || h[KASAN_CHUNK_OFF_RAW / 4] < lo)
        return 0;
    /* The header lies in a left redzone: poisoned as such. */
    if (e->board->kasan &&
        emu_mem_read(e, (p >> 3) + e->board->shadow_offset, &sb, 1) == 0 &&
        sb != 0xFA)
        return 0;
    b->user = p + KASAN_HEAP_HEADER;
    b->size = h[KASAN_CHUNK_OFF_SIZE / 4];
    b->freed = h[KASAN_CHUNK_OFF_MAGIC / 4] == KASAN_CHUNK_FREED;
    return 1;
}

static uint32_t heap_block_end(const struct heap_block *b)
{
    return b->user + ((b->size + 7u) & ~7u) + KASAN_HEAP_RIGHT_RZ;
}

/* The block whose redzones or bytes hold addr: below it, else after it. */
static int heap_block_of(struct emu *e, uint32_t addr, uint32_t lo, uint32_t hi,
                         struct heap_block *b)
{
    uint32_t p, start = addr & ~(KASAN_HEAP_ALIGN - 1);

    for (p = start; p >= lo && start - p < HEAP_SCAN_MAX;
         p -= KASAN_HEAP_ALIGN) {
        if (heap_header_at(e, p, lo, hi, b))
            return addr < heap_block_end(b);
        if (p < KASAN_HEAP_ALIGN)
            break;
    }
    for (p = start + KASAN_HEAP_ALIGN; p < hi && p - start < HEAP_SCAN_MAX;
         p += KASAN_HEAP_ALIGN)
        if (heap_header_at(e, p, lo, hi, b))
            return 1;
    return 0;
}

static void put_heap(struct out *o, struct emu *e, uint32_t addr)
{
    uint32_t lo, hi;
    struct heap_block b;

    if (sym_range(e, "__heap_start", "end", "__heap_end", &lo, &hi) != 0 ||
        addr < lo || addr >= hi)
        return;
    put(o, "  heap: ");
    if (!heap_block_of(e, addr, lo, hi, &b)) {
        put(o,
            "in no block this report can find (heap 0x%08" PRIx32
            "-0x%08" PRIx32 ")\n",
            lo, hi - 1);
        return;
    }
    if (addr < b.user)
        put(o, "%" PRIu32 " bytes before", b.user - addr);
    else if (addr - b.user < b.size)
        put(o, "%" PRIu32 " bytes into", addr - b.user);
    else
        put(o, "%" PRIu32 " bytes past the end of", addr - (b.user + b.size));
    put(o, " the %" PRIu32 "-byte %s block at 0x%08" PRIx32 "\n", b.size,
        b.freed ? "freed" : "live", b.user);
}

/* The unwound frame whose part of the stack holds addr (frame_sp). */
static void put_stack_frame(struct out *o, struct emu *e,
                            const struct emu_result *res, uint32_t addr)
{
    const struct emu_board *bd = e->board;
    unsigned i, n = res->nframes < EMU_MAX_FRAMES ? res->nframes : 0;
    struct emu_location loc;

    if (addr < bd->stack_limit || addr >= bd->stack_top)
        return;
    if (n == 0 || res->frame_sp[0] == 0) {
        put(o, "  stack: 0x%08" PRIx32 "-0x%08" PRIx32 ", frames unknown\n",
            bd->stack_limit, bd->stack_top - 1);
        return;
    }
    if (addr < res->frame_sp[0]) {
        put(o,
            "  stack: %" PRIu32 " bytes below SP 0x%08" PRIx32 " (no frame)\n",
            res->frame_sp[0] - addr, res->frame_sp[0]);
        return;
    }
    for (i = 0; i + 1 < n && res->frame_sp[i + 1] != 0; i++)
        if (addr < res->frame_sp[i + 1])
            break;
    emu_locate(e, res->frames[i], &loc);
    put(o,
        "  stack: %" PRIu32
        " bytes above SP in the frame of #%u %s (sp 0x%08" PRIx32 ")\n",
        addr - res->frame_sp[i], i, loc.function ? loc.function : "?",
        res->frame_sp[i]);
}

static void put_region(struct out *o, struct emu *e, uint32_t addr)
{
    const struct emu_region *r = emu_board_region_at(e->board, addr);
    static const char *const kinds[] = {"flash", "RAM", "peripheral"};

    if (r == NULL) {
        put(o, "  region: none (no region of the board maps it)\n");
        return;
    }
    put(o, "  region: %s (%s), offset 0x%" PRIx32 " of 0x%" PRIx32 "\n",
        r->name, kinds[r->kind], addr - r->base, r->size);
}

/* Everything known about the faulting data address. */
static void put_fault_address(struct out *o, struct emu *e,
                              const struct emu_result *res)
{
    uint32_t a = res->addr;

    if (res->stop != EMU_STOP_FAULT || (res->access_size == 0 && a == 0))
        return;
    put(o, "fault address 0x%08" PRIx32, a);
    if (res->access_size > 0)
        put(o, " (%s of size %" PRIu32 ")", res->is_write ? "WRITE" : "READ",
            res->access_size);
    put(o, ":\n  ");
    put_address(o, e, a);
    put(o, "\n");
    put_heap(o, e, a);
    put_stack_frame(o, e, res, a);
    put_region(o, e, a);
}

size_t emu_describe_full(struct emu *e, const struct emu_result *res, char *buf,
                         size_t len)
{
    struct out o = {buf, len, 0};

    o.at = emu_describe(e, res, buf, len);
    if (o.at == 0 || res->stop == EMU_STOP_RETURN)
        return o.at;
    put_source(&o, e, res);
    put_fault_address(&o, e, res);
    return o.at;
}
