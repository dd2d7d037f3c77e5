/*
 * C functions for the emulator's tests: DWARF lines and call frame
 * information. Built into progs.elf by gen-progs.sh.
 */
#include <stddef.h>
#include <stdint.h>

uint32_t c_inner(const uint8_t *p, size_t n);
uint32_t c_entry(const uint8_t *p, size_t n);

__attribute__((noinline)) uint32_t c_inner(const uint8_t *p, size_t n)
{
    if (n > 1 && p[0] == 'N')
        return *(volatile const uint32_t *)(uintptr_t)p[1]; /* NULL page */
    return (uint32_t)n;
}

uint32_t c_entry(const uint8_t *p, size_t n)
{
    return c_inner(p, n) + 1;
}
