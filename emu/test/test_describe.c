/*
 * Reports: the first line names class, function and line; the body says
 * what happened, where PC and LR are, the call stack (DWARF CFI through
 * tiny.c), registers and the code around PC.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../src/internal.h"
#include "helpers.h"

static char text[16384];

static void describe(struct emu *e, const char *entry, const char *input,
                     struct emu_result *res)
{
    size_t n;

    assert_int_equal(emu_set_entry(e, entry), EMU_OK);
    *res = test_run(e, input);
    n = emu_describe(e, res, text, sizeof(text));
    assert_int_equal(n, strlen(text));
}

static void expect(const char *what)
{
    if (strstr(text, what) == NULL)
        fail_msg("report lacks \"%s\":\n%s", what, text);
}

static void expect_first_line(const char *what)
{
    size_t n = strcspn(text, "\n");

    if (strlen(what) != n || strncmp(text, what, n) != 0)
        fail_msg("first line \"%.*s\", expected \"%s\"", (int)n, text, what);
}

/* A C function: file and line from DWARF, the caller from CFI. */
static void test_describe_c_null_read(void **state)
{
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    struct emu_result res;

    (void)state;
    describe(e, "c_entry", "N\x08", &res);
    expect_first_line("null-deref at c_inner emu/test/data/tiny.c:14");
    expect("READ of size 4 at 0x00000008, in the NULL page (NULL + 0x8)");
    expect("pc 0x08000168 in c_inner emu/test/data/tiny.c:14");
    expect("lr 0x08000173 in c_entry emu/test/data/tiny.c:21");
    expect("#0 0x08000168 in c_inner emu/test/data/tiny.c:14");
    expect("#1 0x0800016e in c_entry emu/test/data/tiny.c:20");
    expect("registers:");
    expect("r3   0x00000008");
    expect("=> 0x08000168: ldreq    r0, [r3]");
    assert_int_equal(res.nframes, 2);
    emu_close(e);
    emu_board_free(b);
}

/* The last blocks, oldest first, each with function+offset and line. */
static void test_describe_last_blocks(void **state)
{
    static const uint32_t want[] = {0x0800016c, 0x08000158, 0x08000160};
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    struct emu_result res;
    unsigned i;

    (void)state;
    describe(e, "c_entry", "N\x08", &res);
    assert_int_equal(res.nlast_blocks, 3);
    for (i = 0; i < 3; i++)
        assert_int_equal(res.last_blocks[i], want[i]);
    expect("last blocks:\n"
           "  0x0800016c in c_entry+0x0 emu/test/data/tiny.c:19\n"
           "  0x08000158 in c_inner+0x0 emu/test/data/tiny.c:12\n"
           "  0x08000160 in c_inner+0x8 emu/test/data/tiny.c:13\n");
    /* A hang: the ring is full of the loop, the oldest dropped. */
    describe(e, "spin", "", &res);
    assert_int_equal(res.nlast_blocks, EMU_LAST_BLOCKS);
    for (i = 0; i < EMU_LAST_BLOCKS; i++)
        assert_int_equal(res.last_blocks[i], res.pc);
    /* A clean return keeps no blocks. */
    describe(e, "sum_input", "ab", &res);
    assert_int_equal(res.nlast_blocks, 0);
    assert_null(strstr(text, "last blocks:"));
    emu_close(e);
    emu_board_free(b);
}

