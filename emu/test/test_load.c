/*
 * Loading images: progs.elf and its stripped twin, raw binaries, and ELF
 * files damaged one field at a time, each refused with its own message.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../src/internal.h"
#include "helpers.h"

/* Offsets in an ELF32 header and program header (ELF specification). */
/* clang-format off */
#define EH_TYPE     16
#define EH_MACHINE  18
#define EH_PHNUM    44
#define PH0         52  /* progs.elf: .text, then .data, then .bss */
#define PH_SIZE     32
#define PH_TYPE      0
#define PH_OFFSET    4
#define PH_VADDR     8
#define PH_PADDR    12
#define PH_FILESZ   16
#define PH_MEMSZ    20
/* clang-format on */

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* Loads buf[0..len) on a fresh handle; returns the code, copies the
 * message. */
static int load(const uint8_t *buf, size_t len, char *msg, size_t msglen)
{
    struct emu_board *b = test_board(NULL);
    struct emu *e = NULL;
    int rc;

    assert_int_equal(emu_open(b, &e), EMU_OK);
    rc = emu_load_elf_mem(e, buf, len);
    snprintf(msg, msglen, "%s", emu_last_error(e));
    if (rc != EMU_OK) {
        /* A refused image leaves the handle empty and usable. */
        assert_int_equal(e->img.nloaded, 0);
        assert_int_equal(emu_load_elf(e, TEST_ELF), EMU_OK);
        assert_int_equal(emu_set_entry(e, "sum_input"), EMU_OK);
    }
    emu_close(e);
    emu_board_free(b);
    return rc;
}

static void test_load_progs(void **state)
{
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    const struct emu_sym *s;

    (void)state;
    s = emu_sym_by_name(e, "sum_input");
    assert_non_null(s);
    assert_int_equal(s->addr, 0x08000000);
    assert_int_equal(s->type, EMU_SYM_FUNC);
    s = emu_sym_by_name(e, "big");
    assert_non_null(s);
    assert_int_equal(s->type, EMU_SYM_OBJECT);
    assert_int_equal(s->size, 8192);
    /* Mapping symbols ($t, $d) are not functions. */
    assert_null(emu_sym_by_name(e, "$t"));
    /* .data at its run address (0x20000000) and its load address. */
    assert_int_equal(get32(emu_mem_host(e, 0x20000000, 4)), 0x12345678);
    assert_int_equal(get32(emu_mem_host(e, 0x08000224, 4)), 0x12345678);
    assert_false(emu_addr_is_code(e, 0x08000228)); /* exec_data's target */
    /* .bss is zero; the code is executable, the data is not. */
    assert_int_equal(get32(emu_mem_host(e, 0x20000400, 4)), 0);
    assert_true(emu_addr_is_code(e, 0x08000000));
    assert_false(emu_addr_is_code(e, 0x20000000));
    assert_false(emu_addr_is_code(e, 0x0800F000));
    emu_close(e);
    emu_board_free(b);
}

/* No symbols: entries by address only, and the message says so. */
static void test_load_stripped(void **state)
{
    struct emu_board *b = test_board(NULL);
    struct emu *e = NULL;
    struct emu_result res;

    (void)state;
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_load_elf(e, TEST_ELF_STRIPPED), EMU_OK);
    assert_int_equal(e->img.nsyms, 0);
    assert_int_equal(emu_set_entry(e, "sum_input"), EMU_ERR_SYMBOL);
    assert_non_null(strstr(emu_last_error(e), "no symbol table"));
    assert_int_equal(emu_set_entry(e, "0x08000001"), EMU_OK);
    res = test_run(e, "\x05\x06");
    assert_int_equal(res.ret, 11);
    emu_close(e);
    emu_board_free(b);
}

