/*
 * The security oracles in the fuzzing image (fwfuzz/oracle.h): the
 * declarations are empty functions whose entry the emulator watches
 * (emu/src/oracle.c reads their arguments), and a finding stops on entry
 * to fwfuzz_finding, as a failed check stops in fwfuzz_check_failed.
 * noipa keeps every call and keeps the four functions apart (identical
 * empty bodies could otherwise be folded into one).
 */
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "fwfuzz/oracle.h"
#include "oracle_runtime.h"

__attribute__((noipa)) void fwfuzz_secret(const void *ptr, size_t len,
                                          const char *what)
{
    __asm__ volatile("" ::"r"(ptr), "r"(len), "r"(what) : "memory");
}

__attribute__((noipa)) void fwfuzz_output(const void *buf, size_t len,
                                          const char *where)
{
    __asm__ volatile("nop" ::"r"(buf), "r"(len), "r"(where) : "memory");
}

__attribute__((noipa)) void fwfuzz_untrusted(const void *ptr, size_t len,
                                             const char *what)
{
    __asm__ volatile("nop\n\tnop" ::"r"(ptr), "r"(len), "r"(what) : "memory");
}

__attribute__((noipa)) void fwfuzz_durable(const void *ptr, size_t len,
                                           const char *what)
{
    __asm__ volatile("nop\n\tnop\n\tnop" ::"r"(ptr), "r"(len), "r"(what)
                     : "memory");
}

__attribute__((noipa)) void fwfuzz_under_test_end(void)
{
    __asm__ volatile("nop\n\tnop\n\tnop\n\tnop" ::: "memory");
}

/* The emulator decides which oracles run: the checks always look. */
int fwfuzz_oracle_listening(void)
{
    return 1;
}

_Noreturn __attribute__((noipa)) void
fwfuzz_finding(const char *cls, const char *what, const char *file, int line)
{
    (void)cls;
    (void)what;
    (void)file;
    (void)line;
    for (;;)
        BOARD_BKPT(BOARD_BKPT_CHECK_FAILED);
}
