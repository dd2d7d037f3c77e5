/*
 * The security oracles natively (fwfuzz/oracle.h, docs/oracles.md).
 *
 * Each run of a fuzz target goes through oracle_entry.c, which calls
 * fwfuzz_oracle_begin and fwfuzz_oracle_end around it. Between the two:
 *   - declared secrets are copied into a table;
 *   - stdout and stderr are replaced by streams that look for the
 *     secrets in what goes through them, then pass it on unchanged;
 *   - fwfuzz_output looks for them in what the target hands over.
 * After the run, the stack the run used is searched for them: it was
 * zeroed before the run, so whatever is there now, this run left.
 * Builds without oracle_entry.c never begin a run: every call is a no-op.
 */
#define _GNU_SOURCE
#include "oracle_runtime.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwfuzz/oracle.h"
#include "fwfuzz/protocol.h"
#include "secret_match.h"

/* The stack below the fuzz entry's caller that a run may use and that is
 * searched after it: deeper frames are not searched. */
#define STACK_WINDOW (64 * 1024)
/* The top of the window is neither zeroed nor searched: the frames of
 * this file's functions (the run starts FWFUZZ_ORACLE_STACK_GAP below). */
#define STACK_MARGIN (FWFUZZ_ORACLE_STACK_GAP / 2)
/* Kept from the end of what went out, so a secret split across two
 * writes is still found. */
#define TAIL_MAX   (2 * FWFUZZ_SECRET_MAX)
#define SCAN_CHUNK 4096

struct secret {
    uint8_t bytes[FWFUZZ_SECRET_MAX];
    size_t len;
    const uint8_t *home;
    size_t home_len;
    char what[40];
};

struct watched {
    const char *name;
    FILE *real; /* the stream the run's output goes on to */
    FILE *last; /* the same, after the run */
    FILE *cookie;
    uint8_t tail[TAIL_MAX];
    size_t tail_len;
};

static struct {
    int running; /* between begin and end */
    struct secret secret[FWFUZZ_SECRETS];
    unsigned nsecrets;
    struct fwfuzz_secret_ref refs[FWFUZZ_SECRETS];
    struct fwfuzz_matcher matcher;
    int matcher_ready;
    struct watched out, err;
    /* the stack window: zeroed before the run when a secret was ever
     * declared in this process (painting costs a 64 KiB memset a run) */
    int off;              /* FWFUZZ_NO_ORACLES; -1 before the first run */
    const uint8_t *input; /* the run's input: public */
    size_t input_len;
    int paint;
    int begun; /* a run has begun in this process */
    int painted;
    uint8_t *stack_hi;
    uint64_t stack_copy_words[STACK_WINDOW / 8];
} st = {
    .off = -1,
    .out = {.name = "stdout"},
    .err = {.name = "stderr"},
};

static FILE *report_stream(void)
{
    return st.err.real != NULL ? st.err.real : stderr;
}

_Noreturn void fwfuzz_finding(const char *cls, const char *what,
                              const char *file, int line)
{
    FILE *f = report_stream();

    st.running = 0; /* what follows is the report, not the target's */
    fflush(stdout);
    fprintf(f, FWFUZZ_TAG_ORACLE " %s: %s\n", cls, what);
    if (file != NULL)
        fprintf(f, FWFUZZ_TAG_ORACLE " at %s:%d\n", file, line);
    fflush(f);
    abort();
}

static void matcher_ready(void)
{
    unsigned k;

    if (st.matcher_ready)
        return;
    for (k = 0; k < st.nsecrets; k++) {
        st.refs[k].bytes = st.secret[k].bytes;
        st.refs[k].len = st.secret[k].len;
    }
    fwfuzz_matcher_init(&st.matcher, st.refs, st.nsecrets);
    st.matcher_ready = 1;
}

/* A piece the input also holds elsewhere than in the secret is public. */
static int public_piece(const uint8_t *buf, const struct fwfuzz_match *m)
{
    const struct secret *s = &st.secret[m->secret];

    return fwfuzz_match_is_public(buf, m, st.input, st.input_len, s->bytes,
                                  s->len);
}

