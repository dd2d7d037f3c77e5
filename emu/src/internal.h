/* What the files of emu/src share: the board, the handle, the image. */
#ifndef EMU_INTERNAL_H
#define EMU_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "emu/boot.h"
#include "emu/emu.h"
#include "fwfuzz/oracle.h"
#include "secret_match.h"

/*
 * Unicorn maps ARM memory in 1 KiB pages: regions, the input area and the
 * shadow are mapped whole pages at a time.
 */
#define EMU_PAGE       0x400u
#define EMU_PAGE_SHIFT 10

#define EMU_MAX_REGIONS  32
#define EMU_MAX_SHADOWS  EMU_MAX_REGIONS
#define EMU_NAME_MAX     48
#define EMU_SYMNAME_MAX  128
#define EMU_GUARD_SIZE   0x1000u /* unmapped after the input, at least */
#define EMU_INPUT_LIMIT  (16u << 20)
#define EMU_REGION_LIMIT (256u << 20)
#define EMU_MAPPED_LIMIT (512u << 20) /* flash + RAM + shadow, host bytes */
#define EMU_RAM_LIMIT    (64u << 20)  /* restored between runs */
#define EMU_MAX_SEGMENTS 64
#define EMU_MAX_CODE     64           /* executable ranges */
#define EMU_IMAGE_LIMIT  (256u << 20) /* bytes of an image file */

/* Region permissions use Unicorn's bits (UC_PROT_READ/WRITE/EXEC). */
enum emu_kind {
    EMU_KIND_FLASH, /* read-only to the guest; the image is loaded here */
    EMU_KIND_RAM,   /* read-write, restored between runs */
    EMU_KIND_MMIO,  /* peripheral registers served by callbacks */
};

struct emu_region {
    char name[EMU_NAME_MAX];
    uint32_t base;
    uint32_t size;
    unsigned perm;
    enum emu_kind kind;
    uint32_t read_value; /* MMIO: what every read returns */
};

/* How a peripheral register is served in a whole image (periph.c). */
enum emu_model_kind {
    EMU_MODEL_INPUT,    /* from the input: as many bytes as the access */
    EMU_MODEL_CONST,    /* value, always */
    EMU_MODEL_READBACK, /* the last value written, value before any */
    EMU_MODEL_BITS,     /* from the input, only the bits of mask */
};

struct emu_model {
    uint32_t addr;
    uint32_t size; /* bytes covered from addr (a register: 4) */
    enum emu_model_kind kind;
    uint32_t value;
    uint32_t mask;     /* EMU_MODEL_BITS */
    int found;         /* found by the boot, not given by the board */
    uint32_t pc;       /* found: the instruction that polled it */
    uint64_t at_block; /* found: when */
};

#define EMU_MAX_MODELS 256

/* The board's UART (the input's bytes arrive there). */
struct emu_uart_cfg {
    int have;
    uint32_t rx;       /* data register a received byte is read from */
    uint32_t tx;       /* data register a sent byte is written to */
    uint32_t status;   /* 0: none */
    uint32_t rx_ready; /* status bits set while a byte waits */
    uint32_t tx_ready; /* status bits always set */
    uint32_t rx_event; /* register reading 1 while a byte waits, 0: none */
    int irq;           /* its interrupt line, -1: polled */
};

/*
 * A whole image (entry EMU_ENTRY_RESET): the Cortex-M system around the
 * core, the peripheral models, the UART, the boot's limits.
 */
struct emu_image_cfg {
    int whole; /* the entry is the reset vector */
    uint32_t vtor;
    int have_vtor;
    unsigned irqs;             /* external interrupt lines of the NVIC */
    uint32_t cycles_per_block; /* SysTick time */
    uint32_t irq_every;        /* blocks between input-chosen interrupts */
    uint64_t boot_budget;      /* blocks the boot may run */
    int auto_models;           /* the boot finds poll models */
    struct emu_uart_cfg uart;
    struct emu_model models[EMU_MAX_MODELS]; /* sorted by address */
    unsigned nmodels;
};

/* A range of KASan shadow, merged over the regions it covers. */
struct emu_range {
    uint32_t base;
    uint32_t size;
};

