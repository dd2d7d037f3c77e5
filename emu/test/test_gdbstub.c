/*
 * The GDB stub: packets as the GDB manual's "Remote Protocol" appendix
 * frames them, replies to what gdb-multiarch sends a Cortex-M target, and
 * a run under the stub reaching emu_run's verdict. The client's side is a
 * script written to a socketpair before the stub reads it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "emu/gdb.h"
#include "helpers.h"

#define MAX_REPLIES 32

struct session {
    char script[8192];
    size_t at;
    char out[65536]; /* everything the stub sent */
    size_t out_len;
    char replies[MAX_REPLIES][4200];
    unsigned nreplies;
    unsigned acks, naks;
};

/* Appends "$body#cs" (and an ack for its reply when ack is set). */
static void pkt(struct session *s, const char *body, int ack)
{
    unsigned sum = 0;
    size_t i;

    for (i = 0; body[i] != '\0'; i++)
        sum += (unsigned char)body[i];
    s->at += (size_t)snprintf(s->script + s->at, sizeof(s->script) - s->at,
                              "$%s#%02x%s", body, sum & 0xFF, ack ? "+" : "");
}

static void raw(struct session *s, const char *text)
{
    s->at += (size_t)snprintf(s->script + s->at, sizeof(s->script) - s->at,
                              "%s", text);
}

/* Splits what the stub sent into acks and packets; checks each checksum. */
static void parse_output(struct session *s)
{
    size_t i = 0;

    while (i < s->out_len) {
        char c = s->out[i++];
        unsigned sum = 0, want;
        size_t start = i, n;

        if (c == '+' || c == '-') {
            s->acks += c == '+';
            s->naks += c == '-';
            continue;
        }
        assert_int_equal(c, '$');
        while (i < s->out_len && s->out[i] != '#')
            sum += (unsigned char)s->out[i++];
        assert_true(i + 2 < s->out_len + 1);
        n = i - start;
        assert_int_equal(sscanf(s->out + i + 1, "%2x", &want), 1);
        assert_int_equal(want, sum & 0xFF);
        assert_true(s->nreplies < MAX_REPLIES);
        assert_true(n < sizeof(s->replies[0]));
        memcpy(s->replies[s->nreplies], s->out + start, n);
        s->replies[s->nreplies++][n] = '\0';
        i += 3;
    }
}

/* Runs the stub on the script; returns emu_gdb_serve's code. */
static int serve(struct emu *e, struct session *s, const char *input,
                 struct emu_result *res)
{
    int sv[2], rc;
    ssize_t n;

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(write(sv[0], s->script, s->at), (ssize_t)s->at);
    shutdown(sv[0], SHUT_WR); /* the end of the script: a lost link */
    rc = emu_gdb_serve(e, sv[1], (const uint8_t *)input, strlen(input), res);
    close(sv[1]);
    while ((n = read(sv[0], s->out + s->out_len,
                     sizeof(s->out) - 1 - s->out_len)) > 0)
        s->out_len += (size_t)n;
    close(sv[0]);
    parse_output(s);
    return rc;
}

static void expect_reply(const struct session *s, unsigned i, const char *want)
{
    if (i >= s->nreplies)
        fail_msg("reply %u missing (%u replies)", i, s->nreplies);
    if (strcmp(s->replies[i], want) != 0)
        fail_msg("reply %u: \"%s\", expected \"%s\"", i, s->replies[i], want);
}

static void expect_same_verdict(const struct emu_result *a,
                                const struct emu_result *b)
{
    assert_int_equal(a->stop, b->stop);
    assert_int_equal(a->fault, b->fault);
    assert_int_equal(a->pc, b->pc);
    assert_int_equal(a->addr, b->addr);
    assert_int_equal(a->site, b->site);
    assert_memory_equal(a->regs, b->regs, sizeof(a->regs));
}

/* Little-endian hex of a register, as g and p send it. */
static void hex32(char out[9], uint32_t v)
{
    snprintf(out, 9, "%02x%02x%02x%02x", v & 0xFF, (v >> 8) & 0xFF,
             (v >> 16) & 0xFF, v >> 24);
}

