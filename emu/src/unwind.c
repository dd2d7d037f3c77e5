/*
 * Call stacks: DWARF call frame information (libdw) where the image has
 * it, else a scan of the stack for words that look like return addresses
 * (Thumb, in loaded code, just after a BL or BLX).
 */
#include <stdlib.h>

#include <dwarf.h>
#include <elfutils/libdw.h>

#include "internal.h"

#define SCAN_WORDS 512 /* how far up the stack a scan looks */
#define EVAL_DEPTH 8

struct frame_regs {
    uint32_t r[16];
    uint16_t known; /* bit per register */
};

static int read_u32(struct emu *e, uint32_t addr, uint32_t *v)
{
    return emu_mem_read(e, addr, v, 4);
}

/* The small subset of DWARF expressions CFI uses on ARM. */
static int eval(struct emu *e, const Dwarf_Op *ops, size_t nops,
                const struct frame_regs *fr, uint32_t cfa, int have_cfa,
                uint32_t *out, int *is_value)
{
    uint32_t st[EVAL_DEPTH];
    size_t sp = 0, i;

    *is_value = 0;
    for (i = 0; i < nops; i++) {
        unsigned op = ops[i].atom;
        uint32_t reg;

        if (op == DW_OP_stack_value) {
            *is_value = 1;
            break;
        }
        if (sp >= EVAL_DEPTH)
            return -1;
        if (op >= DW_OP_lit0 && op <= DW_OP_lit31) {
            st[sp++] = op - DW_OP_lit0;
        } else if ((op >= DW_OP_breg0 && op <= DW_OP_breg31) ||
                   op == DW_OP_bregx) {
            reg =
                op == DW_OP_bregx ? (uint32_t)ops[i].number : op - DW_OP_breg0;
            if (reg > 15 || !(fr->known & (1u << reg)))
                return -1;
            st[sp++] =
                fr->r[reg] +
                (uint32_t)(op == DW_OP_bregx ? ops[i].number2 : ops[i].number);
        } else if ((op >= DW_OP_reg0 && op <= DW_OP_reg31) ||
                   op == DW_OP_regx) {
            reg = op == DW_OP_regx ? (uint32_t)ops[i].number : op - DW_OP_reg0;
            if (reg > 15 || !(fr->known & (1u << reg)))
                return -1;
            *out = fr->r[reg];
            *is_value = 1;
            return 0;
        } else if (op == DW_OP_call_frame_cfa) {
            if (!have_cfa)
                return -1;
            st[sp++] = cfa;
        } else if (op == DW_OP_plus_uconst) {
            if (sp < 1)
                return -1;
            st[sp - 1] += (uint32_t)ops[i].number;
        } else if (op == DW_OP_const1u || op == DW_OP_const2u ||
                   op == DW_OP_const4u || op == DW_OP_constu ||
                   op == DW_OP_const1s || op == DW_OP_const2s ||
                   op == DW_OP_const4s || op == DW_OP_consts) {
            st[sp++] = (uint32_t)ops[i].number;
        } else if (op == DW_OP_plus || op == DW_OP_minus) {
            if (sp < 2)
                return -1;
            st[sp - 2] = op == DW_OP_plus ? st[sp - 2] + st[sp - 1]
                                          : st[sp - 2] - st[sp - 1];
            sp--;
        } else if (op == DW_OP_deref) {
            if (sp < 1 || read_u32(e, st[sp - 1], &st[sp - 1]) != 0)
                return -1;
        } else {
            return -1;
        }
    }
    if (sp < 1)
        return -1;
    *out = st[sp - 1];
    return 0;
}