/* The full report: source from disk, the frame and region of an address. */
static void test_describe_full(void **state)
{
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    struct emu_result res;
    char cwd[4096];
    size_t n;

    (void)state;
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    /* DWARF names emu/test/data/tiny.c, relative to the source tree. */
    assert_int_equal(chdir(EMU_TEST_DATA "/../../.."), 0);
    describe(e, "c_entry", "N\x08", &res);
    n = emu_describe_full(e, &res, text, sizeof(text));
    assert_int_equal(n, strlen(text));
    expect("last blocks:\n");
    expect("source: emu/test/data/tiny.c:14 (frame #0, c_inner)\n"
           "        11  __attribute__((noinline)) uint32_t c_inner(");
    expect("\n  =>    14          return *(volatile const uint32_t *)");
    expect("\n        17  \n");
    assert_null(strstr(text, "  18  "));
    expect("fault address 0x00000008 (READ of size 4):\n"
           "  in the NULL page (NULL + 0x8)\n"
           "  region: none (no region of the board maps it)\n");
    /* The frames' SPs: c_inner is a leaf, c_entry pushed r3 and lr. */
    assert_int_equal(res.nframes, 2);
    assert_int_equal(res.frame_sp[0], 0x20007ff8);
    assert_int_equal(res.frame_sp[1], 0x20007ff8);
    res.addr = 0x20007ffc;
    res.is_write = 1;
    emu_describe_full(e, &res, text, sizeof(text));
    expect("fault address 0x20007ffc (WRITE of size 4):\n"
           "  in the stack (0x20007000-0x20007fff)\n"
           "  stack: 4 bytes above SP in the frame of #1 c_entry "
           "(sp 0x20007ff8)\n"
           "  region: sram (RAM), offset 0x7ffc of 0x8000\n");
    res.addr = 0x20007f00;
    emu_describe_full(e, &res, text, sizeof(text));
    expect("  stack: 248 bytes below SP 0x20007ff8 (no frame)\n");
    res.addr = 0x40000010;
    emu_describe_full(e, &res, text, sizeof(text));
    expect("  region: periph (peripheral), offset 0x10 of 0x1000\n");
    /* Without the source file: the line is named, the rest skipped. */
    assert_int_equal(chdir("/"), 0);
    emu_describe_full(e, &res, text, sizeof(text));
    expect("source: emu/test/data/tiny.c:14 (frame #0, c_inner), not "
           "readable here\nfault address");
    assert_int_equal(chdir(cwd), 0);
    /* A clean return has no more to say than emu_describe. */
    describe(e, "sum_input", "ab", &res);
    assert_int_equal(emu_describe_full(e, &res, text, sizeof(text)),
                     strlen("returned 0xc3 after 3 blocks\n"));
    emu_close(e);
    emu_board_free(b);
}

static void test_describe_classes(void **state)
{
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    struct emu_result res;

    (void)state;
    describe(e, "read_past", "abc", &res);
    expect_first_line("input-overread at read_past emu/test/data/progs.s:32");
    expect("READ of size 1 at 0x60001000, 0 bytes past the end of the "
           "3-byte input (0x60000ffd-0x60000fff)");

    describe(e, "write_flash", "", &res);
    expect("WRITE of size 4 at 0x08000001 in read-only region flash");

    describe(e, "exec_ram", "", &res);
    expect("execution at 0x20000100, outside the loaded code (sram)");

    describe(e, "call_null", "", &res);
    expect_first_line("null-deref at call_null emu/test/data/progs.s:78");
    expect("jump to 0x00000000");

    describe(e, "recurse", "", &res);
    expect_first_line("stack-overflow at recurse emu/test/data/progs.s:93");
    expect("went below the stack limit 0x20007000");

    describe(e, "supervisor", "", &res);
    expect("SVC #5: supervisor calls are not emulated");

    describe(e, "breakpoint", "", &res);
    expect("BKPT #0x42");

    describe(e, "spin", "", &res);
    expect_first_line("hang at spin emu/test/data/progs.s:106");
    expect("block budget exhausted after 10001 basic blocks");

    describe(e, "wait", "", &res);
    expect("waits in WFI/WFE");

    describe(e, "call_check", "", &res);
    expect_first_line("abort at call_check emu/test/data/progs.s:197");
    expect("property violated: length within bounds; check (n < 4) failed "
           "at proto.c:42");

    describe(e, "call_assert", "", &res);
    expect("assertion \"p != 0\" failed: file \"proto.c\", line 7, "
           "function parse");

    describe(e, "call_exit", "", &res);
    expect("exit(3) called");

    describe(e, "call_stack_chk", "", &res);
    expect_first_line("stack-protector at call_stack_chk "
                      "emu/test/data/progs.s:187");
    expect("__stack_chk_fail called");

    describe(e, "call_hardfault", "", &res);
    expect("HardFault_Handler called");

    /* KASan: the site comes from fwfuzz_asan_pc (inside sum_input). */
    describe(e, "call_asan", "\xF9", &res);
    expect_first_line("global-buffer-overflow at sum_input "
                      "emu/test/data/progs.s:23");
    expect("KASan: WRITE of size 4 at 0x2000041c, 0 bytes after global "
           "'victim' (16 bytes at 0x2000040c); shadow byte 0xf9 (global "
           "redzone)");
    describe(e, "call_asan", "\xFD", &res);
    expect_first_line("heap-use-after-free at sum_input "
                      "emu/test/data/progs.s:23");
    expect("(freed heap memory)");
    describe(e, "call_asan", "\xFE", &res);
    expect("KASan: free of 0x2000041c that is not a live heap block");

    /* A clean run: one line. */
    describe(e, "sum_input", "ab", &res);
    assert_string_equal(text, "returned 0xc3 after 4 blocks\n");
    emu_close(e);
    emu_board_free(b);
}