/* A raw binary: the .text bytes of progs.elf at 0x08000000. */
static void test_load_raw_binary(void **state)
{
    struct emu_board *b = test_board(NULL);
    struct emu *e = NULL;
    uint8_t *elf;
    size_t len;
    struct emu_result res;

    (void)state;
    elf = test_read_file(TEST_ELF, &len);
    assert_true(len > 0x11f8);
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_load_bin_mem(e, elf + 0x1000, 0x1f8, 0x08000000),
                     EMU_OK);
    assert_int_equal(emu_set_entry(e, "0x08000000"), EMU_OK);
    res = test_run(e, "\x01\x01\x01");
    assert_int_equal(res.stop, EMU_STOP_RETURN);
    assert_int_equal(res.ret, 3);
    /* Without symbols a fault still names the address and the code. */
    assert_int_equal(emu_set_entry(e, "0x08000016"), EMU_OK); /* null_read */
    res = test_run(e, "");
    assert_int_equal(res.fault, EMU_FAULT_NULL_DEREF);
    emu_close(e);

    /* Overlaps, outside the board, empty, ELF after binary. */
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_load_bin_mem(e, elf, 16, 0x08000000), EMU_OK);
    assert_int_equal(emu_load_bin_mem(e, elf, 16, 0x08000008), EMU_ERR_IMAGE);
    assert_non_null(strstr(emu_last_error(e), "overlaps"));
    assert_int_equal(emu_load_bin_mem(e, elf, 16, 0x30000000), EMU_ERR_IMAGE);
    assert_non_null(strstr(emu_last_error(e), "outside every region"));
    assert_int_equal(emu_load_bin_mem(e, elf, 0, 0x08001000), EMU_ERR_IMAGE);
    assert_int_equal(emu_load_bin_mem(e, elf, 16, 0x40000000), EMU_ERR_IMAGE);
    assert_non_null(strstr(emu_last_error(e), "MMIO"));
    assert_int_equal(emu_load_bin_mem(e, elf, 16, 0x0800FFF8), EMU_ERR_IMAGE);
    assert_non_null(strstr(emu_last_error(e), "runs past the end"));
    assert_int_equal(emu_load_elf(e, TEST_ELF), EMU_ERR_STATE);
    assert_int_equal(emu_load_bin(e, "/nonexistent.bin", 0x08001000),
                     EMU_ERR_IO);
    assert_non_null(strstr(emu_last_error(e), "/nonexistent.bin"));
    /* A second binary elsewhere is fine (a bootloader and its slot). */
    assert_int_equal(emu_load_bin_mem(e, elf, 16, 0x08004000), EMU_OK);
    emu_close(e);

    /* An ELF, then a binary next to it, then no second ELF. */
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_load_elf(e, TEST_ELF), EMU_OK);
    assert_int_equal(emu_load_bin_mem(e, elf, 16, 0x08000100), EMU_ERR_IMAGE);
    assert_int_equal(emu_load_bin_mem(e, elf, 16, 0x08008000), EMU_OK);
    assert_int_equal(emu_load_elf(e, TEST_ELF), EMU_ERR_STATE);
    assert_non_null(strstr(emu_last_error(e), "already loaded"));
    emu_close(e);
    emu_board_free(b);
    free(elf);
}

/* Writes len bytes to a new temporary file; its name goes to path. */
static void write_temp(char *path, size_t size, const void *buf, size_t len)
{
    FILE *f;
    int fd;

    snprintf(path, size, "/tmp/test_emu_load_XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* emu_load_image: ELF by its magic, else raw at the address given. */
static void test_load_image(void **state)
{
    /* movs r0, #42; bx lr */
    static const uint8_t code[] = {0x2a, 0x20, 0x70, 0x47};
    struct emu_board *b = test_board(NULL);
    struct emu *e = NULL;
    struct emu_result res;
    char raw[64];

    (void)state;
    write_temp(raw, sizeof(raw), code, sizeof(code));

    /* An ELF: the address, even a bad one, is not used. */
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_load_image(e, TEST_ELF, "nonsense"), EMU_OK);
    assert_int_equal(emu_set_entry(e, "sum_input"), EMU_OK);
    assert_int_equal(test_run(e, "\x01\x02").ret, 3);
    emu_close(e);

    /* Raw, at the address given. */
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_load_image(e, raw, "0x08000400"), EMU_OK);
    assert_int_equal(emu_set_entry(e, "0x08000401"), EMU_OK);
    res = test_run(e, "");
    assert_int_equal(res.stop, EMU_STOP_RETURN);
    assert_int_equal(res.ret, 42);
    emu_close(e);

    /* Raw without an address, with a bad one, outside the board. */
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_load_image(e, raw, NULL), EMU_ERR_RAW_ADDR);
    assert_non_null(strstr(emu_last_error(e), raw));
    assert_non_null(strstr(emu_last_error(e), "not an ELF file"));
    assert_non_null(strstr(emu_last_error(e), "load address"));
    assert_int_equal(emu_load_image(e, raw, "0x1ffffffff"), EMU_ERR_ARG);
    assert_non_null(strstr(emu_last_error(e), "\"0x1ffffffff\""));
    assert_int_equal(emu_load_image(e, raw, "flash"), EMU_ERR_ARG);
    assert_int_equal(emu_load_image(e, raw, "0x30000000"), EMU_ERR_IMAGE);
    assert_non_null(strstr(emu_last_error(e), raw));
    assert_int_equal(e->img.nloaded, 0);

    /* Unreadable files, no path, no handle. */
    assert_int_equal(emu_load_image(e, "/nonexistent.bin", "0x08000000"),
                     EMU_ERR_IO);
    assert_non_null(strstr(emu_last_error(e), "/nonexistent.bin"));
    assert_int_equal(emu_load_image(e, EMU_TEST_DATA, NULL), EMU_ERR_IO);
    assert_non_null(strstr(emu_last_error(e), "not a regular file"));
    assert_int_equal(emu_load_image(e, NULL, NULL), EMU_ERR_ARG);
    assert_int_equal(emu_load_image(NULL, raw, NULL), EMU_ERR_ARG);
    assert_int_equal(e->img.nloaded, 0);

    /* One ELF per handle, as emu_load_elf. */
    assert_int_equal(emu_load_image(e, TEST_ELF, NULL), EMU_OK);
    assert_int_equal(emu_load_image(e, TEST_ELF, NULL), EMU_ERR_STATE);
    emu_close(e);
    emu_board_free(b);
    remove(raw);
    assert_string_equal(emu_strerror(EMU_ERR_RAW_ADDR),
                        "a raw binary needs a load address");
}

