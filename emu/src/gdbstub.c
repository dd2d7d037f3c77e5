/*
 * A GDB remote stub over one run: the packets GDB sends a Cortex-M target
 * (registers, memory, breakpoints, step, continue) served from the
 * emulator, with the verdict of emu_run at the end.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/gdb.h"
#include "gdb_conn.h"
#include "internal.h"

#define GDB_MAX_BPS  64
#define GDB_XML_MAX  2048
#define GDB_REG_XPSR 25 /* GDB's number for xpsr (arm-m-profile.xml) */

/* GDB's signal numbers (include/gdb/signals.def), not the host's. */
enum gdb_signal {
    GDB_SIGILL = 4,
    GDB_SIGTRAP = 5,
    GDB_SIGABRT = 6,
    GDB_SIGSEGV = 11,
    GDB_SIGALRM = 14,
};

struct gdb {
    struct emu *e;
    struct emu_result *res;
    struct gdb_conn c;
    uint32_t bps[GDB_MAX_BPS];
    unsigned nbps;
    uc_hook hook;
    int skip_first;     /* the instruction a resume starts on */
    int hit;            /* a breakpoint stopped the last resume */
    uint32_t last_insn; /* the instruction the hook saw last */
    int done;           /* the run has its verdict (or failed) */
    int rc;             /* emu_run_end's return, once done */
    int ended;          /* the session is over */
    int unfinished;     /* it ended by k or a lost link, before the verdict */
    char pkt[GDB_PACKET_MAX + 1];
    char out[GDB_PACKET_MAX + 1];
    char xml[GDB_XML_MAX];
};

static int bp_index(const struct gdb *g, uint32_t addr)
{
    unsigned i;

    for (i = 0; i < g->nbps; i++)
        if (g->bps[i] == addr)
            return (int)i;
    return -1;
}

static void hook_code(uc_engine *uc, uint64_t address, uint32_t size,
                      void *user)
{
    struct gdb *g = user;
    uint32_t a = (uint32_t)address;

    (void)size;
    g->last_insn = a;
    if (g->skip_first) {
        g->skip_first = 0;
        return;
    }
    if (g->nbps > 0 && !g->e->run.stopped && bp_index(g, a) >= 0) {
        g->hit = 1;
        g->e->whole.external_stop = 1; /* a whole image's loop stops too */
        uc_emu_stop(uc);
    }
}

/* Code translated before (or with) a hook keeps its hook calls: drop it. */
static int flush_code(struct emu *e)
{
    unsigned i;

    for (i = 0; i < e->img.ncode; i++) {
        const struct emu_range *r = &e->img.code[i];
        uc_err err = uc_ctl_remove_cache(e->uc, r->base, r->base + r->size);

        if (err != UC_ERR_OK)
            return emu_fail(e, EMU_ERR_UNICORN, "flushing translations: %s",
                            uc_strerror(err));
    }
    return EMU_OK;
}

static int hook_install(struct gdb *g)
{
    uc_err err = uc_hook_add(g->e->uc, &g->hook, UC_HOOK_CODE,
                             emu_cb((emu_fn)hook_code), g, 1, 0);

    if (err != UC_ERR_OK) {
        g->hook = 0;
        return emu_fail(g->e, EMU_ERR_UNICORN, "adding the stub's hook: %s",
                        uc_strerror(err));
    }
    return flush_code(g->e);
}

static int hook_remove(struct gdb *g)
{
    uc_err err;

    if (g->hook == 0)
        return EMU_OK;
    err = uc_hook_del(g->e->uc, g->hook);
    g->hook = 0;
    if (err != UC_ERR_OK)
        return emu_fail(g->e, EMU_ERR_UNICORN, "removing the stub's hook: %s",
                        uc_strerror(err));
    return flush_code(g->e);
}

/* The signal GDB shows for a verdict. */
static int stop_signal(const struct emu *e, const struct emu_result *res)
{
    if (res->stop == EMU_STOP_HANG)
        return GDB_SIGALRM;
    if (e->run.stop_sym >= 0)
        return GDB_SIGABRT; /* abort, assert, a check, KASan, exit */
    switch (res->fault) {
    case EMU_FAULT_INVALID_INSN:
        return GDB_SIGILL;
    case EMU_FAULT_BKPT:
        return GDB_SIGTRAP;
    case EMU_FAULT_ABORT:
    case EMU_FAULT_STACK_PROTECTOR:
        return GDB_SIGABRT;
    default:
        return GDB_SIGSEGV;
    }
}

