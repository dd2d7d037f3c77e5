/*
 * A whole image for test_emu_glitch.c and the emu/glitch-cli test: a
 * "bootloader" whose check refuses, decided in an IT block, and a "slot"
 * at SLOT it must never run (emu/test/data/glitch-slot.bin, loaded beside
 * it: b .). Skipping the
 * movne that sets the verdict (its else slot used up, as on the part)
 * reaches the slot; so does zeroing its register. A member of an IT block
 * after one that sets the flags cannot be skipped. A RAM counter that must
 * read 0 at reset catches boots that do not start from the same state.
 */
    .syntax unified
    .cpu cortex-m4
    .thumb

    .equ SLOT, 0x08010000

    .section .vectors, "a"
    .word 0x20010000            /* initial MSP */
    .word reset + 1

    .text
    .thumb_func
    .type reset, %function
    .global reset
reset:
    ldr r1, =boots
    ldr r0, [r1]
    adds r0, #1
    str r0, [r1]
    cmp r0, #1
    bne crash                   /* RAM not as at reset */
    movs r2, #2
    .global loop
loop:
    subs r2, #1                 /* runs twice */
    bne loop
    movs r0, #5
    bl check                    /* r0 = 1: refused */
    cmp r0, #0
    itt ne
    .global flags_it
flags_it:
    cmpne r0, #2                /* a member that sets the flags ... */
    movne r3, #7                /* ... before this one: no skip model */
    movs r1, #0
    .global decide
decide:
    cmp r0, #0
    ite ne
    .global verdict
verdict:
    movne r1, #1                /* 1 refuses */
    moveq r1, #2                /* its condition fails */
    cmp r1, #1
    .global to_fail
to_fail:
    beq fail
    cmp r1, #0
    beq boot                    /* r1 = 0: only a fault gets here */
    .global crash
crash:
    udf #0
boot:
    ldr r0, =SLOT + 1
    bx r0
    .global fail
fail:
    cpsid i
1:  wfi
    b 1b
    .size reset, . - reset

    .thumb_func
    .type check, %function
    .global check
check:
    movs r0, #1
    bx lr
    .size check, . - check
    .ltorg

    .bss
    .global boots
boots:
    .word 0
