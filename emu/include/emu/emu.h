/* Cortex-M emulation on Unicorn: open / load / run / close. */
#ifndef EMU_EMU_H
#define EMU_EMU_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every function returning int returns EMU_OK (0) or one of these negative
 * codes; emu_last_error() then holds a one-line message naming the problem
 * (the file, the segment, the board key, ...). uc_err never leaves emu/.
 */
enum emu_err {
    EMU_OK = 0,
    EMU_ERR_ARG = -1,       /* NULL or out-of-range argument */
    EMU_ERR_NOMEM = -2,     /* host allocation failed */
    EMU_ERR_IO = -3,        /* file could not be read */
    EMU_ERR_BOARD = -4,     /* board file malformed or inconsistent */
    EMU_ERR_ELF = -5,       /* not a valid 32-bit little-endian ARM ELF */
    EMU_ERR_IMAGE = -6,     /* image does not fit the board (segment outside
                               a region, overlapping, absurd size) */
    EMU_ERR_SYMBOL = -7,    /* entry symbol or address not found / not code */
    EMU_ERR_UNICORN = -8,   /* Unicorn refused an operation */
    EMU_ERR_STATE = -9,     /* call out of order (run before load, ...) */
    EMU_ERR_INIT = -10,     /* the board's init function did not return
                               cleanly (fault or hang) */
    EMU_ERR_RAW_ADDR = -11, /* not an ELF file, and no load address given
                               to load it as a raw binary */
    EMU_ERR_NO_CHECK = -12, /* the result is not a failed FWFUZZ_CHECK */
};

/* What ended one run. */
enum emu_stop {
    EMU_STOP_RETURN = 0, /* entry returned to the sentinel: clean */
    EMU_STOP_FAULT,      /* a fault: see enum emu_fault */
    EMU_STOP_HANG,       /* the block budget ran out */
};

/* Fault classes, firmware-aware. */
enum emu_fault {
    EMU_FAULT_NONE = 0,
    EMU_FAULT_UNMAPPED_READ,   /* read of an address no region covers */
    EMU_FAULT_UNMAPPED_WRITE,  /* write to an address no region covers */
    EMU_FAULT_FETCH_OUTSIDE,   /* execution outside code (RAM, unmapped) */
    EMU_FAULT_WRITE_FLASH,     /* write to flash or another read-only region */
    EMU_FAULT_INVALID_INSN,    /* undefined / invalid instruction */
    EMU_FAULT_STACK_OVERFLOW,  /* SP went below the board's stack limit */
    EMU_FAULT_INPUT_OVERREAD,  /* read past the end of the input */
    EMU_FAULT_GLOBAL_OVERFLOW, /* access to a global's redzone */
    EMU_FAULT_STACK_BUFFER,    /* access to a stack redzone (KASan image) */
    EMU_FAULT_HEAP_OVERFLOW,   /* access to a heap block's redzone */
    EMU_FAULT_USE_AFTER_FREE,  /* access to a freed (quarantined) block */
    EMU_FAULT_BAD_FREE,        /* double free or free of a non-heap pointer */
    EMU_FAULT_STACK_PROTECTOR, /* __stack_chk_fail was called */
    EMU_FAULT_NULL_DEREF,      /* access to the NULL page */
    EMU_FAULT_ABORT,           /* abort(), assert failure, FWFUZZ_CHECK */
    EMU_FAULT_BKPT,            /* BKPT instruction */
    EMU_FAULT_HARDFAULT,       /* the image's HardFault handler was entered */
    EMU_FAULT_ORACLE, /* a security oracle's finding: emu_oracle_finding */
    EMU_FAULT_COUNT
};

/* Call-stack depth kept in struct emu_result. */
#define EMU_MAX_FRAMES 16
/* Basic blocks remembered before a stop (a power of two). */
#define EMU_LAST_BLOCKS 16

/* The outcome of emu_run(). */
struct emu_result {
    enum emu_stop stop;
    enum emu_fault fault;
    uint32_t pc; /* PC of the faulting instruction (or at stop) */
    uint32_t lr;
    uint32_t sp;
    uint32_t addr;        /* faulting data address, when the class has one */
    uint32_t access_size; /* bytes of the faulting access, 0 if none */
    int is_write;         /* faulting access was a write */
    uint32_t regs[17];    /* r0-r12, sp, lr, pc, xpsr at the stop */
    uint32_t ret;         /* r0 on EMU_STOP_RETURN */
    uint64_t blocks;      /* basic blocks executed */
    /*
     * Class-specific detail: the BKPT or SVC immediate, the KASan shadow
     * byte, the exit status, the CPU exception number; 0 otherwise.
     */
    uint32_t detail;
    /*
     * Where the bug is: for faults found in the image's runtime (a KASan
     * report, abort, assert, the stack protector, a failed FWFUZZ_CHECK) the
     * first caller outside that runtime; else pc.
     */
    uint32_t site;
    /*
     * Call stack at the stop: frames[0] = pc, then the address of each call
     * instruction (DWARF call frame information, or a scan of the stack for
     * return addresses when the image has none). Only for faults and hangs.
     */
    uint32_t frames[EMU_MAX_FRAMES];
    unsigned nframes;
    /*
     * SP in each frame of frames[] (frame_sp[0] = sp, then each caller's SP
     * at its call); 0 where the unwinder did not know it.
     */
    uint32_t frame_sp[EMU_MAX_FRAMES];
    /*
     * Start addresses of the last basic blocks entered, oldest first; the
     * last one holds the stop. Only for faults and hangs.
     */
    uint32_t last_blocks[EMU_LAST_BLOCKS];
    unsigned nlast_blocks;
};

