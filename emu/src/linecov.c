/* Executed guest blocks, and the lcov tracefile made of them with the
 * image's DWARF line table and subprogram ranges. */
#define _POSIX_C_SOURCE 200809L
#include "emu/linecov.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dwarf.h>
#include <elfutils/libdw.h>

#include "internal.h"

/* A corrupt image must not make the walk run away. */
#define LINECOV_CU_LIMIT    100000
#define LINECOV_DEPTH_LIMIT 64
#define LINECOV_LINE_LIMIT  10000000

/* Open addressing: key (addr, size), both never 0 together (a block has a
 * size). */
struct block_slot {
    uint32_t addr;
    uint32_t size;
    uint64_t count;
};

struct emu_blocks {
    struct block_slot *slots;
    size_t cap; /* a power of two */
    size_t n;
    int lost; /* an insertion failed for memory */
};

int emu_blocks_new(struct emu_blocks **out)
{
    struct emu_blocks *b;

    if (out == NULL)
        return EMU_ERR_ARG;
    *out = NULL;
    b = calloc(1, sizeof(*b));
    if (b == NULL)
        return EMU_ERR_NOMEM;
    b->cap = 1024;
    b->slots = calloc(b->cap, sizeof(*b->slots));
    if (b->slots == NULL) {
        free(b);
        return EMU_ERR_NOMEM;
    }
    *out = b;
    return EMU_OK;
}

void emu_blocks_free(struct emu_blocks *b)
{
    if (b == NULL)
        return;
    free(b->slots);
    free(b);
}

size_t emu_blocks_count(const struct emu_blocks *b)
{
    return b != NULL ? b->n : 0;
}

static size_t slot_of(const struct emu_blocks *b, uint32_t addr, uint32_t size)
{
    uint32_t h = (addr >> 1) * 0x9E3779B1u ^ size * 0x85EBCA6Bu;
    size_t i = h & (b->cap - 1);

    while (b->slots[i].size != 0 &&
           (b->slots[i].addr != addr || b->slots[i].size != size))
        i = (i + 1) & (b->cap - 1);
    return i;
}

static int grow(struct emu_blocks *b)
{
    struct emu_blocks nb = *b;
    size_t i;

    nb.cap = b->cap * 2;
    nb.slots = calloc(nb.cap, sizeof(*nb.slots));
    if (nb.slots == NULL)
        return -1;
    for (i = 0; i < b->cap; i++)
        if (b->slots[i].size != 0)
            nb.slots[slot_of(&nb, b->slots[i].addr, b->slots[i].size)] =
                b->slots[i];
    free(b->slots);
    *b = nb;
    return 0;
}

/* Called by the block hook (run.c): must not fail the run. */
void emu_blocks_add(struct emu_blocks *b, uint32_t addr, uint32_t size)
{
    size_t i;

    if (size == 0)
        return;
    i = slot_of(b, addr, size);
    if (b->slots[i].size == 0) {
        if ((b->n + 1) * 2 > b->cap) {
            if (grow(b) != 0) {
                b->lost = 1;
                return;
            }
            i = slot_of(b, addr, size);
        }
        b->slots[i].addr = addr;
        b->slots[i].size = size;
        b->n++;
    }
    b->slots[i].count++;
}

int emu_record_blocks(struct emu *e, struct emu_blocks *b)
{
    if (e == NULL)
        return EMU_ERR_ARG;
    e->cov.blocks = b;
    return EMU_OK;
}

/* The executed blocks sorted by address, for range queries. */
struct ranges {
    struct block_slot *v;
    size_t n;
    uint32_t max_size;
};

static int cmp_slot(const void *a, const void *b)
{
    const struct block_slot *x = a, *y = b;

    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->size < y->size ? -1 : x->size > y->size;
}

static int ranges_make(const struct emu_blocks *b, struct ranges *r)
{
    size_t i;

    memset(r, 0, sizeof(*r));
    r->v = malloc((b->n > 0 ? b->n : 1) * sizeof(*r->v));
    if (r->v == NULL)
        return -1;
    for (i = 0; i < b->cap; i++) {
        if (b->slots[i].size == 0)
            continue;
        r->v[r->n++] = b->slots[i];
        if (b->slots[i].size > r->max_size)
            r->max_size = b->slots[i].size;
    }
    qsort(r->v, r->n, sizeof(*r->v), cmp_slot);
    return 0;
}

