/* Vector table, reset handler and default exception handlers. */
#include <stddef.h>
#include <stdint.h>

#include "board.h"

/* Handler names follow CMSIS: debuggers, emulators and people expect them. */
void Reset_Handler(void);
void Default_Handler(void);
void HardFault_Handler(void);
void NMI_Handler(void) __attribute__((weak, alias("Default_Handler")));
void MemManage_Handler(void) __attribute__((weak, alias("Default_Handler")));
void BusFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UsageFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

int main(void);
void _exit(int status);

/* 16 system entries and 64 external interrupts: 320 bytes, VTOR-aligned. */
#define BOARD_IRQ_COUNT 64

struct board_vectors {
    void *initial_sp;
    void (*system[15])(void);
    void (*irq[BOARD_IRQ_COUNT])(void);
};

#define IRQ4  Default_Handler, Default_Handler, Default_Handler, Default_Handler
#define IRQ16 IRQ4, IRQ4, IRQ4, IRQ4

__attribute__((section(".isr_vector"), used))
const struct board_vectors board_vectors = {
    __stack_top,
    {
        Reset_Handler,      /* 1 */
        NMI_Handler,        /* 2 */
        HardFault_Handler,  /* 3 */
        MemManage_Handler,  /* 4 */
        BusFault_Handler,   /* 5 */
        UsageFault_Handler, /* 6 */
        NULL,               /* 7 reserved */
        NULL,               /* 8 reserved */
        NULL,               /* 9 reserved */
        NULL,               /* 10 reserved */
        SVC_Handler,        /* 11 */
        DebugMon_Handler,   /* 12 */
        NULL,               /* 13 reserved */
        PendSV_Handler,     /* 14 */
        SysTick_Handler,    /* 15 */
    },
    {IRQ16, IRQ16, IRQ16, IRQ16},
};

void board_init_memory(void)
{
    const uint32_t *src = &_sidata;
    uint32_t *dst;

    for (dst = &_sdata; dst < &_edata; dst++)
        *dst = *src++;
    for (dst = &_sbss; dst < &_ebss; dst++)
        *dst = 0;
}

__attribute__((weak)) void board_early_init(void)
{
}

void Reset_Handler(void)
{
    board_init_memory();
    board_early_init();
    __libc_init_array();
    _exit(main());
}

/* Stops with its own BKPT so a fault is never mistaken for an interrupt. */
void HardFault_Handler(void)
{
    for (;;)
        BOARD_BKPT(BOARD_BKPT_HARDFAULT);
}

void Default_Handler(void)
{
    for (;;)
        BOARD_BKPT(BOARD_BKPT_UNEXPECTED);
}

/* __libc_init_array calls these; -nostartfiles leaves out crti.o/crtn.o. */
void _init(void)
{
}

void _fini(void)
{
}