static void test_load_file_errors(void **state)
{
    struct emu_board *b = test_board(NULL);
    struct emu *e = NULL;

    (void)state;
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_load_elf(e, "/nonexistent.elf"), EMU_ERR_IO);
    assert_non_null(strstr(emu_last_error(e), "/nonexistent.elf"));
    assert_int_equal(emu_load_elf(e, EMU_TEST_DATA), EMU_ERR_IO);
    assert_non_null(strstr(emu_last_error(e), "not a regular file"));
    assert_int_equal(emu_load_elf(e, EMU_TEST_BOARD), EMU_ERR_ELF);
    assert_non_null(strstr(emu_last_error(e), "not an ELF file"));
    assert_int_equal(emu_load_elf(e, NULL), EMU_ERR_ARG);
    assert_int_equal(emu_load_elf_mem(e, NULL, 4), EMU_ERR_ARG);
    assert_int_equal(emu_load_elf(NULL, TEST_ELF), EMU_ERR_ARG);
    emu_close(e);
    emu_board_free(b);
}

enum mutation {
    M_TRUNCATE,
    M_BYTE,
    M_U16,
    M_U32,
};

struct damage {
    enum mutation how;
    size_t at; /* offset, or length for M_TRUNCATE */
    uint32_t value;
    int rc;
    const char *msg;
};

/* clang-format off */
static const struct damage damages[] = {
    {M_TRUNCATE, 0,     0, EMU_ERR_ELF, "truncated: 0 bytes"},
    {M_TRUNCATE, 51,    0, EMU_ERR_ELF, "truncated: 51 bytes"},
    {M_TRUNCATE, 60,    0, EMU_ERR_ELF,
     "3 program headers at offset 0x34 lie past the end of the file (60 "
     "bytes): truncated?"},
    {M_TRUNCATE, 0x1100, 0, EMU_ERR_ELF, "lie past the end of the file"},
    {M_BYTE, 0,         'X', EMU_ERR_ELF, "no \\177ELF magic"},
    {M_BYTE, 4,         2, EMU_ERR_ELF, "not a 32-bit ELF file"},
    {M_BYTE, 5,         2, EMU_ERR_ELF, "not a little-endian"},
    {M_U16, EH_MACHINE, 3, EMU_ERR_ELF, "machine 3 is not ARM"},
    {M_U16, EH_TYPE,    1, EMU_ERR_ELF, "relocatable object"},
    {M_U16, EH_TYPE,    4, EMU_ERR_ELF, "not an executable"},
    {M_U16, EH_PHNUM,   0xFFF0, EMU_ERR_ELF, "65520 program headers"},
    {M_U16, 42,         16, EMU_ERR_ELF, "program headers of 16 bytes"},
    {M_U32, PH0 + PH_OFFSET, 0x7FFFFFF0, EMU_ERR_ELF,
     "lie past the end of the file"},
    {M_U32, PH0 + PH_FILESZ, 0x1000, EMU_ERR_ELF,
     "exceeds its memory size"},
    {M_U32, PH0 + PH_VADDR, 0x09000000, EMU_ERR_IMAGE,
     "address 0x09000000-0x09000223 is outside every region of board test"},
    {M_U32, PH0 + PH_VADDR, 0x0800FF00, EMU_ERR_IMAGE,
     "runs past the end of flash region flash"},
    {M_U32, PH0 + PH_VADDR, 0x40000000, EMU_ERR_IMAGE,
     "lands on MMIO region periph"},
    {M_U32, PH0 + PH_VADDR, 0xFFFFFF00, EMU_ERR_IMAGE,
     "runs past the end of the address space"},
    {M_U32, PH0 + PH_SIZE + PH_VADDR, 0x20000400, EMU_ERR_IMAGE,
     "overlaps segment"},
    {M_U32, PH0 + PH_SIZE + PH_PADDR, 0x08000100, EMU_ERR_IMAGE,
     "segment 1 (load address 0x08000100-0x08000105) overlaps segment 0"},
    {M_U32, PH0 + 2 * PH_SIZE + PH_MEMSZ, 0x7FFFFFFF, EMU_ERR_IMAGE,
     "absurd"},
    {M_U32, PH0 + 2 * PH_SIZE + PH_MEMSZ, 0x100000, EMU_ERR_IMAGE,
     "runs past the end of RAM region sram"},
};
/* clang-format on */

