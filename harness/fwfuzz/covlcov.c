/* Reading, restricting, merging and writing lcov tracefiles. */
#define _POSIX_C_SOURCE 200809L
#include "covlcov.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

char *covlcov_normalize(const char *path)
{
    size_t n = strlen(path), k = 0, i = 0;
    char *out = fw_xmalloc(n + 2);
    int abs = path[0] == '/';

    /* out: the kept segments, each followed by '/' */
    while (i < n) {
        size_t j = i, len, s;

        while (j < n && path[j] != '/')
            j++;
        len = j - i;
        /* start of the last kept segment */
        s = k > 0 ? k - 1 : 0;
        while (s > 0 && out[s - 1] != '/')
            s--;
        if (len == 0 || (len == 1 && path[i] == '.')) {
            /* "//" and "/./" */
        } else if (len == 2 && path[i] == '.' && path[i + 1] == '.') {
            if (k > 0 && !(k - s == 3 && memcmp(out + s, "../", 3) == 0))
                k = s; /* "a/.." */
            else if (!abs) {
                memcpy(out + k, "../", 3); /* above a relative start */
                k += 3;
            } /* "/.." is "/" */
        } else {
            memcpy(out + k, path + i, len);
            k += len;
            out[k++] = '/';
        }
        i = j + 1;
    }
    if (k > 0)
        k--; /* the last '/' */
    if (abs) {
        memmove(out + 1, out, k);
        out[0] = '/';
        k++;
    }
    if (k == 0)
        out[k++] = '.';
    out[k] = '\0';
    return out;
}