struct emu_board {
    char name[EMU_NAME_MAX];
    int cpu_model; /* UC_CPU_ARM_* */
    char cpu_name[24];
    struct emu_region regions[EMU_MAX_REGIONS];
    unsigned nregions;
    uint32_t stack_top;
    uint32_t stack_limit;
    uint32_t input_base;
    uint32_t input_max; /* bytes an input may have */
    uint32_t input_map; /* bytes mapped: input_max rounded up to a page */
    int input_writable;
    char init[EMU_SYMNAME_MAX]; /* "" = none */
    char entry[EMU_SYMNAME_MAX];
    uint64_t budget_blocks;
    int null_page;
    uint32_t null_page_size;
    int kasan;
    uint32_t shadow_offset;
    struct emu_range shadows[EMU_MAX_SHADOWS];
    unsigned nshadows;
    uint32_t sentinel;          /* page the entry returns to */
    struct emu_image_cfg image; /* whole images (board_image.c) */
};

/* One symbol of the image; names live in emu_image.names. */
enum emu_sym_type { EMU_SYM_FUNC, EMU_SYM_OBJECT };

struct emu_sym {
    uint32_t addr;
    uint32_t size;
    uint32_t name; /* offset into names */
    enum emu_sym_type type;
};

struct emu_image {
    uint8_t *file; /* the ELF bytes, owned (libelf and libdw read them) */
    size_t file_len;
    void *elf;     /* Elf * */
    void *dwarf;   /* Dwarf *, NULL without debug info */
    void *cfi;     /* Dwarf_CFI *, NULL without call frame information */
    int cfi_owned; /* from .eh_frame: freed with dwarf_cfi_end */
    int have_elf;
    struct emu_sym *syms; /* sorted by address */
    size_t nsyms;
    char *names;
    size_t names_len;
    struct emu_range code[EMU_MAX_CODE]; /* executable loaded ranges */
    unsigned ncode;
    struct emu_range loaded[EMU_MAX_SEGMENTS * 2]; /* every byte written */
    unsigned nloaded;
    /*
     * Halfwords of code[0] where an instruction that may write SP starts,
     * a bit each (spscan.c); NULL: SP is checked at every block.
     */
    uint8_t *sp_writers;
    /* SP writes the CPU's stack limit does not check (spscan.c): one bit
     * per 64 bytes of the first code range that holds one, and how many */
    uint8_t *sp_unchecked;
    uint32_t nsp_unchecked;
    char file_name[64]; /* emu_load_image's first file, without folders */
};

/* A host-owned mapping of guest memory. */
struct emu_map {
    const char *name;
    uint32_t base;
    uint32_t size;
    uint8_t *host;  /* mmap'd, zero-filled */
    uint8_t *snap;  /* snapshot copy; NULL if not restored */
    uint32_t page0; /* first index in the dirty-page table */
    uint64_t ram;   /* RAM maps: Unicorn's ram_addr of host[0] (ucfix.c) */
    enum emu_kind kind;
};

#define EMU_MAX_MAPS (EMU_MAX_REGIONS + EMU_MAX_SHADOWS + 2)

/* Symbols the run stops on (faults.c has the table). */
#define EMU_MAX_STOPSYMS 16

enum emu_state {
    EMU_STATE_OPEN,  /* images may be loaded */
    EMU_STATE_READY, /* entry set, snapshot taken */
};

/*
 * Guest memory (mem.c): the host mappings and the dirty-page table. Built by
 * emu_open, freed by emu_close; the dirty pages are cleared by each snapshot
 * and restore, and emu_reset zeroes the images. Shared, read only: emu.c,
 * run.c and faults.c walk the maps; describe.c reads prev_input_len to say
 * where in the last input an address is.
 */
struct emu_mem {
    struct emu_map maps[EMU_MAX_MAPS];
    unsigned nmaps;
    struct emu_map *input;
    struct emu_map *sentinel_map;
    /* Dirty pages of the restored maps since the snapshot. */
    uint8_t *dirty;
    uint32_t *dirty_list;
    uint32_t ndirty;
    uint32_t npages;
    struct emu_map **page_map; /* page index -> map */
    struct emu_map *store_map; /* the RAM map the last marked store hit */
    uint32_t prev_input_len;
};

/*
 * Unicorn hooks (faults.c): installed once by emu_set_entry's set-up,
 * before the first translation; removed by emu_reset and emu_close.
 * The store trap that replaces the write hook is shared: run.c's set-up
 * decides fast_stores, ucfix.c notes uc_cpu during runs and reads both.
 */
