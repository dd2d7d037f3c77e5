/*
 * Fuzz target: a board file that extends another (emu_board_load). The
 * input is the board, a NUL byte, then the board it may extend, written
 * as board.json and base.json in a folder of this process: whatever the
 * two texts, the result is a board or an error naming the problem.
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu/emu.h"
#include "fwfuzz/check.h"

static char dir[256];

static int put(const char *name, const uint8_t *data, size_t len)
{
    char path[300];
    FILE *f;
    int ok;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t child = nul != NULL ? (size_t)(nul - data) : size;
    struct emu_board *b = NULL;
    char path[300], err[256];
    int rc;

    if (dir[0] == '\0') {
        const char *tmp = getenv("TMPDIR");

        snprintf(dir, sizeof(dir), "%s/fwfuzz-board-extends-%ld",
                 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp", (long)getpid());
        (void)mkdir(dir, 0700);
    }
    if (put("board.json", data, child) != 0 ||
        put("base.json", nul != NULL ? nul + 1 : data,
            nul != NULL ? size - child - 1 : 0) != 0)
        return 0; /* no room to write: nothing to learn */
    snprintf(path, sizeof(path), "%s/board.json", dir);
    memset(err, 'x', sizeof(err));
    rc = emu_board_load(path, &b, err, sizeof(err));
    FWFUZZ_CHECK(rc == EMU_OK || rc == EMU_ERR_BOARD || rc == EMU_ERR_IO ||
                     rc == EMU_ERR_NOMEM,
                 "a board, or a board, file or memory error");
    FWFUZZ_CHECK((rc == EMU_OK) == (b != NULL), "a board exactly on success");
    FWFUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL,
                 "the message is terminated");
    FWFUZZ_CHECK(rc == EMU_OK || err[0] != '\0',
                 "every error names its problem");
    FWFUZZ_CHECK(rc != EMU_OK || emu_board_name(b) != NULL, "accessors answer");
    emu_board_free(b);
    return 0;
}
