/* Intel HEX: the parser (emu/ihex.h) and the loader that maps its data
 * into the board's memory as raw binaries, one per contiguous run. */
#define _POSIX_C_SOURCE 200809L
#include "emu/ihex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum ihex_type {
    IHEX_DATA = 0x00,          /* data at offset                  */
    IHEX_EOF = 0x01,           /* end of file                     */
    IHEX_EXT_SEGMENT = 0x02,   /* base = value * 16               */
    IHEX_START_SEGMENT = 0x03, /* CS:IP                          */
    IHEX_EXT_LINEAR = 0x04,    /* base = value << 16              */
    IHEX_START_LINEAR = 0x05,  /* EIP                             */
};

int emu_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

int emu_ihex_detect(const uint8_t *buf, size_t len)
{
    size_t i = 0;

    while (i < len && is_space(buf[i]))
        i++;
    return i + 1 < len && buf[i] == ':' && emu_hex_digit(buf[i + 1]) >= 0;
}

/* Decodes one record line (without its line end) into rec; n bytes. */
static int decode_line(const uint8_t *line, size_t n, uint8_t *rec,
                       size_t *nrec, char *why, size_t whylen)
{
    size_t i, k;

    /* trailing blanks are tolerated, as editors leave them */
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    if (line[0] != ':') {
        snprintf(why, whylen, "does not start with ':'");
        return -1;
    }
    if (n > EMU_IHEX_MAX_LINE) {
        snprintf(why, whylen, "longer than a record can be (%d characters)",
                 EMU_IHEX_MAX_LINE);
        return -1;
    }
    if ((n - 1) % 2 != 0) {
        snprintf(why, whylen, "odd number of hex digits");
        return -1;
    }
    for (i = 1, k = 0; i < n; i += 2, k++) {
        int hi = emu_hex_digit(line[i]), lo = emu_hex_digit(line[i + 1]);

        if (hi < 0 || lo < 0) {
            snprintf(why, whylen, "'%c' is not a hex digit",
                     hi < 0 ? line[i] : line[i + 1]);
            return -1;
        }
        rec[k] = (uint8_t)(hi * 16 + lo);
    }
    *nrec = k;
    return 0;
}

int emu_ihex_parse(const uint8_t *text, size_t len, emu_ihex_data_fn *fn,
                   void *ctx, struct emu_ihex_info *info, char *err,
                   size_t errlen)
{
    struct emu_ihex_info in;
    uint8_t rec[EMU_IHEX_MAX_LINE / 2 + 1];
    uint32_t base = 0;
    int ended = 0;
    unsigned lineno = 0;
    size_t pos = 0;
    char why[160];

    memset(&in, 0, sizeof(in));
    while (pos < len) {
        size_t end = pos, n, nrec, count, i;
        unsigned sum = 0;
        uint32_t offset, addr;
        uint8_t type;

        while (end < len && text[end] != '\n')
            end++;
        lineno++;
        n = end - pos;
        if (n > 0 && text[pos + n - 1] == '\r')
            n--;
        for (i = 0; i < n && is_space(text[pos + i]); i++)
            ;
        if (i == n) { /* blank line */
            pos = end + 1;
            continue;
        }
        if (ended) {
            snprintf(why, sizeof(why), "data after the end-of-file record");
            goto fail;
        }
        if (decode_line(text + pos, n, rec, &nrec, why, sizeof(why)) != 0)
            goto fail;
        if (nrec < 5) {
            snprintf(why, sizeof(why), "too short for a record");
            goto fail;
        }
        count = rec[0];
        if (nrec != count + 5) {
            snprintf(why, sizeof(why),
                     "byte count %zu, but the line holds %zu data bytes", count,
                     nrec - 5);
            goto fail;
        }
        for (i = 0; i < nrec; i++)
            sum += rec[i];
        if ((sum & 0xFF) != 0) {
            snprintf(why, sizeof(why), "checksum 0x%02X, should be 0x%02X",
                     rec[nrec - 1], (unsigned)(-(sum - rec[nrec - 1])) & 0xFF);
            goto fail;
        }
        offset = (uint32_t)rec[1] << 8 | rec[2];
        type = rec[3];
        switch (type) {
        case IHEX_DATA:
            if (count == 0)
                break;
            if (offset + count > 0x10000) {
                snprintf(why, sizeof(why),
                         "data at offset 0x%04X crosses the 64 KiB boundary "
                         "of its segment",
                         (unsigned)offset);
                goto fail;
            }
            /* base <= 0xFFFF0000 and offset + count <= 0x10000: the run
             * ends at 0xFFFFFFFF at the most */
            addr = base + offset;
            in.records++;
            in.bytes += count;
            why[0] = '\0';
            if (fn != NULL &&
                fn(ctx, addr, rec + 4, count, why, sizeof(why)) != 0) {
                if (why[0] == '\0')
                    snprintf(why, sizeof(why), "data at 0x%08X refused",
                             (unsigned)addr);
                goto fail;
            }
            break;
        case IHEX_EOF:
            if (count != 0) {
                snprintf(why, sizeof(why), "end-of-file record with data");
                goto fail;
            }
            ended = 1;
            break;
        case IHEX_EXT_SEGMENT:
        case IHEX_EXT_LINEAR:
            if (count != 2) {
                snprintf(why, sizeof(why),
                         "extended address record of %zu bytes (2 expected)",
                         count);
                goto fail;
            }
            base = ((uint32_t)rec[4] << 8 | rec[5])
                   << (type == IHEX_EXT_SEGMENT ? 4 : 16);
            break;
        case IHEX_START_SEGMENT:
        case IHEX_START_LINEAR:
            if (count != 4) {
                snprintf(why, sizeof(why),
                         "start address record of %zu bytes (4 expected)",
                         count);
                goto fail;
            }
            in.has_start = 1;
            if (type == IHEX_START_LINEAR)
                in.start = (uint32_t)rec[4] << 24 | (uint32_t)rec[5] << 16 |
                           (uint32_t)rec[6] << 8 | rec[7];
            else
                in.start = ((uint32_t)rec[4] << 8 | rec[5]) * 16u +
                           ((uint32_t)rec[6] << 8 | rec[7]);
            break;
        default:
            snprintf(why, sizeof(why), "unknown record type 0x%02X", type);
            goto fail;
        }
        pos = end + 1;
    }
    if (!ended) {
        snprintf(err, errlen,
                 "no end-of-file record (:00000001FF): "
                 "the file is cut short");
        return -1;
    }
    if (info != NULL)
        *info = in;
    return 0;
fail:
    snprintf(err, errlen, "line %u: %s", lineno, why);
    return -1;
}