struct emu_hooks {
    int installed;
    uc_hook block;
    uc_hook write; /* 0 when the store trap marks dirty pages (ucfix.c) */
    uc_hook invalid;
    uc_hook intr;
    uc_hook sym[EMU_MAX_STOPSYMS];
    uint32_t sym_addr[EMU_MAX_STOPSYMS]; /* 0 = absent */
    unsigned nstopsyms;
    void *uc_cpu;    /* Unicorn's CPUState (ucfix.c) */
    int fast_stores; /* ucfix.c may clear "not dirty" */
};

/*
 * What the hooks check on every run (run.c): decided by emu_set_entry's
 * set-up from the image and the board, again after each emu_reset. Read by
 * the block hook (run.c), spscan.c (code0) and hook_invalid (faults.c).
 */
struct emu_checks {
    int check_code;
    uint32_t code0_base; /* the first code range: most blocks are in it */
    uint32_t code0_size;
    int check_stack;
    int inline_kasan; /* the image reports KASan findings */
};

/*
 * The fast path (run.c): decided by emu_set_entry's set-up. A
 * function-level run first goes with the lean block hook (budget, oracle
 * path, edges, execution outside code) and the CPU's stack limit; one that
 * does not end in a clean return runs again on the full hook, whose
 * verdict is the one reported.
 */
struct emu_fast {
    int allowed;     /* emu_set_fast (default on) */
    int usable;      /* allowed, and the board and CPU have what it needs */
    uc_context *ctx; /* the snapshot's registers with MSPLIM set */
    uint64_t runs;   /* runs begun on the fast path */
    uint64_t reruns; /* of those, run again on the full hook */
};

/*
 * Edge coverage: the map is the caller's, set by emu_set_coverage (emu.c)
 * and dropped by emu_reset; the block hook (run.c) hashes edges into it,
 * and run.c sets map to NULL around runs that must not count (the init,
 * the exact-PC re-run). prev is reset at the start of each run.
 */
struct emu_cov {
    uint8_t *map;
    uint32_t mask;
    uint32_t prev;
    /* Source-line coverage (linecov.c): the blocks runs enter, or NULL.
     * Set by emu_record_blocks, NULL around the init like map. */
    struct emu_blocks *blocks;
};

/*
 * One run (run.c): reset by run_from at its start, written by the hooks of
 * run.c and faults.c while it runs. Shared: describe.c reads the stop
 * symbol, its arguments, mem_type and hang_wfi of the last run.
 */
struct emu_run_state {
    struct emu_result *res; /* filled by the hooks on a fault */
    int stopped;            /* a hook decided the verdict */
    int error;              /* EMU_OK, or why the run has no verdict */
    uint64_t blocks;
    uint64_t budget;
    uint32_t last_block_size; /* size of the current block */
    uint32_t fault_block;     /* the block of an invalid access */
    uint32_t fault_block_size;
    uint32_t last_insn;    /* set by the exact-PC re-run */
    int sp_check_next;     /* the previous block may have lowered SP */
    int stop_sym;          /* index in the stop table, -1 if none */
    uint32_t stop_args[4]; /* r0-r3 on entry to that symbol */
    int mem_type;          /* uc_mem_type of an invalid access, or -1 */
    int lean;              /* on the fast path: the lean block hook */
    uint32_t hang_wfi;     /* the run ended in WFI/WFE, not the budget */
    /*
     * The last blocks entered: ring[blocks % EMU_LAST_BLOCKS] is next, so
     * the current one is at blocks - 1 (the entry before the first).
     */
    uint32_t ring[EMU_LAST_BLOCKS];
};

/*
 * The Cortex-M system of a whole image (cortexm.c): exception states, the
 * NVIC and SCB registers, SysTick. Copied with the snapshot.
 */
#define EMU_EXC_MAX 256
struct emu_sys {
    uint32_t enabled[EMU_EXC_MAX / 32]; /* bit n: exception n enabled */
    uint32_t pending[EMU_EXC_MAX / 32];
    uint32_t active[EMU_EXC_MAX / 32];
    uint8_t prio[EMU_EXC_MAX]; /* priority bytes as written */
    uint32_t vtor, aircr, scr, ccr, shcsr, cfsr, hfsr, mmfar, bfar, cpacr;
    uint32_t syst_csr, syst_rvr;
    uint64_t syst_next;   /* time of the next SysTick, UINT64_MAX: off */
    uint64_t syst_period; /* blocks between two */
    uint64_t irq_next;    /* time of the next input-chosen interrupt */
    uint64_t t0;          /* blocks run before this run started */
    int reset_request;
};