/* A breakpoint, a step, the fault: what gdb-multiarch does in the ctest. */
static void test_gdbstub_break_step_fault(void **state)
{
    static struct session s;
    struct emu_board *b;
    struct emu *e = test_ready(&b, "c_entry");
    struct emu_result plain = test_run(e, "N\x08"), res;
    char g[17 * 8 + 1], pc[9];
    unsigned i;

    (void)state;
    memset(&s, 0, sizeof(s));
    pkt(&s, "qSupported:multiprocess+;swbreak+", 1);    /* 0 */
    pkt(&s, "qXfer:features:read:target.xml:0,ffb", 1); /* 1 */
    pkt(&s, "?", 1);                                    /* 2 */
    pkt(&s, "pf", 1);                                   /* 3 */
    pkt(&s, "Z0,8000158,2", 1);                         /* 4 */
    pkt(&s, "c", 1);                                    /* 5 */
    pkt(&s, "pf", 1);                                   /* 6 */
    pkt(&s, "m60000ffe,2", 1);                          /* 7 */
    pkt(&s, "s", 1);                                    /* 8 */
    pkt(&s, "pf", 1);                                   /* 9 */
    pkt(&s, "z0,8000158,2", 1);                         /* 10 */
    pkt(&s, "c", 1);                                    /* 11 */
    pkt(&s, "g", 1);                                    /* 12 */
    pkt(&s, "p19", 1);                                  /* 13 */
    pkt(&s, "vMustReplyEmpty", 1);                      /* 14 */
    pkt(&s, "m0,4", 1);                                 /* 15 */
    pkt(&s, "qAttached", 1);                            /* 16 */
    pkt(&s, "k", 0);
    assert_int_equal(serve(e, &s, "N\x08", &res), EMU_OK);
    assert_int_equal(s.nreplies, 17);
    assert_int_equal(s.acks, 18); /* one per packet received */
    assert_int_equal(s.naks, 0);
    assert_non_null(strstr(s.replies[0], "PacketSize=1000"));
    assert_non_null(strstr(s.replies[0], "qXfer:features:read+"));
    assert_int_equal(s.replies[1][0], 'l');
    assert_non_null(strstr(s.replies[1], "org.gnu.gdb.arm.m-profile"));
    assert_non_null(strstr(s.replies[1], "<reg name=\"xpsr\" bitsize=\"32\" "
                                         "regnum=\"25\"/>"));
    expect_reply(&s, 2, "T05");
    expect_reply(&s, 3, "6c010008"); /* starts on the entry */
    expect_reply(&s, 4, "OK");
    expect_reply(&s, 5, "T05");
    expect_reply(&s, 6, "58010008"); /* on the breakpoint, not past it */
    expect_reply(&s, 7, "4e08");     /* the input */
    expect_reply(&s, 8, "T05");
    expect_reply(&s, 9, "5a010008"); /* one 16-bit instruction on */
    expect_reply(&s, 10, "OK");
    expect_reply(&s, 11, "T0b"); /* SIGSEGV at the NULL read */
    for (i = 0; i < 17; i++)
        hex32(g + 8 * i, plain.regs[i]);
    expect_reply(&s, 12, g); /* the registers at the fault */
    hex32(pc, plain.regs[16]);
    expect_reply(&s, 13, pc);
    expect_reply(&s, 14, "");
    expect_reply(&s, 15, "E14"); /* nothing maps the NULL page */
    expect_reply(&s, 16, "1");
    expect_same_verdict(&res, &plain);
    assert_int_equal(res.fault, EMU_FAULT_NULL_DEREF);
    emu_close(e);
    emu_board_free(b);
}

