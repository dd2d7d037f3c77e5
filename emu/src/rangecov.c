/*
 * Coverage of an image without DWARF (a supplier's HEX file, a stripped
 * ELF): an lcov tracefile over address ranges instead of source lines.
 * Its "source file", IMAGE.ranges, is written beside the tracefile, one
 * line per range
 * of EMU_RANGE_SIZE bytes of loaded code, naming the functions the
 * symbols put there; genhtml shows it like any source file, each line
 * with the runs of the blocks that start in its range. Functions from
 * the symbol table, when there is one, are FN/FNDA records.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/linecov.h"
#include "internal.h"

#define EMU_RANGE_SIZE  256u
#define EMU_RANGE_LIMIT (1u << 20) /* lines: 256 MiB of code at most */

struct range_cov {
    uint32_t base;   /* first byte of range 0 */
    uint32_t nlines; /* ranges */
    uint64_t *count; /* the highest block count per range, +1 when code */
    struct emu *e;
};

/* The loaded code in executable regions: the image's executable ranges,
 * or its loaded bytes (a HEX file says nothing about what is code). */
static int code_span(struct emu *e, uint32_t *lo, uint32_t *hi)
{
    const struct emu_range *v = e->img.ncode > 0 ? e->img.code : e->img.loaded;
    unsigned i, n = e->img.ncode > 0 ? e->img.ncode : e->img.nloaded;

    *lo = UINT32_MAX;
    *hi = 0;
    for (i = 0; i < n; i++) {
        const struct emu_region *r = emu_board_region_at(e->board, v[i].base);

        if (r == NULL || !(r->perm & UC_PROT_EXEC))
            continue;
        if (v[i].base < *lo)
            *lo = v[i].base;
        if (v[i].base + v[i].size > *hi)
            *hi = v[i].base + v[i].size;
    }
    return *lo < *hi ? 0 : -1;
}

static void add_block(void *ctx, uint32_t addr, uint32_t size, uint64_t n)
{
    struct range_cov *rc = ctx;
    uint32_t line = (addr - rc->base) / EMU_RANGE_SIZE;

    (void)size;
    if (addr < rc->base || line >= rc->nlines)
        return;
    if (n + 1 > rc->count[line])
        rc->count[line] = n + 1;
}

/* The functions whose code starts or lies in [lo, lo + EMU_RANGE_SIZE). */
static void put_names(FILE *f, struct emu *e, uint32_t lo)
{
    const char *sep = "  ";
    size_t i;
    int n = 0;

    for (i = 0; i < e->img.nsyms && n < 4; i++) {
        const struct emu_sym *s = &e->img.syms[i];
        uint32_t a = s->addr & ~1u, end = a + (s->size ? s->size : 2);

        if (s->type != EMU_SYM_FUNC || end <= lo || a >= lo + EMU_RANGE_SIZE)
            continue;
        fprintf(f, "%s%s", sep, emu_sym_name(e, s));
        sep = ", ";
        n++;
    }
}

static int write_both(struct range_cov *rc, FILE *src, FILE *info,
                      const char *src_path, const char *test_name)
{
    struct emu *e = rc->e;
    unsigned lines_hit = 0, funcs = 0, funcs_hit = 0;
    uint32_t i;
    size_t k;

    fprintf(info, "TN:%s\nSF:%s\n", test_name, src_path);
    for (k = 0; k < e->img.nsyms; k++) {
        const struct emu_sym *s = &e->img.syms[k];
        uint32_t a = (s->addr & ~1u) - rc->base;

        if (s->type != EMU_SYM_FUNC || (s->addr & ~1u) < rc->base ||
            a / EMU_RANGE_SIZE >= rc->nlines)
            continue;
        fprintf(info, "FN:%" PRIu32 ",%s\n", a / EMU_RANGE_SIZE + 1,
                emu_sym_name(e, s));
    }
    for (k = 0; k < e->img.nsyms; k++) {
        const struct emu_sym *s = &e->img.syms[k];
        uint32_t a = (s->addr & ~1u) - rc->base, j, last;
        uint64_t best = 0;

        if (s->type != EMU_SYM_FUNC || (s->addr & ~1u) < rc->base ||
            a / EMU_RANGE_SIZE >= rc->nlines)
            continue;
        last = (a + (s->size ? s->size - 1 : 0)) / EMU_RANGE_SIZE;
        for (j = a / EMU_RANGE_SIZE; j <= last && j < rc->nlines; j++)
            if (rc->count[j] > best)
                best = rc->count[j];
        funcs++;
        funcs_hit += best > 1;
        fprintf(info, "FNDA:%" PRIu64 ",%s\n", best > 0 ? best - 1 : 0,
                emu_sym_name(e, s));
    }
    if (funcs > 0)
        fprintf(info, "FNF:%u\nFNH:%u\n", funcs, funcs_hit);
    for (i = 0; i < rc->nlines; i++) {
        uint32_t lo = rc->base + i * EMU_RANGE_SIZE;
        uint64_t n = rc->count[i] > 0 ? rc->count[i] - 1 : 0;

        fprintf(src, "0x%08" PRIx32 "-0x%08" PRIx32, lo,
                lo + EMU_RANGE_SIZE - 1);
        put_names(src, e, lo);
        fputc('\n', src);
        fprintf(info, "DA:%" PRIu32 ",%" PRIu64 "\n", i + 1, n);
        lines_hit += n > 0;
    }
    fprintf(info, "LF:%" PRIu32 "\nLH:%u\nend_of_record\n", rc->nlines,
            lines_hit);
    return ferror(src) || ferror(info) ? -1 : 0;
}