static _Noreturn void leaked(const struct fwfuzz_match *m, const char *cls,
                             const char *where, const char *extra)
{
    char what[256];
    const struct secret *s = &st.secret[m->secret];

    snprintf(what, sizeof(what),
             "%s (%zu bytes) appears in %s: bytes %zu..%zu of it as %s%s",
             s->what, s->len, where, m->offset,
             m->offset + (m->len / (m->form == FWFUZZ_MATCH_RAW ? 1 : 2)) - 1,
             fwfuzz_match_form_name(m->form), extra);
    fwfuzz_finding(cls, what, NULL, 0);
}

/* Looks for the secrets in tail + buf; keeps the new tail. */
static void scan_out(struct watched *w, const uint8_t *buf, size_t n,
                     const char *where)
{
    static uint8_t scratch[TAIL_MAX + SCAN_CHUNK];
    struct fwfuzz_match m;

    if (!st.running || st.nsecrets == 0)
        return;
    matcher_ready();
    while (n > 0) {
        size_t take = n < SCAN_CHUNK ? n : SCAN_CHUNK, all, from;

        memcpy(scratch, w->tail, w->tail_len);
        memcpy(scratch + w->tail_len, buf, take);
        all = w->tail_len + take;
        from = 0;
        while (fwfuzz_matcher_find(&st.matcher, scratch, all, from, &m)) {
            if (!public_piece(scratch, &m))
                leaked(&m, "secret-in-output", where, "");
            from = m.at + 1;
        }
        w->tail_len = all < TAIL_MAX ? all : TAIL_MAX;
        memmove(w->tail, scratch + all - w->tail_len, w->tail_len);
        buf += take;
        n -= take;
    }
}

static ssize_t cookie_write(void *cookie, const char *buf, size_t n)
{
    struct watched *w = cookie;
    /* a component that kept the stream writes after the run: pass it on */
    FILE *to = w->real != NULL ? w->real : w->last;
    size_t done = fwrite(buf, 1, n, to);

    /* written first: the report then follows the line that leaked */
    fflush(to);
    scan_out(w, (const uint8_t *)buf, n, w->name);
    return (ssize_t)done;
}

static void watch(struct watched *w, FILE **stream)
{
    cookie_io_functions_t io = {NULL, cookie_write, NULL, NULL};

    if (w->cookie == NULL) {
        w->cookie = fopencookie(w, "w", io);
        if (w->cookie == NULL)
            return; /* not watched: the run goes on */
        setvbuf(w->cookie, NULL, _IONBF, 0);
    }
    w->real = *stream;
    w->tail_len = 0;
    *stream = w->cookie;
}

static void unwatch(struct watched *w, FILE **stream)
{
    if (w->real == NULL || *stream != w->cookie)
        return;
    fflush(w->cookie);
    *stream = w->real;
    w->last = w->real;
    w->real = NULL;
}

void fwfuzz_secret(const void *ptr, size_t len, const char *what)
{
    struct secret *s;

    if (!st.running || ptr == NULL || len < FWFUZZ_SECRET_MIN ||
        st.nsecrets == FWFUZZ_SECRETS)
        return;
    s = &st.secret[st.nsecrets++];
    s->len = len < FWFUZZ_SECRET_MAX ? len : FWFUZZ_SECRET_MAX;
    memcpy(s->bytes, ptr, s->len);
    s->home = ptr;
    s->home_len = len;
    snprintf(s->what, sizeof(s->what), "%s", what != NULL ? what : "secret");
    st.matcher_ready = 0;
    st.paint = 1;
}

void fwfuzz_output(const void *buf, size_t len, const char *where)
{
    struct watched w = {.name = where != NULL ? where : "output"};
    char name[64];

    if (!st.running || buf == NULL)
        return;
    snprintf(name, sizeof(name), "the %s output", w.name);
    w.name = name;
    scan_out(&w, buf, len, name);
}

/* Only under emulation: natively nothing watches single reads and
 * stores, or the path a run takes (docs/oracles.md). */
void fwfuzz_under_test_end(void)
{
}

void fwfuzz_untrusted(const void *ptr, size_t len, const char *what)
{
    (void)ptr;
    (void)len;
    (void)what;
}

void fwfuzz_durable(const void *ptr, size_t len, const char *what)
{
    (void)ptr;
    (void)len;
    (void)what;
}

/*
 * The window below the caller's frame, read and written a word at a time
 * and outside AddressSanitizer: it holds dead frames, which the sanitizer
 * may still have marked. (lo and n are multiples of 8.)
 */
