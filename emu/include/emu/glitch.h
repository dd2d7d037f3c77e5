/*
 * Single-fault injection on a whole image's boot (fwfuzz glitch,
 * docs/glitch.md): a boot from reset without a fault is traced
 * instruction by instruction; then each boot with one fault, on one
 * execution of one instruction of that trace, starts from the same reset
 * state, and its end says whether the fault let the image run code in a
 * target region it must refuse (a bootloader's tampered application slot).
 */
#ifndef EMU_GLITCH_H
#define EMU_GLITCH_H

#include <stddef.h>
#include <stdint.h>

#include "emu/boot.h"
#include "emu/emu.h"

/* What the fault does to the instruction it hits. */
enum emu_glitch_model {
    /* Skipped: it acts as a NOP (in an IT block it still uses up its
     * slot, as if its condition failed), as a glitched fetch or decode
     * on the part. */
    EMU_GLITCH_SKIP = 0,
    /* It runs, then every general register it wrote (r0-r12, LR) reads
     * 0, as a glitched load or register write. Not for instructions that
     * write PC or SP. */
    EMU_GLITCH_ZERO,
};

/* How a boot with a fault ended. */
enum emu_glitch_end {
    EMU_GLITCH_SECURE = 0, /* it sleeps with nothing to wake it: refused */
    EMU_GLITCH_BYPASS,     /* it ran an instruction in the target region */
    EMU_GLITCH_CRASH,      /* it faulted (a crash is not a bypass) */
    EMU_GLITCH_HANG,       /* the budget ran out */
    EMU_GLITCH_OTHER,      /* it waits for input, asked for a reset, or
                              stalls on a peripheral: not in the target */
};

/* One instruction the boot without a fault ran (outside the target). */
struct emu_glitch_insn {
    uint32_t addr;
    uint32_t next;   /* the instruction run right after its first execution */
    uint64_t first;  /* its first execution: the how-manyth instruction of
                        the boot, from 1 */
    uint32_t runs;   /* its executions in the boot */
    uint16_t writes; /* bit n: it writes rn (n < 13, or 14 for LR); 0 when
                        it writes PC or SP: no zero fault then */
    uint8_t size;    /* 2 or 4 bytes */
    uint8_t itstate; /* its ITSTATE inside an IT block, 0 outside */
    uint8_t no_skip; /* 1: no skip fault (in an IT block after a member
                        that sets the flags, or with condition AL) */
};

/* One fault: the nth execution of the instruction at addr. */
struct emu_glitch_fault {
    uint32_t addr;
    uint32_t nth; /* 1: the first execution */
    enum emu_glitch_model model;
};

struct emu_glitch_result {
    enum emu_glitch_end end;
    int applied;       /* the instruction ran nth times: the fault happened */
    uint32_t pc;       /* bypass: the first target instruction; else where
                          the boot ended */
    uint64_t blocks;   /* basic blocks from reset */
    uint32_t regs[17]; /* r0-r12, sp, lr, pc, xpsr at the end */
    /* The boot's own report (UART output, the fault of a crash in res):
     * valid until the next emu_glitch_run or emu_glitch_close. */
    const struct emu_boot_report *boot;
};

struct emu_glitch;

/*
 * Takes e, with its images loaded and not yet booted (EMU_ERR_STATE
 * otherwise; the board must be a whole image's), keeps its RAM as it is
 * at reset, boots it once without a fault while tracing every
 * instruction outside [target, target + target_len), and returns the
 * handle, which owns the trace. The boot without a fault must end in the
 * secure state: when it runs the target or ends any other way the handle
 * is still returned, and emu_glitch_reference says how it ended.
 *
 * Each later boot (emu_glitch_run) may run budget basic blocks; 0 means
 * four times the blocks of the boot without a fault, plus 100000.
 *
 * Returns EMU_OK, EMU_ERR_ARG, EMU_ERR_STATE, EMU_ERR_NOMEM,
 * EMU_ERR_IMAGE (no vector table) or EMU_ERR_UNICORN. e must outlive the
 * handle and is good for nothing else afterwards.
 */
int emu_glitch_open(struct emu *e, uint32_t target, uint32_t target_len,
                    uint64_t budget, struct emu_glitch **out);
void emu_glitch_close(struct emu_glitch *g);

/* How the boot without a fault ended (its boot report included). */
const struct emu_glitch_result *
emu_glitch_reference(const struct emu_glitch *g);

/*
 * The instructions the boot without a fault ran outside the target, in
 * the order of their first execution; *n gets their number.
 */
const struct emu_glitch_insn *emu_glitch_trace(const struct emu_glitch *g,
                                               size_t *n);

/* The trace's instruction at addr, or NULL. */
const struct emu_glitch_insn *emu_glitch_insn_at(const struct emu_glitch *g,
                                                 uint32_t addr);

/*
 * Boots from reset with fault f and fills *r. The fault's instruction
 * must be in the trace and run at least f->nth times there, for
 * EMU_GLITCH_ZERO write a register, for EMU_GLITCH_SKIP not be no_skip
 * (EMU_ERR_ARG otherwise, with a message). Returns EMU_OK whenever the
 * boot ran, EMU_ERR_UNICORN when it could not.
 */
int emu_glitch_run(struct emu_glitch *g, const struct emu_glitch_fault *f,
                   struct emu_glitch_result *r);

/* "skip", "zero"; "secure", "bypass", "crash", "hang", "other". */
const char *emu_glitch_model_name(enum emu_glitch_model m);
const char *emu_glitch_end_name(enum emu_glitch_end end);

/*
 * The instruction at addr as the disassembler reads it in its function
 * ("bne.n #0x8000744", "movne r1, #1"): returns the length written,
 * always NUL-terminated; "?" when it cannot be decoded.
 */
size_t emu_glitch_insn_text(struct emu_glitch *g, uint32_t addr, char *buf,
                            size_t len);

/*
 * The code around addr, a line per instruction, "=>" at addr: returns
 * the length written, always NUL-terminated.
 */
size_t emu_glitch_disasm(struct emu_glitch *g, uint32_t addr, char *buf,
                         size_t len);

#endif