static int cmp_fn(const void *a, const void *b)
{
    const struct covlcov_fn *x = a, *y = b;

    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int cmp_line(const void *a, const void *b)
{
    const struct covlcov_line *x = a, *y = b;

    return (x->line > y->line) - (x->line < y->line);
}

static int cmp_file(const void *a, const void *b)
{
    const struct covlcov_file *x = a, *y = b;

    return strcmp(x->path, y->path);
}

static void file_free(struct covlcov_file *f)
{
    size_t i;

    for (i = 0; i < f->nfns; i++)
        free(f->fns[i].name);
    free(f->fns);
    free(f->lines);
    free(f->path);
    memset(f, 0, sizeof(*f));
}

/* Sorts and merges duplicates (counts summed). */
static void file_tidy(struct covlcov_file *f)
{
    size_t i, k = 0;

    if (f->nlines > 0)
        qsort(f->lines, f->nlines, sizeof(*f->lines), cmp_line);
    for (i = 0; i < f->nlines; i++) {
        if (k > 0 && f->lines[k - 1].line == f->lines[i].line) {
            f->lines[k - 1].count =
                sat_add(f->lines[k - 1].count, f->lines[i].count);
            continue;
        }
        f->lines[k++] = f->lines[i];
    }
    f->nlines = k;
    /* a function is known by its name in a file: one line each */
    for (i = 0; i < f->nfns; i++) {
        size_t j;

        for (j = i + 1; j < f->nfns; j++) {
            if (strcmp(f->fns[i].name, f->fns[j].name) != 0)
                continue;
            f->fns[i].count = sat_add(f->fns[i].count, f->fns[j].count);
            if (f->fns[j].line > 0 &&
                (f->fns[i].line == 0 || f->fns[j].line < f->fns[i].line))
                f->fns[i].line = f->fns[j].line;
            free(f->fns[j].name);
            f->fns[j] = f->fns[--f->nfns];
            j--;
        }
    }
    if (f->nfns > 0)
        qsort(f->fns, f->nfns, sizeof(*f->fns), cmp_fn);
}

static void add_fn(struct covlcov_file *f, const char *name, int line,
                   uint64_t count)
{
    f->fns = fw_xrealloc(f->fns, (f->nfns + 1) * sizeof(*f->fns));
    f->fns[f->nfns].name = fw_xstrdup(name);
    f->fns[f->nfns].line = line;
    f->fns[f->nfns].count = count;
    f->nfns++;
}

static void add_line(struct covlcov_file *f, int line, uint64_t count)
{
    if ((f->nlines & (f->nlines - 1)) == 0) /* 0, 1, 2, 4...: grow */
        f->lines = fw_xrealloc(f->lines, (f->nlines ? f->nlines * 2 : 1) *
                                             sizeof(*f->lines));
    f->lines[f->nlines].line = line;
    f->lines[f->nlines].count = count;
    f->nlines++;
}

/* Files sorted, each path once: duplicates merged into the first. */
static void trace_tidy(struct covlcov *t)
{
    size_t i, k = 0;

    for (i = 0; i < t->nfiles; i++)
        file_tidy(&t->files[i]);
    if (t->nfiles > 0)
        qsort(t->files, t->nfiles, sizeof(*t->files), cmp_file);
    for (i = 0; i < t->nfiles; i++) {
        if (k > 0 && strcmp(t->files[k - 1].path, t->files[i].path) == 0) {
            struct covlcov_file *d = &t->files[k - 1], *s = &t->files[i];
            size_t j;

            for (j = 0; j < s->nfns; j++)
                add_fn(d, s->fns[j].name, s->fns[j].line, s->fns[j].count);
            for (j = 0; j < s->nlines; j++)
                add_line(d, s->lines[j].line, s->lines[j].count);
            file_tidy(d);
            file_free(s);
            continue;
        }
        t->files[k++] = t->files[i];
    }
    t->nfiles = k;
}

/* A decimal number of at most max, all of s up to end. */
static int parse_num(const char *s, const char *end, uint64_t max,
                     uint64_t *out)
{
    uint64_t v = 0;

    if (s >= end)
        return -1;
    for (; s < end; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        if (v > (UINT64_MAX - 9) / 10) {
            v = UINT64_MAX; /* counts saturate */
            continue;
        }
        v = v * 10 + (uint64_t)(*s - '0');
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

/* clang names static functions "file.c:name": the name alone, as DWARF. */
static const char *plain_name(const char *s, const char *end)
{
    const char *c = end;

    while (c > s && c[-1] != ':')
        c--;
    return c;
}

int covlcov_parse(const char *text, size_t len, struct covlcov *t, char *err,
                  size_t errlen)
{
    const char *p = text, *end = text + len;
    struct covlcov_file *cur = NULL;
    unsigned long lineno = 0;
    char name[512];

    memset(t, 0, sizeof(*t));
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl != NULL ? nl : end;
        const char *comma;
        uint64_t a, b;

        lineno++;
        while (e > p && e[-1] == '\r') /* CRLF files, and no path ends in CR */
            e--;
        if (e - p >= 3 && memcmp(p, "SF:", 3) == 0) {
            char *raw;

            if (cur != NULL) {
                fw_set_err(err, errlen, "line %lu: SF inside a record", lineno);
                goto fail;
            }
            if (e - p == 3 || memchr(p, '\0', (size_t)(e - p)) != NULL) {
                fw_set_err(err, errlen, "line %lu: SF without a path", lineno);
                goto fail;
            }
            t->files =
                fw_xrealloc(t->files, (t->nfiles + 1) * sizeof(*t->files));
            cur = &t->files[t->nfiles++];
            memset(cur, 0, sizeof(*cur));
            raw = fw_xmalloc((size_t)(e - p - 3) + 1);
            memcpy(raw, p + 3, (size_t)(e - p - 3));
            raw[e - p - 3] = '\0';
            cur->path = covlcov_normalize(raw);
            free(raw);
        } else if (e - p >= 13 && memcmp(p, "end_of_record", 13) == 0) {
            if (cur == NULL) {
                fw_set_err(err, errlen,
                           "line %lu: end_of_record outside a record", lineno);
                goto fail;
            }
            cur = NULL;
        } else if ((e - p >= 3 && memcmp(p, "FN:", 3) == 0) ||
                   (e - p >= 5 && memcmp(p, "FNDA:", 5) == 0) ||
                   (e - p >= 3 && memcmp(p, "DA:", 3) == 0)) {
            int is_fn = p[0] == 'F' && p[2] == ':';
            int is_fnda = p[0] == 'F' && p[2] == 'D';
            const char *v = p + (is_fnda ? 5 : 3);
            const char *what = is_fn ? "FN" : is_fnda ? "FNDA" : "DA";
            const char *nm;
            size_t n;

            if (cur == NULL) {
                fw_set_err(err, errlen, "line %lu: %s outside a record", lineno,
                           what);
                goto fail;
            }
            comma = memchr(v, ',', (size_t)(e - v));
            if (comma == NULL) {
                fw_set_err(err, errlen, "line %lu: no ',' in %s", lineno, what);
                goto fail;
            }
            if (!is_fn && !is_fnda) {
                /* DA:line,count[,checksum] */
                const char *c2 =
                    memchr(comma + 1, ',', (size_t)(e - comma - 1));

                if (parse_num(v, comma, COVLCOV_MAX_LINE, &a) != 0 || a == 0 ||
                    parse_num(comma + 1, c2 != NULL ? c2 : e, UINT64_MAX, &b) !=
                        0) {
                    fw_set_err(err, errlen, "line %lu: bad DA", lineno);
                    goto fail;
                }
                add_line(cur, (int)a, b);
                p = nl != NULL ? nl + 1 : end;
                continue;
            }
            if (parse_num(v, comma, is_fn ? COVLCOV_MAX_LINE : UINT64_MAX,
                          &a) != 0) {
                fw_set_err(err, errlen, "line %lu: bad %s", lineno,
                           is_fn ? "FN" : "FNDA");
                goto fail;
            }
            nm = plain_name(comma + 1, e);
            n = (size_t)(e - nm);
            if (n == 0 || n >= sizeof(name) || memchr(nm, '\0', n) != NULL) {
                fw_set_err(err, errlen, "line %lu: bad function name", lineno);
                goto fail;
            }
            memcpy(name, nm, n);
            name[n] = '\0';
            if (is_fn) {
                add_fn(cur, name, (int)a, 0);
            } else {
                size_t i;

                for (i = 0; i < cur->nfns; i++)
                    if (strcmp(cur->fns[i].name, name) == 0)
                        break;
                if (i == cur->nfns)
                    add_fn(cur, name, 0, 0); /* FNDA before (or without) FN */
                cur->fns[i].count = sat_add(cur->fns[i].count, a);
            }
        }
        /* TN, FNF, FNH, LF, LH, BRDA, BRF, BRH, VER, comments: not used */
        p = nl != NULL ? nl + 1 : end;
    }
    if (cur != NULL) {
        fw_set_err(err, errlen, "line %lu: last record has no end_of_record",
                   lineno);
        goto fail;
    }
    trace_tidy(t);
    return 0;
fail:
    covlcov_free(t);
    return -1;
}

/* Whether path is dir itself or below it. */
static int under(const char *path, const char *dir)
{
    size_t n = strlen(dir);

    while (n > 1 && dir[n - 1] == '/')
        n--;
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

void covlcov_restrict(struct covlcov *t, const char *dir, const char *skip)
{
    size_t i, k = 0;

    for (i = 0; i < t->nfiles; i++) {
        if (under(t->files[i].path, dir) &&
            (skip == NULL || !under(t->files[i].path, skip)))
            t->files[k++] = t->files[i];
        else
            file_free(&t->files[i]);
    }
    t->nfiles = k;
}

void covlcov_keep_common(struct covlcov *t, const struct covlcov *other)
{
    size_t i, k = 0;

    for (i = 0; i < t->nfiles; i++) {
        if (covlcov_find(other, t->files[i].path) != NULL)
            t->files[k++] = t->files[i];
        else
            file_free(&t->files[i]);
    }
    t->nfiles = k;
}

void covlcov_merge(struct covlcov *dst, const struct covlcov *src)
{
    size_t i, j;

    for (i = 0; i < src->nfiles; i++) {
        const struct covlcov_file *s = &src->files[i];
        struct covlcov_file *d;

        dst->files =
            fw_xrealloc(dst->files, (dst->nfiles + 1) * sizeof(*dst->files));
        d = &dst->files[dst->nfiles++];
        memset(d, 0, sizeof(*d));
        d->path = fw_xstrdup(s->path);
        for (j = 0; j < s->nfns; j++)
            add_fn(d, s->fns[j].name, s->fns[j].line, s->fns[j].count);
        for (j = 0; j < s->nlines; j++)
            add_line(d, s->lines[j].line, s->lines[j].count);
    }
    trace_tidy(dst);
}

/* A growing text buffer. */
struct buf {
    char *s;
    size_t len, cap;
};

static void bprintf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void bprintf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap * 2 + (n > 0 ? (size_t)n : 0) + 256;
        b->s = fw_xrealloc(b->s, b->cap);
    }
}

char *covlcov_format(const struct covlcov *t, const char *tn, size_t *len)
{
    struct buf b = {fw_xmalloc(4096), 0, 4096};
    size_t i, j;

    b.s[0] = '\0';
    for (i = 0; i < t->nfiles; i++) {
        const struct covlcov_file *f = &t->files[i];
        struct covlcov_totals k;

        covlcov_file_totals(f, &k);
        bprintf(&b, "TN:%s\nSF:%s\n", tn, f->path);
        for (j = 0; j < f->nfns; j++)
            bprintf(&b, "FN:%d,%s\n", f->fns[j].line, f->fns[j].name);
        for (j = 0; j < f->nfns; j++)
            bprintf(&b, "FNDA:%llu,%s\n", (unsigned long long)f->fns[j].count,
                    f->fns[j].name);
        bprintf(&b, "FNF:%lu\nFNH:%lu\n", k.fns_total, k.fns_covered);
        for (j = 0; j < f->nlines; j++)
            bprintf(&b, "DA:%d,%llu\n", f->lines[j].line,
                    (unsigned long long)f->lines[j].count);
        bprintf(&b, "LF:%lu\nLH:%lu\nend_of_record\n", k.lines_total,
                k.lines_covered);
    }
    *len = b.len;
    return b.s;
}

void covlcov_file_totals(const struct covlcov_file *f,
                         struct covlcov_totals *out)
{
    size_t i;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < f->nlines; i++) {
        out->lines_total++;
        out->lines_covered += f->lines[i].count > 0;
    }
    for (i = 0; i < f->nfns; i++) {
        out->fns_total++;
        out->fns_covered += f->fns[i].count > 0;
    }
}