/* One step with CFI: fr becomes the caller's registers. */
static int step_cfi(struct emu *e, struct frame_regs *fr, uint32_t lookup)
{
    Dwarf_CFI *cfi = e->img.cfi;
    Dwarf_Frame *frame = NULL;
    struct frame_regs caller;
    Dwarf_Op *ops, ops_mem[3];
    size_t nops;
    uint32_t cfa, v;
    int is_value, ra, reg, rc = -1;

    if (cfi == NULL || dwarf_cfi_addrframe(cfi, lookup, &frame) != 0)
        return -1;
    ra = dwarf_frame_info(frame, NULL, NULL, NULL);
    if (ra < 0 || ra > 15)
        goto out;
    if (dwarf_frame_cfa(frame, &ops, &nops) != 0 || nops == 0 ||
        eval(e, ops, nops, fr, 0, 0, &cfa, &is_value) != 0)
        goto out;
    caller = *fr;
    caller.known = fr->known;
    for (reg = 0; reg < 16; reg++) {
        if (dwarf_frame_register(frame, reg, ops_mem, &ops, &nops) != 0)
            goto out;
        if (nops == 0) {
            if (ops != NULL) /* undefined in the caller */
                caller.known &= (uint16_t) ~(1u << reg);
            continue; /* else: same value */
        }
        if (eval(e, ops, nops, fr, cfa, 1, &v, &is_value) != 0) {
            caller.known &= (uint16_t) ~(1u << reg);
            continue;
        }
        if (!is_value && read_u32(e, v, &v) != 0) {
            caller.known &= (uint16_t) ~(1u << reg);
            continue;
        }
        caller.r[reg] = v;
        caller.known |= (uint16_t)(1u << reg);
    }
    if (!(caller.known & (1u << ra)))
        goto out;
    caller.r[15] = caller.r[ra];
    caller.r[13] = cfa;
    caller.known |= 1u << 13 | 1u << 15;
    *fr = caller;
    rc = 0;
out:
    free(frame);
    return rc;
}

/* ra is a Thumb return address: is the instruction before it a call? */
static int after_call(struct emu *e, uint32_t ra)
{
    uint8_t b[4];
    uint16_t h1, h2, h;

    if (ra < 4 || emu_mem_read(e, ra - 4, b, 4) != 0)
        return 0;
    h1 = (uint16_t)(b[0] | b[1] << 8);
    h2 = (uint16_t)(b[2] | b[3] << 8);
    h = h2;
    /* BL / BLX imm: 11110xxxxxxxxxxx 11x1xxxxxxxxxxxx (or 11x0 for BLX). */
    if ((h1 & 0xF800) == 0xF000 && (h2 & 0xC000) == 0xC000)
        return 4;
    /* BLX Rm */
    if ((h & 0xFF87) == 0x4780)
        return 2;
    return 0;
}

/*
 * A return address: BL and BLX leave LR odd (Thumb) on M-profile, pointing
 * into code just after the call. Whatever else LR holds (0x3, a constant
 * the code left there) names no caller, and a report must not name one.
 */
int emu_unwind_is_return(struct emu *e, uint32_t addr)
{
    return (addr & 1u) != 0 && emu_addr_is_code(e, addr & ~1u) &&
           after_call(e, addr & ~1u) != 0;
}

/* Without CFI: the first word up the stack that looks like a return. */
static int step_scan(struct emu *e, struct frame_regs *fr)
{
    uint32_t a = fr->r[13], w;
    unsigned i;

    for (i = 0; i < SCAN_WORDS; i++, a += 4) {
        if (read_u32(e, a, &w) != 0)
            return -1;
        if (w == (e->board->sentinel | 1u) || !emu_unwind_is_return(e, w))
            continue;
        fr->r[15] = w & ~1u;
        fr->r[13] = a + 4;
        fr->known = 1u << 13 | 1u << 15;
        return 0;
    }
    return -1;
}

unsigned emu_unwind(struct emu *e, const uint32_t regs[17], int at_entry,
                    uint32_t *frames, uint32_t *sps, unsigned max)
{
    struct frame_regs fr;
    unsigned n = 0, i;

    if (max == 0)
        return 0;
    for (i = 0; i < 16; i++)
        fr.r[i] = regs[i];
    fr.known = 0xFFFF;
    sps[n] = regs[13];
    frames[n++] = regs[15] & ~1u;
    while (n < max) {
        uint32_t pc = fr.r[15] & ~1u, sp = fr.r[13], ra;
        /* Frame 0 is exact; a caller's pc is a return address. */
        uint32_t lookup = n == 1 ? pc : pc - 1;

        if (step_cfi(e, &fr, lookup) != 0) {
            if (n == 1 && at_entry && (fr.known & (1u << 14))) {
                /* On a function's first instruction LR is the return. */
                fr.r[15] = fr.r[14];
                fr.known = 1u << 13 | 1u << 15;
            } else if (step_scan(e, &fr) != 0) {
                break;
            }
        }
        ra = fr.r[15] & ~1u;
        if ((fr.r[15] | 1u) == (e->board->sentinel | 1u) ||
            !emu_unwind_is_return(e, fr.r[15]))
            break;
        if (fr.r[13] < sp || (fr.r[13] == sp && ra == pc && n > 1))
            break; /* the stack must unwind upwards */
        sps[n] = fr.known & (1u << 13) ? fr.r[13] : 0;
        frames[n++] = ra - (uint32_t)after_call(e, ra);
    }
    return n;
}
