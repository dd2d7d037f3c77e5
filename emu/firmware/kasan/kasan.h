/* KASan runtime of the fuzzing image: what its files share. */
#ifndef FWFUZZ_KASAN_H
#define FWFUZZ_KASAN_H

#include <stddef.h>
#include <stdint.h>

/*
 * The image is built with arm-none-eabi-gcc -fsanitize=kernel-address
 * -fasan-shadow-offset=KASAN_SHADOW_OFFSET (cmake/FwfuzzFirmware.cmake, the
 * one place that number is written): shadow(a) = (a >> 3) + offset, one
 * shadow byte per 8-byte granule. The emulator maps the shadow of flash and
 * SRAM, zero-filled, and restores it between runs like RAM.
 */
#ifndef KASAN_SHADOW_OFFSET
#error "KASAN_SHADOW_OFFSET is defined by cmake/FwfuzzFirmware.cmake"
#endif
#define KASAN_GRANULE 8u

/*
 * Shadow byte values: 0 = the granule is addressable, 1..7 = only that many
 * first bytes are, negative = none is, and the value says why (compiler-rt's
 * encoding; gcc writes the stack values itself in function prologues).
 */
/* clang-format off */
#define KASAN_STACK_LEFT   0xF1 /* left redzone of a frame (gcc) */
#define KASAN_STACK_MID    0xF2 /* between two locals (gcc) */
#define KASAN_STACK_RIGHT  0xF3 /* right redzone of a frame (gcc) */
#define KASAN_STACK_SCOPE  0xF8 /* local out of scope (gcc) */
#define KASAN_GLOBAL_RZ    0xF9 /* after a global */
#define KASAN_HEAP_LEFT    0xFA /* before a heap block; unallocated heap */
#define KASAN_HEAP_RIGHT   0xFB /* after a heap block */
#define KASAN_HEAP_FREED   0xFD /* freed block in quarantine */
#define KASAN_BAD_FREE     0xFE /* reported for a double or invalid free */
/* clang-format on */

/*
 * The one exit of every finding: the emulator stops on entry to this symbol
 * and classifies by shadow_byte (docs/emulation.md, "KASan in the image").
 * addr/size: the access (for a bad free: the pointer, size 0). Never returns.
 */
void fwfuzz_asan_report(uint32_t addr, uint32_t size, uint32_t is_write,
                        uint32_t shadow_byte) __attribute__((noreturn));

/*
 * Set before every report: an address inside the instruction that called
 * the runtime (the instrumented access, or the call of memcpy, free, ...),
 * so a report can name the user's function and line, not the runtime's.
 */
extern uint32_t fwfuzz_asan_pc;

/* Poisons the heap; runs before the constructors register the globals. */
void kasan_init(void);

/* Sets the shadow of [addr, addr + size), both granule-aligned, to value. */
void kasan_poison(uintptr_t addr, size_t size, uint8_t value);

/* Makes [addr, addr + size) addressable; addr granule-aligned, size any. */
void kasan_unpoison(uintptr_t addr, size_t size);

/*
 * Reports (and does not return) if [addr, addr + size) is not addressable.
 * pc: the return address of the runtime function the instrumented code or
 * the caller of a wrapped function called (KASAN_CALLER()).
 */
void kasan_check_range(uintptr_t addr, size_t size, int is_write, uintptr_t pc);

/* Reports a double or invalid free of ptr, called from pc. */
void kasan_report_bad_free(const void *ptr, uintptr_t pc)
    __attribute__((noreturn));

#define KASAN_CALLER() ((uintptr_t)__builtin_return_address(0))

static inline int8_t *kasan_shadow(uintptr_t addr)
{
    return (int8_t *)((addr >> 3) + KASAN_SHADOW_OFFSET);
}

static inline uintptr_t kasan_round_up(uintptr_t v)
{
    return (v + KASAN_GRANULE - 1) & ~(uintptr_t)(KASAN_GRANULE - 1);
}

#endif