static void expect_not(const char *what)
{
    if (strstr(text, what) != NULL)
        fail_msg("report has \"%s\":\n%s", what, text);
}

/*
 * LR names a caller only when it is a return address: Thumb, in code, just
 * after a BL or BLX. A hang once printed "lr 0x00000003 in 0x00000002
 * .../syscalls.c:116" (a DWARF line of a function the linker dropped).
 */
static void test_describe_junk_lr(void **state)
{
    static const uint32_t junk[] = {
        0x00000003, /* a small constant left in LR */
        0x08000005, /* Thumb, in sum_input, not after a call */
        0x08000172, /* c_entry's real return, without the Thumb bit */
    };
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    struct emu_result res, junked;
    char line[64];
    unsigned i;

    (void)state;
    describe(e, "c_entry", "N\x08", &res);
    expect("lr 0x08000173 in c_entry emu/test/data/tiny.c:21");
    for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
        junked = res;
        junked.lr = junk[i];
        junked.regs[14] = junk[i];
        emu_describe(e, &junked, text, sizeof(text));
        snprintf(line, sizeof(line), "lr 0x%08x in", (unsigned)junk[i]);
        expect_not(line);
        snprintf(line, sizeof(line), "lr 0x%08x (not a return address)",
                 (unsigned)junk[i]);
        expect(line);
    }
    emu_close(e);
    emu_board_free(b);
}

/* A jump to nowhere: LR is the caller only when it is a return address. */
static void test_describe_junk_lr_frames(void **state)
{
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    struct emu_result res;
    uint32_t regs[17], frames[EMU_MAX_FRAMES], sps[EMU_MAX_FRAMES];

    (void)state;
    describe(e, "call_null", "", &res);
    assert_int_equal(res.nframes, 2);
    expect("#1 0x");
    memcpy(regs, res.regs, sizeof(regs));
    assert_int_equal(emu_unwind(e, regs, 1, frames, sps, EMU_MAX_FRAMES), 2);
    regs[14] = 0x08000005;
    assert_int_equal(emu_unwind(e, regs, 1, frames, sps, EMU_MAX_FRAMES), 1);
    regs[14] = 0x00000003;
    assert_int_equal(emu_unwind(e, regs, 1, frames, sps, EMU_MAX_FRAMES), 1);
    regs[14] = res.regs[14] & ~1u;
    assert_int_equal(emu_unwind(e, regs, 1, frames, sps, EMU_MAX_FRAMES), 1);
    emu_close(e);
    emu_board_free(b);
}

/* Without symbols the report still has addresses and code. */
static void test_describe_stripped(void **state)
{
    struct emu_board *b = test_board(NULL);
    struct emu *e = NULL;
    struct emu_result res;

    (void)state;
    assert_int_equal(emu_open(b, &e), EMU_OK);
    assert_int_equal(emu_load_elf(e, TEST_ELF_STRIPPED), EMU_OK);
    describe(e, "0x08000016", "", &res);
    expect_first_line("null-deref at 0x08000018");
    expect("=> 0x08000018: ldr      r0, [r0, #4]");
    emu_close(e);
    emu_board_free(b);
}

static void test_describe_small_buffers(void **state)
{
    struct emu_board *b;
    struct emu *e = test_ready(&b, "null_read");
    struct emu_result res = test_run(e, "");
    char small[16];
    size_t n;

    (void)state;
    n = emu_describe(e, &res, small, sizeof(small));
    assert_int_equal(n, sizeof(small) - 1);
    assert_int_equal(strlen(small), n);
    assert_memory_equal(small, "null-deref at n", 15);
    n = emu_summary(e, &res, small, 5);
    assert_int_equal(n, 4);
    assert_string_equal(small, "null");
    assert_int_equal(emu_describe(e, &res, small, 0), 0);
    assert_int_equal(emu_describe(e, &res, NULL, 10), 0);
    assert_int_equal(emu_summary(NULL, &res, small, sizeof(small)), 0);
    assert_string_equal(small, "");
    emu_close(e);
    emu_board_free(b);
}

