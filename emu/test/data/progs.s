@ Small Thumb functions for the emulator's tests (emu/test). Each is called
@ as fn(data, len) by emu_run; the comment says what it should end in.
@ Rebuild progs.elf with gen-progs.sh after changing this file.
    .syntax unified
    .cpu cortex-m4
    .thumb

    .macro FUNC name
    .global \name
    .type \name, %function
    .thumb_func
\name:
    .endm
    .macro END name
    .size \name, . - \name
    .endm

    .text

FUNC sum_input              @ returns the sum of the input bytes: clean
    movs r2, #0
    cbz r1, 2f
1:  ldrb r3, [r0], #1
    add r2, r2, r3
    subs r1, r1, #1
    bne 1b
2:  mov r0, r2
    bx lr
END sum_input

FUNC read_past              @ reads data[len]: input-overread
    ldrb r0, [r0, r1]
    bx lr
END read_past

FUNC null_read              @ reads NULL + 4: null-deref
    movs r0, #0
    ldr r0, [r0, #4]
    bx lr
END null_read

FUNC unmapped_read          @ unmapped-read at 0x50000000
    ldr r1, =0x50000000
    ldr r0, [r1]
    bx lr
END unmapped_read

FUNC unmapped_write         @ unmapped-write at 0x50000010
    ldr r1, =0x50000010
    str r0, [r1]
    bx lr
END unmapped_write

FUNC write_flash            @ write-to-flash over this very code
    ldr r1, =sum_input
    str r0, [r1]
    bx lr
END write_flash

FUNC write_input            @ the input is read-only: write-to-flash
    strb r1, [r0]
    bx lr
END write_input

FUNC exec_ram               @ jumps into SRAM: execution-outside-code
    ldr r1, =0x20000101
    bx r1
END exec_ram

FUNC exec_gap               @ jumps into flash past the image: outside code
    ldr r1, =0x0800F001
    bx r1
END exec_gap

FUNC call_null              @ calls a NULL function pointer: null-deref
    push {r4, lr}
    movs r1, #0
    blx r1
    pop {r4, pc}
END call_null

FUNC undefined              @ udf: invalid-instruction
    udf #7
    bx lr
END undefined

FUNC supervisor             @ svc: invalid-instruction (not emulated)
    svc #5
    bx lr
END supervisor

FUNC recurse                @ endless recursion: stack-overflow
    push {r4, lr}
    sub sp, sp, #128
    bl recurse
    add sp, sp, #128
    pop {r4, pc}
END recurse

FUNC breakpoint             @ bkpt #0x42: breakpoint
    bkpt #0x42
    bx lr
END breakpoint

FUNC spin                   @ endless loop: hang
1:  b 1b
END spin

FUNC wait                   @ wfi with no interrupt: hang
    wfi
    bx lr
END wait

FUNC count                  @ ++counter; returns it: 1 on every run
    ldr r1, =counter
    ldr r0, [r1]
    adds r0, r0, #1
    str r0, [r1]
    bx lr
END count

FUNC branchy                @ 0 if empty, 2 if data[0] == 'A', else 1
    cbz r1, 1f
    ldrb r2, [r0]
    cmp r2, #'A'
    beq 2f
    movs r0, #1
    bx lr
1:  movs r0, #0
    bx lr
2:  movs r0, #2
    bx lr
END branchy

FUNC scribble               @ returns big[0], then fills 8 KiB of big
    ldr r1, =big
    ldr r0, [r1]
    ldr r2, =0x55555555
    movs r3, #0
1:  str r2, [r1, r3]
    adds r3, r3, #4
    cmp r3, #8192
    blt 1b
    bx lr
END scribble

FUNC read_data              @ returns initialized (0x12345678: .data)
    ldr r1, =initialized
    ldr r0, [r1]
    bx lr
END read_data

FUNC read_init              @ returns init_flag (0xC0FFEE after test_init)
    ldr r1, =init_flag
    ldr r0, [r1]
    bx lr
END read_init

FUNC test_init              @ a board "init" function
    ldr r1, =init_flag
    ldr r0, =0xC0FFEE
    str r0, [r1]
    bx lr
END test_init

FUNC call_abort             @ abort: abort
    push {r4, lr}
    bl abort
    pop {r4, pc}
END call_abort

FUNC call_asan              @ KASan report, shadow byte = data[0]
    push {r4, lr}
    ldrb r3, [r0]
    ldr r4, =fwfuzz_asan_pc     @ the runtime names the access it saw
    ldr r0, =sum_input + 4
    str r0, [r4]
    ldr r0, =victim + 16
    movs r1, #4
    movs r2, #1
    bl fwfuzz_asan_report
    pop {r4, pc}
END call_asan

FUNC call_stack_chk         @ stack-protector
    push {r4, lr}
    bl __stack_chk_fail
    pop {r4, pc}
END call_stack_chk

FUNC call_check             @ FWFUZZ_CHECK failed: abort with the message
    push {r4, lr}
    ldr r0, =str_file
    movs r1, #42
    ldr r2, =str_cond
    ldr r3, =str_what
    bl fwfuzz_check_failed
    pop {r4, pc}
END call_check

FUNC call_assert            @ assert(): abort with the expression
    push {r4, lr}
    ldr r0, =str_file
    movs r1, #7
    ldr r2, =str_func
    ldr r3, =str_expr
    bl __assert_func
    pop {r4, pc}
END call_assert

FUNC call_exit              @ exit(3): abort, detail 3
    push {r4, lr}
    movs r0, #3
    bl exit
    pop {r4, pc}
END call_exit

FUNC call_hardfault         @ HardFault_Handler entered: hardfault
    push {r4, lr}
    bl HardFault_Handler
    pop {r4, pc}
END call_hardfault

@ Stand-ins for the runtime functions the emulator stops on.
FUNC abort
    bkpt #0xf4
END abort
FUNC fwfuzz_asan_report
    bkpt #0xf0
END fwfuzz_asan_report
FUNC __stack_chk_fail
    bkpt #0xf2
END __stack_chk_fail
FUNC fwfuzz_check_failed
    bkpt #0xf1
END fwfuzz_check_failed
FUNC __assert_func
    bkpt #0xf4
END __assert_func
FUNC exit
    bkpt #0xf4
END exit
FUNC HardFault_Handler
    b HardFault_Handler
END HardFault_Handler

    .ltorg

    .section .rodata
str_file: .asciz "proto.c"
str_cond: .asciz "n < 4"
str_what: .asciz "length within bounds"
str_func: .asciz "parse"
str_expr: .asciz "p != 0"

    .section .text.tail, "ax", %progbits
FUNC big_frame              @ a leaf's 8 KiB frame past the limit: stack-overflow
    sub sp, sp, #8192
    movs r1, #0
1:  str r1, [sp, r1]
    adds r1, r1, #4
    cmp r1, #16
    blt 1b
    add sp, sp, #8192
    bx lr
END big_frame

FUNC kasan_wild             @ KASan's inline check of 0x50000008: unmapped-read
    ldr r1, =0x3A000001     @ its shadow byte, which no region has
    ldrb r1, [r1]
    bx lr
END kasan_wild

FUNC kasan_mmio             @ the inline check of a peripheral, then the read:
    ldr r1, =0x38000002     @ returns 0 (the shadow of 0x40000010 is made
    ldrb r0, [r1]           @ on demand, zero)
    ldr r1, =0x40000010
    ldr r1, [r1]
    bx lr
END kasan_mmio

FUNC __asan_report_load1_noabort @ marks this image as KASan-instrumented
    bx lr
END __asan_report_load1_noabort

FUNC late_frame             @ an 8 KiB frame made after a branch, as gcc's
    cmp r1, #0              @ shrink-wrapping places a prologue: stack-overflow
    beq 2f
    sub sp, sp, #8192
    movs r2, #0
1:  str r2, [sp, r2]
    adds r2, r2, #4
    cmp r2, #16
    blt 1b
    add sp, sp, #8192
2:  bx lr
END late_frame

FUNC sp_dip                 @ SP 8 KiB down for one block, nothing written
    sub sp, sp, #8192       @ there: stack-overflow (the next block sees it)
    b 1f
1:  add sp, sp, #8192
    bx lr
END sp_dip

FUNC exec_data              @ runs .data's copy in flash, a bx lr:
    ldr r1, =data_load + 5  @ execution-outside-code, though it returns
    bx r1
END exec_data
    .ltorg

FUNC ldr_sp_dip             @ SP loaded 8 KiB down (a load into SP escapes
    mov r2, sp              @ the CPU's limit), nothing written: stack-overflow
    sub r3, r2, #8192
    ldr r1, =counter
    str r3, [r1]
    ldr sp, [r1]
    b 1f
1:  mov sp, r2
    bx lr
END ldr_sp_dip
    .ltorg

    .data
    .global initialized
    .type initialized, %object
    .align 2
initialized: .word 0x12345678
    .size initialized, 4
    .global data_code
    .type data_code, %object
data_code: .short 0x4770    @ bx lr, for exec_data (after initialized)
    .size data_code, 2

    .bss
    .align 3
    .global counter
    .type counter, %object
counter: .space 4
    .size counter, 4
    .global init_flag
    .type init_flag, %object
init_flag: .space 4
    .size init_flag, 4
    .global fwfuzz_asan_pc
    .type fwfuzz_asan_pc, %object
fwfuzz_asan_pc: .space 4
    .size fwfuzz_asan_pc, 4
    .global victim
    .type victim, %object
victim: .space 16
    .size victim, 16
    .space 16
    .global big
    .type big, %object
    .align 10
big: .space 8192
    .size big, 8192