/* Readback registers of a whole image's peripherals (periph.c). */
#define EMU_PERIPH_SLOTS 1024 /* a power of two */
struct emu_periph_reg {
    uint32_t addr; /* 0: free slot (address 0 is never MMIO) */
    uint32_t value;
    uint32_t written; /* the firmware wrote it */
};
struct emu_periph {
    struct emu_periph_reg regs[EMU_PERIPH_SLOTS];
    unsigned nregs;
};

/* A register read in the current stall window (boot.c). */
#define EMU_WATCH_MAX 8
struct emu_watch {
    uint32_t addr, pc, value;
    unsigned reads;
};

/*
 * One run of a whole image (boot.c, periph.c, cortexm.c): the input
 * stream, the UART output, why the run stopped between blocks.
 */
#define EMU_UART_OUT_MAX 65536
struct emu_whole {
    int booted;
    int booting;
    const uint8_t *in;
    size_t in_len, in_pos;
    uint8_t *out; /* EMU_UART_OUT_MAX bytes, allocated at boot */
    size_t out_len, out_total;
    int want_stop;       /* the block hook stops before the next block */
    int stopped_between; /* the block hook stopped before a block */
    int external_stop;   /* the GDB stub stopped it at a breakpoint */
    /* Model trials (infer.c): input-served reads of a run, one flipped. */
    int probing;
    unsigned nprobe_reads;          /* input-served reads so far */
    uint32_t probe_addr[16];        /* the first ones' registers */
    uint32_t probe_size[16];        /* and access sizes */
    unsigned flip_read;             /* the read whose value is flipped */
    uint32_t flip_mask;             /* 0: none */
    uint64_t trace;                 /* hash of the blocks run */
    int sleeping;                   /* in WFI/WFE */
    int sleeping_snap;              /* ... at the snapshot */
    void *boot;                     /* struct emu_whole_boot (boot.c) */
    struct emu_boot_report *report; /* emu_boot's, or own_report */
    int redirected;                 /* a hook wrote PC: resume there */
    int irq_due;                    /* a pending exception may be taken */
    int input_end;        /* the firmware waits for input there is not */
    unsigned empty_polls; /* UART status reads with nothing to receive */
    uint64_t sys_next;    /* run block at which cortexm_due must look */
    /* boot: progress (new blocks) and what the loop reads */
    uint64_t last_new; /* blocks count when a block was first seen */
    uint8_t *seen;     /* a bit per halfword of the code range */
    uint32_t seen_base, seen_size;
    struct emu_watch watch[EMU_WATCH_MAX];
    unsigned nwatch;
    struct emu_sys sys_snap;
    struct emu_periph *periph_snap;
};

