/* The bootloader: verify the application slot, boot it, or stay put. */
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "boot.h"
#include "bootverify/image.h"
#include "uart.h"

/*
 * The signature says who built the body, not that it can run here: it must
 * lie where it was linked (it runs in place from flash), start with a vector
 * table VTOR can point at, and that table must name a stack in SRAM and a
 * Thumb reset handler inside the body.
 */
static int boot_check_entry(const struct bootv_image_info *info)
{
    uintptr_t body = (uintptr_t)info->body;
    uint32_t size = info->hdr.image_size;
    uint32_t sp, entry;

    if (info->hdr.load_addr != body || body % 512 != 0 || size < 8)
        return BOOT_ERR_ENTRY;
    /* Aligned (checked above), and read as the core will read it. */
    sp = ((const uint32_t *)info->body)[0];
    entry = ((const uint32_t *)info->body)[1];
    if (sp <= BOARD_SRAM_BASE || sp > BOARD_SRAM_BASE + BOARD_SRAM_SIZE ||
        sp % 8 != 0)
        return BOOT_ERR_ENTRY;
    if ((entry & 1) == 0 || (entry & ~1u) < body + 8 ||
        (entry & ~1u) - body >= size)
        return BOOT_ERR_ENTRY;
    return BOOTV_OK;
}

static void boot_puts(const char *s)
{
    while (*s != '\0')
        uart_putc((uint8_t)*s++);
}

static void boot_put_int(int v)
{
    char digits[12];
    size_t n = 0;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;

    if (v < 0)
        uart_putc('-');
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    while (n > 0)
        uart_putc((uint8_t)digits[--n]);
}

/* Fail into a secure state: nothing runs, nothing more is read. */
__attribute__((noreturn)) static void boot_fail(int rc)
{
    boot_puts("boot: rejected ");
    boot_put_int(rc);
    boot_puts("\r\n");
    __asm__ volatile("cpsid i" ::: "memory");
    for (;;)
        __asm__ volatile("wfi");
}

__attribute__((noreturn)) static void boot_jump(uintptr_t vectors)
{
    const uint32_t *table = (const uint32_t *)vectors;

    BOARD_SCB_VTOR = (uint32_t)vectors;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    __asm__ volatile("msr msp, %0\n\tbx %1" ::"r"(table[0]), "r"(table[1])
                     : "memory");
    __builtin_unreachable();
}

/*
 * A single glitch of the CPU (one instruction skipped, one register read
 * as 0) must not start an image the verifier refused (docs/glitch.md): the
 * code and the verdict are both checked, each check again after a barrier
 * that keeps the compiler from merging the two, and the verdict once more
 * right before the jump. The verdict is re-read from memory each time.
 */
#define BOOT_BARRIER() __asm__ volatile("" ::: "memory")

static uint32_t boot_reread(const uint32_t *p)
{
    return *(const volatile uint32_t *)p;
}

int main(void)
{
    const uint8_t *slot = (const uint8_t *)BOARD_SLOT_BASE;
    struct bootv_image_info info;
    uint32_t verdict = BOOTV_REJECT; /* fail closed */
    size_t len;
    int rc;

    uart_init();
    rc = bootv_image_length(slot, BOARD_SLOT_SIZE, &len);
    if (rc != BOOTV_OK)
        boot_fail(rc);
    rc = bootv_verify_image(slot, len, &boot_provision.stage,
                            &boot_provision.device, &verdict, &info);
    if (rc != BOOTV_OK)
        boot_fail(rc);
    BOOT_BARRIER();
    if (boot_reread(&verdict) != BOOTV_ACCEPT)
        boot_fail(BOOT_ERR_FAULT);
    rc = boot_check_entry(&info);
    if (rc != BOOTV_OK)
        boot_fail(rc);
    BOOT_BARRIER();
    if (boot_check_entry(&info) != BOOTV_OK)
        boot_fail(BOOT_ERR_FAULT);
    boot_puts("boot: accepted, starting the application\r\n");
    BOOT_BARRIER();
    if (boot_reread(&verdict) != BOOTV_ACCEPT || rc != BOOTV_OK)
        boot_fail(BOOT_ERR_FAULT);
    boot_jump((uintptr_t)info.body);
}
