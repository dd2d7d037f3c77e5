/* KASan runtime: access checks, globals, stack hooks, the report. */
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "kasan.h"

/*
 * gcc's __asan_global for a 32-bit target (gcc/asan.cc,
 * asan_global_struct): what __asan_register_globals receives per global.
 */
struct kasan_global {
    uintptr_t beg;
    uintptr_t size;
    uintptr_t size_with_redzone;
    const char *name;
    const char *module_name;
    uintptr_t has_dynamic_init;
    const void *location;
    uintptr_t odr_indicator;
};
_Static_assert(sizeof(struct kasan_global) == 32, "gcc's 32-bit layout");

/* Every function gcc's instrumentation calls (checked with nm). */
void __asan_load1_noabort(uintptr_t addr);
void __asan_load2_noabort(uintptr_t addr);
void __asan_load4_noabort(uintptr_t addr);
void __asan_load8_noabort(uintptr_t addr);
void __asan_load16_noabort(uintptr_t addr);
void __asan_loadN_noabort(uintptr_t addr, size_t size);
void __asan_store1_noabort(uintptr_t addr);
void __asan_store2_noabort(uintptr_t addr);
void __asan_store4_noabort(uintptr_t addr);
void __asan_store8_noabort(uintptr_t addr);
void __asan_store16_noabort(uintptr_t addr);
void __asan_storeN_noabort(uintptr_t addr, size_t size);
void __asan_report_load1_noabort(uintptr_t addr);
void __asan_report_load2_noabort(uintptr_t addr);
void __asan_report_load4_noabort(uintptr_t addr);
void __asan_report_load8_noabort(uintptr_t addr);
void __asan_report_load16_noabort(uintptr_t addr);
void __asan_report_load_n_noabort(uintptr_t addr, size_t size);
void __asan_report_store1_noabort(uintptr_t addr);
void __asan_report_store2_noabort(uintptr_t addr);
void __asan_report_store4_noabort(uintptr_t addr);
void __asan_report_store8_noabort(uintptr_t addr);
void __asan_report_store16_noabort(uintptr_t addr);
void __asan_report_store_n_noabort(uintptr_t addr, size_t size);
void __asan_register_globals(struct kasan_global *globals, size_t n);
void __asan_unregister_globals(struct kasan_global *globals, size_t n);
void __asan_handle_no_return(void);
void __asan_poison_stack_memory(uintptr_t addr, size_t size);
void __asan_unpoison_stack_memory(uintptr_t addr, size_t size);
void __asan_alloca_poison(uintptr_t addr, size_t size);
void __asan_allocas_unpoison(uintptr_t top, uintptr_t bottom);

/* Only flash and SRAM have shadow; the input region has its guard page. */
__attribute__((always_inline)) static inline int kasan_tracked(uintptr_t addr)
{
    /* SRAM first: stack, heap and globals are most of the accesses. */
    return addr - BOARD_SRAM_BASE < BOARD_SRAM_SIZE ||
           addr - BOARD_FLASH_BASE < BOARD_FLASH_SIZE;
}

uint32_t fwfuzz_asan_pc;

/*
 * noipa: no clone with fewer parameters may replace the symbol the emulator
 * stops on, and the arguments must really be in r0-r3 at its entry.
 */
__attribute__((noinline, noipa, noreturn)) void
fwfuzz_asan_report(uint32_t addr, uint32_t size, uint32_t is_write,
                   uint32_t shadow_byte)
{
    __asm__ volatile("" ::"r"(addr), "r"(size), "r"(is_write),
                     "r"(shadow_byte));
    for (;;)
        BOARD_BKPT(BOARD_BKPT_ASAN_REPORT);
}

/*
 * A partly addressable granule (1..7) says "past the end of an object" but
 * not of which kind: the redzone that follows does, so report that.
 */
static uint8_t kasan_poison_near(uintptr_t granule)
{
    unsigned i;

    for (i = 0; i < 4; i++) {
        uintptr_t g = granule + i * KASAN_GRANULE;

        if (!kasan_tracked(g))
            break;
        if (*kasan_shadow(g) < 0)
            return (uint8_t)*kasan_shadow(g);
    }
    return (uint8_t)*kasan_shadow(granule);
}