void covlcov_totals(const struct covlcov *t, struct covlcov_totals *out)
{
    size_t i;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < t->nfiles; i++) {
        struct covlcov_totals k;

        covlcov_file_totals(&t->files[i], &k);
        out->lines_total += k.lines_total;
        out->lines_covered += k.lines_covered;
        out->fns_total += k.fns_total;
        out->fns_covered += k.fns_covered;
    }
}

const struct covlcov_file *covlcov_find(const struct covlcov *t,
                                        const char *path)
{
    size_t a = 0, z = t->nfiles;

    while (a < z) {
        size_t m = a + (z - a) / 2;
        int d = strcmp(t->files[m].path, path);

        if (d == 0)
            return &t->files[m];
        if (d < 0)
            a = m + 1;
        else
            z = m;
    }
    return NULL;
}

void covlcov_fn_lines(const struct covlcov_file *f, const struct covlcov_fn *fn,
                      unsigned long *total, unsigned long *covered)
{
    long last = COVLCOV_MAX_LINE + 1L;
    size_t i;

    *total = 0;
    *covered = 0;
    for (i = 0; i < f->nfns; i++)
        if (f->fns[i].line > fn->line && f->fns[i].line < last)
            last = f->fns[i].line;
    for (i = 0; i < f->nlines; i++) {
        if (f->lines[i].line < fn->line || f->lines[i].line >= last)
            continue;
        (*total)++;
        *covered += f->lines[i].count > 0;
    }
}

void covlcov_free(struct covlcov *t)
{
    size_t i;

    for (i = 0; i < t->nfiles; i++)
        file_free(&t->files[i]);
    free(t->files);
    memset(t, 0, sizeof(*t));
}
