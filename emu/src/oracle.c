/*
 * The security oracles under emulation (fwfuzz/oracle.h, docs/oracles.md).
 *
 * A fuzzing image declares what it holds by calling four empty functions
 * (emu/firmware/fuzz-image/oracle.c); a code hook on each reads the
 * arguments. During a run:
 *   - every byte sent on the UART and every fwfuzz_output buffer is
 *     searched for the declared secrets (secret-in-output);
 * after a run that returned, only when the run declared something:
 *   - the RAM pages the run wrote are searched for the secrets, away from
 *     their homes (secret-in-memory); a second run with a write hook on
 *     that address, in a child process, finds the function that left it;
 *   - the run again with one byte of a secret changed, its first, then
 *     its last: the blocks entered must be the same sequence in both
 *     (secret-timing: a compare that stops at the first difference does
 *     not);
 *   - with durable memory declared: the first of those runs, compared with
 *     the unchanged one, must have written the durable memory before its
 *     first different block (lockout-power-cut);
 *   - with untrusted memory declared: the run again, in a child process,
 *     with a read hook on it; a byte read twice is a double-fetch.
 * A finding ends the run as EMU_FAULT_ORACLE, with its class and text
 * here (emu_oracle_finding). Findings of the guest's own checks
 * (default logins, salts: harness/oracle/oracle_checks.c) stop on entry
 * to fwfuzz_finding and are read from its arguments.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fwfuzz/protocol.h"
#include "internal.h"

/* The functions of the image's oracle API, in enum emu_oracle_fn order. */
static const char *const fn_names[EMU_ORACLE_FNS] = {
    "fwfuzz_secret", "fwfuzz_output", "fwfuzz_untrusted", "fwfuzz_durable",
    "fwfuzz_under_test_end"};

/* Blocks of a run recorded for the comparisons (16 MiB a trace). */
#define TRACE_MAX (4u << 20)
/* Paths remembered as checked (a power of two; 512 KiB). */
#define CHECKED_SLOTS (1u << 16)
#define PATH_SEED     0xcbf29ce484222325ull
/* Bytes of an fwfuzz_output buffer searched. */
#define OUTPUT_MAX 4096

static uint32_t reg(struct emu *e, int id)
{
    uint32_t v = 0;

    if (uc_reg_read(e->uc, id, &v) != UC_ERR_OK)
        return 0;
    return v;
}

