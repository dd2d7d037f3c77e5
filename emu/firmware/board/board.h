/* fwfuzz-m4 board: memory map, linker symbols, start-up and stop codes. */
#ifndef FWFUZZ_BOARD_H
#define FWFUZZ_BOARD_H

#include <stdint.h>

/*
 * Memory map and slot layout: BOARD_FLASH_BASE/SIZE, BOARD_SRAM_BASE/SIZE,
 * BOARD_PERIPH_BASE/SIZE, BOARD_BOOT_SIZE, BOARD_SLOT_BASE/SIZE and
 * BOARD_SLOT_HDR_SIZE, generated from emu/boards/fwfuzz-m4.json.
 */
#include "board_layout.h"

#define BOARD_SLOT_BODY_BASE (BOARD_SLOT_BASE + BOARD_SLOT_HDR_SIZE)

/* System control block: vector table offset register. */
#define BOARD_SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)

/*
 * BKPT immediates of the places where an image stops for good, so that a
 * debugger or the emulator can tell them apart by the instruction alone.
 */
#define BOARD_BKPT_ASAN_REPORT  0xF0 /* fwfuzz_asan_report */
#define BOARD_BKPT_CHECK_FAILED 0xF1 /* fwfuzz_check_failed */
#define BOARD_BKPT_STACK_CHK    0xF2 /* __stack_chk_fail */
#define BOARD_BKPT_HARDFAULT    0xF3 /* HardFault_Handler */
#define BOARD_BKPT_EXIT         0xF4 /* _exit, abort */
#define BOARD_BKPT_UNEXPECTED   0xF5 /* Default_Handler */

#define BOARD_STR_(x)   #x
#define BOARD_STR(x)    BOARD_STR_(x)
#define BOARD_BKPT(imm) __asm__ volatile("bkpt #" BOARD_STR(imm)::: "memory")

/* Symbols of fwfuzz-m4.ld (generated from fwfuzz-m4.ld.in). */
extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss;
extern uint8_t __heap_start[], __heap_end[];
extern uint8_t __stack_top[], __stack_limit[];

/* Copies .data from flash and zeroes .bss (the reset handler's first job). */
void board_init_memory(void);

/*
 * Runs after board_init_memory and before the constructors. The default does
 * nothing; the fuzzing image sets up KASan here.
 */
void board_early_init(void);

/* newlib: runs .preinit_array, _init and .init_array. */
void __libc_init_array(void);

#endif