/* A bad checksum is NAKed; after QStartNoAckMode nothing is acked. */
static void test_gdbstub_acks(void **state)
{
    static struct session s;
    struct emu_board *b;
    struct emu *e = test_ready(&b, "sum_input");
    struct emu_result res;

    (void)state;
    memset(&s, 0, sizeof(s));
    raw(&s, "+\x03$?#00");         /* stray ack, interrupt, bad checksum */
    pkt(&s, "?", 1);               /* 0 */
    pkt(&s, "QStartNoAckMode", 1); /* 1 */
    pkt(&s, "Hg0", 0);             /* 2 */
    pkt(&s, "qC", 0);              /* 3 */
    pkt(&s, "vCont?", 0);          /* 4 */
    pkt(&s, "D", 0);               /* 5: runs to the end */
    assert_int_equal(serve(e, &s, "ab", &res), EMU_OK);
    assert_int_equal(s.naks, 1);
    assert_int_equal(s.acks, 2); /* "?" and the mode switch */
    expect_reply(&s, 0, "T05");
    expect_reply(&s, 1, "OK");
    expect_reply(&s, 2, "OK");
    expect_reply(&s, 3, "QC1");
    expect_reply(&s, 4, "");
    expect_reply(&s, 5, "OK");
    assert_int_equal(res.stop, EMU_STOP_RETURN);
    assert_int_equal(res.ret, 'a' + 'b');
    emu_close(e);
    emu_board_free(b);
}

/* Each verdict's stop reply, and the same verdict as emu_run's. */
static void test_gdbstub_verdicts(void **state)
{
    static const struct {
        const char *entry, *input, *reply;
    } cases[] = {
        {"sum_input", "ab", "W00"},    {"read_past", "abc", "T0b"},
        {"spin", "", "T0e"},           {"call_check", "", "T06"},
        {"undefined", "", "T04"},      {"breakpoint", "", "T05"},
        {"unmapped_write", "", "T0b"}, {"call_asan", "\xF9", "T06"},
    };
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    unsigned i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        static struct session s;
        struct emu_result plain, res;

        assert_int_equal(emu_set_entry(e, cases[i].entry), EMU_OK);
        plain = test_run(e, cases[i].input);
        memset(&s, 0, sizeof(s));
        pkt(&s, "c", 1);
        pkt(&s, "c", 1); /* after the verdict: the run is over */
        assert_int_equal(serve(e, &s, cases[i].input, &res), EMU_OK);
        if (strcmp(s.replies[0], cases[i].reply) != 0)
            fail_msg("%s: \"%s\", expected \"%s\"", cases[i].entry,
                     s.replies[0], cases[i].reply);
        /* Once over, a fault's run stays terminated by its signal. */
        assert_int_equal(s.replies[1][0], cases[i].reply[0] == 'T' ? 'X' : 'W');
        assert_string_equal(s.replies[1] + 1, cases[i].reply + 1);
        expect_same_verdict(&res, &plain);
        if (res.stop != EMU_STOP_HANG)
            assert_int_equal(res.blocks, plain.blocks);
    }
    emu_close(e);
    emu_board_free(b);
}

/* Registers and memory written by the debugger change the run. */
static void test_gdbstub_writes(void **state)
{
    static struct session s;
    struct emu_board *b;
    struct emu *e = test_ready(&b, "c_entry");
    struct emu_result res;

    (void)state;
    /* P: n = 1 at c_inner's entry, so no NULL read: c_entry returns 2. */
    memset(&s, 0, sizeof(s));
    pkt(&s, "Z0,8000158,2", 1);
    pkt(&s, "c", 1);
    pkt(&s, "P1=01000000", 1);
    pkt(&s, "p1", 1);
    pkt(&s, "P1a=00000000", 1); /* no such register */
    pkt(&s, "c", 1);
    assert_int_equal(serve(e, &s, "N\x08", &res), EMU_OK);
    expect_reply(&s, 2, "OK");
    expect_reply(&s, 3, "01000000");
    expect_reply(&s, 4, "E00");
    expect_reply(&s, 5, "W00");
    assert_int_equal(res.stop, EMU_STOP_RETURN);
    assert_int_equal(res.ret, 2);
    /* M and X: the input's 'N' becomes 'A', then 'B'; G writes g back. */
    memset(&s, 0, sizeof(s));
    pkt(&s, "M60000ffe,1:41", 1);
    pkt(&s, "m60000ffe,2", 1);
    pkt(&s, "X60000ffe,1:B", 1);
    pkt(&s, "m60000ffe,1", 1);
    pkt(&s, "M60000ffe,1:zz", 1);
    pkt(&s, "M50000000,1:00", 1); /* unmapped */
    pkt(&s, "c", 1);
    assert_int_equal(serve(e, &s, "N\x08", &res), EMU_OK);
    expect_reply(&s, 0, "OK");
    expect_reply(&s, 1, "4108");
    expect_reply(&s, 2, "OK");
    expect_reply(&s, 3, "42");
    expect_reply(&s, 4, "E00");
    expect_reply(&s, 5, "E14");
    expect_reply(&s, 6, "W00");
    assert_int_equal(res.ret, 3);
    emu_close(e);
    emu_board_free(b);
}

