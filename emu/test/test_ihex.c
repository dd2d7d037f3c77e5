/*
 * Intel HEX: the parser on the format's record types (the example of
 * Intel's "Hexadecimal Object File Format Specification", rev. A, 1988,
 * and records written here with their checksums worked out), every way a
 * line can be wrong, and the loader through emu_load_image.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../src/internal.h"
#include "emu/ihex.h"
#include "helpers.h"

/* What the parser handed on: every byte at its address, in order. */
struct seen {
    uint32_t addr[512];
    uint8_t byte[512];
    size_t n;
};

static int take(void *ctx, uint32_t addr, const uint8_t *data, size_t n,
                char *err, size_t errlen)
{
    struct seen *s = ctx;
    size_t i;

    (void)err;
    (void)errlen;
    for (i = 0; i < n && s->n < 512; i++, s->n++) {
        s->addr[s->n] = addr + (uint32_t)i;
        s->byte[s->n] = data[i];
    }
    return 0;
}

static int parse(const char *text, struct seen *s, struct emu_ihex_info *info,
                 char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    return emu_ihex_parse((const uint8_t *)text, strlen(text), take, s, info,
                          err, errlen);
}

/* The classic example: 64 bytes at 0x0100, CR LF line ends. */
static void test_ihex_example(void **state)
{
    static const char text[] = ":10010000214601360121470136007EFE09D2190140\r\n"
                               ":100110002146017E17C20001FF5F16002148011928\r\n"
                               ":10012000194E79234623965778239EDA3F01B2CAA7\r\n"
                               ":100130003F0156702B5E712B722B732146013421C7\r\n"
                               ":00000001FF\r\n";
    struct emu_ihex_info info;
    struct seen s;
    char err[200];

    (void)state;
    assert_int_equal(parse(text, &s, &info, err, sizeof(err)), 0);
    assert_int_equal(s.n, 64);
    assert_int_equal(info.records, 4);
    assert_int_equal(info.bytes, 64);
    assert_int_equal(info.has_start, 0);
    assert_int_equal(s.addr[0], 0x0100);
    assert_int_equal(s.byte[0], 0x21);
    assert_int_equal(s.addr[63], 0x013F);
    assert_int_equal(s.byte[63], 0x21);
    assert_true(emu_ihex_detect((const uint8_t *)text, strlen(text)));
    assert_false(emu_ihex_detect((const uint8_t *)"\x7f"
                                                  "ELF",
                                 4));
    assert_false(emu_ihex_detect((const uint8_t *)":", 1));
}

/* Extended linear and segment addresses, start addresses, blank lines. */
static void test_ihex_addresses(void **state)
{
    static const char text[] = "\n"
                               ":020000040800F2\n"
                               ":0400000001020304F2\n"
                               "\n"
                               ":020000021200EA\n"
                               ":01000400AA51\n"
                               ":04000005000000CD2A\n"
                               ":00000001FF\n"
                               "  \n";
    static const char seg_start[] = ":0400000312345678E5\n:00000001FF\n";
    struct emu_ihex_info info;
    struct seen s;
    char err[200];

    (void)state;
    assert_int_equal(parse(text, &s, &info, err, sizeof(err)), 0);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.addr[0], 0x08000000);
    assert_int_equal(s.byte[3], 0x04);
    /* segment 0x1200: base 0x12000, offset 4 */
    assert_int_equal(s.addr[4], 0x12004);
    assert_int_equal(s.byte[4], 0xAA);
    assert_int_equal(info.has_start, 1);
    assert_int_equal(info.start, 0xCD);
    /* CS:IP 0x1234:0x5678 */
    assert_int_equal(parse(seg_start, &s, &info, err, sizeof(err)), 0);
    assert_int_equal(info.start, 0x1234 * 16 + 0x5678);
}

/* Each broken file is refused with the line and the reason. */
static void test_ihex_errors(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {":0100000001FF\n:00000001FF\n", "line 1: checksum 0xFF, should be "
                                         "0xFE"},
        {":0100000001FE\n", "no end-of-file record"},
        {"", "no end-of-file record"},
        {"0100000001FE\n:00000001FF\n", "line 1: does not start with ':'"},
        {":0100000001F\n:00000001FF\n", "line 1: odd number of hex digits"},
        {":01000000G1FE\n:00000001FF\n", "line 1: 'G' is not a hex digit"},
        {":0200000001FD\n:00000001FF\n", "line 1: byte count 2, but the line "
                                         "holds 1 data bytes"},
        {":0000\n:00000001FF\n", "line 1: too short for a record"},
        {":00000006FA\n:00000001FF\n", "line 1: unknown record type 0x06"},
        {":0100000101FD\n", "line 1: end-of-file record with data"},
        {":0100000401FA\n:00000001FF\n", "line 1: extended address record of "
                                         "1 bytes (2 expected)"},
        {":0100000501F9\n:00000001FF\n", "line 1: start address record of 1 "
                                         "bytes (4 expected)"},
        {":02FFFF000102FD\n:00000001FF\n", "crosses the 64 KiB boundary"},
        {":00000001FF\n:0100000001FE\n", "line 2: data after the end-of-file "
                                         "record"},
    };
    struct seen s;
    char err[200];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        err[0] = '\0';
        assert_int_equal(parse(cases[i].text, &s, NULL, err, sizeof(err)), -1);
        if (strstr(err, cases[i].want) == NULL)
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, cases[i].want);
    }
}

