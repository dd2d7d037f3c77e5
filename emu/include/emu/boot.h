/*
 * Whole firmware images (docs/rehosting.md): boot from the reset vector,
 * fuzz from the point where the firmware first waits for input, and say
 * why an image is stuck when it never gets there.
 *
 * A board whose "entry" is EMU_ENTRY_RESET describes a whole image. For
 * it, emu_set_entry(e, EMU_ENTRY_RESET) boots the image (emu_boot) and
 * takes the snapshot where it waits for input; each emu_run then starts
 * there and feeds the input as one stream of bytes, taken in the order
 * the firmware asks for them: a byte the UART receives takes one, a read
 * of a peripheral register no model serves takes its access size (or its
 * model's width), an interrupt chosen by the input takes one. A run ends
 * cleanly (EMU_STOP_RETURN, detail EMU_END_*) when the firmware waits for
 * input that the stream no longer has, or asks for a reset.
 */
#ifndef EMU_BOOT_H
#define EMU_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "emu/emu.h"

/* The entry of a whole image: its reset vector (not a symbol name). */
#define EMU_ENTRY_RESET "@reset"

/* Why a run of a whole image ended cleanly: emu_result.detail. */
enum emu_end {
    EMU_END_INPUT = 1, /* waits for input the stream no longer has */
    EMU_END_RESET = 2, /* asked for a reset (AIRCR.SYSRESETREQ) */
};

/* How a boot from reset ended. */
enum emu_boot_end {
    EMU_BOOT_WAITING = 0, /* it waits for input: the snapshot is there */
    EMU_BOOT_STUCK,       /* it loops without progress and no model that
                             the boot tried moves it on */
    EMU_BOOT_IDLE,        /* WFI/WFE with no interrupt that could wake it */
    EMU_BOOT_FAULT,       /* it faulted: res says how */
    EMU_BOOT_BUDGET,      /* the boot budget ran out while it progressed */
    EMU_BOOT_RESET,       /* it asked for a reset before waiting for input */
};

/*
 * A register model the boot found. A poll model (mask 0, pc set): every
 * read returns value. A model found by trial after the boot, from the
 * snapshot: mask 0 and pc 0, the register's value changed nothing, so it
 * reads as value and takes no input; mask set, only those bits changed
 * what ran, so a read takes only the input bytes for them.
 */
struct emu_boot_model {
    uint32_t addr;     /* the register */
    uint32_t value;    /* what every read returns (no mask) */
    uint32_t mask;     /* the bits the input gives, 0: none */
    uint32_t pc;       /* the instruction that polled it, 0: by trial */
    uint64_t at_block; /* when the boot found it */
};

#define EMU_BOOT_MAX_MODELS 32
#define EMU_BOOT_UART_MAX   4096

/*
 * What one boot from reset did. For EMU_BOOT_STUCK and EMU_BOOT_IDLE the
 * loop_* and reg_* fields say where it stopped making progress.
 */
struct emu_boot_report {
    enum emu_boot_end end;
    uint32_t vtor;         /* where the vector table was read */
    uint32_t initial_sp;   /* its first word */
    uint32_t reset_vector; /* its second */
    uint64_t blocks;       /* basic blocks run from reset */
    uint32_t pc;           /* where the boot ended */
    /* The UART output of the boot (the first EMU_BOOT_UART_MAX bytes). */
    uint8_t uart[EMU_BOOT_UART_MAX];
    size_t uart_len;
    size_t uart_total; /* bytes sent, including those not kept */
    /* The loop it ended in: the range of its blocks, how many there are. */
    uint32_t loop_lo;
    uint32_t loop_hi;
    unsigned loop_blocks;
    /* The peripheral register the loop keeps reading (reg_reads > 0). */
    uint32_t reg;
    uint32_t reg_pc;    /* the instruction that reads it */
    uint32_t reg_value; /* what it read, the last time */
    unsigned reg_reads; /* reads in the loop's window */
    int reg_is_uart;    /* the UART: the firmware waits for input */
    /*
     * A value of reg that the boot measured to move it out of the loop
     * (have_suggestion), to be given as a model in the board file.
     */
    int have_suggestion;
    uint32_t suggestion;
    /* Exceptions that could wake an idle core (enabled, not masked). */
    uint32_t enabled[8]; /* bit n: exception n (16 + IRQ number) */
    int auto_models;     /* the boot looked for models (boot.auto_models) */
    int uart_irq;        /* the board's uart.irq, -1: none */
    /* Models the boot found and applied, in order. */
    struct emu_boot_model models[EMU_BOOT_MAX_MODELS];
    unsigned nmodels;
    /* The fault, for EMU_BOOT_FAULT. */
    struct emu_result res;
};

/*
 * Boots the loaded image from reset with no input, applying the board's
 * models and the ones it finds (a status register polled in a loop is
 * served the value that leaves the loop), until it waits for input or
 * cannot go on; fills *r. When it waits for input (EMU_BOOT_WAITING) the
 * handle is ready to run from there, as after emu_set_entry(e,
 * EMU_ENTRY_RESET). Returns EMU_OK whenever the boot ran, whatever its
 * end; EMU_ERR_ARG, EMU_ERR_STATE (the board is not a whole-image board,
 * nothing is loaded, or the handle already booted), EMU_ERR_IMAGE (no
 * vector table at VTOR) or EMU_ERR_UNICORN otherwise.
 */
int emu_boot(struct emu *e, struct emu_boot_report *r);

/*
 * A report of *r for people: how far it got, the UART output, and for a
 * stuck image where it loops (PC, function), the register it reads, the
 * interrupt it waits for and the model that would move it on. Returns the
 * length written (truncated to fit, always NUL-terminated).
 */
size_t emu_boot_describe(struct emu *e, const struct emu_boot_report *r,
                         char *buf, size_t len);

/* 1 when the board of e describes a whole image. */
int emu_is_whole_image(const struct emu *e);

/* Input bytes the last emu_run of a whole image took (0 otherwise). */
size_t emu_input_used(const struct emu *e);

/*
 * The bytes the firmware sent on its UART during the last emu_run (NULL
 * and 0 for function-level boards). Valid until the next run.
 */
const uint8_t *emu_uart_output(const struct emu *e, size_t *len);

#endif