/* k, or a lost link, before the verdict; the handle runs on as before. */
static void test_gdbstub_kill(void **state)
{
    static struct session s;
    struct emu_board *b;
    struct emu *e = test_ready(&b, "c_entry");
    struct emu_result plain = test_run(e, "N\x08"), res, again;

    (void)state;
    memset(&s, 0, sizeof(s));
    pkt(&s, "Z0,8000158,2", 1);
    pkt(&s, "c", 1);
    pkt(&s, "k", 0);
    assert_int_equal(serve(e, &s, "N\x08", &res), EMU_GDB_UNFINISHED);
    assert_int_equal(res.stop, EMU_STOP_RETURN); /* zeroed */
    assert_int_equal(res.pc, 0);
    memset(&s, 0, sizeof(s));
    pkt(&s, "s", 1);
    assert_int_equal(serve(e, &s, "N\x08", &res), EMU_GDB_UNFINISHED);
    again = test_run(e, "N\x08");
    expect_same_verdict(&again, &plain);
    assert_int_equal(again.blocks, plain.blocks);
    assert_int_equal(emu_gdb_serve(NULL, 0, NULL, 0, &res), EMU_ERR_ARG);
    assert_int_equal(emu_gdb_serve(e, 0, NULL, 1, &res), EMU_ERR_ARG);
    emu_close(e);
    emu_board_free(b);
}

/* A listening socket on 127.0.0.1: one connection is accepted. */
static void test_gdbstub_listen(void **state)
{
    static struct session s;
    struct emu_board *b;
    struct emu *e = test_ready(&b, "c_entry");
    struct sockaddr_in a;
    struct emu_result res;
    unsigned port = 0;
    int lfd, cfd;
    ssize_t n;
    char err[128];

    (void)state;
    assert_int_equal(emu_gdb_listen(70000, &lfd, &port, err, sizeof(err)),
                     EMU_ERR_ARG);
    assert_int_equal(emu_gdb_listen(0, &lfd, &port, err, sizeof(err)), EMU_OK);
    assert_true(port > 0 && port < 65536);
    cfd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(cfd, (struct sockaddr *)&a, sizeof(a)), 0);
    memset(&s, 0, sizeof(s));
    pkt(&s, "c", 1);
    pkt(&s, "D", 1);
    assert_int_equal(write(cfd, s.script, s.at), (ssize_t)s.at);
    shutdown(cfd, SHUT_WR);
    assert_int_equal(emu_gdb_serve(e, lfd, (const uint8_t *)"N\x08", 2, &res),
                     EMU_OK);
    while ((n = read(cfd, s.out + s.out_len, sizeof(s.out) - 1 - s.out_len)) >
           0)
        s.out_len += (size_t)n;
    parse_output(&s);
    expect_reply(&s, 0, "T0b");
    expect_reply(&s, 1, "OK");
    assert_int_equal(res.fault, EMU_FAULT_NULL_DEREF);
    close(cfd);
    close(lfd);
    emu_close(e);
    emu_board_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gdbstub_break_step_fault),
        cmocka_unit_test(test_gdbstub_acks),
        cmocka_unit_test(test_gdbstub_verdicts),
        cmocka_unit_test(test_gdbstub_writes),
        cmocka_unit_test(test_gdbstub_kill),
        cmocka_unit_test(test_gdbstub_listen),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
