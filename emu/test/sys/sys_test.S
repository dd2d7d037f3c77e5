/*
 * A whole image for test_emu_boot.c: the exception model on its own.
 * Thread mode on PSP, an SVC, SysTick ticking while the core sleeps, a
 * PendSV set from the SysTick handler, an NVIC line, then a polled UART
 * that echoes what it receives and stores through NULL+4 on '!'. On 's'
 * it reads a sensor whose bit 0 only is tested and an ID register whose
 * value is never used (the models infer.c finds by trial).
 */
    .syntax unified
    .cpu cortex-m4
    .thumb

    .equ UART_SR,   0x40011000
    .equ SENSOR,    0x40020000
    .equ SENSOR_ID, 0x40020004
    .equ SYST_CSR,  0xE000E010
    .equ ICSR,      0xE000ED04
    .equ NVIC_ISER, 0xE000E100

    .section .vectors, "a"
    .word 0x20010000            /* initial MSP */
    .word reset + 1             /* 1 */
    .word fault + 1             /* 2 NMI */
    .word fault + 1             /* 3 HardFault */
    .word 0, 0, 0, 0, 0, 0, 0
    .word svc_handler + 1       /* 11 */
    .word 0, 0
    .word pendsv_handler + 1    /* 14 */
    .word systick_handler + 1   /* 15 */
    .word irq0_handler + 1      /* 16 */

    .text
    .thumb_func
    .global reset
reset:
    ldr r0, =0x20008000
    msr psp, r0
    movs r0, #2                 /* SPSEL: thread mode on PSP */
    msr control, r0
    isb
    ldr r0, =0x11111111         /* r0-r3 and r12 must survive the SVC */
    ldr r1, =0x22222222
    ldr r12, =0xCCCCCCCC
    svc #7
    ldr r2, =saved
    str r0, [r2, #0]
    str r1, [r2, #4]
    str r12, [r2, #8]
    mrs r0, psp
    str r0, [r2, #12]           /* PSP back where it was */
    ldr r1, =NVIC_ISER
    movs r0, #1
    str r0, [r1]                /* IRQ0 enabled: the input may raise it */
    ldr r1, =SYST_CSR
    ldr r0, =799                /* 100 blocks at 8 cycles a block */
    str r0, [r1, #4]
    movs r0, #3                 /* TICKINT | ENABLE */
    str r0, [r1]
    .global sleep_loop
sleep_loop:
    ldr r1, =ticks
    ldr r0, [r1]
    cmp r0, #5
    bge uart_loop
    wfi
    b sleep_loop

    .global uart_loop
uart_loop:
    ldr r1, =UART_SR
    ldr r0, [r1]
    tst r0, #0x20               /* RXNE */
    beq uart_loop
    ldr r0, [r1, #4]
    str r0, [r1, #4]            /* echo */
    cmp r0, #'s'
    beq sample
    cmp r0, #'!'
    bne uart_loop
    .global crash
crash:
    movs r1, #0
    str r0, [r1, #4]            /* NULL + 4: the planted fault */
    b uart_loop

sample:
    ldr r1, =SENSOR
    ldr r2, [r1]                /* only bit 0 matters */
    ldr r3, [r1, #4]            /* read, never used */
    tst r2, #1
    beq uart_loop
    ldr r1, =sensor_hits
    ldr r0, [r1]
    adds r0, #1
    str r0, [r1]
    b uart_loop

    .thumb_func
svc_handler:
    ldr r1, =svc_seen
    str lr, [r1, #0]            /* EXC_RETURN: 0xFFFFFFFD */
    mrs r0, ipsr
    str r0, [r1, #4]            /* 11 */
    mrs r0, psp
    ldr r2, [r0, #0]
    str r2, [r1, #8]            /* stacked r0 */
    ldr r2, [r0, #24]
    str r2, [r1, #12]           /* stacked return address */
    mov r0, sp
    str r0, [r1, #16]           /* MSP in the handler */
    movs r0, #0                 /* clobbered: the return restores them */
    movs r1, #0
    bx lr

    .thumb_func
systick_handler:
    ldr r1, =ticks
    ldr r0, [r1]
    adds r0, #1
    str r0, [r1]
    ldr r1, =ICSR
    ldr r0, =0x10000000         /* PENDSVSET: taken when SysTick returns */
    str r0, [r1]
    bx lr

    .thumb_func
pendsv_handler:
    ldr r1, =pendsvs
    ldr r0, [r1]
    adds r0, #1
    str r0, [r1]
    str lr, [r1, #4]
    bx lr

    .thumb_func
irq0_handler:
    ldr r1, =irq0s
    ldr r0, [r1]
    adds r0, #1
    str r0, [r1]
    bx lr

    .thumb_func
fault:
    bkpt #1
    b fault

    .ltorg

    .bss
    .align 2
    .global ticks, pendsvs, irq0s, svc_seen, saved, sensor_hits
ticks:    .space 4
pendsvs:  .space 8
irq0s:    .space 4
svc_seen: .space 20
saved:    .space 16
sensor_hits: .space 4
