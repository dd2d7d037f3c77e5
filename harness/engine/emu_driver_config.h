/* The image, board, entry and .options file an emulated build runs by
 * default: compile definitions per target, from FwfuzzFuzzTarget.cmake. */
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
/* The target's .options file, whose [emu] section may set the block
 * budget of a run ("" for none: the board's budget_blocks). */
#ifndef FWFUZZ_EMU_OPTIONS
#error "FWFUZZ_EMU_OPTIONS must be defined (path of the .options file or \"\")"
#endif

/* A raw image's load address and the raw binaries loaded beside the image
 * ("file@address", ','-separated), for whole images registered with them;
 * FWFUZZ_EMU_LOAD_ADDR and FWFUZZ_EMU_EXTRA_IMAGES override them. */
#ifndef FWFUZZ_EMU_LOAD_ADDR_DEFAULT
#define FWFUZZ_EMU_LOAD_ADDR_DEFAULT ""
#endif
#ifndef FWFUZZ_EMU_EXTRA_DEFAULT
#define FWFUZZ_EMU_EXTRA_DEFAULT ""
#endif

#endif