/* The contiguous runs of a HEX image, in file order. */
struct ihex_run {
    uint32_t addr;
    uint8_t *data;
    size_t len, cap;
};

struct ihex_runs {
    struct ihex_run *v;
    size_t n, cap;
    size_t total;
};

/* Appends n bytes to a run; -1 when out of memory. */
static int run_append(struct ihex_run *run, const uint8_t *data, size_t n)
{
    if (run->len + n > run->cap) {
        size_t cap = run->cap ? run->cap : 4096;
        uint8_t *d;

        while (cap < run->len + n)
            cap *= 2;
        d = realloc(run->data, cap);
        if (d == NULL)
            return -1;
        run->data = d;
        run->cap = cap;
    }
    memcpy(run->data + run->len, data, n);
    run->len += n;
    return 0;
}

static int add_data(void *ctx, uint32_t addr, const uint8_t *data, size_t n,
                    char *err, size_t errlen)
{
    struct ihex_runs *r = ctx;
    struct ihex_run *last = r->n > 0 ? &r->v[r->n - 1] : NULL;

    if (r->total + n > EMU_IMAGE_LIMIT) {
        snprintf(err, errlen, "more than %u MiB of data",
                 EMU_IMAGE_LIMIT >> 20);
        return -1;
    }
    if (last == NULL || (uint64_t)last->addr + last->len != addr) {
        if (r->n == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 8;
            struct ihex_run *v = realloc(r->v, cap * sizeof(*v));

            if (v == NULL) {
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            r->v = v;
            r->cap = cap;
        }
        last = &r->v[r->n++];
        memset(last, 0, sizeof(*last));
        last->addr = addr;
    }
    if (run_append(last, data, n) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    r->total += n;
    return 0;
}

static int run_cmp(const void *pa, const void *pb)
{
    const struct ihex_run *a = pa, *b = pb;

    return a->addr < b->addr ? -1 : a->addr > b->addr;
}

int emu_load_ihex_mem(struct emu *e, const uint8_t *buf, size_t len)
{
    struct ihex_runs r = {0};
    char why[256];
    size_t i, k;
    int rc = EMU_OK;

    if (e == NULL || (buf == NULL && len > 0))
        return EMU_ERR_ARG;
    if (emu_ihex_parse(buf, len, add_data, &r, NULL, why, sizeof(why)) != 0) {
        rc = emu_fail(e, EMU_ERR_IMAGE, "Intel HEX: %s", why);
        goto out;
    }
    if (r.n == 0) {
        rc = emu_fail(e, EMU_ERR_IMAGE, "Intel HEX: no data records");
        goto out;
    }
    /* records out of order: sort, then a run that overlaps the one before
     * is two records for the same bytes */
    qsort(r.v, r.n, sizeof(*r.v), run_cmp);
    for (i = 1; i < r.n; i++)
        if ((uint64_t)r.v[i - 1].addr + r.v[i - 1].len > r.v[i].addr) {
            rc = emu_fail(e, EMU_ERR_IMAGE,
                          "Intel HEX: two records for the bytes at 0x%08X",
                          (unsigned)r.v[i].addr);
            goto out;
        }
    /* runs that meet (records out of order) load as one */
    for (i = 1, k = 0; i < r.n; i++) {
        struct ihex_run *a = &r.v[k], *b = &r.v[i];

        if ((uint64_t)a->addr + a->len == b->addr) {
            if (run_append(a, b->data, b->len) != 0) {
                rc = emu_fail(e, EMU_ERR_NOMEM, "out of memory for the image");
                goto out;
            }
            free(b->data);
            b->data = NULL;
        } else {
            r.v[++k] = *b;
            if (k != i)
                b->data = NULL;
        }
    }
    r.n = k + 1;
    for (i = 0; i < r.n && rc == EMU_OK; i++)
        rc = emu_load_bin_mem(e, r.v[i].data, r.v[i].len, r.v[i].addr);
out:
    for (i = 0; i < r.n; i++)
        free(r.v[i].data);
    free(r.v);
    return rc;
}