static void test_describe_locate(void **state)
{
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    struct emu_location loc;

    (void)state;
    assert_int_equal(emu_locate(e, 0x08000004, &loc), EMU_OK);
    assert_string_equal(loc.function, "sum_input");
    assert_int_equal(loc.offset, 4);
    assert_string_equal(loc.file, "emu/test/data/progs.s");
    assert_int_equal(loc.line, 23);
    assert_int_equal(emu_locate(e, 0x08000169, &loc), EMU_OK); /* Thumb */
    assert_string_equal(loc.function, "c_inner");
    assert_int_equal(loc.line, 14);
    assert_int_equal(emu_locate(e, 0x30000000, &loc), EMU_ERR_SYMBOL);
    assert_null(loc.function);
    assert_null(loc.file);
    assert_int_equal(emu_locate(e, 0x08000000, NULL), EMU_ERR_ARG);
    emu_close(e);
    emu_board_free(b);
}

/* The message of a failed FWFUZZ_CHECK, and no message for anything else. */
static void test_describe_check_message(void **state)
{
    struct emu_board *b;
    struct emu *e = test_open(&b, NULL);
    struct emu_result check, aborted, other;
    char what[64], small[7];

    (void)state;
    describe(e, "call_check", "", &check);
    assert_int_equal(emu_check_message(e, &check, what, sizeof(what)), EMU_OK);
    assert_string_equal(what, "length within bounds");
    assert_int_equal(emu_check_message(e, &check, small, sizeof(small)),
                     EMU_OK);
    assert_string_equal(small, "length");

    /* An abort of another kind, and a fault that is no abort. */
    describe(e, "call_assert", "", &aborted);
    assert_int_equal(aborted.fault, EMU_FAULT_ABORT);
    assert_int_equal(emu_check_message(e, &aborted, what, sizeof(what)),
                     EMU_ERR_NO_CHECK);
    assert_string_equal(what, "");
    describe(e, "null_read", "", &other);
    assert_int_equal(emu_check_message(e, &other, what, sizeof(what)),
                     EMU_ERR_NO_CHECK);

    /* Only the last run's result: the others are not a check of theirs. */
    assert_int_equal(emu_check_message(e, &check, what, sizeof(what)),
                     EMU_ERR_NO_CHECK);
    describe(e, "call_check", "", &check);
    assert_int_equal(emu_check_message(e, &aborted, what, sizeof(what)),
                     EMU_ERR_NO_CHECK);

    assert_int_equal(emu_check_message(NULL, &check, what, sizeof(what)),
                     EMU_ERR_ARG);
    assert_int_equal(emu_check_message(e, NULL, what, sizeof(what)),
                     EMU_ERR_ARG);
    assert_int_equal(emu_check_message(e, &check, NULL, 8), EMU_ERR_ARG);
    assert_int_equal(emu_check_message(e, &check, what, 0), EMU_ERR_ARG);
    emu_close(e);
    emu_board_free(b);
}

static void test_describe_names(void **state)
{
    (void)state;
    assert_string_equal(emu_fault_name(EMU_FAULT_GLOBAL_OVERFLOW),
                        "global-buffer-overflow");
    assert_string_equal(emu_fault_name(EMU_FAULT_HEAP_OVERFLOW),
                        "heap-buffer-overflow");
    assert_string_equal(emu_fault_name(EMU_FAULT_USE_AFTER_FREE),
                        "heap-use-after-free");
    assert_string_equal(emu_fault_name(EMU_FAULT_INPUT_OVERREAD),
                        "input-overread");
    assert_string_equal(emu_fault_name(EMU_FAULT_COUNT), "unknown");
    assert_string_equal(emu_strerror(EMU_ERR_BOARD), "bad board file");
    assert_string_equal(emu_strerror(EMU_ERR_NO_CHECK),
                        "not a failed FWFUZZ_CHECK");
    assert_string_equal(emu_strerror(12345), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_describe_c_null_read),
        cmocka_unit_test(test_describe_classes),
        cmocka_unit_test(test_describe_junk_lr),
        cmocka_unit_test(test_describe_junk_lr_frames),
        cmocka_unit_test(test_describe_last_blocks),
        cmocka_unit_test(test_describe_full),
        cmocka_unit_test(test_describe_stripped),
        cmocka_unit_test(test_describe_small_buffers),
        cmocka_unit_test(test_describe_locate),
        cmocka_unit_test(test_describe_check_message),
        cmocka_unit_test(test_describe_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