/* The security oracles (oracle.c). */
enum emu_oracle_fn {
    EMU_ORACLE_SECRET,
    EMU_ORACLE_OUTPUT,
    EMU_ORACLE_UNTRUSTED,
    EMU_ORACLE_DURABLE,
    EMU_ORACLE_UNDER_TEST_END,
    EMU_ORACLE_FNS
};
enum emu_oracle_cmp {
    EMU_ORACLE_CMP_NONE,
    EMU_ORACLE_CMP_TIMING,  /* another block than the reference: a finding */
    EMU_ORACLE_CMP_LOCKOUT, /* ... where durable memory must have changed */
};
#define EMU_ORACLE_REGIONS 4
struct emu_oracle_secret {
    uint32_t addr, home_len, len;
    uint8_t bytes[FWFUZZ_SECRET_MAX];
    char what[40];
};
struct emu_oracle_region {
    uint32_t addr, len;
    uint64_t block; /* declared in this block of the run */
    uint8_t keep[64];
    size_t keep_len; /* its first bytes when declared */
    char what[40];
};
struct emu_oracle_stream {
    uint8_t tail[2 * FWFUZZ_SECRET_MAX];
    size_t len;
};
struct emu_oracle {
    int on; /* the image has the oracle API */
    uint32_t fn[EMU_ORACLE_FNS];
    uc_hook hook[EMU_ORACLE_FNS];
    /* what the run declared */
    struct emu_oracle_secret secret[FWFUZZ_SECRETS];
    unsigned nsecrets;
    struct emu_oracle_region untrusted[EMU_ORACLE_REGIONS];
    unsigned nuntrusted;
    struct emu_oracle_region durable[EMU_ORACLE_REGIONS];
    unsigned ndurable;
    struct fwfuzz_secret_ref refs[FWFUZZ_SECRETS];
    struct fwfuzz_matcher *matcher;
    int matcher_ready;
    struct emu_oracle_stream uart, log;
    /* the run's input (public) and where the guest has it */
    const uint8_t *input;
    size_t input_len;
    uint32_t input_addr;
    /* the re-runs: which secret byte changes, what is compared */
    int rerun;
    int first;           /* the unchanged run is running */
    int perturb;         /* secret index, -1: none */
    unsigned perturb_at; /* 0: its first byte, 1: its last */
    uint64_t trace_from; /* run block of the first secret, UINT64_MAX */
    int trace_done;      /* fwfuzz_under_test_end: the compared part is over */
    uint64_t path;       /* hash of the blocks since then */
    uint64_t *checked;   /* paths whose re-runs were clean (a set) */
    uint32_t *trace_a, *trace_b;
    uint32_t *rec; /* where this run's blocks go, or NULL */
    uint64_t rec_len, b_len;
    const uint32_t *ref; /* what they are compared with */
    uint64_t ref_len, cmp_pos;
    enum emu_oracle_cmp cmp;
    int path_found; /* the comparison stopped this re-run */
    /* double fetches (in a child process) */
    uint8_t *fetched;
    uint32_t *fetch_pc;
    uint32_t fetch_len;
    void *ctx;
    /* the finding */
    char cls[40];
    char what[256];
};

/*
 * The handle: engine, board, image and symbols, and where it is in its life
 * (emu.c opens, resets and closes it; run.c's emu_set_entry sets the entry
 * and takes the snapshot). The rest is the sub-structs' above.
 */
struct emu {
    const struct emu_board *board;
    uc_engine *uc;
    enum emu_state state;
    char err[512];

    struct emu_image img;

    uc_context *ctx;  /* the snapshot's registers */
    uc_context *ctx0; /* the CPU as emu_open left it */
    int init_done;
    int prepare_failed; /* error code of a failed emu_set_entry set-up */
    uint32_t entry;     /* Thumb bit set */
    char entry_name[EMU_SYMNAME_MAX];
    uint64_t budget;

    void *capstone; /* csh *, opened on first describe (describe.c) */

    struct emu_mem mem;
    struct emu_hooks hooks;
    struct emu_checks checks;
    struct emu_fast fast;
    struct emu_cov cov;
    struct emu_run_state run;
    /* Whole images only (board->image.whole). */
    struct emu_sys sys;
    struct emu_periph *periph;
    struct emu_whole whole;
    struct emu_oracle oracle;
    struct emu_boot_report own_report;
    struct emu_model models[EMU_MAX_MODELS]; /* the board's, then found */
    unsigned nmodels;
    struct emu_mmio_user {
        struct emu *e;
        uint32_t base;
    } mmio_user[EMU_MAX_REGIONS + 1];
};

/*
 * Whether [addr, addr + size) meets a 64-byte stretch of the scanned code
 * with an SP write the CPU's stack limit misses (spscan.c); 1 outside the
 * scanned code. Inline: the lean block hook asks it at every block.
 */
static inline int emu_spscan_unchecked(const struct emu *e, uint32_t addr,
                                       uint32_t size)
{
    const uint8_t *bits = e->img.sp_unchecked;
    uint32_t off = addr - e->checks.code0_base, c, last;

    if (bits == NULL || off >= e->checks.code0_size || size == 0 ||
        size > e->checks.code0_size - off)
        return 1;
    last = (off + size - 1) >> 6;
    for (c = off >> 6; c <= last; c++)
        if (bits[c >> 3] & (1u << (c & 7)))
            return 1;
    return 0;
}

/* The start of the block the run is in. */
static inline uint32_t emu_run_current_block(const struct emu *e)
{
    return e->run.ring[(e->run.blocks - 1) & (EMU_LAST_BLOCKS - 1)];
}