/* pc is a return address: step back into the call (2-byte BLX or 4-byte BL). */
static void kasan_set_pc(uintptr_t pc)
{
    fwfuzz_asan_pc = (uint32_t)((pc & ~(uintptr_t)1) - 2);
}

__attribute__((noreturn)) static void kasan_report(uintptr_t addr, size_t size,
                                                   int is_write,
                                                   uintptr_t granule,
                                                   uintptr_t pc)
{
    kasan_set_pc(pc);
    fwfuzz_asan_report((uint32_t)addr, (uint32_t)size, (uint32_t)is_write,
                       kasan_poison_near(granule));
}

/* [lo, hi] lies inside one tracked region. */
static void kasan_check_part(uintptr_t lo, uintptr_t hi, uintptr_t addr,
                             size_t size, int is_write, uintptr_t pc)
{
    uintptr_t g = lo & ~(uintptr_t)(KASAN_GRANULE - 1);

    while (g <= hi) {
        int8_t s;

        /*
         * Through the middle of a range, four clean granules at a time:
         * one 32-bit shadow load (unaligned loads are fine on a Cortex-M4;
         * __builtin_memcpy lets gcc emit one).
         */
        if (hi - g >= 31) {
            uint32_t four;

            __builtin_memcpy(&four, kasan_shadow(g), sizeof(four));
            if (four == 0) {
                g += 4 * KASAN_GRANULE;
                continue;
            }
        }
        s = *kasan_shadow(g);
        if (s != 0) {
            uintptr_t last = hi - g < KASAN_GRANULE ? hi : g + 7;

            if (s < 0 || (int)(last & 7) >= s)
                kasan_report(addr, size, is_write, g, pc);
        }
        g += KASAN_GRANULE;
    }
}

static void kasan_clip(uintptr_t addr, size_t size, int is_write, uintptr_t pc,
                       uintptr_t base, uintptr_t len)
{
    uintptr_t last = addr + size - 1;
    uintptr_t lo, hi;

    if (last < base || addr > base + (len - 1))
        return;
    lo = addr < base ? base : addr;
    hi = last > base + (len - 1) ? base + (len - 1) : last;
    kasan_check_part(lo, hi, addr, size, is_write, pc);
}

void kasan_check_range(uintptr_t addr, size_t size, int is_write, uintptr_t pc)
{
    if (size == 0)
        return;
    if (addr + (size - 1) < addr) /* wraps around the address space */
        size = 0 - addr;
    kasan_clip(addr, size, is_write, pc, BOARD_FLASH_BASE, BOARD_FLASH_SIZE);
    kasan_clip(addr, size, is_write, pc, BOARD_SRAM_BASE, BOARD_SRAM_SIZE);
}

/*
 * The common cases: inside one granule, and either untracked (the input,
 * a peripheral: regions are granule-aligned) or addressable.
 */
__attribute__((always_inline)) static inline void
kasan_check(uintptr_t addr, size_t size, int is_write, uintptr_t pc)
{
    if ((addr & 7) + size <= KASAN_GRANULE) {
        int8_t s;

        if (!kasan_tracked(addr))
            return;
        s = *kasan_shadow(addr);
        if (s == 0 || (s > 0 && (int)((addr & 7) + size - 1) < s))
            return;
    }
    kasan_check_range(addr, size, is_write, pc);
}

void kasan_report_bad_free(const void *ptr, uintptr_t pc)
{
    kasan_set_pc(pc);
    fwfuzz_asan_report((uint32_t)(uintptr_t)ptr, 0, 0, KASAN_BAD_FREE);
}

#define KASAN_ACCESS(n)                                                        \
    void __asan_load##n##_noabort(uintptr_t addr)                              \
    {                                                                          \
        kasan_check(addr, n, 0, KASAN_CALLER());                               \
    }                                                                          \
    void __asan_store##n##_noabort(uintptr_t addr)                             \
    {                                                                          \
        kasan_check(addr, n, 1, KASAN_CALLER());                               \
    }                                                                          \
    void __asan_report_load##n##_noabort(uintptr_t addr)                       \
    {                                                                          \
        kasan_check_range(addr, n, 0, KASAN_CALLER());                         \
    }                                                                          \
    void __asan_report_store##n##_noabort(uintptr_t addr)                      \
    {                                                                          \
        kasan_check_range(addr, n, 1, KASAN_CALLER());                         \
    }