/* A guest string, printable, "" when unreadable. */
static void guest_str(struct emu *e, uint32_t addr, char *out, size_t n)
{
    size_t i;
    uint8_t c;

    out[0] = '\0';
    for (i = 0; i + 1 < n; i++) {
        if (addr == 0 || emu_mem_read(e, addr + (uint32_t)i, &c, 1) != 0 ||
            c == 0)
            break;
        out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    out[i] = '\0';
}

static void set_finding(struct emu *e, const char *cls, const char *what)
{
    snprintf(e->oracle.cls, sizeof(e->oracle.cls), "%s", cls);
    snprintf(e->oracle.what, sizeof(e->oracle.what), "%s", what);
}

/* Ends the run here as a finding of class cls. */
static void stop_here(struct emu *e, uint32_t pc, const char *cls,
                      const char *what)
{
    if (e->run.stopped)
        return;
    set_finding(e, cls, what);
    emu_run_stop(e, EMU_STOP_FAULT, EMU_FAULT_ORACLE, pc, 0, 0, 0);
}

static void matcher_ready(struct emu *e)
{
    struct emu_oracle *o = &e->oracle;
    unsigned k;

    if (o->matcher_ready)
        return;
    for (k = 0; k < o->nsecrets; k++) {
        o->refs[k].bytes = o->secret[k].bytes;
        o->refs[k].len = o->secret[k].len;
    }
    fwfuzz_matcher_init(o->matcher, o->refs, o->nsecrets);
    o->matcher_ready = 1;
}

/* A piece the input also holds, elsewhere than in the secret, is public. */
static int public_piece(struct emu *e, const uint8_t *buf,
                        const struct fwfuzz_match *m)
{
    const struct emu_oracle *o = &e->oracle;
    const struct emu_oracle_secret *s = &o->secret[m->secret];

    return fwfuzz_match_is_public(buf, m, o->input, o->input_len, s->bytes,
                                  s->len);
}

static void describe_match(struct emu *e, const struct fwfuzz_match *m,
                           const char *where, char *what, size_t n)
{
    const struct emu_oracle_secret *s = &e->oracle.secret[m->secret];
    size_t w = m->form == FWFUZZ_MATCH_RAW ? m->len : m->len / 2;

    snprintf(what, n, "%s (%u bytes) appears in %s: bytes %zu..%zu of it as %s",
             s->what, (unsigned)s->len, where, m->offset, m->offset + w - 1,
             fwfuzz_match_form_name(m->form));
}

/*
 * Output: tail + new bytes searched for pieces that end in the new bytes.
 * Not in the re-runs: their secrets are changed on purpose.
 */
static void scan_output(struct emu *e, struct emu_oracle_stream *st,
                        const uint8_t *buf, size_t n, const char *where)
{
    struct emu_oracle *o = &e->oracle;
    uint8_t scratch[sizeof(st->tail) + 256];
    struct fwfuzz_match m;
    char what[256];

    if (o->nsecrets == 0 || o->rerun)
        return;
    matcher_ready(e);
    while (n > 0) {
        size_t take = n < 256 ? n : 256, all, from;

        memcpy(scratch, st->tail, st->len);
        memcpy(scratch + st->len, buf, take);
        all = st->len + take;
        /* pieces are at most 2 * FWFUZZ_MATCH_WINDOW long */
        from = st->len > 2 * FWFUZZ_MATCH_WINDOW
                   ? st->len - 2 * FWFUZZ_MATCH_WINDOW
                   : 0;
        while (fwfuzz_matcher_find(o->matcher, scratch, all, from, &m)) {
            if (!public_piece(e, scratch, &m)) {
                describe_match(e, &m, where, what, sizeof(what));
                stop_here(e, emu_run_current_block(e), "secret-in-output",
                          what);
                return;
            }
            from = m.at + 1;
        }
        st->len = all < sizeof(st->tail) ? all : sizeof(st->tail);
        memmove(st->tail, scratch + all - st->len, st->len);
        buf += take;
        n -= take;
    }
}

void emu_oracle_uart(struct emu *e, uint8_t byte)
{
    if (e->oracle.on)
        scan_output(e, &e->oracle.uart, &byte, 1, "the UART output");
}

/* The value a changed secret byte takes: never 0, which would end a C
 * string or a password early and change the path for that reason. */
static uint8_t changed(uint8_t b)
{
    uint8_t v = (uint8_t)(b ^ 1u);

    return v != 0 ? v : (uint8_t)(b ^ 2u);
}

static uint32_t perturb_offset(const struct emu_oracle *o, uint32_t len)
{
    /* byte 0, then the last: an early exit tells them apart */
    return o->perturb_at == 0 ? 0 : len - 1;
}

/* The first declaration of a run: its path is recorded from here (in the
 * unchanged run; the re-runs set their own recording). */
static void path_starts(struct emu *e)
{
    struct emu_oracle *o = &e->oracle;

    if (o->trace_from != UINT64_MAX)
        return;
    o->trace_from = e->run.blocks;
    if (o->first)
        o->rec = o->trace_a;
}

static void on_secret(struct emu *e)
{
    struct emu_oracle *o = &e->oracle;
    uint32_t ptr = reg(e, UC_ARM_REG_R0), len = reg(e, UC_ARM_REG_R1);
    struct emu_oracle_secret *s;
    uint8_t *host;
    unsigned k;

    if (len < FWFUZZ_SECRET_MIN || o->nsecrets == FWFUZZ_SECRETS)
        return;
    k = o->nsecrets;
    s = &o->secret[k];
    s->addr = ptr;
    s->home_len = len;
    s->len = len < FWFUZZ_SECRET_MAX ? len : FWFUZZ_SECRET_MAX;
    if (emu_mem_read(e, ptr, s->bytes, s->len) != 0)
        return; /* not in memory the host can read: not a secret */
    guest_str(e, reg(e, UC_ARM_REG_R2), s->what, sizeof(s->what));
    if (s->what[0] == '\0')
        snprintf(s->what, sizeof(s->what), "secret");
    o->nsecrets++;
    o->matcher_ready = 0;
    path_starts(e); /* the paths may differ from here */
    if (o->perturb == (int)k) {
        uint32_t at = ptr + perturb_offset(o, s->len);

        host = emu_mem_host(e, at, 1);
        if (host != NULL) {
            *host = changed(*host);
            emu_mem_mark_dirty(e, at, 1);
        }
    }
}

static void on_output(struct emu *e)
{
    uint32_t buf = reg(e, UC_ARM_REG_R0), len = reg(e, UC_ARM_REG_R1);
    uint8_t data[OUTPUT_MAX];
    char where[64], name[48];

    if (len > OUTPUT_MAX)
        len = OUTPUT_MAX;
    if (len == 0 || emu_mem_read(e, buf, data, len) != 0)
        return;
    guest_str(e, reg(e, UC_ARM_REG_R2), name, sizeof(name));
    snprintf(where, sizeof(where), "the %s output", name[0] ? name : "log");
    e->oracle.log.len = 0; /* one buffer, one message */
    scan_output(e, &e->oracle.log, data, len, where);
}

static void on_region(struct emu *e, struct emu_oracle_region *r, unsigned *n)
{
    struct emu_oracle_region *d;

    if (*n == EMU_ORACLE_REGIONS)
        return;
    d = &r[*n];
    d->addr = reg(e, UC_ARM_REG_R0);
    d->len = reg(e, UC_ARM_REG_R1);
    guest_str(e, reg(e, UC_ARM_REG_R2), d->what, sizeof(d->what));
    if (d->len == 0 || emu_mem_host(e, d->addr, d->len) == NULL)
        return;
    d->block = e->run.blocks;
    path_starts(e); /* the path counts from here */
    d->keep_len = d->len < sizeof(d->keep) ? d->len : sizeof(d->keep);
    emu_mem_read(e, d->addr, d->keep, d->keep_len);
    (*n)++;
}

static void hook_fn(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct emu *e = user;
    struct emu_oracle *o = &e->oracle;
    uint32_t a = (uint32_t)address;

    (void)uc;
    (void)size;
    if (a == o->fn[EMU_ORACLE_SECRET])
        on_secret(e);
    else if (a == o->fn[EMU_ORACLE_OUTPUT])
        on_output(e);
    else if (a == o->fn[EMU_ORACLE_UNTRUSTED])
        on_region(e, o->untrusted, &o->nuntrusted);
    else if (a == o->fn[EMU_ORACLE_DURABLE])
        on_region(e, o->durable, &o->ndurable);
    else if (a == o->fn[EMU_ORACLE_UNDER_TEST_END])
        o->trace_done = 1; /* the code under test has returned */
}

int emu_oracle_install(struct emu *e)
{
    struct emu_oracle *o = &e->oracle;
    unsigned i;

    emu_oracle_free(e); /* a set-up after emu_reset starts afresh */
    o->perturb = -1;
    if (e->board->image.whole || e->img.nsyms == 0 ||
        getenv(FWFUZZ_ENV_NO_ORACLES) != NULL)
        return EMU_OK;
    for (i = 0; i < EMU_ORACLE_FNS; i++) {
        const struct emu_sym *s = emu_sym_by_name(e, fn_names[i]);

        o->fn[i] = s != NULL && s->type == EMU_SYM_FUNC ? s->addr & ~1u : 0;
        if (o->fn[i] == 0)
            continue;
        if (uc_hook_add(e->uc, &o->hook[i], UC_HOOK_CODE,
                        emu_cb((emu_fn)hook_fn), e, o->fn[i],
                        o->fn[i]) != UC_ERR_OK)
            return emu_fail(e, EMU_ERR_UNICORN, "hooking %s", fn_names[i]);
        o->on = 1;
    }
    if (!o->on)
        return EMU_OK;
    o->matcher = calloc(1, sizeof(*o->matcher));
    o->checked = calloc(CHECKED_SLOTS, sizeof(uint64_t));
    o->trace_a = malloc(TRACE_MAX * sizeof(uint32_t));
    o->trace_b = malloc(TRACE_MAX * sizeof(uint32_t));
    if (o->matcher == NULL || o->checked == NULL || o->trace_a == NULL ||
        o->trace_b == NULL)
        return emu_fail(e, EMU_ERR_NOMEM, "no memory for the oracles");
    return EMU_OK;
}

void emu_oracle_free(struct emu *e)
{
    free(e->oracle.matcher);
    free(e->oracle.checked);
    free(e->oracle.trace_a);
    free(e->oracle.trace_b);
    memset(&e->oracle, 0, sizeof(e->oracle));
}

void emu_oracle_run_reset(struct emu *e)
{
    struct emu_oracle *o = &e->oracle;

    o->nsecrets = 0;
    o->nuntrusted = 0;
    o->ndurable = 0;
    o->matcher_ready = 0;
    o->uart.len = 0;
    o->log.len = 0;
    o->trace_from = UINT64_MAX;
    o->trace_done = 0;
    o->path = PATH_SEED;
    o->rec_len = 0;
    o->cmp_pos = 0;
    o->cls[0] = '\0';
    o->what[0] = '\0';
}

/* ---- the block hook's part: traces and their comparison ---- */

/* A durable region still holds what it held when it was declared. */
static int durable_unchanged(struct emu *e, const struct emu_oracle_region **r)
{
    const struct emu_oracle *o = &e->oracle;
    unsigned i;

    for (i = 0; i < o->ndurable; i++) {
        const uint8_t *now = emu_mem_host(e, o->durable[i].addr,
                                          (uint32_t)o->durable[i].keep_len);

        if (now != NULL &&
            memcmp(now, o->durable[i].keep, o->durable[i].keep_len) != 0)
            return 0;
    }
    *r = o->ndurable > 0 ? &o->durable[0] : NULL;
    return 1;
}

static void diverged(struct emu *e, uint32_t a, uint64_t at)
{
    struct emu_oracle *o = &e->oracle;
    const struct emu_oracle_secret *s = &o->secret[o->perturb];
    const struct emu_oracle_region *r = NULL;
    char what[256];

    if (o->cmp == EMU_ORACLE_CMP_LOCKOUT) {
        /* the wrong attempt is told apart from the right one here */
        o->cmp = EMU_ORACLE_CMP_NONE;
        if (!durable_unchanged(e, &r) || r == NULL)
            return;
        snprintf(what, sizeof(what),
                 "with %s changed the run takes another path %" PRIu64
                 " blocks after it was declared, and %s (%u bytes) has not "
                 "changed yet: a power cut here undoes the attempt",
                 s->what, at, r->what[0] ? r->what : "durable memory",
                 (unsigned)r->len);
        o->path_found = 1;
        stop_here(e, a, "lockout-power-cut", what);
        return;
    }
    snprintf(what, sizeof(what),
             "the path depends on %s (%u bytes): with byte %u of it changed "
             "the run enters other code %" PRIu64
             " blocks after it was declared than with byte 0 changed",
             s->what, (unsigned)s->len,
             (unsigned)perturb_offset(o, (uint32_t)s->len), at);
    o->path_found = 1;
    stop_here(e, a, "secret-timing", what);
}

void emu_oracle_block(struct emu *e, uint32_t a)
{
    struct emu_oracle *o = &e->oracle;
    uint64_t i;

    if (e->run.blocks <= o->trace_from || o->trace_done)
        return; /* before the first declaration, after the code under test */
    o->path = (o->path ^ a) * 0x100000001b3ull;
    if (o->rec != NULL && o->rec_len < TRACE_MAX)
        o->rec[o->rec_len++] = a;
    if (o->cmp == EMU_ORACLE_CMP_NONE)
        return;
    i = o->cmp_pos++;
    if (i >= o->ref_len) {
        if (o->ref_len < TRACE_MAX)
            diverged(e, a, i); /* longer than the reference */
        else
            o->cmp = EMU_ORACLE_CMP_NONE; /* past what was recorded */
        return;
    }
    if (o->ref[i] != a)
        diverged(e, a, i);
}

/* ---- after a run ---- */

/* In a child process: fn(e, arg) runs the input again with its own hooks;
 * the child sends back the result and the finding's text. 1 when the
 * child found something (res, cls and what filled), 0 when not, -1 when
 * there is no child. */
struct child_msg {
    int found;
    struct emu_result res;
    char cls[sizeof(((struct emu_oracle *)0)->cls)];
    char what[sizeof(((struct emu_oracle *)0)->what)];
};

static int in_child(struct emu *e, int (*fn)(struct emu *, void *), void *arg,
                    struct emu_result *res)
{
    struct child_msg msg;
    int fds[2], status;
    ssize_t r;
    size_t got = 0;
    pid_t pid;

    if (pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        memset(&msg, 0, sizeof(msg));
        msg.found = fn(e, arg) == 1;
        if (msg.found) {
            msg.res = *e->run.res;
            memcpy(msg.cls, e->oracle.cls, sizeof(msg.cls));
            memcpy(msg.what, e->oracle.what, sizeof(msg.what));
        }
        r = write(fds[1], &msg, sizeof(msg));
        _exit(r == (ssize_t)sizeof(msg) ? 0 : 1);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return -1;
    }
    while (got < sizeof(msg)) {
        r = read(fds[0], (char *)&msg + got, sizeof(msg) - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (got != sizeof(msg) || !msg.found)
        return 0;
    *res = msg.res;
    set_finding(e, msg.cls, msg.what);
    return 1;
}

/* Hooks added in a child must reach code translated before them. */
static void retranslate(struct emu *e)
{
    unsigned i;

    for (i = 0; i < e->img.ncode; i++)
        uc_ctl_remove_cache(e->uc, e->img.code[i].base,
                            e->img.code[i].base + e->img.code[i].size);
}

struct rerun_ctx {
    const uint8_t *input;
    size_t len;
    struct emu_result res;
    /* secret-in-memory: the address left holding a piece */
    uint32_t addr, size;
    unsigned writes, stop_at;
    const char *what;
};

static void hook_leftover_write(uc_engine *uc, uc_mem_type type,
                                uint64_t address, int size, int64_t value,
                                void *user)
{
    struct emu *e = user;
    struct rerun_ctx *c = e->oracle.ctx;

    (void)uc;
    (void)type;
    (void)address;
    (void)size;
    (void)value;
    emu_mem_mark_dirty(e, (uint32_t)address, (uint32_t)size);
    if (++c->writes == c->stop_at)
        stop_here(e, emu_run_current_block(e), "secret-in-memory", c->what);
}

/* Child: the last store to c->addr before the run returned. */
static int find_writer(struct emu *e, void *arg)
{
    struct rerun_ctx *c = arg;
    uc_hook h;

    e->oracle.ctx = c;
    if (uc_hook_add(e->uc, &h, UC_HOOK_MEM_WRITE,
                    emu_cb((emu_fn)hook_leftover_write), e, c->addr,
                    c->addr + c->size - 1) != UC_ERR_OK)
        return 0;
    retranslate(e);
    c->writes = 0;
    c->stop_at = 0;
    if (emu_run_again(e, c->input, c->len, &c->res) != EMU_OK ||
        c->res.stop != EMU_STOP_RETURN || c->writes == 0)
        return 0;
    c->stop_at = c->writes;
    c->writes = 0;
    if (emu_run_again(e, c->input, c->len, &c->res) != EMU_OK)
        return 0;
    return c->res.stop == EMU_STOP_FAULT && c->res.fault == EMU_FAULT_ORACLE;
}

/* A page's neighbours are searched too, for pieces across its end. */
static int leftover(struct emu *e, uint32_t *addr, struct fwfuzz_match *m)
{
    struct emu_oracle *o = &e->oracle;
    uint32_t i, k;

    matcher_ready(e);
    for (i = 0; i < e->mem.ndirty; i++) {
        uint32_t page = e->mem.dirty_list[i];
        struct emu_map *mp = e->mem.page_map[page];
        uint32_t off = (page - mp->page0) << EMU_PAGE_SHIFT;
        uint32_t n = EMU_PAGE + 2 * FWFUZZ_MATCH_WINDOW;
        size_t from = 0;

        if (mp->kind != EMU_KIND_RAM || mp == e->mem.input ||
            strncmp(mp->name, "kasan", 5) == 0)
            continue;
        if (n > mp->size - off)
            n = mp->size - off;
        while (fwfuzz_matcher_find(o->matcher, mp->host + off, n, from, m)) {
            uint32_t at = mp->base + off + (uint32_t)m->at;
            int home = 0;

            if (m->at >= EMU_PAGE)
                break; /* the next page's: found from there */
            for (k = 0; k < o->nsecrets; k++)
                if (at + m->len > o->secret[k].addr &&
                    at < o->secret[k].addr + o->secret[k].home_len)
                    home = 1;
            if (!home && !public_piece(e, mp->host + off, m)) {
                *addr = at;
                return 1;
            }
            from = m->at + 1;
        }
    }
    return 0;
}

static int check_memory(struct emu *e, const uint8_t *input, size_t len,
                        struct emu_result *res)
{
    struct emu_oracle *o = &e->oracle;
    struct fwfuzz_match m;
    struct rerun_ctx c;
    const struct emu_sym *obj;
    char what[256], where[96];
    uint32_t addr;

    if (!leftover(e, &addr, &m))
        return 0;
    if (addr >= e->board->stack_limit && addr < e->board->stack_top)
        snprintf(where, sizeof(where),
                 "the stack at 0x%08x after the entry returned",
                 (unsigned)addr);
    else if ((obj = emu_sym_at(e, addr, EMU_SYM_OBJECT)) != NULL)
        snprintf(where, sizeof(where), "global %s at 0x%08x",
                 emu_sym_name(e, obj), (unsigned)addr);
    else
        snprintf(where, sizeof(where), "RAM at 0x%08x (heap or free memory)",
                 (unsigned)addr);
    describe_match(e, &m, where, what, sizeof(what));
    memset(&c, 0, sizeof(c));
    c.input = input;
    c.len = len;
    c.addr = addr;
    c.size = (uint32_t)m.len;
    c.what = what;
    if (in_child(e, find_writer, &c, res) == 1)
        return 1;
    /* no child, or it could not tell: where the run returned */
    set_finding(e, "secret-in-memory", what);
    res->stop = EMU_STOP_FAULT;
    res->fault = EMU_FAULT_ORACLE;
    res->site = e->entry & ~1u;
    res->pc = e->entry & ~1u;
    (void)o;
    return 1;
}

static void hook_fetch(uc_engine *uc, uc_mem_type type, uint64_t address,
                       int size, int64_t value, void *user)
{
    struct emu *e = user;
    struct emu_oracle *o = &e->oracle;
    uint32_t a = (uint32_t)address, i, k;
    char what[256];

    (void)uc;
    (void)type;
    (void)value;
    for (k = 0; k < o->nuntrusted; k++) {
        const struct emu_oracle_region *r = &o->untrusted[k];

        if (e->run.blocks < r->block || o->trace_done ||
            a + (uint32_t)size <= r->addr || a >= r->addr + r->len)
            continue;
        for (i = 0; i < (uint32_t)size; i++) {
            uint32_t off = a + i - r->addr, at = k * o->fetch_len + off;

            if (a + i < r->addr || off >= r->len || off >= o->fetch_len)
                continue;
            if (o->fetched[at] == 0) { /* each region has its own row */
                o->fetched[at] = 1;
                o->fetch_pc[at] = emu_run_current_block(e);
                continue;
            }
            {
                struct emu_location loc;

                memset(&loc, 0, sizeof(loc));
                emu_locate(e, o->fetch_pc[at], &loc);
                snprintf(what, sizeof(what),
                         "byte %u of %s, read in %s (0x%08x), is read again: "
                         "what was checked can change before it is used",
                         (unsigned)off,
                         r->what[0] ? r->what : "untrusted memory",
                         loc.function != NULL ? loc.function : "?",
                         (unsigned)o->fetch_pc[at]);
            }
            stop_here(e, emu_run_current_block(e), "double-fetch", what);
            return;
        }
    }
}

/* Child: the run again, reading the untrusted memory through a hook. */
static int find_double_fetch(struct emu *e, void *arg)
{
    struct rerun_ctx *c = arg;
    struct emu_oracle *o = &e->oracle;
    struct emu_oracle_region keep[EMU_ORACLE_REGIONS];
    unsigned k, n = o->nuntrusted;
    uc_hook h;

    memcpy(keep, o->untrusted, sizeof(keep));
    o->fetch_len = 0;
    for (k = 0; k < n; k++)
        if (keep[k].len > o->fetch_len)
            o->fetch_len = keep[k].len;
    o->fetched = calloc((size_t)o->fetch_len * n, 1);
    o->fetch_pc = calloc((size_t)o->fetch_len * n, sizeof(uint32_t));
    if (o->fetched == NULL || o->fetch_pc == NULL)
        return 0;
    for (k = 0; k < n; k++)
        if (uc_hook_add(e->uc, &h, UC_HOOK_MEM_READ, emu_cb((emu_fn)hook_fetch),
                        e, keep[k].addr,
                        keep[k].addr + keep[k].len - 1) != UC_ERR_OK)
            return 0;
    retranslate(e);
    if (emu_run_again(e, c->input, c->len, &c->res) != EMU_OK)
        return 0;
    return c->res.stop == EMU_STOP_FAULT && c->res.fault == EMU_FAULT_ORACLE;
}

static int check_fetches(struct emu *e, const uint8_t *input, size_t len,
                         struct emu_result *res)
{
    struct rerun_ctx c;

    memset(&c, 0, sizeof(c));
    c.input = input;
    c.len = len;
    return in_child(e, find_double_fetch, &c, res) == 1;
}

/*
 * The runs with one secret byte changed. The first (byte 0) is compared
 * with the unchanged run for the lockout and recorded; the second (the
 * last byte) is compared with it.
 */
static int check_paths(struct emu *e, const uint8_t *input, size_t len,
                       struct emu_result *res)
{
    struct emu_oracle *o = &e->oracle;
    struct emu_oracle_secret secrets[FWFUZZ_SECRETS];
    unsigned n = o->nsecrets, k, at;
    uint64_t orig_len = o->rec_len;

    memcpy(secrets, o->secret, sizeof(secrets));
    o->rerun = 1;
    for (k = 0; k < n; k++) {
        if (secrets[k].len < 2)
            continue;
        for (at = 0; at < 2; at++) {
            uint32_t *ref = at == 0 ? o->trace_a : o->trace_b;
            uint64_t ref_len = at == 0 ? orig_len : o->b_len;

            o->perturb = (int)k;
            o->perturb_at = at;
            o->ref = ref;
            o->ref_len = ref_len;
            o->rec = at == 0 ? o->trace_b : NULL;
            o->cmp = at == 0 ? (o->ndurable > 0 ? EMU_ORACLE_CMP_LOCKOUT
                                                : EMU_ORACLE_CMP_NONE)
                             : EMU_ORACLE_CMP_TIMING;
            o->path_found = 0;
            if (emu_run_again(e, input, len, res) != EMU_OK)
                goto done;
            /* only the comparison's: with a secret changed, the target's
             * own checks may fail in any way */
            if (o->path_found) {
                o->perturb = -1;
                o->rerun = 0;
                o->cmp = EMU_ORACLE_CMP_NONE;
                o->rec = NULL;
                return 1;
            }
            if (at == 0) {
                /* a reference that reached the end of the compared part
                 * (its first TRACE_MAX blocks are compared) */
                o->b_len = o->rec_len;
                if (res->stop != EMU_STOP_RETURN && !o->trace_done)
                    break;
            }
        }
    }
done:
    o->perturb = -1;
    o->rerun = 0;
    o->cmp = EMU_ORACLE_CMP_NONE;
    o->rec = NULL;
    return 0;
}

/*
 * The re-runs judge a path: the blocks from the first declaration to the
 * end of the code under test, and what was declared. A path whose re-runs
 * were clean once is not run again in this process (a fuzzer's inputs
 * mostly take paths it has seen); a replay in a new process checks all.
 * Slot i holds a key or 0 (free); keys are never 0.
 */
static uint32_t path_slot(const struct emu_oracle *o, uint64_t key)
{
    uint32_t i = (uint32_t)(key >> 40) & (CHECKED_SLOTS - 1), n;

    for (n = 0; n < CHECKED_SLOTS; n++, i = (i + 1) & (CHECKED_SLOTS - 1))
        if (o->checked[i] == key || o->checked[i] == 0)
            return i;
    return CHECKED_SLOTS; /* full */
}

static int seen(const struct emu_oracle *o, uint64_t key)
{
    uint32_t i = path_slot(o, key);

    return i < CHECKED_SLOTS && o->checked[i] == key;
}

static void checked_clean(struct emu_oracle *o, uint64_t key)
{
    uint32_t i = path_slot(o, key);

    if (i < CHECKED_SLOTS)
        o->checked[i] = key;
}

static uint64_t path_key(const struct emu_oracle *o)
{
    uint64_t k = o->path;

    k = (k ^ o->nsecrets) * 0x100000001b3ull;
    k = (k ^ o->nuntrusted) * 0x100000001b3ull;
    k = (k ^ o->ndurable) * 0x100000001b3ull;
    return k != 0 ? k : 1;
}

int emu_oracle_after(struct emu *e, const uint8_t *input, size_t len,
                     struct emu_result *res)
{
    struct emu_oracle *o = &e->oracle;
    struct emu_result keep = *res;
    uint8_t *cov = e->cov.map;
    struct emu_blocks *blocks = e->cov.blocks;
    uint64_t key;
    int found = 0;

    if (!o->on || res->stop != EMU_STOP_RETURN ||
        (o->nsecrets == 0 && o->nuntrusted == 0))
        return EMU_OK;
    e->cov.map = NULL;
    e->cov.blocks = NULL;
    key = path_key(o);
    if (o->nsecrets > 0)
        found = check_memory(e, input, len, res);
    if (!found && !seen(o, key) && o->nuntrusted > 0)
        found = check_fetches(e, input, len, res);
    if (!found && !seen(o, key) && o->nsecrets > 0)
        found = check_paths(e, input, len, res);
    if (!found)
        checked_clean(o, key);
    e->cov.map = cov;
    e->cov.blocks = blocks;
    if (!found)
        *res = keep;
    return EMU_OK;
}

/* Before a run: the unchanged run records its path. */
void emu_oracle_first_run(struct emu *e, const uint8_t *input, size_t len)
{
    struct emu_oracle *o = &e->oracle;

    o->input = input;
    o->input_len = len;
    /* recorded from the first declaration on (path_starts): a run that
     * declares nothing costs the block hook nothing */
    o->rec = NULL;
    o->first = o->on;
    o->cmp = EMU_ORACLE_CMP_NONE;
    o->perturb = -1;
    o->rerun = 0;
}

int emu_oracle_finding(struct emu *e, const struct emu_result *res, char *cls,
                       size_t ncls, char *what, size_t nwhat)
{
    const char *sym;

    if (cls != NULL && ncls > 0)
        cls[0] = '\0';
    if (what != NULL && nwhat > 0)
        what[0] = '\0';
    if (e == NULL || res == NULL || cls == NULL || ncls == 0 || what == NULL ||
        nwhat == 0)
        return EMU_ERR_ARG;
    if (res->stop != EMU_STOP_FAULT || res->fault != EMU_FAULT_ORACLE)
        return EMU_ERR_NO_CHECK;
    sym = emu_fault_stop_name(e->run.stop_sym);
    if (sym != NULL && strcmp(sym, "fwfuzz_finding") == 0 &&
        res->pc == e->hooks.sym_addr[e->run.stop_sym]) {
        /* the guest's own check: fwfuzz_finding(cls, what, file, line) */
        guest_str(e, res->regs[0], cls, ncls);
        guest_str(e, res->regs[1], what, nwhat);
        if (cls[0] == '\0')
            snprintf(cls, ncls, "oracle");
        return EMU_OK;
    }
    snprintf(cls, ncls, "%s", e->oracle.cls[0] ? e->oracle.cls : "oracle");
    snprintf(what, nwhat, "%s", e->oracle.what);
    return EMU_OK;
}