struct emu;       /* opaque handle */
struct emu_board; /* a parsed board description */

/*
 * Board files are JSON (docs/emulation.md): memory regions, entry, stack,
 * input placement, fault policy. On error, *out is NULL and errbuf (if not
 * NULL) holds a message naming the key at fault.
 */
int emu_board_load(const char *path, struct emu_board **out, char *errbuf,
                   size_t errlen);
int emu_board_parse(const char *json, size_t len, struct emu_board **out,
                    char *errbuf, size_t errlen);
void emu_board_free(struct emu_board *board);

/* The board's "name", its optional "entry" (NULL if none), and the largest
 * input a run takes ("input.max_size"; longer inputs are truncated). */
const char *emu_board_name(const struct emu_board *board);
const char *emu_board_entry(const struct emu_board *board);
size_t emu_board_input_max(const struct emu_board *board);

/* Creates an emulator for the board. The board must outlive the handle. */
int emu_open(const struct emu_board *board, struct emu **out);
void emu_close(struct emu *e);
/* emu_last_error(NULL): why the last emu_open of this thread failed. */
const char *emu_last_error(const struct emu *e);
const char *emu_strerror(int err);

/*
 * Returns the handle to the state emu_open left it in: images, symbols,
 * entry and snapshot dropped, memory zeroed, translations flushed. For
 * loading many images with one handle (the loader's fuzz target).
 * EMU_ERR_UNICORN when Unicorn could not drop the hooks or translations.
 */
int emu_reset(struct emu *e);

/*
 * Loads an ELF image (PT_LOAD segments, symbols and DWARF when present).
 * Loading happens before emu_set_entry (else EMU_ERR_STATE). One ELF per
 * handle; raw binaries may be added to it (a bootloader plus a signed slot)
 * as long as nothing loaded overlaps (EMU_ERR_IMAGE).
 */
int emu_load_elf(struct emu *e, const char *path);
int emu_load_elf_mem(struct emu *e, const uint8_t *buf, size_t len);
/*
 * Loads an Intel HEX image (emu/ihex.h): each contiguous run of its data
 * as a raw binary at its address (no symbols). EMU_ERR_IMAGE, with the
 * line and the reason, when the text is not valid Intel HEX, has no data,
 * gives two records for one byte, or does not fit the board.
 */
int emu_load_ihex_mem(struct emu *e, const uint8_t *buf, size_t len);
/* Loads a raw binary at load_addr (no symbols: entries are addresses). */
int emu_load_bin(struct emu *e, const char *path, uint32_t load_addr);
int emu_load_bin_mem(struct emu *e, const uint8_t *buf, size_t len,
                     uint32_t load_addr);

/*
 * Loads the image a user names, whatever it is: an ELF file (by its magic
 * bytes) as emu_load_elf, an Intel HEX file (by its first ':' record) as
 * emu_load_ihex_mem, load_addr ignored for both (the file says where its
 * bytes go); anything else as emu_load_bin at load_addr, a number in C
 * syntax ("0x08000000", "134217728"). load_addr NULL: no address
 * was given. Returns EMU_OK, or EMU_ERR_RAW_ADDR (not ELF and load_addr
 * NULL), EMU_ERR_ARG (e or path NULL; load_addr not a 32-bit number),
 * EMU_ERR_IO (the file cannot be read), EMU_ERR_NOMEM, EMU_ERR_ELF,
 * EMU_ERR_IMAGE, EMU_ERR_STATE as emu_load_elf and emu_load_bin.
 */
int emu_load_image(struct emu *e, const char *path, const char *load_addr);

/*
 * Selects the function each run calls as fn(input_ptr, input_len): a symbol
 * name, or an address such as "0x08000141" (Thumb bit optional); it must
 * be in the loaded code (EMU_ERR_SYMBOL). The first call runs the board's
 * init function when it has one (EMU_ERR_INIT if that faults or hangs;
 * the handle then needs emu_reset), then snapshots CPU and RAM: every run
 * starts from that snapshot. Later calls only change the function.
 */