/* Highest run count of a block overlapping [lo, hi); 0 if none. */
static uint64_t ranges_count(const struct ranges *r, uint64_t lo, uint64_t hi)
{
    size_t a = 0, z = r->n;
    uint64_t best = 0;

    /* first block starting at or after hi */
    while (a < z) {
        size_t m = a + (z - a) / 2;

        if (r->v[m].addr < hi)
            a = m + 1;
        else
            z = m;
    }
    /* blocks starting before hi; none starting before lo - max_size can
     * reach lo */
    while (a > 0 && (uint64_t)r->v[a - 1].addr + r->max_size > lo) {
        const struct block_slot *s = &r->v[--a];

        if ((uint64_t)s->addr + s->size > lo && s->count > best)
            best = s->count;
    }
    return best;
}

/* One line-table row or one function, before sorting and merging. */
struct cov_line {
    const char *file; /* libdw's, valid while the Dwarf is open */
    int line;
    uint64_t count;
};

struct cov_func {
    const char *file;
    const char *name;
    int line;
    uint64_t count;
};

struct collect {
    struct emu *e;
    const struct ranges *r;
    struct cov_line *lines;
    size_t nlines, caplines;
    struct cov_func *funcs;
    size_t nfuncs, capfuncs;
    int nomem;
};

static void *grow_array(void *v, size_t *cap, size_t n, size_t elem)
{
    size_t c;
    void *nv;

    if (n < *cap)
        return v;
    c = *cap != 0 ? *cap * 2 : 256;
    nv = realloc(v, c * elem);
    if (nv != NULL)
        *cap = c;
    return nv;
}

static void add_line(struct collect *c, const char *file, int line,
                     uint64_t count)
{
    struct cov_line *v;

    v = grow_array(c->lines, &c->caplines, c->nlines, sizeof(*v));
    if (v == NULL) {
        c->nomem = 1;
        return;
    }
    c->lines = v;
    v[c->nlines].file = file;
    v[c->nlines].line = line;
    v[c->nlines].count = count;
    c->nlines++;
}

static void add_func(struct collect *c, const char *file, const char *name,
                     int line, uint64_t count)
{
    struct cov_func *v;

    v = grow_array(c->funcs, &c->capfuncs, c->nfuncs, sizeof(*v));
    if (v == NULL) {
        c->nomem = 1;
        return;
    }
    c->funcs = v;
    v[c->nfuncs].file = file;
    v[c->nfuncs].name = name;
    v[c->nfuncs].line = line;
    v[c->nfuncs].count = count;
    c->nfuncs++;
}

/*
 * Each row of a unit's line table covers the addresses up to the next
 * row's; rows outside loaded code (sections the linker dropped keep their
 * rows, at address 0 or wherever) are not part of the image.
 */
static void collect_lines(struct collect *c, Dwarf_Die *cu)
{
    Dwarf_Lines *lines;
    size_t n, i;

    if (dwarf_getsrclines(cu, &lines, &n) != 0)
        return;
    for (i = 0; i + 1 < n; i++) {
        Dwarf_Line *l = dwarf_onesrcline(lines, i);
        Dwarf_Line *next = dwarf_onesrcline(lines, i + 1);
        Dwarf_Addr lo, hi;
        bool end;
        const char *file;
        int line;

        if (l == NULL || next == NULL || dwarf_lineendsequence(l, &end) != 0 ||
            end || dwarf_lineaddr(l, &lo) != 0 ||
            dwarf_lineaddr(next, &hi) != 0 || hi <= lo || lo > UINT32_MAX ||
            !emu_addr_is_code(c->e, (uint32_t)lo))
            continue;
        file = dwarf_linesrc(l, NULL, NULL);
        if (file == NULL || dwarf_lineno(l, &line) != 0 || line <= 0 ||
            line > LINECOV_LINE_LIMIT)
            continue;
        add_line(c, file, line, ranges_count(c->r, lo, hi));
    }
}