KASAN_ACCESS(1)
KASAN_ACCESS(2)
KASAN_ACCESS(4)
KASAN_ACCESS(8)
KASAN_ACCESS(16)

void __asan_loadN_noabort(uintptr_t addr, size_t size)
{
    kasan_check_range(addr, size, 0, KASAN_CALLER());
}

void __asan_storeN_noabort(uintptr_t addr, size_t size)
{
    kasan_check_range(addr, size, 1, KASAN_CALLER());
}

/* Inline checks (a lower call threshold) land here only on a bad access. */
void __asan_report_load_n_noabort(uintptr_t addr, size_t size)
{
    kasan_check_range(addr, size, 0, KASAN_CALLER());
}

void __asan_report_store_n_noabort(uintptr_t addr, size_t size)
{
    kasan_check_range(addr, size, 1, KASAN_CALLER());
}

void kasan_poison(uintptr_t addr, size_t size, uint8_t value)
{
    int8_t *s = kasan_shadow(addr);
    size_t i;

    for (i = 0; i < size / KASAN_GRANULE; i++)
        s[i] = (int8_t)value;
}

void kasan_unpoison(uintptr_t addr, size_t size)
{
    int8_t *s = kasan_shadow(addr);
    size_t i;

    for (i = 0; i < size / KASAN_GRANULE; i++)
        s[i] = 0;
    if (size % KASAN_GRANULE != 0)
        s[i] = (int8_t)(size % KASAN_GRANULE);
}

void kasan_init(void)
{
    /* Heap not handed out yet reads as a heap overflow until allocated. */
    kasan_poison((uintptr_t)__heap_start, (size_t)(__heap_end - __heap_start),
                 KASAN_HEAP_LEFT);
}

/* gcc aligns each global to 32 bytes and pads it to size_with_redzone. */
void __asan_register_globals(struct kasan_global *globals, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const struct kasan_global *g = &globals[i];
        uintptr_t end = kasan_round_up(g->beg + g->size);

        kasan_unpoison(g->beg, g->size);
        kasan_poison(end, g->beg + g->size_with_redzone - end, KASAN_GLOBAL_RZ);
    }
}

void __asan_unregister_globals(struct kasan_global *globals, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        kasan_unpoison(globals[i].beg, globals[i].size_with_redzone);
}

/*
 * Before a noreturn call (abort, longjmp): the frames it abandons keep
 * their redzones in the shadow, where later frames of uninstrumented code
 * would trip over them. Clear the whole stack, as compiler-rt does.
 */
void __asan_handle_no_return(void)
{
    kasan_unpoison((uintptr_t)__stack_limit,
                   (size_t)(__stack_top - __stack_limit));
}

void __asan_poison_stack_memory(uintptr_t addr, size_t size)
{
    kasan_poison(addr, kasan_round_up(size), KASAN_STACK_SCOPE);
}

void __asan_unpoison_stack_memory(uintptr_t addr, size_t size)
{
    kasan_unpoison(addr, size);
}

/*
 * alloca and VLAs (not used by our components, maybe by a user's): gcc
 * leaves a 32-byte redzone on each side. Marked as stack redzones, which is
 * what they are.
 */
void __asan_alloca_poison(uintptr_t addr, size_t size)
{
    uintptr_t end = kasan_round_up(addr + size);
    uintptr_t right_end = ((addr + size + 31) & ~(uintptr_t)31) + 32;

    kasan_poison(addr - 32, 32, KASAN_STACK_LEFT);
    kasan_unpoison(addr, size);
    kasan_poison(end, right_end - end, KASAN_STACK_RIGHT);
}

void __asan_allocas_unpoison(uintptr_t top, uintptr_t bottom)
{
    if (bottom > top)
        kasan_unpoison(top, bottom - top);
}
