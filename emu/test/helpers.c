/* What the emulator's tests share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

struct emu_board *test_board(const char *extra)
{
    char json[2048], err[256];
    struct emu_board *b = NULL;
    int n = snprintf(json, sizeof(json), TEST_BOARD_FMT, extra ? extra : "");
    int rc;

    assert_true(n > 0 && (size_t)n < sizeof(json));
    rc = emu_board_parse(json, (size_t)n, &b, err, sizeof(err));
    if (rc != EMU_OK)
        fail_msg("test board: %s", err);
    return b;
}

struct emu *test_open(struct emu_board **board, const char *extra)
{
    struct emu *e = NULL;
    int rc;

    *board = test_board(extra);
    rc = emu_open(*board, &e);
    if (rc != EMU_OK)
        fail_msg("emu_open: %s", emu_last_error(NULL));
    rc = emu_load_elf(e, TEST_ELF);
    if (rc != EMU_OK)
        fail_msg("emu_load_elf: %s", emu_last_error(e));
    return e;
}

struct emu *test_ready(struct emu_board **board, const char *entry)
{
    struct emu *e = test_open(board, NULL);
    int rc = emu_set_entry(e, entry);

    if (rc != EMU_OK)
        fail_msg("emu_set_entry(%s): %s", entry, emu_last_error(e));
    return e;
}

uint8_t *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    if (f == NULL)
        fail_msg("cannot open %s", path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    buf = malloc(n > 0 ? (size_t)n : 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

struct emu_result test_run(struct emu *e, const char *input)
{
    struct emu_result res;
    int rc = emu_run(e, (const uint8_t *)input, strlen(input), &res);

    if (rc != EMU_OK)
        fail_msg("emu_run: %s", emu_last_error(e));
    return res;
}