/* A subprogram or an inlined instance with code in the image. */
static void collect_func(struct collect *c, Dwarf_Die *die)
{
    Dwarf_Addr base, lo, hi;
    Dwarf_Attribute attr;
    ptrdiff_t off = 0;
    const char *name, *file;
    uint64_t count = 0, k;
    int present = 0, line = 0;
    unsigned n = 0;

    while (n++ < 4096 && (off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0) {
        if (hi <= lo || lo > UINT32_MAX ||
            !emu_addr_is_code(c->e, (uint32_t)lo))
            continue;
        present = 1;
        k = ranges_count(c->r, lo, hi);
        if (k > count)
            count = k;
    }
    if (!present)
        return;
    name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &attr));
    file = dwarf_decl_file(die);
    if (name == NULL || file == NULL || dwarf_decl_line(die, &line) != 0 ||
        line <= 0 || line > LINECOV_LINE_LIMIT)
        return;
    add_func(c, file, name, line, count);
}

static void walk_dies(struct collect *c, Dwarf_Die *parent, int depth)
{
    Dwarf_Die child;

    if (depth > LINECOV_DEPTH_LIMIT || dwarf_child(parent, &child) != 0)
        return;
    do {
        int tag = dwarf_tag(&child);

        if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine)
            collect_func(c, &child);
        if (dwarf_haschildren(&child) > 0)
            walk_dies(c, &child, depth + 1);
    } while (dwarf_siblingof(&child, &child) == 0);
}

static int cmp_line(const void *a, const void *b)
{
    const struct cov_line *x = a, *y = b;
    int d = strcmp(x->file, y->file);

    if (d != 0)
        return d;
    return (x->line > y->line) - (x->line < y->line);
}

static int cmp_func(const void *a, const void *b)
{
    const struct cov_func *x = a, *y = b;
    int d = strcmp(x->file, y->file);

    if (d == 0)
        d = (x->line > y->line) - (x->line < y->line);
    if (d == 0)
        d = strcmp(x->name, y->name);
    return d;
}

/* Rows of the same line (or the same function) become one, the highest
 * count kept. */
static size_t merge_lines(struct cov_line *v, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        if (k > 0 && cmp_line(&v[k - 1], &v[i]) == 0) {
            if (v[i].count > v[k - 1].count)
                v[k - 1].count = v[i].count;
            continue;
        }
        v[k++] = v[i];
    }
    return k;
}

static size_t merge_funcs(struct cov_func *v, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        if (k > 0 && cmp_func(&v[k - 1], &v[i]) == 0) {
            if (v[i].count > v[k - 1].count)
                v[k - 1].count = v[i].count;
            continue;
        }
        v[k++] = v[i];
    }
    return k;
}

/* One SF record per file, files in name order. */
static int write_records(FILE *f, const struct collect *c, const char *tn)
{
    size_t li = 0, fi = 0;

    while (li < c->nlines || fi < c->nfuncs) {
        const char *file;
        size_t f0 = fi, nf = 0, nfh = 0, nl = 0, nlh = 0;

        if (li < c->nlines &&
            (fi >= c->nfuncs ||
             strcmp(c->lines[li].file, c->funcs[fi].file) <= 0))
            file = c->lines[li].file;
        else
            file = c->funcs[fi].file;
        fprintf(f, "TN:%s\nSF:%s\n", tn, file);
        for (; fi < c->nfuncs && strcmp(c->funcs[fi].file, file) == 0; fi++)
            fprintf(f, "FN:%d,%s\n", c->funcs[fi].line, c->funcs[fi].name);
        for (; f0 < fi; f0++) {
            fprintf(f, "FNDA:%llu,%s\n", (unsigned long long)c->funcs[f0].count,
                    c->funcs[f0].name);
            nf++;
            nfh += c->funcs[f0].count > 0;
        }
        fprintf(f, "FNF:%zu\nFNH:%zu\n", nf, nfh);
        for (; li < c->nlines && strcmp(c->lines[li].file, file) == 0; li++) {
            fprintf(f, "DA:%d,%llu\n", c->lines[li].line,
                    (unsigned long long)c->lines[li].count);
            nl++;
            nlh += c->lines[li].count > 0;
        }
        fprintf(f, "LF:%zu\nLH:%zu\nend_of_record\n", nl, nlh);
    }
    return ferror(f) ? -1 : 0;
}

