/* The bootloader: what the device trusts, and the slot it boots from. */
#ifndef FWFUZZ_BOOT_H
#define FWFUZZ_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "bootverify/image.h"

/*
 * Provisioned at manufacture, in the bootloader's flash (on a real part:
 * OTP or a write-protected sector; the security counter in a monotonic
 * counter that the application raises once it runs well).
 */
struct boot_provision {
    struct bootv_key keys[2]; /* accepted signers of the application */
    /*
     * keys and the stored security counter, as the verifier takes them:
     * here, not copied to the stack at boot, where a glitched store
     * would leave whatever was there (docs/glitch.md).
     */
    struct bootv_stage stage;
    struct bootv_device device;
};

extern const struct boot_provision boot_provision;

/* An accepted image whose body cannot start where it lies. */
#define BOOT_ERR_ENTRY (-100)
/* Two checks of the same decision disagree: the CPU was glitched. */
#define BOOT_ERR_FAULT (-101)

#endif