/*
 * Unicorn takes callbacks as void *; ISO C has no cast from a function
 * pointer to an object pointer, so copy the bits.
 */
typedef void (*emu_fn)(void);
_Static_assert(sizeof(emu_fn) == sizeof(void *), "callbacks fit a void *");
static inline void *emu_cb(emu_fn f)
{
    void *p;

    memcpy(&p, &f, sizeof(p));
    return p;
}

/* board_json.c: the checks board_image.c shares. */
struct emu_board_msg;
struct cJSON;
int emu_board_check_keys(struct emu_board_msg *p, const struct cJSON *obj,
                         const char *where, const char *const *known);
int emu_board_get_number(struct emu_board_msg *p, const struct cJSON *item,
                         const char *where, uint64_t max, uint64_t *out);
int emu_board_get_u32(struct emu_board_msg *p, const struct cJSON *item,
                      const char *where, uint32_t *out);
int emu_board_get_bool(struct emu_board_msg *p, const struct cJSON *item,
                       const char *where, int *out);
/* board_image.c: "system", "uart", "models", "boot" of a whole image. */
int emu_board_parse_image(struct emu_board_msg *p, const struct cJSON *root,
                          struct emu_board *b);

/* cortexm.c */
#define EMU_PPB_BASE 0xE0000000u
#define EMU_PPB_SIZE 0x00100000u
void emu_sys_reset(struct emu *e);
uint64_t emu_sys_read(struct emu *e, uint32_t addr, unsigned size);
void emu_sys_write(struct emu *e, uint32_t addr, unsigned size, uint32_t v);
uint64_t emu_sys_now(const struct emu *e);
/* Time moved (the block hook at run.whole.sys_next): SysTick, input IRQs. */
void emu_sys_due(struct emu *e);
/* The exception to take now, 0 if none may be. */
int emu_sys_next_exception(struct emu *e);
/* Enters exception exc with the CPU stopped between instructions. */
int emu_sys_enter(struct emu *e, int exc);
/* intno 8 (EXC_RETURN) and intno 2 (SVC) in the interrupt hook. */
void emu_sys_exception_return(struct emu *e, uint32_t excret);
void emu_sys_svc(struct emu *e);
void emu_sys_pend(struct emu *e, int exc);
void emu_sys_recheck(struct emu *e);
/* WFI: advances time to the next event; 0 when nothing can wake it. */
int emu_sys_idle(struct emu *e);

/* periph.c */
int emu_periph_open(struct emu *e);
void emu_periph_close(struct emu *e);
uint64_t emu_periph_read(uc_engine *uc, uint64_t offset, unsigned size,
                         void *user);
void emu_periph_write(uc_engine *uc, uint64_t offset, unsigned size,
                      uint64_t value, void *user);
/* The next n (<= 4) input bytes, little-endian; 0 when the input ended. */
int emu_input_take(struct emu *e, unsigned n, uint32_t *out);
const struct emu_model *emu_model_at(const struct emu *e, uint32_t addr);
int emu_model_add(struct emu *e, const struct emu_model *m);
int emu_uart_rx_waiting(const struct emu *e);

/* boot.c */
int emu_whole_prepare(struct emu *e);
/* Restores the snapshot and sets the input stream up for a run. */
int emu_whole_start(struct emu *e, const uint8_t *input, size_t len);
/* Runs from the CPU state to a verdict (count > 0: one stretch). */
uc_err emu_whole_resume(struct emu *e, uint64_t count);
void emu_whole_close(struct emu *e);
void emu_whole_block(struct emu *e, uint32_t addr);
/*
 * glitch.c: boots again from reset, after emu_boot, with the RAM and CPU
 * the caller put back: the models found so far, none searched (a loop
 * that stalls ends the boot), budget blocks at most.
 */
int emu_whole_reboot(struct emu *e, struct emu_boot_report *r, uint64_t budget);
/* infer.c: models found by trial from the snapshot (after the boot). */
int emu_whole_infer(struct emu *e);
/* describe.c: the first line of emu_boot_describe. */
size_t emu_boot_summary(struct emu *e, const struct emu_boot_report *r,
                        char *buf, size_t len);
