/* Source-line coverage of emulated runs: the guest basic blocks that ran,
 * read against the image's DWARF as an lcov tracefile (docs/coverage.md). */
#ifndef EMU_LINECOV_H
#define EMU_LINECOV_H

#include <stddef.h>
#include <stdint.h>

#include "emu/emu.h"

/* A set of executed blocks (start address and size) with a run count each. */
struct emu_blocks;

/* EMU_OK, or EMU_ERR_ARG (out NULL), EMU_ERR_NOMEM. *out is NULL on error. */
int emu_blocks_new(struct emu_blocks **out);
void emu_blocks_free(struct emu_blocks *b);

/* Distinct blocks recorded so far. */
size_t emu_blocks_count(const struct emu_blocks *b);

/*
 * From the next run of e on, every block a run executes is added to b
 * (NULL: recording stops). Blocks of the board's init function and of the
 * re-run that finds a fault's exact PC are not recorded; a block is
 * recorded when it is entered, so a fault in the middle of a block counts
 * the whole block. b is the caller's and must outlive the recording; it is
 * dropped by emu_reset. EMU_ERR_ARG when e is NULL.
 */
int emu_record_blocks(struct emu *e, struct emu_blocks *b);

/*
 * Writes an lcov tracefile of the image loaded in e to path (a temporary
 * file, then rename): for every source file of its DWARF line table, the
 * lines that have code in the loaded image (DA, with the highest run count
 * of the blocks covering the line's code, 0 when none ran) and the
 * functions that have code there, out of line or inlined (FN/FNDA, with
 * the highest run count of a block in their code). File names are as DWARF
 * gives them (absolute when the image was compiled with absolute paths).
 * test_name is the TN: line ("" for none). An image without DWARF (an
 * Intel HEX file, a raw binary, an ELF built without -g) gets the same
 * records over address ranges of 256 bytes instead of lines, their
 * "source" written beside path as IMAGE.ranges (IMAGE: the name of the image
 * file emu_load_image loaded first; one line per range, naming the functions
 * the symbols put there), and FN/FNDA from its symbols.
 * Returns EMU_OK, or EMU_ERR_ARG, EMU_ERR_STATE (no code loaded),
 * EMU_ERR_SYMBOL (DWARF without line table rows in the loaded code),
 * EMU_ERR_NOMEM (also when b lost blocks to a failed allocation during a run),
 * EMU_ERR_IO.
 */
int emu_write_lcov(struct emu *e, const struct emu_blocks *b, const char *path,
                   const char *test_name);

#endif
