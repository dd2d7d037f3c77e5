/* The handle: open, close, reset, error messages. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Why the last emu_open of this thread failed (there is no handle then). */
static _Thread_local char open_error[512];

void emu_error(struct emu *e, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(e->err, sizeof(e->err), fmt, ap);
    va_end(ap);
}

int emu_fail(struct emu *e, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(e->err, sizeof(e->err), fmt, ap);
    va_end(ap);
    return code;
}

const char *emu_strerror(int err)
{
    switch (err) {
    case EMU_OK:
        return "success";
    case EMU_ERR_ARG:
        return "invalid argument";
    case EMU_ERR_NOMEM:
        return "out of memory";
    case EMU_ERR_IO:
        return "file could not be read";
    case EMU_ERR_BOARD:
        return "bad board file";
    case EMU_ERR_ELF:
        return "not a valid 32-bit little-endian ARM ELF file";
    case EMU_ERR_IMAGE:
        return "image does not fit the board";
    case EMU_ERR_SYMBOL:
        return "entry not found or not code";
    case EMU_ERR_UNICORN:
        return "Unicorn refused an operation";
    case EMU_ERR_STATE:
        return "call out of order";
    case EMU_ERR_INIT:
        return "the init function failed";
    case EMU_ERR_RAW_ADDR:
        return "a raw binary needs a load address";
    case EMU_ERR_NO_CHECK:
        return "not a failed FWFUZZ_CHECK";
    default:
        return "unknown error";
    }
}

const char *emu_last_error(const struct emu *e)
{
    return e != NULL ? e->err : open_error;
}

int emu_open(const struct emu_board *board, struct emu **out)
{
    struct emu *e;
    uc_err uerr;
    int rc;

    open_error[0] = '\0';
    if (out == NULL || board == NULL) {
        snprintf(open_error, sizeof(open_error), "emu_open: no %s",
                 board == NULL ? "board" : "handle pointer");
        return EMU_ERR_ARG;
    }
    *out = NULL;
    emu_ucfix_init();
    e = calloc(1, sizeof(*e));
    if (e == NULL) {
        snprintf(open_error, sizeof(open_error), "out of memory");
        return EMU_ERR_NOMEM;
    }
    e->board = board;
    e->budget = board->budget_blocks;
    e->fast.allowed = 1;
    uerr = uc_open(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, &e->uc);
    if (uerr != UC_ERR_OK) {
        snprintf(open_error, sizeof(open_error), "uc_open: %s",
                 uc_strerror(uerr));
        free(e);
        return EMU_ERR_UNICORN;
    }
    uerr = uc_ctl_set_cpu_model(e->uc, board->cpu_model);
    if (uerr != UC_ERR_OK) {
        snprintf(open_error, sizeof(open_error), "cpu model %s: %s",
                 board->cpu_name, uc_strerror(uerr));
        uc_close(e->uc);
        free(e);
        return EMU_ERR_UNICORN;
    }
    uerr = uc_context_alloc(e->uc, &e->ctx0);
    if (uerr == UC_ERR_OK)
        uerr = uc_context_save(e->uc, e->ctx0);
    if (uerr != UC_ERR_OK) {
        snprintf(open_error, sizeof(open_error), "saving the CPU state: %s",
                 uc_strerror(uerr));
        emu_close(e);
        return EMU_ERR_UNICORN;
    }
    rc = board->image.whole ? emu_periph_open(e) : EMU_OK;
    if (rc == EMU_OK)
        rc = emu_mem_map_all(e);
    if (rc != EMU_OK) {
        snprintf(open_error, sizeof(open_error), "%s", e->err);
        emu_close(e);
        return rc;
    }
    *out = e;
    return EMU_OK;
}

void emu_close(struct emu *e)
{
    if (e == NULL)
        return;
    /* Closing anyway: uc_close frees what a failed delete left. */
    (void)emu_faults_remove(e);
    if (e->ctx != NULL)
        uc_context_free(e->ctx);
    if (e->ctx0 != NULL)
        uc_context_free(e->ctx0);
    if (e->fast.ctx != NULL)
        uc_context_free(e->fast.ctx);
    if (e->uc != NULL)
        uc_close(e->uc);
    emu_mem_unmap_all(e);
    emu_image_free(&e->img);
    emu_describe_close(e);
    emu_whole_close(e);
    emu_periph_close(e);
    emu_oracle_free(e);
    free(e);
}