/* run.c */
void emu_run_reset(struct emu *e, uint32_t fn, uint64_t budget,
                   struct emu_result *res);
void emu_run_copy_last(struct emu *e, struct emu_result *res);

/* ihex.c: the value of a hex digit (either case), -1 for anything else. */
int emu_hex_digit(int c);

/* emu.c */
void emu_error(struct emu *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int emu_fail(struct emu *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* board_json.c: where a board's message goes (the caller's errbuf). */
struct emu_board_msg {
    char *buf;
    size_t len;
};
int emu_board_vfail(struct emu_board_msg *m, int code, const char *fmt,
                    va_list ap);
/* Writes the message; returns EMU_ERR_BOARD. */
int emu_board_fail(struct emu_board_msg *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * board_layout.c: the address space of a board being parsed. The checks
 * return EMU_OK or EMU_ERR_BOARD with a message in m.
 */
const struct emu_region *emu_board_region_at(const struct emu_board *b,
                                             uint32_t addr);
const struct emu_region *emu_board_first_ram(const struct emu_board *b);
/* Name of what occupies [addr, addr + len) already, or NULL. */
const char *emu_board_taken(const struct emu_board *b, uint64_t addr,
                            uint64_t len, int with_input);
/* regions[i] against the regions before it: names, overlaps. */
int emu_board_check_region(struct emu_board_msg *m, const struct emu_board *b,
                           unsigned i);
/* Sets input_map; the input area and its guard must be free. */
int emu_board_place_input(struct emu_board_msg *m, struct emu_board *b);
int emu_board_check_null_page(struct emu_board_msg *m,
                              const struct emu_board *b);
int emu_board_add_shadow(struct emu_board_msg *m, struct emu_board *b,
                         int64_t addr, int64_t len, const char *what);
/* The shadow of the regions and the input area (after placing the input). */
int emu_board_shadow_all(struct emu_board_msg *m, struct emu_board *b);
/* Checks b->sentinel when given, else picks a free page for it. */
int emu_board_choose_sentinel(struct emu_board_msg *m, struct emu_board *b,
                              int given);

/* mem.c */
int emu_mem_map_all(struct emu *e);
void emu_mem_unmap_all(struct emu *e);
struct emu_map *emu_mem_find(struct emu *e, uint32_t addr);
uint8_t *emu_mem_host(struct emu *e, uint32_t addr, uint32_t len);
int emu_mem_read(struct emu *e, uint32_t addr, void *out, uint32_t len);
void emu_mem_zero_images(struct emu *e);
int emu_mem_snapshot(struct emu *e);
void emu_mem_restore(struct emu *e);
void emu_mem_mark_dirty(struct emu *e, uint32_t addr, uint32_t len);
int emu_mem_store_trap(struct emu *e, uint64_t first, uint64_t last,
                       uint32_t *vaddr);
uint32_t emu_mem_place_input(struct emu *e, const uint8_t *input, size_t len);
/* Every RAM map's bytes, one after the other (glitch.c: RAM at reset);
 * loading them back forgets the dirty pages. */
size_t emu_mem_ram_size(const struct emu *e);
void emu_mem_ram_save(const struct emu *e, uint8_t *to);
void emu_mem_ram_load(struct emu *e, const uint8_t *from);

/* oracle.c */
int emu_oracle_install(struct emu *e);
void emu_oracle_free(struct emu *e);
void emu_oracle_run_reset(struct emu *e);
void emu_oracle_first_run(struct emu *e, const uint8_t *input, size_t len);
void emu_oracle_block(struct emu *e, uint32_t a);
void emu_oracle_uart(struct emu *e, uint8_t byte);
int emu_oracle_after(struct emu *e, const uint8_t *input, size_t len,
                     struct emu_result *res);
/* run.c: the input run again from the snapshot (no exact PC, no oracle
 * re-runs): for the oracles' re-runs. */
int emu_run_again(struct emu *e, const uint8_t *input, size_t len,
                  struct emu_result *res);

/* elf.c */
void emu_image_free(struct emu_image *img);
const struct emu_sym *emu_sym_by_name(const struct emu *e, const char *name);
const struct emu_sym *emu_sym_at(const struct emu *e, uint32_t addr,
                                 enum emu_sym_type type);
const char *emu_sym_name(const struct emu *e, const struct emu_sym *s);
int emu_addr_is_code(const struct emu *e, uint32_t addr);

/* dwarf.c */
int emu_dwarf_open(struct emu *e);
void emu_dwarf_close(struct emu_image *img);
int emu_dwarf_line(struct emu *e, uint32_t addr, const char **file, int *line);
const char *emu_dwarf_cu_name(struct emu *e, uint32_t addr);

/* linecov.c: adds one entered block (the block hook). */
struct emu_blocks;
void emu_blocks_add(struct emu_blocks *b, uint32_t addr, uint32_t size);
void emu_blocks_each(const struct emu_blocks *b,
                     void (*fn)(void *ctx, uint32_t addr, uint32_t size,
                                uint64_t count),
                     void *ctx);
/* rangecov.c: emu_write_lcov's tracefile over address ranges, for an
 * image without DWARF. */
int emu_write_range_lcov(struct emu *e, const struct emu_blocks *b,
                         const char *path, const char *test_name);

/* unwind.c */
/* frames[i] and the SP in that frame, sps[i] (0 when unknown). */
unsigned emu_unwind(struct emu *e, const uint32_t regs[17], int at_entry,
                    uint32_t *frames, uint32_t *sps, unsigned max);
int emu_unwind_is_return(struct emu *e, uint32_t addr);

/* faults.c */
int emu_faults_install(struct emu *e);
int emu_faults_remove(struct emu *e);
void emu_fault_from_error(struct emu *e, uc_err err);
enum emu_fault emu_fault_access(struct emu *e, int type, uint32_t addr,
                                uint32_t size, uint32_t sp);
int emu_fault_is_runtime(struct emu *e, uint32_t addr);
const char *emu_fault_asan_kind(uint32_t shadow_byte);
const char *emu_fault_stop_name(int idx);
void emu_fault_finish(struct emu *e, struct emu_result *res);

/* ucfix.c: the store path of Unicorn 2.0.1, dirty pages without a hook */
void emu_ucfix_init(void);
int emu_ucfix_active(void);
unsigned long emu_ucfix_traps(void);
uint64_t emu_ucfix_ram_addr(struct emu *e, void *host);
void emu_ucfix_enter(struct emu *e);
void emu_ucfix_leave(void);
void emu_ucfix_rearm(struct emu *e, uint32_t vaddr);
void emu_ucfix_rearm_all(struct emu *e);

/* spscan.c */
int emu_spscan(struct emu *e);
int emu_spscan_block(const struct emu *e, uint32_t addr, uint32_t size);

/* describe.c */
void emu_describe_close(struct emu *e);

/*
 * run.c. emu_run in pieces, for the GDB stub: emu_run_begin restores the
 * snapshot, places the input (*len truncated to the board's maximum) and
 * sets up the call (errors as emu_run); emu_run_resume runs from pc (count
 * instructions, 0 = no limit) until a hook stops it or the entry returns;
 * emu_run_end turns what ended the run into the verdict in res (or an
 * error, res then zeroed). A data fault's PC is the start of its block
 * unless emu_run_exact_pc gives the instruction's.
 */
int emu_run_begin(struct emu *e, const uint8_t *input, size_t *len,
                  struct emu_result *res);
uc_err emu_run_resume(struct emu *e, uint32_t pc, uint64_t count);
int emu_run_end(struct emu *e, uc_err err, struct emu_result *res);
int emu_run_needs_exact_pc(const struct emu *e, const struct emu_result *res);
void emu_run_exact_pc(struct emu *e, struct emu_result *res, uint32_t pc);
int emu_parse_address(const char *s, uint32_t *out);
void emu_run_stop(struct emu *e, enum emu_stop stop, enum emu_fault fault,
                  uint32_t pc, uint32_t addr, uint32_t size, int is_write);
void emu_run_abort(struct emu *e, const char *what, uc_err err);
int emu_capture_regs(struct emu *e, uint32_t regs[17]);
void emu_hook_block(uc_engine *uc, uint64_t address, uint32_t size, void *user);
void emu_hook_write(uc_engine *uc, uc_mem_type type, uint64_t address, int size,
                    int64_t value, void *user);

/* Unicorn ids of struct emu_result.regs (r0-r12, sp, lr, pc, xpsr): the
 * registers a run reports and the GDB stub shows (run.c). */
extern const int emu_reg_ids[17];

#endif
