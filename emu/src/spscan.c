/*
 * Where the loaded code may lower SP: the stack-limit check reads SP (as
 * costly as the rest of a run) only after a block that holds such an
 * instruction (run.c).
 *
 * Every halfword of the first code range is decoded as the start of an
 * instruction (capstone), so that literal pools and data in code cannot
 * put a linear sweep out of step and hide one; data that happens to decode
 * as an SP write only costs an extra check. Any write to SP counts (push,
 * sub sp, vpush, stmdb sp!, mov sp, ldr sp, add sp with a register, an
 * "!" write-back to SP) except those that can only raise it: pop, vpop,
 * ldm sp!, and add sp with an immediate (the epilogues).
 *
 * The writes the CPU's own stack limit misses (cpu_checks_sp) are marked
 * too, by 64-byte chunk: the fast path reads SP after a block in one
 * (run.c).
 */
#include <stdlib.h>

#include <capstone/capstone.h>

#include "internal.h"

static int raises_sp_only(const cs_insn *insn)
{
    const cs_arm *arm = &insn->detail->arm;

    switch (insn->id) {
    case ARM_INS_POP:
    case ARM_INS_VPOP:
        return 1;
    case ARM_INS_LDM: /* ldmia: increments its base */
        return arm->op_count > 0 && arm->operands[0].type == ARM_OP_REG &&
               arm->operands[0].reg == ARM_REG_SP;
    case ARM_INS_ADD:
    case ARM_INS_ADDW:
        /* add sp, #imm / add sp, sp, #imm (immediates are unsigned) */
        return arm->op_count >= 2 && arm->operands[0].type == ARM_OP_REG &&
               arm->operands[0].reg == ARM_REG_SP &&
               arm->operands[arm->op_count - 1].type == ARM_OP_IMM &&
               (arm->op_count == 2 || (arm->operands[1].type == ARM_OP_REG &&
                                       arm->operands[1].reg == ARM_REG_SP));
    default:
        return 0;
    }
}

/*
 * The fast path's stack limit is the CPU's (run.c). Unicorn applies MSPLIM
 * to every SP write of these (measured): push, vpush, stm/vstm and loads
 * and stores with an sp write-back, mov sp, add/sub sp; not to a load into
 * SP, an MSR, or another operation into SP. What does not exist on an
 * M-profile core (coprocessor loads that decode from data) faults if run.
 */
static int cpu_checks_sp(const cs_insn *insn)
{
    const cs_arm *arm = &insn->detail->arm;
    uint8_t i;

    if (insn->id == ARM_INS_MSR)
        return 0;
    if (insn->id == ARM_INS_POP || insn->id == ARM_INS_LDM ||
        insn->id == ARM_INS_LDMDB) {
        /* sp in the list; LDM's operand 0 is its base */
        for (i = insn->id == ARM_INS_POP ? 0 : 1; i < arm->op_count; i++)
            if (arm->operands[i].type == ARM_OP_REG &&
                arm->operands[i].reg == ARM_REG_SP)
                return 0;
        return 1;
    }
    if (arm->op_count == 0 || arm->operands[0].type != ARM_OP_REG ||
        arm->operands[0].reg != ARM_REG_SP)
        return 1; /* sp at most a written-back base */
    switch (insn->id) {
    case ARM_INS_ADD:
    case ARM_INS_ADDW:
    case ARM_INS_SUB:
    case ARM_INS_SUBW:
    case ARM_INS_MOV:
        return 1;
    default:
        return 0; /* ldr sp, bic sp, ... */
    }
}

static int writes_sp(csh h, const cs_insn *insn)
{
    cs_regs rd, wr;
    uint8_t nrd = 0, nwr = 0;
    uint8_t i;

    if (cs_regs_access(h, insn, rd, &nrd, wr, &nwr) != CS_ERR_OK)
        return 1; /* cannot tell: check after it */
    if (raises_sp_only(insn))
        return 0;
    for (i = 0; i < nwr; i++)
        if (wr[i] == ARM_REG_SP)
            return 1;
    return 0;
}

int emu_spscan(struct emu *e)
{
    struct emu_image *img = &e->img;
    const uint8_t *code;
    cs_insn *insn;
    uint32_t off;
    csh h;

    free(img->sp_writers);
    img->sp_writers = NULL;
    free(img->sp_unchecked);
    img->sp_unchecked = NULL;
    img->nsp_unchecked = 0;
    if (e->checks.code0_size == 0)
        return EMU_OK;
    code = emu_mem_host(e, e->checks.code0_base, e->checks.code0_size);
    if (code == NULL)
        return EMU_OK; /* not host memory: SP is read at every block */
    if (cs_open(CS_ARCH_ARM, (cs_mode)(CS_MODE_THUMB | CS_MODE_MCLASS), &h) !=
        CS_ERR_OK)
        return EMU_OK;
    cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
    insn = cs_malloc(h);
    img->sp_writers = calloc((e->checks.code0_size >> 4) + 1, 1);
    img->sp_unchecked = calloc((e->checks.code0_size >> 9) + 1, 1);
    if (insn == NULL || img->sp_writers == NULL || img->sp_unchecked == NULL) {
        if (insn != NULL)
            cs_free(insn, 1);
        cs_close(&h);
        return emu_fail(e, EMU_ERR_NOMEM, "no host memory for the code scan");
    }
    for (off = 0; off + 2 <= e->checks.code0_size; off += 2) {
        const uint8_t *p = code + off;
        size_t left = e->checks.code0_size - off;
        uint64_t addr = e->checks.code0_base + off;
        int decoded, unchecked;

        if (left > 4)
            left = 4;
        /* What does not decode may be anything: check after it too. */
        decoded = cs_disasm_iter(h, &p, &left, &addr, insn);
        if (decoded && !writes_sp(h, insn))
            continue;
        img->sp_writers[off >> 4] |= (uint8_t)(1u << ((off >> 1) & 7));
        /* Only decoded writes: what does not decode faults if run. */
        unchecked = decoded && !cpu_checks_sp(insn);
        if (unchecked)
            img->sp_unchecked[off >> 9] |= (uint8_t)(1u << ((off >> 6) & 7));
        img->nsp_unchecked += (uint32_t)unchecked;
    }
    cs_free(insn, 1);
    cs_close(&h);
    return EMU_OK;
}

int emu_spscan_block(const struct emu *e, uint32_t addr, uint32_t size)
{
    const uint8_t *bits = e->img.sp_writers;
    uint32_t off = addr - e->checks.code0_base, first, last, b;
    uint8_t first_mask, last_mask;

    if (bits == NULL || off >= e->checks.code0_size || size == 0 ||
        size > e->checks.code0_size - off)
        return 1;
    /* Halfwords first..last, bytes of the bitmap first/8..last/8. */
    first = off >> 1;
    last = (off + size - 1) >> 1;
    first_mask = (uint8_t)(0xFFu << (first & 7));
    last_mask = (uint8_t)(0xFFu >> (7 - (last & 7)));
    if (first >> 3 == last >> 3)
        return (bits[first >> 3] & first_mask & last_mask) != 0;
    if (bits[first >> 3] & first_mask)
        return 1;
    for (b = (first >> 3) + 1; b < last >> 3; b++)
        if (bits[b] != 0)
            return 1;
    return (bits[last >> 3] & last_mask) != 0;
}