int emu_reset(struct emu *e)
{
    uc_err uerr;
    unsigned i;

    if (e == NULL)
        return EMU_ERR_ARG;
    e->err[0] = '\0';
    if (e->hooks.installed) {
        int rc = emu_faults_remove(e);

        if (rc != EMU_OK)
            return rc;
        /*
         * Unicorn frees deleted hooks at the end of uc_emu_start: start
         * at the sentinel, which ends the run at once. From the CPU state
         * of open, not the one the last run left (which may hold an
         * exception Unicorn raises again at once: UC_ERR_EXCEPTION).
         */
        uerr = uc_context_restore(e->uc, e->ctx0);
        if (uerr == UC_ERR_OK)
            uerr = uc_emu_start(e->uc, e->board->sentinel | 1u,
                                e->board->sentinel, 0, 0);
        if (uerr != UC_ERR_OK)
            return emu_fail(e, EMU_ERR_UNICORN, "freeing the hooks: %s",
                            uc_strerror(uerr));
    }
    emu_image_free(&e->img);
    emu_mem_zero_images(e);
    /*
     * Code translated from the old image must not run again. Not
     * UC_CTL_TB_FLUSH: in Unicorn 2.0.1 it clears the whole 1 GiB
     * translation buffer (a quarter of a second, and all of it resident).
     */
    uerr = UC_ERR_OK;
    for (i = 0; i < e->mem.nmaps && uerr == UC_ERR_OK; i++) {
        const struct emu_map *m = &e->mem.maps[i];
        const struct emu_region *r = emu_board_region_at(e->board, m->base);

        if (m->host != NULL && (m == e->mem.sentinel_map ||
                                (r != NULL && (r->perm & UC_PROT_EXEC))))
            uerr = uc_ctl_remove_cache(e->uc, m->base,
                                       (uint64_t)m->base + m->size);
    }
    if (uerr == UC_ERR_OK)
        uerr = uc_context_restore(e->uc, e->ctx0);
    if (uerr != UC_ERR_OK)
        return emu_fail(e, EMU_ERR_UNICORN, "flushing translations: %s",
                        uc_strerror(uerr));
    e->state = EMU_STATE_OPEN;
    e->init_done = 0;
    e->prepare_failed = 0;
    e->entry = 0;
    e->entry_name[0] = '\0';
    e->budget = e->board->budget_blocks;
    e->cov.map = NULL;
    e->cov.mask = 0;
    e->cov.blocks = NULL;
    emu_whole_close(e);
    if (e->board->image.whole) {
        /* The models the last boot found belong to the last image. */
        memcpy(e->models, e->board->image.models,
               e->board->image.nmodels * sizeof(e->models[0]));
        e->nmodels = e->board->image.nmodels;
    }
    return EMU_OK;
}

void emu_set_fast(struct emu *e, int allow)
{
    if (e != NULL)
        e->fast.allowed = allow != 0;
}

int emu_fast_stats(const struct emu *e, uint64_t *runs, uint64_t *reruns)
{
    if (runs != NULL)
        *runs = e != NULL ? e->fast.runs : 0;
    if (reruns != NULL)
        *reruns = e != NULL ? e->fast.reruns : 0;
    return e != NULL && e->fast.usable;
}

void emu_set_budget(struct emu *e, uint64_t blocks)
{
    if (e != NULL)
        e->budget = blocks != 0 ? blocks : e->board->budget_blocks;
}

int emu_set_coverage(struct emu *e, uint8_t *map, size_t size)
{
    if (e == NULL)
        return EMU_ERR_ARG;
    if (map == NULL || size == 0) {
        e->cov.map = NULL;
        e->cov.mask = 0;
        return EMU_OK;
    }
    if ((size & (size - 1)) != 0 || size > (1u << 30))
        return emu_fail(e, EMU_ERR_ARG,
                        "coverage map size %zu is not a power of two "
                        "(at most 1 GiB)",
                        size);
    e->cov.map = map;
    e->cov.mask = (uint32_t)(size - 1);
    return EMU_OK;
}

const char *emu_fault_name(enum emu_fault fault)
{
    /* clang-format off */
    static const char *const names[EMU_FAULT_COUNT] = {
        [EMU_FAULT_NONE]            = "none",
        [EMU_FAULT_UNMAPPED_READ]   = "unmapped-read",
        [EMU_FAULT_UNMAPPED_WRITE]  = "unmapped-write",
        [EMU_FAULT_FETCH_OUTSIDE]   = "execution-outside-code",
        [EMU_FAULT_WRITE_FLASH]     = "write-to-flash",
        [EMU_FAULT_INVALID_INSN]    = "invalid-instruction",
        [EMU_FAULT_STACK_OVERFLOW]  = "stack-overflow",
        [EMU_FAULT_INPUT_OVERREAD]  = "input-overread",
        [EMU_FAULT_GLOBAL_OVERFLOW] = "global-buffer-overflow",
        [EMU_FAULT_STACK_BUFFER]    = "stack-buffer-overflow",
        [EMU_FAULT_HEAP_OVERFLOW]   = "heap-buffer-overflow",
        [EMU_FAULT_USE_AFTER_FREE]  = "heap-use-after-free",
        [EMU_FAULT_BAD_FREE]        = "bad-free",
        [EMU_FAULT_STACK_PROTECTOR] = "stack-protector",
        [EMU_FAULT_NULL_DEREF]      = "null-deref",
        [EMU_FAULT_ABORT]           = "abort",
        [EMU_FAULT_BKPT]            = "breakpoint",
        [EMU_FAULT_HARDFAULT]       = "hardfault",
        [EMU_FAULT_ORACLE]          = "oracle",
    };
    /* clang-format on */

    if ((unsigned)fault >= EMU_FAULT_COUNT)
        return "unknown";
    return names[fault];
}