static void test_load_damaged(void **state)
{
    uint8_t *elf, *copy;
    size_t len, i;
    char msg[512];

    (void)state;
    elf = test_read_file(TEST_ELF, &len);
    copy = malloc(len);
    assert_non_null(copy);
    for (i = 0; i < sizeof(damages) / sizeof(damages[0]); i++) {
        const struct damage *d = &damages[i];
        size_t n = len;
        int rc;

        memcpy(copy, elf, len);
        switch (d->how) {
        case M_TRUNCATE:
            n = d->at;
            break;
        case M_BYTE:
            copy[d->at] = (uint8_t)d->value;
            break;
        case M_U16:
            put16(copy + d->at, (uint16_t)d->value);
            break;
        case M_U32:
            put32(copy + d->at, d->value);
            /* Moving a segment moves its load address too. */
            if (d->at == PH0 + PH_VADDR)
                put32(copy + PH0 + PH_PADDR, d->value);
            break;
        }
        rc = load(copy, n, msg, sizeof(msg));
        if (rc != d->rc || strstr(msg, d->msg) == NULL)
            fail_msg("damage %zu: rc %d (%s), message: %s\n  expected %d: %s",
                     i, rc, emu_strerror(rc), msg, d->rc, d->msg);
    }
    /* No loadable segment at all. */
    memcpy(copy, elf, len);
    for (i = 0; i < 3; i++)
        put32(copy + PH0 + i * PH_SIZE + PH_TYPE, 4 /* PT_NOTE */);
    assert_int_equal(load(copy, len, msg, sizeof(msg)), EMU_ERR_ELF);
    assert_non_null(strstr(msg, "no loadable (PT_LOAD) segment"));
    free(copy);
    free(elf);
}

/* Random damage: never a crash, always a known code (seed printed). */
static void test_load_random_damage(void **state)
{
    struct emu_board *b = test_board(NULL);
    struct emu *e = NULL;
    const char *env = getenv("EMU_TEST_SEED");
    unsigned seed = env != NULL ? (unsigned)strtoul(env, NULL, 0) : 12345u;
    uint8_t *elf, *copy;
    size_t len;
    int i, ok = 0;

    (void)state;
    printf("test_load_random_damage: seed %u (set EMU_TEST_SEED)\n", seed);
    srand(seed);
    elf = test_read_file(TEST_ELF, &len);
    copy = malloc(len);
    assert_non_null(copy);
    assert_int_equal(emu_open(b, &e), EMU_OK);
    for (i = 0; i < 2000; i++) {
        size_t n = len, k;
        int rc, flips = 1 + rand() % 8;
        struct emu_location loc;

        memcpy(copy, elf, len);
        for (k = 0; k < (size_t)flips; k++) {
            /* Mostly the headers, where the checks are. */
            size_t at =
                rand() % 4 ? (size_t)rand() % 160 : (size_t)rand() % len;
            copy[at] = (uint8_t)rand();
        }
        if (rand() % 8 == 0)
            n = (size_t)rand() % len;
        assert_int_equal(emu_reset(e), EMU_OK);
        rc = emu_load_elf_mem(e, copy, n);
        if (rc != EMU_OK && rc != EMU_ERR_ELF && rc != EMU_ERR_IMAGE)
            fail_msg("seed %u, round %d: rc %d", seed, i, rc);
        if (rc == EMU_OK) {
            ok++;
            emu_locate(e, 0x08000010, &loc);
        } else {
            assert_true(emu_last_error(e)[0] != '\0');
        }
    }
    printf("test_load_random_damage: %d of 2000 still loaded\n", ok);
    emu_close(e);
    emu_board_free(b);
    free(copy);
    free(elf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_progs),
        cmocka_unit_test(test_load_stripped),
        cmocka_unit_test(test_load_raw_binary),
        cmocka_unit_test(test_load_image),
        cmocka_unit_test(test_load_file_errors),
        cmocka_unit_test(test_load_damaged),
        cmocka_unit_test(test_load_random_damage),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
