/* Looking for a DWARF line table in an image file. */
#define _POSIX_C_SOURCE 200809L
#include "imagelines.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off */
#define IL_EHDR_SIZE    52u  /* Elf32_Ehdr */
#define IL_SHDR_SIZE    40u  /* Elf32_Shdr */
#define IL_MAX_SECTIONS 4096u
/* clang-format on */

static uint32_t le16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
    return le16(p) | le16(p + 2) << 16;
}

/* Reads len bytes at off; -1 when the file is shorter. */
static int read_at(FILE *f, long off, uint8_t *buf, size_t len)
{
    return fseek(f, off, SEEK_SET) == 0 && fread(buf, 1, len, f) == len ? 0
                                                                        : -1;
}

int imagelines_has_dwarf(const char *path, char *why, size_t n)
{
    uint8_t eh[IL_EHDR_SIZE], sh[IL_SHDR_SIZE], name[12];
    uint32_t shoff, shnum, shstrndx, stroff, i;
    int found = 0;
    FILE *f = fopen(path, "rb");

    if (f == NULL) {
        snprintf(why, n, "cannot read %s: %s", path, strerror(errno));
        return 0;
    }
    if (read_at(f, 0, eh, 1) == 0 && eh[0] == ':') {
        snprintf(why, n, "%s is an Intel HEX file: no symbols, no DWARF", path);
        goto out;
    }
    if (read_at(f, 0, eh, sizeof(eh)) != 0 || memcmp(eh,
                                                     "\x7f"
                                                     "ELF\x01\x01",
                                                     6) != 0) {
        snprintf(why, n, "%s is not a 32-bit little-endian ELF file", path);
        goto out;
    }
    shoff = le32(eh + 32);
    shnum = le16(eh + 48);
    shstrndx = le16(eh + 50);
    /* every offset below comes from the file: each read is checked */
    if (le16(eh + 46) != IL_SHDR_SIZE || shnum > IL_MAX_SECTIONS ||
        shstrndx >= shnum ||
        read_at(f, (long)shoff + (long)shstrndx * IL_SHDR_SIZE, sh,
                sizeof(sh)) != 0) {
        snprintf(why, n, "%s: no readable section headers", path);
        goto out;
    }
    stroff = le32(sh + 16);
    for (i = 0; i < shnum && !found; i++) {
        if (read_at(f, (long)shoff + (long)i * IL_SHDR_SIZE, sh, sizeof(sh)) !=
                0 ||
            read_at(f, (long)stroff + (long)le32(sh), name, sizeof(name)) != 0)
            continue;
        found = memcmp(name, ".debug_line", sizeof(".debug_line")) == 0;
    }
    if (!found)
        snprintf(why, n, "%s is an ELF file without DWARF (built without -g)",
                 path);
out:
    fclose(f);
    return found;
}