/* A line longer than any record is refused without reading past it. */
static void test_ihex_long_line(void **state)
{
    size_t n = EMU_IHEX_MAX_LINE + 3, i;
    char *text = malloc(n + 1);
    struct seen s;
    char err[200];

    (void)state;
    assert_non_null(text);
    text[0] = ':';
    for (i = 1; i < n; i++)
        text[i] = '0';
    text[n] = '\0';
    assert_int_equal(parse(text, &s, NULL, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "longer than a record can be"));
    free(text);
}

static void write_text(char *path, size_t size, const char *text)
{
    FILE *f;
    int fd;

    snprintf(path, size, "/tmp/test_emu_ihex_XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* emu_load_image takes a HEX file by its first record: code at 0x08000400
 * (movs r0, #42; bx lr) in two records out of order, merged into one run;
 * overlapping records and data outside the board are refused. */
static void test_ihex_load(void **state)
{
    static const char code[] = ":020000040800F2\n"
                               ":02040200704741\n"
                               ":020400002A20B0\n"
                               ":00000001FF\n";
    static const char overlap[] = ":020000040800F2\n"
                                  ":020400002A20B0\n"
                                  ":01040100708A\n"
                                  ":00000001FF\n";
    static const char outside[] = ":020000043000CA\n"
                                  ":0100000001FE\n"
                                  ":00000001FF\n";
    struct emu_board *b = test_board(NULL);
    struct emu *e = NULL;
    struct emu_result res;
    char path[64];

    (void)state;
    write_text(path, sizeof(path), code);
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_load_image(e, path, NULL), EMU_OK);
    assert_int_equal(e->img.nloaded, 1);
    assert_int_equal(emu_set_entry(e, "0x08000401"), EMU_OK);
    res = test_run(e, "");
    assert_int_equal(res.stop, EMU_STOP_RETURN);
    assert_int_equal(res.ret, 42);
    emu_close(e);
    unlink(path);

    write_text(path, sizeof(path), overlap);
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_load_image(e, path, NULL), EMU_ERR_IMAGE);
    assert_non_null(strstr(emu_last_error(e), path));
    assert_non_null(strstr(emu_last_error(e), "two records for the bytes at "
                                              "0x08000401"));
    emu_close(e);
    unlink(path);

    write_text(path, sizeof(path), outside);
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_load_image(e, path, NULL), EMU_ERR_IMAGE);
    assert_int_equal(e->img.nloaded, 0);
    assert_int_equal(emu_load_ihex_mem(e, (const uint8_t *)":00000001FF\n", 12),
                     EMU_ERR_IMAGE);
    assert_non_null(strstr(emu_last_error(e), "no data records"));
    emu_close(e);
    unlink(path);
    emu_board_free(b);
}

/* The layout of a HEX image: its contiguous runs, and the first words. */
struct layout {
    uint32_t start[16], end[16];
    size_t n;
    uint8_t head[8];
};

static int note_run(void *ctx, uint32_t addr, const uint8_t *data, size_t n,
                    char *err, size_t errlen)
{
    struct layout *l = ctx;
    size_t i;

    (void)err;
    (void)errlen;
    for (i = 0; i < n; i++)
        if (addr + i < sizeof(l->head))
            l->head[addr + i] = data[i];
    if (l->n > 0 && l->end[l->n - 1] == addr) {
        l->end[l->n - 1] = addr + (uint32_t)n;
        return 0;
    }
    if (l->n == 16)
        return -1;
    l->start[l->n] = addr;
    l->end[l->n++] = addr + (uint32_t)n;
    return 0;
}

/*
 * A HEX file nobody here wrote: MicroPython for the BBC micro:bit, from
 * Debian's firmware-microbit-micropython (scripts/install-deps.sh). One
 * run of flash from 0 to 0x3b88c and a few UICR bytes at 0x100010c0; its
 * vector table starts with the initial SP 0x20004000 (the top of the
 * nRF51822's 16 KiB of RAM) and the reset handler 0x1ccd9 (Thumb).
 */
static void test_ihex_micropython(void **state)
{
    static const char path[] =
        "/usr/share/firmware-microbit-micropython/firmware.hex";
    struct emu_ihex_info info;
    struct layout l;
    uint8_t *text;
    size_t len;
    char err[200];
    FILE *f = fopen(path, "rb");

    (void)state;
    if (f == NULL)
        fail_msg("%s is missing: scripts/install-deps.sh installs "
                 "firmware-microbit-micropython",
                 path);
    text = malloc(1u << 20);
    assert_non_null(text);
    len = fread(text, 1, 1u << 20, f);
    fclose(f);
    memset(&l, 0, sizeof(l));
    assert_true(emu_ihex_detect(text, len));
    if (emu_ihex_parse(text, len, note_run, &l, &info, err, sizeof(err)) != 0)
        fail_msg("%s: %s", path, err);
    free(text);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.start[0], 0);
    assert_int_equal(l.end[0], 0x3b88c);
    assert_true(l.start[1] <= 0x100010c0 && l.end[1] > 0x100010c0);
    assert_int_equal((uint32_t)l.head[0] | (uint32_t)l.head[1] << 8 |
                         (uint32_t)l.head[2] << 16 | (uint32_t)l.head[3] << 24,
                     0x20004000);
    assert_int_equal((uint32_t)l.head[4] | (uint32_t)l.head[5] << 8 |
                         (uint32_t)l.head[6] << 16 | (uint32_t)l.head[7] << 24,
                     0x0001ccd9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ihex_example),
        cmocka_unit_test(test_ihex_addresses),
        cmocka_unit_test(test_ihex_errors),
        cmocka_unit_test(test_ihex_long_line),
        cmocka_unit_test(test_ihex_load),
        cmocka_unit_test(test_ihex_micropython),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