void emu_blocks_each(const struct emu_blocks *b,
                     void (*fn)(void *ctx, uint32_t addr, uint32_t size,
                                uint64_t count),
                     void *ctx)
{
    size_t i;

    for (i = 0; i < b->cap; i++)
        if (b->slots[i].size != 0)
            fn(ctx, b->slots[i].addr, b->slots[i].size, b->slots[i].count);
}

int emu_write_lcov(struct emu *e, const struct emu_blocks *b, const char *path,
                   const char *test_name)
{
    struct collect c;
    struct ranges r;
    Dwarf *dw;
    Dwarf_Off off = 0, next;
    size_t hsize;
    unsigned ncu = 0;
    char *tmp = NULL;
    FILE *f = NULL;
    int rc;

    if (e == NULL || b == NULL || path == NULL)
        return EMU_ERR_ARG;
    if (b->lost)
        return emu_fail(e, EMU_ERR_NOMEM,
                        "coverage: blocks were lost (out of memory)");
    dw = e->img.have_elf ? e->img.dwarf : NULL;
    if (dw == NULL) /* a HEX file, a raw binary, an ELF built without -g */
        return emu_write_range_lcov(e, b, path, test_name);
    memset(&c, 0, sizeof(c));
    if (ranges_make(b, &r) != 0)
        return emu_fail(e, EMU_ERR_NOMEM, "coverage: out of memory");
    c.e = e;
    c.r = &r;
    while (ncu++ < LINECOV_CU_LIMIT &&
           dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
        Dwarf_Die cu;

        if (dwarf_offdie(dw, off + hsize, &cu) != NULL) {
            collect_lines(&c, &cu);
            walk_dies(&c, &cu, 0);
        }
        if (next <= off)
            break;
        off = next;
    }
    if (c.nomem) {
        rc = emu_fail(e, EMU_ERR_NOMEM, "coverage: out of memory");
        goto out;
    }
    if (c.nlines == 0) {
        rc = emu_fail(e, EMU_ERR_SYMBOL,
                      "coverage: no line table rows in the image's code");
        goto out;
    }
    qsort(c.lines, c.nlines, sizeof(*c.lines), cmp_line);
    if (c.nfuncs > 0)
        qsort(c.funcs, c.nfuncs, sizeof(*c.funcs), cmp_func);
    c.nlines = merge_lines(c.lines, c.nlines);
    c.nfuncs = merge_funcs(c.funcs, c.nfuncs);

    tmp = malloc(strlen(path) + 32);
    if (tmp == NULL) {
        rc = emu_fail(e, EMU_ERR_NOMEM, "coverage: out of memory");
        goto out;
    }
    sprintf(tmp, "%s.tmp.%ld", path, (long)getpid());
    f = fopen(tmp, "w");
    if (f == NULL) {
        rc = emu_fail(e, EMU_ERR_IO, "coverage: cannot create %s: %s", tmp,
                      strerror(errno));
        goto out;
    }
    if (write_records(f, &c, test_name != NULL ? test_name : "") != 0 ||
        fflush(f) != 0 || fsync(fileno(f)) != 0) {
        rc = emu_fail(e, EMU_ERR_IO, "coverage: writing %s: %s", tmp,
                      strerror(errno));
        goto out;
    }
    if (fclose(f) != 0) {
        f = NULL;
        rc = emu_fail(e, EMU_ERR_IO, "coverage: writing %s: %s", tmp,
                      strerror(errno));
        goto out;
    }
    f = NULL;
    if (rename(tmp, path) != 0) {
        rc = emu_fail(e, EMU_ERR_IO, "coverage: renaming %s to %s: %s", tmp,
                      path, strerror(errno));
        goto out;
    }
    rc = EMU_OK;
out:
    if (f != NULL)
        fclose(f);
    if (rc != EMU_OK && tmp != NULL)
        unlink(tmp);
    free(tmp);
    free(c.lines);
    free(c.funcs);
    free(r.v);
    return rc;
}