__attribute__((no_sanitize("address"), noinline)) static void
stack_fill(uint8_t *lo, size_t n)
{
    volatile uint64_t *p = (volatile uint64_t *)(void *)lo;
    size_t i;

    for (i = 0; i < n / 8; i++)
        p[i] = 0;
}

/* Copies what the run used of the window (from its deepest non-zero word
 * up) to the end of dst; returns how many bytes that is. */
__attribute__((no_sanitize("address"), noinline)) static size_t
stack_save(uint8_t *dst, const uint8_t *lo, size_t n)
{
    const volatile uint64_t *p = (const volatile uint64_t *)(const void *)lo;
    uint64_t *d = (uint64_t *)(void *)dst;
    size_t i = 0, k;

    while (i < n / 8 && p[i] == 0)
        i++;
    for (k = i; k < n / 8; k++)
        d[k] = p[k];
    return n - 8 * i;
}

/*
 * Where the stack window is not the run's alone, nothing is searched:
 * libFuzzer's compare hooks (memcmp, strcmp, the value profile) copy what
 * the target compares into their own frames below it, and with ASan's fake
 * stack the target's locals are not on this stack at all. Replay builds
 * (triage, regression tests) and AFL++ builds have neither.
 */
int LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size)
    __attribute__((weak));
void *__asan_get_current_fake_stack(void) __attribute__((weak));

static int stack_is_the_runs(void)
{
    if (LLVMFuzzerMutate != NULL)
        return 0;
    return __asan_get_current_fake_stack == NULL ||
           __asan_get_current_fake_stack() == NULL;
}

void fwfuzz_oracle_begin(void *caller_frame, const uint8_t *data, size_t size)
{
    if (st.off < 0)
        st.off = getenv(FWFUZZ_ENV_NO_ORACLES) != NULL;
    if (st.off)
        return;
    st.input = data;
    st.input_len = size;
    st.running = 1;
    st.nsecrets = 0;
    st.matcher_ready = 0;
    st.painted = 0;
    st.stack_hi = (uint8_t *)((uintptr_t)caller_frame & ~(uintptr_t)7);
    /* The first run is painted too: a replay build runs one input. */
    if ((st.paint || !st.begun) && stack_is_the_runs()) {
        stack_fill(st.stack_hi - STACK_WINDOW, STACK_WINDOW - STACK_MARGIN);
        st.painted = 1;
    }
    st.begun = 1;
    watch(&st.out, &stdout);
    watch(&st.err, &stderr);
}

/* A secret's bytes in the stack window, away from its home. */
static void stack_check(void)
{
    const uint8_t *lo = st.stack_hi - STACK_WINDOW;
    struct fwfuzz_match m;
    size_t from = 0;
    unsigned k;

    /* Copied first: this function's own frame lies in the window. */
    from = STACK_WINDOW - STACK_MARGIN -
           stack_save(((uint8_t *)st.stack_copy_words), lo,
                      STACK_WINDOW - STACK_MARGIN);
    matcher_ready();
    while (fwfuzz_matcher_find(&st.matcher, ((uint8_t *)st.stack_copy_words),
                               STACK_WINDOW - STACK_MARGIN, from, &m)) {
        const uint8_t *hit = lo + m.at;
        int home = 0;
        char extra[96];

        for (k = 0; k < st.nsecrets; k++)
            if (hit + m.len > st.secret[k].home &&
                hit < st.secret[k].home + st.secret[k].home_len)
                home = 1;
        if (!home && !public_piece(((uint8_t *)st.stack_copy_words), &m)) {
            snprintf(extra, sizeof(extra),
                     ", %zu bytes below the fuzz entry's frame after the "
                     "run returned",
                     (size_t)(st.stack_hi - hit));
            leaked(&m, "secret-in-memory", "the stack", extra);
        }
        from = m.at + 1;
    }
}

int fwfuzz_oracle_listening(void)
{
    return st.running;
}

void fwfuzz_oracle_end(void)
{
    unwatch(&st.out, &stdout);
    unwatch(&st.err, &stderr);
    if (st.nsecrets > 0 && st.painted)
        stack_check();
    st.running = 0;
    st.nsecrets = 0;
}