/* "T05" while paused; at the verdict T<sig>, or W00 when it returned. */
static void stop_reply(struct gdb *g, int terminated)
{
    if (!g->done) {
        snprintf(g->out, sizeof(g->out), "T%02x", GDB_SIGTRAP);
        return;
    }
    if (g->rc != EMU_OK) {
        snprintf(g->out, sizeof(g->out), "X%02x", GDB_SIGABRT);
        return;
    }
    if (g->res->stop == EMU_STOP_RETURN) {
        snprintf(g->out, sizeof(g->out), "W00");
        return;
    }
    snprintf(g->out, sizeof(g->out), "%c%02x", terminated ? 'X' : 'T',
             stop_signal(g->e, g->res));
}

/* The run ended: its verdict, with the exact PC of a data fault. */
static void finish(struct gdb *g, uc_err err)
{
    struct emu *e = g->e;

    g->done = 1;
    g->rc = emu_run_end(e, err, g->res);
    if (g->rc == EMU_OK && emu_run_needs_exact_pc(e, g->res) &&
        g->last_insn - e->run.fault_block < e->run.fault_block_size)
        emu_run_exact_pc(e, g->res, g->last_insn);
}

static uint32_t read_pc(struct gdb *g)
{
    uint32_t pc = 0;

    uc_reg_read(g->e->uc, UC_ARM_REG_PC, &pc);
    return pc;
}

/* Runs one instruction (step) or until a breakpoint or the verdict. */
static void resume(struct gdb *g, int step)
{
    struct emu *e = g->e;
    uc_err err;

    if (g->done)
        return;
    g->skip_first = 1;
    g->hit = 0;
    err = emu_run_resume(e, read_pc(g), step ? 1 : 0);
    if (!e->run.stopped && err == UC_ERR_OK && (g->hit || step) &&
        read_pc(g) != e->board->sentinel)
        return;
    finish(g, err);
}

/* GDB's register number to our index (r0-r15, then xpsr); -1 if none. */
static int reg_index(unsigned long n)
{
    if (n < 16)
        return (int)n;
    return n == GDB_REG_XPSR ? 16 : -1;
}

/* At the verdict, the registers as they were at the stop. */
static int get_reg(struct gdb *g, int i, uint32_t *v)
{
    *v = 0;
    if (g->done) {
        *v = g->res->regs[i];
        return 0;
    }
    return uc_reg_read(g->e->uc, emu_reg_ids[i], v) == UC_ERR_OK ? 0 : -1;
}

static int set_reg(struct gdb *g, int i, uint32_t v)
{
    if (g->done)
        return -1;
    if (i == 15)
        v |= 1u; /* M-profile runs Thumb only */
    return uc_reg_write(g->e->uc, emu_reg_ids[i], &v) == UC_ERR_OK ? 0 : -1;
}

static void put_hex32(char *p, uint32_t v)
{
    snprintf(p, 9, "%02x%02x%02x%02x", v & 0xFF, (v >> 8) & 0xFF,
             (v >> 16) & 0xFF, v >> 24);
}

