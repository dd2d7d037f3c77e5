/* Intel HEX, the text format many vendors ship firmware in: a parser that
 * hands on the data records at their absolute addresses. Loading a HEX
 * image into an emulator is emu_load_ihex_mem / emu_load_image (emu.h). */
#ifndef EMU_IHEX_H
#define EMU_IHEX_H

#include <stddef.h>
#include <stdint.h>

/* Longest record line: ':' and 2 hex digits for each of count, address
 * (2), type, 255 data bytes and the checksum. */
#define EMU_IHEX_MAX_LINE (1 + 2 * (1 + 2 + 1 + 255 + 1))

/* Called for each data record: n (1 to 255) bytes for addr..addr+n-1,
 * which never wraps past 0xFFFFFFFF. Return 0 to go on, anything else to
 * stop (emu_ihex_parse then fails with "line N: " and err as the fn left
 * it). */
typedef int emu_ihex_data_fn(void *ctx, uint32_t addr, const uint8_t *data,
                             size_t n, char *err, size_t errlen);

struct emu_ihex_info {
    unsigned records; /* data records */
    uint64_t bytes;   /* data bytes */
    int has_start;    /* a start address record (03 or 05) was given */
    uint32_t start;   /* its address: EIP, or CS * 16 + IP */
};

/*
 * Parses text[0..len): records 00 (data), 01 (end of file), 02 (extended
 * segment address), 03 (start segment address), 04 (extended linear
 * address) and 05 (start linear address); blank lines and CR LF line ends
 * are accepted. Refused, with "line N: reason" in err: a line that does
 * not start with ':', a non-hex digit, an odd number of digits, a line
 * longer than EMU_IHEX_MAX_LINE, a byte count that disagrees with the
 * line, a wrong checksum, an unknown record type, a record of the wrong
 * length for its type, data crossing a 64 KiB boundary of its segment (the
 * format wraps there; no tool writes that on purpose), anything but white
 * space after the end-of-file record, and a file without one. Returns 0,
 * or -1. info (may be NULL) is filled on success.
 */
int emu_ihex_parse(const uint8_t *text, size_t len, emu_ihex_data_fn *fn,
                   void *ctx, struct emu_ihex_info *info, char *err,
                   size_t errlen);

/* 1 if buf looks like Intel HEX: after optional white space, ':' and a
 * hex digit. */
int emu_ihex_detect(const uint8_t *buf, size_t len);

#endif