int emu_set_entry(struct emu *e, const char *entry);

/*
 * Counts edges between basic blocks into map (a power-of-two size). The map
 * is the caller's: libFuzzer's extra counters or AFL++'s shared memory,
 * which the engines clear before each run. A run that the fast path runs
 * again (emu_set_fast) clears it too: the map then holds the edges of the
 * run whose verdict is reported.
 */
int emu_set_coverage(struct emu *e, uint8_t *map, size_t size);

/*
 * The fast path (docs/emulation.md, "Speed"), allowed by default: a
 * function-level run goes first with a lean block hook and the CPU's own
 * stack limit, and again on the full hook when it does not return
 * cleanly; the verdict reported is the full hook's. Needs RAM without
 * execute permission and no code in RAM. Call before emu_set_entry; 0
 * keeps every run on the full hook (the benchmark's "before").
 */
void emu_set_fast(struct emu *e, int allow);

/*
 * Whether runs take the fast path (known after emu_set_entry), and how many
 * runs began on it and were run again on the full hook.
 */
int emu_fast_stats(const struct emu *e, uint64_t *runs, uint64_t *reruns);

/* Sets the block budget of one run (0 = the board's default). */
void emu_set_budget(struct emu *e, uint64_t blocks);

/*
 * Runs the entry once on a copy of input (len may be 0). Returns EMU_OK
 * whenever the run itself happened, whatever it found: the verdict is in
 * *res. Negative only when the emulator could not run: EMU_ERR_ARG,
 * EMU_ERR_STATE (no entry set), EMU_ERR_UNICORN (Unicorn failed to start,
 * to read the CPU state or to restore the snapshot). On error *res (if not
 * NULL) is zeroed: it holds no verdict.
 */
int emu_run(struct emu *e, const uint8_t *input, size_t len,
            struct emu_result *res);

/* Names of a fault class, e.g. "heap-buffer-overflow". */
const char *emu_fault_name(enum emu_fault fault);

/*
 * Where an address is in the loaded image. Strings belong to the handle and
 * live until emu_reset or emu_close; NULL / 0 when unknown. Returns EMU_OK
 * when at least the function is known, EMU_ERR_SYMBOL otherwise.
 */
struct emu_location {
    const char *function; /* symbol containing addr */
    uint32_t offset;      /* addr - start of function */
    const char *file;     /* source file (DWARF) */
    int line;             /* source line (DWARF) */
};
int emu_locate(struct emu *e, uint32_t addr, struct emu_location *loc);

/*
 * One line naming what res found and where, starting with the class:
 * "global-buffer-overflow at parse_header src/parser.c:42", "hang at ...",
 * "returned 0x0 after 12 blocks". It is the first line of emu_describe.
 * Returns the length written, as emu_describe.
 */
size_t emu_summary(struct emu *e, const struct emu_result *res, char *buf,
                   size_t len);

/*
 * Writes a report of res: the class, PC and LR with function and source
 * line (DWARF), the faulting address, the call stack, the registers, a
 * disassembly around PC and the last basic blocks run. Returns the length
 * written (truncated to fit, always NUL-terminated).
 */
size_t emu_describe(struct emu *e, const struct emu_result *res, char *buf,
                    size_t len);

/*
 * emu_describe's report, then for developers: the source lines around the
 * line the report names (read from the file DWARF names, skipped when it
 * cannot be read) and what the faulting address is: the input, a global,
 * a KASan heap block (how far before, into or past it), the stack frame
 * holding it, the board region. Returns as emu_describe.
 */
size_t emu_describe_full(struct emu *e, const struct emu_result *res, char *buf,
                         size_t len);

/*
 * The message of a failed FWFUZZ_CHECK (fwfuzz/check.h): when res, the
 * result of the last emu_run on e, is the stop on entry to the guest's
 * fwfuzz_check_failed, writes its "what" argument to what and returns
 * EMU_OK: at most 200 characters of the guest's string, made printable, "?"
 * when it is empty or unreadable, truncated to n - 1 bytes. EMU_ERR_NO_CHECK
 * for any other result, EMU_ERR_ARG when e, res or what is NULL or n is 0; on
 * error what (if it has room) holds "".
 */
int emu_check_message(struct emu *e, const struct emu_result *res, char *what,
                      size_t n);

/*
 * A security oracle's finding (fwfuzz/oracle.h, docs/oracles.md): when
 * res, the result of the last emu_run on e, is an EMU_FAULT_ORACLE, writes
 * its class ("secret-in-output", ...) to cls and what it saw to what, and
 * returns EMU_OK; EMU_ERR_NO_CHECK for any other result, EMU_ERR_ARG for
 * NULL arguments or empty buffers.
 */
int emu_oracle_finding(struct emu *e, const struct emu_result *res, char *cls,
                       size_t ncls, char *what, size_t nwhat);

#endif