/* n bytes of hex at p; -1 when p holds fewer. */
static int get_hex_bytes(const char *p, uint8_t *out, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        int hi = emu_hex_digit(p[2 * i]),
            lo = hi < 0 ? -1 : emu_hex_digit(p[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

static int get_hex32(const char *p, uint32_t *v)
{
    uint8_t b[4];

    if (get_hex_bytes(p, b, 4) != 0)
        return -1;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
         (uint32_t)b[3] << 24;
    return 0;
}

/* A hex number at p; *end is the character after it. */
static int parse_num(const char *p, const char **end, unsigned long *v)
{
    char *e;

    if (emu_hex_digit(*p) < 0)
        return -1;
    *v = strtoul(p, &e, 16);
    *end = e;
    return 0;
}

/* "ADDR,LEN" (then whatever follows, at *end). */
static int parse_addr_len(const char *p, const char **end, uint32_t *addr,
                          uint32_t *len)
{
    unsigned long a, n;

    if (parse_num(p, &p, &a) != 0 || *p != ',' ||
        parse_num(p + 1, &p, &n) != 0 || a > UINT32_MAX || n > GDB_PACKET_MAX)
        return -1;
    *addr = (uint32_t)a;
    *len = (uint32_t)n;
    *end = p;
    return 0;
}

static void reply_regs(struct gdb *g)
{
    uint32_t v;
    int i;

    for (i = 0; i < 17; i++) {
        if (get_reg(g, i, &v) != 0) {
            snprintf(g->out, sizeof(g->out), "E01");
            return;
        }
        put_hex32(g->out + 8 * i, v);
    }
}

static void write_regs(struct gdb *g, const char *p)
{
    uint32_t v;
    int i;

    for (i = 0; i < 17 && strlen(p) >= 8 * (size_t)(i + 1); i++)
        if (get_hex32(p + 8 * i, &v) != 0 || set_reg(g, i, v) != 0) {
            snprintf(g->out, sizeof(g->out), "E01");
            return;
        }
    snprintf(g->out, sizeof(g->out), "%s", i >= 16 ? "OK" : "E01");
}

/* p N / P N=VALUE. */
static void one_reg(struct gdb *g, const char *p, int write)
{
    const char *end;
    unsigned long n;
    uint32_t v;
    int i;

    if (parse_num(p, &end, &n) != 0 || (i = reg_index(n)) < 0) {
        snprintf(g->out, sizeof(g->out), "E00");
        return;
    }
    if (write) {
        if (*end != '=' || get_hex32(end + 1, &v) != 0 || set_reg(g, i, v) != 0)
            snprintf(g->out, sizeof(g->out), "E01");
        else
            snprintf(g->out, sizeof(g->out), "OK");
        return;
    }
    if (get_reg(g, i, &v) != 0)
        snprintf(g->out, sizeof(g->out), "E01");
    else
        put_hex32(g->out, v);
}

/* As much of [addr, addr + len) as is backed by host memory (not MMIO). */
static void read_mem(struct gdb *g, const char *p)
{
    uint32_t addr, len, i;
    const char *end;
    uint8_t b;

    if (parse_addr_len(p, &end, &addr, &len) != 0 || len * 2 > GDB_PACKET_MAX) {
        snprintf(g->out, sizeof(g->out), "E00");
        return;
    }
    for (i = 0; i < len; i++) {
        if (emu_mem_read(g->e, addr + i, &b, 1) != 0)
            break;
        snprintf(g->out + 2 * i, 3, "%02x", b);
    }
    if (i == 0 && len > 0)
        snprintf(g->out, sizeof(g->out), "E14"); /* EFAULT */
}

/* M ADDR,LEN:HEX (binary: X ADDR,LEN:BYTES); code written is re-translated. */
static void write_mem(struct gdb *g, const char *p, size_t n, int binary)
{
    uint8_t buf[GDB_PACKET_MAX];
    uint32_t addr, len;
    const char *end;
    uint8_t *host;

    if (parse_addr_len(p, &end, &addr, &len) != 0 || *end != ':') {
        snprintf(g->out, sizeof(g->out), "E00");
        return;
    }
    end++;
    if (binary ? (size_t)(end - p) + len > n
               : get_hex_bytes(end, buf, len) != 0) {
        snprintf(g->out, sizeof(g->out), "E00");
        return;
    }
    if (binary)
        memcpy(buf, end, len);
    host = len > 0 ? emu_mem_host(g->e, addr, len) : NULL;
    if (len > 0 && host == NULL) {
        snprintf(g->out, sizeof(g->out), "E14");
        return;
    }
    if (len > 0) {
        memcpy(host, buf, len);
        emu_mem_mark_dirty(g->e, addr, len);
        uc_ctl_remove_cache(g->e->uc, addr, (uint64_t)addr + len);
    }
    snprintf(g->out, sizeof(g->out), "OK");
}

/* Z0/Z1 ADDR,KIND (insert) and z0/z1 (remove); no watchpoints. */
static void breakpoint(struct gdb *g, const char *p, int insert)
{
    unsigned long addr;
    const char *end;
    int i;

    if ((p[0] != '0' && p[0] != '1') || p[1] != ',')
        return; /* empty: unsupported kind */
    if (parse_num(p + 2, &end, &addr) != 0 || addr > UINT32_MAX) {
        snprintf(g->out, sizeof(g->out), "E00");
        return;
    }
    i = bp_index(g, (uint32_t)addr & ~1u);
    if (insert && i < 0) {
        if (g->nbps == GDB_MAX_BPS) {
            snprintf(g->out, sizeof(g->out), "E28"); /* ENOSPC */
            return;
        }
        g->bps[g->nbps++] = (uint32_t)addr & ~1u;
    } else if (!insert && i >= 0) {
        g->bps[i] = g->bps[--g->nbps];
    }
    snprintf(g->out, sizeof(g->out), "OK");
}

static void build_xml(struct gdb *g)
{
    size_t at;
    int i;

    at = (size_t)snprintf(g->xml, sizeof(g->xml),
                          "<?xml version=\"1.0\"?>\n"
                          "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                          "<target version=\"1.0\">\n"
                          "<architecture>arm</architecture>\n"
                          "<feature name=\"org.gnu.gdb.arm.m-profile\">\n");
    for (i = 0; i <= 12; i++)
        at += (size_t)snprintf(
            g->xml + at, sizeof(g->xml) - at,
            "<reg name=\"r%d\" bitsize=\"32\" regnum=\"%d\"/>\n", i, i);
    snprintf(
        g->xml + at, sizeof(g->xml) - at,
        "<reg name=\"sp\" bitsize=\"32\" type=\"data_ptr\" regnum=\"13\"/>\n"
        "<reg name=\"lr\" bitsize=\"32\" regnum=\"14\"/>\n"
        "<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"15\"/>\n"
        "<reg name=\"xpsr\" bitsize=\"32\" regnum=\"%d\"/>\n"
        "</feature>\n"
        "</target>\n",
        GDB_REG_XPSR);
}

/* qXfer:features:read:target.xml:OFFSET,LENGTH */
static void xfer_features(struct gdb *g, const char *p)
{
    static const char annex[] = "target.xml:";
    size_t total = strlen(g->xml);
    uint32_t off, len;
    const char *end;

    if (strncmp(p, annex, sizeof(annex) - 1) != 0 ||
        parse_addr_len(p + sizeof(annex) - 1, &end, &off, &len) != 0) {
        snprintf(g->out, sizeof(g->out), "E00");
        return;
    }
    if (len > GDB_PACKET_MAX - 1)
        len = GDB_PACKET_MAX - 1;
    if (off >= total) {
        snprintf(g->out, sizeof(g->out), "l");
        return;
    }
    if (len > total - off)
        len = (uint32_t)(total - off);
    snprintf(g->out, sizeof(g->out), "%c%.*s", off + len >= total ? 'l' : 'm',
             (int)len, g->xml + off);
}

static int starts(const char *p, const char *prefix)
{
    return strncmp(p, prefix, strlen(prefix)) == 0;
}

/* q... and Q... packets. */
static void query(struct gdb *g, const char *p)
{
    if (starts(p, "qSupported"))
        snprintf(g->out, sizeof(g->out),
                 "PacketSize=%x;qXfer:features:read+;QStartNoAckMode+",
                 GDB_PACKET_MAX);
    else if (starts(p, "qXfer:features:read:"))
        xfer_features(g, p + strlen("qXfer:features:read:"));
    else if (strcmp(p, "QStartNoAckMode") == 0)
        snprintf(g->out, sizeof(g->out), "OK");
    else if (strcmp(p, "qAttached") == 0)
        snprintf(g->out, sizeof(g->out), "1");
    else if (strcmp(p, "qC") == 0)
        snprintf(g->out, sizeof(g->out), "QC1");
    else if (strcmp(p, "qfThreadInfo") == 0)
        snprintf(g->out, sizeof(g->out), "m1");
    else if (strcmp(p, "qsThreadInfo") == 0)
        snprintf(g->out, sizeof(g->out), "l");
    else if (starts(p, "qSymbol"))
        snprintf(g->out, sizeof(g->out), "OK");
}

/* D: the run goes on to its verdict without the debugger. */
static void detach(struct gdb *g)
{
    g->nbps = 0;
    resume(g, 0);
    g->ended = 1;
}

static void kill_run(struct gdb *g)
{
    g->ended = 1;
    g->unfinished = !g->done;
}

/* One packet: the reply in g->out ("" = empty, unsupported). */
static void dispatch(struct gdb *g, const char *p, size_t n)
{
    g->out[0] = '\0';
    switch (p[0]) {
    case '?':
        stop_reply(g, 0);
        break;
    case 'g':
        reply_regs(g);
        break;
    case 'G':
        write_regs(g, p + 1);
        break;
    case 'p':
    case 'P':
        one_reg(g, p + 1, p[0] == 'P');
        break;
    case 'm':
        read_mem(g, p + 1);
        break;
    case 'M':
    case 'X':
        write_mem(g, p + 1, n - 1, p[0] == 'X');
        break;
    case 'Z':
    case 'z':
        breakpoint(g, p + 1, p[0] == 'Z');
        break;
    case 'c':
    case 's':
        if (p[1] != '\0') /* "c ADDR": resume elsewhere */
            set_reg(g, 15, (uint32_t)strtoul(p + 1, NULL, 16));
        stop_reply(g, g->done);
        if (!g->done) {
            resume(g, p[0] == 's');
            stop_reply(g, 0);
        }
        break;
    case 'H':
    case 'T':
        snprintf(g->out, sizeof(g->out), "OK");
        break;
    case 'D':
        snprintf(g->out, sizeof(g->out), "OK");
        break;
    case 'q':
    case 'Q':
        query(g, p);
        break;
    case 'v':
        if (starts(p, "vKill"))
            snprintf(g->out, sizeof(g->out), "OK");
        break;
    default:
        break;
    }
}

/* After the reply: what ends the session. */
static void after_reply(struct gdb *g, const char *p)
{
    if (strcmp(p, "QStartNoAckMode") == 0)
        g->c.no_ack = 1;
    else if (p[0] == 'D')
        detach(g);
    else if (starts(p, "vKill"))
        kill_run(g);
}

static int session(struct gdb *g)
{
    size_t n;

    while (!g->ended) {
        if (gdb_conn_recv(&g->c, g->pkt, sizeof(g->pkt), &n) != 0) {
            kill_run(g); /* the debugger went away */
            break;
        }
        if (g->pkt[0] == 'k') {
            kill_run(g);
            break;
        }
        dispatch(g, g->pkt, n);
        if (gdb_conn_send_str(&g->c, g->out) != 0) {
            kill_run(g);
            break;
        }
        after_reply(g, g->pkt);
    }
    return EMU_OK;
}

static int start(struct gdb *g, const uint8_t *input, size_t len)
{
    uint32_t pc;
    int rc = emu_run_begin(g->e, input, &len, g->res);

    if (rc != EMU_OK)
        return rc;
    /* The entry is where the run starts: PC says so before the first step.
     * A whole image starts where its snapshot is: PC is right already. */
    pc = g->e->entry | 1u;
    if (!g->e->board->image.whole &&
        uc_reg_write(g->e->uc, UC_ARM_REG_PC, &pc) != UC_ERR_OK)
        return emu_fail(g->e, EMU_ERR_UNICORN, "setting PC to the entry");
    return hook_install(g);
}

int emu_gdb_serve(struct emu *e, int fd, const uint8_t *input, size_t len,
                  struct emu_result *res)
{
    struct gdb *g;
    int rc, rc2;

    if (e == NULL || res == NULL || (input == NULL && len > 0))
        return EMU_ERR_ARG;
    g = calloc(1, sizeof(*g));
    if (g == NULL)
        return EMU_ERR_NOMEM;
    g->e = e;
    g->res = res;
    build_xml(g);
    rc = start(g, input, len);
    if (rc == EMU_OK && gdb_conn_open(&g->c, fd) != 0)
        rc = emu_fail(e, EMU_ERR_IO, "accepting the debugger's connection");
    if (rc == EMU_OK)
        rc = session(g);
    gdb_conn_close(&g->c);
    rc2 = hook_remove(g);
    if (rc == EMU_OK)
        rc = g->unfinished ? EMU_GDB_UNFINISHED : g->rc;
    if (rc >= 0 && rc2 != EMU_OK)
        rc = rc2;
    if (rc != EMU_OK)
        memset(res, 0, sizeof(*res));
    free(g);
    return rc;
}