/* Writes to a temporary name, then renames: never half a file. */
static FILE *open_tmp(struct emu *e, const char *path, char **tmp)
{
    FILE *f;

    *tmp = malloc(strlen(path) + 32);
    if (*tmp == NULL)
        return NULL;
    sprintf(*tmp, "%s.tmp.%ld", path, (long)getpid());
    f = fopen(*tmp, "w");
    if (f == NULL)
        emu_error(e, "coverage: cannot create %s: %s", *tmp, strerror(errno));
    return f;
}

static int close_rename(struct emu *e, FILE *f, const char *tmp,
                        const char *path)
{
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        fclose(f);
        return emu_fail(e, EMU_ERR_IO, "coverage: writing %s: %s", tmp,
                        strerror(errno));
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        return emu_fail(e, EMU_ERR_IO, "coverage: writing %s: %s", path,
                        strerror(errno));
    return EMU_OK;
}

int emu_write_range_lcov(struct emu *e, const struct emu_blocks *b,
                         const char *path, const char *test_name)
{
    struct range_cov rc = {0};
    char *src_path = NULL, *tmp_src = NULL, *tmp_info = NULL;
    FILE *src = NULL, *info = NULL;
    uint32_t lo, hi;
    int rc_ = EMU_ERR_NOMEM;

    if (code_span(e, &lo, &hi) != 0)
        return emu_fail(e, EMU_ERR_STATE, "coverage: no code is loaded");
    rc.e = e;
    rc.base = lo & ~(EMU_RANGE_SIZE - 1);
    rc.nlines = (hi - rc.base + EMU_RANGE_SIZE - 1) / EMU_RANGE_SIZE;
    if (rc.nlines > EMU_RANGE_LIMIT)
        return emu_fail(e, EMU_ERR_IMAGE, "%u MiB of code is too much to show",
                        (unsigned)((hi - lo) >> 20));
    rc.count = calloc(rc.nlines, sizeof(*rc.count));
    /* Beside the tracefile, named after the image: the tracefiles of
     * several batches of inputs name the same "source". */
    src_path = malloc(strlen(path) + sizeof(e->img.file_name) + 16);
    if (rc.count == NULL || src_path == NULL)
        goto out;
    {
        const char *slash = strrchr(path, '/');
        int dir = slash != NULL ? (int)(slash - path) + 1 : 0;

        sprintf(src_path, "%.*s%s.ranges", dir, path,
                e->img.file_name[0] ? e->img.file_name : "image");
    }
    emu_blocks_each(b, add_block, &rc);
    src = open_tmp(e, src_path, &tmp_src);
    info = src != NULL ? open_tmp(e, path, &tmp_info) : NULL;
    if (src == NULL || info == NULL) {
        rc_ = tmp_src == NULL || tmp_info == NULL ? EMU_ERR_NOMEM : EMU_ERR_IO;
        goto out;
    }
    if (write_both(&rc, src, info, src_path, test_name) != 0) {
        rc_ = emu_fail(e, EMU_ERR_IO, "coverage: writing %s", path);
        goto out;
    }
    rc_ = close_rename(e, src, tmp_src, src_path);
    src = NULL;
    if (rc_ == EMU_OK)
        rc_ = close_rename(e, info, tmp_info, path);
    info = NULL;
out:
    if (src != NULL)
        fclose(src);
    if (info != NULL)
        fclose(info);
    if (rc_ != EMU_OK) {
        if (tmp_src != NULL)
            unlink(tmp_src);
        if (tmp_info != NULL)
            unlink(tmp_info);
    }
    if (rc_ == EMU_ERR_NOMEM)
        emu_error(e, "coverage: out of memory");
    free(tmp_src);
    free(tmp_info);
    free(src_path);
    free(rc.count);
    return rc_;
}
