/* The image, board, entry and block budget an emulated build runs by
 * default: compile definitions set per target by cmake/FwfuzzTarget.cmake. */
#ifndef FWFUZZ_EMU_DRIVER_CONFIG_H
#define FWFUZZ_EMU_DRIVER_CONFIG_H

#ifndef FWFUZZ_EMU_IMAGE
#error "FWFUZZ_EMU_IMAGE must be defined (path of the firmware image)"
#endif
#ifndef FWFUZZ_EMU_BOARD
#error "FWFUZZ_EMU_BOARD must be defined (path of the board file)"
#endif
#ifndef FWFUZZ_EMU_ENTRY
#error "FWFUZZ_EMU_ENTRY must be defined (entry symbol of the target)"
#endif
/* Blocks one run may execute ([emu] budget_blocks of the target's .options
 * file); 0: the board's budget_blocks. */
#ifndef FWFUZZ_EMU_BUDGET
#define FWFUZZ_EMU_BUDGET 0ull
#endif

#endif
