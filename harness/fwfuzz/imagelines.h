/* Whether a firmware image file carries a DWARF line table (what emulated
 * line coverage reads, emu/linecov.h). */
#ifndef FWFUZZ_IMAGELINES_H
#define FWFUZZ_IMAGELINES_H

#include <stddef.h>

/*
 * 1 when path is a 32-bit little-endian ELF file with a .debug_line
 * section; 0 otherwise, with the reason in why ("an Intel HEX file",
 * "not an ELF file", "an ELF file without DWARF (built without -g)", or
 * why it could not be read).
 */
int imagelines_has_dwarf(const char *path, char *why, size_t n);

#endif
